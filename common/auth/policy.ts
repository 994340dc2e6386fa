/**
 * The access policy (README, "Access policy"; printed in docs/permissions.md), in one place:
 * agency types, the scopes (field groups) and which scopes each agency type holds by default. Tokens, permissions and docs derive
 * from these tables; nothing repeats them by hand.
 */

export const AGENCY_TYPES = [
  'IMMIGRATION',
  'POLICE',
  'LOCAL_GOVERNMENT',
  'MILITARY',
  'PROSECUTOR',
  'INTELLIGENCE',
  'NARCOTICS',
  'CUSTOMS',
  'RELIGIOUS_AFFAIRS',
  'MANPOWER',
  'TOURISM',
  'PARTNER',
  'AUDITOR',
] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

/** Agency types that are TIMPORA member institutions (everyone except partners and auditors). */
export const MEMBER_AGENCY_TYPES = AGENCY_TYPES.filter(
  (t): t is Exclude<AgencyType, 'PARTNER' | 'AUDITOR'> => t !== 'PARTNER' && t !== 'AUDITOR',
);

const ALL_MEMBERS: readonly AgencyType[] = MEMBER_AGENCY_TYPES;

/**
 * Why the members TIMPORA has "where the region has them" (the seed's `AGENCIES`,
 * scripts/seed/coordination.ts) hold what they hold: the member baseline (identity, permits,
 * SKLD, community reports, counts and the coordination data) and only what their mandate adds.
 * Printed in docs/permissions.md.
 */
export const MANDATES: Partial<Record<AgencyType, string>> = {
  RELIGIOUS_AFFAIRS:
    'Kemenag (Kantor Kementerian Agama) supervises foreign religious workers (rohaniawan asing) and ' +
    'missionaries and recommends their stay permits: it needs who they are (identity) and whether their ' +
    'permits still hold (permits, SKLD); community reports are how religious activity by foreigners ' +
    'reaches TIMPORA. It gets no full passport number, border crossings, cekal, TAK, incidents, address ' +
    '(SKTT) or employment: none is part of its supervision, and the domicile region already says which ' +
    'Kemenag office is concerned.',
  MANPOWER:
    'Kemnaker and the provincial labour inspectors (pengawas ketenagakerjaan) check foreign workers ' +
    'against their RPTKA and work permits: the member baseline plus employment. The regency Disnaker ' +
    'stays LOCAL_GOVERNMENT: it records employment in the local-government subgraph.',
  TOURISM:
    'The tourism office (Dinas Pariwisata) reports where tourists stay and what happens at destinations: ' +
    'the member baseline, no address, no border crossings, no enforcement data.',
};

/** Each scope, what it covers, and the agency types that hold it by default. */
export const SCOPES = {
  'identity:read': {
    covers: 'name, nationality, sex, date of birth, domicile region',
    grantedTo: ALL_MEMBERS,
  },
  'passport:read': {
    covers: 'full passport number (others see it masked, e.g. E1****78)',
    grantedTo: ['IMMIGRATION', 'POLICE', 'PROSECUTOR', 'INTELLIGENCE'],
  },
  'permit:read': { covers: 'stay permits, sponsor', grantedTo: ALL_MEMBERS },
  'travel:read': {
    covers: 'border crossings',
    grantedTo: ['IMMIGRATION', 'POLICE', 'INTELLIGENCE', 'CUSTOMS', 'NARCOTICS'],
  },
  'watchlist:read': {
    covers: 'cekal entries',
    grantedTo: ['IMMIGRATION', 'POLICE', 'INTELLIGENCE', 'PROSECUTOR'],
  },
  'enforcement:read': {
    covers: 'TAK actions',
    grantedTo: ['IMMIGRATION', 'POLICE', 'PROSECUTOR', 'LOCAL_GOVERNMENT'],
  },
  'incident:read': {
    covers: 'incidents without narrative',
    grantedTo: ['POLICE', 'PROSECUTOR', 'IMMIGRATION', 'INTELLIGENCE', 'NARCOTICS'],
  },
  'incident:detail': { covers: 'incident summary', grantedTo: ['POLICE', 'PROSECUTOR'] },
  'selfreport:read': { covers: 'SKLD', grantedTo: ALL_MEMBERS },
  'residence:read': {
    covers: 'SKTT, address',
    grantedTo: ['LOCAL_GOVERNMENT', 'IMMIGRATION', 'POLICE', 'MILITARY'],
  },
  'employment:read': { covers: 'employment', grantedTo: ['LOCAL_GOVERNMENT', 'IMMIGRATION', 'MANPOWER'] },
  'community:read': { covers: 'community reports', grantedTo: ALL_MEMBERS },
  'stats:read': { covers: 'aggregate counts', grantedTo: [...ALL_MEMBERS, 'PARTNER', 'AUDITOR'] },
  'audit:read': { covers: 'access log', grantedTo: ['AUDITOR'] },
  'subject-access:read': {
    covers:
      "a foreigner's subject-access report: everything the agencies hold about them and every disclosure of it (UU PDP art. 31–32)",
    grantedTo: ['AUDITOR'],
  },
  'immigration:write': { covers: "the immigration subgraph's mutations", grantedTo: ['IMMIGRATION'] },
  'police:write': { covers: "the police subgraph's mutations", grantedTo: ['POLICE'] },
  'localgov:write': {
    covers: "the local-government subgraph's mutations",
    grantedTo: ['LOCAL_GOVERNMENT'],
  },
} as const satisfies Record<string, { covers: string; grantedTo: readonly AgencyType[] }>;

