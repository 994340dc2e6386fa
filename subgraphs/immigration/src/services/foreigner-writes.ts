/**
 * Writes of foreigners and their immigration records: registration, stay permits, border
 * crossings, TAK. Every write validates its whole input (and the existence of what it refers
 * to) before the first write.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { requireJurisdiction } from '../../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { InputError } from '../../../../common/errors.js';
import { message } from '../../../../common/i18n/language.js';
import { nameFields } from '../../../../common/name-trigrams.js';
import { regionAncestryFields, type RegionDirectory } from '../../../../common/regions.js';
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
import { todayInRegion } from '../../../../common/time-zones.js';
import { checkpointByCode } from '../checkpoints.js';
import { summarizeCrossings } from './overstay.js';
import {
  ACTION_TYPES,
  CROSSING_DIRECTIONS,
  PERMIT_TYPES,
  SEXES,
  SPONSOR_TYPES,
  STAY_PURPOSES,
  type BorderCrossingDoc,
  type ForeignerDoc,
  type PermitSummary,
  type StayPermitDoc,
} from '../models/foreigner.js';
import type { ImmigrationData } from '../data.js';
import { DOMICILE_FIELDS } from './foreigner-filters.js';
import type { ForeignerQueries } from './foreigner-queries.js';
import type { ForeignerStatistics } from './foreigner-statistics.js';

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

/**
 * Writes of foreigners and their immigration records; each keeps the summaries on the foreigner
 * current, settles the foreigner's tally (services/foreigner-tallies.ts) after its write, and
 * makes the statistics forget their cached tables.
 */
export class ForeignerWrites {
  private readonly registerSchema;

  constructor(
    private readonly data: ImmigrationData,
    regions: RegionDirectory,
    private readonly queries: ForeignerQueries,
    private readonly statistics: ForeignerStatistics,
  ) {
    this.registerSchema = registerSchema(regions);
  }

  async register(input: unknown, caller: Caller): Promise<ForeignerDoc> {
    const v = parseInput(this.registerSchema, input);
    requireJurisdiction(caller, v.domicileRegionCode, 'input.domicileRegionCode');
    const existing = await this.data.foreigners
      .unscoped('uniqueness')
      .findOne({ passportNumber: v.passportNumber })
      .lean()
      .exec();
    if (existing) throw new InputError('input.passportNumber', message('input.passportTaken'));
    const doc = {
      _id: randomUUID(),
      ...v,
      // the name with its trigrams, which name search narrows by
      ...nameFields(v.fullName),
      ...regionAncestryFields(v.domicileRegionCode, DOMICILE_FIELDS),
      currentPermit: null,
      lastCrossing: null,
      createdAt: new Date(),
    } as ForeignerDoc;
    try {
      await this.data.foreigners.writes.create(doc);
    } catch (e) {
      if (isDuplicateKey(e)) throw new InputError('input.passportNumber', message('input.passportTaken'));
      throw e;
    }
    await this.data.tallies.settle(doc._id);
    this.statistics.forget();
    return doc;
  }

  async issuePermit(input: unknown, caller: Caller): Promise<{ permit: StayPermitDoc; foreignerId: string }> {
    const v = parseInput(issuePermitSchema, input);
    requireAfter(v.issuedAt, v.expiresAt, 'input.expiresAt', 'issuedAt');
    await this.queries.requireForeigner(v.foreignerId, caller);
    if (await this.data.permits.unscoped('uniqueness').exists({ _id: v.number })) {
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
      await this.data.permits.writes.create(permit);
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
    const permits = await this.data.permits.ofForeigner(foreignerId).lean<StayPermitDoc[]>().exec();
    await this.data.foreigners.writes
      .updateOne({ _id: foreignerId }, { $set: { currentPermit: summarize(permits) } })
      .exec();
    await this.data.tallies.settle(foreignerId);
    this.statistics.forget();
  }

  async recordCrossing(input: unknown, caller: Caller) {
    const v = parseInput(crossingSchema, input);
    const foreigner = await this.queries.requireForeigner(v.foreignerId, caller);
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
    await this.data.crossings.writes.create(doc);
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
    await this.data.foreigners.writes
      .updateOne(
        {
          _id: foreigner._id,
          $or: [{ lastCrossing: null }, { 'lastCrossing.crossedAt': { $lte: crossing.crossedAt } }],
        },
        { $set: { lastCrossing: { direction: crossing.direction, crossedAt: crossing.crossedAt } } },
      )
      .exec();
    await this.data.tallies.settle(foreigner._id);
  }

  /**
   * Recomputes the crossing summary stored on the foreigner (its latest crossing) from the
   * crossings themselves; re-running it repairs the summary.
   */
  async refreshCrossingSummary(foreignerId: string): Promise<void> {
    const crossings = await this.data.crossings.ofForeigner(foreignerId).lean<BorderCrossingDoc[]>().exec();
    await this.data.foreigners.writes
      .updateOne({ _id: foreignerId }, { $set: { lastCrossing: summarizeCrossings(crossings) } })
      .exec();
    await this.data.tallies.settle(foreignerId);
  }

  async recordAction(input: unknown, caller: Caller) {
    const v = parseInput(actionSchema, input);
    const foreigner = await this.queries.requireForeigner(v.foreignerId, caller);
    const doc = { _id: randomUUID(), ...v };
    await this.data.actions.writes.create(doc);
    if (v.type === 'PERMIT_REVOCATION' || v.type === 'DEPORTATION') {
      // a revocation or deportation ends every permit in force; expired ones stay expired
      await this.data.permits.writes
        .updateMany(
          {
            foreignerId: v.foreignerId,
            status: 'ACTIVE',
            expiresAt: { $gte: todayInRegion(foreigner.domicileRegionCode) },
          },
          { $set: { status: 'REVOKED' } },
        )
        .exec();
      await this.refreshPermitSummary(v.foreignerId);
    }
    return doc;
  }
}
