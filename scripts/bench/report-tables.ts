/**
 * The benchmark's tables: the console summary, and the report's summary, engine, load,
 * one-at-a-time, page-size, disk and memory tables, each from the run's figures.
 */
import { TARGETS, TARGET_LABELS, type SizeResult } from './results.js';
import {
  WORKLOADS,
  WORKLOAD_LABELS,
  SUBGRAPHS,
  MiB,
  n0,
  f1,
  pct,
  times,
  rate,
  ms,
  loadOf,
  seqOf,
  errorsOf,
  ownProcess,
  sum,
  table,
} from './report-format.js';

/** The headline table printed at the end of a run. */
export function consoleTable(results: SizeResult[]): string {
  const header = [
    'size',
    'workload',
    'target',
    'mode',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'db cmd/req',
    'CPU ms/req',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    for (const w of WORKLOADS) {
      for (const t of TARGETS) {
        const m = loadOf(r, w, t);
        const s = seqOf(r, w, t);
        if (m) {
          rows.push([
            n0(r.size),
            w,
            t,
            m.mode,
            rate(m.load.rps),
            f1(m.load.p50),
            f1(m.load.p99),
            String(errorsOf(m)),
            f1(m.commandsPerRequest),
            f1(sum(Object.values(m.cpuMsPerRequest))),
          ]);
        } else if (s) {
          rows.push([
            n0(r.size),
            w,
            t,
            'single',
            '–',
            f1(s.medianMs),
            '–',
            '0',
            f1(s.commandsPerRequest),
            f1(sum(Object.values(s.cpuMsPerRequest))),
          ]);
        }
      }
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Per workload and size: p50 one at a time and throughput at 10 connections, three targets each. */
export function summaryTable(results: SizeResult[], connections: number): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const w of WORKLOADS) {
      const [hub, hive, raw] = TARGETS.map((t) => seqOf(r, w, t));
      if (!hub || !hive || !raw) continue;
      const [lHub, lHive, lRaw] = TARGETS.map((t) => loadOf(r, w, t));
      const loaded = lHub && lHive && lRaw;
      rows.push([
        `${n0(r.size)}${r.bulk ? ' (bulk)' : ''}`,
        WORKLOAD_LABELS[w],
        `${ms(hub.medianMs)} / ${ms(hive.medianMs)} / ${ms(raw.medianMs)}`,
        loaded ? `${rate(lHub.load.rps)} / ${rate(lHive.load.rps)} / ${rate(lRaw.load.rps)}` : 'not loaded',
        loaded ? `${errorsOf(lHub)} / ${errorsOf(lHive)} / ${errorsOf(lRaw)}` : '–',
        times(hub.medianMs / raw.medianMs),
        loaded ? times(lHub.load.rps / lHive.load.rps) : '–',
        f1(hub.commandsPerRequest),
      ]);
    }
  }
  return table(
    [
      'WNA',
      'workload',
      'p50 ms, one at a time: hub / Hive / raw',
      `req/s at ${connections} connections: hub / Hive / raw`,
      'errors under load',
      'hub p50 ÷ raw p50',
      'hub ÷ Hive throughput',
      'db commands / request (hub)',
    ],
    rows,
    ['r', 'l'],
  );
}

/** Released FerretDB against the hub's build, per query shape and size. */
export function engineTable(results: SizeResult[]): string {
  const withEngine = results.filter((r) => r.engine);
  const shapes = withEngine[0]?.engine?.shapes ?? [];
  return table(
    ['query shape', ...withEngine.map((r) => `${n0(r.size)} WNA: released → hub’s build, ms`)],
    shapes.map((shape, i) => [
      shape.query,
      ...withEngine.map((r) => {
        const s = r.engine!.shapes[i];
        return s ? `${ms(s.releasedMs)} → ${ms(s.hubMs)} (${times(s.releasedMs / s.hubMs)})` : '–';
      }),
    ]),
    ['l'],
  );
}

