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
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { createTokenSigner } from '../common/auth/tokens.js';
import { loadHubConfig } from '../common/config/hub.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, defaultDbName } from '../common/config/services.js';
import { connectDatabase } from '../common/db/connection.js';
import { ensureFerretDbBinary, freePort } from '../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../common/project-root.js';

// ---------------------------------------------------------------------------------------------
// autocannon (it ships no types): the part used here

interface LoadRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: LoadRequest) => LoadRequest;
  onResponse?: (status: number, body: string) => void;
}
interface LoadResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: LoadRequest[];
}) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------

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
const DURATION_S = positive(args.duration, '--duration');
const WARMUP_S = positive(args.warmup, '--warmup');
const CONNECTIONS = positive(args.connections, '--connections');
const SEED_COUNT = positive(args['seed-count'], '--seed-count');
/** Seconds between memory samples during the run. */
const SAMPLE_EVERY_S = 10;

const log = (message: string) => process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SERVICES = ['gateway', ...SUBGRAPH_NAMES] as const;
type Service = (typeof SERVICES)[number];

// ---------------------------------------------------------------------------------------------
// The hub, started as `npm start` starts it, on ports and a data directory of its own

interface Hub {
  dataDir: string;
  urls: Record<Service, string>;
  ferretPort: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startHub(): Promise<Hub> {
  await ensureFerretDbBinary(log);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'timpora-soak-'));
  const ports = { gateway: await freePort(), ferret: await freePort(), ferretDebug: await freePort() };
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    SEED_COUNT: String(SEED_COUNT),
    FERRETDB_PORT: String(ports.ferret),
    FERRETDB_DEBUG_PORT: String(ports.ferretDebug),
    GATEWAY_PORT: String(ports.gateway),
    EXPLORER: 'disabled',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  const urls = { gateway: `http://127.0.0.1:${ports.gateway}/graphql` } as Record<Service, string>;
  for (const name of SUBGRAPH_NAMES) {
    const port = await freePort();
    const prefix = SUBGRAPH_ENV_PREFIX[name];
    env[`${prefix}_PORT`] = String(port);
    env[`${prefix}_URL`] = urls[name] = `http://127.0.0.1:${port}/graphql`;
  }
  const logFile = path.join(dataDir, 'hub.log');
  const output = createWriteStream(logFile);
  await once(output, 'open');
  // its own process group, which the terminal does not signal: the soak stops it itself
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', output, output],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // `npm start` runs each service in a session of its own and logs its pid ("police started (pid 123)");
  // a pid counts only while its process still runs with this hub's DATA_DIR (pids are reused)
  const killAll = async () => {
    const logged = await fs.readFile(logFile, 'utf8').catch(() => '');
    for (const pid of [child.pid!, ...[...logged.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]))]) {
      const environ = await fs.readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
      if (!environ.split('\0').includes(`DATA_DIR=${dataDir}`)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  };
  const hub: Hub = {
    dataDir,
    urls,
    ferretPort: ports.ferret,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // `npm start` stops the gateway, the subgraphs, then FerretDB
        child.kill('SIGTERM');
        const timer = setTimeout(() => void killAll(), 60_000);
        await exited;
        clearTimeout(timer);
      }
      await killAll(); // anything it left behind
      output.end();
    },
  };
  log(`Starting a hub in ${dataDir} (gateway ${urls.gateway}, ${SEED_COUNT} WNA; log: ${logFile})…`);
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const problem =
      child.exitCode !== null
        ? `the hub exited with code ${child.exitCode} during start-up`
        : Date.now() > deadline
          ? 'the hub was not ready after 15 minutes'
          : null;
    if (problem) {
      await hub.stop();
      throw new Error(`${problem}; see ${logFile} (kept)`);
    }
    const ready = await fetch(new URL('/ready', urls.gateway), { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return hub;
    await sleep(1000);
  }
}

// ---------------------------------------------------------------------------------------------
// Memory of each process, from its /metrics

interface Memory {
  heapUsed: number;
  rss: number;
}

