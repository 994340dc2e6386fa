/**
 * The meeting brief as the gateway answers the saved operation `MeetingBrief`
 * (schema/operations/explorer/MeetingBrief.graphql), and what the document is made from.
 */

export interface RegencyCount {
  regionCode: string;
  regionName: string;
  count: number;
}

export interface CategoryCount extends RegencyCount {
  category: string;
  categoryLabel: string;
}

export interface RegistrationGap {
  regionCode: string;
  regionName: string;
  holders: number;
  missing: number;
  expired: number;
}

export interface PopulationGroup {
  nationality: string | null;
  nationalityName: string | null;
  permitType: string | null;
  permitLabel: string;
  count: number;
}

export interface Population {
  regionCode: string;
  regionName: string;
  total: number | null;
  suppressed: boolean;
  unlisted: number | null;
  groups: PopulationGroup[];
}

export interface AgencyRef {
  code: string;
  name: string;
}

export interface Meeting {
  id: string;
  title: string;
  heldOn: string;
  venue: string;
  regionCode: string;
  chair: AgencyRef | null;
  attendees: AgencyRef[];
  conclusions: string | null;
}

export interface JointOperation {
  id: string;
  name: string;
  regionCode: string;
  startedOn: string;
  endedOn: string | null;
  foreignersChecked: number;
  findings: string | null;
  agencies: AgencyRef[];
}

/** The answer; a section the caller may not read is null (see `BriefFile.withheld`). */
export interface MeetingBrief {
  regionCode: string;
  meetingDate: string;
  timeZone: 'WIB' | 'WITA' | 'WIT';
  asOf: string;
  generatedAt: string;
  regencies: { code: string; name: string }[];
  minimumCellSize: number | null;
  population: Population[] | null;
  expiringBeforeMeeting: RegencyCount[] | null;
  expiringAfterMeeting: RegencyCount[] | null;
  overstays: RegencyCount[] | null;
  selfReportGaps: RegistrationGap[] | null;
  residenceGaps: RegistrationGap[] | null;
  periodStart: string | null;
  incidentsSinceLastMeeting: CategoryCount[] | null;
  communityReportsSinceLastMeeting: CategoryCount[] | null;
  lastMeeting: Meeting | null;
  jointOperationsSince: JointOperation[] | null;
}

/** The sections of the brief a reader may be refused, as the answer names them. */
export const SECTIONS = [
  'population',
  'minimumCellSize',
  'expiringBeforeMeeting',
  'expiringAfterMeeting',
  'overstays',
  'selfReportGaps',
  'residenceGaps',
  'periodStart',
  'incidentsSinceLastMeeting',
  'communityReportsSinceLastMeeting',
  'lastMeeting',
  'jointOperationsSince',
] as const;
export type Section = (typeof SECTIONS)[number];

/** What the document is made from: the answer, who asked and why, and the sections refused. */
export interface BriefFile {
  brief: MeetingBrief;
  /** The institution the token names (`Disiapkan oleh`). */
  preparedBy: { agency: string; agencyType: string };
  purpose: string;
  /** Sections the gateway refused, with the reason (`FORBIDDEN: … needs the scope incident:read`). */
  withheld: Partial<Record<Section, string>>;
}
