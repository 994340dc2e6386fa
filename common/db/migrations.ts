/**
 * One-off data migrations of a subgraph's database, each run once and recorded in the
 * `migrations` collection by name. The marker is read by `_id` (the one lookup FerretDB pushes
 * down), so a start after the migration costs one cheap command. Migrations must be
 * idempotent: two replicas starting together may both run one before either records it.
 */
import type { Connection } from 'mongoose';

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
