/**
 * What one benchmark run measured, per data size: the shape the report and the chart read.
 */
import type { LoadResult } from './load.js';
import type { EngineProbeResult } from './engine-probe.js';
import type { WorkloadName } from './workloads.js';

export const TARGETS = ['hub', 'hive', 'raw'] as const;
export type Target = (typeof TARGETS)[number];

export const TARGET_LABELS: Record<Target, string> = {
  hub: 'hub (@apollo/gateway)',
  hive: 'Hive Gateway (Rust planner)',
  raw: 'raw driver reads',
};

/**
 * How a workload was loaded: `timed`, a warm-up then `--duration` seconds at the fixed
 * concurrency; `burst`, where one request takes more than a tenth of that, one request per
 * connection at once (the sequential requests were its warm-up).
 */
export type LoadMode = 'timed' | 'burst';

export interface Measurement {
  workload: WorkloadName;
  target: Target;
  mode: LoadMode;
  load: LoadResult;
  /** Seconds the measured load lasted. */
  duration: number;
  /** Database commands per request sent (subgraphs' metrics; the raw server's own count). */
  commandsPerRequest: number;
  /** Subgraph GraphQL requests per response during the load (gateways only). */
  subgraphRequestsPerRequest: number | null;
  /** CPU milliseconds per request sent, by process (gateway, subgraphs, FerretDB, raw). */
  cpuMsPerRequest: Record<string, number>;
}

export interface SequentialMeasurement {
  workload: WorkloadName;
  target: Target;
  /** Median latency of single requests one after another (no queueing), in ms. */
  medianMs: number;
  /** How many requests were sent. */
  requests: number;
  /** CPU milliseconds per request, by process. */
  cpuMsPerRequest: Record<string, number>;
  /** Database commands per request, exact: metrics before and after the requests. */
  commandsPerRequest: number;
  /** Of those, commands of the access log (the subgraphs record every disclosure). */
  accessLogCommandsPerRequest: number;
  /** Database commands per request by `subgraph/collection command`. */
  byCollection: Record<string, number>;
  subgraphRequestsPerRequest: number | null;
  responseBytes: number;
}

export interface PageSizeMeasurement {
  first: number;
  commandsPerRequest: number;
  /** Commands without the access log's (which depend on batching, not on the page). */
  readCommandsPerRequest: number;
  medianMs: number;
}

export interface SizeResult {
  size: number;
  /** When this size was measured, and the machine's load average then (1, 5, 15 minutes). */
  startedAt: string;
  loadAverage: number[];
  /** Seconds this size took, seeding to probes. */
  seconds: number;
  /** Seconds by phase: seeding, starting the services, single requests, load, the engine probe. */
  phaseSeconds: { seed: number; start: number; sequential: number; load: number; probes: number };
  seedSeconds: number;
  /** Documents per collection, `subgraph.collection`. */
  documents: Record<string, number>;
  measurements: Measurement[];
  /** The page as a burst of identical requests without request ids, hub and Hive (first size only). */
  identicalBursts: Measurement[];
  /** Workloads not put under load, and why (one request takes too long for the time budget). */
  skipped: { workload: WorkloadName; reason: string }[];
  sequential: SequentialMeasurement[];
  pageSizes: PageSizeMeasurement[];
  /** Peak resident memory (VmHWM) per process, in bytes. */
  peakMemory: Record<string, number>;
  /** Answers that differ between the hub, Hive Gateway and the raw reads (should be none). */
  mismatches: string[];
  /** Query shapes on released FerretDB and on the hub's build (absent where not measured). */
  engine?: EngineProbeResult;
  /** Bytes of the SQLite files of the three databases once seeded (FerretDB's data directory). */
  diskBytes?: number;
  /** Loaded with `--bulk` (the national-scale run): measured one request at a time only. */
  bulk?: boolean;
}

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  versions: Record<string, string>;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
  options: { connections: number; duration: number; warmup: number; maxBurst: number; quick: boolean };
  totalSeconds: number;
  /** Runs whose sizes make up the results (`--merge` adds one). */
  runs?: number;
  /** Sizes left out because they would not fit the time budget, and the estimate. */
  leftOut: { size: number; estimatedSeconds: number }[];
}
