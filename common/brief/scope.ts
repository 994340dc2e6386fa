/**
 * What a meeting brief covers (`Query.meetingBrief`, common/brief/meeting-brief.graphql): the
 * regencies (kabupaten/kota) of the region asked for that lie in the caller's jurisdiction, and
 * the time zone every date of the brief is judged in. The three subgraphs read the region the same
 * way: immigration when the brief is asked for, the police and the local government from the
 * entity the gateway passes them.
 */
import { coversRegion, isNational } from '../auth/jurisdiction.js';
import type { Caller } from '../auth/tokens.js';
import { ForbiddenError, InputError } from '../errors.js';
import { message } from '../i18n/language.js';
import { regionContains, regionLevelOf, type RegionDirectory, type RegionRecord } from '../regions.js';
import { timeZoneOfRegion, type RegionTimeZone } from '../time-zones.js';

/**
 * The most regencies one brief covers: the largest province has 38 (test/brief checks it against
 * the official tree). The cost limit counts every per-regency list of the brief at this size.
 */
export const MAX_BRIEF_REGENCIES = 40;

export interface BriefScope {
  /** The codes as asked, deduplicated, in the order given. */
  asked: string[];
  /** The regencies reported on, in code order. */
  regencies: RegionRecord[];
  /** The time zone of every regency (a brief spans one). */
  zone: RegionTimeZone;
}

/** Does the caller's jurisdiction reach into the regency (the whole of it, or a district of it)? */
function reaches(caller: Caller, regency: string): boolean {
  return (
    isNational(caller) || coversRegion(caller, regency) || caller.jurisdiction.some((p) => regionContains(regency, p))
  );
}

/**
 * The regencies of `regionCode` (a province, a regency, or regencies joined by commas) that the
 * caller's jurisdiction reaches. `BAD_USER_INPUT` on `field` for a code that is not a province or
 * regency of the official list, or regions in two time zones; `FORBIDDEN` when the jurisdiction
 * reaches none of them.
 */
export function briefScope(
  regionCode: string,
  regions: RegionDirectory,
  caller: Caller,
  field = 'regionCode',
): BriefScope {
  const asked = [
    ...new Set(
      regionCode
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
  if (asked.length === 0) throw new InputError(field, message('brief.noRegion'));
  if (asked.length > 100) throw new InputError(field, message('brief.tooManyCodes', { max: 100 }));
  const regencies = new Map<string, RegionRecord>();
  for (const code of asked) {
    const level = regionLevelOf(code);
    const region = regions.get(code);
    if (!region || (level !== 'PROVINCE' && level !== 'REGENCY')) {
      throw new InputError(
        field,
        region
          ? message('brief.notProvinceOrRegency', { code, level: message(`level.${level!}`) })
          : message('brief.unknownRegion', { code }),
      );
    }
    for (const regency of level === 'PROVINCE' ? regions.childrenOf(code) : [region]) {
      regencies.set(regency.code, regency);
    }
  }
  if (regencies.size > MAX_BRIEF_REGENCIES) {
    throw new InputError(field, message('brief.tooManyRegencies', { count: regencies.size, max: MAX_BRIEF_REGENCIES }));
  }
  const zones = new Set([...regencies.keys()].map((c) => timeZoneOfRegion(c)));
  if (zones.size > 1) {
    throw new InputError(
      field,
      message('brief.severalZones', { zones: [...zones].map((z) => z.abbreviation).join(', ') }),
    );
  }
  const reached = [...regencies.values()].filter((r) => reaches(caller, r.code));
  if (reached.length === 0) {
    throw new ForbiddenError(
      message('forbidden.regionOutsideJurisdiction', {
        field,
        code: asked.join(', '),
        agency: caller.agency,
        jurisdiction: caller.jurisdiction.join(', '),
      }),
      { field },
    );
  }
  reached.sort((a, b) => a.code.localeCompare(b.code));
  return { asked, regencies: reached, zone: [...zones][0]! };
}

/** `rows` (counts keyed by regency code) as one count per regency of the brief, zeros included. */
export function perRegency(
  scope: BriefScope,
  counts: ReadonlyMap<string, number>,
): { regionCode: string; regionName: string; count: number }[] {
  return scope.regencies.map((r) => ({ regionCode: r.code, regionName: r.name, count: counts.get(r.code) ?? 0 }));
}

/** A holder of an ITAS or ITAP in force as immigration passes it (`MeetingBrief.registrationHolders`). */
export interface RegistrationHolder {
  regency: string;
  permitType: string;
  foreignerId: string;
}

export function encodeHolder(h: RegistrationHolder): string {
  return `${h.regency} ${h.permitType} ${h.foreignerId}`;
}

export function decodeHolder(value: string): RegistrationHolder | null {
  const [regency, permitType, foreignerId] = value.split(' ');
  return regency && permitType && foreignerId ? { regency, permitType, foreignerId } : null;
}

/**
 * Registration gaps per regency: each holder judged by `compliance` (the subgraph's own
 * `registrationCompliance` from its certificates), counted by outcome.
 */
export function registrationGaps(
  scope: BriefScope,
  holders: readonly (string | null)[] | null | undefined,
  compliance: (holder: RegistrationHolder) => string | null,
): { regionCode: string; regionName: string; holders: number; missing: number; expired: number }[] {
  const rows = new Map(
    scope.regencies.map((r) => [
      r.code,
      { regionCode: r.code, regionName: r.name, holders: 0, missing: 0, expired: 0 },
    ]),
  );
  for (const value of holders ?? []) {
    const holder = value ? decodeHolder(value) : null;
    const row = holder ? rows.get(holder.regency) : undefined;
    if (!holder || !row) continue;
    row.holders += 1;
    const outcome = compliance(holder);
    if (outcome === 'MISSING') row.missing += 1;
    else if (outcome === 'EXPIRED') row.expired += 1;
  }
  return [...rows.values()];
}

/** The instant a calendar date (stored as UTC midnight) starts in `zone`. */
export function startOfDayIn(zone: RegionTimeZone, date: Date): Date {
  return new Date(date.getTime() - zone.utcOffsetHours * 3600_000);
}

/**
 * Counts by regency and category (`rows`, from an aggregation) as the brief lists them: regencies in
 * code order, within each the largest category first, each category with its Indonesian label.
 */
export function categoryCounts(
  scope: BriefScope,
  rows: readonly { regency: string | null; category: string | null; count: number }[],
  label: (category: string) => string,
): { regionCode: string; regionName: string; category: string; categoryLabel: string; count: number }[] {
  const names = new Map(scope.regencies.map((r) => [r.code, r.name]));
  return rows
    .filter((r): r is { regency: string; category: string; count: number } =>
      Boolean(r.regency && r.category && names.has(r.regency)),
    )
    .map((r) => ({
      regionCode: r.regency,
      regionName: names.get(r.regency)!,
      category: r.category,
      categoryLabel: label(r.category),
      count: r.count,
    }))
    .sort(
      (a, b) => a.regionCode.localeCompare(b.regionCode) || b.count - a.count || a.category.localeCompare(b.category),
    );
}
