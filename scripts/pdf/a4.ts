/**
 * The A4 documents the hub prints (the subject-access report, the meeting brief): pdfkit with
 * DejaVu Sans embedded — it covers every Latin letter, so Indonesian and the names of foreigners
 * of many nationalities render — the same margins, buffered pages so each page can carry
 * "page i of n" once all are laid out, and the layout measures both documents place blocks by.
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
export const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
};

export const INK = '#1a1a1a';
export const GREY = '#5a5a5a';
export const ACCENT = '#1f4e79';

export type Doc = PDFKit.PDFDocument;

/** Where the text area of the current page is, and whether something still fits on it. */
export class PageLayout {
  constructor(readonly doc: Doc) {}

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  room(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }
}

/** A new A4 document in Indonesian with the fonts registered, writing to `out`. */
export function openA4(info: PDFKit.DocumentInfo, out: Writable): { doc: Doc; written: Promise<void> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 56, left: 50, right: 50 },
    bufferPages: true,
    lang: 'id-ID',
    info: { Author: 'TIMPORA Hub', ...info },
  });
  for (const [name, path] of Object.entries(FONTS)) doc.registerFont(name, path);
  const written = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve).once('error', reject);
  });
  doc.pipe(out);
  return { doc, written };
}

/**
 * Puts `footer(page, pages)` at the foot of every page, then ends the document; resolves with
 * the page count once it is written.
 */
export async function closeA4(
  doc: Doc,
  written: Promise<void>,
  footer: (page: number, pages: number) => string,
): Promise<number> {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(7)
      .fillColor(GREY)
      .text(footer(i + 1, range.count), doc.page.margins.left, doc.page.height - 34, {
        width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
        align: 'center',
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await written;
  return range.count;
}
