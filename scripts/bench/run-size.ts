/**
 * One data size of the benchmark: a fresh embedded FerretDB in `.cache/bench/size-<N>/`, the
 * demo data seeded into it, the hub's processes, Hive Gateway and the raw-read endpoint started
 * on free ports, the answers checked against each other, then the measurements.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createTokenSigner } from '../../common/auth/tokens.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { freePort } from '../../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { connectionsOf, openHubDatabases } from '../../common/db/hub-databases.js';
import { seedDemoData } from '../seed/index.js';
import { runLoad } from './load.js';
import { difference, snapshot, type Snapshot } from './metrics.js';
import type { BenchOptions } from './options.js';
import { cpuOf, sampleProcess, spawnService, stopOnInterrupt, waitIdle, waitReady, type Service } from './processes.js';
import {
  TARGETS,
  type LoadMode,
  type Measurement,
  type PageSizeMeasurement,
  type SequentialMeasurement,
  type SizeResult,
  type Target,
} from './results.js';
import { requestBody, workloads, type Workload } from './workloads.js';
import { demoToday } from '../seed/dates.js';

export const BENCH_DIR = path.join(PROJECT_ROOT, '.cache/bench');

const ENTRY_POINTS: Record<SubgraphName | 'gateway' | 'hive' | 'raw', string> = {
  immigration: 'subgraphs/immigration/src/main.ts',
  police: 'subgraphs/police/src/main.ts',
  'local-government': 'subgraphs/local-government/src/main.ts',
  gateway: 'gateway/src/main.ts',
  hive: 'scripts/bench/hive-gateway.ts',
  raw: 'scripts/bench/raw-server.ts',
};

/**
 * Seconds a request may take before it counts as failed (autocannon, and the gateways' subgraph
 * timeout, which allows at most 120 s): long enough for the last request of a burst on a busy machine.
 */
const REQUEST_TIMEOUT_SECONDS = 120;

type Log = (message: string) => void;

/** Bytes of the files under `dir` (FerretDB's SQLite databases, their WAL and state). */
async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** `--hold` ended with Ctrl-C: the run stops after its processes are stopped. */
export class HoldEnded extends Error {}

interface Endpoints {
  /** Where each target takes its POSTs. */
  targets: Record<Target, string>;
  subgraphs: Record<SubgraphName, string>;
  raw: string;
}

interface Running {
  services: Service[];
  pids: Record<string, number>;
  endpoints: Endpoints;
}

async function postJson(url: string, headers: Record<string, string>, body: string) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_SECONDS * 1000),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let json: { data?: Record<string, unknown> | null; errors?: unknown[] } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // reported below as a failed answer
  }
  return { status: response.status, json, bytes: Buffer.byteLength(text), ms };
}

async function rawCommands(rawUrl: string): Promise<number> {
  const response = await fetch(new URL('/commands', rawUrl));
  return ((await response.json()) as { commands: number }).commands;
}

type Answer = Awaited<ReturnType<typeof postJson>>;

/** Compares the first answers of the three targets to a workload; the problems found. */
function compareAnswers(w: Workload, answers: Record<Target, Answer>): string[] {
  const problems: string[] = [];
  for (const target of TARGETS) {
    const answer = answers[target];
    if (answer.status !== 200 || answer.json.errors || !answer.json.data) {
      problems.push(
        `${w.name}: ${target} answered HTTP ${answer.status}${answer.json.errors ? ` with errors ${JSON.stringify(answer.json.errors).slice(0, 300)}` : ''}`,
      );
    }
  }
  const { hub, hive, raw } = answers;
  if (!isDeepStrictEqual(hub.json.data, hive.json.data)) {
    problems.push(`${w.name}: the hub and Hive Gateway answered differently`);
  }
  const hubData = hub.json.data ?? {};
  const rawData = (raw.json.data ?? {}) as Record<string, unknown>;
  if (w.name === 'page' || w.name === 'gaps' || w.name === 'name') {
    const page = hubData.foreigners as { totalCount: number; nodes: { id: string }[] } | undefined;
    const rawNodes = (rawData.nodes as { _id: string }[] | undefined)?.map((n) => n._id);
    if (
      page?.totalCount !== rawData.totalCount ||
      !isDeepStrictEqual(
        page?.nodes.map((n) => n.id),
        rawNodes,
      )
    ) {
      problems.push(`${w.name}: the raw reads found other foreigners than the hub`);
    }
  } else if (w.name === 'profile') {
    const id = (hubData.foreigner as { id: string } | undefined)?.id;
    if (id !== (rawData.foreigner as { _id: string } | undefined)?._id) {
      problems.push('profile: the raw reads found another foreigner than the hub');
    }
  } else {
    const stats = hubData.foreignerStatistics as { total: number; groups: unknown[] } | undefined;
    const rawGroups = rawData.groups as unknown[] | undefined;
    if (stats?.total !== rawData.total || stats?.groups.length !== rawGroups?.length) {
      problems.push(
        `${w.name}: the hub counted ${stats?.total} in ${stats?.groups.length} groups, the raw reads ` +
          `${String(rawData.total)} in ${rawGroups?.length}`,
      );
    }
  }
  return problems;
}

