/**
 * One-off data migrations of the foreigners, run once per database at start
 * (`runMigrationOnce`, common/db/migrations.ts).
 */
import { ONE_REPLY } from '../../../../common/db/loaders.js';
import { nameFields } from '../../../../common/name-trigrams.js';
import { summarizeCrossings } from './overstay.js';
import type { BorderCrossingDoc } from '../models/foreigner.js';
import type { ImmigrationData } from '../data.js';

/**
 * Stores the crossing summary on foreigners written before foreigners carried one (a
 * database seeded by an earlier version). Two reads, then one `_id` update per such
 * foreigner (and its tally settled), one at a time: FerretDB's SQLite backend commits every write on its own (tens
 * of milliseconds each) and parallel writers only contend. A foreigner whose summary a new
 * crossing has set meanwhile is left alone. Returns how many foreigners it updated.
 */
export async function backfillCrossingSummaries(
  data: Pick<ImmigrationData, 'foreigners' | 'crossings' | 'tallies'>,
): Promise<number> {
  const legacy = await data.foreigners
    .unscoped('migration')
    .find({ lastCrossing: { $exists: false } }, { _id: 1 })
    .batchSize(ONE_REPLY)
    .lean<{ _id: string }[]>()
    .exec();
  if (legacy.length === 0) return 0;
  const wanted = new Set(legacy.map((f) => f._id));
  const crossings = await data.crossings
    .unscoped('migration')
    .find({}, { foreignerId: 1, direction: 1, crossedAt: 1 })
    .batchSize(ONE_REPLY)
    .lean<BorderCrossingDoc[]>()
    .exec();
  const byForeigner = new Map<string, BorderCrossingDoc[]>();
  for (const c of crossings) {
    if (!wanted.has(c.foreignerId)) continue;
    const list = byForeigner.get(c.foreignerId);
    if (list) list.push(c);
    else byForeigner.set(c.foreignerId, [c]);
  }
  for (const id of wanted) {
    const result = await data.foreigners.writes
      .updateOne(
        { _id: id, lastCrossing: { $exists: false } },
        { $set: { lastCrossing: summarizeCrossings(byForeigner.get(id) ?? []) } },
      )
      .exec();
    // a foreigner already counted moves to the cell of its crossing (presence)
    if (result.modifiedCount === 1) await data.tallies.settle(id);
  }
  return wanted.size;
}

/** Foreigners read per batch of the name-trigram backfill. */
export const NAME_TRIGRAM_BATCH = 500;

/**
 * Stores `nameTrigrams` on foreigners written before foreigners carried them (a database seeded
 * or written by an earlier version), so name search may narrow by them. In batches of
 * {@link NAME_TRIGRAM_BATCH} in `_id` order (one read each, from after the last `_id` of the
 * previous batch), then one `_id` update per foreigner, one at a time (see
 * {@link backfillCrossingSummaries} for why not in parallel). The update sets the name it read
 * with its trigrams (`nameFields`) only if the name is still that one and the trigrams are still
 * missing, so a foreigner renamed meanwhile keeps what its own write stored. Idempotent; a run
 * stopped halfway resumes where the trigrams are missing. Returns how many foreigners it updated.
 */
export async function backfillNameTrigrams(data: Pick<ImmigrationData, 'foreigners'>): Promise<number> {
  let updated = 0;
  let after: string | null = null;
  for (;;) {
    const batch: { _id: string; fullName: string }[] = await data.foreigners
      .unscoped('migration')
      .find(
        after === null
          ? { nameTrigrams: { $exists: false } }
          : { _id: { $gt: after }, nameTrigrams: { $exists: false } },
        { _id: 1, fullName: 1 },
      )
      .sort({ _id: 1 })
      .limit(NAME_TRIGRAM_BATCH)
      .batchSize(NAME_TRIGRAM_BATCH)
      .lean<{ _id: string; fullName: string }[]>()
      .exec();
    for (const f of batch) {
      const result = await data.foreigners.writes
        .updateOne(
          { _id: f._id, fullName: f.fullName, nameTrigrams: { $exists: false } },
          { $set: nameFields(f.fullName) },
        )
        .exec();
      updated += result.modifiedCount;
    }
    if (batch.length < NAME_TRIGRAM_BATCH) return updated;
    after = batch[batch.length - 1]!._id;
  }
}
