/**
 * One-off data migrations of a subgraph's database, each run once and recorded in the
 * `migrations` collection by name. The marker is read by `_id`, so a start after the migration
 * costs one index lookup. Migrations must be
 * idempotent: two replicas starting together may both run one before either records it.
 */
import type { Logger } from '../logger.js';
import type { Connection, Model } from 'mongoose';

interface MigrationDoc {
  _id: string;
  completedAt: Date;
  /** What the migration reported, e.g. how many documents it updated. */
  result: unknown;
}

export async function runMigrationOnce(
  connection: Connection,
  name: string,
  migrate: () => Promise<unknown>,
): Promise<{ ran: boolean; result?: unknown }> {
  const migrations = connection.collection<MigrationDoc>('migrations');
  if (await migrations.findOne({ _id: name })) return { ran: false };
  const result = await migrate();
  await migrations.updateOne({ _id: name }, { $set: { completedAt: new Date(), result } }, { upsert: true });
  return { ran: true, result };
}

/**
 * Collections an earlier design kept beside the records, to route reads around the embedded
 * engine's missing index searches: per foreigner, the ids of their records (`foreigner_records`,
 * in every subgraph), and per region, its foreigners (`region_members`, immigration). Reads now
 * ask the records by `foreignerId` and the foreigners by region field, each with an index.
 */
export const RETIRED_COLLECTIONS = ['foreigner_records', 'region_members'] as const;

/** The migration that moves a database to plain MongoDB shapes (see {@link adoptPlainModel}). */
export const PLAIN_MODEL_MIGRATION = 'plain-mongodb-model';

/**
 * Once per database: drops the retired collections (`RETIRED_COLLECTIONS`; their own migration
 * markers stay, harmless) and brings each model's indexes to what its schema declares
 * (`syncIndexes`: creates the new ones, drops the single-field indexes the compound ones
 * replace). Every start creates a schema's missing indexes anyway (`model.init()`); this also
 * drops what no schema declares any more. Idempotent: two replicas may both run it.
 */
export async function adoptPlainModel(
  connection: Connection,
  models: readonly Pick<Model<unknown>, 'syncIndexes'>[],
): Promise<{ ran: boolean; result?: unknown }> {
  return runMigrationOnce(connection, PLAIN_MODEL_MIGRATION, async () => {
    const existing = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
    const droppedCollections = RETIRED_COLLECTIONS.filter((name) => existing.some((c) => c.name === name));
    for (const name of droppedCollections) {
      await connection.db!.dropCollection(name).catch((e: unknown) => {
        // another replica dropped it first
        if ((e as { codeName?: string }).codeName !== 'NamespaceNotFound') throw e;
      });
    }
    const droppedIndexes: string[] = [];
    for (const model of models) droppedIndexes.push(...(await model.syncIndexes()));
    return { droppedCollections, droppedIndexes };
  });
}

/**
 * Runs a migration once per database in the background (serving does not wait for it): logs
 * `done` with its result when it ran, `stopped` when it failed (it resumes at the next start),
 * and calls `settled` once it is known to be done, here or before.
 */
export function runMigrationInBackground(
  connection: Connection,
  name: string,
  migrate: () => Promise<unknown>,
  log: Logger,
  messages: { done: string; stopped: string },
  settled: () => void = () => {},
): void {
  void runMigrationOnce(connection, name, migrate).then(
    (migration) => {
      settled();
      if (migration.ran && migration.result) log.info({ result: migration.result }, messages.done);
    },
    (err: unknown) => log.warn({ err }, messages.stopped),
  );
}
