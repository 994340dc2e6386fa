/**
 * The one-at-a-time measurements: single requests one after another per workload and target
 * (unloaded latency, exact database commands and CPU time per request), the targets' answers
 * compared, and the commands a page costs by its size.
 */
import { difference, snapshot } from './metrics.js';
import { cpuOf, waitIdle } from './processes.js';
import { compareAnswers, postJson, rawCommands, type Answer } from './requests.js';
import { TARGETS, type PageSizeMeasurement, type SequentialMeasurement, type Target } from './results.js';
import type { Endpoints } from './services.js';
import { requestBody, type Workload } from './workloads.js';

export interface SequentialContext {
  endpoints: Endpoints;
  headers: Record<string, string>;
  limits: { requests: number; seconds: number };
  /** The processes whose CPU time a target spends. */
  processes: (target: Target) => Record<string, number>;
}

/** The request times (sorted) after the warming ones; the first answer; the CPU and commands before the timed ones. */
async function timeRequests<T>(
  send: (i: number) => Promise<Answer>,
  read: () => Promise<T>,
  limits: SequentialContext['limits'],
): Promise<{ times: number[]; first: Answer; start: T }> {
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
  times.sort((a, b) => a - b);
  return { times, first, start };
}

/**
 * Single requests one after another: unloaded latency, exact database commands and CPU time per
 * request (the requests of the same workload are the same for every target: request `i` asks
 * for the same foreigner). Returns the first answer too, to compare the targets' answers.
 */
export async function sequential(
  target: Target,
  workload: Workload,
  ctx: SequentialContext,
  overrides: Record<string, unknown> = {},
): Promise<{ measurement: SequentialMeasurement; first: Answer }> {
  const { endpoints } = ctx;
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
  const { times, first, start } = await timeRequests(send, read, ctx.limits);
  const cpuAfter = await cpuOf(procs);
  const requests = Math.max(1, times.length);
  const common = {
    workload: workload.name,
    target,
    medianMs: times[Math.floor(times.length / 2)] ?? NaN,
    requests: times.length,
    cpuMsPerRequest: Object.fromEntries(
      Object.keys(procs).map((name) => [name, (cpuAfter[name]! - start.cpu[name]!) / requests]),
    ),
    responseBytes: first.bytes,
  };
  if (target === 'raw') {
    const commands = (await rawCommands(endpoints.raw)) - start.raw;
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
  const counts = difference(start.metrics!, await snapshot(subgraphUrls));
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

/** Every workload against every target, one request at a time, the processes idle in between; the answers compared. */
export async function measureSequential(
  list: Workload[],
  ctx: SequentialContext,
  allPids: number[],
  log: (message: string) => void,
): Promise<{ seq: SequentialMeasurement[]; mismatches: string[] }> {
  const seq: SequentialMeasurement[] = [];
  const mismatches: string[] = [];
  for (const w of list) {
    const firsts = {} as Record<Target, Answer>;
    for (const t of TARGETS) {
      const { measurement, first } = await sequential(t, w, ctx);
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
  return { seq, mismatches };
}

/** The hub's page of 10 and of 1,000 foreigners: the commands a page costs by its size. */
export async function measurePageSizes(page: Workload, ctx: SequentialContext): Promise<PageSizeMeasurement[]> {
  const pageSizes: PageSizeMeasurement[] = [];
  for (const first of [10, 1000]) {
    const { measurement: m } = await sequential('hub', page, ctx, { first });
    pageSizes.push({
      first,
      commandsPerRequest: m.commandsPerRequest,
      readCommandsPerRequest: m.commandsPerRequest - m.accessLogCommandsPerRequest,
      medianMs: m.medianMs,
    });
  }
  return pageSizes;
}
