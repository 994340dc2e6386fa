/**
 * The meeting brief as a PDF: A4, DejaVu Sans embedded (the fonts of the subject-access report),
 * a cover page, then the sections; tables wrap their cells and repeat their header on a new page,
 * charts (SVG from vega) are drawn as vectors with svg-to-pdfkit and never cut across pages.
 */
import type { Writable } from 'node:stream';
import SVGtoPDF from 'svg-to-pdfkit';
import { ACCENT, closeA4, GREY, INK, openA4, PageLayout } from '../pdf/a4.js';
import type { Block, BriefDocument } from './blocks.js';

const RULE = '#c8c8c8';
const SHADE = '#eef2f6';
const NOTE = '#fff4e5';

type TableBlock = Extract<Block, { kind: 'table' }>;

class Layout extends PageLayout {}

/**
 * Roughly how much of the blocks from `i` on must follow what precedes them on the same page: a
 * chart whole, a short table whole (see `table`), a caption with what it introduces.
 */
function leadOf(l: Layout, blocks: readonly Block[], i: number): number {
  const block = blocks[i];
  if (!block || block.kind === 'heading') return 0;
  if (block.kind === 'chart') return Math.min(1, l.width / block.chart.width) * block.chart.height + 24;
  if (block.kind === 'table') {
    const { whole, heightOf, header, hasHeader } = tableMetrics(l, block);
    if (whole < keptWhole(l)) return whole;
    return (hasHeader ? heightOf(header, true) : 0) + heightOf(block.rows[0] ?? header, false);
  }
  return 30 + leadOf(l, blocks, i + 1);
}

function heading(l: Layout, text: string, lead: number) {
  const { doc } = l;
  l.room(40 + lead); // a heading never ends a page alone
  doc.moveDown(0.6);
  doc.font('bold').fontSize(13).fillColor(ACCENT).text(text, l.left, doc.y, { width: l.width });
  const y = doc.y + 2;
  doc
    .moveTo(l.left, y)
    .lineTo(l.left + l.width, y)
    .lineWidth(0.6)
    .strokeColor(RULE)
    .stroke();
  doc.y = y + 6;
}

function paragraph(l: Layout, text: string, tone: 'note' | 'muted' | undefined, lead: number) {
  const { doc } = l;
  doc.font('regular').fontSize(tone === 'muted' ? 8.5 : 9.5);
  const pad = tone === 'note' ? 6 : 0;
  const height = doc.heightOfString(text, { width: l.width - 2 * pad });
  // a caption stays with the start of the table or chart it introduces
  l.room(Math.min(height, 80) + 2 * pad + lead);
  if (tone === 'note') {
    doc
      .save()
      .rect(l.left, doc.y, l.width, height + 2 * pad)
      .fill(NOTE)
      .restore();
    doc.rect(l.left, doc.y, 3, height + 2 * pad).fill('#f79646');
  }
  doc.fillColor(tone === 'muted' ? GREY : INK).text(text, l.left + pad, doc.y + pad, { width: l.width - 2 * pad });
  doc.y += pad + 4;
}

/** How a table is set: its font size, column widths, and the height of a row of cells. */
function tableMetrics(l: Layout, t: TableBlock) {
  const { doc } = l;
  const size = t.columns.length > 7 ? 7 : t.columns.length > 5 ? 7.5 : 8.5;
  const weights = t.columns.map((c) => c.width ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * l.width);
  const pad = 3;
  const heightOf = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const header = t.columns.map((c) => c.label);
  const hasHeader = header.some(Boolean);
  const whole =
    (hasHeader ? heightOf(header, true) : 0) +
    t.rows.reduce((h, cells) => h + heightOf(cells, false), 0) +
    (t.total ? heightOf(t.total, true) : 0);
  return { size, widths, pad, heightOf, header, hasHeader, whole };
}

/** A table shorter than this is kept on one page. */
const keptWhole = (l: Layout) => (l.bottom - l.doc.page.margins.top) / 2;

