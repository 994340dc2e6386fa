/**
 * TIMPORA OKU Raya's meetings and joint operations as documents, in Bahasa Indonesia, written
 * from the plan (`history-plan.ts`) and the counters (`history-tally.ts`) after the seed's last
 * batch: which districts each meeting sends an operation to, who attends, what the meeting
 * concludes and what each operation finds.
 */
import type { RegionRecord } from '../../common/regions.js';
import type { CoordinationMeetingDoc, JointOperationDoc } from '../../subgraphs/immigration/src/models/coordination.js';
import {
  AGENCIES,
  FIRST_MEETING,
  LEGACY_OPERATIONS,
  OKU_RAYA_IMMIGRATION_OFFICE,
  OKU_RAYA_REGENCIES,
  SECRETARIAT,
  agencyName,
} from './coordination.js';
import type { PlannedMeeting, PlannedOperation } from './history-plan.js';
import { addFigures, emptyFigures, type DistrictFigures, type HistoryTally } from './history-tally.js';
import { Rng, SEED } from './random.js';

type Names = (code: string) => string;

/** The meetings and operations, written from the counters. */
export function historyDocuments(
  tally: HistoryTally,
  regions: { get(code: string): RegionRecord | undefined },
): { meetings: CoordinationMeetingDoc[]; operations: JointOperationDoc[] } {
  const { meetings, operations } = tally.plan;
  const name = (code: string) => regions.get(code)?.name ?? code;
  const targets = operationTargets(tally);
  return {
    meetings: meetings.map((m, i) => meetingDocument(tally, m, i, targets[i]!, name)),
    operations: operations.map((o, n) => operationDocument(tally, o, n, targets, name)),
  };
}

/**
 * The two districts each meeting picks to visit: the one with most foreigners to check in the
 * regency that has most, and one in another regency (in turn), skipping the districts visited
 * after the two previous meetings.
 */
function operationTargets(tally: HistoryTally): string[][] {
  const targets: string[][] = [];
  tally.plan.meetings.forEach((_, i) => {
    const recent = new Set(targets.slice(-2).flat());
    const top = (regency: string) =>
      tally
        .districtsOf(i, regency)
        .filter(([code]) => !recent.has(code))
        .sort(([a, x], [b, y]) => y.flagged - x.flagged || a.localeCompare(b))[0]?.[0] ?? SEATS[regency]!;
    const first = [...OKU_RAYA_REGENCIES].sort(
      (a, b) => tally.figuresOf(i, b).flagged - tally.figuresOf(i, a).flagged || a.localeCompare(b),
    )[0]!;
    const others = OKU_RAYA_REGENCIES.filter((r) => r !== first);
    targets.push([top(first), top(others[i % 2]!)]);
  });
  return targets;
}

function meetingDocument(
  tally: HistoryTally,
  m: PlannedMeeting,
  i: number,
  targets: string[],
  name: Names,
): CoordinationMeetingDoc {
  if (i === 0) return { ...FIRST_MEETING };
  const rng = new Rng(SEED, 7_002, i);
  const absent = new Set(rng.sample(OCCASIONALLY_ABSENT, rng.int(1, 5)));
  const attendeeCodes = AGENCIES.map((a) => a._id).filter((code) => !absent.has(code));
  return {
    _id: m.id,
    title: meetingTitle(m.heldOn),
    heldOn: m.heldOn,
    venue: VENUES[m.host]!,
    regionCode: OKU_RAYA_REGENCIES[0]!,
    chairCode: SECRETARIAT,
    attendeeCodes,
    conclusions: conclusions(tally, i, attendeeCodes.length, targets, name),
  };
}