export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

/** The scopes an agency type holds when its token does not name its own. */
export function defaultScopes(agencyType: AgencyType): Scope[] {
  return SCOPE_NAMES.filter((scope) => (SCOPES[scope].grantedTo as readonly AgencyType[]).includes(agencyType));
}

/**
 * Who may read a field:
 * - a scope: callers holding it (README, "Access policy"); personal data unless the scope is `stats:read`;
 * - `{ scope, maskedWithout }`: callers holding `scope` see the field, masked (first two and
 *   last two characters kept) unless they also hold `maskedWithout`;
 * - `{ scope, alsoNeeds }`: a fact of the `scope` group derived from data of another group (a
 *   subgraph's field that `@requires` another subgraph's): callers need both scopes, so the
 *   derived fact never reveals what the second group withholds;
 * - `AUTHENTICATED`: every verified caller (identifiers, reference data, page structure);
 * - `MEMBER`: every TIMPORA member agency type (not partners, not auditors).
 * A field the policy does not name is denied.
 */
export const AUTHENTICATED = 'authenticated';
export const MEMBER = 'member';
export type FieldAccess =
  | Scope
  | typeof AUTHENTICATED
  | typeof MEMBER
  | { scope: Scope; maskedWithout: Scope }
  | { scope: Scope; alsoNeeds: Scope };

/** `'*'` gives the rule of every field of a type that is not named. */
export type TypeAccess = Record<string, FieldAccess>;

