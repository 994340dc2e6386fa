/**
 * Reads and writes of incident reports. A filing validates its whole input before the one
 * write it makes, so a bad input never leaves a partial record.
 */
import { randomUUID } from 'node:crypto';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKey } from '../../../../common/db/errors.js';
import { requireJurisdiction } from '../../../../common/auth/jurisdiction.js';
import { countByRegencyAndCategory } from '../../../../common/brief/counts.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { InputError } from '../../../../common/errors.js';
import { localized, message } from '../../../../common/i18n/language.js';
import { keysetPage, type PageArgs } from '../../../../common/pagination.js';
import { regionAncestryFields, regionCondition, type RegionDirectory } from '../../../../common/regions.js';
import {
  date,
  documentNumber,
  entityId,
  parseInput,
  pastInstant,
  regionCode,
  text,
} from '../../../../common/validation.js';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_REGION_FIELDS,
  INCIDENT_STATUSES,
  INVOLVEMENTS,
  type IncidentCategory,
  type IncidentDoc,
  type Involvement,
} from '../models/incident.js';
import type { PoliceData } from '../data.js';

export interface IncidentFilterInput {
  regionCode?: string | null;
  category?: IncidentCategory | null;
  occurredFrom?: Date | null;
  occurredTo?: Date | null;
}

/**
 * An incident as read through one of its parties (`Foreigner.incidents`): `involvement` is
 * that party's role. Read any other way, the incident carries no `involvement`.
 */
export type IncidentView = IncidentDoc & { involvement?: Involvement | null };

/** The incident as reached through the foreigner `foreignerId`, with that foreigner's role. */
export function reachedThrough(incident: IncidentDoc, foreignerId: string): IncidentView {
  const party = incident.parties.find((p) => p.foreignerId === foreignerId);
  return { ...incident, involvement: party?.involvement ?? null };
}

const filterSchema = z.object({
  regionCode: z.string().nullish(),
  category: z.enum(INCIDENT_CATEGORIES).nullish(),
  occurredFrom: date.nullish(),
  occurredTo: date.nullish(),
});

export function incidentQueryFilter(filter: IncidentFilterInput | null | undefined): QueryFilter<IncidentDoc> {
  const f = parseInput(filterSchema, filter ?? {}, 'filter');
  if (f.occurredFrom && f.occurredTo && f.occurredTo < f.occurredFrom) {
    throw new InputError('filter.occurredTo', message('input.notBefore', { start: 'occurredFrom' }));
  }
  const conditions: QueryFilter<IncidentDoc>[] = [];
  if (f.regionCode) {
    const condition = regionCondition(f.regionCode, INCIDENT_REGION_FIELDS);
    if (!condition) throw new InputError('filter.regionCode', message('input.regionNotACode', { code: f.regionCode }));
    conditions.push(condition);
  }
  if (f.category) conditions.push({ category: f.category });
  if (f.occurredFrom || f.occurredTo) {
    conditions.push({
      occurredAt: {
        ...(f.occurredFrom ? { $gte: f.occurredFrom } : {}),
        ...(f.occurredTo ? { $lte: f.occurredTo } : {}),
      },
    });
  }
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? conditions[0]! : { $and: conditions };
}

const partySchema = z.object({
  foreignerId: entityId,
  involvement: z.enum(INVOLVEMENTS),
});

const partiesSchema = z
  .array(partySchema)
  .min(1, localized('input.atLeastOneForeigner'))
  .max(100, localized('input.atMostForeigners'))
  .superRefine((parties, ctx) => {
    const seen = new Set<string>();
    parties.forEach((party, i) => {
      if (seen.has(party.foreignerId)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'foreignerId'],
          message: message('input.partyRepeated'),
        });
      }
      seen.add(party.foreignerId);
    });
  });

const fileSchema = (regions: RegionDirectory) =>
  z.object({
    reportNumber: documentNumber,
    category: z.enum(INCIDENT_CATEGORIES),
    occurredAt: pastInstant,
    regionCode: regionCode(regions),
    status: z
      .enum(INCIDENT_STATUSES)
      .nullish()
      .transform((s) => s ?? 'REPORTED'),
    summary: text(10_000),
    parties: partiesSchema,
  });

export class IncidentService {
  private readonly fileSchema;

  constructor(
    private readonly data: PoliceData,
    regions: RegionDirectory,
  ) {
    this.fileSchema = fileSchema(regions);
  }

  /** Incidents matching `filter` in the caller's jurisdiction (as `list` reads them), counted by regency and category. */
  countByRegencyAndCategory(filter: IncidentFilterInput, regencies: readonly string[], caller: Caller) {
    const incidents = this.data.incidents.for(caller);
    const query = incidents.where(incidentQueryFilter(filter));
    return countByRegencyAndCategory(incidents, query, INCIDENT_REGION_FIELDS.regency, regencies);
  }

  async list(filter: IncidentFilterInput | null | undefined, page: PageArgs, caller: Caller) {
    const incidents = this.data.incidents.for(caller);
    return keysetPage(incidents, incidents.where(incidentQueryFilter(filter)), page);
  }

  async file(input: unknown, caller: Caller): Promise<IncidentDoc> {
    const v = parseInput(this.fileSchema, input);
    requireJurisdiction(caller, v.regionCode, 'input.regionCode');
    if (await this.data.incidents.unscoped('uniqueness').exists({ reportNumber: v.reportNumber })) {
      throw new InputError('input.reportNumber', message('input.reportNumberTaken'));
    }
    const parties = v.parties.map((p) => ({ foreignerId: p.foreignerId, involvement: p.involvement }));
    const doc = {
      _id: randomUUID(),
      reportNumber: v.reportNumber,
      category: v.category,
      occurredAt: v.occurredAt,
      ...regionAncestryFields(v.regionCode, INCIDENT_REGION_FIELDS),
      status: v.status,
      summary: v.summary,
      parties,
      foreignerIds: parties.map((p) => p.foreignerId),
      createdAt: new Date(),
    } as IncidentDoc;
    try {
      await this.data.incidents.writes.create(doc);
    } catch (e) {
      if (isDuplicateKey(e)) throw new InputError('input.reportNumber', message('input.reportNumberTaken'));
      throw e;
    }
    return doc;
  }
}
