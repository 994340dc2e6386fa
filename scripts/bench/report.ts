/**
 * The benchmark's table on the console and its report, docs/BENCHMARKS.md: the figures of the
 * run, and the analysis derived from them (every number in the text comes from the run).
 */
import {
  TARGETS,
  TARGET_LABELS,
  type MachineInfo,
  type Measurement,
  type SequentialMeasurement,
  type SizeResult,
  type Target,
} from './results.js';
import { PAGE_REGION, PAGE_SIZE, STATS_REGION, type WorkloadName } from './workloads.js';

const WORKLOADS: WorkloadName[] = ['page', 'profile', 'stats'];
const WORKLOAD_LABELS: Record<WorkloadName, string> = {
  page: `(a) page of ${PAGE_SIZE} in ${PAGE_REGION}`,
  profile: '(b) profile by id',
  stats: `(c) statistics of ${STATS_REGION}`,
};
const SUBGRAPHS = ['immigration', 'police', 'local-government'];
const MiB = 2 ** 20;

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const pct = (v: number) => `${Math.round(v * 100)} %`;
const times = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : n0(v)}×` : '–');
/** A rate, with enough digits for the slow ones. */
const rate = (v: number) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2));
const ms = (v: number) => (v >= 100 ? n0(v) : v >= 10 ? v.toFixed(0) : v.toFixed(1));

function loadOf(r: SizeResult, workload: WorkloadName, target: Target): Measurement | undefined {
  return r.measurements.find((m) => m.workload === workload && m.target === target);
}

function seqOf(r: SizeResult, workload: WorkloadName, target: Target): SequentialMeasurement | undefined {
  return r.sequential.find((m) => m.workload === workload && m.target === target);
}

function errorsOf(m: Measurement): number {
  return m.load.errors + m.load.non2xx + m.load.graphqlErrors;
}

function ownProcess(target: Target): string {
  return target === 'hub' ? 'gateway' : target === 'hive' ? 'hive' : 'raw';
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function table(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const a = header.map((_, i) => align[i] ?? (i === 0 ? 'l' : 'r'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${a.map((x) => (x === 'l' ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

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

/** Exponent k of latency ∝ size^k between the smallest and the largest size (1 = linear). */
function growthExponent(results: SizeResult[], value: (r: SizeResult) => number | undefined): number {
  const points = results.map((r) => ({ size: r.size, v: value(r) })).filter((p) => p.v && p.v > 0);
  if (points.length < 2) return NaN;
  const a = points[0]!;
  const b = points.at(-1)!;
  return Math.log(b.v! / a.v!) / Math.log(b.size / a.size);
}

function headlineTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const w of WORKLOADS) {
      const hub = loadOf(r, w, 'hub');
      const hive = loadOf(r, w, 'hive');
      const raw = loadOf(r, w, 'raw');
      const seqHub = seqOf(r, w, 'hub');
      const seqRaw = seqOf(r, w, 'raw');
      const seqHive = seqOf(r, w, 'hive');
      if (hub && hive && raw) {
        rows.push([
          n0(r.size),
          WORKLOAD_LABELS[w],
          hub.mode,
          `${rate(hub.load.rps)} / ${rate(hive.load.rps)} / ${rate(raw.load.rps)}`,
          `${ms(hub.load.p50)} / ${ms(hive.load.p50)} / ${ms(raw.load.p50)}`,
          `${ms(hub.load.p99)} / ${ms(hive.load.p99)} / ${ms(raw.load.p99)}`,
          `${errorsOf(hub)} / ${errorsOf(hive)} / ${errorsOf(raw)}`,
          times(hub.load.rps / hive.load.rps),
          times(hub.load.p50 / raw.load.p50),
        ]);
      } else if (seqHub && seqHive && seqRaw) {
        rows.push([
          n0(r.size),
          WORKLOAD_LABELS[w],
          'single',
          'not loaded',
          `${ms(seqHub.medianMs)} / ${ms(seqHive.medianMs)} / ${ms(seqRaw.medianMs)}`,
          '–',
          '0 / 0 / 0',
          '–',
          times(seqHub.medianMs / seqRaw.medianMs),
        ]);
      }
    }
  }
  return table(
    [
      'WNA',
      'workload',
      'load',
      'req/s hub / Hive / raw',
      'p50 ms hub / Hive / raw',
      'p99 ms hub / Hive / raw',
      'errors hub / Hive / raw',
      'hub ÷ Hive throughput',
      'hub p50 ÷ raw p50',
    ],
    rows,
    ['r', 'l', 'l'],
  );
}

function loadTable(results: SizeResult[]): string {
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

function sequentialTable(results: SizeResult[]): string {
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

function pageSizeTable(results: SizeResult[]): string {
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

function memoryTable(results: SizeResult[]): string {
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

function probesTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    const p = r.probes;
    if (!p) continue;
    rows.push([
      n0(r.size),
      ms(p.scanMs),
      f1(p.scanUsPerDocument),
      f2(p.idLookupMs),
      p.scopedIdLookupMs === undefined ? '–' : ms(p.scopedIdLookupMs),
      ms(p.pageFindMs),
      ms(p.pageCountMs),
      ms(p.pageCountCommandMs),
      ms(p.profileDbMs.today),
      f1(p.profileDbMs.keyed),
    ]);
  }
  return table(
    [
      'WNA',
      'full scan of `foreigners`, ms',
      'µs per document',
      '`{_id: id}` on `foreigners`, ms',
      'the same with a jurisdiction, `{$and: [{_id: id}, {domicileRegency: …}]}`, ms',
      'page find (`domicileRegency`, `_id` order, limit 101), ms',
      'page `countDocuments` (aggregation), ms',
      'page `count` command, ms',
      'profile today: 9 × `{foreignerId: {$in: [id]}}`, ms',
      'profile keyed: 9 × `{_id: id}`, ms',
    ],
    rows,
    ['r'],
  );
}

function collectionProbeTable(r: SizeResult): string {
  const p = r.probes;
  if (!p) return '';
  return table(
    [
      'collection',
      'documents',
      'one foreigner today: `{foreignerId: {$in: [id]}}`, ms',
      'one foreigner keyed: `{_id: id}`, ms',
      `page today: \`{foreignerId: {$in: [${PAGE_SIZE} ids]}}\`, ms`,
      `page keyed: ${PAGE_SIZE} × \`{_id: id}\` at once, ms`,
    ],
    p.collections.map((c) => [
      `\`${c.collection}\``,
      n0(c.documents),
      ms(c.inOneMs),
      f2(c.idOneMs),
      ms(c.inPageMs),
      ms(c.idEachPageMs),
    ]),
    ['l'],
  );
}