function table(l: Layout, t: TableBlock) {
  const { doc } = l;
  const { size, widths, pad, heightOf, header, hasHeader, whole } = tableMetrics(l, t);
  const row = (cells: string[], options: { header?: boolean; total?: boolean } = {}) => {
    const bold = Boolean(options.header || options.total);
    const height = heightOf(cells, bold);
    const y = doc.y;
    if (options.header) doc.save().rect(l.left, y, l.width, height).fill(SHADE).restore();
    let x = l.left;
    cells.forEach((cell, i) => {
      doc
        .font(bold ? 'bold' : 'regular')
        .fontSize(size)
        .fillColor(INK)
        .text(cell, x + pad, y + pad, {
          width: widths[i]! - 2 * pad,
          align: t.columns[i]?.numeric ? 'right' : 'left',
        });
      x += widths[i]!;
    });
    const line = y + height;
    doc
      .moveTo(l.left, options.total ? y : line)
      .lineTo(l.left + l.width, options.total ? y : line)
      .lineWidth(options.total ? 1 : 0.4)
      .strokeColor(options.total ? ACCENT : RULE)
      .stroke();
    doc.y = line;
  };
  // a short table is kept on one page; a long one starts where it is and goes on over the next
  if (whole < keptWhole(l)) l.room(whole);
  else l.room((hasHeader ? heightOf(header, true) : 0) + heightOf(t.rows[0] ?? header, false));
  if (hasHeader) row(header, { header: true });
  for (const cells of t.rows) {
    if (doc.y + heightOf(cells, false) > l.bottom) {
      doc.addPage();
      if (hasHeader) row(header, { header: true });
    }
    row(cells);
  }
  if (t.total) {
    l.room(heightOf(t.total, true));
    row(t.total, { total: true });
  }
  doc.y += 8;
}

function chart(l: Layout, c: Extract<Block, { kind: 'chart' }>['chart']) {
  const { doc } = l;
  const scale = Math.min(1, l.width / c.width);
  const width = c.width * scale;
  const height = c.height * scale;
  l.room(height + 24);
  doc.font('bold').fontSize(9.5).fillColor(INK).text(c.title, l.left, doc.y, { width: l.width });
  const y = doc.y + 4;
  // the root's own size would override the one given: it is set to the size drawn (the viewBox scales)
  const svg = c.svg.replace(/^(<svg[^>]*?) width="[\d.]+" height="[\d.]+"/, `$1 width="${width}" height="${height}"`);
  SVGtoPDF(doc, svg, l.left, y, {
    width,
    height,
    assumePt: true,
    fontCallback: (_family, bold) => (bold ? 'bold' : 'regular'),
  });
  doc.y = y + height + 10;
  doc.x = l.left;
}

function cover(l: Layout, d: BriefDocument) {
  const { doc } = l;
  doc.rect(0, 0, doc.page.width, 8).fill(ACCENT);
  doc.y = 140;
  doc.font('bold').fontSize(24).fillColor(ACCENT).text(d.cover.title, l.left, doc.y, { width: l.width });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(14).fillColor(GREY).text(d.cover.subtitle, { width: l.width });
  doc.moveDown(2);
  const labelWidth = 120;
  for (const [label, value] of d.cover.facts) {
    const y = doc.y;
    doc.font('bold').fontSize(10.5).fillColor(INK).text(label, l.left, y, { width: labelWidth });
    doc
      .font('regular')
      .fontSize(10.5)
      .text(value, l.left + labelWidth, y, { width: l.width - labelWidth });
    doc.y = Math.max(doc.y, y) + 6;
  }
}

/** Writes the brief as a PDF to `out`; resolves with its page count once written. */
export function renderBriefPdf(d: BriefDocument, out: Writable): Promise<number> {
  const { doc, written } = openA4(
    { Title: `${d.cover.title} — ${d.cover.subtitle}`, Subject: 'Bahan rapat koordinasi' },
    out,
  );
  const l = new Layout(doc);
  cover(l, d);
  doc.addPage();
  d.blocks.forEach((b, i) => {
    if (b.kind === 'heading') heading(l, b.text, Math.min(leadOf(l, d.blocks, i + 1), 300));
    else if (b.kind === 'paragraph') paragraph(l, b.text, b.tone, Math.min(leadOf(l, d.blocks, i + 1), 300));
    else if (b.kind === 'table') table(l, b);
    else chart(l, b.chart);
  });
  const meetingDate = d.cover.facts.find(([k]) => k === 'Tanggal rapat')?.[1] ?? '';
  return closeA4(doc, written, (page, pages) => `${d.cover.title} · ${meetingDate} · halaman ${page} dari ${pages}`);
}
