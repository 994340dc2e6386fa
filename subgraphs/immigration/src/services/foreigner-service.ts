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
import { startOfTodayUtc } from '../../../../common/dates.js';
import { afterFilter, pageWindow, toConnection, type PageArgs } from '../../../../common/pagination.js';
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
  regionCode,
  requireAfter,
  text,
} from '../../../../common/validation.js';
import { isDuplicateKey } from '../../../../common/db/errors.js';
import { checkpointByCode } from '../checkpoints.js';
import {
  ACTION_TYPES,
  CROSSING_DIRECTIONS,
  PERMIT_STATUSES,
  PERMIT_TYPES,
  SEXES,
  SPONSOR_TYPES,
  STAY_PURPOSES,
  type ForeignerDoc,
  type ForeignerModels,
  type PermitStatus,
  type PermitSummary,
  type StayPermitDoc,
} from '../models/foreigner.js';

export interface ForeignerFilterInput {
  nationality?: string | null;
  regionCode?: string | null;
  permitType?: (typeof PERMIT_TYPES)[number] | null;
  permitStatus?: PermitStatus | null;
  permitExpiresBefore?: Date | null;
  nameContains?: string | null;
}

export const STATISTICS_DIMENSIONS = ['NATIONALITY', 'PERMIT_TYPE', 'REGION'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];

