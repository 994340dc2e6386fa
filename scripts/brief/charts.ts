/**
 * The brief's charts: Vega-Lite specifications compiled and rendered to SVG on the server
 * (vega's headless view, no browser), embedded as they are in the HTML and drawn into the PDF.
 * Labels in Bahasa Indonesia; the font is DejaVu Sans, as in the PDF's text.
 */
import PDFDocument from 'pdfkit';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { FONTS } from '../pdf/a4.js';

export interface Chart {
  title: string;
  svg: string;
  width: number;
  height: number;
}

export const CHART_FONT = 'DejaVu Sans';
/** Width of the plotting area, in points: with the bar labels it fits an A4 page between 50-point margins. */
const WIDTH = 250;
const PALETTE = ['#1f4e79', '#4f81bd', '#9bbb59', '#f79646', '#8064a2', '#c0504d', '#4bacc6', '#7f7f7f'];

const CONFIG = {
  font: CHART_FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 9, titleFontSize: 9, labelLimit: 230, grid: true, gridColor: '#e6e6e6' },
  // below the plot, so that a long label never widens the chart past the page
  legend: {
    labelFontSize: 9,
    titleFontSize: 9,
    labelLimit: 300,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 3,
  },
  range: { category: PALETTE },
} as const;

/**
 * Text widths measured with the font the PDF draws (DejaVu Sans, through pdfkit's font metrics):
 * without a canvas vega estimates every character at 0.8 em, which leaves wide gaps beside labels
 * and cuts labels that would fit.
 */
const measure = (() => {
  const doc = new PDFDocument({ autoFirstPage: false });
  for (const [name, path] of Object.entries(FONTS)) doc.registerFont(name, path);
  return (text: string, size: number, bold: boolean) =>
    doc
      .font(bold ? 'bold' : 'regular')
      .fontSize(size)
      .widthOfString(text);
})();

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

/** vega's text metrics (vega-scenegraph's, re-exported by vega; absent from its type declarations). */
const textMetrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } })
  .textMetrics;

textMetrics.width = (item: TextItem, text?: unknown) => {
  const value = text ?? item.text;
  const line = Array.isArray(value)
    ? value.map(String).reduce((a, b) => (a.length > b.length ? a : b), '')
    : String(value ?? '');
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  return measure(line, item.fontSize ?? 11, bold);
};

async function render(title: string, spec: TopLevelSpec): Promise<Chart> {
  const compiled = vl.compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const svg = await new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
  const width = Number(/width="([\d.]+)"/.exec(svg)?.[1] ?? WIDTH);
  const height = Number(/height="([\d.]+)"/.exec(svg)?.[1] ?? 200);
  return { title, svg, width, height };
}

export interface BarDatum {
  /** The bar (a nationality, a category, a regency). */
  bar: string;
  /** The part of the bar (a permit type, a window); one part when there is nothing to split by. */
  part: string;
  count: number;
}

/** Horizontal bars in the order given, each split into stacked parts, the total at the end of each bar. */
export function barChart(
  title: string,
  data: BarDatum[],
  options: { partTitle?: string; countTitle: string; parts?: string[] },
): Promise<Chart> {
  // a bar of nothing says nothing: regencies without a case are in the table beside the chart
  const nonZero = new Set(data.filter((d) => d.count > 0).map((d) => d.bar));
  data = data.filter((d) => nonZero.has(d.bar));
  const bars = [...new Set(data.map((d) => d.bar))];
  const parts = options.parts ?? [...new Set(data.map((d) => d.part))];
  const split = parts.length > 1;
  const colour = split
    ? {
        color: {
          field: 'part',
          type: 'nominal',
          title: options.partTitle ?? null,
          sort: parts,
          scale: { domain: parts },
        },
      }
    : { color: { value: PALETTE[0] } };
  const totals = bars.map((bar) => ({
    bar,
    total: data.filter((d) => d.bar === bar).reduce((n, d) => n + d.count, 0),
  }));
  const y = { field: 'bar', type: 'nominal', title: null, sort: bars } as const;
  const layers: unknown[] = [
    {
      data: { values: data },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y,
        // counts are whole numbers: no tick between them
        x: {
          field: 'count',
          type: 'quantitative',
          title: options.countTitle,
          stack: 'zero',
          axis: { tickMinStep: 1, format: 'd' },
        },
        ...colour,
      },
    },
  ];
  layers.push({
    data: { values: totals },
    mark: { type: 'text', align: 'left', dx: 3, fontSize: 9 },
    encoding: { y, x: { field: 'total', type: 'quantitative' }, text: { field: 'total', type: 'quantitative' } },
  });
  return render(title, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: { step: 18 },
    layer: layers,
  } as unknown as TopLevelSpec);
}