export const FIELD_POLICY: Record<string, TypeAccess> = {
  Query: {
    foreigner: 'identity:read',
    foreigners: 'identity:read',
    verifyStayPermit: 'permit:read',
    foreignerStatistics: 'stats:read',
    agency: MEMBER,
    agencies: MEMBER,
    coordinationMeetings: MEMBER,
    jointOperations: MEMBER,
    incident: 'incident:read',
    incidents: 'incident:read',
    region: AUTHENTICATED,
    regions: AUTHENTICATED,
    communityReports: 'community:read',
    communityReportStatistics: 'stats:read',
    accessLog: 'audit:read',
    subjectAccessReport: 'subject-access:read',
    meetingBrief: 'stats:read',
  },
  Mutation: {
    registerForeigner: 'immigration:write',
    issueStayPermit: 'immigration:write',
    recordBorderCrossing: 'immigration:write',
    recordImmigrationAction: 'immigration:write',
    recordCoordinationMeeting: 'immigration:write',
    recordJointOperation: 'immigration:write',
    fileIncident: 'police:write',
    issueSelfReportCertificate: 'police:write',
    registerResidence: 'localgov:write',
    recordEmployment: 'localgov:write',
    submitCommunityReport: 'localgov:write',
  },
  Foreigner: {
    id: AUTHENTICATED,
    fullName: 'identity:read',
    nationality: 'identity:read',
    sex: 'identity:read',
    dateOfBirth: 'identity:read',
    domicileRegionCode: 'identity:read',
    passportNumber: { scope: 'identity:read', maskedWithout: 'passport:read' },
    stayPermits: 'permit:read',
    currentPermit: 'permit:read',
    borderCrossings: 'travel:read',
    watchlist: 'watchlist:read',
    immigrationActions: 'enforcement:read',
    // derived from the permit summary and the latest crossing, disclosing no crossing itself
    overstay: 'permit:read',
    selfReports: 'selfreport:read',
    // SKLD / SKTT compliance: facts of the certificate's group, derived from the permit type
    selfReportCompliance: { scope: 'selfreport:read', alsoNeeds: 'permit:read' },
    incidents: 'incident:read',
    residence: 'residence:read',
    residenceCompliance: { scope: 'residence:read', alsoNeeds: 'permit:read' },
    employment: 'employment:read',
    communityReports: 'community:read',
  },
  StayPermit: { '*': 'permit:read' },
  Sponsor: { '*': 'permit:read' },
  StayPermitVerification: { '*': 'permit:read' },
  Overstay: { '*': 'permit:read' },
  BorderCrossing: { '*': 'travel:read' },
  WatchlistEntry: { '*': 'watchlist:read' },
  ImmigrationAction: { '*': 'enforcement:read' },
  ForeignerStatistics: { '*': 'stats:read' },
  StatisticsGroup: { '*': 'stats:read' },
  Agency: { '*': MEMBER },
  CoordinationMeeting: { '*': MEMBER },
  JointOperation: { '*': MEMBER },
  SelfReportCertificate: { '*': 'selfreport:read', address: 'residence:read' },
  Incident: { '*': 'incident:read', summary: 'incident:detail' },
  IncidentParty: { '*': 'incident:read' },
  Residence: { '*': 'residence:read' },
  Employment: { '*': 'employment:read' },
  CommunityReport: { '*': 'community:read' },
  CommunityReportStatistics: { '*': 'stats:read' },
  CommunityReportGroup: { '*': 'stats:read' },
  Region: { '*': AUTHENTICATED },
  AccessLog: { '*': 'audit:read' },
  AccessRecord: { '*': 'audit:read' },
  AccessDenial: { '*': 'audit:read' },
  SubjectAccessReport: { '*': 'subject-access:read' },
  SubjectAccessSection: { '*': 'subject-access:read' },
  SubjectAccessItem: { '*': 'subject-access:read' },
  SubjectAccessField: { '*': 'subject-access:read' },
  SubjectAccessDisclosure: { '*': 'subject-access:read' },
  SubjectAccessVerification: { '*': 'subject-access:read' },
  SubjectAccessWitnessedHead: { '*': 'subject-access:read' },
  // a meeting brief: each section needs what the query it stands for needs
  MeetingBrief: {
    regionCode: 'stats:read',
    meetingDate: 'stats:read',
    regencies: 'stats:read',
    timeZone: 'stats:read',
    asOf: 'stats:read',
    generatedAt: 'stats:read',
    population: 'stats:read',
    minimumCellSize: 'stats:read',
    expiringBeforeMeeting: 'identity:read',
    expiringAfterMeeting: 'identity:read',
    overstays: 'identity:read',
    lastMeeting: MEMBER,
    periodStart: MEMBER,
    jointOperationsSince: MEMBER,
    registrationHolders: { scope: 'identity:read', alsoNeeds: 'permit:read' },
    incidentsSinceLastMeeting: 'incident:read',
    selfReportGaps: { scope: 'selfreport:read', alsoNeeds: 'permit:read' },
    communityReportsSinceLastMeeting: 'community:read',
    residenceGaps: { scope: 'residence:read', alsoNeeds: 'permit:read' },
  },
  BriefPopulation: { '*': 'stats:read' },
  BriefPopulationGroup: { '*': 'stats:read' },
  // counts inside a brief's section: the section's rule decides
  BriefRegion: { '*': AUTHENTICATED },
  BriefRegencyCount: { '*': AUTHENTICATED },
  BriefCategoryCount: { '*': AUTHENTICATED },
  BriefRegistrationGap: { '*': AUTHENTICATED },
  // page structure and mutation payloads: their contents carry their own rules
  PageInfo: { '*': AUTHENTICATED },
  ForeignerConnection: { '*': AUTHENTICATED },
  ForeignerEdge: { '*': AUTHENTICATED },
  IncidentConnection: { '*': AUTHENTICATED },
  IncidentEdge: { '*': AUTHENTICATED },
  RegionConnection: { '*': AUTHENTICATED },
  RegionEdge: { '*': AUTHENTICATED },
  CommunityReportConnection: { '*': AUTHENTICATED },
  CommunityReportEdge: { '*': AUTHENTICATED },
  RegisterForeignerPayload: { '*': AUTHENTICATED },
  IssueStayPermitPayload: { '*': AUTHENTICATED },
  RecordBorderCrossingPayload: { '*': AUTHENTICATED },
  RecordImmigrationActionPayload: { '*': AUTHENTICATED },
  RecordCoordinationMeetingPayload: { '*': AUTHENTICATED },
  RecordJointOperationPayload: { '*': AUTHENTICATED },
  FileIncidentPayload: { '*': AUTHENTICATED },
  IssueSelfReportCertificatePayload: { '*': AUTHENTICATED },
  RegisterResidencePayload: { '*': AUTHENTICATED },
  RecordEmploymentPayload: { '*': AUTHENTICATED },
  SubmitCommunityReportPayload: { '*': AUTHENTICATED },
};

