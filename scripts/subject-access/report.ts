/**
 * The subject-access report as the gateway answers the saved operation `SubjectAccessReport`
 * (schema/operations/explorer/), typed by `npm run codegen`, and the JSON file written beside the PDF.
 */
import type {
  SubjectAccessReportQuery,
  SubjectAccessSectionFieldsFragment,
} from '../../clients/typescript/generated/graphql.js';
export type SubjectAccessReport = SubjectAccessReportQuery['subjectAccessReport'];
export type SubjectAccessSection = SubjectAccessSectionFieldsFragment;
export type SubjectAccessItem = SubjectAccessSection['holdings'][number];
export type SubjectAccessDisclosure = SubjectAccessSection['disclosures'][number];
export type SubjectAccessVerification = SubjectAccessSection['verification'];

export const SECTION_FIELDS = ['immigration', 'police', 'localGovernment'] as const;

/** The JSON file beside the PDF: the report as answered, and how it was asked for. */
export interface SubjectAccessFile {
  generatedAt: string;
  gateway: string;
  purpose: string;
  report: SubjectAccessReport;
}
