/**
 * The subject-access report as a PDF a person can read: A4, DejaVu Sans embedded (it covers
 * every Latin letter, so Indonesian and the names of foreigners of many nationalities render),
 * each heading and label in Bahasa Indonesia with English beside it. Made with pdfkit.
 */
import type { Writable } from 'node:stream';
import { formatDateTimeIn, TIME_ZONES } from '../../common/calendar.js';
import { ACCENT, closeA4, GREY, INK, openA4, PageLayout, type FONTS } from '../pdf/a4.js';
import {
  SECTION_FIELDS,
  type SubjectAccessDisclosure,
  type SubjectAccessFile,
  type SubjectAccessItem,
  type SubjectAccessSection,
  type SubjectAccessVerification,
} from './report.js';

const RULE = '#c8c8c8';
const SHADE = '#eef2f6';
const VERDICT_COLOURS = { INTACT: '#1e7b34', UNKEYED: '#9a6700', BROKEN: '#b42318' } as const;

const OUTCOMES: Record<SubjectAccessDisclosure['outcome'], string> = {
  DISCLOSED: 'Diungkapkan\nDisclosed',
  PARTLY_DENIED: 'Sebagian ditolak\nPartly refused',
  DENIED: 'Ditolak\nRefused',
};

const VERDICTS: Record<SubjectAccessVerification['verdict'], [string, string]> = {
  INTACT: [
    'Utuh: setiap catatan tersimpan sebagaimana ditulis, ditandatangani instansi, dan cocok dengan yang disaksikan instansi lain.',
    'Intact: every record is as it was written, signed by the agency, and matches what the other agencies witnessed.',
  ],
  UNKEYED: [
    'Utuh, tetapi catatan awal ditulis sebelum catatan ditandatangani: catatan itu hanya diperiksa rantai hash-nya.',
    'Intact, but the first records were written before records were signed: only their hash chain is checked.',
  ],
  BROKEN: [
    'RUSAK: log akses telah diubah setelah ditulis. Daftar pengungkapan di bawah ini tidak dapat dipercaya sepenuhnya.',
    'BROKEN: the access log was altered after it was written. The disclosures below cannot be fully trusted.',
  ],
};

/** A moment in Western Indonesian Time (WIB, UTC+7), as `YYYY-MM-DD HH:mm WIB`. */
export function wib(iso: string): string {
  return formatDateTimeIn(TIME_ZONES.WIB, new Date(iso));
}

class Layout extends PageLayout {
  text(text: string, options: { font?: keyof typeof FONTS; size?: number; colour?: string; gap?: number } = {}): void {
    const { doc } = this;
    doc
      .font(options.font ?? 'regular')
      .fontSize(options.size ?? 9.5)
      .fillColor(options.colour ?? INK);
    doc.text(text, this.left, doc.y, { width: this.width });
    doc.y += options.gap ?? 0;
  }

  heading(id: string, en: string, size = 14): void {
    this.room(size * 4);
    this.text(id, { font: 'bold', size, colour: ACCENT });
    this.text(en, { font: 'italic', size: size - 3, colour: GREY, gap: 6 });
  }

