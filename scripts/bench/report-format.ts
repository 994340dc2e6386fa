/**
 * What every part of the benchmark report shares: issue 9's targets, the formats of numbers,
 * accessors of a run's figures, and the Markdown table.
 */
import type { Measurement, SequentialMeasurement, SizeResult, Target } from './results.js';
import { NAME_FRAGMENT, PAGE_REGION, PAGE_SIZE, STATS_REGION, WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

export const WORKLOADS: readonly WorkloadName[] = WORKLOAD_NAMES;
export const WORKLOAD_LABELS: Record<WorkloadName, string> = {
  page: `(a) page of ${PAGE_SIZE} in ${PAGE_REGION}`,
  profile: '(b) profile by id',
  stats: `(c) statistics of ${STATS_REGION} by nationality and permit type`,
  'stats-permit': `(d) statistics of ${STATS_REGION} by permit type`,
  'stats-district': `(e) statistics of ${PAGE_REGION} by district`,
  gaps: `(f) registration gaps in ${PAGE_REGION}, first ${PAGE_SIZE}`,
  name: `(g) name search "${NAME_FRAGMENT}", first ${PAGE_SIZE}`,
};

/** Issue 9's targets. */
export const TARGET = {
  /** p50 at 50,000 WNA, one request at a time, ms. */
  absoluteAt: 50_000,
  absoluteMs: {
    profile: 50,
    page: 250,
    stats: 250,
    'stats-permit': 250,
    'stats-district': 250,
    gaps: 500,
    name: 500,
  } satisfies Record<WorkloadName, number>,
  /** hub p50 ÷ raw p50, at most. */
  rawRatio: 1.5,
  /** hub ÷ Hive throughput at 10 connections, at least. */
  hiveRatio: 1.0,
  /** Latency exponent from 1,000 to 50,000 WNA, at most. */
  exponent: 0.2,
  exponentFrom: 1000,
  /** The national registry, bulk-loaded: profile and page within this factor of their 50,000 figures. */
  national: 500_000,
  nationalFactor: 2,
};
export const SUBGRAPHS = ['immigration', 'police', 'local-government'];
export const MiB = 2 ** 20;

export const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
export const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
export const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
export const pct = (v: number) => `${Math.round(v * 100)} %`;
export const times = (v: number) =>
  Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : n0(v)}×` : '–';
/** A rate, with enough digits for the slow ones. */
export const rate = (v: number) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2));
export const ms = (v: number) => (v >= 100 ? n0(v) : v >= 10 ? v.toFixed(0) : v.toFixed(1));

export function loadOf(r: SizeResult, workload: WorkloadName, target: Target): Measurement | undefined {
  return r.measurements.find((m) => m.workload === workload && m.target === target);
}

export function seqOf(r: SizeResult, workload: WorkloadName, target: Target): SequentialMeasurement | undefined {
  return r.sequential.find((m) => m.workload === workload && m.target === target);
}

export function errorsOf(m: Measurement): number {
  return m.load.errors + m.load.non2xx + m.load.graphqlErrors;
}

export function ownProcess(target: Target): string {
  return target === 'hub' ? 'gateway' : target === 'hive' ? 'hive' : 'raw';
}

export function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

export function table(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const a = header.map((_, i) => align[i] ?? (i === 0 ? 'l' : 'r'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${a.map((x) => (x === 'l' ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The sizes of the regular runs (a `--bulk` size is measured differently and stands apart). */
export function regular(results: SizeResult[]): SizeResult[] {
  return results.filter((r) => !r.bulk);
}

/**
 * The exponent k of latency ∝ size^k from 1,000 to 50,000 WNA (or between the smallest and
 * the largest regular size measured, when those are not), with the two sizes used.
 */
export function growth(
  results: SizeResult[],
  value: (r: SizeResult) => number | undefined,
): { k: number; from: number; to: number } | null {
  const points = regular(results)
    .map((r) => ({ size: r.size, v: value(r) }))
    .filter((p): p is { size: number; v: number } => p.v !== undefined && p.v > 0);
  if (points.length < 2) return null;
  const a = points.find((p) => p.size === TARGET.exponentFrom) ?? points[0]!;
  const b = points.find((p) => p.size === TARGET.absoluteAt) ?? points.at(-1)!;
  if (a.size === b.size) return null;
  return { k: Math.log(b.v / a.v) / Math.log(b.size / a.size), from: a.size, to: b.size };
}

export const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
