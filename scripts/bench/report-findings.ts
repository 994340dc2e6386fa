/**
 * What the benchmark report says of a run: issue 9's targets checked against its figures, and
 * the findings derived from them (every number and every "met" comes from the run).
 */
import { LOAD_ROUNDS } from './loaded.js';
import { TARGETS, type MachineInfo, type SequentialMeasurement, type SizeResult } from './results.js';
import {
  WORKLOADS,
  WORKLOAD_LABELS,
  TARGET,
  n0,
  f1,
  f2,
  pct,
  times,
  rate,
  ms,
  loadOf,
  seqOf,
  sum,
  table,
  regular,
  growth,
  mark,
} from './report-format.js';

export interface TargetCheck {
  /** Per workload: the four per-workload targets, each a cell with its verdict. */
  table: string;
  /** The targets that are not per workload (page sizes, the national registry). */
  others: string[];
  /** The targets not met, as short phrases (for "Still open"). */
  notMet: string[];
}

/** Issue 9's targets against this run. */
export function targetsCheck(results: SizeResult[]): TargetCheck {
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
export function cpuShares(s: SequentialMeasurement) {
  const total = sum(Object.values(s.cpuMsPerRequest));
  const ferret = s.cpuMsPerRequest.ferretdb ?? 0;
  const gateway = s.cpuMsPerRequest.gateway ?? 0;
  return { total, ferret, gateway, subgraphs: total - ferret - gateway };
}

/** The findings, each a paragraph with the run's numbers. */
export function findings(machine: MachineInfo, results: SizeResult[]): string[] {
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
        ` at ${n0(last.size)} WNA. The targets are loaded in ${LOAD_ROUNDS} interleaved rounds (the order rotated ` +
        'from round to round), so drift on the shared machine falls on each alike; differences of a few per ' +
        'cent are still within the noise from one run to the next.',
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

/** A sentence on the engine comparison at the largest size: what the patches push down, and what not. */
export function engineFinding(results: SizeResult[]): string | null {
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
export function nationalSection(results: SizeResult[]): string[] {
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
