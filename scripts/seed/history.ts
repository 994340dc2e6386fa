/**
 * TIMPORA OKU Raya's history up to the reference date: the meeting of 25 September 2024, then a
 * coordination meeting every quarter (the second Wednesday of December, March, June and
 * September, rotating among the three regency seats) and joint operations between meetings.
 *
 * The dates depend only on the reference date; what the meetings conclude and what the
 * operations find is computed from the seeded records as they stood on that day, so a
 * conclusion such as "37 WNA pemegang ITAS … berakhir sebelum …" is what the hub itself answers
 * for that date. The seed feeds every batch of foreigners to a {@link HistoryTally}, which keeps
 * counters per district and date only (constant memory, whatever the count), and writes the
 * meetings and operations after the last batch.
 */
import type { RegionRecord } from '../../common/regions.js';
import type { CoordinationMeetingDoc, JointOperationDoc } from '../../subgraphs/immigration/src/models/coordination.js';
import type { StayPermitDoc } from '../../subgraphs/immigration/src/models/foreigner.js';
import {
  AGENCIES,
  FIRST_MEETING,
  LEGACY_OPERATIONS,
  OKU_RAYA_IMMIGRATION_OFFICE,
  OKU_RAYA_REGENCIES,
  SECRETARIAT,
  agencyName,
} from './coordination.js';
import { DAY_MS, addDays, utcDate } from './dates.js';
import type { SeedDocs } from './person.js';
import { Rng, SEED } from './random.js';

const HOLDER_TYPES: ReadonlySet<string> = new Set(['LIMITED_STAY', 'PERMANENT_STAY']);

/** The day's date as officers write it: `11 Desember 2024`. */
export function tanggal(date: Date): string {
  return new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    date,
  );
}

/** The second Wednesday of a month (meetings avoid the month's first days and its end). */
function secondWednesday(year: number, month: number): Date {
  const first = utcDate(year, month, 1);
  const offset = (3 - first.getUTCDay() + 7) % 7;
  return addDays(first, offset + 7);
}

/** The regular meeting after `date` (quarterly: December, March, June, September). */
function nextQuarterlyMeeting(date: Date): Date {
  let year = date.getUTCFullYear();
  let month = date.getUTCMonth() + 1;
  for (;;) {
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
    if (month % 3 === 0) {
      const candidate = secondWednesday(year, month);
      if (candidate.getTime() > date.getTime()) return candidate;
    }
  }
}

export interface PlannedMeeting {
  id: string;
  heldOn: Date;
  /** The next regular meeting (even when it falls after the reference date). */
  nextOn: Date;
  /** The regency whose seat hosts it. */
  host: string;
}

export interface PlannedOperation {
  id: string;
  startedOn: Date;
  endedOn: Date;
  /** The meeting that agreed on it (index into the meetings). */
  meeting: number;
  /** Fixed districts (the operations of 2024–2025 named in the record), or a slot the data fills. */
  districts: readonly string[] | null;
  slot: 0 | 1;
}

export interface HistoryPlan {
  meetings: PlannedMeeting[];
  operations: PlannedOperation[];
}