interface SequentialContext {
  endpoints: Endpoints;
  headers: Record<string, string>;
  limits: { requests: number; seconds: number };
  /** The processes whose CPU time a target spends. */
  processes: (target: Target) => Record<string, number>;
}

/**
 * Single requests one after another: unloaded latency, exact database commands and CPU time per
 * request (the requests of the same workload are the same for every target: request `i` asks
 * for the same foreigner). Returns the first answer too, to compare the targets' answers.
 */
async function sequential(
  target: Target,
  workload: Workload,
  ctx: SequentialContext,
  overrides: Record<string, unknown> = {},
): Promise<{ measurement: SequentialMeasurement; first: Answer }> {
  const { endpoints, limits } = ctx;
  const subgraphUrls = Object.values(endpoints.subgraphs);
  const procs = ctx.processes(target);
  const read = async () => ({
    metrics: target === 'raw' ? null : await snapshot(subgraphUrls),
    raw: target === 'raw' ? await rawCommands(endpoints.raw) : 0,
    cpu: await cpuOf(procs),
  });
  const send = (i: number) =>
    postJson(
      endpoints.targets[target],
      { ...ctx.headers, 'x-request-id': `bench-seq-${i}-${Date.now()}` },
      requestBody(workload, i, overrides),
    );
  // one untimed request first: the database's one-off work for a collection (the engine's checks,
  // computed on a collection's first query; the SQLite page cache) is not charged to whichever
  // target happens to be measured first
  await send(limits.requests + 1);
  let start = await read();
  const started = performance.now();
  const first = await send(0);
  const times: number[] = [];
  if (first.status === 200 && !first.json.errors) times.push(first.ms);
  // where there is time for more, the first request only warms up (JIT, connections) and the
  // figures come from the requests after it
  if (times.length === 1 && limits.requests > 1 && first.ms < (limits.seconds * 1000) / 3) {
    times.length = 0;
    start = await read();
    for (let i = 1; i <= limits.requests && (i === 1 || performance.now() - started < limits.seconds * 1000); i++) {
      const answer = await send(i);
      if (answer.status !== 200 || answer.json.errors) break;
      times.push(answer.ms);
    }
  }
  const before = start.metrics;
  const rawBefore = start.raw;
  const cpuBefore = start.cpu;
  const cpuAfter = await cpuOf(procs);
  const requests = Math.max(1, times.length);
  times.sort((a, b) => a - b);
  const common = {
    workload: workload.name,
    target,
    medianMs: times[Math.floor(times.length / 2)] ?? NaN,
    requests: times.length,
    cpuMsPerRequest: Object.fromEntries(
      Object.keys(procs).map((name) => [name, (cpuAfter[name]! - cpuBefore[name]!) / requests]),
    ),
    responseBytes: first.bytes,
  };
  if (target === 'raw') {
    const commands = (await rawCommands(endpoints.raw)) - rawBefore;
    return {
      first,
      measurement: {
        ...common,
        commandsPerRequest: commands / requests,
        accessLogCommandsPerRequest: 0,
        byCollection: {},
        subgraphRequestsPerRequest: null,
      },
    };
  }
  const counts = difference(before!, await snapshot(subgraphUrls));
  return {
    first,
    measurement: {
      ...common,
      commandsPerRequest: counts.commands / requests,
      accessLogCommandsPerRequest: counts.accessLogCommands / requests,
      byCollection: Object.fromEntries(Object.entries(counts.byCollection).map(([k, v]) => [k, v / requests])),
      subgraphRequestsPerRequest: counts.subgraphRequests / requests,
    },
  };
}

