/**
 * The embedded FerretDB's one fix, measured: FerretDB v1.24.2 "pushes down" `{ _id: <value> }`
 * as `WHERE _ferretdb_sjson->'$._id' = ?`, but the unique index it creates for `_id` is on
 * `_ferretdb_sjson->"_id"`. SQLite matches an index only to the same expression, so in the
 * released build every `_id` lookup, update and delete scans the table. The hub's build
 * (`scripts/ferretdb/patches/`) writes the column as `_ferretdb_sjson->'_id'`.
 *
 * The bench builds the released FerretDB too (`.cache/bench/`; Go reuses the build cache, so
 * it takes seconds) and runs both on copies of the seeded immigration database.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import {
  FERRETDB_VERSION,
  PROJECT_ROOT,
  ensureFerretDbBinary,
  freePort,
  isPortInUse,
} from '../../common/db/ferretdb.js';
import { foreignerId } from './workloads.js';

const BENCH_DIR = path.join(PROJECT_ROOT, '.cache/bench');
const RELEASED_BINARY = path.join(BENCH_DIR, `ferretdb-${FERRETDB_VERSION}-released`);

/** Builds FerretDB exactly as released, without the hub's patch (once; cached in `.cache/bench/`). */
export async function ensureReleasedFerretDb(log: (message: string) => void): Promise<string> {
  return ensureFerretDbBinary(log, { binary: RELEASED_BINARY, patches: [] });
}

export interface IdLookupMeasurement {
  /** SQLite's plan for `{ _id }`, from FerretDB's `explain`. */
  plan: string;
  /** Median ms of `find({ _id })` on `foreigners`. */
  findMs: number;
  /** Median ms of `updateOne({ _id }, { $set })` on `foreigners`. */
  updateMs: number;
}

export interface IdFixResult {
  foreigners: number;
  released: IdLookupMeasurement;
  patched: IdLookupMeasurement;
}

async function measure(binary: string, sqliteFile: string, seedCount: number): Promise<IdLookupMeasurement> {
  const dir = await fs.mkdtemp(path.join(BENCH_DIR, 'id-probe-'));
  const [port, debugPort] = await Promise.all([freePort(), freePort()]);
  await fs.mkdir(path.join(dir, 'sqlite'));
  await fs.mkdir(path.join(dir, 'state'));
  await fs.copyFile(sqliteFile, path.join(dir, 'sqlite', path.basename(sqliteFile)));
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/sqlite/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      `--state-dir=${dir}/state`,
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connection = mongoose.createConnection(`mongodb://127.0.0.1:${port}/`, {
    dbName: path.basename(sqliteFile, '.sqlite'),
    serverSelectionTimeoutMS: 30_000,
  });
  try {
    for (let i = 0; i < 200 && !(await isPortInUse(port)); i++) await new Promise((r) => setTimeout(r, 50));
    await connection.asPromise();
    const db = connection.db!;
    const foreigners = db.collection<{ _id: string }>('foreigners');
    const explained = (await db.command({ explain: { find: 'foreigners', filter: { _id: foreignerId(0) } } })) as {
      queryPlanner?: { Plan?: string[] };
    };
    const plan = (explained.queryPlanner?.Plan ?? []).join('; ').replace(/^.*detail=/, '');
    const median = async (times: number, op: (i: number) => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < times; i++) {
        const started = performance.now();
        await op(i);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return samples[Math.floor(samples.length / 2)]!;
    };
    const id = (i: number) => foreignerId((i * 7919) % seedCount);
    const findMs = await median(21, (i) => foreigners.find({ _id: id(i) }).toArray());
    const updateMs = await median(11, (i) => foreigners.updateOne({ _id: id(i) }, { $set: { benchTouched: true } }));
    return { plan, findMs, updateMs };
  } finally {
    await connection.close().catch(() => {});
    child.kill('SIGTERM');
    await exited;
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `_id` lookups and updates on the immigration database of a size, released FerretDB against the hub's build. */
export async function idFixProbe(
  released: string,
  patched: string,
  dataDir: string,
  seedCount: number,
): Promise<IdFixResult> {
  const sqliteFile = path.join(dataDir, 'ferretdb/sqlite/timpora_immigration.sqlite');
  return {
    foreigners: seedCount,
    released: await measure(released, sqliteFile, seedCount),
    patched: await measure(patched, sqliteFile, seedCount),
  };
}