/** Status of a permit today: an active permit past its expiry date is EXPIRED. */
export function permitStatusToday(
  permit: { status: PermitStatus; expiresAt: Date },
  today = startOfTodayUtc(),
): PermitStatus {
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
  if (!condition) throw new InputError(field, `"${code}" is not a region code such as 16.01`);
  return condition;
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const filterSchema = z.object({
  nationality: nationality.nullish(),
  regionCode: z.string().nullish(),
  permitType: z.enum(PERMIT_TYPES).nullish(),
  permitStatus: z.enum(PERMIT_STATUSES).nullish(),
  permitExpiresBefore: date.nullish(),
  nameContains: z.string().trim().min(2, 'must have at least 2 characters').max(100).nullish(),
});

export function foreignerQueryFilter(filter: ForeignerFilterInput | null | undefined): QueryFilter<ForeignerDoc> {
  const f = parseInput(filterSchema, filter ?? {}, 'filter');
  const conditions: QueryFilter<ForeignerDoc>[] = [];
  if (f.nationality) conditions.push({ nationality: f.nationality });
  if (f.regionCode) conditions.push(domicileRegionCondition(f.regionCode));
  if (f.permitType) conditions.push({ 'currentPermit.type': f.permitType });
  if (f.permitStatus) {
    const today = startOfTodayUtc();
    conditions.push(
      f.permitStatus === 'REVOKED'
        ? { 'currentPermit.status': 'REVOKED' }
        : {
            'currentPermit.status': 'ACTIVE',
            'currentPermit.expiresAt': f.permitStatus === 'ACTIVE' ? { $gte: today } : { $lt: today },
          },
    );
  }
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
  crossedAt: pastDate,
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

export class ForeignerService {
  private readonly registerSchema;

  constructor(
    private readonly models: ForeignerModels,
    regions: RegionDirectory,
  ) {
    this.registerSchema = registerSchema(regions);
  }

  async list(filter: ForeignerFilterInput | null | undefined, page: PageArgs, caller: Caller) {
    const query = withinJurisdiction(foreignerQueryFilter(filter), caller, DOMICILE_FIELDS);
    const window = pageWindow(page);
    const rows =
      window.limit === 0
        ? []
        : await this.models.Foreigner.find(afterFilter(query, window))
            .sort({ _id: 1 })
            .limit(window.limit + 1)
            .batchSize(window.limit + 1)
            .lean<ForeignerDoc[]>()
            .exec();
    return toConnection(
      rows,
      window,
      (r) => r._id,
      () => this.models.Foreigner.countDocuments(query).exec(),
    );
  }

  /** Validity and expiry only; a permit of a holder outside the caller's jurisdiction does not exist. */
  async verifyStayPermit(permitNumberValue: string, passport: string, caller: Caller) {
    const permit = await this.models.StayPermit.findById(permitNumberValue).lean<StayPermitDoc>().exec();
    if (!permit) return { valid: false, expiresAt: null };
    const holder = await this.models.Foreigner.findOne(
      withinJurisdiction({ _id: permit.foreignerId }, caller, DOMICILE_FIELDS),
    )
      .lean<ForeignerDoc>()
      .exec();
    if (!holder || holder.passportNumber !== passport.trim().toUpperCase()) return { valid: false, expiresAt: null };
    return { valid: permitStatusToday(permit) === 'ACTIVE', expiresAt: permit.expiresAt };
  }

  async statistics(
    regionCodeValue: string | null | undefined,
    groupBy: readonly StatisticsDimension[],
    caller: Caller,
  ) {
    const match = withinJurisdiction(
      regionCodeValue ? domicileRegionCondition(regionCodeValue, 'regionCode') : {},
      caller,
      DOMICILE_FIELDS,
    );
    const level = regionCodeValue ? regionLevelOf(regionCodeValue) : null;
    const regionField = {
      null: '$domicileProvince',
      PROVINCE: '$domicileRegency',
      REGENCY: '$domicileDistrict',
      DISTRICT: '$domicileRegionCode',
      VILLAGE: '$domicileRegionCode',
    }[level ?? 'null'];
    const dimensions = [...new Set(groupBy)];
    const key: Record<string, string> = {};
    if (dimensions.includes('NATIONALITY')) key.nationality = '$nationality';
    if (dimensions.includes('PERMIT_TYPE')) key.permitType = '$currentPermit.type';
    if (dimensions.includes('REGION')) key.regionCode = regionField;
    const pipeline: PipelineStage[] = [
      { $match: match },
      { $group: { _id: dimensions.length ? key : null, count: { $sum: 1 } } },
    ];
    const rows = await this.models.Foreigner.aggregate<{ _id: Record<string, string | null> | null; count: number }>(
      pipeline,
    ).exec();
    const groups = dimensions.length
      ? rows
          .map((r) => ({
            nationality: r._id?.nationality ?? null,
            permitType: r._id?.permitType ?? null,
            regionCode: r._id?.regionCode ?? null,
            count: r.count,
          }))
          .sort((a, b) => b.count - a.count || JSON.stringify(a).localeCompare(JSON.stringify(b)))
      : [];
    const total = rows.reduce((sum, r) => sum + r.count, 0);
    return { regionCode: regionCodeValue ?? null, total, groups };
  }

  /** The foreigner a write is about: it must exist and live in the caller's jurisdiction. */
  private async requireForeigner(id: string, caller: Caller, field = 'input.foreignerId'): Promise<ForeignerDoc> {
    const foreigner = await this.models.Foreigner.findById(id).lean<ForeignerDoc>().exec();
    if (!foreigner) throw new InputError(field, `no foreigner with id "${id}"`);
    try {
      requireJurisdiction(caller, foreigner.domicileRegionCode, field);
    } catch {
      throw new ForbiddenError(`${field}: the foreigner lives outside the jurisdiction of ${caller.agency}`, { field });
    }
    return foreigner;
  }

  async register(input: unknown, caller: Caller): Promise<ForeignerDoc> {
    const v = parseInput(this.registerSchema, input);
    requireJurisdiction(caller, v.domicileRegionCode, 'input.domicileRegionCode');
    const existing = await this.models.Foreigner.findOne({ passportNumber: v.passportNumber }).lean().exec();
    if (existing) throw new InputError('input.passportNumber', 'is already registered to another foreigner');
    const doc = {
      _id: randomUUID(),
      ...v,
      ...regionAncestryFields(v.domicileRegionCode, DOMICILE_FIELDS),
      currentPermit: null,
      createdAt: new Date(),
    } as ForeignerDoc;
    try {
      await this.models.Foreigner.create(doc);
    } catch (e) {
      if (isDuplicateKey(e)) throw new InputError('input.passportNumber', 'is already registered to another foreigner');
      throw e;
    }
    return doc;
  }

  async issuePermit(input: unknown, caller: Caller): Promise<{ permit: StayPermitDoc; foreignerId: string }> {
    const v = parseInput(issuePermitSchema, input);
    requireAfter(v.issuedAt, v.expiresAt, 'input.expiresAt', 'must be after issuedAt');
    await this.requireForeigner(v.foreignerId, caller);
    if (await this.models.StayPermit.exists({ _id: v.number })) {
      throw new InputError('input.number', 'a stay permit with this number already exists');
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
      if (isDuplicateKey(e)) throw new InputError('input.number', 'a stay permit with this number already exists');
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
  }

  async recordCrossing(input: unknown, caller: Caller) {
    const v = parseInput(crossingSchema, input);
    await this.requireForeigner(v.foreignerId, caller);
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
    return doc;
  }

  async recordAction(input: unknown, caller: Caller) {
    const v = parseInput(actionSchema, input);
    await this.requireForeigner(v.foreignerId, caller);
    const doc = { _id: randomUUID(), ...v };
    await this.models.ImmigrationAction.create(doc);
    if (v.type === 'PERMIT_REVOCATION' || v.type === 'DEPORTATION') {
      // a revocation or deportation ends every permit in force; expired ones stay expired
      await this.models.StayPermit.updateMany(
        { foreignerId: v.foreignerId, status: 'ACTIVE', expiresAt: { $gte: startOfTodayUtc() } },
        { $set: { status: 'REVOKED' } },
      ).exec();
      await this.refreshPermitSummary(v.foreignerId);
    }
    return doc;
  }
}
