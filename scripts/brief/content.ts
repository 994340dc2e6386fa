/**
 * What the meeting brief says, in Bahasa Indonesia, as a list of blocks (headings, paragraphs,
 * tables, charts) that the HTML and the PDF each lay out: names beside codes (regions from the
 * answer, nationalities and permits labelled by the hub), dates with their time zone.
 */
import { enumLabel } from '../../common/i18n/labels.js';
import { TIME_ZONES, formatDateTimeIn } from '../../common/time-zones.js';
import { barChart, type BarDatum, type Chart } from './charts.js';
import type { BriefFile, CategoryCount, RegencyCount, RegistrationGap, Section } from './model.js';

export interface Cover {
  title: string;
  subtitle: string;
  facts: [string, string][];
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'note' | 'muted' }
  | {
      kind: 'table';
      columns: { label: string; numeric?: boolean; width?: number }[];
      rows: string[][];
      total?: string[];
    }
  | { kind: 'chart'; chart: Chart };

export interface BriefDocument {
  cover: Cover;
  blocks: Block[];
}

const MONTHS = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
];
const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', "Jum'at", 'Sabtu'];

/** A calendar date (`YYYY-MM-DD`) as officers write it: `15 Desember 2026`; with the weekday: `Selasa, 15 Desember 2026`. */
export function tanggal(date: string, withDay = false): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  const text = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return withDay ? `${DAYS[d.getUTCDay()]}, ${text}` : text;
}

const number = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toLocaleString('id-ID'));

