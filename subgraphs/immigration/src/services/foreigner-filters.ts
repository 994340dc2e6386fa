/**
 * The conditions of foreigner reads: the filter an officer gives (`ForeignerFilterInput`), the
 * domicile's region fields, and the time zones a scope spans, so that permit status and
 * overstay are judged on each foreigner's own calendar day. Used by the queries, the statistics,
 * the loaders and the benchmark's raw reads alike.
 */
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import type { Caller } from '../../../../common/auth/tokens.js';
import { InputError } from '../../../../common/errors.js';
import { now } from '../../../../common/clock.js';
import { localized, message } from '../../../../common/i18n/language.js';
import { nameContainsCondition } from '../../../../common/name-trigrams.js';
import { regionCondition, type RegionDirectory, type RegionFieldNames } from '../../../../common/regions.js';
import { date, nationality, parseInput } from '../../../../common/validation.js';
import { conditionByZone, timeZonesOfScope, type RegionTimeZone } from '../../../../common/time-zones.js';
import { overstayCondition } from './overstay.js';
import { POPULATIONS, presentCondition, type Population } from './population.js';
import { PERMIT_STATUSES, PERMIT_TYPES, type ForeignerDoc, type PermitStatus } from '../models/foreigner.js';

export interface ForeignerFilterInput {
  nationality?: string | null;
  regionCode?: string | null;
  permitType?: (typeof PERMIT_TYPES)[number] | null;
  permitStatus?: PermitStatus | null;
  permitTypes?: readonly (typeof PERMIT_TYPES)[number][] | null;
  permitExpiresBefore?: Date | null;
  overstaying?: boolean | null;
  nameContains?: string | null;
  population?: Population | null;
}

/**
 * Status of a permit on `today`, the calendar day in the time zone of its holder's domicile
 * (`todayInRegion`): an active permit past its last day is EXPIRED.
 */
export function permitStatusToday(permit: { status: PermitStatus; expiresAt: Date }, today: Date): PermitStatus {
  if (permit.status === 'ACTIVE' && permit.expiresAt < today) return 'EXPIRED';
  return permit.status;
}

export const DOMICILE_FIELDS: RegionFieldNames = {
  code: 'domicileRegionCode',
  province: 'domicileProvince',
  regency: 'domicileRegency',
  district: 'domicileDistrict',
};

export function domicileRegionCondition(code: string, field = 'filter.regionCode'): QueryFilter<ForeignerDoc> {
  const condition = regionCondition(code, DOMICILE_FIELDS);
  if (!condition) throw new InputError(field, message('input.regionNotACode', { code }));
  return condition;
}

/** Both conditions; an empty one adds nothing. `a` in the jurisdiction, so is the result. */
export function and<F extends QueryFilter<ForeignerDoc>>(a: F, b: QueryFilter<ForeignerDoc>): F {
  return (Object.keys(a).length === 0 ? b : { $and: [a, b] }) as F;
}

const filterSchema = z.object({
  nationality: nationality.nullish(),
  regionCode: z.string().nullish(),
  permitType: z.enum(PERMIT_TYPES).nullish(),
  permitStatus: z.enum(PERMIT_STATUSES).nullish(),
  permitTypes: z.array(z.enum(PERMIT_TYPES)).min(1, localized('input.atLeastOnePermitType')).nullish(),
  permitExpiresBefore: date.nullish(),
  overstaying: z.boolean().nullish(),
  nameContains: z.string().trim().min(2, localized('input.tooShort')).max(100).nullish(),
  population: z.enum(POPULATIONS).nullish(),
});

/** A foreigner filter as validated (`filter.*` input errors), the shape its conditions are built from. */
export type ParsedForeignerFilter = z.infer<typeof filterSchema>;

/** Validates an officer's filter; throws an `InputError` naming the offending field. */
export function parseForeignerFilter(filter: ForeignerFilterInput | null | undefined): ParsedForeignerFilter {
  return parseInput(filterSchema, filter ?? {}, 'filter');
}

/** The condition "the stored current permit is in force today" (status ACTIVE, not past its expiry). */
export function permitInForce(today: Date): QueryFilter<ForeignerDoc> {
  return { 'currentPermit.status': 'ACTIVE', 'currentPermit.expiresAt': { $gte: today } };
}

