/**
 * Overstays, decided from the foreigner document alone: its permit summary (the latest-expiring
 * permit) and its crossing summary (the latest border crossing). Both are derived from the
 * permits and crossings whenever one is written, so the condition needs no join and is a
 * single query on the foreigners collection (FerretDB has no `$lookup`, and a join would read
 * the crossings of every foreigner of the region).
 */
import type { QueryFilter } from 'mongoose';
import type { BorderCrossingDoc, CrossingSummary, ForeignerDoc } from '../models/foreigner.js';

const DAY_MS = 86_400_000;

/** What the schema's `Overstay` shows. */
export interface OverstayView {
  permitNumber: string;
  permitExpiresAt: Date;
  days: number;
}

/**
 * The overstay a foreigner is in on `today` (the calendar day in the time zone of the
 * foreigner's domicile, `todayInRegion`): the latest permit expired without being revoked, and
 * the last crossing recorded is not an exit (none recorded, or an entry), so the foreigner is
 * taken to be in Indonesia. Null when not overstaying. A permit whose last day was yesterday
 * is an overstay of 1 day.
 */
export function overstayOf(
  foreigner: Pick<ForeignerDoc, 'currentPermit' | 'lastCrossing'>,
  today: Date,
): OverstayView | null {
  const permit = foreigner.currentPermit;
  if (!permit || permit.status !== 'ACTIVE' || permit.expiresAt >= today) return null;
  if (foreigner.lastCrossing?.direction === 'EXIT') return null;
  return {
    permitNumber: permit.number,
    permitExpiresAt: permit.expiresAt,
    days: Math.round((today.getTime() - permit.expiresAt.getTime()) / DAY_MS),
  };
}

/**
 * The database condition that `overstayOf` is not null on `today`, on the stored summaries;
 * `conditionByZone` gives each zone its own today.
 */
export function overstayCondition(today: Date): QueryFilter<ForeignerDoc> {
  return {
    'currentPermit.status': 'ACTIVE',
    'currentPermit.expiresAt': { $lt: today },
    // also matches a foreigner without any crossing (no `lastCrossing`)
    'lastCrossing.direction': { $ne: 'EXIT' },
  };
}

/** The latest crossing of a foreigner's crossings, as stored on the foreigner. */
export function summarizeCrossings(
  crossings: readonly Pick<BorderCrossingDoc, 'direction' | 'crossedAt' | '_id'>[],
): CrossingSummary | null {
  const latest = crossings.reduce<(typeof crossings)[number] | null>(
    (best, c) =>
      !best || c.crossedAt > best.crossedAt || (c.crossedAt.getTime() === best.crossedAt.getTime() && c._id > best._id)
        ? c
        : best,
    null,
  );
  return latest ? { direction: latest.direction, crossedAt: latest.crossedAt } : null;
}
