/**
 * A closed-loop load generator for the cluster's fault tests: `concurrency` clients each send
 * one request after the other until stopped, and every answer is judged by `check` (a fetch
 * that fails counts as failed too). Latency figures are percentiles of the answered requests.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fetch } from 'undici';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { clusterDispatcher } from '../../scripts/cluster/tls.js';

export interface LoadResult {
  requests: number;
  failed: number;
  /** The first few failures, for the message of a failing assertion. */
  failures: string[];
  latenciesMs: number[];
}

export interface LoadRun {
  /** Stops the clients after their request in flight and returns what they saw. */
  stop(): Promise<LoadResult>;
}

export function startLoad(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  /** Null when the answer is right, else what is wrong with it. */
  check: (status: number, body: unknown) => string | null;
}): LoadRun {
  const result: LoadResult = { requests: 0, failed: 0, failures: [], latenciesMs: [] };
  let running = true;
  const fail = (why: string) => {
    result.failed += 1;
    if (result.failures.length < 10) result.failures.push(why);
  };
  const client = async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: options.headers,
          body: options.body,
          signal: AbortSignal.timeout(30_000),
          dispatcher: clusterDispatcher(),
        });
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (an HAProxy error page): the check sees the text
        }
        const wrong = options.check(response.status, body);
        if (wrong) fail(wrong);
      } catch (e) {
        fail(`fetch failed: ${(e as Error).message} ${String((e as { cause?: unknown }).cause ?? '')}`);
      }
      result.requests += 1;
      result.latenciesMs.push(performance.now() - started);
    }
  };
  const clients = Array.from({ length: options.concurrency }, client);
  return {
    async stop() {
      running = false;
      await Promise.all(clients);
      return result;
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Figures {
  [key: string]: number | string | Figures;
}

/** p50/p99 (ms, rounded), requests and failures of a run. */
export function loadFigures(result: LoadResult): Figures {
  return {
    requests: result.requests,
    failed: result.failed,
    p50Ms: Math.round(percentile(result.latenciesMs, 50)),
    p99Ms: Math.round(percentile(result.latenciesMs, 99)),
  };
}

const FIGURES_FILE = path.join(PROJECT_ROOT, 'test-output/cluster-figures.json');

/** Starts test-output/cluster-figures.json afresh, so that it holds this run's figures only. */
export async function resetFigures(): Promise<void> {
  await fs.rm(FIGURES_FILE, { force: true });
}

/** Prints a scenario's figures and merges them into test-output/cluster-figures.json. */
export async function recordFigures(scenario: string, figures: Figures): Promise<void> {
  process.stdout.write(`cluster figures, ${scenario}: ${JSON.stringify(figures)}\n`);
  await fs.mkdir(path.dirname(FIGURES_FILE), { recursive: true });
  const all = await fs.readFile(FIGURES_FILE, 'utf8').then(
    (t) => JSON.parse(t) as Record<string, Figures>,
    () => ({}) as Record<string, Figures>,
  );
  all[scenario] = { ...figures, measuredAt: new Date().toISOString() };
  await fs.writeFile(FIGURES_FILE, `${JSON.stringify(all, null, 2)}\n`);
}
