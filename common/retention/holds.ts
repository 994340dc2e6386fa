/**
 * What holds a record back from a retention rule: the foreigner's own immigration records, and
 * the open cases of the other agencies (an incident under way, a residence still valid, a
 * foreigner still in the country), each asked once for a whole batch of foreigners.
 */
import type { Connection } from 'mongoose';
import { holdToday } from './ages.js';

/** Foreigners (by id) held by another agency's open case: an incident under way, a valid residence. */
export type ForeignerHold = (foreignerIds: string[]) => Promise<Set<string>>;

/** The statuses of an incident still open: its foreigners' records are held. */
export const OPEN_INCIDENT = ['REPORTED', 'UNDER_INVESTIGATION'];

/** Foreigners of `ids` whose own immigration records hold them: a valid permit or a current cekal entry. */
export async function immigrationHolds(db: Connection, ids: string[], today: Date): Promise<Set<string>> {
  const [permits, watchlist] = await Promise.all([
    db
      .collection('stay_permits')
      .distinct('foreignerId', { foreignerId: { $in: ids }, status: 'ACTIVE', expiresAt: { $gte: today } }),
    db
      .collection('watchlist_entries')
      .distinct('foreignerId', { foreignerId: { $in: ids }, $or: [{ until: null }, { until: { $gte: today } }] }),
  ]);
  return new Set([...permits, ...watchlist].map(String));
}

/** Records (by id) whose foreigner a hold keeps, among `rows`: each hold asked once for all their foreigners. */
export async function heldByForeigner(
  rows: { _id: unknown; foreignerId: string }[],
  holds: ForeignerHold[],
): Promise<Set<string>> {
  const ids = [...new Set(rows.map((r) => r.foreignerId))];
  const kept = new Set<string>();
  for (const hold of holds) for (const id of await hold(ids)) kept.add(id);
  return new Set(rows.filter((r) => kept.has(r.foreignerId)).map((r) => String(r._id)));
}

/** The holds another agency's database gives on immigration's foreigners. */
export function policeHold(police: Connection): ForeignerHold {
  return async (ids) =>
    new Set(
      (
        await police.collection('incidents').distinct('foreignerIds', {
          foreignerIds: { $in: ids },
          status: { $in: OPEN_INCIDENT },
        })
      ).map(String),
    );
}

export function localGovernmentHold(localGovernment: Connection): ForeignerHold {
  return async (ids) =>
    new Set(
      (
        await localGovernment
          .collection('residences')
          .distinct('foreignerId', { foreignerId: { $in: ids }, validUntil: { $gte: holdToday() } })
      ).map(String),
    );
}

/** Foreigners of `ids` still in the country by immigration's record: their last crossing is not an exit (or none). */
export function presenceHold(immigration: Connection): ForeignerHold {
  return async (ids) =>
    new Set(
      (
        await immigration
          .collection('foreigners')
          .distinct('_id', { _id: { $in: ids as never[] }, 'lastCrossing.direction': { $ne: 'EXIT' } })
      ).map(String),
    );
}

/** The holds on foreigners that lie in another agency's database, which only `npm run retention` sees. */
export interface AgencyHolds {
  /** An incident still reported or under investigation (police). */
  openIncident: ForeignerHold;
  /** A residence registration still valid (local government). */
  validResidence: ForeignerHold;
  /** Still in the country (immigration). */
  present: ForeignerHold;
}
