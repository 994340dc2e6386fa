/**
 * The benchmark's table on the console and its report, docs/BENCHMARKS.md: the figures of the
 * run, issue 9's targets checked against them, and the findings derived from them (every
 * number and every "met" in the text comes from the run).
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
import { NAME_FRAGMENT, PAGE_REGION, PAGE_SIZE, STATS_REGION, WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

const WORKLOADS: readonly WorkloadName[] = WORKLOAD_NAMES;
const WORKLOAD_LABELS: Record<WorkloadName, string> = {
  page: `(a) page of ${PAGE_SIZE} in ${PAGE_REGION}`,
  profile: '(b) profile by id',
  stats: `(c) statistics of ${STATS_REGION} by nationality and permit type`,
  'stats-permit': `(d) statistics of ${STATS_REGION} by permit type`,
  'stats-district': `(e) statistics of ${PAGE_REGION} by district`,
  gaps: `(f) registration gaps in ${PAGE_REGION}, first ${PAGE_SIZE}`,
  name: `(g) name search "${NAME_FRAGMENT}", first ${PAGE_SIZE}`,
};

/** Issue 9's targets. */
const TARGET = {
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

/** The sizes of the regular runs (a `--bulk` size is measured differently and stands apart). */
function regular(results: SizeResult[]): SizeResult[] {
  return results.filter((r) => !r.bulk);
}

/**
 * The exponent k of latency ∝ size^k from 1,000 to 50,000 WNA (or between the smallest and
 * the largest regular size measured, when those are not), with the two sizes used.
 */
function growth(
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

const mark = (ok: boolean) => (ok ? 'met' : '**not met**');

/** Per workload and size: p50 one at a time and throughput at 10 connections, three targets each. */
function summaryTable(results: SizeResult[], connections: number): string {
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

interface TargetCheck {
  /** Per workload: the four per-workload targets, each a cell with its verdict. */
  table: string;
  /** The targets that are not per workload (page sizes, the national registry). */
  others: string[];
  /** The targets not met, as short phrases (for "Still open"). */
  notMet: string[];
}

/** Issue 9's targets against this run. */
function targetsCheck(results: SizeResult[]): TargetCheck {
  const notMet: string[] = [];
  /** A cell: the figures and the verdict (null: not measured). */
  const cell = (what: string, measured: string, ok: boolean | null, target: string) => {
    if (ok === false) notMet.push(`${what}: ${measured} (target ${target})`);
    if (ok === null) return measured === '–' ? 'not measured' : `${measured} — not measured`;
    return `${measured} — ${mark(ok)}`;
  };
  const reg = regular(results);
  const at = reg.find((r) => r.size === TARGET.absoluteAt);
  const largest = reg.at(-1);
  const rows = WORKLOADS.flatMap((w) => {
    if (!reg.some((r) => seqOf(r, w, 'hub'))) return [];
    const label = WORKLOAD_LABELS[w];
    // the absolute latency at 50,000
    const limit = TARGET.absoluteMs[w];
    const s = at ? seqOf(at, w, 'hub') : undefined;
    const fallback = !s && largest ? seqOf(largest, w, 'hub') : undefined;
    const absolute = cell(
      `${label}, p50 at ${n0(TARGET.absoluteAt)} WNA`,
      s ? `${ms(s.medianMs)} ms` : fallback ? `${ms(fallback.medianMs)} ms at ${n0(largest!.size)}` : '–',
      s ? s.medianMs <= limit : null,
      `≤ ${limit} ms`,
    );
    // hub ÷ raw p50 at every size
    const raw = reg.flatMap((r) => {
      const hub = seqOf(r, w, 'hub');
      const base = seqOf(r, w, 'raw');
      return hub && base ? [{ r, v: hub.medianMs / base.medianMs }] : [];
    });
    const rawCell = cell(
      `${label}, hub p50 ÷ raw p50`,
      raw.length ? raw.map((x) => `${times(x.v)} at ${n0(x.r.size)}`).join(', ') : '–',
      raw.length ? raw.every((x) => x.v <= TARGET.rawRatio) : null,
      `≤ ${f1(TARGET.rawRatio)}×`,
    );
    // hub ÷ Hive throughput at every size
    const hive = reg.flatMap((r) => {
      const hub = loadOf(r, w, 'hub');
      const peer = loadOf(r, w, 'hive');
      return hub && peer ? [{ r, v: hub.load.rps / peer.load.rps }] : [];
    });
    const hiveCell = cell(
      `${label}, hub ÷ Hive throughput`,
      hive.length ? hive.map((x) => `${times(x.v)} at ${n0(x.r.size)}`).join(', ') : 'not loaded',
      hive.length ? hive.every((x) => x.v >= TARGET.hiveRatio) : null,
      `≥ ${f1(TARGET.hiveRatio)}×`,
    );
    // the latency exponent from 1,000 to 50,000
    const g = growth(results, (r) => seqOf(r, w, 'hub')?.medianMs);
    const full = g !== null && g.from === TARGET.exponentFrom && g.to === TARGET.absoluteAt;
    const exponent = cell(
      `${label}, latency exponent`,
      g ? `${f2(g.k)}${full ? '' : ` (${n0(g.from)} → ${n0(g.to)})`}` : '–',
      g && full ? g.k <= TARGET.exponent : null,
      `≤ ${f1(TARGET.exponent)}`,
    );
    return [[`${label} (≤ ${limit} ms)`, absolute, rawCell, hiveCell, exponent]];
  });
  const table_ = table(
    [
      'workload (p50 target)',
      `hub p50 at ${n0(TARGET.absoluteAt)} WNA, one at a time`,
      `hub p50 ÷ raw p50 (≤ ${f1(TARGET.rawRatio)}×)`,
      `hub ÷ Hive throughput at 10 connections (≥ ${f1(TARGET.hiveRatio)}×)`,
      `latency exponent ${n0(TARGET.exponentFrom)} → ${n0(TARGET.absoluteAt)} WNA (≤ ${f1(TARGET.exponent)})`,
    ],
    rows,
    ['l', 'l', 'l', 'l', 'l'],
  );

  const others: string[] = [];
  const pageCmds = reg.filter((r) => r.pageSizes.length >= 2);
  others.push(
    '- Database commands per page request the same at page size 10 and 1,000: ' +
      cell(
        'database commands per page request at page size 10 and 1,000',
        pageCmds.length
          ? pageCmds
              .map((r) => `${r.pageSizes.map((p) => f1(p.commandsPerRequest)).join(' and ')} at ${n0(r.size)} WNA`)
              .join(', ')
          : '–',
        pageCmds.length
          ? pageCmds.every((r) => new Set(r.pageSizes.map((p) => p.commandsPerRequest)).size === 1)
          : null,
        'the same',
      ) +
      '.',
  );
  const national = results.find((r) => r.bulk);
  for (const w of ['profile', 'page'] as const) {
    const big = national ? seqOf(national, w, 'hub') : undefined;
    const base = at ? seqOf(at, w, 'hub') : undefined;
    others.push(
      `- ${WORKLOAD_LABELS[w]} at ${n0(national?.size ?? TARGET.national)} WNA, bulk-loaded, within ` +
        `${TARGET.nationalFactor}× of ${n0(TARGET.absoluteAt)}: ` +
        cell(
          `${WORKLOAD_LABELS[w]} at ${n0(national?.size ?? TARGET.national)} against ${n0(TARGET.absoluteAt)} WNA`,
          big && base
            ? `${ms(big.medianMs)} ms against ${ms(base.medianMs)} ms, ${times(big.medianMs / base.medianMs)}`
            : big
              ? `${ms(big.medianMs)} ms, no ${n0(TARGET.absoluteAt)} figure`
              : 'not run (`--bulk`)',
          big && base ? big.medianMs / base.medianMs <= TARGET.nationalFactor : null,
          `≤ ${TARGET.nationalFactor}×`,
        ) +
        '.',
    );
  }
  return { table: table_, others, notMet };
}

/** Where a request's CPU time goes, one request at a time (hub), by process group. */
function cpuShares(s: SequentialMeasurement) {
  const total = sum(Object.values(s.cpuMsPerRequest));
  const ferret = s.cpuMsPerRequest.ferretdb ?? 0;
  const gateway = s.cpuMsPerRequest.gateway ?? 0;
  return { total, ferret, gateway, subgraphs: total - ferret - gateway };
}

/** The findings, each a paragraph with the run's numbers. */
function findings(machine: MachineInfo, results: SizeResult[]): string[] {
  const out: string[] = [];
  const reg = regular(results);
  const first = reg[0];
  const last = reg.at(-1);
  if (!first || !last) return out;

  // where the time goes at the largest size
  const shares = WORKLOADS.flatMap((w) => {
    const s = seqOf(last, w, 'hub');
    return s && sum(Object.values(s.cpuMsPerRequest)) > 0 ? [{ w, s, ...cpuShares(s) }] : [];
  });
  if (shares.length > 0) {
    const dbBound = shares.filter((x) => x.ferret / x.total >= 0.5);
    out.push(
      `**Where a request's time goes** at ${n0(last.size)} WNA, one request at a time through the hub (CPU ms per ` +
        'request: FerretDB / subgraphs / gateway): ' +
        shares
          .map(
            (x) =>
              `${x.w} ${f1(x.ferret)} / ${f1(x.subgraphs)} / ${f1(x.gateway)} (${pct(x.ferret / x.total)} FerretDB)`,
          )
          .join('; ') +
        '. ' +
        (dbBound.length === 0
          ? 'No workload spends half its CPU in the database any more: the rest of the request (GraphQL, the ' +
            'gateway’s plan and the access log) is what there is to gain.'
          : `FerretDB is still most of the cost of ${dbBound.map((x) => x.w).join(', ')}: see ` +
            '"Released FerretDB and the hub’s build" below for the query shapes behind them.') +
        ` CPU time is counted in 10 ms ticks per process, so small figures are coarse; on a quiet ` +
        `${machine.cores}-core machine those totals bound throughput at about ` +
        shares.map((x) => `${rate((machine.cores * 1000) / x.total)} req/s (${x.w})`).join(', ') +
        '.',
    );
  }

  // data size
  if (reg.length >= 2) {
    const parts = WORKLOADS.flatMap((w) => {
      const g = growth(results, (r) => seqOf(r, w, 'hub')?.medianMs);
      const gDb = growth(results, (r) => seqOf(r, w, 'hub')?.cpuMsPerRequest.ferretdb);
      if (!g) return [];
      return [{ w, g, gDb }];
    });
    const growing = parts.filter((x) => x.g.k > TARGET.exponent);
    out.push(
      `**Data size.** Latency exponent of one request at a time through the hub (latency ∝ size^k; 0 is flat, 1 ` +
        `linear), from ${n0(parts[0]?.g.from ?? first.size)} to ${n0(parts[0]?.g.to ?? last.size)} WNA: ` +
        parts.map((x) => `${x.w} ${f2(x.g.k)}${x.gDb ? ` (FerretDB CPU ${f2(x.gDb.k)})` : ''}`).join(', ') +
        '. ' +
        (growing.length === 0
          ? `Every workload is within ${f1(TARGET.exponent)}: what it reads is found through an index.`
          : `Above ${f1(TARGET.exponent)}: ${growing.map((x) => x.w).join(', ')} — their cost still grows with the ` +
            'collection, i.e. some of their reads still scan it (the engine comparison below shows which shapes).') +
        ' A machine busier during one size than another moves the latency exponent; the FerretDB CPU exponent ' +
        'is less sensitive to that.',
    );
  }

  // hub vs raw
  const rawRatios = reg.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const hub = seqOf(r, w, 'hub');
      const raw = seqOf(r, w, 'raw');
      return hub && raw ? [{ r, w, v: hub.medianMs / raw.medianMs, hub, raw }] : [];
    }),
  );
  if (rawRatios.length > 0) {
    const over = rawRatios.filter((x) => x.v > TARGET.rawRatio);
    const pageHub = seqOf(last, 'page', 'hub');
    out.push(
      `**Hub against raw reads.** One request at a time the hub took ${times(Math.min(...rawRatios.map((x) => x.v)))} to ` +
        `${times(Math.max(...rawRatios.map((x) => x.v)))} the raw reads’ latency` +
        (over.length > 0
          ? `; over ${f1(TARGET.rawRatio)}× on ${over.map((x) => `${x.w} at ${n0(x.r.size)} (${ms(x.hub.medianMs)} against ${ms(x.raw.medianMs)} ms)`).join(', ')}. `
          : `, within ${f1(TARGET.rawRatio)}× everywhere. `) +
        'The raw endpoint sends the same reads, at once where the hub must wait for immigration before it can ask ' +
        'police and local government, with no GraphQL, no token check and no access log' +
        (pageHub
          ? ` (${f1(pageHub.accessLogCommandsPerRequest)} of the hub’s ${f1(pageHub.commandsPerRequest)} commands per page ` +
            `request at ${n0(last.size)} WNA are the access log’s: each subgraph appends a hash-chained record and moves its head)`
          : '') +
        '. Where the database answers in milliseconds, those fixed costs are most of the difference.',
    );
  }

  // gateways
  const loaded = reg.flatMap((r) =>
    WORKLOADS.flatMap((w) => {
      const hub = loadOf(r, w, 'hub');
      const hive = loadOf(r, w, 'hive');
      return hub && hive ? [{ r, w, v: hub.load.rps / hive.load.rps, hub, hive }] : [];
    }),
  );
  if (loaded.length > 0) {
    const below = loaded.filter((x) => x.v < TARGET.hiveRatio);
    out.push(
      `**Hub against Hive Gateway** at ${machine.options.connections} connections: throughput hub ÷ Hive ` +
        `${times(Math.min(...loaded.map((x) => x.v)))} to ${times(Math.max(...loaded.map((x) => x.v)))}` +
        (below.length > 0
          ? `, below 1.0× on ${below.map((x) => `${x.w} at ${n0(x.r.size)} (${times(x.v)})`).join(', ')}. `
          : ', at or above the peer on every loaded workload. ') +
        'Gateway CPU per request under load, hub against Hive: ' +
        loaded
          .filter((x) => x.r === last)
          .map((x) => `${x.w} ${f1(x.hub.cpuMsPerRequest.gateway ?? 0)} / ${f1(x.hive.cpuMsPerRequest.hive ?? 0)} ms`)
          .join(', ') +
        ` at ${n0(last.size)} WNA. Each target is loaded once, in turn, on a shared machine: differences of ` +
        'a few per cent are within the noise from one measurement to the next.',
    );
  }

  // identical requests
  const hubBurst = first.identicalBursts.find((m) => m.target === 'hub');
  const hiveBurst = first.identicalBursts.find((m) => m.target === 'hive');
  if (hubBurst && hiveBurst) {
    out.push(
      `**Identical requests at once.** ${machine.options.connections} identical page requests sent together ` +
        `without request ids (${n0(first.size)} WNA): Hive Gateway sent ${f1(hiveBurst.subgraphRequestsPerRequest ?? 0)} ` +
        `subgraph requests per client request (it merges identical subgraph requests in flight), the hub ` +
        `${f1(hubBurst.subgraphRequestsPerRequest ?? 0)}. The subgraphs then see one request for many, and their access ` +
        'log records one disclosure (one request id, one purpose) for all of them. With a request id of its own ' +
        'on each request, as every other measurement here sends, Hive Gateway merges nothing.',
    );
  }

  // commands vs page size
  const pageCmds = reg.filter((r) => r.pageSizes.length >= 2);
  if (pageCmds.length > 0) {
    const same = pageCmds.every((r) => new Set(r.pageSizes.map((p) => p.commandsPerRequest)).size === 1);
    const p0 = pageCmds[0]!.pageSizes;
    out.push(
      '**Database commands per request** at page size 10 and 1,000: ' +
        pageCmds
          .map((r) => `${r.pageSizes.map((p) => f1(p.commandsPerRequest)).join(' and ')} at ${n0(r.size)} WNA`)
          .join(', ') +
        (same
          ? ' — the same: every nested list is one `$in` per kind of record per request, whatever the page size. '
          : ' — not the same: some read is made per foreigner or per batch of a size the page decides (see the ' +
            'commands by collection below). ') +
        `Of them ${f1(p0[0]!.readCommandsPerRequest)} are reads; the rest are the access log. Latency: ` +
        p0.map((p) => `${ms(p.medianMs)} ms for ${n0(p.first)}`).join(', ') +
        '.',
    );
  }
  return out;
}

