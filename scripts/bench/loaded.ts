/**
 * The load measurements: each loaded workload against every target, timed where its requests
 * are quick enough and as one burst per connection where they are slow, and identical requests
 * at once to show what merging subgraph requests saves.
 */
import { runLoad, summarizeLoad, type LoadOptions, type LoadRun } from './load.js';
import { difference, snapshot, type Snapshot } from './metrics.js';
import type { BenchOptions } from './options.js';
import { cpuOf, waitIdle } from './processes.js';
import { REQUEST_TIMEOUT_SECONDS, rawCommands } from './requests.js';
import {
  TARGETS,
  type LoadMode,
  type Measurement,
  type SequentialMeasurement,
  type SizeResult,
  type Target,
} from './results.js';
import type { Endpoints } from './services.js';
import type { Workload } from './workloads.js';

type Log = (message: string) => void;

export interface LoadContext {
  endpoints: Endpoints;
  headers: Record<string, string>;
  options: BenchOptions;
  /** Every process of the size, to wait until they are idle. */
  allPids: number[];
  /** The processes whose CPU time a target spends. */
  processes: (target: Target) => Record<string, number>;
}

/**
 * A timed load is taken in this many rounds, every target once per round and the order rotated
 * from round to round: the machine's drift (other work, the load generator's own pace) then
 * falls on every target alike instead of on whichever happened to be measured during it.
 */
export const LOAD_ROUNDS = 3;

/** One stretch of load against one target and what it cost. */
interface Segment {
  run: LoadRun;
  commands: number;
  /** Subgraph GraphQL requests served during it (gateways only). */
  subgraphRequests: number | null;
  /** CPU milliseconds by process. */
  cpuMs: Record<string, number>;
}

/** Measures loads one after another; each load's requests are numbered apart from the others'. */
export class LoadMeasurer {
  private requestNumber = 1000;

  constructor(private readonly ctx: LoadContext) {}

  /** One workload's load against one target: throughput, latency, commands and CPU time per request. */
  async measure(w: Workload, t: Target, mode: LoadMode, sameRequests: boolean): Promise<Measurement> {
    if (mode === 'timed') await this.warmUp(w, t);
    const segment = await this.segment(w, t, this.loadOptions(mode, sameRequests, this.ctx.options.duration));
    return this.combine(w, t, mode, [segment]);
  }

  /** One workload against every target in `mode`; a timed load with too few answers becomes bursts for all. */
  async measureTargets(w: Workload, mode: LoadMode, log: Log): Promise<Measurement[]> {
    const { options } = this.ctx;
    const report = (m: Measurement) =>
      log(
        `  ${w.name.padEnd(14)} ${m.target.padEnd(5)} ${m.mode.padEnd(6)} ${m.load.rps.toFixed(1).padStart(7)} req/s  ` +
          `p50 ${m.load.p50.toFixed(1).padStart(7)} ms  p99 ${m.load.p99.toFixed(1).padStart(7)} ms  ` +
          `errors ${m.load.errors + m.load.non2xx + m.load.graphqlErrors}  ${m.commandsPerRequest.toFixed(1)} db commands/req`,
      );
    if (mode === 'burst') {
      const done: Measurement[] = [];
      for (const t of TARGETS) {
        done.push(await this.measure(w, t, 'burst', false));
        report(done.at(-1)!);
      }
      return done;
    }
    for (const t of TARGETS) await this.warmUp(w, t);
    const segments = new Map<Target, Segment[]>(TARGETS.map((t) => [t, []]));
    const loadOptions = this.loadOptions('timed', false, options.duration / LOAD_ROUNDS);
    for (let round = 0; round < LOAD_ROUNDS; round += 1) {
      for (const t of rotated(TARGETS, round)) segments.get(t)!.push(await this.segment(w, t, loadOptions));
    }
    const done = TARGETS.map((t) => this.combine(w, t, 'timed', segments.get(t)!));
    done.forEach(report);
    const few = done.find((m) => m.load.responses < 2 * options.connections);
    if (few) {
      // under load the requests took far longer than unloaded (a busy machine): too few
      // answers for percentiles; the workload is measured as a burst, every target alike
      log(`  ${w.name.padEnd(14)} only ${few.load.responses} answers in ${options.duration} s: bursts instead`);
      return this.measureTargets(w, 'burst', log);
    }
    return done;
  }

  private loadOptions(mode: LoadMode, sameRequests: boolean, duration: number): LoadOptions {
    const { connections } = this.ctx.options;
    return mode === 'timed'
      ? { connections, timeout: REQUEST_TIMEOUT_SECONDS, sameRequests, duration }
      : { connections, timeout: REQUEST_TIMEOUT_SECONDS, sameRequests, duration: 0, amount: connections };
  }

  private async warmUp(w: Workload, t: Target): Promise<void> {
    const { connections, warmup } = this.ctx.options;
    const options = { connections, timeout: REQUEST_TIMEOUT_SECONDS, duration: warmup };
    await runLoad(this.ctx.endpoints.targets[t], this.ctx.headers, w, options, this.nextRequests());
  }

  private nextRequests(): number {
    const first = this.requestNumber;
    this.requestNumber += 100_000;
    return first;
  }