export function diskTable(results: SizeResult[]): string {
  return table(
    ['WNA', 'documents', 'seeded in', 'on disk'],
    results.map((r) => [
      `${n0(r.size)}${r.bulk ? ' (bulk)' : ''}`,
      n0(sum(Object.values(r.documents))),
      `${f1(r.seedSeconds)} s`,
      r.diskBytes ? `${n0(r.diskBytes / MiB)} MiB` : '–',
    ]),
  );
}
export function loadTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const w of WORKLOADS) {
      for (const t of TARGETS) {
        const m = loadOf(r, w, t);
        if (!m) continue;
        const subgraphCpu = sum(SUBGRAPHS.map((n) => m.cpuMsPerRequest[n] ?? 0));
        rows.push([
          n0(r.size),
          w,
          TARGET_LABELS[t],
          `${m.mode}, ${f1(m.duration)} s`,
          rate(m.load.rps),
          f1(m.load.p50),
          f1(m.load.p99),
          `${errorsOf(m)} / ${n0(m.load.responses)}`,
          f1(m.commandsPerRequest),
          m.subgraphRequestsPerRequest === null ? '–' : f1(m.subgraphRequestsPerRequest),
          f1(m.cpuMsPerRequest[ownProcess(t)] ?? 0),
          t === 'raw' ? '–' : f1(subgraphCpu),
          f1(m.cpuMsPerRequest.ferretdb ?? 0),
        ]);
      }
    }
  }
  return table(
    [
      'WNA',
      'workload',
      'target',
      'load',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors / answers',
      'db commands / req',
      'subgraph requests / req',
      'gateway (raw: endpoint) CPU ms / req',
      'subgraphs CPU ms / req',
      'FerretDB CPU ms / req',
    ],
    rows,
    ['r', 'l', 'l', 'l'],
  );
}

export function sequentialTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const w of WORKLOADS) {
      for (const t of TARGETS) {
        const s = seqOf(r, w, t);
        if (!s) continue;
        const total = sum(Object.values(s.cpuMsPerRequest));
        rows.push([
          n0(r.size),
          w,
          t,
          String(s.requests),
          f1(s.medianMs),
          f1(s.cpuMsPerRequest[ownProcess(t)] ?? 0),
          t === 'raw' ? '–' : f1(sum(SUBGRAPHS.map((n) => s.cpuMsPerRequest[n] ?? 0))),
          f1(s.cpuMsPerRequest.ferretdb ?? 0),
          total > 0 ? pct((s.cpuMsPerRequest.ferretdb ?? 0) / total) : '–',
          f1(s.commandsPerRequest),
          f1(s.accessLogCommandsPerRequest),
          n0(s.responseBytes),
        ]);
      }
    }
  }
  return table(
    [
      'WNA',
      'workload',
      'target',
      'requests',
      'median ms',
      'gateway (raw: endpoint) CPU ms',
      'subgraphs CPU ms',
      'FerretDB CPU ms',
      'FerretDB share of CPU',
      'db commands',
      'of which access log',
      'response bytes',
    ],
    rows,
    ['r', 'l', 'l'],
  );
}

export function pageSizeTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const p of r.pageSizes) {
      rows.push([n0(r.size), String(p.first), f1(p.commandsPerRequest), f1(p.readCommandsPerRequest), f1(p.medianMs)]);
    }
  }
  return table(['WNA', 'page size (`first`)', 'db commands / req', 'of them reads', 'median ms, one at a time'], rows, [
    'r',
    'r',
  ]);
}

export function memoryTable(results: SizeResult[]): string {
  const names = ['gateway', 'hive', ...SUBGRAPHS, 'raw', 'ferretdb'];
  const labels: Record<string, string> = {
    gateway: 'hub gateway',
    hive: 'Hive Gateway',
    raw: 'raw endpoint',
    ferretdb: 'FerretDB',
  };
  return table(
    ['WNA', ...names.map((n) => labels[n] ?? `${n} subgraph`)],
    results.map((r) => [n0(r.size), ...names.map((n) => (r.peakMemory[n] ? `${n0(r.peakMemory[n] / MiB)} MiB` : '–'))]),
  );
}
