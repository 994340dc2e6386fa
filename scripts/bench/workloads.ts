/**
 * The workloads of the benchmark (issue 9's targets), as GraphQL operations sent to either
 * gateway. The raw baseline (`raw-server.ts`) receives the very same request bodies and
 * dispatches on the operation name to the reads the subgraphs issue for that operation.
 */
import { findSavedOperation } from '../export/saved-operations.js';

export const WORKLOAD_NAMES = ['page', 'profile', 'stats', 'stats-permit', 'stats-district', 'gaps', 'name'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export interface Workload {
  name: WorkloadName;
  /** Short description for the report. */
  title: string;
  operationName: string;
  query: string;
  /**
   * Put under load by default. The two further statistics (by permit type alone, by district)
   * send the same kind of aggregation as (c) and are measured one request at a time only,
   * to keep a run's length manageable (`--load-all` loads them too).
   */
  loaded: boolean;
  /** Variables of the n-th request (the profile rotates over the seeded foreigners). */
  variables(n: number): Record<string, unknown>;
}

/** Page size of the cross-agency page workload. */
export const PAGE_SIZE = 100;

/** The regency of the page workload (Kabupaten Ogan Komering Ulu) and the province of the statistics. */
export const PAGE_REGION = '16.01';
export const STATS_REGION = '16';

/** A name fragment common in the seed (Wang, Hwang, Kwang…: Chinese and Korean names), for the name search. */
export const NAME_FRAGMENT = 'wang';

/**
 * (a) One page of foreigners living in a regency, with fields from all three subgraphs:
 * identity and the permit in force (immigration), SKLD and incidents (police), SKTT with its
 * region and employment (local government), and the total count.
 */
export const PAGE_QUERY = `query BenchForeignerPage($regionCode: String!, $first: Int!) {
  foreigners(filter: { regionCode: $regionCode }, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      fullName
      nationality
      sex
      dateOfBirth
      passportNumber
      domicileRegionCode
      currentPermit { number type status expiresAt sponsor { name } }
      selfReports { number validUntil }
      incidents { reportNumber category involvement status }
      residence { number address validUntil region { code name } }
      employment { employer position startedOn }
    }
  }
}`;

/**
 * (b) One foreigner's full cross-agency profile (the explorer's `ForeignerProfile` without the
 * incident narrative, which immigration may not read).
 */
export const PROFILE_QUERY = `query BenchForeignerProfile($id: ID!) {
  foreigner(id: $id) {
    id
    fullName
    nationality
    sex
    dateOfBirth
    passportNumber
    domicileRegionCode
    stayPermits { number type purpose issuedAt expiresAt status issuingOffice sponsor { name type } }
    currentPermit { number type expiresAt }
    borderCrossings { direction checkpointName crossedAt carrier }
    watchlist { type reason since until requestedBy }
    immigrationActions { type decidedAt reason office }
    selfReports { number validUntil issuingUnit }
    incidents { reportNumber category occurredAt involvement status }
    residence { number address validUntil region { code name level } }
    employment { employer employerSector position workPermitNumber startedOn endedOn }
    communityReports { category reportedAt status }
  }
}`;

/** (c) Statistics of a province by nationality and by the type of the permit in force. */
export const STATS_QUERY = `query BenchForeignerStatistics($regionCode: String!) {
  foreignerStatistics(regionCode: $regionCode, groupBy: [NATIONALITY, PERMIT_TYPE]) {
    regionCode
    total
    groups { nationality permitType count }
  }
}`;

/** (d) Statistics of the province by the type of the permit in force alone. */
export const STATS_PERMIT_QUERY = `query BenchStatisticsByPermitType($regionCode: String!) {
  foreignerStatistics(regionCode: $regionCode, groupBy: [PERMIT_TYPE]) {
    regionCode
    total
    groups { permitType count }
  }
}`;

/** (e) Statistics of a regency by district (`REGION`: one level below the requested region). */
export const STATS_DISTRICT_QUERY = `query BenchStatisticsByDistrict($regionCode: String!) {
  foreignerStatistics(regionCode: $regionCode, groupBy: [REGION]) {
    regionCode
    total
    groups { regionCode count }
  }
}`;

/**
 * (f) A page of the registration-gaps list: the explorer's saved `RegistrationGaps`
 * (`schema/operations/explorer/RegistrationGaps.graphql`, also the export's saved operation),
 * sent as saved. ITAS and ITAP holders with a permit in force, each judged by the police and
 * local government (`@requires` on immigration's permit facts).
 */
export const GAPS_OPERATION = findSavedOperation('RegistrationGaps');

/** (g) Name search: a page of foreigners whose name contains a fragment, with the permit in force. */
export const NAME_QUERY = `query BenchNameSearch($nameContains: String!, $first: Int!) {
  foreigners(filter: { nameContains: $nameContains }, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      fullName
      nationality
      dateOfBirth
      passportNumber
      domicileRegionCode
      currentPermit { number type status expiresAt }
    }
  }
}`;

/** The seeded id of foreigner `i` (0-based), as `scripts/seed/people.ts` writes it. */
export function foreignerId(i: number): string {
  return `WNA-${String(i + 1).padStart(6, '0')}`;
}

export function workloads(seedCount: number): Workload[] {
  // (a)–(g) of the report, in this order
  // a prime stride visits every foreigner before repeating, in an order that defeats caches
  const stride = 7919;
  return [
    {
      name: 'page',
      title: `page of ${PAGE_SIZE} foreigners in ${PAGE_REGION}, fields from all three subgraphs`,
      operationName: 'BenchForeignerPage',
      query: PAGE_QUERY,
      loaded: true,
      variables: () => ({ regionCode: PAGE_REGION, first: PAGE_SIZE }),
    },
    {
      name: 'profile',
      title: 'one foreigner’s full profile by id (ids rotate)',
      operationName: 'BenchForeignerProfile',
      query: PROFILE_QUERY,
      loaded: true,
      variables: (n) => ({ id: foreignerId((n * stride) % seedCount) }),
    },
    {
      name: 'stats',
      title: `statistics of province ${STATS_REGION} by nationality and permit type`,
      operationName: 'BenchForeignerStatistics',
      query: STATS_QUERY,
      loaded: true,
      variables: () => ({ regionCode: STATS_REGION }),
    },
    {
      name: 'stats-permit',
      title: `statistics of province ${STATS_REGION} by permit type`,
      operationName: 'BenchStatisticsByPermitType',
      query: STATS_PERMIT_QUERY,
      loaded: false,
      variables: () => ({ regionCode: STATS_REGION }),
    },
    {
      name: 'stats-district',
      title: `statistics of regency ${PAGE_REGION} by district`,
      operationName: 'BenchStatisticsByDistrict',
      query: STATS_DISTRICT_QUERY,
      loaded: false,
      variables: () => ({ regionCode: PAGE_REGION }),
    },
    {
      name: 'gaps',
      title: `registration gaps in ${PAGE_REGION}, first ${PAGE_SIZE} (saved \`RegistrationGaps\`)`,
      operationName: GAPS_OPERATION.name,
      query: GAPS_OPERATION.text,
      loaded: true,
      variables: () => ({ regionCode: PAGE_REGION, first: PAGE_SIZE }),
    },
    {
      name: 'name',
      title: `name search \`nameContains: "${NAME_FRAGMENT}"\`, first ${PAGE_SIZE}`,
      operationName: 'BenchNameSearch',
      query: NAME_QUERY,
      loaded: true,
      variables: () => ({ nameContains: NAME_FRAGMENT, first: PAGE_SIZE }),
    },
  ];
}

/** The JSON body of the n-th request of a workload. */
export function requestBody(workload: Workload, n: number, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    operationName: workload.operationName,
    query: workload.query,
    variables: { ...workload.variables(n), ...overrides },
  });
}
