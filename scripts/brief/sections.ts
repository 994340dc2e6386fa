/**
 * The brief's sections other than the population (population.ts), each adding its heading,
 * explanation, chart and table to the writer, or saying why the reader may not see it:
 * 1 the summary per regency, 3 expiring permits and overstays, 4 registration gaps, 5–6
 * incidents and community reports of the period, 7 the last meeting, 8 joint operations.
 */
import type { BriefWriter } from './blocks.js';
import { barChart, type BarDatum } from './charts.js';
import type { CategoryCount, RegencyCount, RegistrationGap, Section } from './model.js';
import { byCategory, countOf, gapOf, number, regency, shortName, sum, tanggal } from './text.js';

/** The bars of the expiry chart, by section. */
const WINDOW_BARS: Partial<Record<Section, string>> = {
  expiringBeforeMeeting: 'Berakhir sebelum rapat',
  expiringAfterMeeting: 'Berakhir ≤30 hari sesudah rapat',
  overstays: 'Overstay',
};

/** 1. One row per regency with every section's count. */
export function summarySection(w: BriefWriter): void {
  const { brief, zone } = w;
  w.heading('1. Ringkasan per kabupaten/kota');
  w.paragraph(
    `Angka per kabupaten/kota dalam yurisdiksi Anda. Semua tanggal dinilai menurut ${zone.name} (${zone.abbreviation}). ` +
      `Tanda "–" berarti bagian itu tidak tersedia untuk hak akses Anda.`,
    'muted',
  );
  w.add({
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
    rows: w.regencies.map((r) => {
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
  if ((brief.population ?? []).some((p) => p.suppressed)) {
    w.paragraph(
      `Sebagian angka disembunyikan (kendali pengungkapan statistik): tidak ada angka di bawah ${brief.minimumCellSize ?? 5} ` +
        'yang ditampilkan atau dapat dihitung dari angka lain. Angka kosong ("–") atau kelompok yang tidak tercantum dapat ' +
        'berisi nol atau beberapa orang.',
      'note',
    );
  }
}

/** 3. Permits ending before the meeting or within 30 days after it, and overstays. */
export async function expirySection(w: BriefWriter): Promise<void> {
  const { brief, withheld } = w;
  w.heading('3. Izin tinggal yang akan berakhir dan overstay');
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
  if (available.length === 0) {
    w.refused('expiringBeforeMeeting');
    return;
  }
  w.paragraph(
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
    w.add({
      kind: 'chart',
      chart: await barChart('Izin tinggal yang akan berakhir dan overstay', data, {
        countTitle: 'Jumlah WNA',
        partTitle: 'Kabupaten/kota',
        parts: w.regencies.map((r) => shortName(r.regionName)),
      }),
    });
  }
  w.add({
    kind: 'table',
    columns: [{ label: 'Kabupaten/kota', width: 2 }, ...available.map(([, label]) => ({ label, numeric: true }))],
    rows: w.regencies.map((r) => [regency(r), ...available.map(([, , rows]) => countOf(rows, r.regionCode))]),
    total: ['Jumlah', ...available.map(([, , rows]) => number(sum(rows)))],
  });
  for (const [section] of windows) if (withheld[section]) w.refused(section);
}

/** 4. ITAS/ITAP holders without a valid SKLD or SKTT, per document. */
export async function registrationGapSection(w: BriefWriter): Promise<void> {
  const { brief } = w;
  w.heading('4. Kesenjangan registrasi (SKLD dan SKTT)');
  w.paragraph(
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
    if (w.refused(section) || !rows) continue;
    for (const r of rows) {
      const bar = w.regencies.length > 1 ? `${name} · ${shortName(r.regionName)}` : name;
      gapData.push({ bar, part: 'Tidak ada', count: r.missing });
      gapData.push({ bar, part: 'Kedaluwarsa', count: r.expired });
    }
    w.add(gapTable(name, rows));
  }
  if (gapData.some((d) => d.count > 0)) {
    w.add({
      kind: 'chart',
      chart: await barChart('Pemegang ITAS/ITAP tanpa SKLD atau SKTT yang berlaku', gapData, {
        countTitle: 'Jumlah pemegang',
        partTitle: 'Keadaan',
        parts: ['Tidak ada', 'Kedaluwarsa'],
      }),
    });
  }
}

function gapTable(name: string, rows: readonly RegistrationGap[]) {
  const total = (pick: (r: RegistrationGap) => number) => number(rows.reduce((n, r) => n + pick(r), 0));
  return {
    kind: 'table' as const,
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
      total((r) => r.holders),
      total((r) => r.missing),
      total((r) => r.expired),
      total((r) => r.missing + r.expired),
    ],
  };
}

/** 5 and 6. Incidents and community reports of the period, by category. */
export async function periodSections(w: BriefWriter): Promise<void> {
  const { brief, since } = w;
  const sections: [Section, string, string, CategoryCount[] | null][] = [
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
  for (const [section, title, noun, rows] of sections) {
    w.heading(title);
    if (w.refused(section) || !rows) continue;
    if (rows.length === 0) {
      w.paragraph(`Tidak ada ${noun.toLowerCase()} tercatat dalam periode ini.`);
      continue;
    }
    w.add({
      kind: 'chart',
      chart: await barChart(
        `${noun} menurut kategori`,
        rows.map((r) => ({ bar: r.categoryLabel, part: shortName(r.regionName), count: r.count })),
        {
          countTitle: `Jumlah ${noun.toLowerCase()}`,
          partTitle: 'Kabupaten/kota',
          parts: w.regencies.map((r) => shortName(r.regionName)),
        },
      ),
    });
    w.add({
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
}

/** 7. The last coordination meeting and its conclusions. */
export function lastMeetingSection(w: BriefWriter): void {
  w.heading('7. Rapat koordinasi terakhir');
  if (w.refused('lastMeeting')) return;
  const m = w.brief.lastMeeting;
  if (!m) {
    w.paragraph(`Belum ada rapat koordinasi tercatat sebelum ${tanggal(w.brief.meetingDate)} untuk wilayah ini.`);
    return;
  }
  w.add({
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
  w.paragraph('Kesimpulan rapat:');
  w.paragraph(m.conclusions ?? 'Tidak ada kesimpulan tercatat.');
}

/** 8. The joint operations of the period and what they found. */
export function operationsSection(w: BriefWriter): void {
  w.heading(`8. Operasi gabungan ${w.since}`);
  const operations = w.brief.jointOperationsSince;
  if (w.refused('jointOperationsSince') || !operations) return;
  if (operations.length === 0) {
    w.paragraph('Tidak ada operasi gabungan tercatat dalam periode ini.');
    return;
  }
  w.add({
    kind: 'table',
    columns: [
      { label: 'Operasi', width: 1.6 },
      { label: 'Tanggal', width: 1.1 },
      { label: 'WNA diperiksa', numeric: true, width: 0.7 },
      { label: 'Temuan', width: 2.6 },
    ],
    rows: operations.map((o) => [
      `${o.name} (${o.regionCode}; ${o.agencies.length} instansi)`,
      o.endedOn && o.endedOn !== o.startedOn ? `${tanggal(o.startedOn)} – ${tanggal(o.endedOn)}` : tanggal(o.startedOn),
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
