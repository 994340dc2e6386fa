/**
 * Released FerretDB against the hub's build, on the benchmark's own data: the query shapes the
 * subgraphs send, through the driver, one at a time while nothing else runs. Both engines are
 * started in turn on a copy of a size's immigration database (the released build as
 * `ensureFerretDbBinary(log, { patches: [] })` builds it, cached), so the comparison shows what
 * the patches in `scripts/ferretdb/patches/` change and what they leave to FerretDB.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureFerretDbBinary } from '../../common/db/ferretdb-build.js';
import { freePort, isPortInUse } from '../../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { ONE_REPLY } from '../../common/db/loaders.js';
import { nameContainsCondition } from '../../common/name-trigrams.js';
import { foreignerQueryFilter } from '../../subgraphs/immigration/src/services/foreigner-filters.js';
import { NAME_FRAGMENT, PAGE_REGION, PAGE_SIZE, STATS_REGION, foreignerId } from './workloads.js';

const BENCH_DIR = path.join(PROJECT_ROOT, '.cache/bench');

type Db = mongoose.mongo.Db;

/** A query shape the subgraphs send, as the driver sends it. */
interface Shape {
  name: string;
  /** The query, for the report. */
  query: string;
  run(db: Db, ids: string[]): Promise<unknown>;
}

export const SHAPES: Shape[] = [
  {
    name: 'id-in',
    query: `foreigners \`{ _id: { $in: [${PAGE_SIZE} ids] } }\``,
    run: (db, ids) =>
      db
        .collection<{ _id: string }>('foreigners')
        .find({ _id: { $in: ids } })
        .batchSize(ONE_REPLY)
        .toArray(),
  },
  {
    name: 'records-in',
    query: `stay_permits \`{ foreignerId: { $in: [${PAGE_SIZE} ids] } }\`, sorted by \`{ expiresAt: -1, _id: 1 }\``,
    run: (db, ids) =>
      db
        .collection('stay_permits')
        .find({ foreignerId: { $in: ids } })
        .sort({ expiresAt: -1, _id: 1 })
        .batchSize(ONE_REPLY)
        .toArray(),
  },
  {
    name: 'region-page',
    query: `foreigners \`{ domicileRegency: "${PAGE_REGION}" }\` in \`_id\` order, limit ${PAGE_SIZE + 1}`,
    run: (db) =>
      db
        .collection('foreigners')
        .find({ domicileRegency: PAGE_REGION })
        .sort({ _id: 1 })
        .limit(PAGE_SIZE + 1)
        .batchSize(PAGE_SIZE + 1)
        .toArray(),
  },
  {
    name: 'region-count',
    query: `foreigners \`countDocuments({ domicileRegency: "${PAGE_REGION}" })\``,
    run: (db) => db.collection('foreigners').countDocuments({ domicileRegency: PAGE_REGION }),
  },
  {
    name: 'gaps-page',
    query:
      `foreigners \`{ $and: [{ domicileRegency: "${PAGE_REGION}" }, { "currentPermit.type": { $in: [ITAS, ITAP] } }, ` +
      `<permit in force> ] }\` in \`_id\` order, limit ${PAGE_SIZE + 1} (the registration gaps' page)`,
    run: (db) =>
      db
        .collection('foreigners')
        .find(
          foreignerQueryFilter(
            { regionCode: PAGE_REGION, permitTypes: ['LIMITED_STAY', 'PERMANENT_STAY'], permitStatus: 'ACTIVE' },
            // the filter's region gives the zone the permit status is judged in
            new Map(),
            true,
          ) as mongoose.mongo.Filter<mongoose.mongo.Document>,
        )
        .sort({ _id: 1 })
        .limit(PAGE_SIZE + 1)
        .batchSize(PAGE_SIZE + 1)
        .toArray(),
  },
  {
    name: 'group-count',
    query: `foreigners \`[{ $match: { domicileProvince: "${STATS_REGION}" } }, { $group: { _id: "$nationality", count: { $sum: 1 } } }]\``,
    run: (db) =>
      db
        .collection('foreigners')
        .aggregate([
          { $match: { domicileProvince: STATS_REGION } },
          { $group: { _id: '$nationality', count: { $sum: 1 } } },
        ])
        .toArray(),
  },
  {
    name: 'name-regex',
    // the hub's filter: the fragment's trigrams (each an equality on the multikey index), then the regex;
    // patch 0020 reads the rarest trigram's ids from the multikey table in _id order and stops after the page
    query: `foreigners \`${JSON.stringify(nameContainsCondition(NAME_FRAGMENT, true)).replace(/"(\$?\w+)":/g, '$1: ')}\` in \`_id\` order, limit ${PAGE_SIZE + 1}`,
    run: (db) =>
      db
        .collection('foreigners')
        .find(nameContainsCondition(NAME_FRAGMENT, true))
        .sort({ _id: 1 })
        .limit(PAGE_SIZE + 1)
        .batchSize(PAGE_SIZE + 1)
        .toArray(),
  },
  {
    name: 'name-count',
    // the name search's totalCount (patch 0019: the trigrams' ids intersected in the multikey table)
    query: "foreigners `countDocuments(<the same filter>)` (the name search's `totalCount`)",
    run: (db) => db.collection('foreigners').countDocuments(nameContainsCondition(NAME_FRAGMENT, true)),
  },
];

export interface EngineShapeResult {
  name: string;
  query: string;
  /** Median ms, released FerretDB and the hub's build. */
  releasedMs: number;
  hubMs: number;
}

export interface EngineProbeResult {
  foreigners: number;
  /** Runs per shape and engine (the median is reported). */
  repeats: number;
  shapes: EngineShapeResult[];
}

/** Runs every shape `repeats` times on one engine; the median ms of each. */
async function measure(binary: string, sqliteFile: string, ids: string[], repeats: number): Promise<number[]> {
  await fs.mkdir(BENCH_DIR, { recursive: true });
  const dir = await fs.mkdtemp(path.join(BENCH_DIR, 'engine-probe-'));
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
    const medians: number[] = [];
    for (const shape of SHAPES) {
      await shape.run(db, ids); // warms the page cache and the connection
      const samples: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        await shape.run(db, ids);
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      medians.push(samples[Math.floor(samples.length / 2)]!);
    }
    return medians;
  } finally {
    await connection.close().catch(() => {});
    child.kill('SIGTERM');
    await exited;
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * The shapes on the immigration database a size left in `dataDir` (its FerretDB stopped),
 * released FerretDB first, then the hub's build. The `$in` shapes ask for 100 foreigners
 * spread over the whole collection.
 */
export async function engineProbe(
  dataDir: string,
  seedCount: number,
  log: (message: string) => void,
): Promise<EngineProbeResult> {
  const released = await ensureFerretDbBinary(log, { patches: [] });
  const hub = await ensureFerretDbBinary(log);
  const sqliteFile = path.join(dataDir, 'ferretdb/sqlite/timpora_immigration.sqlite');
  const ids = Array.from({ length: Math.min(PAGE_SIZE, seedCount) }, (_, i) => foreignerId((i * 7919) % seedCount));
  // the released engine reads whole tables: fewer runs at larger sizes
  const repeats = seedCount <= 20_000 ? 5 : seedCount <= 100_000 ? 3 : 1;
  const releasedMs = await measure(released, sqliteFile, ids, repeats);
  const hubMs = await measure(hub, sqliteFile, ids, repeats);
  return {
    foreigners: seedCount,
    repeats,
    shapes: SHAPES.map((s, i) => ({ name: s.name, query: s.query, releasedMs: releasedMs[i]!, hubMs: hubMs[i]! })),
  };
}
