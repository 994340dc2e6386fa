/**
 * The subject-access report as the gateway answers the saved operation `SubjectAccessReport`
 * (schema/operations/explorer/), and the JSON file written beside the PDF.
 */
export interface SubjectAccessField {
  labelId: string;
  labelEn: string;
  value: string | null;
}

export interface SubjectAccessItem {
  kind: string;
  recordId: string;
  titleId: string;
  titleEn: string;
  explanationId: string;
  explanationEn: string;
  fields: SubjectAccessField[];
}

export interface SubjectAccessDisclosure {
  sequence: number;
  at: string;
  agency: string;
  agencyType: string;
  purpose: string | null;
  operationName: string | null;
  fieldGroups: string[];
  fieldGroupsId: string[];
  fieldGroupsEn: string[];
  outcome: 'DISCLOSED' | 'PARTLY_DENIED' | 'DENIED';
  denials: string[];
  hash: string;
  signed: boolean;
  witnessed: boolean;
}

export interface SubjectAccessVerification {
  verdict: 'INTACT' | 'UNKEYED' | 'BROKEN';
  records: number;
  brokenAt: number | null;
  reason: string | null;
  unkeyed: number;
  problems: string[];
  witnessedUpTo: { agency: string; sequence: number; hash: string; witness: string; witnessedAt: string }[];
}

export interface SubjectAccessSection {
  agency: string;
  nameId: string;
  nameEn: string;
  holdings: SubjectAccessItem[];
  disclosures: SubjectAccessDisclosure[];
  verification: SubjectAccessVerification;
}

export const SECTION_FIELDS = ['immigration', 'police', 'localGovernment'] as const;

export interface SubjectAccessReport {
  foreignerId: string;
  immigration: SubjectAccessSection;
  police: SubjectAccessSection;
  localGovernment: SubjectAccessSection;
}

/** The JSON file beside the PDF: the report as answered, and how it was asked for. */
export interface SubjectAccessFile {
  generatedAt: string;
  gateway: string;
  purpose: string;
  report: SubjectAccessReport;
}
