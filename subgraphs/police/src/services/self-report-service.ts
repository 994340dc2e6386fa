/**
 * Issuing self-report certificates (SKLD). The police hold no identity records, so a
 * foreigner id is checked for shape only; identity belongs to immigration.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
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
import { SELF_REPORT_REGION_FIELDS, type SelfReportCertificateDoc } from '../models/self-report.js';
import type { PoliceData } from '../data.js';

const issueSchema = (regions: RegionDirectory) =>
  z.object({
    foreignerId: entityId,
    number: documentNumber,
    issuedAt: pastDate,
    validUntil: date,
    issuingUnit: text(200),
    address: text(500),
    regionCode: regionCode(regions),
  });

export class SelfReportService {
  private readonly issueSchema;

  constructor(
    private readonly data: PoliceData,
    regions: RegionDirectory,
  ) {
    this.issueSchema = issueSchema(regions);
  }

  /**
   * Every SKLD in the caller's jurisdiction, whose it is and its last day, in one read (a meeting
   * brief's registration gaps: the certificates `selfReportCompliance` counts, for thousands of
   * holders at once — nearly every certificate of the region, so one read by the region index
   * rather than a `$in` of thousands of holder ids).
   */
  validityInJurisdiction(caller: Caller): Promise<{ foreignerId: string; validUntil: Date; regionCode: string }[]> {
    const certificates = this.data.selfReports.for(caller);
    return certificates
      .find(certificates.where({}), {
        foreignerId: 1,
        validUntil: 1,
        regionCode: 1,
      })
      .batchSize(ONE_REPLY)
      .lean<{ foreignerId: string; validUntil: Date; regionCode: string }[]>()
      .exec();
  }

  async issue(input: unknown, caller: Caller): Promise<SelfReportCertificateDoc> {
    const v = parseInput(this.issueSchema, input);
    requireJurisdiction(caller, v.regionCode, 'input.regionCode');
    requireAfter(v.issuedAt, v.validUntil, 'input.validUntil', 'issuedAt');
    if (await this.data.selfReports.unscoped('uniqueness').exists({ number: v.number })) {
      throw new InputError('input.number', message('input.skldNumberTaken'));
    }
    const doc = {
      _id: randomUUID(),
      number: v.number,
      foreignerId: v.foreignerId,
      issuedAt: v.issuedAt,
      validUntil: v.validUntil,
      issuingUnit: v.issuingUnit,
      address: v.address,
      ...regionAncestryFields(v.regionCode, SELF_REPORT_REGION_FIELDS),
      createdAt: new Date(),
    } as SelfReportCertificateDoc;
    try {
      await this.data.selfReports.writes.create(doc);
    } catch (e) {
      if (isDuplicateKey(e)) throw new InputError('input.number', message('input.skldNumberTaken'));
      throw e;
    }
    return doc;
  }
}