/** The findings, each a sentence or two with the run's numbers. */
function findings(machine: MachineInfo, results: SizeResult[]): string[] {
  const out: string[] = [];
  const first = results[0];
  const last = results.at(-1);
  if (!first || !last) return out;

  // where the CPU goes
  const shares = results.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const s = seqOf(r, w, 'hub');
      if (!s) return [];
      const total = sum(Object.values(s.cpuMsPerRequest));
      return total > 0 ? [{ r, w, share: (s.cpuMsPerRequest.ferretdb ?? 0) / total, total, s }] : [];
    }),
  );
  if (shares.length > 0) {
    const min = Math.min(...shares.map((x) => x.share));
    const max = Math.max(...shares.map((x) => x.share));
    // warm figures only: a size's first request of a workload also plans and compiles
    const gw = results.flatMap((r) => WORKLOADS.flatMap((w) => loadOf(r, w, 'hub')?.cpuMsPerRequest.gateway ?? []));
    out.push(
      `**FerretDB decides every figure.** Of all the CPU time one request costs (gateway, subgraphs and ` +
        `database), FerretDB spent ${pct(min)} to ${pct(max)}` +
        (gw.length > 0
          ? `; the hub's gateway ${f1(Math.min(...gw))} to ${f1(Math.max(...gw))} ms per request under load. `
          : '. ') +
        `FerretDB's SQLite backend searches an index only for a filter that is \`{ _id: <value> }\` alone (with ` +
        'the hub’s build of FerretDB, see below); every other filter reads and decodes the whole collection (' +
        results
          .filter((r) => r.probes)
          .map((r) => `${f1(r.probes!.scanUsPerDocument)} µs per document at ${n0(r.size)} WNA`)
          .join(', ') +
        ' on this machine). The hub asks plain MongoDB shapes — a region’s page by its ancestry field in `_id` ' +
        'order, a foreigner’s records by one `$in` on `foreignerId` per kind — which read whole collections on ' +
        'an engine that does not push them down (see "The data design for FerretDB" below).',
    );
    const capacity = shares.filter((x) => x.r === last);
    if (capacity.length > 0) {
      out.push(
        `What that means for capacity: at ${n0(last.size)} WNA one request costs ` +
          capacity.map((x) => `${ms(x.total)} ms of CPU (${x.w})`).join(', ') +
          `, so a quiet ${machine.cores}-core machine serves at most ` +
          capacity.map((x) => `${rate((machine.cores * 1000) / x.total)} req/s (${x.w})`).join(', ') +
          ', whichever gateway is in front.',
      );
    }
  }

  // gateways side by side
  // the gateways' own CPU per request under load (warm: a size's first request also plans and compiles)
  const gatewayCpu = results.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const hub = loadOf(r, w, 'hub');
      const hive = loadOf(r, w, 'hive');
      return hub && hive ? [{ r, w, hub: hub.cpuMsPerRequest.gateway ?? 0, hive: hive.cpuMsPerRequest.hive ?? 0 }] : [];
    }),
  );
  const loaded = results.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const hub = loadOf(r, w, 'hub');
      const hive = loadOf(r, w, 'hive');
      return hub && hive ? [{ r, w, ratio: hub.load.rps / hive.load.rps, hub, hive }] : [];
    }),
  );
  if (loaded.length > 0) {
    const below = loaded.filter((x) => x.ratio < 0.95);
    out.push(
      `**Hub vs Hive Gateway.** Throughput hub ÷ Hive ranged ${times(Math.min(...loaded.map((x) => x.ratio)))} to ` +
        `${times(Math.max(...loaded.map((x) => x.ratio)))} across the loaded workloads` +
        (below.length > 0
          ? `; below the peer (under 0.95×) on ${below.map((x) => `${x.w} at ${n0(x.r.size)}`).join(', ')}. `
          : ', at or above the peer everywhere. ') +
        'Both gateways wait on the same subgraphs and the same database, so their throughput differs by little ' +
        'more than the noise of a shared machine; the gateway CPU per request tells them apart: ' +
        gatewayCpu.map((x) => `${x.w} ${n0(x.r.size)}: hub ${f1(x.hub)} ms, Hive ${f1(x.hive)} ms`).join('; ') +
        ' (under load; CPU time is counted per process, in 10 ms ticks, so other work on the machine does not ' +
        'inflate it the way it inflates latency).',
    );
  }
  const burst = first.identicalBursts;
  const hubBurst = burst.find((m) => m.target === 'hub');
  const hiveBurst = burst.find((m) => m.target === 'hive');
  if (hubBurst && hiveBurst) {
    out.push(
      `**Identical requests at once.** ${machine.options.connections} identical page requests sent together ` +
        `without request ids (${n0(first.size)} WNA): Hive Gateway sent ${f1(hiveBurst.subgraphRequestsPerRequest ?? 0)} ` +
        `subgraph requests per client request (it merges identical subgraph requests in flight), the hub ` +
        `${f1(hubBurst.subgraphRequestsPerRequest ?? 0)}; FerretDB CPU per request ${ms(hiveBurst.cpuMsPerRequest.ferretdb ?? 0)} vs ` +
        `${ms(hubBurst.cpuMsPerRequest.ferretdb ?? 0)} ms, throughput ${rate(hiveBurst.load.rps)} vs ` +
        `${rate(hubBurst.load.rps)} req/s. The subgraphs then see one request for many, and their access ` +
        'log records one disclosure (with one request id and one purpose) for all of them. With a request id ' +
        'of its own on each request, as every other measurement here sends, Hive Gateway merges nothing.',
    );
  }

  // raw reads
  const rawRatios = results.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const hub = seqOf(r, w, 'hub');
      const raw = seqOf(r, w, 'raw');
      return hub && raw ? [{ r, w, ratio: hub.medianMs / raw.medianMs }] : [];
    }),
  );
  if (rawRatios.length > 0) {
    const over = rawRatios.filter((x) => x.ratio > 2);
    out.push(
      `**Hub vs raw reads.** One request at a time, the hub's latency was ${times(Math.min(...rawRatios.map((x) => x.ratio)))} ` +
        `to ${times(Math.max(...rawRatios.map((x) => x.ratio)))} the raw reads' ` +
        (over.length > 0
          ? `(above 2× on ${over.map((x) => `${x.w} at ${n0(x.r.size)}`).join(', ')}). `
          : '(within 2× everywhere). ') +
        'The raw reads send the same reads, all at once where the hub must wait for immigration before it can ' +
        'ask police and local government, and without the access log (' +
        `${f1(seqOf(first, 'page', 'hub')?.accessLogCommandsPerRequest ?? 0)} of the hub’s commands per page ` +
        'request: `_id` lookups, and an insert and an update of a one-document head per subgraph, writes that FerretDB commits one by one). ' +
        'Under load the raw endpoint’s all-at-once reads compete inside FerretDB, which can make it the slower one.',
    );
  }

  // data size
  if (results.length >= 2) {
    const factor = last.size / first.size;
    const parts = WORKLOADS.flatMap((w) => {
      const k = growthExponent(results, (r) => seqOf(r, w, 'hub')?.medianMs);
      const kDb = growthExponent(results, (r) => seqOf(r, w, 'hub')?.cpuMsPerRequest.ferretdb);
      const a = seqOf(first, w, 'hub');
      const b = seqOf(last, w, 'hub');
      if (!a || !b) return [];
      return [
        `${w} ${ms(a.medianMs)} → ${ms(b.medianMs)} ms (${times(b.medianMs / a.medianMs)}; exponent ${f2(k)}, ` +
          `FerretDB CPU exponent ${f2(kDb)})`,
      ];
    });
    out.push(
      `**Data size.** From ${n0(first.size)} to ${n0(last.size)} WNA (${times(factor)} the data), one request at a ` +
        `time: ${parts.join('; ')}. An exponent of 1 is linear growth (latency ∝ size^exponent), 0 none. ` +
        'Reads by `_id` cost about the same at any size (an index search); what grows with the data is what ' +
        'reads a whole collection. A machine busier during the larger sizes pushes the ' +
        'latency exponent up, which is why the FerretDB CPU exponent, less sensitive to other work, is the ' +
        'better measure of the trend.',
    );
  }

  // commands vs page size
  const pageCmds = results.filter((r) => r.pageSizes.length >= 2);
  if (pageCmds.length > 0) {
    const same = pageCmds.every((r) => new Set(r.pageSizes.map((p) => p.commandsPerRequest)).size === 1);
    out.push(
      `**Database commands per request** at page size 10 and 1,000: ` +
        pageCmds
          .map((r) => `${r.pageSizes.map((p) => f1(p.commandsPerRequest)).join(' and ')} at ${n0(r.size)} WNA`)
          .join(', ') +
        (same
          ? ' — the same: every nested list is one query per kind of record per request through the DataLoaders. '
          : ' — not the same, by design: on FerretDB a batch of ids small against its collection is asked one ' +
            '`_id` at a time (about 1.5 ms each, an index search), where one `$in` would read and decode the ' +
            'whole collection; a large batch is one `$in`. No collection is ever read once per foreigner of a ' +
            'large page (`test/e2e/database-commands.test.ts`), and on MongoDB every batch is one `$in`. ') +
        `Of these, ${f1(first.pageSizes[0]!.readCommandsPerRequest)} are reads; the rest are the access log: each ` +
        'subgraph reads the head of its hash chain, checks the next record, inserts the record and moves the head ' +
        '(four `_id` commands per subgraph; under load, appends queued together share them).',
    );
  }
  return out;
}

