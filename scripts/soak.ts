/**
 * `npm run soak`: a hub of its own (free ports, a temporary DATA_DIR, demo data) under mixed
 * load for two minutes — pages, profiles, statistics and idempotent mutations, some of them
 * retried — counting 5xx answers and error codes, and reading heap and resident memory of the
 * gateway and each subgraph from their `/metrics` before, during and after. Not part of CI.
 *
 *   npm run soak -- [--duration 120] [--warmup 20] [--connections 10] [--seed-count 1000] [--doc] [--keep]
 *
 * `--doc` writes the figures as the "Soak" section of docs/BENCHMARKS.md (replacing an earlier
 * one), or of docs/SOAK.md when there is no benchmark report; `--keep` keeps the data directory.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createTokenSigner } from '../common/auth/tokens.js';
import { defaultDbName } from '../common/config/services.js';
import { connectDatabase } from '../common/db/connection.js';
import { stopEverything } from './hub-processes.js';
import { startHub, type SoakHub } from './soak/hub.js';
import { memoryOf } from './soak/memory.js';
import { mixedLoad, type Tally } from './soak/mixed-load.js';
import { renderReport, writeDoc, type ReportInput, type SoakSettings } from './soak/report.js';

const USAGE = `usage: npm run soak -- [--duration SECONDS] [--warmup SECONDS] [--connections N] [--seed-count N] [--doc] [--keep]`;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '120' },
    warmup: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10' },
    'seed-count': { type: 'string', default: '1000' },
    doc: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`soak: ${name} must be a positive integer (got "${value}")\n${USAGE}\n`);
    process.exit(1);
  }
  return n;
}
const SETTINGS: SoakSettings = {
  durationS: positive(args.duration, '--duration'),
  warmupS: positive(args.warmup, '--warmup'),
  connections: positive(args.connections, '--connections'),
  seedCount: positive(args['seed-count'], '--seed-count'),
  sampleEveryS: 10,
};

const log = (message: string) => process.stderr.write(`${message}\n`);

type Sample = ReportInput['samples'][number];

/** A reader of the region's foreigners and a local government that submits community reports. */
async function signTokens(hub: SoakHub): Promise<{ reader: string; writer: string }> {
  const sign = await createTokenSigner(hub.config.auth);
  return {
    reader: await sign({
      agencyType: 'IMMIGRATION',
      agency: 'KANIM-BATURAJA',
      jurisdiction: ['16.01', '16.08', '16.09'],
    }),
    writer: await sign({ agencyType: 'LOCAL_GOVERNMENT', agency: 'DUKCAPIL-OKU', jurisdiction: ['16.01'] }),
  };
}

/** The community reports the run wrote: every mutation key answered wrote one, retries none. */
async function reportsWritten(hub: SoakHub, runId: string): Promise<number> {
  const db = await connectDatabase(hub.mongoUri, defaultDbName('local-government'));
  try {
    return await db.connection
      .collection('community_reports')
      .countDocuments({ description: { $regex: `^soak ${runId} ` } });
  } finally {
    await db.close();
  }
}

/** The warm-up, then the measured load with memory sampled before, during and after it. */
async function soak(hub: SoakHub, tally: Tally, runId: string) {
  const tokens = await signTokens(hub);
  const { connections, warmupS, durationS, seedCount } = SETTINGS;
  const load = (seconds: number, id: string) =>
    autocannon({
      url: hub.urls.gateway,
      connections,
      duration: seconds,
      timeout: 30,
      requests: mixedLoad(tokens, tally, id, seedCount),
    });

  log(`Warm-up: ${warmupS} s at ${connections} connections…`);
  await load(warmupS, 'warm-up');
  // the figures are the run's: the warm-up's answers are not counted
  for (const counts of [tally.statuses, tally.errorCodes, tally.byOperation]) {
    for (const key of Object.keys(counts)) delete counts[key];
  }
  const before = await memoryOf(hub.urls);

  log(`Soak: ${durationS} s of mixed load at ${connections} connections…`);
  const samples: Sample[] = [{ atS: 0, memory: before }];
  const soakStart = Date.now();
  const sampler = setInterval(() => {
    void memoryOf(hub.urls).then(
      (memory) => samples.push({ atS: Math.round((Date.now() - soakStart) / 1000), memory }),
      () => {},
    );
  }, SETTINGS.sampleEveryS * 1000);
  const result = await load(durationS, runId);
  clearInterval(sampler);
  const after = await memoryOf(hub.urls);
  samples.push({ atS: Math.round((Date.now() - soakStart) / 1000), memory: after });
  return { result, before, after, samples };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0]!;
  // Ctrl-C stops the hub's processes, the database last
  process.once('SIGINT', () => void stopEverything().finally(() => process.exit(130)));
  const hub = await startHub(SETTINGS.seedCount, log);
  let failed = false;
  try {
    // the community reports of the run (not the warm-up's) are found by this id in their description
    const runId = randomUUID().slice(0, 8);
    const tally: Tally = { byOperation: {}, statuses: {}, errorCodes: {} };
    const { result, ...memory } = await soak(hub, tally, runId);
    const written = await reportsWritten(hub, runId);
    const fivexx = Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => Number(code) >= 500)
      .reduce((sum, [, s]) => sum + s.count, 0);
    const report = renderReport({
      settings: SETTINGS,
      startedAt,
      loadAverages: [loadAtStart, os.loadavg()[0]!],
      result,
      tally,
      fivexx,
      written,
      ...memory,
    });
    process.stdout.write(`\n${report}\n`);
    if (args.doc) await writeDoc(report, log);
    if (fivexx > 0) failed = true;
  } finally {
    log('Stopping the hub…');
    await hub.stop();
    if (!args.keep) await fs.rm(hub.dataDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e: Error) => {
  process.stderr.write(`soak: ${e.message}\n`);
  process.exit(1);
});
