/**
 * Reads and writes of foreigners and their immigration records. Every write validates its
 * whole input (and the existence of what it refers to) before the first write.
 */
import { randomUUID } from 'node:crypto';
import type { QueryFilter, PipelineStage } from 'mongoose';
import { z } from 'zod';
import { requireJurisdiction, withinJurisdiction } from '../../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { ForbiddenError, InputError } from '../../../../common/errors.js';
import { now } from '../../../../common/clock.js';
import { localized, message } from '../../../../common/i18n/language.js';
import { keysetPage, type PageArgs } from '../../../../common/pagination.js';
import {
  regionAncestryFields,
  regionCondition,
  regionLevelOf,
  type RegionDirectory,
  type RegionFieldNames,
} from '../../../../common/regions.js';
import {
  date,
  documentNumber,
  entityId,
  nationality,
  optionalText,
  parseInput,
  passportNumber,
  pastDate,
  pastInstant,
  regionCode,
  requireAfter,
  text,
} from '../../../../common/validation.js';
import { isDuplicateKey } from '../../../../common/db/errors.js';
import { ONE_REPLY } from '../../../../common/db/loaders.js';
import {
  exactFacts,
  largestFirst,
  protectedCounts,
  regionPathOf,
  ProtectedTable,
  type CountRecord,
} from '../../../../common/statistics/published-counts.js';
import { ProtectedTableCache } from '../../../../common/statistics/table-cache.js';
import {
  conditionByZone,
  timeZonesOfScope,
  formatCalendarDate,
  todayIn,
  todayInRegion,
  type RegionTimeZone,
} from '../../../../common/time-zones.js';
import { countryLabel, enumLabel, regionLabel } from '../../../../common/i18n/labels.js';
import { checkpointByCode } from '../checkpoints.js';
import { overstayCondition, summarizeCrossings } from './overstay.js';
import { POPULATIONS, populationDay, presentCondition, type Population } from './population.js';
import {
  ACTION_TYPES,
  CROSSING_DIRECTIONS,
  PERMIT_STATUSES,
  PERMIT_TYPES,
  SEXES,
  SPONSOR_TYPES,
  STAY_PURPOSES,
  type BorderCrossingDoc,
  type ForeignerDoc,
  type ForeignerModels,
  type PermitStatus,
  type PermitType,
  type PermitSummary,
  type StayPermitDoc,
} from '../models/foreigner.js';

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

export const STATISTICS_DIMENSIONS = ['NATIONALITY', 'PERMIT_TYPE', 'REGION'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];

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