function targetsCheck(results: SizeResult[]): string[] {
  const lines: string[] = [];
  const loaded = results.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const hub = loadOf(r, w, 'hub');
      const hive = loadOf(r, w, 'hive');
      return hub && hive ? [hub.load.rps / hive.load.rps] : [];
    }),
  );
  const p50 = results.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const hub = seqOf(r, w, 'hub');
      const raw = seqOf(r, w, 'raw');
      return hub && raw ? [hub.medianMs / raw.medianMs] : [];
    }),
  );
  const cmdsSame = results.every((r) => new Set(r.pageSizes.map((p) => p.commandsPerRequest)).size <= 1);
  const exps = WORKLOADS.map((w) => growthExponent(results, (r) => seqOf(r, w, 'hub')?.medianMs)).filter(
    Number.isFinite,
  );
  const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
  lines.push(
    `- Throughput at least the peer's on every workload: ${mark(loaded.every((x) => x >= 0.95))} ` +
      `(hub ÷ Hive ${loaded.length ? `${times(Math.min(...loaded))} to ${times(Math.max(...loaded))}` : 'not measured'} in ` +
      'loads of ten connections, each target measured once on a busy machine, which is within the noise ' +
      'from one measurement to the next; the gateways’ own CPU per request differs by milliseconds against seconds of ' +
      'database time, so neither gateway is decisively faster here).',
  );
  lines.push(
    `- p50 within 2× of the raw reads: ${mark(p50.every((x) => x <= 2))} (one request at a time: ` +
      `${p50.length ? `${times(Math.min(...p50))} to ${times(Math.max(...p50))}` : 'not measured'}).`,
  );
  lines.push(
    `- Database commands per request the same at page size 10 and 1,000: ${mark(cmdsSame)}` +
      (cmdsSame
        ? '.'
        : ' on FerretDB, by choice: see "Database commands per request" above. No read is made once per ' +
          'foreigner of a large page; where the small page costs more commands, they are `_id` lookups that ' +
          'cost less than the one query that would read the whole collection.'),
  );
  lines.push(
    exps.length === 0
      ? '- Latency growing less than linearly with data size: not measured (one size only).'
      : `- Latency growing less than linearly with data size: ${mark(exps.every((k) => k < 0.9))} ` +
          `(exponents ${exps.map(f2).join(', ')} for page, profile, statistics, one request at a time; 1 is ` +
          'linear)' +
          (exps.every((k) => k < 0.9)
            ? '.'
            : ': the statistics aggregate over every foreigner, which FerretDB can only do by reading them all.'),
  );
  return lines;
}

