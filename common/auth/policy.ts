/**
 * The access policy of PRODUCT.md §4, in one place: agency types, the scopes (field groups)
 * and which scopes each agency type holds by default. Tokens, permissions and docs derive
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
  'PARTNER',
  'AUDITOR',
] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

/** Agency types that are TIMPORA member institutions (everyone except partners and auditors). */
export const MEMBER_AGENCY_TYPES = AGENCY_TYPES.filter(
  (t): t is Exclude<AgencyType, 'PARTNER' | 'AUDITOR'> => t !== 'PARTNER' && t !== 'AUDITOR',
);

const ALL_MEMBERS: readonly AgencyType[] = MEMBER_AGENCY_TYPES;

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
  'employment:read': { covers: 'employment', grantedTo: ['LOCAL_GOVERNMENT', 'IMMIGRATION'] },
  'community:read': { covers: 'community reports', grantedTo: ALL_MEMBERS },
  'stats:read': { covers: 'aggregate counts', grantedTo: [...ALL_MEMBERS, 'PARTNER', 'AUDITOR'] },
  'audit:read': { covers: 'access log', grantedTo: ['AUDITOR'] },
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