/** "KABUPATEN OGAN KOMERING ULU" → "Kabupaten Ogan Komering Ulu" (the official list is in capitals). */
export function regionName(name: string): string {
  return name.toLowerCase().replace(/(^|[\s(/-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

const regency = (r: { regionCode: string; regionName: string }) => `${regionName(r.regionName)} (${r.regionCode})`;

/** A regency's name without "Kabupaten" (a city keeps "Kota"), for chart labels: `Ogan Komering Ulu`. */
const shortName = (name: string) => regionName(name).replace(/^Kabupaten /, '');

/** The bars of the expiry chart, by section. */
const WINDOW_BARS: Partial<Record<Section, string>> = {
  expiringBeforeMeeting: 'Berakhir sebelum rapat',
  expiringAfterMeeting: 'Berakhir ≤30 hari sesudah rapat',
  overstays: 'Overstay',
};

/** Why a section is missing, for the reader: the hub's reason is kept in brackets. */
function withheldText(reason: string): string {
  const scope = /scopes? ([\w:-]+(?: and [\w:-]+)?)/.exec(reason)?.[1];
  return `Bagian ini tidak tersedia untuk hak akses Anda${scope ? ` (memerlukan ${scope})` : ''}.`;
}

function sum(rows: readonly { count: number }[] | null | undefined): number {
  return (rows ?? []).reduce((n, r) => n + r.count, 0);
}

function countOf(rows: readonly RegencyCount[] | null, code: string): string {
  return rows ? number(rows.find((r) => r.regionCode === code)?.count ?? 0) : '–';
}

function gapOf(rows: readonly RegistrationGap[] | null, code: string): string {
  if (!rows) return '–';
  const r = rows.find((g) => g.regionCode === code);
  return r ? number(r.missing + r.expired) : '0';
}

/** Counts by category summed over the regencies, largest first. */
function byCategory(rows: readonly CategoryCount[]): { label: string; count: number }[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.categoryLabel, (totals.get(r.categoryLabel) ?? 0) + r.count);
  return [...totals].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
}

/** How many nationalities the population chart names; the rest are summed as "Lainnya". */
const TOP_NATIONALITIES = 10;

export async function briefDocument(file: BriefFile): Promise<BriefDocument> {
  const { brief, withheld } = file;
  const zone = TIME_ZONES[brief.timeZone];
  const blocks: Block[] = [];
  const heading = (text: string) => blocks.push({ kind: 'heading', text });
  const paragraph = (text: string, tone?: 'note' | 'muted') => blocks.push({ kind: 'paragraph', text, tone });
  const refused = (section: Section) => {
    const reason = withheld[section];
    if (reason) paragraph(withheldText(reason), 'muted');
    return Boolean(reason);
  };
  const regencies = brief.regencies.map((r) => ({ regionCode: r.code, regionName: r.name }));
  const periodStart = brief.periodStart ? formatDateTimeIn(zone, new Date(brief.periodStart)) : null;
  const since = brief.lastMeeting
    ? `sejak rapat terakhir (${tanggal(brief.lastMeeting.heldOn)})`
    : periodStart
      ? `sejak ${periodStart}`
      : 'sejak rapat terakhir';
  const withheldCells = (brief.population ?? []).some((p) => p.suppressed);

  const cover: Cover = {
    title: 'Bahan Rapat Koordinasi TIMPORA',
    subtitle: regencies.map(regency).join(', '),
    facts: [
      ['Wilayah', `${brief.regionCode} — ${regencies.map((r) => regionName(r.regionName)).join(', ')}`],
      ['Tanggal rapat', tanggal(brief.meetingDate, true)],
      ['Disiapkan oleh', `${file.preparedBy.agency} (${enumLabel('AgencyType', file.preparedBy.agencyType)})`],
      ['Dibuat pada', formatDateTimeIn(zone, new Date(brief.generatedAt))],
      ['Data per', `${tanggal(brief.asOf)} (${zone.abbreviation}, ${zone.name})`],
      [
        'Periode laporan',
        periodStart ? `${periodStart} s.d. ${formatDateTimeIn(zone, new Date(brief.generatedAt))}` : '–',
      ],
      ['Tujuan', file.purpose],
    ],
  };

  // 1. summary
  heading('1. Ringkasan per kabupaten/kota');
  paragraph(
    `Angka per kabupaten/kota dalam yurisdiksi Anda. Semua tanggal dinilai menurut ${zone.name} (${zone.abbreviation}). ` +
      `Tanda "–" berarti bagian itu tidak tersedia untuk hak akses Anda.`,
    'muted',
  );
  blocks.push({
    kind: 'table',
    columns: [
      { label: 'Kabupaten/kota', width: 1.7 },
      { label: 'WNA berada di wilayah', numeric: true },
      { label: 'Izin berakhir sebelum rapat', numeric: true },
      { label: 'Izin berakhir ≤30 hari sesudah', numeric: true },
      { label: 'Overstay', numeric: true },
      { label: 'Tanpa SKLD berlaku', numeric: true },
      { label: 'Tanpa SKTT berlaku', numeric: true },
      { label: 'Kejadian', numeric: true },
      { label: 'Laporan warga', numeric: true },
    ],
    rows: regencies.map((r) => {
      const name = `${shortName(r.regionName)} (${r.regionCode})`;
      const population = brief.population?.find((p) => p.regionCode === r.regionCode);
      const inPeriod = (rows: CategoryCount[] | null) =>
        rows ? number(sum(rows.filter((c) => c.regionCode === r.regionCode))) : '–';
      return [
        name,
        population ? number(population.total) : '–',
        countOf(brief.expiringBeforeMeeting, r.regionCode),
        countOf(brief.expiringAfterMeeting, r.regionCode),
        countOf(brief.overstays, r.regionCode),
        gapOf(brief.selfReportGaps, r.regionCode),
        gapOf(brief.residenceGaps, r.regionCode),
        inPeriod(brief.incidentsSinceLastMeeting),
        inPeriod(brief.communityReportsSinceLastMeeting),
      ];
    }),
  });
  if (withheldCells) {
    paragraph(
      `Sebagian angka disembunyikan (kendali pengungkapan statistik): tidak ada angka di bawah ${brief.minimumCellSize ?? 5} ` +
        'yang ditampilkan atau dapat dihitung dari angka lain. Angka kosong ("–") atau kelompok yang tidak tercantum dapat ' +
        'berisi nol atau beberapa orang.',
      'note',
    );
  }

  // 2. population
  heading('2. WNA yang berada di wilayah menurut kewarganegaraan dan izin tinggal');
  if (!refused('population') && brief.population) {
    paragraph(
      'WNA yang berada di wilayah ini hari ini (izin tinggalnya berlaku dan tidak tercatat keluar sejak masuk ' +
        'terakhir), menurut kewarganegaraan dan jenis izin tinggal (ITAS, ITAP, ITK, …). WNA yang telah keluar, ' +
        'yang izinnya berakhir atau dicabut tidak dihitung; overstay disajikan di bagian 3.',
      'muted',
    );
    const byNationality = new Map<string, Map<string, number>>();
    for (const p of brief.population) {
      for (const g of p.groups) {
        const nationality = g.nationalityName ? `${g.nationalityName} (${g.nationality})` : 'Tidak diketahui';
        const parts = byNationality.get(nationality) ?? new Map<string, number>();
        parts.set(g.permitLabel, (parts.get(g.permitLabel) ?? 0) + g.count);
        byNationality.set(nationality, parts);
      }
    }
    const ranked = [...byNationality]
      .map(([nationality, parts]) => ({ nationality, parts, total: [...parts.values()].reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.total - a.total);
    const shown = ranked.slice(0, TOP_NATIONALITIES);
    const others = ranked.slice(TOP_NATIONALITIES);
    const data: BarDatum[] = [];
    for (const row of shown) for (const [part, count] of row.parts) data.push({ bar: row.nationality, part, count });
    for (const row of others) for (const [part, count] of row.parts) data.push({ bar: 'Lainnya', part, count });
    const permitOrder = ['ITAS', 'ITAP', 'ITK', 'Izin Tinggal Diplomatik', 'Izin Tinggal Dinas', 'Tanpa izin berlaku'];
    const parts = [...new Set(data.map((d) => d.part))].sort((a, b) => permitOrder.indexOf(a) - permitOrder.indexOf(b));
    if (data.length > 0) {
      blocks.push({
        kind: 'chart',
        chart: await barChart(`WNA menurut kewarganegaraan (${TOP_NATIONALITIES} terbanyak) dan izin tinggal`, data, {
          countTitle: 'Jumlah WNA',
          partTitle: 'Izin tinggal',
          parts,
        }),
      });
    }
    if (brief.population.length > 1) {
      const perRegency: BarDatum[] = brief.population.flatMap((p) =>
        p.groups.map((g) => ({ bar: shortName(p.regionName), part: g.permitLabel, count: g.count })),
      );
      blocks.push({
        kind: 'chart',
        chart: await barChart('WNA per kabupaten/kota menurut izin tinggal', perRegency, {
          countTitle: 'Jumlah WNA',
          partTitle: 'Izin tinggal',
          parts,
        }),
      });
    }
    for (const p of brief.population) {
      // one row per nationality, one column per permit type present (a cross table)
      const columns = parts.filter((part) => p.groups.some((g) => g.permitLabel === part));
      const rows = new Map<string, Map<string, number>>();
      for (const g of p.groups) {
        const nationality = g.nationalityName ? `${g.nationalityName} (${g.nationality})` : 'Tidak diketahui';
        const row = rows.get(nationality) ?? new Map<string, number>();
        row.set(g.permitLabel, (row.get(g.permitLabel) ?? 0) + g.count);
        rows.set(nationality, row);
      }
      const total = (row: Map<string, number>) => [...row.values()].reduce((a, b) => a + b, 0);
      const listed = p.groups.reduce((n, g) => n + g.count, 0);
      paragraph(
        `${regency(p)}: ${number(p.total)} WNA berada di wilayah` +
          (p.suppressed
            ? `; ${p.unlisted === null ? 'jumlah total disembunyikan' : `${number(p.unlisted)} orang dalam kelompok yang disembunyikan`}`
            : ''),
      );
      if (rows.size > 0) {
        blocks.push({
          kind: 'table',
          columns: [
            { label: 'Kewarganegaraan', width: 2 },
            ...columns.map((c) => ({ label: c, numeric: true })),
            { label: 'Jumlah', numeric: true },
          ],
          rows: [...rows]
            .sort(([a, x], [b, y]) => total(y) - total(x) || a.localeCompare(b))
            .map(([nationality, row]) => [
              nationality,
              ...columns.map((c) => (row.has(c) ? number(row.get(c)) : '')),
              number(total(row)),
            ]),
          total: [
            'Jumlah',
            ...columns.map((c) => number(p.groups.filter((g) => g.permitLabel === c).reduce((n, g) => n + g.count, 0))),
            number(listed),
          ],
        });
      }
    }
  }

  // 3. expiring permits and overstays
  heading('3. Izin tinggal yang akan berakhir dan overstay');
  const windows: [Section, string, RegencyCount[] | null][] = [
    [
      'expiringBeforeMeeting',
      `Berakhir sebelum rapat (${tanggal(brief.asOf)} – sebelum ${tanggal(brief.meetingDate)})`,
      brief.expiringBeforeMeeting,
    ],
    ['expiringAfterMeeting', 'Berakhir pada hari rapat atau 29 hari sesudahnya', brief.expiringAfterMeeting],
    ['overstays', `Overstay per ${tanggal(brief.asOf)}`, brief.overstays],
  ];
  const available = windows.filter(([section]) => !withheld[section]);
  if (available.length === 0) refused('expiringBeforeMeeting');
  else {
    paragraph(
      'Izin tinggal WNA yang berada di wilayah yang berakhir sebelum rapat atau dalam 30 hari sesudah tanggal rapat, serta WNA ' +
        'yang izinnya telah berakhir tanpa tercatat keluar dari Indonesia (overstay).',
      'muted',
    );
    const data: BarDatum[] = [];
    for (const [section, , rows] of available) {
      for (const r of rows ?? [])
        data.push({ bar: WINDOW_BARS[section]!, part: shortName(r.regionName), count: r.count });
    }
    if (data.some((d) => d.count > 0)) {
      blocks.push({
        kind: 'chart',
        chart: await barChart('Izin tinggal yang akan berakhir dan overstay', data, {
          countTitle: 'Jumlah WNA',
          partTitle: 'Kabupaten/kota',
          parts: regencies.map((r) => shortName(r.regionName)),
        }),
      });
    }
    blocks.push({
      kind: 'table',
      columns: [{ label: 'Kabupaten/kota', width: 2 }, ...available.map(([, label]) => ({ label, numeric: true }))],
      rows: regencies.map((r) => [regency(r), ...available.map(([, , rows]) => countOf(rows, r.regionCode))]),
      total: ['Jumlah', ...available.map(([, , rows]) => number(sum(rows)))],
    });
    for (const [section] of windows) if (withheld[section]) refused(section);
  }

  // 4. registration gaps
  heading('4. Kesenjangan registrasi (SKLD dan SKTT)');
  paragraph(
    'Pemegang ITAS atau ITAP yang berada di wilayah wajib memiliki SKLD (Polri) dan SKTT (Dukcapil) yang berlaku hari ini. ' +
      '"Tidak ada" berarti belum pernah diterbitkan; "Kedaluwarsa" berarti semua yang diterbitkan telah berakhir.',
    'muted',
  );
  const gaps: [Section, string, RegistrationGap[] | null][] = [
    ['selfReportGaps', 'SKLD', brief.selfReportGaps],
    ['residenceGaps', 'SKTT', brief.residenceGaps],
  ];
  const gapData: BarDatum[] = [];
  for (const [section, name, rows] of gaps) {
    if (refused(section) || !rows) continue;
    for (const r of rows) {
      const bar = regencies.length > 1 ? `${name} · ${shortName(r.regionName)}` : name;
      gapData.push({ bar, part: 'Tidak ada', count: r.missing });
      gapData.push({ bar, part: 'Kedaluwarsa', count: r.expired });
    }
    blocks.push({
      kind: 'table',
      columns: [
        { label: `${name}: kabupaten/kota`, width: 2 },
        { label: 'Pemegang ITAS/ITAP', numeric: true },
        { label: `${name} tidak ada`, numeric: true },
        { label: `${name} kedaluwarsa`, numeric: true },
        { label: `Tanpa ${name} berlaku`, numeric: true },
      ],
      rows: rows.map((r) => [
        regency(r),
        number(r.holders),
        number(r.missing),
        number(r.expired),
        number(r.missing + r.expired),
      ]),
      total: [
        'Jumlah',
        number(rows.reduce((n, r) => n + r.holders, 0)),
        number(rows.reduce((n, r) => n + r.missing, 0)),
        number(rows.reduce((n, r) => n + r.expired, 0)),
        number(rows.reduce((n, r) => n + r.missing + r.expired, 0)),
      ],
    });
  }
  if (gapData.some((d) => d.count > 0)) {
    blocks.push({
      kind: 'chart',
      chart: await barChart('Pemegang ITAS/ITAP tanpa SKLD atau SKTT yang berlaku', gapData, {
        countTitle: 'Jumlah pemegang',
        partTitle: 'Keadaan',
        parts: ['Tidak ada', 'Kedaluwarsa'],
      }),
    });
  }

  // 5 and 6. incidents and community reports of the period
  const periodSections: [Section, string, string, CategoryCount[] | null][] = [
    [
      'incidentsSinceLastMeeting',
      `5. Kejadian yang melibatkan WNA ${since}`,
      'Kejadian',
      brief.incidentsSinceLastMeeting,
    ],
    [
      'communityReportsSinceLastMeeting',
      `6. Laporan masyarakat ${since}`,
      'Laporan',
      brief.communityReportsSinceLastMeeting,
    ],
  ];
  for (const [section, title, noun, rows] of periodSections) {
    heading(title);
    if (refused(section) || !rows) continue;
    if (rows.length === 0) {
      paragraph(`Tidak ada ${noun.toLowerCase()} tercatat dalam periode ini.`);
      continue;
    }
    blocks.push({
      kind: 'chart',
      chart: await barChart(
        `${noun} menurut kategori`,
        rows.map((r) => ({ bar: r.categoryLabel, part: shortName(r.regionName), count: r.count })),
        {
          countTitle: `Jumlah ${noun.toLowerCase()}`,
          partTitle: 'Kabupaten/kota',
          parts: regencies.map((r) => shortName(r.regionName)),
        },
      ),
    });
    blocks.push({
      kind: 'table',
      columns: [
        { label: 'Kabupaten/kota', width: 2 },
        { label: 'Kategori', width: 2 },
        { label: 'Jumlah', numeric: true, width: 0.7 },
      ],
      rows: rows.map((r) => [regency(r), r.categoryLabel, number(r.count)]),
      total: ['Jumlah', `${byCategory(rows).length} kategori`, number(sum(rows))],
    });
  }

  // 7. the last meeting
  heading('7. Rapat koordinasi terakhir');
  if (!refused('lastMeeting')) {
    const m = brief.lastMeeting;
    if (!m) paragraph(`Belum ada rapat koordinasi tercatat sebelum ${tanggal(brief.meetingDate)} untuk wilayah ini.`);
    else {
      blocks.push({
        kind: 'table',
        columns: [
          { label: '', width: 1 },
          { label: '', width: 3 },
        ],
        rows: [
          ['Judul', m.title],
          ['Tanggal', tanggal(m.heldOn, true)],
          ['Tempat', m.venue],
          ['Pimpinan rapat', m.chair ? `${m.chair.name} (${m.chair.code})` : '–'],
          ['Peserta', `${m.attendees.length} instansi: ${m.attendees.map((a) => a.code).join(', ')}`],
        ],
      });
      paragraph('Kesimpulan rapat:');
      paragraph(m.conclusions ?? 'Tidak ada kesimpulan tercatat.');
    }
  }

  // 8. joint operations
  heading(`8. Operasi gabungan ${since}`);
  if (!refused('jointOperationsSince') && brief.jointOperationsSince) {
    const operations = brief.jointOperationsSince;
    if (operations.length === 0) paragraph('Tidak ada operasi gabungan tercatat dalam periode ini.');
    else {
      blocks.push({
        kind: 'table',
        columns: [
          { label: 'Operasi', width: 1.6 },
          { label: 'Tanggal', width: 1.1 },
          { label: 'WNA diperiksa', numeric: true, width: 0.7 },
          { label: 'Temuan', width: 2.6 },
        ],
        rows: operations.map((o) => [
          `${o.name} (${o.regionCode}; ${o.agencies.length} instansi)`,
          o.endedOn && o.endedOn !== o.startedOn
            ? `${tanggal(o.startedOn)} – ${tanggal(o.endedOn)}`
            : tanggal(o.startedOn),
          number(o.foreignersChecked),
          o.findings ?? '–',
        ]),
        total: [
          'Jumlah',
          `${operations.length} operasi`,
          number(operations.reduce((n, o) => n + o.foreignersChecked, 0)),
          '',
        ],
      });
    }
  }

  paragraph(
    `Dokumen ini dibuat dari TIMPORA Hub (kueri meetingBrief) atas nama ${file.preparedBy.agency}; permintaannya tercatat ` +
      'dalam log akses setiap instansi. Angka-angkanya sama dengan kueri hub sendiri pada saat dokumen dibuat.',
    'muted',
  );
  return { cover, blocks };
}
