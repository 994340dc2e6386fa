/** What a pseudonymised or reduced record holds in place of its text, and the write that puts it there. */
import type { Connection } from 'mongoose';
import type { RuledCollection } from './rule-docs.js';

/** What replaces a pseudonymised or reduced text. */
export const PSEUDONYMISED = '[dipseudonimkan]';
export const REDUCED = '[diringkas: retensi]';

/** Sets `set` on the records `filter` selects (with `dryRun`, only counts them): how many it changed. */
export async function updateWhere(
  db: Connection,
  collection: RuledCollection,
  filter: Record<string, unknown>,
  set: Record<string, unknown>,
  dryRun: boolean,
): Promise<number> {
  const records = db.collection(collection);
  return dryRun ? records.countDocuments(filter) : (await records.updateMany(filter, { $set: set })).modifiedCount;
}
