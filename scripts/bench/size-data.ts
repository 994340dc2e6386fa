/**
 * A size's data: a fresh embedded FerretDB in `.cache/bench/size-<N>/` with the demo data
 * seeded into it, counted by collection and measured on disk.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';
import { startSeededDatabase, type SeededDatabase } from '../hub-processes.js';
import type { BenchOptions } from './options.js';
import { BENCH_DIR } from './services.js';

type Log = (message: string) => void;

export interface SizeData {
  dataDir: string;
  /** The running FerretDB, its connections closed. */
  database: SeededDatabase;
  seedSeconds: number;
  /** Documents seeded, by `<subgraph>.<collection>`. */
  documents: Record<string, number>;
  diskBytes: number;
}

/** Bytes of the files under `dir` (FerretDB's SQLite databases, their WAL and state). */
async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export async function prepareSizeData(size: number, options: BenchOptions, log: Log): Promise<SizeData> {
  const dataDir = path.join(BENCH_DIR, `size-${size}`);
  const database = await startSeededDatabase(
    dataDir,
    // a bulk load takes long enough to want its progress
    { count: size, bulk: options.bulk, progress: options.bulk ? (m) => log(`    ${m.trim()}`) : undefined },
    (m) => log(`  ${m}`),
  );
  try {
    const { summary, seedSeconds, hub } = database;
    const documents: Record<string, number> = {};
    for (const name of SUBGRAPH_NAMES) {
      for (const [collection, n] of Object.entries(summary.collections[name])) documents[`${name}.${collection}`] = n;
    }
    log(
      `  seeded in ${seedSeconds.toFixed(1)} s: ${Object.values(documents)
        .reduce((s, n) => s + n, 0)
        .toLocaleString('en-US')} documents`,
    );
    // the seed stores each foreigner's latest crossing, name trigrams and tally stamp itself: record the
    // immigration subgraph's backfills of them as done, as a database written by today's seed
    // needs them not (subgraphs/immigration/src/index.ts; on FerretDB each costs one update per foreigner)
    for (const migration of [
      'foreigner-last-crossing',
      'foreigner-name-trigrams',
      'foreigner-tallies',
      'foreigner-tally-rollups',
    ]) {
      await hub.databases.immigration.connection
        .db!.collection<{ _id: string }>('migrations')
        .updateOne(
          { _id: migration },
          { $set: { completedAt: new Date(), result: 'written by the seed' } },
          { upsert: true },
        );
    }
    await hub.close();
    const diskBytes = await directoryBytes(path.join(dataDir, 'ferretdb'));
    log(`  on disk: ${(diskBytes / 2 ** 30).toFixed(2)} GiB (FerretDB's SQLite files)`);
    return { dataDir, database, seedSeconds, documents, diskBytes };
  } catch (e) {
    await database.stop();
    throw e;
  }
}
