/**
 * Community reports about foreigners: listing with filters, and submission.
 */
import { randomUUID } from 'node:crypto';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import { requireJurisdiction } from '../../../../common/auth/jurisdiction.js';
import { countByRegencyAndCategory } from '../../../../common/brief/counts.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { InputError } from '../../../../common/errors.js';
import { message } from '../../../../common/i18n/language.js';
import { keysetPage, type PageArgs } from '../../../../common/pagination.js';
import {
  regionAncestryFields,
  regionCondition,
  regionLevelOf,
  type RegionDirectory,
} from '../../../../common/regions.js';
import { date, entityId, parseInput, pastInstant, regionCode, text } from '../../../../common/validation.js';
import {
  REPORT_CATEGORIES,
  type CommunityReportDoc,
  type ReportCategory,
  type ReportStatus,
} from '../models/community-report.js';
import { RECORD_REGION_FIELDS } from '../models/region.js';
import type { LocalGovernmentData } from '../data.js';
import { calendarYearIn, TIME_ZONES, timeZoneOfRegion } from '../../../../common/time-zones.js';
import { ProtectedTableCache } from '../../../../common/statistics/table-cache.js';
import { enumLabel, regionLabel } from '../../../../common/i18n/labels.js';
import {
  exactFacts,
  largestFirst,
  protectedCounts,
  regionPathOf,
  ProtectedTable,
  type CountRecord,
} from '../../../../common/statistics/published-counts.js';

export interface CommunityReportFilterInput {
  regionCode?: string | null;
  category?: ReportCategory | null;
  reportedFrom?: Date | null;
  reportedTo?: Date | null;
}

const filterSchema = z.object({
  regionCode: z.string().nullish(),
  category: z.enum(REPORT_CATEGORIES).nullish(),
  reportedFrom: date.nullish(),
  reportedTo: date.nullish(),
});

/**
 * The database condition of a filter. `argument` names where the conditions come from in the
 * operation (`filter`, or `''` when they are top-level arguments) for error paths.
 */
export function communityReportQueryFilter(
  filter: CommunityReportFilterInput | null | undefined,
  argument = 'filter',
): QueryFilter<CommunityReportDoc> {
  const at = (name: string) => (argument ? `${argument}.${name}` : name);
  const f = parseInput(filterSchema, filter ?? {}, argument);
  const conditions: QueryFilter<CommunityReportDoc>[] = [];
  if (f.regionCode) {
    const condition = regionCondition(f.regionCode, RECORD_REGION_FIELDS);
    if (!condition) throw new InputError(at('regionCode'), message('input.regionNotACode', { code: f.regionCode }));
    conditions.push(condition);
  }
  if (f.category) conditions.push({ category: f.category });
  if (f.reportedFrom && f.reportedTo && f.reportedTo < f.reportedFrom) {
    throw new InputError(at('reportedTo'), message('input.notBefore', { start: 'reportedFrom' }));
  }
  if (f.reportedFrom || f.reportedTo) {
    conditions.push({
      reportedAt: {
        ...(f.reportedFrom ? { $gte: f.reportedFrom } : {}),
        ...(f.reportedTo ? { $lte: f.reportedTo } : {}),
      },
    });
  }
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? conditions[0]! : { $and: conditions };
}