async function startServices(size: number, ferretUri: string, dataDir: string, log: Log): Promise<Running> {
  const logDir = path.join(BENCH_DIR, 'logs', `size-${size}`);
  await fs.rm(logDir, { recursive: true, force: true });
  const [gatewayPort, hivePort, rawPort, ...subgraphPorts] = await Promise.all(
    [0, 1, 2, ...SUBGRAPH_NAMES.map(() => 0)].map(() => freePort()),
  );
  const subgraphs = Object.fromEntries(
    SUBGRAPH_NAMES.map((n, i) => [n, `http://127.0.0.1:${subgraphPorts[i]}/graphql`]),
  ) as Record<SubgraphName, string>;
  // the services' configuration, and nothing from the caller's shell: a MONGODB_URI or an
  // OTEL_EXPORTER_OTLP_ENDPOINT set there would change what is measured
  const base: Record<string, string> = {
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
  };
  const services: Service[] = [];
  const start = async (name: keyof typeof ENTRY_POINTS, env: Record<string, string>, args: string[] = []) => {
    const service = await spawnService(
      name,
      ENTRY_POINTS[name],
      { ...base, ...env },
      path.join(logDir, `${name}.log`),
      args,
    );
    services.push(service);
    return service;
  };
  try {
    log(`  starting the subgraphs (logs in ${path.relative(PROJECT_ROOT, logDir)}/)…`);
    await Promise.all(
      SUBGRAPH_NAMES.map(async (name) => {
        const prefix = SUBGRAPH_ENV_PREFIX[name];
        const service = await start(name, {
          MONGODB_URI: ferretUri,
          [`${prefix}_PORT`]: new URL(subgraphs[name]).port,
        });
        await waitReady(service, new URL('/ready', subgraphs[name]).href);
      }),
    );
    const gatewayEnv: Record<string, string> = {
      SUBGRAPH_TIMEOUT_MS: String(REQUEST_TIMEOUT_SECONDS * 1000),
      EXPLORER: 'disabled',
    };
    for (const name of SUBGRAPH_NAMES) gatewayEnv[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = subgraphs[name];
    log('  starting the hub gateway, Hive Gateway and the raw-read endpoint…');
    const [gateway, hive, raw] = await Promise.all([
      start('gateway', { ...gatewayEnv, GATEWAY_PORT: String(gatewayPort) }),
      start('hive', { ...gatewayEnv, GATEWAY_PORT: String(hivePort) }),
      start('raw', {}, ['--port', String(rawPort), '--mongodb-uri', ferretUri]),
    ]);
    await Promise.all([
      waitReady(gateway, `http://127.0.0.1:${gatewayPort}/ready`),
      waitReady(hive, `http://127.0.0.1:${hivePort}/readiness`),
      waitReady(raw, `http://127.0.0.1:${rawPort}/ready`),
    ]);
  } catch (e) {
    await stopServices(services);
    throw e;
  }
  return {
    services,
    pids: Object.fromEntries(services.map((s) => [s.name, s.pid])),
    endpoints: {
      targets: {
        hub: `http://127.0.0.1:${gatewayPort}/graphql`,
        hive: `http://127.0.0.1:${hivePort}/graphql`,
        raw: `http://127.0.0.1:${rawPort}/read`,
      },
      subgraphs,
      raw: `http://127.0.0.1:${rawPort}/`,
    },
  };
}

async function stopServices(services: Service[]): Promise<void> {
  // the gateways first, then the subgraphs and the raw endpoint
  const gateways = services.filter((s) => s.name === 'gateway' || s.name === 'hive');
  await Promise.all(gateways.map((s) => s.stop()));
  await Promise.all(services.filter((s) => !gateways.includes(s)).map((s) => s.stop()));
}

/** The processes whose CPU time a target's load spends. */
function processesOf(target: Target, pids: Record<string, number>, ferretPid: number): Record<string, number> {
  const own: Record<string, number> =
    target === 'raw'
      ? { raw: pids.raw! }
      : {
          [target === 'hub' ? 'gateway' : 'hive']: pids[target === 'hub' ? 'gateway' : 'hive']!,
          ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, pids[n]!])),
        };
  return { ...own, ferretdb: ferretPid };
}

