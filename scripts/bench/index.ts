/**
 * `npm run bench`: the hub's gateway side by side with Hive Gateway (Rust query planner) and
 * with raw driver reads, at several data sizes, on this machine. Prints a table and writes
 * docs/BENCHMARKS.md and docs/benchmarks.svg (see `--help`, and docs/BENCHMARKS.md, "Method").
 */
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import { FERRETDB_VERSION, ensureFerretDbBinary } from '../../common/db/ferretdb-build.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { renderChart } from './chart.js';
import { engineProbe, type EngineProbeResult } from './engine-probe.js';
import { USAGE, UsageError, parseOptions, type BenchOptions } from './options.js';
import { renderReport } from './report.js';
import { consoleTable } from './report-tables.js';
import type { MachineInfo, SizeResult } from './results.js';
import { stopEverything } from '../hub-processes.js';
import { HoldEnded, runSize } from './run-size.js';
import { BENCH_DIR } from './services.js';

const LAST_RUN_FILE = path.join(BENCH_DIR, 'last-run.json');

const log = (message: string) => process.stdout.write(`${message}\n`);

function packageVersion(name: string): string {
  const require = createRequire(path.join(PROJECT_ROOT, 'package.json'));
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * How long a size would take, from the size before: seeding and the engine probe grow with the
 * data (the released FerretDB reads whole tables), start-up does not, single requests grow as
 * the size before measured them, and the load is bounded (a burst is one round of requests;
 * beyond --max-burst a workload is not loaded).
 */
function estimateSeconds(before: SizeResult, size: number, options: BenchOptions): number {
  const ratio = size / before.size;
  const p = before.phaseSeconds;
  let sequential = 0;
  let load = 0;
  const loaded = new Set(before.measurements.map((m) => m.workload));
  for (const s of before.sequential) {
    const latency = (s.medianMs / 1000) * ratio;
    // one request when slow, else a warm-up and requests for the time budget
    sequential += latency >= options.sequentialSeconds / 3 ? latency : latency + options.sequentialSeconds;
    if (!loaded.has(s.workload)) continue;
    const round = (options.connections * latency) / 2;
    if (round <= options.duration / 4) load += options.warmup + options.duration + round;
    else if (round <= options.maxBurst) load += round;
  }
  return p.seed * ratio + p.start + sequential + load + p.probes * ratio;
}

/** Released FerretDB against the hub's build on a size's data (its FerretDB stopped); undefined where it failed. */
async function measureEngines(size: number): Promise<EngineProbeResult | undefined> {
  try {
    log("  query shapes on released FerretDB and on the hub's build…");
    const result = await engineProbe(path.join(BENCH_DIR, `size-${size}`), size, log);
    for (const s of result.shapes) {
      log(
        `    ${s.name.padEnd(13)} released ${s.releasedMs.toFixed(1).padStart(8)} ms   hub ${s.hubMs.toFixed(1).padStart(7)} ms`,
      );
    }
    return result;
  } catch (e) {
    log(`  (not measured: ${(e as Error).message})`);
    return undefined;
  }
}

/** Set on Ctrl-C: what fails while the processes are being stopped is not worth a stack trace. */
let interrupting = false;

async function main(): Promise<void> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (!options) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.reportOnly) {
    // the report of the last run again (after a change to the report's text), without measuring
    const last = JSON.parse(await fs.readFile(LAST_RUN_FILE, 'utf8')) as {
      machine: MachineInfo;
      results: SizeResult[];
    };
    await writeReport(options.outDir, last.machine, last.results);
    return;
  }
  if (!options.hold) {
    // Ctrl-C: every process this run started is stopped, the database last
    const interrupted = (signal: string) => {
      interrupting = true;
      log(`\n${signal}: stopping the benchmark's processes…`);
      void stopEverything().then(() => process.exit(130));
    };
    process.once('SIGINT', () => interrupted('SIGINT'));
    process.once('SIGTERM', () => interrupted('SIGTERM'));
  }
  const started = performance.now();
  const loadAverageBefore = os.loadavg();
  await ensureFerretDbBinary(log);
  log(
    `Benchmark: ${options.sizes.map((s) => s.toLocaleString('en-US')).join(', ')} foreigners; ` +
      `${options.connections} connections, ${options.warmup} s warm-up, ${options.duration} s per measurement` +
      `${options.quick ? ' (quick)' : ''}. Load average now ${loadAverageBefore.map((l) => l.toFixed(2)).join(' ')}.`,
  );
  const results: SizeResult[] = [];
  const leftOut: MachineInfo['leftOut'] = [];
  for (const size of options.sizes) {
    const before = results.at(-1);
    if (before) {
      const estimate = estimateSeconds(before, size, options);
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed + estimate > options.budgetSeconds) {
        log(
          `\n${size.toLocaleString('en-US')} foreigners left out: about ${Math.round(estimate / 60)} min more would ` +
            `pass the ${Math.round(options.budgetSeconds / 60)}-minute budget (--budget; or measure it alone and add ` +
            `it: --sizes ${size} --merge).`,
        );
        leftOut.push({ size, estimatedSeconds: estimate });
        continue;
      }
    }
    log(`\n${size.toLocaleString('en-US')} foreigners`);
    let result: SizeResult;
    try {
      result = await runSize(size, options, log);
    } catch (e) {
      if (e instanceof HoldEnded) return;
      throw e;
    }
    if (!options.bulk) {
      const probeStarted = performance.now();
      result.engine = await measureEngines(size);
      result.phaseSeconds.probes = (performance.now() - probeStarted) / 1000;
      result.seconds += result.phaseSeconds.probes;
    }
    results.push(result);
  }
  const cpus = os.cpus();
  const machine: MachineInfo = {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    versions: {
      '@apollo/gateway': packageVersion('@apollo/gateway'),
      '@apollo/server': packageVersion('@apollo/server'),
      '@graphql-hive/gateway': packageVersion('@graphql-hive/gateway'),
      '@graphql-hive/router-runtime': packageVersion('@graphql-hive/router-runtime'),
      FerretDB: FERRETDB_VERSION,
      mongoose: packageVersion('mongoose'),
      mongodb: packageVersion('mongodb'),
      autocannon: packageVersion('autocannon'),
    },
    loadAverageBefore,
    loadAverageAfter: os.loadavg(),
    options: {
      connections: options.connections,
      duration: options.duration,
      warmup: options.warmup,
      maxBurst: options.maxBurst,
      quick: options.quick,
    },
    totalSeconds: (performance.now() - started) / 1000,
    leftOut,
  };
  if (options.merge) {
    // the last run's other sizes, with these added (or measured again)
    const last = JSON.parse(await fs.readFile(LAST_RUN_FILE, 'utf8')) as {
      machine: MachineInfo;
      results: SizeResult[];
    };
    const measured = new Set(results.map((r) => r.size));
    results.push(...last.results.filter((r) => !measured.has(r.size)));
    results.sort((a, b) => a.size - b.size);
    machine.loadAverageBefore = last.machine.loadAverageBefore;
    machine.totalSeconds += last.machine.totalSeconds;
    machine.runs = (last.machine.runs ?? 1) + 1;
    machine.leftOut = last.machine.leftOut.filter((x) => !measured.has(x.size));
  }
  await fs.mkdir(BENCH_DIR, { recursive: true });
  await fs.writeFile(LAST_RUN_FILE, JSON.stringify({ machine, results }, null, 2));
  await writeReport(options.outDir, machine, results);
}

