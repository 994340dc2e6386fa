/**
 * Community reports about foreigners: listing with filters, and submission.
 */
import { randomUUID } from 'node:crypto';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import { requireJurisdiction, withinJurisdiction } from '../../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { InputError } from '../../../../common/errors.js';
import { afterFilter, pageWindow, toConnection, type PageArgs } from '../../../../common/pagination.js';
import { regionAncestryFields, regionCondition, type RegionDirectory } from '../../../../common/regions.js';
import { date, entityId, parseInput, pastDate, regionCode, text } from '../../../../common/validation.js';
import {
  REPORT_CATEGORIES,
  type CommunityReportDoc,
  type CommunityReportModels,
  type ReportCategory,
} from '../models/community-report.js';
import { RECORD_REGION_FIELDS } from '../models/region.js';

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

export function communityReportQueryFilter(
  filter: CommunityReportFilterInput | null | undefined,
): QueryFilter<CommunityReportDoc> {
  const f = parseInput(filterSchema, filter ?? {}, 'filter');
  const conditions: QueryFilter<CommunityReportDoc>[] = [];
  if (f.regionCode) {
    const condition = regionCondition(f.regionCode, RECORD_REGION_FIELDS);
    if (!condition) throw new InputError('filter.regionCode', `"${f.regionCode}" is not a region code such as 16.01`);
    conditions.push(condition);
  }
  if (f.category) conditions.push({ category: f.category });
  if (f.reportedFrom && f.reportedTo && f.reportedTo < f.reportedFrom) {
    throw new InputError('filter.reportedTo', 'must not be before reportedFrom');
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

export class CommunityReportService {
  private readonly submitSchema;

  constructor(
    private readonly models: CommunityReportModels,
    regions: RegionDirectory,
  ) {
    this.submitSchema = z.object({
      category: z.enum(REPORT_CATEGORIES),
      regionCode: regionCode(regions),
      reportedAt: pastDate,
      description: text(5000),
      reportedBy: text(200),
      foreignerId: entityId.nullish(),
    });
  }

  async list(filter: CommunityReportFilterInput | null | undefined, page: PageArgs, caller: Caller) {
    const query = withinJurisdiction(communityReportQueryFilter(filter), caller, RECORD_REGION_FIELDS);
    const window = pageWindow(page);
    const rows =
      window.limit === 0
        ? []
        : await this.models.CommunityReport.find(afterFilter(query, window))
            .sort({ _id: 1 })
            .limit(window.limit + 1)
            .batchSize(window.limit + 1)
            .lean<CommunityReportDoc[]>()
            .exec();
    return toConnection(
      rows,
      window,
      (r) => r._id,
      () => this.models.CommunityReport.countDocuments(query).exec(),
    );
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
    await this.models.CommunityReport.create(doc);
    return doc;
  }
}