function operationDocument(
  tally: HistoryTally,
  o: PlannedOperation,
  n: number,
  targets: string[][],
  name: Names,
): JointOperationDoc {
  const legacy = LEGACY_OPERATIONS.find((l) => l._id === o.id);
  const districts = o.districts ?? [targets[o.meeting]![o.slot]!];
  const regency = districts[0]!.slice(0, 5);
  const day = tally.plan.meetings.length + n;
  let f = emptyFigures();
  for (const d of districts) f = addFigures(f, tally.figuresOf(day, d));
  const rng = new Rng(SEED, 7_003, n);
  return {
    _id: o.id,
    name: legacy?.name ?? operationName(rng, districts[0]!, name),
    regionCode: regency,
    startedOn: o.startedOn,
    endedOn: o.endedOn,
    agencyCodes: legacy?.agencyCodes ?? operationAgencies(rng, regency, districts[0]!),
    foreignersChecked: f.flagged,
    findings: operationFindings(o, districts, f, name),
  };
}

/** What meeting `i` concludes, from the figures of its day and of the interval before it. */
function conclusions(tally: HistoryTally, i: number, attending: number, targets: string[], name: Names): string {
  const m = tally.plan.meetings[i]!;
  const previous = tally.plan.meetings[i - 1]!;
  const per = (pick: (f: DistrictFigures) => number, unit = 'WNA') =>
    listJoin(OKU_RAYA_REGENCIES.map((r) => `${name(r)} ${pick(tally.figuresOf(i, r))} ${unit}`));
  const total = (pick: (f: DistrictFigures) => number) =>
    OKU_RAYA_REGENCIES.reduce((s, r) => s + pick(tally.figuresOf(i, r)), 0);
  const incidents = OKU_RAYA_REGENCIES.map((r) => tally.occurrences('incidents', i, r));
  const reports = OKU_RAYA_REGENCIES.map((r) => tally.occurrences('reports', i, r));
  const political = OKU_RAYA_REGENCIES.reduce(
    (s, r) => s + tally.occurrences('reports', i, `${r}/POLITICAL_ACTIVITY`),
    0,
  );
  const illegalWork = OKU_RAYA_REGENCIES.reduce((s, r) => s + tally.occurrences('reports', i, `${r}/ILLEGAL_WORK`), 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const lines = [
    `Rapat dipimpin oleh Kepala ${OKU_RAYA_IMMIGRATION_OFFICE} selaku sekretariat TIMPORA OKU Raya dan dihadiri ${attending} instansi anggota. Berdasarkan data TIMPORA Hub per ${tanggal(m.heldOn)}:`,
    `1. WNA yang berada di wilayah (izin tinggal berlaku dan tidak tercatat keluar sejak kedatangan terakhir): ${per((f) => f.present, 'orang')}.`,
    `2. Pemegang ITAS yang izin tinggalnya berakhir sebelum rapat berikutnya (${tanggal(m.nextOn)}): ${per((f) => f.itasExpiringBeforeNext)}. Kantor Imigrasi menyurati para penjamin agar permohonan perpanjangan diajukan paling lambat 30 hari sebelum izin tinggal berakhir.`,
    `3. Pemegang ITAS/ITAP yang belum memiliki SKTT yang berlaku: ${per((f) => f.noSktt)}; yang belum memiliki SKLD yang berlaku: ${per((f) => f.noSkld)}. Dinas Dukcapil dan Satintelkam Polres menindaklanjuti melalui penjamin masing-masing.`,
    total((f) => f.overstay) > 0
      ? `4. WNA yang melampaui izin tinggal (overstay) dan masih berada di wilayah: ${per((f) => f.overstay)}. Data diserahkan kepada Kantor Imigrasi untuk pemeriksaan dan tindakan administratif keimigrasian.`
      : '4. Tidak tercatat WNA yang melampaui izin tinggal (overstay) di wilayah OKU Raya.',
    `5. Sejak rapat tanggal ${tanggal(previous.heldOn)} tercatat ${sum(incidents)} kejadian yang melibatkan WNA (${listJoin(OKU_RAYA_REGENCIES.map((r, k) => `${name(r)} ${incidents[k]}`))}) dan ${sum(reports)} laporan masyarakat (${listJoin(OKU_RAYA_REGENCIES.map((r, k) => `${name(r)} ${reports[k]}`))}), di antaranya ${illegalWork} laporan dugaan WNA bekerja tanpa izin${political > 0 ? ` dan ${political} laporan terkait kegiatan politik menjelang Pilkada 27 November 2024; seluruhnya telah diklarifikasi dan tidak ditemukan WNA yang terlibat politik praktis` : ''}.`,
    `6. ${THEMES[m.heldOn.getUTCMonth() + 1]!(m.heldOn.getUTCFullYear())}`,
    `7. Disepakati operasi gabungan sebelum rapat berikutnya di Kecamatan ${name(targets[0]!)} (${name(targets[0]!.slice(0, 5))}) dan Kecamatan ${name(targets[1]!)} (${name(targets[1]!.slice(0, 5))}), dengan sasaran WNA yang belum memiliki SKTT atau SKLD, overstay, atau izin tinggalnya berakhir dalam 30 hari.`,
  ];
  return lines.join('\n');
}

/** The day's date as officers write it: `11 Desember 2024`. */
export function tanggal(date: Date): string {
  return new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    date,
  );
}

