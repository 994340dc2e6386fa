/**
 * Stay-permit checks (`Query.verifyStayPermit`): does this permit number go with this passport
 * number, and is the permit in force? Built so the answer cannot serve as an oracle:
 *
 * - an unknown permit number and a passport that does not match answer the same `NO_MATCH`, after
 *   the same two lookups, so neither the answer nor its timing tells whether a permit exists;
 *   the permit's status and expiry are told only to a caller who holds the matching passport;
 * - every check is counted against the rate limits before it looks anything up
 *   (`PermitCheckLimits`) and recorded in the access log, whatever it answers;
 * - it answers about the permit alone, so it is not limited to the caller's jurisdiction: an
 *   employer in 16.01 may check the permit of a worker who lives in 16.09.
 */
import type { DisclosureCollector } from '../../../../common/auth/permissions.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { documentNumber, parseInput, passportNumber } from '../../../../common/validation.js';
import type { ForeignerDoc, StayPermitDoc } from '../models/foreigner.js';
import type { ImmigrationData } from '../data.js';
import { todayInRegion } from '../../../../common/time-zones.js';
import { permitStatusToday } from './foreigner-filters.js';
import type { PermitCheckLimits } from './permit-check-limits.js';

export const PERMIT_CHECK_REASONS = ['VALID', 'EXPIRED', 'REVOKED', 'NO_MATCH'] as const;
export type PermitCheckReason = (typeof PERMIT_CHECK_REASONS)[number];

/** The answer to a stay-permit check (`StayPermitVerification`). */
export interface StayPermitVerification {
  valid: boolean;
  reason: PermitCheckReason;
  expiresAt: Date | null;
}

const NO_MATCH: StayPermitVerification = { valid: false, reason: 'NO_MATCH', expiresAt: null };

export class PermitCheckService {
  constructor(
    private readonly data: Pick<ImmigrationData, 'foreigners' | 'permits'>,
    private readonly limits: PermitCheckLimits,
  ) {}

  async verify(
    permitNumberValue: string,
    passportNumberValue: string,
    caller: Caller,
    disclosures: DisclosureCollector,
  ): Promise<StayPermitVerification> {
    // numbers are printed in capitals; a lower-case copy names the same permit and passport
    const permitNumber = parseInput(documentNumber, permitNumberValue.toUpperCase(), 'permitNumber');
    const passport = parseInput(passportNumber, passportNumberValue.trim().toUpperCase(), 'passportNumber');
    const admitted = await this.limits.admit(caller, permitNumber);
    const [permit, holder] = await Promise.all([
      this.data.permits.unscoped('permit-check').findById(permitNumber).lean<StayPermitDoc>().exec(),
      this.data.foreigners
        .unscoped('permit-check')
        .findOne({ passportNumber: passport }, { _id: 1, domicileRegionCode: 1 })
        .lean<Pick<ForeignerDoc, '_id' | 'domicileRegionCode'>>()
        .exec(),
    ]);
    // recorded against the permit and its holder whether or not the passport matched: a wrong
    // guess tells something about the holder's passport too, and auditors of that foreigner see it
    disclosures.noteCheck(
      'permit:read',
      permit ? { typeName: 'StayPermit', id: permit._id, foreignerId: permit.foreignerId } : null,
    );
    if (!permit || !holder || holder._id !== permit.foreignerId) return NO_MATCH;
    await admitted.matched();
    // judged on the calendar day where the holder lives (WIB, WITA or WIT)
    const status = permitStatusToday(permit, todayInRegion(holder.domicileRegionCode));
    return { valid: status === 'ACTIVE', reason: status === 'ACTIVE' ? 'VALID' : status, expiresAt: permit.expiresAt };
  }
}
