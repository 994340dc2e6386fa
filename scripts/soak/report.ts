/**
 * The soak's figures as the "Soak" section of docs/BENCHMARKS.md (or docs/SOAK.md).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Result as LoadResult } from 'autocannon';
import * as prettier from 'prettier';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { SERVICES, type Memory, type ServiceName } from './memory.js';
import type { Tally } from './mixed-load.js';

export interface SoakSettings {
  durationS: number;
  warmupS: number;
  connections: number;
  seedCount: number;
  /** Seconds between memory samples during the run. */
  sampleEveryS: number;
}

export interface ReportInput {
  settings: SoakSettings;
  startedAt: Date;
  /** The machine's 1-minute load average when the soak started and when it ended. */
  loadAverages: [number, number];
  result: LoadResult;
  tally: Tally;
  fivexx: number;
  written: number;
  before: Record<ServiceName, Memory>;
  after: Record<ServiceName, Memory>;
  samples: { atS: number; memory: Record<ServiceName, Memory> }[];
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** The least-squares slope of heap use over the run, in MB per minute. */
function heapSlope(samples: ReportInput['samples'], service: ServiceName): number {
  const points = samples.map((s) => [s.atS / 60, s.memory[service].heapUsed / 1024 / 1024] as const);
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** How the soak ran, and its verdict: server errors and memory growth. */
function summary(r: ReportInput): string[] {
  const { settings: s } = r;
  const growing = SERVICES.filter(
    (service) => heapSlope(r.samples, service) > 1 || r.after[service].heapUsed > r.before[service].heapUsed * 1.2,
  );
  const timeouts = r.tally.errorCodes.SUBGRAPH_TIMEOUT ?? 0;
  return [
    `Written by \`npm run soak\` on ${r.startedAt.toISOString().slice(0, 10)}: a hub of its own (${s.seedCount.toLocaleString('en')} WNA, ` +
      `embedded FerretDB), ${s.warmupS} s of warm-up, then ${s.durationS} s of mixed load at ${s.connections} connections: ` +
      `pages of 20 foreigners with fields of all three subgraphs, cross-agency profiles, statistics, and community ` +
      `reports submitted with an \`Idempotency-Key\`, one in three of them retried with the same key and body. ` +
      `The machine's load average (1 min) was ${r.loadAverages[0].toFixed(1)} when it started and ` +
      `${r.loadAverages[1].toFixed(1)} when it ended, on ${os.cpus().length} cores.`,
    '',
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
  ];
}

/** What was sent and answered. */
function answersTable(r: ReportInput): string[] {
  const sent = r.tally.byOperation;
  const mutations = (sent.mutation ?? 0) + (sent.retry ?? 0);
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([key, c]) => `${key}: ${c}`)
      .join(', ');
  return [
    '| figure | value |',
    '| --- | ---: |',
    `| requests answered | ${r.result.requests.total.toLocaleString('en')} (${r.result.requests.average.toFixed(1)} req/s) |`,
    `| sent: pages / profiles / statistics / mutations (of which retries) | ${sent.page ?? 0} / ${sent.profile ?? 0} / ${sent.statistics ?? 0} / ${mutations} (${sent.retry ?? 0}) |`,
    `| **HTTP 5xx** | **${r.fivexx}** |`,
    `| HTTP statuses | ${counts(r.tally.statuses)} |`,
    `| connection errors / timeouts | ${r.result.errors} / ${r.result.timeouts} |`,
    `| GraphQL error codes in answers | ${counts(r.tally.errorCodes) || 'none'} |`,
    `| latency p50 / p99 / max | ${r.result.latency.p50} / ${r.result.latency.p99} / ${r.result.latency.max} ms |`,
    `| community reports written for ${(sent.mutation ?? 0).toLocaleString('en')} keys (${sent.retry ?? 0} retries) | ${r.written} |`,
  ];
}

/** Memory of each process before and after the run, and heap use sampled during it. */
function memoryTables(r: ReportInput): string[] {
  const lines = [
    'Memory of each process, from its `/metrics` (`nodejs_heap_size_used_bytes`, `process_resident_memory_bytes`), ',
    `after the warm-up and after the run, with the trend of heap use over ${r.samples.length} samples:`,
    '',
    '| process | heap used before → after (MB) | RSS before → after (MB) | heap trend (MB/min) |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const service of SERVICES) {
    const b = r.before[service];
    const a = r.after[service];
    lines.push(
      `| ${service} | ${mb(b.heapUsed)} → ${mb(a.heapUsed)} | ${mb(b.rss)} → ${mb(a.rss)} | ${heapSlope(r.samples, service).toFixed(2)} |`,
    );
  }
  lines.push(
    '',
    `Heap used per process during the run (MB), every ${r.settings.sampleEveryS} s:`,
    '',
    `| s | ${SERVICES.join(' | ')} |`,
    `| ---: | ${SERVICES.map(() => '---:').join(' | ')} |`,
  );
  for (const s of r.samples) {
    lines.push(`| ${s.atS} | ${SERVICES.map((service) => mb(s.memory[service].heapUsed)).join(' | ')} |`);
  }
  return lines;
}

export function renderReport(r: ReportInput): string {
  return ['## Soak', '', ...summary(r), '', ...answersTable(r), '', ...memoryTables(r), ''].join('\n');
}

/** Replaces (or appends) the "Soak" section of docs/BENCHMARKS.md, or writes docs/SOAK.md. */
export async function writeDoc(section: string, log: (message: string) => void): Promise<void> {
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