/** "A, B dan C". */
function listJoin(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} dan ${items.at(-1)}`;
}

/** The seat district of each regency, where the data names no district to visit. */
const SEATS: Record<string, string> = { '16.01': '16.01.14', '16.08': '16.08.01', '16.09': '16.09.01' };

const VENUES: Record<string, string> = {
  '16.01': 'Aula Pemerintah Kabupaten Ogan Komering Ulu, Baturaja',
  '16.08': 'Ruang Rapat Sekretariat Daerah Kabupaten Ogan Komering Ulu Timur, Martapura',
  '16.09': 'Aula Kantor Bupati Ogan Komering Ulu Selatan, Muaradua',
};

/** Members that now and then send nobody (the core members always attend). */
const OCCASIONALLY_ABSENT = [
  'KOREM-044-GAPO',
  'BIN-SUMSEL',
  'BEACUKAI-PALEMBANG',
  'DPMPTSP-OKU',
  'CAMAT-BATURAJA-BARAT',
  'CAMAT-PENINJAUAN',
  'CAMAT-BELITANG',
  'CAMAT-MUARA-DUA',
  'DISPAR-OKUS',
  'KEJARI-OKUS',
];

const ROMAN_QUARTER = ['I', 'II', 'III', 'IV'] as const;

function meetingTitle(day: Date): string {
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth() + 1;
  const quarter = ROMAN_QUARTER[Math.floor((month - 1) / 3)]!;
  const topic =
    month === 12
      ? year === 2024
        ? 'Evaluasi Pengawasan Orang Asing pada Pilkada Serentak 2024'
        : `Evaluasi Pengawasan Orang Asing Tahun ${year} dan Rencana Kerja Tahun ${year + 1}`
      : month === 3
        ? 'Pengawasan Orang Asing selama Ramadan dan Idulfitri'
        : month === 6
          ? 'Pengawasan Tenaga Kerja Asing di Sektor Perkebunan, Pertambangan dan Energi'
          : 'Sinkronisasi Data Izin Tinggal, SKTT dan SKLD Orang Asing';
  return `Rapat Koordinasi Tim Pengawasan Orang Asing (TIMPORA) OKU Raya Triwulan ${quarter} Tahun ${year}: ${topic}`;
}

const THEMES: Record<number, (year: number) => string> = {
  12: (year) =>
    `Evaluasi tahun ${year}: pertukaran data antaranggota melalui TIMPORA Hub dilanjutkan; rencana kerja tahun ${year + 1} memuat operasi gabungan setiap triwulan dan pengawasan menjelang libur Natal dan Tahun Baru di penginapan dan objek wisata.`,
  3: () =>
    'Selama Ramadan dan libur Idulfitri pengawasan difokuskan pada penginapan, objek wisata Danau Ranau dan mes pekerja; Kantor Kementerian Agama mendata rohaniawan asing dan kegiatan keagamaan yang melibatkan WNA serta melaporkannya kepada sekretariat.',
  6: () =>
    'Dinas Tenaga Kerja kabupaten bersama pengawas ketenagakerjaan Disnakertrans Provinsi Sumatera Selatan mencocokkan TKA di perkebunan, tambang dan pembangkit listrik dengan RPTKA dan notifikasi kerja; perusahaan yang mempekerjakan TKA di luar jabatan yang disetujui dipanggil untuk klarifikasi.',
  9: () =>
    'Dinas Dukcapil dan Polres menyinkronkan data SKTT dan SKLD dengan data izin tinggal Kantor Imigrasi; camat dan kepala desa diminta meneruskan laporan warga tentang orang asing melalui Kesbangpol.',
};

function operationName(rng: Rng, district: string, name: Names): string {
  const where = `Kecamatan ${name(district)}`;
  return rng.pick([
    `Operasi Gabungan TIMPORA ${name(district.slice(0, 5))} di ${where}`,
    `Pengawasan Gabungan Orang Asing di ${where}`,
    `Operasi Pengawasan Orang Asing dan Tenaga Kerja Asing ${where}`,
    `Operasi Jagratara TIMPORA OKU Raya di ${where}`,
  ]);
}

const REGENCY_SHORT: Record<string, string> = { '16.01': 'OKU', '16.08': 'OKUT', '16.09': 'OKUS' };

function operationAgencies(rng: Rng, regency: string, district: string): string[] {
  const short = REGENCY_SHORT[regency]!;
  const camat = AGENCIES.find((a) => a.regionCode === district && a._id.startsWith('CAMAT-'));
  const codes = [
    'KANIM-BATURAJA',
    `POLRES-${short}`,
    `DUKCAPIL-${short}`,
    `DISNAKER-${short}`,
    `SATPOLPP-${short}`,
    `KESBANGPOL-${short}`,
  ];
  if (rng.chance(0.6)) codes.push('KODIM-0403-OKU');
  if (rng.chance(0.5)) codes.push(`KEMENAG-${short}`);
  if (rng.chance(0.4)) codes.push('DISNAKERTRANS-SUMSEL');
  if (camat) codes.push(camat._id);
  for (const code of codes) agencyName(code); // every code names a member
  return codes;
}

function operationFindings(o: PlannedOperation, districts: readonly string[], f: DistrictFigures, name: Names): string {
  const where = listJoin(districts.map((d) => `Kecamatan ${name(d)}`));
  const regency = name(districts[0]!.slice(0, 5));
  if (f.flagged === 0) {
    return `Tim gabungan mendatangi perusahaan, mes pekerja dan penginapan di ${where}, ${regency}, pada ${tanggal(o.startedOn)}–${tanggal(o.endedOn)}. Tidak terdapat WNA yang tercatat belum memiliki SKTT atau SKLD, overstay, atau izin tinggalnya berakhir dalam 30 hari; tidak ditemukan pelanggaran.`;
  }
  const parts = [
    f.noSktt > 0
      ? `${f.noSktt} pemegang ITAS/ITAP belum memiliki SKTT dan diarahkan mendaftar ke Dinas Dukcapil`
      : 'seluruh pemegang ITAS/ITAP telah memiliki SKTT',
    f.noSkld > 0
      ? `${f.noSkld} belum memiliki SKLD dan diarahkan melapor diri ke Satintelkam Polres`
      : 'seluruhnya telah memiliki SKLD',
    f.itasExpiring30 > 0
      ? `${f.itasExpiring30} pemegang ITAS yang izin tinggalnya berakhir dalam 30 hari diingatkan agar penjamin segera mengajukan perpanjangan`
      : 'tidak ada ITAS yang berakhir dalam 30 hari',
    f.overstay > 0
      ? `${f.overstay} WNA melampaui izin tinggal (overstay) dan diserahkan ke ${OKU_RAYA_IMMIGRATION_OFFICE} untuk tindakan administratif keimigrasian`
      : 'tidak ditemukan WNA overstay',
  ];
  return (
    `Tim gabungan memeriksa ${f.flagged} WNA di ${where}, ${regency}, yang menurut data TIMPORA Hub per ${tanggal(o.startedOn)} belum memenuhi kewajiban lapor atau izin tinggalnya bermasalah. ` +
    `Hasil: ${listJoin(parts)}. Satu WNA dapat tercatat pada lebih dari satu temuan.`
  );
}