/** Meetings held before the reference date, and the operations that ended before it. */
export function planHistory(referenceDate: Date): HistoryPlan {
  const before = (d: Date) => d.getTime() < referenceDate.getTime();
  const meetings: PlannedMeeting[] = [];
  for (let day = FIRST_MEETING.heldOn, i = 0; before(day); day = nextQuarterlyMeeting(day), i++) {
    meetings.push({
      id: i === 0 ? FIRST_MEETING._id : `RAKOR-TIMPORA-OKURAYA-${day.toISOString().slice(0, 10)}`,
      heldOn: day,
      nextOn: nextQuarterlyMeeting(day),
      host: OKU_RAYA_REGENCIES[i % 3]!,
    });
  }
  const operations: PlannedOperation[] = [];
  const meetingBefore = (d: Date) => meetings.findLastIndex((m) => m.heldOn.getTime() <= d.getTime());
  for (const legacy of LEGACY_OPERATIONS) {
    if (!before(addDays(legacy.endedOn, 1))) continue;
    operations.push({
      id: legacy._id,
      startedOn: legacy.startedOn,
      endedOn: legacy.endedOn,
      meeting: meetingBefore(legacy.startedOn),
      districts: legacy.districts,
      slot: 0,
    });
  }
  meetings.forEach((m, i) => {
    if (i === 0) return; // the operations agreed in September 2024 are in the record
    const rng = new Rng(SEED, 7_001, i);
    const taken = operations.filter((o) => o.meeting === i).length;
    for (const slot of [0, 1] as const) {
      if (slot >= 2 - taken) continue; // an operation in the record takes the later slot
      // three to five weeks after the meeting, then seven to ten; Monday to Wednesday or Thursday
      let start = addDays(m.heldOn, slot === 0 ? rng.int(21, 35) : rng.int(49, 70));
      while (start.getUTCDay() !== 1) start = addDays(start, 1);
      // not in the week of Independence Day, Christmas or New Year
      if (['08-1', '12-2', '12-3', '01-0'].some((d) => start.toISOString().slice(5, 9) === d))
        start = addDays(start, 7);
      const endedOn = addDays(start, rng.int(1, 3));
      if (endedOn.getTime() >= m.nextOn.getTime() || !before(addDays(endedOn, 1))) continue;
      const month = start.toISOString().slice(0, 7);
      operations.push({
        id: `OPS-TIMPORA-OKURAYA-${month}-${slot + 1}`,
        startedOn: start,
        endedOn,
        meeting: i,
        districts: null,
        slot,
      });
    }
  });
  operations.sort((a, b) => a.startedOn.getTime() - b.startedOn.getTime() || a.id.localeCompare(b.id));
  return { meetings, operations };
}

/** What the hub knows about a district on a day. */
export interface DistrictFigures {
  /** Permit in force and no exit since the last entry. */
  present: number;
  /** Present ITAS holders whose permit ends before the next meeting (meeting days only). */
  itasExpiringBeforeNext: number;
  /** Present ITAS holders whose permit ends within 30 days. */
  itasExpiring30: number;
  /** Present ITAS/ITAP holders without an SKTT valid that day. */
  noSktt: number;
  /** Present ITAS/ITAP holders without an SKLD valid that day. */
  noSkld: number;
  /** No permit in force, the last one expired (not revoked), and no exit since the last entry. */
  overstay: number;
  /** Foreigners in any of the four groups above (what an operation visits). */
  flagged: number;
}

const emptyFigures = (): DistrictFigures => ({
  present: 0,
  itasExpiringBeforeNext: 0,
  itasExpiring30: 0,
  noSktt: 0,
  noSkld: 0,
  overstay: 0,
  flagged: 0,
});

function addFigures(a: DistrictFigures, b: DistrictFigures): DistrictFigures {
  const out = emptyFigures();
  for (const k of Object.keys(out) as (keyof DistrictFigures)[]) out[k] = a[k] + b[k];
  return out;
}

/** One foreigner's records, as the tally reads them. */
export interface ForeignerRecords {
  permits: readonly StayPermitDoc[];
  crossings: readonly { direction: string; crossedAt: Date }[];
  actions: readonly { type: string; decidedAt: Date }[];
  residences: readonly { registeredAt: Date; validUntil: Date }[];
  selfReports: readonly { issuedAt: Date; validUntil: Date }[];
}

/**
 * A foreigner's standing at instant `t` (the start of the day, UTC): what each figure counts.
 * `until` is the next meeting, for the permits ending before it.
 */
export function standingAt(r: ForeignerRecords, t: number, until: number | null) {
  const revokedAt = Math.min(
    ...r.actions
      .filter((a) => a.type === 'PERMIT_REVOCATION' || a.type === 'DEPORTATION')
      .map((a) => a.decidedAt.getTime()),
  );
  const issued = r.permits.filter((p) => p.issuedAt.getTime() <= t);
  const inForce = issued.filter((p) => t < p.expiresAt.getTime() && !(p.status === 'REVOKED' && revokedAt <= t));
  let last: { direction: string; crossedAt: Date } | null = null;
  for (const c of r.crossings) {
    if (c.crossedAt.getTime() <= t && (!last || c.crossedAt.getTime() >= last.crossedAt.getTime())) last = c;
  }
  const inside = last?.direction === 'ENTRY';
  const present = inside && inForce.length > 0;
  const holder = present && inForce.some((p) => HOLDER_TYPES.has(p.type));
  const itas = inForce.filter((p) => p.type === 'LIMITED_STAY');
  const itasEnd = itas.length > 0 ? Math.max(...itas.map((p) => p.expiresAt.getTime())) : null;
  const noSktt = holder && !r.residences.some((d) => d.registeredAt.getTime() <= t && t < d.validUntil.getTime());
  const noSkld = holder && !r.selfReports.some((d) => d.issuedAt.getTime() <= t && t < d.validUntil.getTime());
  const overstay =
    inside &&
    inForce.length === 0 &&
    issued.length > 0 &&
    !(revokedAt <= t) &&
    Math.max(...issued.map((p) => p.expiresAt.getTime())) <= t;
  const itasExpiring30 = present && itasEnd !== null && itasEnd < t + 30 * DAY_MS;
  return {
    present,
    itasExpiringBeforeNext: present && itasEnd !== null && until !== null && itasEnd < until,
    itasExpiring30,
    noSktt,
    noSkld,
    overstay,
    flagged: noSktt || noSkld || overstay || itasExpiring30,
  };
}