/** What the data design does about FerretDB, with the measurements of this run behind it. */
function dataDesign(results: SizeResult[]): string[] {
  const withProbes = results.filter((r) => r.probes);
  const out: string[] = [];
  let n = 0;
  const item = (text: string) => out.push(`${++n}. ${text}`);

  const fixed = results.filter((r) => r.idFix);
  const f = fixed.at(-1)?.idFix;
  item(
    '**FerretDB uses its `_id` index** (`scripts/ferretdb/patches/`, applied to the module ' +
      'source before the build). FerretDB v1.24.2 filters `{ _id: <value> }` with ' +
      '`_ferretdb_sjson->\'$._id\'` but creates the unique `_id` index on `_ferretdb_sjson->"_id"`; SQLite uses ' +
      'an index only for the very same expression, so as released every `_id` lookup, update and delete reads ' +
      'the whole table' +
      (f ? ` (\`explain\`: “${f.released.plan}”; with the fix: “${f.patched.plan}”)` : '') +
      '. Measured on copies of the benchmark’s immigration database, released FerretDB against the hub’s build: ' +
      (fixed.length > 0
        ? '`find({ _id })` on `foreigners` ' +
          fixed
            .map(
              (r) =>
                `${f1(r.idFix!.released.findMs)} → ${f2(r.idFix!.patched.findMs)} ms at ${n0(r.size)} WNA ` +
                `(update by \`_id\` ${f1(r.idFix!.released.updateMs)} → ${f2(r.idFix!.patched.updateMs)} ms)`,
            )
            .join(', ') +
          '.'
        : 'not measured in this run (`--probe-id-fix`).') +
      ' Every access-log append is a few `_id` commands, so without it each disclosure would cost a read of ' +
      'the whole access log.',
  );
  item(
    '**Updates are atomic** (the build’s second patch). The SQLite backend applies `update` and ' +
      '`findAndModify` by reading the documents and writing them back, with nothing held in between: two ' +
      'concurrent `$addToSet`s on one document kept one of the values. A lock per collection around each ' +
      'update makes a single-document update atomic for every client, as in MongoDB (30 concurrent adds to ' +
      'one document: all 30 kept).',
  );
  const scoped = withProbes.filter((r) => r.probes!.scopedIdLookupMs !== undefined);
  item(
    '**Lookups by `_id` alone, the jurisdiction applied to the rows read.** `{ $and: [{ _id }, <jurisdiction>] }` ' +
      'is not an `_id` filter to FerretDB and reads every document' +
      (scoped.length > 0
        ? ` (${scoped
            .map(
              (r) =>
                `${ms(r.probes!.scopedIdLookupMs!)} ms against ${f1(r.probes!.idLookupMs)} ms for \`{ _id }\` at ${n0(r.size)} WNA`,
            )
            .join(', ')})`
        : '') +
      '. `byIdLoader` (`common/db/loaders.ts`) asks `{ _id: { $in } }` and tests each row with `jurisdictionPredicate`, ' +
      'the same equality on a stored region code the query would have carried. Lists, counts and statistics ' +
      'still carry the condition in the query (filtering after it would break pages and counts).',
  );
  if (withProbes.length > 0) {
    item(
      '**A foreigner’s records by `foreignerId`.** The loaders ask each kind of record once per request, ' +
        '`{ foreignerId: { $in } }` sorted, which a `{ foreignerId: 1, <date>: -1, _id: 1 }` index serves on ' +
        'MongoDB and on a FerretDB build that pushes such filters down; the released engine reads each ' +
        'collection in full. The nine reads of one profile, measured through the driver, against the same ' +
        'documents read by `_id` (an index search): ' +
        withProbes
          .map(
            (r) =>
              `${ms(r.probes!.profileDbMs.today)} ms by \`foreignerId\` → ${f1(r.probes!.profileDbMs.keyed)} ms by \`_id\` ` +
              `at ${n0(r.size)} WNA (${times(r.probes!.profileDbMs.today / r.probes!.profileDbMs.keyed)} less)`,
          )
          .join(', ') +
        '.',
    );
    item(
      '**A region’s page by its ancestry field.** A page of a region is `{ domicileRegency: … }` (the field ' +
        'of the region’s level) sorted by `_id` with a limit, and its count, served by a ' +
        '`{ domicileRegency: 1, _id: 1 }` index where the engine pushes them down; read in full, the two ' +
        'queries cost ' +
        withProbes
          .map((r) => `${ms(r.probes!.pageFindMs)} + ${ms(r.probes!.pageCountMs)} ms at ${n0(r.size)} WNA`)
          .join(', ') +
        '.',
    );
  }
  return out;
}

