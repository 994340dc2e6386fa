/**
 * Command-line options of `npm run bench`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { BULK_MAX_SEED_COUNT, MAX_SEED_COUNT } from '../seed/index.js';
import { WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

export const USAGE = `Usage: npm run bench -- [options]

Seeds its own data (in .cache/bench/, on ports of its own), starts the hub's three subgraphs,
its gateway, Hive Gateway (Rust query planner) and a raw-read endpoint as separate processes,
loads each with autocannon and writes docs/BENCHMARKS.md and docs/benchmarks.svg.

  --sizes N,N,…        foreigners seeded per run (default 1000,10000,50000)
  --duration S         seconds of measured load per workload and target (default 10)
  --warmup S           seconds of load before each measurement, not counted (default 3)
  --connections N      concurrent connections, one request in flight each (default 10)
  --quick              smoke run: 1,000 foreigners, 2 s per measurement, 1 s warm-up; the
                       report goes to .cache/bench/ instead of docs/ unless --out is given
  --budget M           minutes the whole run may take (default 30): a size that would not fit,
                       estimated from the one before, is left out (and named in the report)
  --merge              add these sizes to the last run's results (.cache/bench/last-run.json)
                       instead of starting afresh, e.g. --sizes 50000 --merge
  --max-burst S        longest burst of slow requests, in seconds (default 30; see below)
  --out DIR            where BENCHMARKS.md and benchmarks.svg go (default docs/)
  --hold               start everything for the first size, print the addresses and a token,
                       and wait for Ctrl-C (to look at the set-up by hand; measures nothing)
  --only W,W,…         only these workloads, of
                       ${WORKLOAD_NAMES.join(', ')}
  --load-all           also put stats-permit and stats-district under load (by default they
                       are measured one request at a time only)
  --bulk               the national-scale run: bulk-load the data (larger batches, indexes
                       built after the data; up to ${BULK_MAX_SEED_COUNT.toLocaleString('en-US')} foreigners),
                       then measure one request at a time only (no load, no page sizes, no
                       engine probe), with the load time and the disk size; e.g.
                       --sizes 500000 --bulk --only page,profile --merge
  --report-only        rewrite the report and chart from the last run (.cache/bench/last-run.json)
  -h, --help           this text

Slow requests: where one request takes more than --duration ÷ (2 × --connections) unloaded,
the workload gets one request per connection at once (a burst) instead of a timed load; where
even that would take longer than --max-burst seconds, only the unloaded requests are measured.
`;

export interface BenchOptions {
  sizes: number[];
  duration: number;
  warmup: number;
  connections: number;
  maxBurst: number;
  /** Seconds of sequential requests per workload and target (at least one request). */
  sequentialSeconds: number;
  quick: boolean;
  /** Directory of the report and chart. */
  outDir: string;
  /** Most sequential requests per workload and target (unloaded latency, exact commands per request). */
  sequentialRequests: number;
  reportOnly: boolean;
  hold: boolean;
  /** The workloads measured (all by default). */
  only: WorkloadName[];
  loadAll: boolean;
  bulk: boolean;
  /** Seconds the run may take. */
  budgetSeconds: number;
  merge: boolean;
}

export class UsageError extends Error {}

function positive(value: string, what: string, integer = true): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${what} must be a positive ${integer ? 'integer' : 'number'} (got "${value}")`);
  }
  return n;
}

/** Parses the arguments; null when help was asked for. */
export function parseOptions(argv: string[]): BenchOptions | null {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        sizes: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        'max-burst': { type: 'string' },
        quick: { type: 'boolean', default: false },
        out: { type: 'string' },
        'report-only': { type: 'boolean', default: false },
        budget: { type: 'string' },
        merge: { type: 'boolean', default: false },
        hold: { type: 'boolean', default: false },
        only: { type: 'string' },
        'load-all': { type: 'boolean', default: false },
        bulk: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return null;
  const quick = values.quick;
  const sizes = (values.sizes ?? (quick ? '1000' : '1000,10000,50000'))
    .split(',')
    .map((s) => positive(s.trim().replace(/_/g, ''), '--sizes'));
  const max = values.bulk ? BULK_MAX_SEED_COUNT : MAX_SEED_COUNT;
  for (const size of sizes) {
    if (size > max) {
      throw new UsageError(
        `--sizes: at most ${max} foreigners${values.bulk ? '' : ' (more with --bulk)'} (got ${size})`,
      );
    }
  }
  const only = (values.only ?? WORKLOAD_NAMES.join(',')).split(',').map((w) => w.trim());
  for (const w of only) {
    if (!(WORKLOAD_NAMES as readonly string[]).includes(w)) {
      throw new UsageError(`--only: "${w}" is not a workload (${WORKLOAD_NAMES.join(', ')})`);
    }
  }
  return {
    sizes,
    duration: positive(values.duration ?? (quick ? '2' : '10'), '--duration', false),
    warmup: positive(values.warmup ?? (quick ? '1' : '3'), '--warmup', false),
    connections: positive(values.connections ?? '10', '--connections'),
    maxBurst: positive(values['max-burst'] ?? '30', '--max-burst', false),
    sequentialSeconds: quick ? 2 : 4,
    quick,
    outDir: path.resolve(values.out ?? path.join(PROJECT_ROOT, quick ? '.cache/bench' : 'docs')),
    sequentialRequests: quick ? 2 : 5,
    reportOnly: values['report-only'],
    hold: values.hold,
    only: only as WorkloadName[],
    loadAll: values['load-all'],
    bulk: values.bulk,
    budgetSeconds: positive(values.budget ?? '30', '--budget', false) * 60,
    merge: values.merge,
  };
}
