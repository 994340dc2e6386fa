/**
 * One data size of the benchmark: a fresh embedded FerretDB in `.cache/bench/size-<N>/`, the
 * demo data seeded into it, the hub's processes, Hive Gateway and the raw-read endpoint started
 * on free ports, the answers checked against each other, then the measurements.
 */
import os from 'node:os';
import { createTokenSigner } from '../../common/auth/tokens.js';
import { measureIdenticalBursts, measureLoads, LoadMeasurer } from './loaded.js';
import type { BenchOptions } from './options.js';
import { sampleProcess } from './processes.js';
import type { Measurement, PageSizeMeasurement, SizeResult } from './results.js';
import { measurePageSizes, measureSequential, type SequentialContext } from './sequential.js';
import { processesOf, startServices, type Running } from './services.js';
import { prepareSizeData } from './size-data.js';
import { workloads } from './workloads.js';

type Log = (message: string) => void;

/** `--hold` ended with Ctrl-C: the run stops after its processes are stopped. */
export class HoldEnded extends Error {}

/** `--hold`: everything running on this size's data, for a look by hand, until Ctrl-C. */
async function hold(running: Running, ferretUri: string, token: string, log: Log): Promise<never> {
  const { endpoints } = running;
  log(`\n  hub gateway    ${endpoints.targets.hub}`);
  log(`  Hive Gateway   ${endpoints.targets.hive}`);
  log(`  raw reads      ${endpoints.targets.raw}`);
  for (const [name, url] of Object.entries(endpoints.subgraphs)) log(`  ${name.padEnd(14)} ${url}`);
  log(`  FerretDB       ${ferretUri}`);
  log(`  token (IMMIGRATION, national): ${token}`);
  log('\n  Holding; Ctrl-C stops everything.');
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  throw new HoldEnded();
}

/** Peak resident memory of each process of the size, by name. */
async function peakMemoryOf(pids: Record<string, number>): Promise<Record<string, number>> {
  const peakMemory: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const sample = await sampleProcess(pid);
    if (sample) peakMemory[name] = sample.peakRss;
  }
  return peakMemory;
}

export async function runSize(size: number, options: BenchOptions, log: Log): Promise<SizeResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const loadAverage = os.loadavg();
  const { dataDir, database, seedSeconds, documents, diskBytes } = await prepareSizeData(size, options, log);
  const { ferret, config } = database;
  let running: Running | null = null;
  try {
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
    if (options.hold) await hold(running, ferret.uri, token, log);

    lap('start');
    const allPids = [...Object.values(pids), ferret.process.pid!];
    const processes: SequentialContext['processes'] = (t) => processesOf(t, pids, ferret.process.pid!);
    const seqContext: SequentialContext = {
      endpoints,
      headers,
      limits: { requests: options.sequentialRequests, seconds: options.sequentialSeconds },
      processes,
    };
    log(
      `  single requests one after another (up to ${options.sequentialRequests} or ${options.sequentialSeconds} s ` +
        'per workload and target), answers compared…',
    );
    const { seq, mismatches } = await measureSequential(list, seqContext, allPids, log);
    const page = list.find((w) => w.name === 'page');
    // the commands a page costs depend on its shape, not on the data: measured at the first size
    // (of a `--merge` run too)
    const pageSizes: PageSizeMeasurement[] =
      page && !options.bulk && options.sizes[0] === size ? await measurePageSizes(page, seqContext) : [];

    lap('sequential');
    const measurer = new LoadMeasurer({ endpoints, headers, options, allPids, processes });
    const { measurements, skipped } = await measureLoads(measurer, list, seq, options, log);
    // identical requests at once, at the first size only
    const identicalBursts: Measurement[] =
      page && options.sizes[0] === size && !options.merge && !skipped.some((x) => x.workload === 'page')
        ? await measureIdenticalBursts(measurer, page, options.connections, log)
        : [];

    lap('load');
    const peakMemory = await peakMemoryOf({ ...pids, ferretdb: ferret.process.pid! });

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
    if (running) await running.group.stop();
    await database.stop();
  }
}
