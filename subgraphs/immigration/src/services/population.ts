/**
 * Which foreigners a count or a list is about. `REGISTERED`: every foreigner ever registered with
 * a domicile in the region (the register as it stands). `PRESENT`: those taken to be in the
 * region today — a permit in force today and no exit since their last entry — decided, like
 * overstays (overstay.ts), from the foreigner document alone: its permit summary (the
 * latest-expiring permit) and its crossing summary (the latest border crossing), so the
 * condition is a single query on the foreigners collection.
 *
 * Registered but not present: those whose last crossing is an exit, whose permit expired
 * (overstays among them: in the country, but not lawfully present), was revoked, or who never
 * held one.
 */
import type { QueryFilter } from 'mongoose';
import { TIME_ZONES, todayIn, type RegionTimeZone } from '../../../../common/time-zones.js';
import type { ForeignerDoc } from '../models/foreigner.js';

export const POPULATIONS = ['PRESENT', 'REGISTERED'] as const;
export type Population = (typeof POPULATIONS)[number];

/** Whether a foreigner counts as present on `today` (the in-memory twin of {@link presentCondition}). */
export function isPresent(foreigner: Pick<ForeignerDoc, 'currentPermit' | 'lastCrossing'>, today: Date): boolean {
  const permit = foreigner.currentPermit;
  if (!permit || permit.status !== 'ACTIVE' || permit.expiresAt < today) return false;
  return foreigner.lastCrossing?.direction !== 'EXIT';
}

/** The database condition that {@link isPresent} holds, on the stored summaries. */
export function presentCondition(today: Date): QueryFilter<ForeignerDoc> {
  return {
    'currentPermit.status': 'ACTIVE',
    'currentPermit.expiresAt': { $gte: today },
    // also matches a foreigner without any crossing (no `lastCrossing`)
    'lastCrossing.direction': { $ne: 'EXIT' },
  };
}

/**
 * The day a count reports as `asOf`, judged at `at`: today in the zone of its scope (`zones`, as
 * `timeZonesOfScope` gives them), or, for a scope spanning more than one zone (the whole country),
 * the WIB date, the last of the three to change. Each foreigner is still judged on the day of its
 * own domicile's zone (`conditionByZone`); the days differ only from 15:00 to 17:00 UTC.
 */
export function populationDay(zones: ReadonlyMap<RegionTimeZone, unknown>, at: Date): Date {
  const zone = zones.size === 1 ? [...zones.keys()][0]! : TIME_ZONES.WIB;
  return todayIn(zone, at);
}
