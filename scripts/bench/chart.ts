/**
 * The benchmark's chart as a hand-written SVG: for each workload, the median latency of one
 * request at a time and the throughput under load against the data size, one line per target,
 * on logarithmic axes.
 */
import { TARGETS, TARGET_LABELS, type SizeResult, type Target } from './results.js';
import type { WorkloadName } from './workloads.js';

const COLORS: Record<Target, string> = { hub: '#c0392b', hive: '#2471a3', raw: '#7f8c8d' };
/** The workloads put under load by default (the two further statistics are in the tables only). */
const WORKLOAD_TITLES: Partial<Record<WorkloadName, string>> = {
  page: '(a) page of 100 in a regency',
  profile: '(b) one profile by id',
  stats: '(c) statistics of a province',
  gaps: '(f) registration gaps, first 100',
  name: '(g) name search, first 100',
};

const PANEL_W = 300;
const PANEL_H = 190;
const MARGIN = { left: 62, right: 16, top: 34, bottom: 40 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function formatNumber(value: number): string {
  if (value >= 1000) return `${+(value / 1000).toPrecision(3)}k`;
  if (value >= 10) return String(Math.round(value));
  if (value >= 1) return String(+value.toPrecision(2));
  return String(+value.toPrecision(1));
}

/** Powers of ten (and 2×, 5×) covering [min, max], for a logarithmic axis. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  // 1, 2 and 5 per decade on short axes; powers of ten alone on long ones
  const mantissas = Math.log10(max / min) > 2 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of mantissas) {
      const v = m * 10 ** e;
      if (v >= min * 0.999 && v <= max * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

interface Series {
  target: Target;
  points: { size: number; value: number }[];
}

function panel(x0: number, y0: number, title: string, yLabel: string, sizes: number[], series: Series[]): string {
  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => v > 0);
  if (values.length === 0) return '';
  let yMin = 10 ** Math.floor(Math.log10(Math.min(...values)));
  let yMax = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  if (yMin === yMax) {
    yMin /= 10;
    yMax *= 10;
  }
  const xMin = Math.min(...sizes);
  const xMax = Math.max(...sizes);
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const left = x0 + MARGIN.left;
  const top = y0 + MARGIN.top;
  const x = (size: number) =>
    xMin === xMax
      ? left + w / 2
      : left + ((Math.log10(size) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * w;
  const y = (v: number) => top + h - ((Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * h;
  const parts: string[] = [];
  parts.push(`<text x="${x0 + PANEL_W / 2}" y="${y0 + 18}" class="title">${escapeXml(title)}</text>`);
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" class="frame"/>`);
  for (const t of logTicks(yMin, yMax)) {
    const ty = y(t).toFixed(1);
    parts.push(`<line x1="${left}" x2="${left + w}" y1="${ty}" y2="${ty}" class="grid"/>`);
    parts.push(`<text x="${left - 5}" y="${ty}" class="ytick">${formatNumber(t)}</text>`);
  }
  for (const s of sizes) {
    const tx = x(s).toFixed(1);
    parts.push(`<line x1="${tx}" x2="${tx}" y1="${top}" y2="${top + h}" class="grid"/>`);
    parts.push(`<text x="${tx}" y="${top + h + 14}" class="xtick">${formatNumber(s)}</text>`);
  }
  parts.push(
    `<text x="${x0 + 14}" y="${top + h / 2}" class="axis" transform="rotate(-90 ${x0 + 14} ${top + h / 2})">${escapeXml(yLabel)}</text>`,
  );
  parts.push(`<text x="${left + w / 2}" y="${top + h + 30}" class="axis">foreigners seeded</text>`);
  for (const s of series) {
    const pts = s.points.filter((p) => p.value > 0);
    if (pts.length === 0) continue;
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.size).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" stroke="${COLORS[s.target]}" class="line"/>`);
    for (const p of pts) {
      parts.push(
        `<circle cx="${x(p.size).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="${COLORS[s.target]}"><title>${escapeXml(
          `${TARGET_LABELS[s.target]}, ${p.size} foreigners: ${p.value.toFixed(1)}`,
        )}</title></circle>`,
      );
    }
  }
  return parts.join('\n');
}

export function renderChart(results: SizeResult[]): string {
  const sizes = results.map((r) => r.size);
  const workloadNames = (Object.keys(WORKLOAD_TITLES) as WorkloadName[]).filter((w) =>
    results.some((r) => r.sequential.some((s) => s.workload === w)),
  );
  const width = PANEL_W * workloadNames.length + 20;
  const height = PANEL_H * 2 + 60;
  const latencyOf = (workload: WorkloadName): Series[] =>
    TARGETS.map((target) => ({
      target,
      points: results.flatMap((r) => {
        const s = r.sequential.find((x) => x.workload === workload && x.target === target);
        return s ? [{ size: r.size, value: s.medianMs }] : [];
      }),
    }));
  const throughputOf = (workload: WorkloadName): Series[] =>
    TARGETS.map((target) => ({
      target,
      points: results.flatMap((r) => {
        const m = r.measurements.find((x) => x.workload === workload && x.target === target);
        return m ? [{ size: r.size, value: m.load.rps }] : [];
      }),
    }));
  const panels = workloadNames.flatMap((w, i) => [
    panel(10 + i * PANEL_W, 0, WORKLOAD_TITLES[w]!, 'latency, one at a time, ms', sizes, latencyOf(w)),
    panel(10 + i * PANEL_W, PANEL_H, WORKLOAD_TITLES[w]!, 'requests/s under load', sizes, throughputOf(w)),
  ]);
  const legend = TARGETS.map(
    (t, i) =>
      `<rect x="${20 + i * 250}" y="${PANEL_H * 2 + 22}" width="14" height="4" fill="${COLORS[t]}"/>` +
      `<text x="${40 + i * 250}" y="${PANEL_H * 2 + 28}" class="legend">${escapeXml(TARGET_LABELS[t])}</text>`,
  ).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">
<title>TIMPORA hub benchmark: latency and throughput against data size (logarithmic axes)</title>
<style>
  .title { font-size: 13px; font-weight: bold; text-anchor: middle; fill: #222; }
  .axis { font-size: 11px; text-anchor: middle; fill: #444; }
  .xtick { font-size: 10px; text-anchor: middle; fill: #444; }
  .ytick { font-size: 10px; text-anchor: end; dominant-baseline: middle; fill: #444; }
  .legend { font-size: 12px; fill: #222; }
  .frame { fill: #fff; stroke: #999; }
  .grid { stroke: #e5e5e5; }
  .line { fill: none; stroke-width: 2; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${panels.join('\n')}
${legend}
</svg>
`;
}