export const REPORT_DIMENSIONS = ['CATEGORY', 'STATUS', 'REGION'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export interface CommunityReportStatisticsArgs {
  regionCode?: string | null;
  reportedFrom?: Date | null;
  reportedTo?: Date | null;
  groupBy?: readonly ReportDimension[] | null;
}

interface ReportGroup {
  category: ReportCategory | null;
  status: ReportStatus | null;
  regionCode: string | null;
  count: number;
}

/** The stored field holding the region one level below a region of `code`'s level. */
function regionOneLevelDown(code: string | null | undefined): string {
  const level = code ? regionLevelOf(code) : null;
  switch (level) {
    case null:
      return '$regionProvince';
    case 'PROVINCE':
      return '$regionRegency';
    case 'REGENCY':
      return '$regionDistrict';
    default:
      return '$regionCode';
  }
}

/** Callers holding it may list the reports themselves, and so get exact counts. */
const EXACT_COUNTS_SCOPE = 'community:read';

const HOUR_MS = 3_600_000;

/**
 * The calendar year a period covers exactly, or null for no period; any other period is
 * refused to callers without {@link EXACT_COUNTS_SCOPE}. The bounds are the first and last
 * moment of the year in one time zone: the zone of the region asked (WIB for 16.01), any of
 * WIB, WITA and WIT, or UTC; whichever, the year is what it names, and each report is counted
 * in the year it was made in its own region's zone (`populationCounts`).
 */
function calendarYearOf(
  from: Date | null | undefined,
  to: Date | null | undefined,
  regionCodeValue: string | null | undefined,
): number | null {
  if (!from && !to) return null;
  const offsets = [0, ...Object.values(TIME_ZONES).map((z) => z.utcOffsetHours)];
  for (const offset of offsets) {
    const year = new Date((from ?? to)!.getTime() + offset * HOUR_MS).getUTCFullYear();
    const start = Date.UTC(year, 0, 1) - offset * HOUR_MS;
    const end = Date.UTC(year + 1, 0, 1) - offset * HOUR_MS;
    // the last second of the year, or its last millisecond, both end it
    const ends = to !== null && to !== undefined && (to.getTime() === end - 1000 || to.getTime() === end - 1);
    if (from?.getTime() === start && ends) return year;
  }
  const zone = regionCodeValue ? timeZoneOfRegion(regionCodeValue) : TIME_ZONES.WIB;
  const sign = `+${String(zone.utcOffsetHours).padStart(2, '0')}:00`;
  const year = new Date((from ?? to)!.getTime() + zone.utcOffsetHours * HOUR_MS).getUTCFullYear();
  const startsRight =
    from !== null &&
    from !== undefined &&
    offsets.some(
      (o) => from.getTime() === Date.UTC(new Date(from.getTime() + o * HOUR_MS).getUTCFullYear(), 0, 1) - o * HOUR_MS,
    );
  throw new InputError(
    startsRight ? 'reportedTo' : 'reportedFrom',
    message('input.calendarYearOnly', { year: String(year), zone: zone.abbreviation, sign }),
  );
}

export class CommunityReportService {
  private readonly submitSchema;
  private readonly tables = new ProtectedTableCache();

  constructor(
    private readonly data: LocalGovernmentData,
    private readonly regions: RegionDirectory,
    /** Smallest count shown to callers without {@link EXACT_COUNTS_SCOPE} (`STATS_MIN_CELL`). */
    private readonly minCell = 5,
  ) {
    this.submitSchema = z.object({
      category: z.enum(REPORT_CATEGORIES),
      regionCode: regionCode(regions),
      reportedAt: pastInstant,
      description: text(5000),
      reportedBy: text(200),
      foreignerId: entityId.nullish(),
    });
  }

  /** Reports matching `filter` in the caller's jurisdiction (as `list` reads them), counted by regency and category. */
  countByRegencyAndCategory(filter: CommunityReportFilterInput, regencies: readonly string[], caller: Caller) {
    const reports = this.data.communityReports.for(caller);
    const query = reports.where(communityReportQueryFilter(filter));
    return countByRegencyAndCategory(reports, query, RECORD_REGION_FIELDS.regency, regencies);
  }

  async list(filter: CommunityReportFilterInput | null | undefined, page: PageArgs, caller: Caller) {
    const reports = this.data.communityReports.for(caller);
    return keysetPage(reports, reports.where(communityReportQueryFilter(filter)), page);
  }

  /**
   * Counts of reports in a region and period, within the caller's jurisdiction, by the
   * requested dimensions. Exact for callers who may list the reports themselves
   * (`community:read`); for everyone else read from the protected table of the caller's whole
   * population by region, category, status and calendar year (docs/statistical-disclosure.md),
   * so a period must then be one whole calendar year: any other period would be a difference
   * of two published ones.
   */
  async statistics(args: CommunityReportStatisticsArgs, caller: Caller) {
    const filter = { regionCode: args.regionCode, reportedFrom: args.reportedFrom, reportedTo: args.reportedTo };
    // the conditions are top-level arguments here, not fields of a `filter`
    const reports = this.data.communityReports.for(caller);
    const match = reports.where(communityReportQueryFilter(filter, ''));
    const dimensions = [...new Set(args.groupBy ?? [])];
    const period = { reportedFrom: args.reportedFrom ?? null, reportedTo: args.reportedTo ?? null };
    if (!caller.scopes.has(EXACT_COUNTS_SCOPE)) {
      const year = calendarYearOf(args.reportedFrom, args.reportedTo, args.regionCode);
      const table = await this.tables.get(
        caller,
        async () => new ProtectedTable(await this.populationCounts(caller), 3, this.minCell),
      );
      const counts = protectedCounts(table, args.regionCode, dimensions.includes('REGION'), [
        dimensions.includes('CATEGORY'),
        dimensions.includes('STATUS'),
        year === null ? false : String(year),
      ]);
      return {
        ...counts,
        regionCode: args.regionCode ?? null,
        regionName: regionLabel(this.regions, args.regionCode ?? null),
        ...period,
        groups: counts.groups.map((g) =>
          this.named({
            category: (g.values[0] ?? null) as ReportCategory | null,
            status: (g.values[1] ?? null) as ReportStatus | null,
            regionCode: g.regionCode,
            count: g.count,
          }),
        ),
      };
    }
    const key: Record<string, string> = {};
    if (dimensions.includes('CATEGORY')) key.category = '$category';
    if (dimensions.includes('STATUS')) key.status = '$status';
    if (dimensions.includes('REGION')) key.regionCode = regionOneLevelDown(args.regionCode);
    const rows = await reports
      .aggregate<{
        _id: Partial<Record<'category' | 'status' | 'regionCode', string | null>> | null;
        count: number;
      }>(match, [{ $group: { _id: dimensions.length ? key : null, count: { $sum: 1 } } }])
      .exec();
    const groups: ReportGroup[] = dimensions.length
      ? largestFirst(
          rows.map((r) => ({
            category: (r._id?.category ?? null) as ReportCategory | null,
            status: (r._id?.status ?? null) as ReportStatus | null,
            regionCode: r._id?.regionCode ?? null,
            count: r.count,
          })),
        )
      : [];
    return {
      regionCode: args.regionCode ?? null,
      regionName: regionLabel(this.regions, args.regionCode ?? null),
      ...period,
      total: rows.reduce((sum, r) => sum + r.count, 0),
      groups: groups.map((g) => this.named(g)),
      ...exactFacts(),
    };
  }

  /** A statistics group with the names an officer reads beside its codes. */
  private named(group: ReportGroup) {
    return {
      ...group,
      categoryLabel: group.category ? enumLabel('CommunityReportCategory', group.category) : null,
      statusLabel: group.status ? enumLabel('CommunityReportStatus', group.status) : null,
      regionName: regionLabel(this.regions, group.regionCode),
    };
  }

  /** The caller's whole population of reports (its jurisdiction) by region, category, status and year. */
  private async populationCounts(caller: Caller): Promise<CountRecord[]> {
    const scope = this.data.communityReports.for(caller);
    const reports = await scope
      .find(scope.where({}), {
        _id: 0,
        regionProvince: 1,
        regionRegency: 1,
        regionDistrict: 1,
        regionCode: 1,
        category: 1,
        status: 1,
        reportedAt: 1,
      })
      .lean<CommunityReportDoc[]>()
      .exec();
    return reports.map((r) => ({
      region: regionPathOf(r as unknown as Record<string, unknown>, RECORD_REGION_FIELDS),
      // the year the report was made in its region's time zone (WIB, WITA or WIT)
      values: [r.category, r.status, String(calendarYearIn(timeZoneOfRegion(r.regionCode), r.reportedAt))],
      count: 1,
    }));
  }

  async submit(input: unknown, caller: Caller): Promise<CommunityReportDoc> {
    const v = parseInput(this.submitSchema, input);
    requireJurisdiction(caller, v.regionCode, 'input.regionCode');
    const doc = {
      _id: randomUUID(),
      category: v.category,
      ...regionAncestryFields(v.regionCode, RECORD_REGION_FIELDS),
      reportedAt: v.reportedAt,
      description: v.description,
      reportedBy: v.reportedBy,
      foreignerId: v.foreignerId ?? null,
      status: 'RECEIVED',
      createdAt: new Date(),
    } as CommunityReportDoc;
    await this.data.communityReports.writes.create(doc);
    this.tables.clear();
    return doc;
  }
}