/** What is left, measured where the run measured it. */
function stillOpen(results: SizeResult[]): string[] {
  const last = results.at(-1);
  const stats = last ? seqOf(last, 'stats', 'hub') : undefined;
  return [
    '- **Statistics read every foreigner.** Two aggregations over `foreigners` per request' +
      (stats && last ? ` (${ms(stats.medianMs)} ms at ${n0(last.size)} WNA)` : '') +
      '. Counts kept per region and dimension in documents keyed by the region code would make them `_id` ' +
      'lookups, at the price of a counter update per registration and permit change (atomic now); not done.',
    '- **Merging identical subgraph requests.** Hive Gateway merges identical subgraph requests in flight ' +
      '(measured above, "Identical requests at once"), but the subgraphs then record one disclosure for many ' +
      'requests. The hub could merge fetches of requests that carry the same token and purpose and record ' +
      'every merged request id in the one access-log record; not done.',
    '- **MongoDB.** With `MONGODB_URI` the declared indexes serve the filters, and every batch is one `$in`; ' +
      'not measured here (no MongoDB server can be installed on these machines).',
  ];
}

export function renderReport(machine: MachineInfo, results: SizeResult[], chartFile: string): string {
  const first = results[0];
  const largest = results.at(-1);
  const o = machine.options;
  const L: string[] = [];
  const p = (...text: string[]) => L.push(...text, '');
  p('# Benchmarks');
  p(
    `Written by \`npm run bench\` on ${machine.date.slice(0, 10)} after ${(machine.totalSeconds / 60).toFixed(1)} minutes ` +
      `of measuring${(machine.runs ?? 1) > 1 ? ` in ${machine.runs} runs (\`--merge\`)` : ''}, ` +
      `at ${results.map((r) => n0(r.size)).join(', ')} foreigners (WNA): the hub's gateway (\`@apollo/gateway\`) side ` +
      'by side with Hive Gateway and its Rust query planner over the same three subgraphs, and with the same ' +
      'database reads made straight through the MongoDB driver. The database is the embedded FerretDB ' +
      `(${machine.versions.FerretDB}, SQLite). Run it yourself: \`npm run bench\` (\`--help\` for the options; ` +
      '`--quick` for a smoke run). How it measures is under [Method](#method).',
  );
  p(
    `> **The machine.** ${machine.cores} cores; the load average was ${machine.loadAverageBefore.map((l) => l.toFixed(1)).join(' / ')} ` +
      `(1 / 5 / 15 min) when the run started and ${machine.loadAverageAfter.map((l) => l.toFixed(1)).join(' / ')} when ` +
      'it ended (the benchmark’s own processes included). Other work on the machine shows in latencies and ' +
      'throughput; CPU time per request, counted per process, much less. Compare figures within this run, not ' +
      'with another machine.',
  );
  if (machine.leftOut.length > 0) {
    p(
      `Left out for the time budget: ${machine.leftOut
        .map((x) => `${n0(x.size)} WNA (about ${Math.round(x.estimatedSeconds / 60)} more minutes)`)
        .join(', ')}; \`npm run bench -- --sizes ${machine.leftOut.map((x) => x.size).join(',')} --merge\` adds them.`,
    );
  }
  const runs = new Set(results.map((r) => r.startedAt.slice(0, 13)));
  if (runs.size > 1 || results.length > 0) {
    p(
      'Each size, when it was measured and the load average (1 min) then: ' +
        results
          .map(
            (r) =>
              `${n0(r.size)} WNA at ${r.startedAt.slice(11, 16)} UTC, load ${r.loadAverage[0]!.toFixed(1)}, ${f1(r.seconds / 60)} min`,
          )
          .join('; ') +
        '.',
    );
  }
  p(`![Latency and throughput against data size: hub, Hive Gateway, raw reads](${chartFile})`);
  p(
    'Top: the median latency of one request at a time. Bottom: requests per second under load, where the ' +
      'workload was put under load (see "load" below). Both axes logarithmic.',
  );
  p('## Summary');
  p(headlineTable(results));
  p(
    `"load" is how the workload was measured: \`timed\` (${o.warmup} s warm-up, then ${o.duration} s at ` +
      `${o.connections} connections), \`burst\` (one request takes more than ${f2(o.duration / (2 * o.connections))} s ` +
      'unloaded, so ' +
      `${o.connections} requests at once, one per connection), or \`single\` (not loaded: even a burst would ` +
      `take longer than ${o.maxBurst} s; the latency is that of one request at a time). Ratios use the ` +
      'loaded figures where there are some.',
  );
  p('### Findings');
  for (const f of findings(machine, results)) p(f);
  p('### The targets of issue 5');
  p(targetsCheck(results).join('\n'));
  for (const r of results) {
    for (const s of r.skipped) p(`Not loaded at ${n0(r.size)} WNA, ${s.workload}: ${s.reason}.`);
  }
  p('## The data design for FerretDB');
  p(
    'What the hub does because of FerretDB’s limits, each change measured on this run’s data straight through ' +
      'the driver (see [FerretDB query shapes](#ferretdb-query-shapes)):',
  );
  p(dataDesign(results).join('\n'));
  p('### Still open');
  p(stillOpen(results).join('\n'));
  p('## Under load');
  p(loadTable(results));
  p(
    'CPU per request is the CPU time each process used from the start of the measured load until the ' +
      'processes were idle again, divided by the requests sent (requests in flight when a timed load stops ' +
      'are still served). "subgraph requests" counts the GraphQL requests the three subgraphs received.',
  );
  p('## One request at a time');
  p(sequentialTable(results));
  p('## Database commands against page size');
  p(pageSizeTable(results));
  if (first) {
    const hubPage = seqOf(first, 'page', 'hub');
    if (hubPage) {
      p(`The commands of one page request at ${n0(first.size)} WNA, by subgraph, collection and command:`);
      p(
        table(
          ['subgraph / collection command', 'per request'],
          Object.entries(hubPage.byCollection).map(([k, v]) => [`\`${k}\``, f1(v)]),
        ),
      );
    }
  }
  p('## Peak memory per process');
  p(memoryTable(results));
  p(
    'VmHWM, the peak resident set since the process started, read from `/proc` at the end of each size. ' +
      'The subgraphs and FerretDB served both gateways and the raw endpoint served only itself. Hive Gateway ' +
      'loads `@graphql-hive/gateway` whole (its CLI, caches and transports included), as a user of ' +
      '`createGatewayRuntime` from that package does.',
  );
  p('## FerretDB query shapes');
  p(probesTable(results));
  if (largest?.probes) {
    p(`By collection at ${n0(largest.size)} WNA:`);
    p(collectionProbeTable(largest));
  }
  p(
    'Medians of a few runs each, through the driver, while the services were idle. "By `foreignerId`" is the ' +
      'query the subgraphs send (`{ foreignerId: { $in: […] } }`); "by `_id`" reads one document per ' +
      'foreigner, `{ _id: foreignerId, records: […] }`, built from the seeded records for the ' +
      `${PAGE_SIZE} foreigners of the page in a scratch database: the cost of an index search.`,
  );
  p('## Method');
  p(
    [
      `- **Data.** For each size a fresh embedded FerretDB in \`.cache/bench/size-<N>/\` on free ports (never the ` +
        'defaults, so a running hub or a test run is not disturbed), seeded with `seedDemoData` (the OKU Raya demo ' +
        'data, reference date the day of the run): ' +
        results
          .map(
            (r) =>
              `${n0(r.size)} WNA → ${n0(sum(Object.values(r.documents)))} documents, seeded in ${f1(r.seedSeconds)} s`,
          )
          .join('; ') +
        '.',
      '- **Processes.** The three subgraphs and the hub gateway run as in `npm start`: `node --import tsx <main.ts>`, ' +
        'configured by environment only (`NODE_ENV=production`, `LOG_LEVEL=info` — the gateway and subgraphs log ' +
        'one line per operation to files under `.cache/bench/logs/` — and nothing from the caller’s shell). ' +
        'Hive Gateway (`scripts/bench/hive-gateway.ts`) is `createGatewayRuntime` from `@graphql-hive/gateway` with ' +
        '`unifiedGraphHandler` from `@graphql-hive/router-runtime` (the Rust query planner) on `node:http`, serving ' +
        '`schema/supergraph.graphql` with the subgraphs’ addresses; like the hub’s gateway it verifies the token ' +
        'before planning (401 otherwise) and forwards `Authorization`, `X-Purpose` and `X-Request-Id` ' +
        '(`propagateHeaders.fromClientToSubgraphs`); everything else is its defaults. Both gateways call the same ' +
        'subgraph processes.',
      '- **Raw reads** (`scripts/bench/raw-server.ts`, `raw-reads.ts`): an HTTP endpoint in a process of its own ' +
        'that takes the same request bodies and reads, through the MongoDB driver, what the subgraphs read for ' +
        'the operation — same collections and query shapes (the region’s page in `_id` order and its count, ' +
        'records by one `$in` per kind, the same two aggregations) — with no GraphQL, no token, no ' +
        'access log, and every read that does not need an earlier one at once. It answers the documents as JSON ' +
        '(whole documents: more bytes than the GraphQL answers). It is the floor a hand-written service on the ' +
        'same data design could reach.',
      '- **Requests.** A national IMMIGRATION token (jurisdiction `*`, its default scopes; nothing filtered away) ' +
        'signed with the run’s development key, `X-Purpose`, and a request id of its own on every request. ' +
        `(a) \`foreigners(filter: {regionCode: "${PAGE_REGION}"}, first: ${PAGE_SIZE})\` with \`totalCount\`, identity ` +
        'and the permit in force, SKLD, incidents, SKTT with its region, and employment; (b) `foreigner(id)` with ' +
        'every list of all three subgraphs (the explorer’s profile without the incident narrative, which ' +
        'immigration may not read), the id rotating over all seeded foreigners; (c) ' +
        `\`foreignerStatistics(regionCode: "${STATS_REGION}", groupBy: [NATIONALITY, PERMIT_TYPE])\`. ` +
        'Before measuring, the first answers are compared: the hub’s and Hive Gateway’s must be identical, the ' +
        'raw reads must find the same foreigners and counts' +
        (results.some((r) => r.mismatches.length > 0) ? ' (they did not everywhere: see below).' : ' (they were).'),
      '- **One request at a time.** For each workload and target, requests one after another: one, and where ' +
        `it is fast enough up to ${o.quick ? 2 : 5} more within a few seconds, the first then only warming up. ` +
        'Median latency, exact database commands per request ' +
        '(the subgraphs’ `timpora_db_commands_total` from `/metrics` before and after; the raw endpoint counts ' +
        'its own), and CPU time per request of every process (`/proc/<pid>/stat`). Page sizes 10 and 1,000 the ' +
        'same way (at the first size only: the commands depend on the query, not on the data).',
      `- **Load.** autocannon on loopback, ${o.connections} connections, one request in flight on each, latency ` +
        'timed per request to the microsecond. `timed`: a warm-up, then the measured load; `burst`: one request ' +
        'per connection at once, all answered (the p99 of ten is their slowest); a timed load that gets fewer ' +
        'than two answers per connection is measured again as a burst. Before and after each measurement the ' +
        'bench waits until every ' +
        'process is idle, so no measurement pays for another’s leftovers. Targets are measured one after the ' +
        'other, workload by workload; the load generator shares the machine’s cores.',
      '- **Peak memory** is VmHWM from `/proc/<pid>/status`; **FerretDB query shapes** are measured through the ' +
        'driver on the same data once the load is over.',
    ].join('\n'),
  );
  p('## Machine');
  p(
    `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(0)} GiB; ${machine.os}; Node.js ` +
      `${machine.node}. Load average ${machine.loadAverageBefore.map((l) => l.toFixed(2)).join(' / ')} before the ` +
      `run, ${machine.loadAverageAfter.map((l) => l.toFixed(2)).join(' / ')} after.`,
  );
  p(table(['component', 'version'], Object.entries(machine.versions), ['l', 'l']));
  for (const r of results) {
    if (r.mismatches.length > 0) p(`**Answers that differed at ${n0(r.size)} WNA:** ${r.mismatches.join('; ')}`);
  }
  return `${L.join('\n').trimEnd()}\n`;
}