  rule(): void {
    const { doc } = this;
    doc
      .moveTo(this.left, doc.y)
      .lineTo(this.left + this.width, doc.y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y += 6;
  }

  /** A table row: each cell wrapped in its column; a shaded header row when `header`. */
  row(cells: string[], widths: number[], options: { header?: boolean; size?: number } = {}): void {
    const { doc } = this;
    const size = options.size ?? 8;
    const pad = 3;
    doc.font(options.header ? 'bold' : 'regular').fontSize(size);
    const height =
      Math.max(...cells.map((c, i) => doc.heightOfString(c || '—', { width: widths[i]! - 2 * pad }))) + 2 * pad;
    this.room(height);
    const top = doc.y;
    if (options.header) doc.rect(this.left, top, this.width, height).fill(SHADE);
    let x = this.left;
    cells.forEach((cell, i) => {
      doc
        .fillColor(cell ? INK : GREY)
        .font(options.header ? 'bold' : 'regular')
        .fontSize(size)
        .text(cell || '—', x + pad, top + pad, { width: widths[i]! - 2 * pad });
      x += widths[i]!;
    });
    doc
      .moveTo(this.left, top + height)
      .lineTo(this.left + this.width, top + height)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.y = top + height;
  }
}

function identityOf(file: SubjectAccessFile): Map<string, string | null> {
  const identity = file.report.immigration.holdings.find((h) => h.kind === 'IDENTITY');
  return new Map((identity?.fields ?? []).map((f) => [f.labelEn, f.value]));
}

function cover(l: Layout, file: SubjectAccessFile): void {
  const { report } = file;
  l.text('Laporan Akses Subjek Data', { font: 'bold', size: 20, colour: ACCENT });
  l.text('Subject-Access Report', { font: 'italic', size: 14, colour: GREY, gap: 4 });
  l.text(
    'UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi, Pasal 31–32 · Personal Data Protection Law, art. 31–32',
    { size: 8.5, colour: GREY, gap: 10 },
  );
  l.rule();
  const identity = identityOf(file);
  const half = l.width / 2;
  const facts: [string, string][] = [
    ['Nama / Name', identity.get('Full name') ?? '—'],
    ['ID orang asing / Foreigner ID', report.foreignerId],
    ['Kewarganegaraan / Nationality', identity.get('Nationality') ?? '—'],
    ['Nomor paspor / Passport number', identity.get('Passport number') ?? '—'],
    ['Dibuat / Generated', wib(file.generatedAt)],
    ['Tujuan permintaan / Purpose of the request', file.purpose],
  ];
  for (let i = 0; i < facts.length; i += 2) {
    const top = l.doc.y;
    let bottom = top;
    for (const [j, [label, value]] of facts.slice(i, i + 2).entries()) {
      const x = l.left + j * half;
      l.doc
        .font('regular')
        .fontSize(7.5)
        .fillColor(GREY)
        .text(label, x, top, { width: half - 10 });
      l.doc
        .font('bold')
        .fontSize(10.5)
        .fillColor(INK)
        .text(value, x, l.doc.y, { width: half - 10 });
      bottom = Math.max(bottom, l.doc.y);
    }
    l.doc.y = bottom + 6;
  }
  l.rule();
  l.text(
    'Laporan ini memuat semua data pribadi Anda yang disimpan oleh Imigrasi, Kepolisian dan pemerintah daerah dalam ' +
      'TIMPORA Hub, serta setiap pengungkapan data itu kepada instansi lain: kapan, kepada instansi mana, data apa, ' +
      'untuk tujuan apa, dan hasilnya. Setiap log akses diperiksa: catatan yang diubah atau dihapus akan terlihat.',
    { size: 9, gap: 3 },
  );
  l.text(
    'This report lists all personal data about you that Immigration, the police and the local government hold in the ' +
      'TIMPORA Hub, and every disclosure of it to another institution: when, to which institution, which data, for ' +
      'what purpose, and with what outcome. Each access log is checked: a record altered or removed would show.',
    { font: 'italic', size: 8.5, colour: GREY, gap: 10 },
  );
  l.text('Ringkasan / Summary', { font: 'bold', size: 11, gap: 3 });
  const widths = [0.4, 0.18, 0.2, 0.22].map((w) => w * l.width);
  l.row(
    ['Instansi / Agency', 'Data disimpan / Records held', 'Pengungkapan / Disclosures', 'Log akses / Access log'],
    widths,
    {
      header: true,
    },
  );
  for (const field of SECTION_FIELDS) {
    const s = report[field];
    l.row(
      [`${s.nameId}\n${s.nameEn}`, String(s.holdings.length), String(s.disclosures.length), s.verification.verdict],
      widths,
      {
        size: 8.5,
      },
    );
  }
  l.doc.y += 12;
}

function holding(l: Layout, item: SubjectAccessItem): void {
  const { doc } = l;
  const labelWidth = l.width * 0.34;
  doc.font('regular').fontSize(8.5);
  const firstRow = item.fields[0]
    ? doc.heightOfString(item.fields[0].value ?? '—', { width: l.width - labelWidth })
    : 0;
  l.room(40 + firstRow);
  kindHeading(l, item);
  for (const f of item.fields) {
    const value = f.value ?? '—';
    const label = `${f.labelId} / ${f.labelEn}`;
    const valueWidth = l.width - labelWidth - 6;
    const height =
      Math.max(
        doc.font('regular').fontSize(8.5).heightOfString(value, { width: valueWidth }),
        doc.fontSize(7.5).heightOfString(label, { width: labelWidth - 10 }) + 1,
      ) + 3;
    l.room(height);
    const top = doc.y;
    doc
      .fillColor(GREY)
      .fontSize(7.5)
      .text(label, l.left + 8, top + 1, { width: labelWidth - 10 });
    doc
      .fillColor(f.value ? INK : GREY)
      .fontSize(8.5)
      .text(value, l.left + labelWidth, top, { width: valueWidth });
    doc.y = top + height;
  }
  doc.y += 7;
}

function kindHeading(l: Layout, item: SubjectAccessItem, count?: number): void {
  l.text(`${item.titleId} · ${item.titleEn}${count ? ` (${count})` : ''}`, { font: 'bold', size: 10 });
  l.text(`${item.explanationId} ${item.explanationEn}`, { font: 'italic', size: 7.5, colour: GREY, gap: 2 });
}

/** Several records of one kind: a table with a column per fact, labelled in both languages. */
function holdingTable(l: Layout, items: SubjectAccessItem[]): void {
  const first = items[0]!;
  const header = first.fields.map((f) => `${f.labelId}\n${f.labelEn}`);
  // wider columns for longer values
  const weight = first.fields.map((_, i) =>
    Math.min(40, Math.max(10, ...items.map((item) => (item.fields[i]?.value ?? '').length))),
  );
  const total = weight.reduce((a, b) => a + b, 0);
  const widths = weight.map((w) => (w / total) * l.width);
  l.room(80);
  kindHeading(l, first, items.length);
  l.row(header, widths, { header: true, size: 7 });
  for (const item of items) {
    if (l.doc.y + 24 > l.bottom) {
      l.doc.addPage();
      l.row(header, widths, { header: true, size: 7 });
    }
    l.row(
      item.fields.map((f) => f.value ?? ''),
      widths,
      { size: 7.5 },
    );
  }
  l.doc.y += 8;
}

function disclosures(l: Layout, section: SubjectAccessSection): void {
  l.room(60);
  l.text('Pengungkapan yang tercatat · Disclosures recorded', { font: 'bold', size: 11 });
  l.text(
    'Setiap permintaan yang mengungkapkan data Anda, atau memintanya dan ditolak, menurut log akses instansi ini; ' +
      'ttd: catatan ditandatangani instansi, saksi: disaksikan instansi lain. ' +
      'Every request that disclosed your data, or asked for it and was refused, as this agency’s access log records it; ' +
      'ttd: the record is signed by the agency (signed), saksi: witnessed by another agency.',
    { font: 'italic', size: 7.5, colour: GREY, gap: 4 },
  );
  if (section.disclosures.length === 0) {
    l.text('Tidak ada pengungkapan yang tercatat. · No disclosure is recorded.', { size: 9, gap: 8 });
    return;
  }
  const widths = [0.05, 0.13, 0.18, 0.18, 0.31, 0.15].map((w) => w * l.width);
  const header = ['No.', 'Waktu / When', 'Instansi / Institution', 'Tujuan / Purpose', 'Data', 'Hasil / Outcome'];
  l.row(header, widths, { header: true });
  for (const d of section.disclosures) {
    if (l.doc.y + 30 > l.bottom) {
      l.doc.addPage();
      l.row(header, widths, { header: true });
    }
    const groups = d.fieldGroupsId.map((g, i) => `${g} / ${d.fieldGroupsEn[i] ?? g}`).join('; ');
    const refused = d.denials.length > 0 ? `\n${d.denials.join('; ')}` : '';
    const seal = [d.signed ? 'ttd ✓' : 'ttd ✗', d.witnessed ? 'saksi ✓' : null].filter(Boolean).join(' · ');
    l.row(
      [
        String(d.sequence),
        wib(d.at),
        `${d.agency}\n${d.agencyType.toLowerCase().replaceAll('_', ' ')}`,
        d.purpose ?? '',
        groups,
        `${OUTCOMES[d.outcome]}${refused}\n${seal}`,
      ],
      widths,
    );
  }
  l.doc.y += 8;
}

function verification(l: Layout, v: SubjectAccessVerification): void {
  l.room(70);
  l.text('Pemeriksaan log akses · Access-log check', { font: 'bold', size: 11, gap: 2 });
  const [id, en] = VERDICTS[v.verdict];
  l.text(`${v.verdict} — ${id}`, { font: 'bold', size: 9, colour: VERDICT_COLOURS[v.verdict] });
  l.text(en, { font: 'italic', size: 8.5, colour: GREY, gap: 2 });
  const witnessed =
    v.witnessedUpTo.length === 0
      ? 'belum disaksikan instansi lain / not yet witnessed by another agency'
      : v.witnessedUpTo
          .map((w) => `${w.witness}: s.d. catatan / up to record ${w.sequence} (${wib(w.witnessedAt)})`)
          .join('; ');
  l.text(`${v.records} catatan / records · saksi / witnesses: ${witnessed}`, { size: 8, colour: GREY });
  if (v.brokenAt !== null)
    l.text(`Rusak pada catatan / broken at record ${v.brokenAt}: ${v.reason ?? ''}`, { size: 8.5 });
  for (const p of v.problems) l.text(p, { size: 8 });
  l.doc.y += 10;
}

function section(l: Layout, s: SubjectAccessSection): void {
  l.doc.addPage();
  l.heading(s.nameId, s.nameEn);
  l.rule();
  l.text('Data yang disimpan · Data held', { font: 'bold', size: 11, gap: 4 });
  if (s.holdings.length === 0) {
    l.text(
      'Instansi ini tidak menyimpan data tentang Anda di wilayah pemohon. · This agency holds no data about you in the requester’s jurisdiction.',
      { size: 9, gap: 8 },
    );
  }
  // one record of a kind as a list of its facts; several as a table, one row each
  const kinds = [...new Set(s.holdings.map((h) => h.kind))];
  for (const kind of kinds) {
    const items = s.holdings.filter((h) => h.kind === kind);
    if (items.length === 1) holding(l, items[0]!);
    else holdingTable(l, items);
  }
  disclosures(l, s);
  verification(l, s.verification);
}

/** Writes the report as a PDF to `out`; resolves with its page count once written. */
export function renderSubjectAccessPdf(file: SubjectAccessFile, out: Writable): Promise<number> {
  const { doc, written } = openA4(
    {
      Title: `Laporan Akses Subjek Data / Subject-Access Report — ${file.report.foreignerId}`,
      Subject: 'UU PDP Pasal 31–32',
    },
    out,
  );
  const l = new Layout(doc);
  cover(l, file);
  for (const field of SECTION_FIELDS) section(l, file.report[field]);
  return closeA4(
    doc,
    written,
    (page, pages) =>
      `TIMPORA Hub · Laporan akses subjek data / Subject-access report · ${file.report.foreignerId} · ${wib(file.generatedAt)} · ` +
      `Halaman / Page ${page} / ${pages}`,
  );
}
