/**
 * Makes the meeting brief: asks the gateway (fetch.ts), lays the document out once
 * (content.ts) and writes it as PDF and/or HTML (`brief-<region>-<date>.pdf|.html` in `outDir`).
 * Files are written under a temporary name first, so a failure leaves no partial brief.
 */
import fs from 'node:fs';
import path from 'node:path';
import { briefDocument } from './content.js';
import { fetchBrief, type BriefRequest } from './fetch.js';
import { renderBriefHtml } from './html.js';
import type { BriefFile } from './model.js';
import { renderBriefPdf } from './pdf.js';

export const BRIEF_FORMATS = ['pdf', 'html'] as const;
export type BriefFormat = (typeof BRIEF_FORMATS)[number];

export interface MadeBrief {
  file: BriefFile;
  /** The files written, by format. */
  written: Partial<Record<BriefFormat, string>>;
  pages: number | null;
  /** Milliseconds: the gateway's answer, then laying out and writing. */
  timings: { query: number; render: number };
}

/** `brief-16.01-2026-12-15`: the region as asked (commas as `+`), then the meeting date. */
export function briefBaseName(regionCode: string, meetingDate: string): string {
  return `brief-${regionCode
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .join('+')}-${meetingDate}`;
}

export async function makeBrief(
  request: BriefRequest,
  options: { outDir: string; formats: readonly BriefFormat[] },
): Promise<MadeBrief> {
  const started = performance.now();
  const file = await fetchBrief(request);
  const queried = performance.now();
  const document = await briefDocument(file);
  const base = path.join(options.outDir, briefBaseName(request.regionCode, request.meetingDate));
  const written: MadeBrief['written'] = {};
  const partial = (f: string) => `${f}.${process.pid}.partial`;
  let pages: number | null = null;
  try {
    if (options.formats.includes('html')) {
      fs.writeFileSync(partial(`${base}.html`), renderBriefHtml(document));
      written.html = `${base}.html`;
    }
    if (options.formats.includes('pdf')) {
      pages = await renderBriefPdf(document, fs.createWriteStream(partial(`${base}.pdf`)));
      written.pdf = `${base}.pdf`;
    }
    for (const f of Object.values(written)) fs.renameSync(partial(f), f);
  } catch (e) {
    for (const f of Object.values(written)) fs.rmSync(partial(f), { force: true });
    throw e;
  }
  return { file, written, pages, timings: { query: queried - started, render: performance.now() - queried } };
}