function sample(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** A service's `/metrics`, tried again once: a kept-alive connection may close just as it is reused. */
async function metricsText(graphqlUrl: string): Promise<string> {
  const get = async () =>
    (await fetch(new URL('/metrics', graphqlUrl), { signal: AbortSignal.timeout(10_000) })).text();
  try {
    return await get();
  } catch {
    await sleep(500);
    return get();
  }
}

async function memoryOf(urls: Record<Service, string>): Promise<Record<Service, Memory>> {
  const entries = await Promise.all(
    SERVICES.map(async (service) => {
      const text = await metricsText(urls[service]);
      const memory: Memory = {
        heapUsed: sample(text, 'nodejs_heap_size_used_bytes'),
        rss: sample(text, 'process_resident_memory_bytes'),
      };
      return [service, memory] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Service, Memory>;
}

// ---------------------------------------------------------------------------------------------
// The mixed load

const PAGE = `query SoakPage($regionCode: String!, $first: Int!) {
  foreigners(filter: { regionCode: $regionCode }, first: $first) {
    totalCount
    nodes { id fullName nationality currentPermit { number expiresAt } selfReports { number } residence { region { name } } }
  }
}`;
const PROFILE = `query SoakProfile($id: ID!) {
  foreigner(id: $id) {
    fullName nationality passportNumber stayPermits { number status } incidents { category } residence { address } employment { employer }
  }
}`;
const STATISTICS = `query SoakStatistics($regionCode: String!) {
  foreignerStatistics(regionCode: $regionCode, groupBy: [NATIONALITY]) { total groups { nationality count } }
}`;
const REPORT = `mutation SoakReport($input: SubmitCommunityReportInput!) {
  submitCommunityReport(input: $input) { communityReport { id } }
}`;

/** What the load sent and got back, counted on the client side. */
interface Tally {
  byOperation: Record<string, number>;
  statuses: Record<string, number>;
  errorCodes: Record<string, number>;
}

function mixedLoad(tokens: { reader: string; writer: string }, tally: Tally, runId: string): LoadRequest[] {
  let n = 0;
  let lastMutation: { key: string; body: string } | null = null;
  const next = (): { operation: string; body: string; token: string; key?: string } => {
    n += 1;
    const slot = n % 20;
    if (slot < 6) {
      return {
        operation: 'page',
        token: tokens.reader,
        body: JSON.stringify({ query: PAGE, variables: { regionCode: '16.01', first: 20 } }),
      };
    }
    if (slot < 13) {
      const id = `WNA-${String(((n * 7919) % SEED_COUNT) + 1).padStart(6, '0')}`;
      return {
        operation: 'profile',
        token: tokens.reader,
        body: JSON.stringify({ query: PROFILE, variables: { id } }),
      };
    }
    if (slot < 17) {
      return {
        operation: 'statistics',
        token: tokens.reader,
        body: JSON.stringify({ query: STATISTICS, variables: { regionCode: '16' } }),
      };
    }
    // a mutation with a new key, or (one in three) a retry of the previous one
    if (slot === 19 && lastMutation) return { operation: 'retry', token: tokens.writer, ...lastMutation };
    const key = randomUUID();
    const body = JSON.stringify({
      query: REPORT,
      variables: {
        input: {
          category: 'OTHER',
          regionCode: '16.01.14.1001',
          reportedAt: new Date().toISOString(),
          description: `soak ${runId} ${key}`,
          reportedBy: 'Soak test',
        },
      },
    });
    lastMutation = { key, body };
    return { operation: 'mutation', token: tokens.writer, body, key };
  };
  return [
    {
      method: 'POST',
      path: '/graphql',
      setupRequest(request) {
        const { operation, body, token, key } = next();
        tally.byOperation[operation] = (tally.byOperation[operation] ?? 0) + 1;
        return {
          ...request,
          body,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-purpose': 'soak test',
            ...(key ? { 'idempotency-key': key } : {}),
          },
        };
      },
      onResponse(status, body) {
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
        let codes: string[] = [];
        try {
          const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
          codes = [...new Set((parsed.errors ?? []).map((e) => e.extensions?.code ?? 'NONE'))];
        } catch {
          codes = ['NOT_JSON'];
        }
        for (const code of codes) tally.errorCodes[code] = (tally.errorCodes[code] ?? 0) + 1;
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const startedAt = new Date();
  let stopping: Promise<void> | null = null;
  const loadAtStart = os.loadavg()[0]!;
  const hub = await startHub();
  // Ctrl-C stops the hub too (it runs in a process group of its own, which the terminal does not signal)
  process.once('SIGINT', () => {
    stopping ??= hub.stop().finally(() => process.exit(130));
  });
  let failed = false;
  try {
    const sign = await createTokenSigner(loadHubConfig({ DATA_DIR: hub.dataDir }).auth);
    const tokens = {
      reader: await sign({
        agencyType: 'IMMIGRATION',
        agency: 'KANIM-BATURAJA',
        jurisdiction: ['16.01', '16.08', '16.09'],
      }),
      writer: await sign({ agencyType: 'LOCAL_GOVERNMENT', agency: 'DUKCAPIL-OKU', jurisdiction: ['16.01'] }),
    };
    // the community reports of the run (not the warm-up's) are found by this id in their description
    const runId = randomUUID().slice(0, 8);
    const tally: Tally = { byOperation: {}, statuses: {}, errorCodes: {} };
    const load = (seconds: number, id: string) =>
      autocannon({
        url: hub.urls.gateway,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 30,
        requests: mixedLoad(tokens, tally, id),
      });

    log(`Warm-up: ${WARMUP_S} s at ${CONNECTIONS} connections…`);
    await load(WARMUP_S, 'warm-up');
    // the figures are the run's: the warm-up's answers are not counted
    for (const counts of [tally.statuses, tally.errorCodes, tally.byOperation]) {
      for (const key of Object.keys(counts)) delete counts[key];
    }
    const before = await memoryOf(hub.urls);

    log(`Soak: ${DURATION_S} s of mixed load at ${CONNECTIONS} connections…`);
    const samples: { atS: number; memory: Record<Service, Memory> }[] = [{ atS: 0, memory: before }];
    const soakStart = Date.now();
    const sampler = setInterval(() => {
      void memoryOf(hub.urls).then(
        (memory) => samples.push({ atS: Math.round((Date.now() - soakStart) / 1000), memory }),
        () => {},
      );
    }, SAMPLE_EVERY_S * 1000);
    const result = await load(DURATION_S, runId);
    clearInterval(sampler);
    const after = await memoryOf(hub.urls);
    samples.push({ atS: Math.round((Date.now() - soakStart) / 1000), memory: after });

    // every mutation key that was answered wrote one community report, retries none
    const db = await connectDatabase(`mongodb://127.0.0.1:${hub.ferretPort}/`, defaultDbName('local-government'));
    const written = await db.connection
      .collection('community_reports')
      .countDocuments({ description: { $regex: `^soak ${runId} ` } });
    await db.close();

    const fivexx = Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => Number(code) >= 500)
      .reduce((sum, [, s]) => sum + s.count, 0);
    const report = renderReport({
      startedAt,
      loadAverages: [loadAtStart, os.loadavg()[0]!],
      result,
      tally,
      fivexx,
      written,
      before,
      after,
      samples,
    });
    process.stdout.write(`\n${report}\n`);
    if (args.doc) await writeDoc(report);
    if (fivexx > 0) failed = true;
  } finally {
    log('Stopping the hub…');
    await (stopping ??= hub.stop());
    if (!args.keep) await fs.rm(hub.dataDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

interface ReportInput {
  startedAt: Date;
  /** The machine's 1-minute load average when the soak started and when it ended. */
  loadAverages: [number, number];
  result: LoadResult;
  tally: Tally;
  fivexx: number;
  written: number;
  before: Record<Service, Memory>;
  after: Record<Service, Memory>;
  samples: { atS: number; memory: Record<Service, Memory> }[];
}

/** The least-squares slope of heap use over the run, in MB per minute. */
function heapSlope(samples: ReportInput['samples'], service: Service): number {
  const points = samples.map((s) => [s.atS / 60, s.memory[service].heapUsed / 1024 / 1024] as const);
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

function renderReport(r: ReportInput): string {
  const lines: string[] = [];
  const out = (line = '') => lines.push(line);
  const sent = r.tally.byOperation;
  const mutations = (sent.mutation ?? 0) + (sent.retry ?? 0);
  out('## Soak');
  out();
  out(
    `Written by \`npm run soak\` on ${r.startedAt.toISOString().slice(0, 10)}: a hub of its own (${SEED_COUNT.toLocaleString('en')} WNA, ` +
      `embedded FerretDB), ${WARMUP_S} s of warm-up, then ${DURATION_S} s of mixed load at ${CONNECTIONS} connections: ` +
      `pages of 20 foreigners with fields of all three subgraphs, cross-agency profiles, statistics, and community ` +
      `reports submitted with an \`Idempotency-Key\`, one in three of them retried with the same key and body. ` +
      `The machine's load average (1 min) was ${r.loadAverages[0].toFixed(1)} when it started and ` +
      `${r.loadAverages[1].toFixed(1)} when it ended, on ${os.cpus().length} cores.`,
  );
  out();
  const growing = SERVICES.filter(
    (s) => heapSlope(r.samples, s) > 1 || r.after[s].heapUsed > r.before[s].heapUsed * 1.2,
  );
  const timeouts = r.tally.errorCodes.SUBGRAPH_TIMEOUT ?? 0;
  out(
    `**${r.fivexx === 0 ? 'No' : r.fivexx} HTTP 5xx answers; ` +
      `${growing.length === 0 ? 'no steady memory growth' : `heap growing in ${growing.join(', ')}`}** ` +
      '(heap after the run against after the warm-up, and the least-squares trend over the run). ' +
      (timeouts > 0
        ? `${timeouts} answers carried \`SUBGRAPH_TIMEOUT\`: a subgraph fetch took longer than ` +
          '`SUBGRAPH_TIMEOUT_MS` (10 s) while FerretDB scanned whole collections for ten concurrent ' +
          'requests; those answers still came, with HTTP 200 and that subgraph’s fields null. '
        : '') +
      'Throughput and latency are FerretDB’s (the benchmark above explains them): the point here is the absence ' +
      'of server errors, duplicates and leaks, not speed.',
  );
  out();
  out('| figure | value |');
  out('| --- | ---: |');
  out(
    `| requests answered | ${r.result.requests.total.toLocaleString('en')} (${r.result.requests.average.toFixed(1)} req/s) |`,
  );
  out(
    `| sent: pages / profiles / statistics / mutations (of which retries) | ${sent.page ?? 0} / ${sent.profile ?? 0} / ${sent.statistics ?? 0} / ${mutations} (${sent.retry ?? 0}) |`,
  );
  out(`| **HTTP 5xx** | **${r.fivexx}** |`);
  out(
    `| HTTP statuses | ${Object.entries(r.tally.statuses)
      .map(([s, c]) => `${s}: ${c}`)
      .join(', ')} |`,
  );
  out(`| connection errors / timeouts | ${r.result.errors} / ${r.result.timeouts} |`);
  out(
    `| GraphQL error codes in answers | ${
      Object.entries(r.tally.errorCodes)
        .map(([code, c]) => `${code}: ${c}`)
        .join(', ') || 'none'
    } |`,
  );
  out(`| latency p50 / p99 / max | ${r.result.latency.p50} / ${r.result.latency.p99} / ${r.result.latency.max} ms |`);
  out(
    `| community reports written for ${(sent.mutation ?? 0).toLocaleString('en')} keys (${sent.retry ?? 0} retries) | ${r.written} |`,
  );
  out();
  out('Memory of each process, from its `/metrics` (`nodejs_heap_size_used_bytes`, `process_resident_memory_bytes`), ');
  out(`after the warm-up and after the run, with the trend of heap use over ${r.samples.length} samples:`);
  out();
  out('| process | heap used before → after (MB) | RSS before → after (MB) | heap trend (MB/min) |');
  out('| --- | ---: | ---: | ---: |');
  for (const service of SERVICES) {
    const b = r.before[service];
    const a = r.after[service];
    out(
      `| ${service} | ${mb(b.heapUsed)} → ${mb(a.heapUsed)} | ${mb(b.rss)} → ${mb(a.rss)} | ${heapSlope(r.samples, service).toFixed(2)} |`,
    );
  }
  out();
  out(`Heap used per process during the run (MB), every ${SAMPLE_EVERY_S} s:`);
  out();
  out(`| s | ${SERVICES.join(' | ')} |`);
  out(`| ---: | ${SERVICES.map(() => '---:').join(' | ')} |`);
  for (const s of r.samples)
    out(`| ${s.atS} | ${SERVICES.map((service) => mb(s.memory[service].heapUsed)).join(' | ')} |`);
  out();
  return lines.join('\n');
}

/** Replaces (or appends) the "Soak" section of docs/BENCHMARKS.md, or writes docs/SOAK.md. */
async function writeDoc(section: string): Promise<void> {
  const benchmarks = path.join(PROJECT_ROOT, 'docs/BENCHMARKS.md');
  const existing = await fs.readFile(benchmarks, 'utf8').catch(() => null);
  if (existing === null) {
    const file = path.join(PROJECT_ROOT, 'docs/SOAK.md');
    const options = (await prettier.resolveConfig(file)) ?? {};
    const text = `# Soak\n\n${section.replace(/^## Soak\n\n/, '')}`;
    await fs.writeFile(file, await prettier.format(text, { ...options, parser: 'markdown' }));
    log(`Wrote ${path.relative(process.cwd(), file)}`);
    return;
  }
  const start = existing.search(/^## Soak$/m);
  let updated: string;
  if (start < 0) {
    updated = `${existing.trimEnd()}\n\n${section}`;
  } else {
    const rest = existing.slice(start + '## Soak'.length);
    const next = rest.search(/^## /m);
    updated = existing.slice(0, start) + section + (next < 0 ? '' : `\n${rest.slice(next)}`);
  }
  const options = (await prettier.resolveConfig(benchmarks)) ?? {};
  await fs.writeFile(benchmarks, await prettier.format(updated, { ...options, parser: 'markdown' }));
  log(`Wrote the Soak section of ${path.relative(process.cwd(), benchmarks)}`);
}

main().catch((e: Error) => {
  process.stderr.write(`soak: ${e.message}\n`);
  process.exit(1);
});
