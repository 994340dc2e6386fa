/**
 * Row-level access: rows outside the caller's jurisdiction do not exist for the caller. Lists,
 * counts and statistics add the condition to the database query itself (filtering after it
 * would break pages and counts); lookups by key (the loaders) apply the same condition, as a
 * predicate, to the rows they read, so their query stays one `$in` on the key.
 */
import { ForbiddenError } from '../errors.js';
import { message } from '../i18n/language.js';
import { regionCondition, regionContains, type RegionFieldNames } from '../regions.js';
import type { Caller } from './tokens.js';

export function isNational(caller: Caller): boolean {
  return caller.jurisdiction.includes('*');
}

/**
 * The MongoDB condition "the row's region lies in the caller's jurisdiction", or null for a
 * national caller (no condition). Regions of one level are one `$in` on that level's ancestry
 * field (`{ domicileRegency: { $in: ['16.01', '16.08'] } }`); only regions of different levels
 * are joined by `$or`. The usual jurisdiction — one level — is thus a single indexed condition.
 */
export function jurisdictionCondition(caller: Caller, fields: RegionFieldNames): Record<string, unknown> | null {
  if (isNational(caller)) return null;
  const codesByField = new Map<string, string[]>();
  for (const prefix of new Set(caller.jurisdiction)) {
    const [field, code] = Object.entries(regionCondition(prefix, fields)!)[0]!;
    const codes = codesByField.get(field);
    if (codes) codes.push(code);
    else codesByField.set(field, [code]);
  }
  const conditions = [...codesByField].map(([field, codes]) => ({
    [field]: codes.length === 1 ? codes[0]! : { $in: codes },
  }));
  return conditions.length === 1 ? conditions[0]! : { $or: conditions };
}

/**
 * The same condition as {@link jurisdictionCondition}, as a test of one row (equality on the
 * ancestry field of each jurisdiction's level), or null for a national caller.
 */
export function jurisdictionPredicate(
  caller: Caller,
  fields: RegionFieldNames,
): ((row: Record<string, unknown>) => boolean) | null {
  if (isNational(caller)) return null;
  const conditions = caller.jurisdiction.map((prefix) => Object.entries(regionCondition(prefix, fields)!)[0]!);
  return (row) => conditions.some(([field, code]) => row[field] === code);
}

/** `filter` restricted to the caller's jurisdiction. */
export function withinJurisdiction<F extends object>(filter: F, caller: Caller, fields: RegionFieldNames): F {
  const condition = jurisdictionCondition(caller, fields);
  if (!condition) return filter;
  return (Object.keys(filter).length === 0 ? condition : { $and: [filter, condition] }) as F;
}

export function coversRegion(caller: Caller, code: string): boolean {
  return caller.jurisdiction.some((prefix) => regionContains(prefix, code));
}

/** Refuses a write about a region outside the caller's jurisdiction. */
export function requireJurisdiction(caller: Caller, code: string, field: string): void {
  if (!coversRegion(caller, code)) {
    throw new ForbiddenError(
      message('forbidden.regionOutsideJurisdiction', {
        field,
        code,
        agency: caller.agency,
        jurisdiction: caller.jurisdiction.join(', '),
      }),
      { field },
    );
  }
}
