/**
 * Local government's records about foreigners: residence certificates (SKTT) and employment.
 * Every write validates its whole input before the first (and only) write.
 *
 * The foreigner itself lives in the immigration subgraph's database, which this subgraph
 * cannot read: `foreignerId` is checked for shape only.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { now } from '../../../../common/clock.js';
import { certificateValidAt } from '../../../../common/registration.js';
import { isDuplicateKey } from '../../../../common/db/errors.js';
import { requireJurisdiction } from '../../../../common/auth/jurisdiction.js';
import { ONE_REPLY } from '../../../../common/db/loaders.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { InputError } from '../../../../common/errors.js';
import { message } from '../../../../common/i18n/language.js';
import { regionAncestryFields, type RegionDirectory } from '../../../../common/regions.js';
import {
  date,
  documentNumber,
  entityId,
  parseInput,
  pastDate,
  regionCode,
  requireAfter,
  text,
} from '../../../../common/validation.js';
import { EMPLOYER_SECTORS, type EmploymentDoc, type ResidenceDoc } from '../models/foreigner.js';
import type { LocalGovernmentData } from '../data.js';
import { RECORD_REGION_FIELDS } from '../models/region.js';

/** Number of an official document (SKTT, RPTKA, work notification) as printed on it. */
/**
 * The residence in force: the latest registered whose validity has not ended on the calendar
 * day of its region (a certificate valid until today is still valid today); when none is, the
 * latest registered. Expects the residences latest registered first, as the loader gives them.
 */
export function currentResidence(residences: readonly ResidenceDoc[], at: Date = now()): ResidenceDoc | null {
  return residences.find((r) => certificateValidAt(r, at)) ?? residences[0] ?? null;
}

export class ForeignerService {
  private readonly residenceSchema;
  private readonly employmentSchema;

  constructor(
    private readonly data: LocalGovernmentData,
    regions: RegionDirectory,
  ) {
    this.residenceSchema = z.object({
      foreignerId: entityId,
      number: documentNumber,
      address: text(300),
      regionCode: regionCode(regions, ['DISTRICT', 'VILLAGE']),
      registeredAt: pastDate,
      validUntil: date,
    });
    this.employmentSchema = z.object({
      foreignerId: entityId,
      employer: text(200),
      employerSector: z.enum(EMPLOYER_SECTORS),
      position: text(200),
      workPermitNumber: documentNumber,
      regionCode: regionCode(regions),
      startedOn: pastDate,
      endedOn: pastDate.nullish(),
    });
  }

  /**
   * Every SKTT in the caller's jurisdiction, whose it is and its last day, in one read (a meeting
   * brief's registration gaps: the certificates `residenceCompliance` counts, for thousands of
   * holders at once — nearly every certificate of the region, so one read by the region index
   * rather than a `$in` of thousands of holder ids).
   */
  validityInJurisdiction(caller: Caller): Promise<{ foreignerId: string; validUntil: Date; regionCode: string }[]> {
    const residences = this.data.residences.for(caller);
    return residences
      .find(residences.where({}), {
        foreignerId: 1,
        validUntil: 1,
        regionCode: 1,
      })
      .batchSize(ONE_REPLY)
      .lean<{ foreignerId: string; validUntil: Date; regionCode: string }[]>()
      .exec();
  }

  async registerResidence(input: unknown, caller: Caller): Promise<ResidenceDoc> {
    const v = parseInput(this.residenceSchema, input);
    requireJurisdiction(caller, v.regionCode, 'input.regionCode');
    requireAfter(v.registeredAt, v.validUntil, 'input.validUntil', 'registeredAt');
    if (await this.data.residences.unscoped('uniqueness').exists({ number: v.number }))
      throw new InputError('input.number', message('input.skttNumberTaken'));
    const doc = {
      _id: randomUUID(),
      foreignerId: v.foreignerId,
      number: v.number,
      address: v.address,
      ...regionAncestryFields(v.regionCode, RECORD_REGION_FIELDS),
      registeredAt: v.registeredAt,
      validUntil: v.validUntil,
      createdAt: new Date(),
    } as ResidenceDoc;
    try {
      await this.data.residences.writes.create(doc);
    } catch (e) {
      // another request registered the same number between the check and the write
      if (isDuplicateKey(e)) throw new InputError('input.number', message('input.skttNumberTaken'));
      throw e;
    }
    return doc;
  }

  async recordEmployment(input: unknown, caller: Caller): Promise<EmploymentDoc> {
    const v = parseInput(this.employmentSchema, input);
    requireJurisdiction(caller, v.regionCode, 'input.regionCode');
    if (v.endedOn && v.endedOn < v.startedOn)
      throw new InputError('input.endedOn', message('input.notBefore', { start: 'startedOn' }));
    const doc = {
      _id: randomUUID(),
      foreignerId: v.foreignerId,
      employer: v.employer,
      employerSector: v.employerSector,
      position: v.position,
      workPermitNumber: v.workPermitNumber,
      ...regionAncestryFields(v.regionCode, RECORD_REGION_FIELDS),
      startedOn: v.startedOn,
      endedOn: v.endedOn ?? null,
      createdAt: new Date(),
    } as EmploymentDoc;
    await this.data.employment.writes.create(doc);
    return doc;
  }
}