export async function runSize(size: number, options: BenchOptions, log: Log): Promise<SizeResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadAverage = os.loadavg();
  const dataDir = path.join(BENCH_DIR, `size-${size}`);
  await fs.rm(path.join(dataDir, 'ferretdb'), { recursive: true, force: true });
  const [ferretPort, ferretDebugPort] = await Promise.all([freePort(), freePort()]);
  const config = loadHubConfig({
    DATA_DIR: dataDir,
    FERRETDB_PORT: String(ferretPort),
    FERRETDB_DEBUG_PORT: String(ferretDebugPort),
  });
  const hub = await openHubDatabases(config, { useRunning: false, log: (m) => log(`  ${m}`) });
  const ferret = hub.ferret!;
  const forgetFerret = stopOnInterrupt(ferret);
  let running: Running | null = null;
  try {
    log(`  seeding ${size.toLocaleString('en-US')} foreigners…`);
    const seedStarted = performance.now();
    const summary = await seedDemoData({
      connections: connectionsOf(hub),
      count: size,
      referenceDate: demoToday(),
      bulk: options.bulk,
      // a bulk load takes long enough to want its progress
      log: options.bulk ? (m) => log(`    ${m.trim()}`) : () => {},
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const documents: Record<string, number> = {};
    for (const name of SUBGRAPH_NAMES) {
      for (const [collection, n] of Object.entries(summary.collections[name])) documents[`${name}.${collection}`] = n;
    }
    log(
      `  seeded in ${seedSeconds.toFixed(1)} s: ${Object.values(documents)
        .reduce((s, n) => s + n, 0)
        .toLocaleString('en-US')} documents`,
    );
    // the seed stores each foreigner's latest crossing itself: record the immigration subgraph's
    // backfill of it as done, as a database written by today's seed needs it not
    // (subgraphs/immigration/src/index.ts; on FerretDB it costs one update per foreigner)
    await hub.databases.immigration.connection
      .db!.collection<{ _id: string }>('migrations')
      .updateOne(
        { _id: 'foreigner-last-crossing' },
        { $set: { completedAt: new Date(), result: 'written by the seed' } },
        { upsert: true },
      );
    await hub.close();

    const diskBytes = await directoryBytes(path.join(dataDir, 'ferretdb'));
    log(`  on disk: ${(diskBytes / 2 ** 30).toFixed(2)} GiB (FerretDB's SQLite files)`);
    const phase = { seed: seedSeconds, start: 0, sequential: 0, load: 0, probes: 0 };
    let mark = performance.now();
    const lap = (name: 'start' | 'sequential' | 'load') => {
      phase[name] = (performance.now() - mark) / 1000;
      mark = performance.now();
    };
    running = await startServices(size, ferret.uri, dataDir, log);
    const { endpoints, pids } = running;
    const sign = await createTokenSigner(config.auth);
    const token = await sign({ agencyType: 'IMMIGRATION', agency: 'DITJEN-IMIGRASI', jurisdiction: ['*'] });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'Benchmark of the TIMPORA hub' };
    const list = workloads(size).filter((w) => options.only.includes(w.name));

    if (options.hold) {
      // --hold: everything running on this size's data, for a look by hand
      log(`\n  hub gateway    ${endpoints.targets.hub}`);
      log(`  Hive Gateway   ${endpoints.targets.hive}`);
      log(`  raw reads      ${endpoints.targets.raw}`);
      for (const [name, url] of Object.entries(endpoints.subgraphs)) log(`  ${name.padEnd(14)} ${url}`);
      log(`  FerretDB       ${ferret.uri}`);
      log(`  token (IMMIGRATION, national): ${token}`);
      log('\n  Holding; Ctrl-C stops everything.');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      throw new HoldEnded();
    }

    lap('start');
    const allPids = [...Object.values(pids), ferret.process.pid!];
    const seqContext: SequentialContext = {
      endpoints,
      headers,
      limits: { requests: options.sequentialRequests, seconds: options.sequentialSeconds },
      processes: (t) => processesOf(t, pids, ferret.process.pid!),
    };
    log(
      `  single requests one after another (up to ${options.sequentialRequests} or ${options.sequentialSeconds} s ` +
        'per workload and target), answers compared…',
    );
    const seq: SequentialMeasurement[] = [];
    const mismatches: string[] = [];
    for (const w of list) {
      const firsts = {} as Record<Target, Answer>;
      for (const t of TARGETS) {
        const { measurement, first } = await sequential(t, w, seqContext);
        seq.push(measurement);
        firsts[t] = first;
        await waitIdle(allPids);
      }
      mismatches.push(...compareAnswers(w, firsts));
      log(
        `  ${w.name.padEnd(14)} ` +
          TARGETS.map((t) => {
            const m = seq.find((x) => x.workload === w.name && x.target === t)!;
            return `${t} ${m.medianMs.toFixed(0)} ms`;
          }).join(', '),
      );
    }
    if (mismatches.length > 0) for (const p of mismatches) log(`  ! ${p}`);
    else log('  answers agree: the hub and Hive Gateway byte for byte, the raw reads on ids and counts');
    const page = list.find((w) => w.name === 'page');
    const pageSizes: PageSizeMeasurement[] = [];
    // the commands a page costs depend on its shape, not on the data: measured at the first size
    // (of a `--merge` run too)
    if (page && !options.bulk && options.sizes[0] === size) {
      for (const first of [10, 1000]) {
        const { measurement: m } = await sequential('hub', page, seqContext, { first });
        pageSizes.push({
          first,
          commandsPerRequest: m.commandsPerRequest,
          readCommandsPerRequest: m.commandsPerRequest - m.accessLogCommandsPerRequest,
          medianMs: m.medianMs,
        });
      }
    }

    lap('sequential');
    const measurements: Measurement[] = [];
    const skipped: SizeResult['skipped'] = [];
    const subgraphUrls = Object.values(endpoints.subgraphs);
    let requestNumber = 1000;
    const measure = async (w: Workload, t: Target, mode: LoadMode, sameRequests: boolean): Promise<Measurement> => {
      const url = endpoints.targets[t];
      const loadOptions = { connections: options.connections, timeout: REQUEST_TIMEOUT_SECONDS, sameRequests };
      if (mode === 'timed') {
        await runLoad(url, headers, w, { ...loadOptions, duration: options.warmup }, requestNumber);
        requestNumber += 100_000;
      }
      // what the warm-up (or the previous target) left in flight is served before measuring
      await waitIdle(allPids);
      const procs = processesOf(t, pids, ferret.process.pid!);
      const before: Snapshot | null = t === 'raw' ? null : await snapshot(subgraphUrls);
      const rawBefore = t === 'raw' ? await rawCommands(endpoints.raw) : 0;
      const cpuBefore = await cpuOf(procs);
      const load = await runLoad(
        url,
        headers,
        w,
        mode === 'timed'
          ? { ...loadOptions, duration: options.duration }
          : { ...loadOptions, duration: 0, amount: options.connections },
        requestNumber,
      );
      requestNumber += 100_000;
      // requests in flight when a timed load stopped are answered (and counted) before reading
      await waitIdle(allPids);
      const cpuAfter = await cpuOf(procs);
      const sent = Math.max(1, load.sent);
      let commands: number;
      let subgraphRequests: number | null = null;
      if (t === 'raw') {
        commands = (await rawCommands(endpoints.raw)) - rawBefore;
      } else {
        const counts = difference(before!, await snapshot(subgraphUrls));
        commands = counts.commands;
        subgraphRequests = counts.subgraphRequests / sent;
      }
      return {
        workload: w.name,
        target: t,
        mode,
        load,
        duration: load.durationSeconds,
        // every request sent was served, answered in time or not
        commandsPerRequest: commands / sent,
        subgraphRequestsPerRequest: subgraphRequests,
        cpuMsPerRequest: Object.fromEntries(
          Object.keys(procs).map((name) => [name, (cpuAfter[name]! - cpuBefore[name]!) / sent]),
        ),
      };
    };
    for (const w of list) {
      if (options.bulk || (!w.loaded && !options.loadAll)) {
        const reason = options.bulk
          ? 'the national-scale run (`--bulk`) measures one request at a time only'
          : 'measured one request at a time only (`--load-all` loads it too)';
        skipped.push({ workload: w.name, reason });
        log(`  ${w.name.padEnd(14)} not loaded: ${reason}`);
        continue;
      }
      // the slowest target's unloaded latency decides how the workload is loaded, for all three alike
      const unloaded = Math.max(...seq.filter((s) => s.workload === w.name).map((s) => s.medianMs)) / 1000;
      // DB-bound on two cores, a request under load takes about `connections × unloaded / 2`;
      // a timed load needs a few of those rounds; a burst is one round, all answered
      const round = (options.connections * unloaded) / 2;
      const mode: LoadMode = round <= options.duration / 4 ? 'timed' : 'burst';
      if (mode === 'burst' && round > options.maxBurst) {
        const reason =
          `one request takes ${unloaded.toFixed(1)} s unloaded; ${options.connections} at once would take about ` +
          `${Math.round(round)} s per target (more than --max-burst ${options.maxBurst} s)`;
        skipped.push({ workload: w.name, reason });
        log(`  ${w.name.padEnd(14)} not loaded: ${reason}`);
        continue;
      }
      const report = (m: Measurement) =>
        log(
          `  ${w.name.padEnd(14)} ${m.target.padEnd(5)} ${m.mode.padEnd(6)} ${m.load.rps.toFixed(1).padStart(7)} req/s  ` +
            `p50 ${m.load.p50.toFixed(1).padStart(7)} ms  p99 ${m.load.p99.toFixed(1).padStart(7)} ms  ` +
            `errors ${m.load.errors + m.load.non2xx + m.load.graphqlErrors}  ${m.commandsPerRequest.toFixed(1)} db commands/req`,
        );
      let done: Measurement[] = [];
      for (const t of TARGETS) {
        const m = await measure(w, t, mode, false);
        report(m);
        done.push(m);
        if (m.mode === 'timed' && m.load.responses < 2 * options.connections) {
          // under load the requests took far longer than unloaded (a busy machine): too few
          // answers for percentiles; the workload is measured as a burst, every target alike
          log(`  ${w.name.padEnd(14)} only ${m.load.responses} answers in ${options.duration} s: bursts instead`);
          done = [];
          for (const t2 of TARGETS) {
            const b2 = await measure(w, t2, 'burst', false);
            report(b2);
            done.push(b2);
          }
          break;
        }
      }
      measurements.push(...done);
    }

    // Hive Gateway merges identical subgraph requests in flight at once; identical client
    // requests without a request id of their own show what that saves (first size only)
    const identicalBursts: Measurement[] = [];
    if (page && options.sizes[0] === size && !options.merge && !skipped.some((x) => x.workload === 'page')) {
      for (const t of ['hub', 'hive'] as const) identicalBursts.push(await measure(page, t, 'burst', true));
      log(
        `  ${options.connections} identical page requests at once, no request ids: subgraph requests per request ` +
          identicalBursts.map((m) => `${m.target} ${m.subgraphRequestsPerRequest?.toFixed(1)}`).join(', '),
      );
    }

    lap('load');
    const peakMemory: Record<string, number> = {};
    for (const [name, pid] of Object.entries({ ...pids, ferretdb: ferret.process.pid! })) {
      const sample = await sampleProcess(pid);
      if (sample) peakMemory[name] = sample.peakRss;
    }

    return {
      size,
      phaseSeconds: phase,
      startedAt,
      loadAverage,
      seconds: (performance.now() - started) / 1000,
      seedSeconds,
      documents,
      measurements,
      identicalBursts,
      skipped,
      sequential: seq,
      pageSizes,
      peakMemory,
      mismatches,
      diskBytes,
      bulk: options.bulk || undefined,
    };
  } finally {
    if (running) await stopServices(running.services);
    await hub.close().catch(() => {});
    forgetFerret();
    await ferret.stop();
  }
}
