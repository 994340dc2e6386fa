/**
 * One-off data migrations of the foreigners, run once per database at start
 * (`runMigrationOnce`, common/db/migrations.ts).
 */
import { ONE_REPLY } from '../../../../common/db/loaders.js';
import { summarizeCrossings } from './overstay.js';
import type { BorderCrossingDoc } from '../models/foreigner.js';
import type { ImmigrationData } from '../data.js';

/**
 * Stores the crossing summary on foreigners written before foreigners carried one (a
 * database seeded by an earlier version). Two reads, then one `_id` update per such
 * foreigner, one at a time: FerretDB's SQLite backend commits every write on its own (tens
 * of milliseconds each) and parallel writers only contend. A foreigner whose summary a new
 * crossing has set meanwhile is left alone. Returns how many foreigners it updated.
 */
export async function backfillCrossingSummaries(
  data: Pick<ImmigrationData, 'foreigners' | 'crossings'>,
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
    await data.foreigners.writes
      .updateOne(
        { _id: id, lastCrossing: { $exists: false } },
        { $set: { lastCrossing: summarizeCrossings(byForeigner.get(id) ?? []) } },
      )
      .exec();
  }
  return wanted.size;
}