/** Released FerretDB against the hub's build, per query shape and size. */
function engineTable(results: SizeResult[]): string {
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

/** A sentence on the engine comparison at the largest size: what the patches push down, and what not. */
function engineFinding(results: SizeResult[]): string | null {
  const r = results.filter((x) => x.engine).at(-1);
  if (!r) return null;
  const faster = r.engine!.shapes.filter((s) => s.releasedMs / s.hubMs >= 3);
  const same = r.engine!.shapes.filter((s) => s.releasedMs / s.hubMs < 1.5);
  return (
    `At ${n0(r.size)} WNA the hub’s build answered ` +
    (faster.length
      ? faster.map((s) => `${s.name} in ${ms(s.hubMs)} ms against ${ms(s.releasedMs)} ms`).join(', ')
      : 'no shape three times faster than the released engine') +
    (same.length
      ? `; about as slowly as the released engine (under 1.5× faster: the patches leave these to FerretDB): ${same
          .map((s) => `${s.name} ${ms(s.hubMs)} ms`)
          .join(', ')}.`
      : '.') +
    ` Medians of ${r.engine!.repeats} runs each after one warm-up run, on a copy of that size’s immigration ` +
    'database, each engine alone on the machine’s cores.'
  );
}

/** The national-scale sizes (`--bulk`). */
function nationalSection(results: SizeResult[]): string[] {
  const out: string[] = [];
  for (const r of results.filter((x) => x.bulk)) {
    const docs = sum(Object.values(r.documents));
    out.push(
      `${n0(r.size)} WNA (${n0(docs)} documents) bulk-loaded in ${f1(r.seedSeconds / 60)} min ` +
        `(${n0(docs / r.seedSeconds)} documents/s, indexes built after the data); ` +
        (r.diskBytes ? `${(r.diskBytes / 2 ** 30).toFixed(2)} GiB on disk (FerretDB’s SQLite files). ` : '') +
        `Load average ${r.loadAverage.map((l) => l.toFixed(1)).join(' / ')} when it started. One request at a time:`,
    );
    out.push(
      table(
        ['workload', 'hub / Hive / raw p50 ms', `hub at ${n0(TARGET.absoluteAt)} WNA, ms`, 'ratio'],
        WORKLOADS.flatMap((w) => {
          const [hub, hive, raw] = TARGETS.map((t) => seqOf(r, w, t));
          if (!hub || !hive || !raw) return [];
          const at = results.find((x) => x.size === TARGET.absoluteAt && !x.bulk);
          const base = at ? seqOf(at, w, 'hub') : undefined;
          return [
            [
              WORKLOAD_LABELS[w],
              `${ms(hub.medianMs)} / ${ms(hive.medianMs)} / ${ms(raw.medianMs)}`,
              base ? ms(base.medianMs) : '–',
              base ? times(hub.medianMs / base.medianMs) : '–',
            ],
          ];
        }),
        ['l'],
      ),
    );
  }
  return out;
}

function diskTable(results: SizeResult[]): string {
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

export function renderReport(machine: MachineInfo, results: SizeResult[], chartFile: string): string {
  const reg = regular(results);
  const o = machine.options;
  const L: string[] = [];
  const p = (...text: string[]) => L.push(...text, '');
  p('# Benchmarks');
  p(
    `Written by \`npm run bench\` on ${machine.date.slice(0, 10)} after ${(machine.totalSeconds / 60).toFixed(1)} minutes ` +
      `of measuring${(machine.runs ?? 1) > 1 ? ` in ${machine.runs} runs (\`--merge\`)` : ''}, ` +
      `at ${results.map((r) => `${n0(r.size)}${r.bulk ? ' (bulk-loaded)' : ''}`).join(', ')} foreigners (WNA): the ` +
      "hub's gateway (`@apollo/gateway`) side by side with Hive Gateway and its Rust query planner over the same " +
      'three subgraphs, and with the same database reads made straight through the MongoDB driver, against the ' +
      'targets of issue 9. The database is the embedded FerretDB ' +
      `(${machine.versions.FerretDB}, SQLite) built with the hub’s patches (\`scripts/ferretdb/patches/\`). Run it ` +
      'yourself: `npm run bench` (`--help` for the options; `--quick` for a smoke run). How it measures is under ' +
      '[Method](#method).',
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
  if (results.length > 0) {
    p(
      'Each size, when it was measured and the load average (1 min) then: ' +
        results
          .map(
            (r) =>
              `${n0(r.size)} WNA at ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, load ${r.loadAverage[0]!.toFixed(1)}, ` +
              `${f1(r.seconds / 60)} min`,
          )
          .join('; ') +
        '.',
    );
  }
  p(`![Latency and throughput against data size: hub, Hive Gateway, raw reads](${chartFile})`);
  p(
    'Top: the median latency of one request at a time. Bottom: requests per second under load. Both axes ' +
      'logarithmic. The statistics by permit type and by district are in the tables only.',
  );
  p('## Summary');
  p(summaryTable(results, o.connections));
  const notLoaded = [...new Set(results.flatMap((r) => r.skipped.map((s) => `${s.workload}: ${s.reason}`)))];
  p(
    'p50 is the median of single requests one after another (the targets’ “one request at a time”); req/s is ' +
      `the throughput at ${o.connections} connections (under [Under load](#under-load) with its own p50 and p99).` +
      (notLoaded.length ? ` Not loaded: ${notLoaded.join('; ')}.` : ''),
  );
  p('## The targets of issue 9');
  const targets = targetsCheck(results);
  p(targets.table);
  p(targets.others.join('\n'));
  p(
    '“Not measured” is a target this run could not judge: the size it is defined at was not run (`--sizes`; ' +
      'then the largest size’s figure is shown), or the workload was not loaded. Absolute times are for this ' +
      'machine and its load at the time.',
  );
  p('### Findings');
  for (const f of findings(machine, results)) p(f);
  p('### Still open');
  p(
    [
      ...targets.notMet.map((x) => `- Not met: ${x}.`),
      '- **MongoDB.** With `MONGODB_URI` the same code runs on MongoDB, where the declared indexes serve the ' +
        'same queries; not measured here (no MongoDB server on these machines).',
    ].join('\n'),
  );
  p('## Data design and engine');
  p(
    'The hub asks the database what a MongoDB engineer would: a foreigner’s records of one kind for a whole page ' +
      'or `_entities` batch as one `{ foreignerId: { $in: ids } }` sorted as the schema promises (served by ' +
      '`{ foreignerId: 1, <date>: -1, _id: 1 }`); entities by one `{ _id: { $in: ids } }`; a page of a region as ' +
      'an equality on the ancestry field of the region’s level in `_id` order with a limit, after the cursor’s ' +
      '`_id` (keyset, served by `{ <field>: 1, _id: 1 }`), and its `countDocuments`; statistics as `$match` + ' +
      '`$group` aggregations (see [architecture.md, “Data design”](architecture.md#data-design)). The hub’s ' +
      'FerretDB build makes such shapes reach SQLite as WHERE / ORDER BY / LIMIT clauses on those indexes. What ' +
      'that changes, query shape by query shape on this run’s data, released FerretDB against the hub’s build:',
  );
  if (results.some((r) => r.engine)) {
    p(engineTable(results));
    const finding = engineFinding(results);
    if (finding) p(finding);
  } else {
    p('Not measured in this run.');
  }
  const national = results.filter((r) => r.bulk);
  if (national.length > 0) {
    p('## A national registry, bulk-loaded');
    for (const x of nationalSection(results)) p(x);
  }
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
  const withPage = reg.find((r) => r.pageSizes.length > 0 && seqOf(r, 'page', 'hub'));
  const hubPage = withPage ? seqOf(withPage, 'page', 'hub') : undefined;
  if (withPage && hubPage) {
    p(`The commands of one page request at ${n0(withPage.size)} WNA, by subgraph, collection and command:`);
    p(
      table(
        ['subgraph / collection command', 'per request'],
        Object.entries(hubPage.byCollection).map(([k, v]) => [`\`${k}\``, f1(v)]),
      ),
    );
  }
  p('## Data and disk');
  p(diskTable(results));
  p('## Peak memory per process');
  p(memoryTable(results));
  p(
    'VmHWM, the peak resident set since the process started, read from `/proc` at the end of each size. ' +
      'The subgraphs and FerretDB served both gateways and the raw endpoint served only itself. Hive Gateway ' +
      'loads `@graphql-hive/gateway` whole (its CLI, caches and transports included), as a user of ' +
      '`createGatewayRuntime` from that package does.',
  );
  p('## Method');
  p(
    [
      `- **Data.** For each size a fresh embedded FerretDB (the hub’s build) in \`.cache/bench/size-<N>/\` on free ` +
        'ports (never the defaults, so a running hub or a test run is not disturbed), seeded with `seedDemoData` ' +
        '(the OKU Raya demo data, deterministic, reference date the day of the run); see [Data and disk](#data-and-disk). ' +
        'The national-scale size (`--bulk`) uses the same documents, written in larger batches with the ' +
        'per-foreigner collections’ secondary indexes built once after the data; it is measured one request ' +
        'at a time only (page and profile) and merged into the report (`--merge`).',
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
        'the operation — the same collections, filters (the list filters built by the immigration subgraph’s own ' +
        '`foreignerQueryFilter`), sorts, limits and counts, records by one `$in` per kind, the same `$match` + ' +
        '`$group` aggregations — with no GraphQL, no token, no access log, and every read that does not need an ' +
        'earlier one at once. It answers whole documents as JSON (more bytes than the GraphQL answers). It is ' +
        'the floor a hand-written service on the same data design could reach.',
      '- **Requests.** A national IMMIGRATION token (jurisdiction `*`, its default scopes; nothing filtered away) ' +
        'signed with the run’s development key, `X-Purpose`, and a request id of its own on every request. ' +
        `(a) \`foreigners(filter: {regionCode: "${PAGE_REGION}"}, first: ${PAGE_SIZE})\` with \`totalCount\`, identity ` +
        'and the permit in force, SKLD, incidents, SKTT with its region, and employment; (b) `foreigner(id)` with ' +
        'every list of all three subgraphs (the explorer’s profile without the incident narrative, which ' +
        'immigration may not read), the id rotating over all seeded foreigners; (c) ' +
        `\`foreignerStatistics(regionCode: "${STATS_REGION}", groupBy: [NATIONALITY, PERMIT_TYPE])\`; (d) the same ` +
        `\`groupBy: [PERMIT_TYPE]\`; (e) \`foreignerStatistics(regionCode: "${PAGE_REGION}", groupBy: [REGION])\` ` +
        `(its districts); (f) the saved operation \`RegistrationGaps\` (\`schema/operations/explorer/\`) for ` +
        `${PAGE_REGION}, first ${PAGE_SIZE}, sent as saved; (g) \`foreigners(filter: {nameContains: "${NAME_FRAGMENT}"}, ` +
        `first: ${PAGE_SIZE})\` with the permit in force. ` +
        (results.some((r) => loadOf(r, 'stats-permit', 'hub') || loadOf(r, 'stats-district', 'hub'))
          ? '(d) and (e) were loaded like the others (`--load-all`). '
          : '(d) and (e), the same kind of aggregation as (c), are measured one request at a time only ' +
            '(`--load-all` loads them too). ') +
        'Before measuring, the first answers are compared: the hub’s and Hive ' +
        'Gateway’s must be identical, the raw reads must find the same foreigners, counts and groups' +
        (results.some((r) => r.mismatches.length > 0) ? ' (they did not everywhere: see below).' : ' (they did).'),
      '- **One request at a time.** For each workload and target, after one untimed request, requests one after ' +
        `another: one, and where it is fast enough up to ${o.quick ? 2 : 5} more within a few seconds, the first ` +
        'then only warming up. ' +
        'Median latency, exact database commands per request ' +
        '(the subgraphs’ `timpora_db_commands_total` from `/metrics` before and after; the raw endpoint counts ' +
        'its own), and CPU time per request of every process (`/proc/<pid>/stat`). Page sizes 10 and 1,000 the ' +
        'same way (at the first size only: the commands depend on the query, not on the data).',
      `- **Load.** autocannon on loopback, ${o.connections} connections, one request in flight on each, latency ` +
        'timed per request to the microsecond. `timed`: a warm-up, then the measured load; `burst` (where one ' +
        'request takes too long for a timed load): one request per connection at once, all answered; a timed ' +
        'load that gets fewer than two answers per connection is measured again as a burst. Before and after ' +
        'each measurement the bench waits until every process is idle, so no measurement pays for another’s ' +
        'leftovers. Targets are measured one after the other, workload by workload; the load generator shares ' +
        'the machine’s cores.',
      '- **Latency exponent** k of latency ∝ size^k between 1,000 and 50,000 WNA, from the hub’s medians one ' +
        'request at a time.',
      '- **Released FerretDB and the hub’s build.** After each size (its services and FerretDB stopped), its ' +
        'immigration database is copied and opened by the released v1.24.2 build (built once, cached) and then ' +
        'by the hub’s build, and each query shape runs through the driver, one warm-up and then the median of ' +
        'a few runs. Disk size is the bytes of FerretDB’s files once seeded; peak memory is VmHWM from ' +
        '`/proc/<pid>/status`.',
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