/** The time zones of a scope of domiciles, with their provinces (see `timeZonesOfScope`). */
export type DomicileZones = ReadonlyMap<RegionTimeZone, readonly string[]>;

/** A condition built for one "today", judged on the calendar day of each foreigner's domicile. */
export type ByZone = (build: (today: Date) => QueryFilter<ForeignerDoc>) => QueryFilter<ForeignerDoc>;

/** Judges conditions per zone of `zones` at the instant `at` (see `conditionByZone`). */
export function byZone(zones: DomicileZones, at: Date): ByZone {
  return (build) => conditionByZone(zones, DOMICILE_FIELDS.province, build, at) as QueryFilter<ForeignerDoc>;
}

/**
 * Whether name search may narrow by `nameTrigrams` (common/name-trigrams.ts): only once every
 * foreigner of the database carries them, i.e. once `NAME_TRIGRAMS_MIGRATION` is done, as this
 * process found it at start or ran it itself. Until then `nameContains` is the regex alone.
 */
export class NameTrigramReadiness {
  ready = false;
}

/**
 * The conditions of a foreigner filter. Permit status and overstay are judged on the calendar
 * day of each foreigner's domicile: in the filter's region's zone, or, without a region, per
 * zone of `zones` (the caller's jurisdiction, `timeZonesOfScope`), by `conditionByZone`.
 * `nameContains` narrows by the name's trigrams first when `nameTrigramsReady`
 * (`NameTrigramReadiness`), then checks the case-insensitive regex; the answer is the regex's.
 */
export function foreignerQueryFilter(
  filter: ForeignerFilterInput | null | undefined,
  zones: DomicileZones,
  nameTrigramsReady: boolean,
): QueryFilter<ForeignerDoc> {
  const f = parseForeignerFilter(filter);
  const conditions: QueryFilter<ForeignerDoc>[] = [];
  if (f.nationality) conditions.push({ nationality: f.nationality });
  if (f.regionCode) conditions.push(domicileRegionCondition(f.regionCode));
  const at = now();
  const inZones = (build: (today: Date) => QueryFilter<ForeignerDoc>) =>
    conditionByZone(
      f.regionCode ? timeZonesOfScope([f.regionCode], []) : zones,
      DOMICILE_FIELDS.province,
      build,
      at,
    ) as QueryFilter<ForeignerDoc>;
  if (f.permitType) conditions.push({ 'currentPermit.type': f.permitType });
  if (f.permitTypes) conditions.push({ 'currentPermit.type': { $in: [...new Set(f.permitTypes)] } });
  if (f.permitStatus) {
    conditions.push(
      f.permitStatus === 'REVOKED'
        ? { 'currentPermit.status': 'REVOKED' }
        : f.permitStatus === 'ACTIVE'
          ? inZones(permitInForce)
          : inZones((today) => ({ 'currentPermit.status': 'ACTIVE', 'currentPermit.expiresAt': { $lt: today } })),
    );
  }
  if (typeof f.overstaying === 'boolean') {
    conditions.push(
      inZones((today) => (f.overstaying ? overstayCondition(today) : { $nor: [overstayCondition(today)] })),
    );
  }
  if (f.population === 'PRESENT') conditions.push(inZones(presentCondition));
  if (f.permitExpiresBefore) conditions.push({ 'currentPermit.expiresAt': { $lt: f.permitExpiresBefore } });
  if (f.nameContains) conditions.push(nameContainsCondition(f.nameContains, nameTrigramsReady));
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? conditions[0]! : { $and: conditions };
}

/** The time zones of the caller's jurisdiction, or of `regionCode` (already validated) when given. */
export function domicileZones(
  provinceCodes: readonly string[],
  caller: Caller,
  regionCode?: string | null,
): DomicileZones {
  return timeZonesOfScope(regionCode ? [regionCode] : caller.jurisdiction, provinceCodes);
}

/** The codes of the provinces, which `domicileZones` spans for a national jurisdiction. */
export function provinceCodesOf(regions: RegionDirectory): readonly string[] {
  return regions.childrenOf(null).map((p) => p.code);
}