/** Both conditions; an empty one adds nothing. */
function and(a: QueryFilter<ForeignerDoc>, b: QueryFilter<ForeignerDoc>): QueryFilter<ForeignerDoc> {
  return Object.keys(a).length === 0 ? b : { $and: [a, b] };
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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

/** The condition "the stored current permit is in force today" (status ACTIVE, not past its expiry). */
function permitInForce(today: Date): QueryFilter<ForeignerDoc> {
  return { 'currentPermit.status': 'ACTIVE', 'currentPermit.expiresAt': { $gte: today } };
}

/** The time zones of a scope of domiciles, with their provinces (see `timeZonesOfScope`). */
export type DomicileZones = ReadonlyMap<RegionTimeZone, readonly string[]>;

/** A condition built for one "today", judged on the calendar day of each foreigner's domicile. */
type ByZone = (build: (today: Date) => QueryFilter<ForeignerDoc>) => QueryFilter<ForeignerDoc>;

/** Judges conditions per zone of `zones` at the instant `at` (see `conditionByZone`). */
function byZone(zones: DomicileZones, at: Date): ByZone {
  return (build) => conditionByZone(zones, DOMICILE_FIELDS.province, build, at) as QueryFilter<ForeignerDoc>;
}

/**
 * The conditions of a foreigner filter. Permit status and overstay are judged on the calendar
 * day of each foreigner's domicile: in the filter's region's zone, or, without a region, per
 * zone of `zones` (the caller's jurisdiction, `timeZonesOfScope`), by `conditionByZone`.
 */
export function foreignerQueryFilter(
  filter: ForeignerFilterInput | null | undefined,
  zones: DomicileZones,
): QueryFilter<ForeignerDoc> {
  const f = parseInput(filterSchema, filter ?? {}, 'filter');
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
  if (f.nameContains) conditions.push({ fullName: { $regex: escapeRegex(f.nameContains), $options: 'i' } });
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? conditions[0]! : { $and: conditions };
}

const registerSchema = (regions: RegionDirectory) =>
  z.object({
    fullName: text(200),
    nationality,
    sex: z.enum(SEXES),
    dateOfBirth: pastDate.refine((d) => d.getUTCFullYear() >= 1900, 'must be after 1900'),
    passportNumber,
    domicileRegionCode: regionCode(regions),
  });

const issuePermitSchema = z.object({
  foreignerId: entityId,
  number: documentNumber,
  type: z.enum(PERMIT_TYPES),
  purpose: z.enum(STAY_PURPOSES),
  issuedAt: pastDate,
  expiresAt: date,
  issuingOffice: text(200),
  sponsor: z.object({ name: text(200), type: z.enum(SPONSOR_TYPES), address: optionalText(300) }).nullish(),
});

const crossingSchema = z.object({
  foreignerId: entityId,
  direction: z.enum(CROSSING_DIRECTIONS),
  checkpointCode: z
    .string()
    .refine((c) => checkpointByCode(c) !== undefined, 'is not a known immigration checkpoint (TPI)'),
  crossedAt: pastInstant,
  carrier: optionalText(100),
});

const actionSchema = z.object({
  foreignerId: entityId,
  type: z.enum(ACTION_TYPES),
  decidedAt: pastDate,
  reason: text(1000),
  office: text(200),
});

/** The latest-expiring permit, copied onto the foreigner for filters and statistics. */
function summarize(permits: StayPermitDoc[]): PermitSummary | null {
  const latest = permits.reduce<StayPermitDoc | null>(
    (best, p) => (!best || p.expiresAt > best.expiresAt ? p : best),
    null,
  );
  return latest ? { number: latest._id, type: latest.type, status: latest.status, expiresAt: latest.expiresAt } : null;
}

/** The values of the presence dimension of the protected table; its total is the registered population. */
const PRESENCE = { present: 'PRESENT', notPresent: 'NOT_PRESENT' } as const;

/** Callers holding it may list the foreigners themselves, and so get exact counts. */
const EXACT_COUNTS_SCOPE = 'identity:read';

type CountRow = { _id: Record<string, string | null> | null; count: number };

export class ForeignerService {
  private readonly registerSchema;
  private readonly tables = new ProtectedTableCache();
  private readonly provinceCodes: readonly string[];

  constructor(
    private readonly models: ForeignerModels,
    private readonly regions: RegionDirectory,
    /** Smallest count shown to callers without {@link EXACT_COUNTS_SCOPE} (`STATS_MIN_CELL`). */
    private readonly minCell = 5,
  ) {
    this.registerSchema = registerSchema(regions);
    this.provinceCodes = regions.childrenOf(null).map((p) => p.code);
  }

  /** The time zones of the caller's jurisdiction, or of `regionCode` (already validated) when given. */
  private zonesOf(caller: Caller, regionCode?: string | null): DomicileZones {
    return timeZonesOfScope(regionCode ? [regionCode] : caller.jurisdiction, this.provinceCodes);
  }

  /**
   * A page of foreigners in `_id` order (keyset: after the cursor's id), and their count. A
   * region filter and the jurisdiction are equalities or `$in` on ancestry fields, each served
   * by a `{ field: 1, _id: 1 }` index.
   */
  async list(filter: ForeignerFilterInput | null | undefined, page: PageArgs, caller: Caller) {
    const query = withinJurisdiction(foreignerQueryFilter(filter, this.zonesOf(caller)), caller, DOMICILE_FIELDS);
    return keysetPage(this.models.Foreigner, query, page);
  }

  /**
   * Counts of foreigners in a region by the requested dimensions, of the population asked for
   * (population.ts), judged on `asOf`: today in the region's time zone. Exact for callers who may
   * list the foreigners themselves (`identity:read`, whose `foreigners { totalCount }` answers
   * the same); for everyone else read from the protected table of the caller's whole population
   * (docs/statistical-disclosure.md), so that no figure below the threshold is shown or derivable.
   * Presence is a dimension of that table (registered = its total), so the registered and present
   * figures are protected together and their difference is no more revealing than either.
   */
  async statistics(
    regionCodeValue: string | null | undefined,
    groupBy: readonly StatisticsDimension[],
    caller: Caller,
    population: Population = 'REGISTERED',
  ) {
    const region = regionCodeValue ? domicileRegionCondition(regionCodeValue, 'regionCode') : {};
    const zones = this.zonesOf(caller, regionCodeValue);
    const at = now();
    const asOf = populationDay(zones, at);
    const judge = byZone(zones, at);
    // the days the scope's zones are on: a new day in any zone is a new table
    const days = [...new Set([...zones.keys()].map((zone) => formatCalendarDate(todayIn(zone, at))))].join(',');
    const dimensions = [...new Set(groupBy)];
    const byNationality = dimensions.includes('NATIONALITY');
    const byPermitType = dimensions.includes('PERMIT_TYPE');
    const byRegion = dimensions.includes('REGION');
    const answer = {
      regionCode: regionCodeValue ?? null,
      regionName: regionLabel(this.regions, regionCodeValue ?? null),
      population,
      asOf,
    };
    if (!caller.scopes.has(EXACT_COUNTS_SCOPE)) {
      const table = await this.tables.get(
        caller,
        async () => new ProtectedTable(await this.populationCounts(caller, judge), 3, this.minCell),
        days,
      );
      const counts = protectedCounts(table, regionCodeValue, byRegion, [
        byNationality,
        byPermitType,
        population === 'PRESENT' ? PRESENCE.present : false,
      ]);
      return {
        ...counts,
        ...answer,
        groups: counts.groups.map((g) =>
          this.named({
            nationality: g.values[0] ?? null,
            permitType: (g.values[1] ?? null) as PermitType | null,
            regionCode: g.regionCode,
            count: g.count,
          }),
        ),
      };
    }
    const match = and(
      withinJurisdiction(region, caller, DOMICILE_FIELDS),
      population === 'PRESENT' ? judge(presentCondition) : {},
    );
    const level = regionCodeValue ? regionLevelOf(regionCodeValue) : null;
    const regionField = {
      null: '$domicileProvince',
      PROVINCE: '$domicileRegency',
      REGENCY: '$domicileDistrict',
      DISTRICT: '$domicileRegionCode',
      VILLAGE: '$domicileRegionCode',
    }[level ?? 'null'];
    const key: Record<string, string> = {};
    if (byNationality) key.nationality = '$nationality';
    if (byRegion) key.regionCode = regionField;
    const rows = await this.countByPermitType(match, key, byPermitType, judge);
    const groups = dimensions.length
      ? largestFirst(
          rows.map((r) =>
            this.named({
              nationality: r._id?.nationality ?? null,
              permitType: (r._id?.permitType ?? null) as PermitType | null,
              regionCode: r._id?.regionCode ?? null,
              count: r.count,
            }),
          ),
        )
      : [];
    const total = rows.reduce((sum, r) => sum + r.count, 0);
    return { ...answer, total, groups, ...exactFacts() };
  }

  /** A statistics group with the names an officer reads beside its codes. */
  private named(group: {
    nationality: string | null;
    permitType: PermitType | null;
    regionCode: string | null;
    count: number;
  }) {
    return {
      ...group,
      nationalityName: group.nationality ? countryLabel(group.nationality) : null,
      permitTypeLabel: group.permitType ? enumLabel('StayPermitType', group.permitType) : null,
      regionName: regionLabel(this.regions, group.regionCode),
    };
  }

  /**
   * Foreigners matching `condition` counted by `groupKey` and, when asked, by the type of the
   * permit in force: FerretDB's $group takes no $cond, so foreigners with a permit in force and
   * those without are counted apart (the second under a null type). "In force" is judged by
   * `judge`: on the calendar day of each foreigner's domicile, per time zone.
   */
  private async countByPermitType(
    condition: QueryFilter<ForeignerDoc>,
    groupKey: Record<string, string>,
    byPermitType: boolean,
    judge: ByZone,
  ): Promise<CountRow[]> {
    if (!byPermitType) return this.count(condition, groupKey);
    const inForce = judge(permitInForce);
    const [withPermit, without] = await Promise.all([
      this.count(and(condition, inForce), { ...groupKey, permitType: '$currentPermit.type' }),
      this.count(and(condition, { $nor: [inForce] }), groupKey),
    ]);
    return [...withPermit, ...without];
  }

  /**
   * Foreigners matching `filter` (as `foreigners(filter)` reads it, in the caller's jurisdiction)
   * living in each of `regencies`, counted by regency in one aggregation: a meeting brief's
   * `totalCount`s of `foreigners(filter: { regionCode: <regency>, … })`, for every regency at once.
   */
  async countByRegency(
    filter: ForeignerFilterInput,
    regencies: readonly string[],
    caller: Caller,
  ): Promise<Map<string, number>> {
    const match = withinJurisdiction(
      and(foreignerQueryFilter(filter, this.zonesOf(caller)), { domicileRegency: { $in: [...regencies] } }),
      caller,
      DOMICILE_FIELDS,
    );
    const rows = await this.models.Foreigner.aggregate<{ _id: string | null; count: number }>([
      { $match: match },
      { $group: { _id: '$domicileRegency', count: { $sum: 1 } } },
    ]).exec();
    return new Map(rows.filter((r) => r._id).map((r) => [r._id!, r.count]));
  }

  /**
   * Holders of an ITAS or ITAP present in `regencies` (in the caller's jurisdiction), as
   * `foreigners(filter: { permitTypes: [LIMITED_STAY, PERMANENT_STAY], population: PRESENT })`
   * lists them: their id, regency and permit type only.
   */
  async registrationHolders(
    regencies: readonly string[],
    caller: Caller,
  ): Promise<{ _id: string; domicileRegency: string; permitType: string }[]> {
    const filter = { permitTypes: ['LIMITED_STAY', 'PERMANENT_STAY'] as const, population: 'PRESENT' as const };
    const match = withinJurisdiction(
      and(foreignerQueryFilter(filter, this.zonesOf(caller)), { domicileRegency: { $in: [...regencies] } }),
      caller,
      DOMICILE_FIELDS,
    );
    const rows = await this.models.Foreigner.find(match, { _id: 1, domicileRegency: 1, 'currentPermit.type': 1 })
      .batchSize(ONE_REPLY)
      .lean<ForeignerDoc[]>()
      .exec();
    return rows.map((r) => ({
      _id: r._id,
      domicileRegency: r.domicileRegency ?? '',
      permitType: r.currentPermit?.type ?? '',
    }));
  }

  /** Foreigners matching `condition`, counted by `groupKey` (one aggregation). */
  private count(condition: QueryFilter<ForeignerDoc>, groupKey: Record<string, string>): Promise<CountRow[]> {
    const pipeline: PipelineStage[] = [
      { $match: condition },
      { $group: { _id: Object.keys(groupKey).length ? groupKey : null, count: { $sum: 1 } } },
    ];
    return this.models.Foreigner.aggregate<CountRow>(pipeline).exec();
  }

  /**
   * The caller's whole population (its jurisdiction) by domicile region, nationality, permit type
   * in force on `today` and presence on `today`. Present foreigners all hold a permit in force;
   * the rest are those in force who left (last crossing an exit) and those without a permit in
   * force — three aggregations, as $group takes no $cond.
   */
  private async populationCounts(caller: Caller, judge: ByZone): Promise<CountRecord[]> {
    const key = {
      province: '$domicileProvince',
      regency: '$domicileRegency',
      district: '$domicileDistrict',
      code: '$domicileRegionCode',
      nationality: '$nationality',
    };
    const everyone = withinJurisdiction({}, caller, DOMICILE_FIELDS);
    const withType = { ...key, permitType: '$currentPermit.type' };
    const [present, left, without] = await Promise.all([
      this.count(and(everyone, judge(presentCondition)), withType),
      this.count(and(everyone, and(judge(permitInForce), { 'lastCrossing.direction': 'EXIT' })), withType),
      this.count(and(everyone, { $nor: [judge(permitInForce)] }), key),
    ]);
    const records = (rows: CountRow[], presence: string): CountRecord[] =>
      rows.map((r) => ({
        region: regionPathOf(r._id ?? {}, {
          province: 'province',
          regency: 'regency',
          district: 'district',
          code: 'code',
        }),
        values: [r._id?.nationality ?? null, r._id?.permitType ?? null, presence],
        count: r.count,
      }));
    return [
      ...records(present, PRESENCE.present),
      ...records(left, PRESENCE.notPresent),
      ...records(without, PRESENCE.notPresent),
    ];
  }

  /** The foreigner of a subject-access report: it must exist and live in the caller's jurisdiction. */
  subjectOf(id: string, caller: Caller): Promise<ForeignerDoc> {
    return this.requireForeigner(id, caller, 'foreignerId');
  }

  /** The foreigner a write is about: it must exist and live in the caller's jurisdiction. */
  private async requireForeigner(id: string, caller: Caller, field = 'input.foreignerId'): Promise<ForeignerDoc> {
    const foreigner = await this.models.Foreigner.findById(id).lean<ForeignerDoc>().exec();
    if (!foreigner) throw new InputError(field, message('input.unknownForeigner', { id }));
    try {
      requireJurisdiction(caller, foreigner.domicileRegionCode, field);
    } catch {
      throw new ForbiddenError(message('forbidden.foreignerOutsideJurisdiction', { field, agency: caller.agency }), {
        field,
      });
    }
    return foreigner;
  }

  async register(input: unknown, caller: Caller): Promise<ForeignerDoc> {
    const v = parseInput(this.registerSchema, input);
    requireJurisdiction(caller, v.domicileRegionCode, 'input.domicileRegionCode');
    const existing = await this.models.Foreigner.findOne({ passportNumber: v.passportNumber }).lean().exec();
    if (existing) throw new InputError('input.passportNumber', message('input.passportTaken'));
    const doc = {
      _id: randomUUID(),
      ...v,
      ...regionAncestryFields(v.domicileRegionCode, DOMICILE_FIELDS),
      currentPermit: null,
      lastCrossing: null,
      createdAt: new Date(),
    } as ForeignerDoc;
    try {
      await this.models.Foreigner.create(doc);
    } catch (e) {
      if (isDuplicateKey(e)) throw new InputError('input.passportNumber', message('input.passportTaken'));
      throw e;
    }
    this.tables.clear();
    return doc;
  }

  async issuePermit(input: unknown, caller: Caller): Promise<{ permit: StayPermitDoc; foreignerId: string }> {
    const v = parseInput(issuePermitSchema, input);
    requireAfter(v.issuedAt, v.expiresAt, 'input.expiresAt', 'issuedAt');
    await this.requireForeigner(v.foreignerId, caller);
    if (await this.models.StayPermit.exists({ _id: v.number })) {
      throw new InputError('input.number', message('input.permitNumberTaken'));
    }
    const permit: StayPermitDoc = {
      _id: v.number,
      foreignerId: v.foreignerId,
      type: v.type,
      purpose: v.purpose,
      issuedAt: v.issuedAt,
      expiresAt: v.expiresAt,
      status: 'ACTIVE',
      issuingOffice: v.issuingOffice,
      sponsor: v.sponsor ? { ...v.sponsor, address: v.sponsor.address ?? null } : null,
    };
    try {
      await this.models.StayPermit.create(permit);
    } catch (e) {
      if (isDuplicateKey(e)) throw new InputError('input.number', message('input.permitNumberTaken'));
      throw e;
    }
    await this.refreshPermitSummary(v.foreignerId);
    return { permit, foreignerId: v.foreignerId };
  }

  /**
   * Recomputes the permit summary stored on the foreigner from the permits themselves. The
   * permits are the record; the summary is derived, so re-running this repairs it.
   */
  async refreshPermitSummary(foreignerId: string): Promise<void> {
    const permits = await this.models.StayPermit.find({ foreignerId }).lean<StayPermitDoc[]>().exec();
    await this.models.Foreigner.updateOne({ _id: foreignerId }, { $set: { currentPermit: summarize(permits) } }).exec();
    this.tables.clear();
  }

  async recordCrossing(input: unknown, caller: Caller) {
    const v = parseInput(crossingSchema, input);
    const foreigner = await this.requireForeigner(v.foreignerId, caller);
    const checkpoint = checkpointByCode(v.checkpointCode)!;
    const doc = {
      _id: randomUUID(),
      foreignerId: v.foreignerId,
      direction: v.direction,
      checkpointCode: checkpoint.code,
      checkpointName: checkpoint.name,
      crossedAt: v.crossedAt,
      carrier: v.carrier ?? null,
    };
    await this.models.BorderCrossing.create(doc);
    await this.noteCrossing(foreigner, doc);
    return doc;
  }

  /**
   * Moves the crossing summary on the foreigner (its latest crossing) forward to a crossing
   * just recorded, by one `_id` update and without reading the foreigner's crossings. A
   * crossing recorded late, older than the latest, leaves the summary alone; the condition in
   * the update keeps a concurrent later crossing from being overwritten. A foreigner written
   * before summaries existed gets the full recomputation.
   */
  private async noteCrossing(foreigner: ForeignerDoc, crossing: BorderCrossingDoc): Promise<void> {
    if (foreigner.lastCrossing === undefined) return this.refreshCrossingSummary(foreigner._id);
    if (foreigner.lastCrossing && foreigner.lastCrossing.crossedAt > crossing.crossedAt) return;
    await this.models.Foreigner.updateOne(
      {
        _id: foreigner._id,
        $or: [{ lastCrossing: null }, { 'lastCrossing.crossedAt': { $lte: crossing.crossedAt } }],
      },
      { $set: { lastCrossing: { direction: crossing.direction, crossedAt: crossing.crossedAt } } },
    ).exec();
  }

  /**
   * Recomputes the crossing summary stored on the foreigner (its latest crossing) from the
   * crossings themselves; re-running it repairs the summary.
   */
  async refreshCrossingSummary(foreignerId: string): Promise<void> {
    const crossings = await this.models.BorderCrossing.find({ foreignerId }).lean<BorderCrossingDoc[]>().exec();
    await this.models.Foreigner.updateOne(
      { _id: foreignerId },
      { $set: { lastCrossing: summarizeCrossings(crossings) } },
    ).exec();
  }

  /**
   * Stores the crossing summary on foreigners written before foreigners carried one (a
   * database seeded by an earlier version). Two reads, then one `_id` update per such
   * foreigner, one at a time: FerretDB's SQLite backend commits every write on its own (tens
   * of milliseconds each) and parallel writers only contend. A foreigner whose summary a new
   * crossing has set meanwhile is left alone. Returns how many foreigners it updated.
   */
  async backfillCrossingSummaries(): Promise<number> {
    const legacy = await this.models.Foreigner.find({ lastCrossing: { $exists: false } }, { _id: 1 })
      .batchSize(ONE_REPLY)
      .lean<{ _id: string }[]>()
      .exec();
    if (legacy.length === 0) return 0;
    const wanted = new Set(legacy.map((f) => f._id));
    const crossings = await this.models.BorderCrossing.find({}, { foreignerId: 1, direction: 1, crossedAt: 1 })
      .batchSize(ONE_REPLY)
      .lean<BorderCrossingDoc[]>()
      .exec();
    const byForeigner = new Map<string, BorderCrossingDoc[]>();
    for (const c of crossings) {
      if (!wanted.has(c.foreignerId)) continue;
      const list = byForeigner.get(c.foreignerId);
      if (list) list.push(c);
      else byForeigner.set(c.foreignerId, [c]);
    }
    for (const id of wanted) {
      await this.models.Foreigner.updateOne(
        { _id: id, lastCrossing: { $exists: false } },
        { $set: { lastCrossing: summarizeCrossings(byForeigner.get(id) ?? []) } },
      ).exec();
    }
    return wanted.size;
  }

  async recordAction(input: unknown, caller: Caller) {
    const v = parseInput(actionSchema, input);
    const foreigner = await this.requireForeigner(v.foreignerId, caller);
    const doc = { _id: randomUUID(), ...v };
    await this.models.ImmigrationAction.create(doc);
    if (v.type === 'PERMIT_REVOCATION' || v.type === 'DEPORTATION') {
      // a revocation or deportation ends every permit in force; expired ones stay expired
      await this.models.StayPermit.updateMany(
        {
          foreignerId: v.foreignerId,
          status: 'ACTIVE',
          expiresAt: { $gte: todayInRegion(foreigner.domicileRegionCode) },
        },
        { $set: { status: 'REVOKED' } },
      ).exec();
      await this.refreshPermitSummary(v.foreignerId);
    }
    return doc;
  }
}