/** The "Soak" section of an earlier report, if it has one (up to the next section). */
function soakSection(markdown: string): string | null {
  const start = markdown.search(/^## Soak$/m);
  if (start < 0) return null;
  const rest = markdown.slice(start + '## Soak'.length);
  const next = rest.search(/^## /m);
  return markdown.slice(start, next < 0 ? undefined : start + '## Soak'.length + next).trimEnd() + '\n';
}

async function writeReport(outDir: string, machine: MachineInfo, results: SizeResult[]): Promise<void> {
  log(`\n${consoleTable(results)}`);
  await fs.mkdir(outDir, { recursive: true });
  const reportFile = path.join(outDir, 'BENCHMARKS.md');
  const chartFile = path.join(outDir, 'benchmarks.svg');
  await fs.writeFile(chartFile, renderChart(results));
  // formatted as `npm run format` would (its tables aligned), so `format:check` passes on it
  const options = (await prettier.resolveConfig(reportFile)) ?? {};
  // the soak's figures (`npm run soak -- --doc`) are kept: they come from another run
  const soak = soakSection(await fs.readFile(reportFile, 'utf8').catch(() => ''));
  const report = renderReport(machine, results, path.basename(chartFile)) + (soak ? `\n${soak}` : '');
  const markdown = await prettier.format(report, { ...options, parser: 'markdown' });
  await fs.writeFile(reportFile, markdown);
  log(
    `\nWrote ${path.relative(process.cwd(), reportFile)} and ${path.relative(process.cwd(), chartFile)} ` +
      `(${(machine.totalSeconds / 60).toFixed(1)} min in all).`,
  );
}

await main().catch((e: unknown) => {
  if (interrupting) return new Promise(() => {}); // the interrupt handler exits once all is stopped
  throw e;
});