  /** One stretch of load against one target, between two idle moments, with the commands and CPU it cost. */
  private async segment(w: Workload, t: Target, load: LoadOptions): Promise<Segment> {
    const { endpoints, headers, allPids } = this.ctx;
    const subgraphUrls = Object.values(endpoints.subgraphs);
    // what the warm-up (or the previous target) left in flight is served before measuring
    await waitIdle(allPids);
    const procs = this.ctx.processes(t);
    const before: Snapshot | null = t === 'raw' ? null : await snapshot(subgraphUrls);
    const rawBefore = t === 'raw' ? await rawCommands(endpoints.raw) : 0;
    const cpuBefore = await cpuOf(procs);
    const run = await runLoad(endpoints.targets[t], headers, w, load, this.nextRequests());
    // requests in flight when a timed load stopped are answered (and counted) before reading
    await waitIdle(allPids);
    const cpuAfter = await cpuOf(procs);
    const cpuMs = Object.fromEntries(Object.keys(procs).map((name) => [name, cpuAfter[name]! - cpuBefore[name]!]));
    if (t === 'raw') {
      return { run, commands: (await rawCommands(endpoints.raw)) - rawBefore, subgraphRequests: null, cpuMs };
    }
    const counts = difference(before!, await snapshot(subgraphUrls));
    return { run, commands: counts.commands, subgraphRequests: counts.subgraphRequests, cpuMs };
  }

  /** The segments of one workload and target as one measurement: per-request figures over all of them. */
  private combine(w: Workload, t: Target, mode: LoadMode, segments: Segment[]): Measurement {
    const load = summarizeLoad(segments.map((s) => s.run));
    const sent = Math.max(1, load.sent);
    const total = (f: (s: Segment) => number) => segments.reduce((sum, s) => sum + f(s), 0);
    return {
      workload: w.name,
      target: t,
      mode,
      load,
      duration: load.durationSeconds,
      // every request sent was served, answered in time or not
      commandsPerRequest: total((s) => s.commands) / sent,
      subgraphRequestsPerRequest: t === 'raw' ? null : total((s) => s.subgraphRequests ?? 0) / sent,
      cpuMsPerRequest: Object.fromEntries(
        Object.keys(segments[0]!.cpuMs).map((name) => [name, total((s) => s.cpuMs[name]!) / sent]),
      ),
    };
  }
}

/** `list` starting at its `by`-th element (wrapping round). */
function rotated<T>(list: readonly T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/**
 * How a workload is loaded, from the slowest target's unloaded latency (for all three alike),
 * or why it is not.
 */
function loadModeOf(
  w: Workload,
  seq: SequentialMeasurement[],
  options: BenchOptions,
): { mode: LoadMode } | { reason: string } {
  if (options.bulk || (!w.loaded && !options.loadAll)) {
    return {
      reason: options.bulk
        ? 'the national-scale run (`--bulk`) measures one request at a time only'
        : 'measured one request at a time only (`--load-all` loads it too)',
    };
  }
  const unloaded = Math.max(...seq.filter((s) => s.workload === w.name).map((s) => s.medianMs)) / 1000;
  // DB-bound on two cores, a request under load takes about `connections × unloaded / 2`;
  // a timed load needs a few of those rounds; a burst is one round, all answered
  const round = (options.connections * unloaded) / 2;
  const mode: LoadMode = round <= options.duration / 4 ? 'timed' : 'burst';
  if (mode === 'burst' && round > options.maxBurst) {
    return {
      reason:
        `one request takes ${unloaded.toFixed(1)} s unloaded; ${options.connections} at once would take about ` +
        `${Math.round(round)} s per target (more than --max-burst ${options.maxBurst} s)`,
    };
  }
  return { mode };
}

/** Every workload of `list` under load against every target, or the reason it is not loaded. */
export async function measureLoads(
  measurer: LoadMeasurer,
  list: Workload[],
  seq: SequentialMeasurement[],
  options: BenchOptions,
  log: Log,
): Promise<{ measurements: Measurement[]; skipped: SizeResult['skipped'] }> {
  const measurements: Measurement[] = [];
  const skipped: SizeResult['skipped'] = [];
  for (const w of list) {
    const how = loadModeOf(w, seq, options);
    if ('reason' in how) {
      skipped.push({ workload: w.name, reason: how.reason });
      log(`  ${w.name.padEnd(14)} not loaded: ${how.reason}`);
      continue;
    }
    measurements.push(...(await measurer.measureTargets(w, how.mode, log)));
  }
  return { measurements, skipped };
}

/**
 * Hive Gateway merges identical subgraph requests in flight at once; identical client requests
 * without a request id of their own show what that saves.
 */
export async function measureIdenticalBursts(
  measurer: LoadMeasurer,
  page: Workload,
  connections: number,
  log: Log,
): Promise<Measurement[]> {
  const identicalBursts: Measurement[] = [];
  for (const t of ['hub', 'hive'] as const) identicalBursts.push(await measurer.measure(page, t, 'burst', true));
  log(
    `  ${connections} identical page requests at once, no request ids: subgraph requests per request ` +
      identicalBursts.map((m) => `${m.target} ${m.subgraphRequestsPerRequest?.toFixed(1)}`).join(', '),
  );
  return identicalBursts;
}