function groupBy<T extends { foreignerId: string }>(docs: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const d of docs) {
    const list = out.get(d.foreignerId);
    if (list) list.push(d);
    else out.set(d.foreignerId, [d]);
  }
  return out;
}

/** Counters of the history's days, fed batch by batch. */
export class HistoryTally {
  /** Meeting days, then operation start days. */
  private readonly days: { t: number; until: number | null }[];
  /** Per day, per district of OKU Raya. */
  private readonly figures: Map<string, DistrictFigures>[];
  /** Incidents and community reports per meeting interval and regency, by category for reports. */
  private readonly incidents: Map<string, number>[];
  private readonly reports: Map<string, number>[];

  constructor(readonly plan: HistoryPlan) {
    this.days = [
      ...plan.meetings.map((m) => ({ t: m.heldOn.getTime(), until: m.nextOn.getTime() })),
      ...plan.operations.map((o) => ({ t: o.startedOn.getTime(), until: null })),
    ];
    this.figures = this.days.map(() => new Map());
    this.incidents = plan.meetings.map(() => new Map());
    this.reports = plan.meetings.map(() => new Map());
  }

  /** The meeting interval [previous meeting, meeting) an instant falls in, or -1. */
  private interval(t: number): number {
    const meetings = this.plan.meetings;
    for (let i = 1; i < meetings.length; i++) {
      if (meetings[i - 1]!.heldOn.getTime() <= t && t < meetings[i]!.heldOn.getTime()) return i;
    }
    return -1;
  }

  observe(docs: SeedDocs): void {
    const permits = groupBy(docs.stayPermits);
    const crossings = groupBy(docs.borderCrossings);
    const actions = groupBy(docs.immigrationActions);
    const residences = groupBy(docs.residences);
    const selfReports = groupBy(docs.selfReports);
    for (const f of docs.foreigners) {
      if (!f.domicileRegency || !OKU_RAYA_REGENCIES.includes(f.domicileRegency) || !f.domicileDistrict) continue;
      const records: ForeignerRecords = {
        permits: permits.get(f._id) ?? [],
        crossings: crossings.get(f._id) ?? [],
        actions: actions.get(f._id) ?? [],
        residences: residences.get(f._id) ?? [],
        selfReports: selfReports.get(f._id) ?? [],
      };
      this.days.forEach((day, i) => {
        const s = standingAt(records, day.t, day.until);
        if (!s.present && !s.overstay) return;
        const map = this.figures[i]!;
        const current = map.get(f.domicileDistrict!) ?? emptyFigures();
        for (const k of Object.keys(current) as (keyof DistrictFigures)[]) if (s[k]) current[k]++;
        map.set(f.domicileDistrict!, current);
      });
    }
    const bump = (maps: Map<string, number>[], t: number, key: string) => {
      const i = this.interval(t);
      if (i >= 0) maps[i]!.set(key, (maps[i]!.get(key) ?? 0) + 1);
    };
    for (const x of docs.incidents) {
      if (x.regionRegency && OKU_RAYA_REGENCIES.includes(x.regionRegency))
        bump(this.incidents, x.occurredAt.getTime(), x.regionRegency);
    }
    for (const r of docs.communityReports) {
      if (!r.regionRegency || !OKU_RAYA_REGENCIES.includes(r.regionRegency)) continue;
      bump(this.reports, r.reportedAt.getTime(), r.regionRegency);
      bump(this.reports, r.reportedAt.getTime(), `${r.regionRegency}/${r.category}`);
    }
  }

