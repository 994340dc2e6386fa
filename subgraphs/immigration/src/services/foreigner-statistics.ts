/**
 * Statistics of foreigners: counts by nationality, permit type and region of a population
 * (population.ts), per regency for the meeting brief, and the registration holders; protected
 * against disclosure for callers who may not list the foreigners (docs/statistical-disclosure.md).
 */
import type { QueryFilter, PipelineStage } from 'mongoose';
import type { Caller } from '../../../../common/auth/tokens.js';
import type { InJurisdiction } from '../../../../common/db/jurisdiction-scope.js';
import { now } from '../../../../common/clock.js';
import { regionLevelOf, type RegionDirectory } from '../../../../common/regions.js';
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
import { formatCalendarDate, todayIn } from '../../../../common/time-zones.js';
import { countryLabel, enumLabel, regionLabel } from '../../../../common/i18n/labels.js';
import { populationDay, presentCondition, type Population } from './population.js';
import type { ForeignerDoc, PermitType } from '../models/foreigner.js';
import type { ImmigrationData } from '../data.js';
import { tallyQuery } from './foreigner-tallies.js';
import {
  domicileRegionCondition,
  foreignerQueryFilter,
  domicileZones,
  provinceCodesOf,
  and,
  permitInForce,
  byZone,
  type ForeignerFilterInput,
  type DomicileZones,
  type ByZone,
} from './foreigner-filters.js';

export const STATISTICS_DIMENSIONS = ['NATIONALITY', 'PERMIT_TYPE', 'REGION'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];

/** The values of the presence dimension of the protected table; its total is the registered population. */
const PRESENCE = { present: 'PRESENT', notPresent: 'NOT_PRESENT' } as const;

/** Callers holding it may list the foreigners themselves, and so get exact counts. */
const EXACT_COUNTS_SCOPE = 'identity:read';

type CountRow = { _id: Record<string, string | null> | null; count: number };

/** Reads of foreigners within one caller's jurisdiction. */
type ForeignerReads = ReturnType<ImmigrationData['foreigners']['for']>;

/** Counts of foreigners: exact for those who may list them, else read from the protected table (cached until a write). */
/**
 * The statistics' `$group`s keep a name filter (none asks for one today) on the regex alone: on
 * the embedded FerretDB a `$group` over `$match` (patch 0008) decodes every foreigner whole once
 * a filter path holds an array, as `nameTrigrams` does (see `ForeignerQueries.list`).
 */
const NAME_REGEX_ALONE = false;

export class ForeignerStatistics {
  private readonly tables = new ProtectedTableCache();
  private readonly provinceCodes: readonly string[];

  constructor(
    private readonly data: Pick<ImmigrationData, 'foreigners' | 'tallies'>,
    private readonly regions: RegionDirectory,
    /** Smallest count shown to callers without {@link EXACT_COUNTS_SCOPE} (`STATS_MIN_CELL`). */
    private readonly minCell = 5,
  ) {
    this.provinceCodes = provinceCodesOf(regions);
  }

  /** Forgets the protected tables: a write changed the population they count. */
  forget(): void {
    this.tables.clear();
  }

  /** The time zones of the caller's jurisdiction, or of `regionCode` (already validated) when given. */
  private zonesOf(caller: Caller, regionCode?: string | null): DomicileZones {
    return domicileZones(this.provinceCodes, caller, regionCode);
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
    const foreigners = this.data.foreigners.for(caller);
    const match = and(foreigners.where(region), population === 'PRESENT' ? judge(presentCondition) : {});
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
    const rows =
      (await this.tallied(caller, regionCodeValue, zones, population, dimensions)) ??
      (await this.countByPermitType(foreigners, match, key, byPermitType, judge));
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

  /**
   * The exact counts read from the counters (services/foreigner-tallies.ts) instead of every
   * foreigner of the region: the cells `tallyQuery` names, summed as asked. The rows are those
   * {@link countByPermitType} gives (a null type: no permit in force). Null — read the
   * foreigners — for a district or village ask (few foreigners), before every foreigner is
   * counted (the tallies' migration), for a jurisdiction finer than the cells, or when a zone's
   * cells cannot be trusted today (`settleDays`).
   */
  private async tallied(
    caller: Caller,
    regionCode: string | null | undefined,
    zones: DomicileZones,
    population: Population,
    dimensions: readonly StatisticsDimension[],
  ): Promise<CountRow[] | null> {
    const query = tallyQuery(regionCode, dimensions, population);
    const rows = query && (await this.data.tallies.sum<CountRow>(caller, query, zones.keys()));
    // a cell emptied by moves stays, at 0: a group of them is no group
    return rows ? rows.filter((r) => r.count > 0) : null;
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
    foreigners: ForeignerReads,
    condition: InJurisdiction<QueryFilter<ForeignerDoc>>,
    groupKey: Record<string, string>,
    byPermitType: boolean,
    judge: ByZone,
  ): Promise<CountRow[]> {
    if (!byPermitType) return this.count(foreigners, condition, groupKey);
    const inForce = judge(permitInForce);
    const [withPermit, without] = await Promise.all([
      this.count(foreigners, and(condition, inForce), { ...groupKey, permitType: '$currentPermit.type' }),
      this.count(foreigners, and(condition, { $nor: [inForce] }), groupKey),
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
    const foreigners = this.data.foreigners.for(caller);
    const match = foreigners.where(
      and(foreignerQueryFilter(filter, this.zonesOf(caller), NAME_REGEX_ALONE), {
        domicileRegency: { $in: [...regencies] },
      }),
    );
    const rows = await foreigners
      .aggregate<{ _id: string | null; count: number }>(match, [
        { $group: { _id: '$domicileRegency', count: { $sum: 1 } } },
      ])
      .exec();
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
    const foreigners = this.data.foreigners.for(caller);
    const match = foreigners.where(
      and(foreignerQueryFilter(filter, this.zonesOf(caller), NAME_REGEX_ALONE), {
        domicileRegency: { $in: [...regencies] },
      }),
    );
    const rows = await foreigners
      .find(match, { _id: 1, domicileRegency: 1, 'currentPermit.type': 1 })
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
  private count(
    foreigners: ForeignerReads,
    condition: InJurisdiction<QueryFilter<ForeignerDoc>>,
    groupKey: Record<string, string>,
  ): Promise<CountRow[]> {
    const group: PipelineStage = {
      $group: { _id: Object.keys(groupKey).length ? groupKey : null, count: { $sum: 1 } },
    };
    return foreigners.aggregate<CountRow>(condition, [group]).exec();
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
    const foreigners = this.data.foreigners.for(caller);
    const everyone = foreigners.where({});
    const withType = { ...key, permitType: '$currentPermit.type' };
    const [present, left, without] = await Promise.all([
      this.count(foreigners, and(everyone, judge(presentCondition)), withType),
      this.count(foreigners, and(everyone, and(judge(permitInForce), { 'lastCrossing.direction': 'EXIT' })), withType),
      this.count(foreigners, and(everyone, { $nor: [judge(permitInForce)] }), key),
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
}