/**
 * Scopes whose fields are not personal data: no purpose needed. Counts are recorded all the same,
 * as queries about foreigners (`DISCLOSING_QUERIES`). Writes do need a purpose: it is recorded
 * with what they disclose back.
 */
const NON_PERSONAL_SCOPES: ReadonlySet<Scope> = new Set(['stats:read']);

export function isPersonalScope(scope: Scope): boolean {
  return !NON_PERSONAL_SCOPES.has(scope);
}

/** The rule of `type.field`, or undefined when the policy does not name it (denied). */
export function fieldAccess(type: string, field: string): FieldAccess | undefined {
  const rules = FIELD_POLICY[type];
  return rules?.[field] ?? rules?.['*'];
}

/**
 * Root fields that answer about foreigners — listings, counts, lookups, checks — each with the
 * arguments whose values are not personal: region codes, nationality, permit types and statuses,
 * the population counted (present or registered), categories, dates, page size and cursor. Every call that answers is an access-log record, even
 * one that returns only ids or a count, with its arguments: the values named here as they were,
 * every other value (names, passport and permit numbers, free text) replaced by `[disamarkan]`,
 * so an argument added later is masked until it is named here.
 */
export const DISCLOSING_QUERIES: Record<string, readonly string[]> = {
  foreigner: ['id'],
  foreigners: [
    'filter.nationality',
    'filter.regionCode',
    'filter.permitType',
    'filter.permitStatus',
    'filter.permitTypes',
    'filter.permitExpiresBefore',
    'filter.overstaying',
    'filter.population',
    'first',
    'after',
  ],
  foreignerStatistics: ['regionCode', 'groupBy', 'population'],
  verifyStayPermit: [],
  incident: ['id'],
  incidents: ['filter.regionCode', 'filter.category', 'filter.occurredFrom', 'filter.occurredTo', 'first', 'after'],
  communityReports: [
    'filter.regionCode',
    'filter.category',
    'filter.reportedFrom',
    'filter.reportedTo',
    'first',
    'after',
  ],
  communityReportStatistics: ['regionCode', 'reportedFrom', 'reportedTo', 'groupBy'],
  meetingBrief: ['regionCode', 'meetingDate', 'periodStart'],
};

/**
 * Operations each partner may run, by partner institution code (`*`: every partner). The
 * documents are the trusted documents in `schema/operations/partner/<name>.graphql`; a partner
 * can run nothing else, whatever scopes its credential holds.
 */
export const PARTNER_OPERATIONS: Record<string, readonly string[]> = {
  '*': [
    'VerifyStayPermit',
    'VerifyStayPermitWithReason',
    'ForeignerCountsByNationality',
    'ForeignerCountsByNationalityWithSuppression',
  ],
};

/** Scopes a partner credential carries when none are written into it. */
export const PARTNER_DEFAULT_SCOPES: readonly Scope[] = defaultScopes('PARTNER');