  /** Figures of a day (index into meetings, then operations) summed over districts under `prefix`. */
  figuresOf(day: number, prefix: string): DistrictFigures {
    let out = emptyFigures();
    for (const [code, f] of this.figures[day]!) {
      if (code === prefix || code.startsWith(`${prefix}.`)) out = addFigures(out, f);
    }
    return out;
  }

  private districtsOf(day: number, regency: string): [string, DistrictFigures][] {
    return [...this.figures[day]!].filter(([code]) => code.startsWith(`${regency}.`));
  }

  /** The meetings and operations, written from the counters. */
  documents(regions: { get(code: string): RegionRecord | undefined }): {
    meetings: CoordinationMeetingDoc[];
    operations: JointOperationDoc[];
  } {
    const { meetings, operations } = this.plan;
    const name = (code: string) => regions.get(code)?.name ?? code;
    // each meeting picks two districts to visit: the one with most foreigners to check in the
    // regency that has most, and one in another regency (in turn), skipping the districts
    // visited after the two previous meetings
    const targets: string[][] = [];
    meetings.forEach((m, i) => {
      const recent = new Set(targets.slice(-2).flat());
      const top = (regency: string) =>
        this.districtsOf(i, regency)
          .filter(([code]) => !recent.has(code))
          .sort(([a, x], [b, y]) => y.flagged - x.flagged || a.localeCompare(b))[0]?.[0] ?? SEATS[regency]!;
      const first = [...OKU_RAYA_REGENCIES].sort(
        (a, b) => this.figuresOf(i, b).flagged - this.figuresOf(i, a).flagged || a.localeCompare(b),
      )[0]!;
      const others = OKU_RAYA_REGENCIES.filter((r) => r !== first);
      targets.push([top(first), top(others[i % 2]!)]);
    });
    const meetingDocs = meetings.map((m, i): CoordinationMeetingDoc => {
      if (i === 0) return { ...FIRST_MEETING };
      const rng = new Rng(SEED, 7_002, i);
      const absent = new Set(rng.sample(OCCASIONALLY_ABSENT, rng.int(1, 5)));
      const attendeeCodes = AGENCIES.map((a) => a._id).filter((code) => !absent.has(code));
      const venue = VENUES[m.host]!;
      return {
        _id: m.id,
        title: meetingTitle(m.heldOn),
        heldOn: m.heldOn,
        venue,
        regionCode: OKU_RAYA_REGENCIES[0]!,
        chairCode: SECRETARIAT,
        attendeeCodes,
        conclusions: this.conclusions(i, attendeeCodes.length, targets[i]!, name),
      };
    });
    const operationDocs = operations.map((o, n): JointOperationDoc => {
      const legacy = LEGACY_OPERATIONS.find((l) => l._id === o.id);
      const districts = o.districts ?? [targets[o.meeting]![o.slot]!];
      const regency = districts[0]!.slice(0, 5);
      const day = meetings.length + n;
      let f = emptyFigures();
      for (const d of districts) f = addFigures(f, this.figuresOf(day, d));
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
    });
    return { meetings: meetingDocs, operations: operationDocs };
  }

  private conclusions(i: number, attending: number, targets: string[], name: (code: string) => string): string {
    const m = this.plan.meetings[i]!;
    const previous = this.plan.meetings[i - 1]!;
    const per = (pick: (f: DistrictFigures) => number, unit = 'WNA') =>
      listJoin(OKU_RAYA_REGENCIES.map((r) => `${name(r)} ${pick(this.figuresOf(i, r))} ${unit}`));
    const total = (pick: (f: DistrictFigures) => number) =>
      OKU_RAYA_REGENCIES.reduce((s, r) => s + pick(this.figuresOf(i, r)), 0);
    const count = (maps: Map<string, number>[], key: string) => maps[i]!.get(key) ?? 0;
    const incidents = OKU_RAYA_REGENCIES.map((r) => count(this.incidents, r));
    const reports = OKU_RAYA_REGENCIES.map((r) => count(this.reports, r));
    const political = OKU_RAYA_REGENCIES.reduce((s, r) => s + count(this.reports, `${r}/POLITICAL_ACTIVITY`), 0);
    const illegalWork = OKU_RAYA_REGENCIES.reduce((s, r) => s + count(this.reports, `${r}/ILLEGAL_WORK`), 0);
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

function operationName(rng: Rng, district: string, name: (code: string) => string): string {
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

function operationFindings(
  o: PlannedOperation,
  districts: readonly string[],
  f: DistrictFigures,
  name: (code: string) => string,
): string {
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
