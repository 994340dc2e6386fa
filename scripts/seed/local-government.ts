/**
 * Local government's records of the demo foreigners: residence certificates (SKTT) from
 * Dukcapil, employment with its work permit (RPTKA / work notification) from Disnaker, and
 * community reports from camat offices, village heads and Satpol PP — some naming a known
 * foreigner, some about foreigners nobody has identified, several around the regional
 * elections of 27 November 2024.
 */
import { regionAncestryFields, type RegionRecord } from '../../common/regions.js';
import type {
  CommunityReportDoc,
  ReportCategory,
  ReportStatus,
} from '../../subgraphs/local-government/src/models/community-report.js';
import type {
  EmployerSector,
  EmploymentDoc,
  ResidenceDoc,
} from '../../subgraphs/local-government/src/models/foreigner.js';
import { RECORD_REGION_FIELDS } from '../../subgraphs/local-government/src/models/region.js';
import {
  addDays,
  atLocalTime,
  daysBetween,
  maxDate,
  minDate,
  randomDay,
  randomDayWithin,
  romanMonth,
  utcDate,
} from './dates.js';
import type { Person, SeedDocs, SeedWorld } from './person.js';
import { dukcapilFor, shortRegencyName, villageLabel, type Sector } from './places.js';
import { Rng, SEED, type Weighted } from './random.js';

const EMPLOYER_SECTOR: Record<Sector, EmployerSector> = {
  PALM_OIL: 'PLANTATION',
  AGRIBUSINESS: 'PLANTATION',
  COAL_MINING: 'MINING',
  MINING: 'MINING',
  POWER_PLANT: 'ENERGY',
  GEOTHERMAL: 'ENERGY',
  OIL_GAS: 'ENERGY',
  CEMENT: 'MANUFACTURING',
  PULP_PAPER: 'MANUFACTURING',
  CONSTRUCTION: 'CONSTRUCTION',
  HOSPITALITY: 'HOSPITALITY',
  LOGISTICS: 'OTHER',
  CONSULTING: 'OTHER',
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Polling day of the 2024 regional elections (Pilkada serentak). */
const ELECTION_DAY = utcDate(2024, 11, 27);

export function emitLocalGovernment(gen: SeedWorld, rng: Rng, person: Person, out: SeedDocs): void {
  emitResidences(gen, rng, person, out);
  emitEmployment(gen, rng, person, out);
  emitLinkedReport(gen, rng, person, out);
  // reports about unidentified foreigners: about one per hundred foreigners, from its own stream
  const own = new Rng(SEED, person.index, 7);
  if (own.chance(0.015)) emitUnlinkedReport(gen, own, person, out);
}

function emitResidences(gen: SeedWorld, rng: Rng, person: Person, out: SeedDocs): void {
  if (person.withoutSktt) return;
  const permits = person.permits.filter((p) => p.type === 'LIMITED_STAY' || p.type === 'PERMANENT_STAY');
  const office = dukcapilFor(gen.places, person.village.code);
  const latestDay = minDate(gen.stayEnd(person), gen.lastDay);
  let n = 0;
  permits.forEach((permit, i) => {
    if (i < permits.length - 2 && !rng.chance(0.5)) return;
    const registeredAt = addDays(permit.issuedAt, rng.int(5, 45));
    if (registeredAt.getTime() > latestDay.getTime() || registeredAt.getTime() >= permit.expiresAt.getTime()) return;
    const year = registeredAt.getUTCFullYear();
    const serial = gen.nextSerial(`SKTT ${office.short} ${year}`);
    const doc = {
      _id: `${person.id}-SKTT${++n}`,
      foreignerId: person.id,
      number: `474.1/${pad(serial, 4)}/SKTT/DISDUKCAPIL ${office.short}/${year}`,
      address: person.address,
      ...regionAncestryFields(person.village.code, RECORD_REGION_FIELDS),
      registeredAt,
      validUntil: permit.expiresAt,
      createdAt: atLocalTime(rng, registeredAt, 8, 15),
    } as ResidenceDoc;
    out.residences.push(doc);
  });
}

function emitEmployment(gen: SeedWorld, rng: Rng, person: Person, out: SeedDocs): void {
  if (!person.company || !person.position || (person.category !== 'WORK' && person.category !== 'INVESTMENT')) return;
  const workPermits = person.permits.filter((p) => p.type === 'LIMITED_STAY');
  const first = workPermits[0];
  const last = workPermits[workPermits.length - 1];
  if (!first || !last) return;
  // the work notification in force is the one for the latest permit
  const issued = minDate(addDays(last.issuedAt, -rng.int(7, 30)), gen.lastDay);
  const serial = gen.nextSerial(`RPTKA ${issued.getUTCFullYear()}`);
  let endedOn: Date | null = null;
  if (person.departed) endedOn = person.departed;
  else if (person.fate === 'OVERSTAY' || person.fate === 'REVOKED') endedOn = minDate(last.expiresAt, gen.lastDay);
  if (person.revokedOn) endedOn = person.revokedOn;
  const startedOn = first.issuedAt;
  const doc = {
    _id: `${person.id}-KERJA1`,
    foreignerId: person.id,
    employer: person.company.name,
    employerSector: EMPLOYER_SECTOR[person.company.sector],
    position: person.position,
    workPermitNumber: `B.3/${pad(serial, 5)}/PK.04.01/${romanMonth(issued)}/${issued.getUTCFullYear()}`,
    ...regionAncestryFields(person.company.village.code, RECORD_REGION_FIELDS),
    startedOn,
    endedOn: endedOn && endedOn.getTime() > startedOn.getTime() ? endedOn : null,
    createdAt: atLocalTime(rng, startedOn, 8, 15),
  } as EmploymentDoc;
  out.employments.push(doc);
}

function reportStatus(rng: Rng, gen: SeedWorld, day: Date): ReportStatus {
  const age = daysBetween(day, gen.today);
  if (age > 120)
    return rng.weighted([
      ['CLOSED', 60],
      ['FORWARDED', 30],
      ['VERIFIED', 10],
    ]);
  if (age > 14)
    return rng.weighted([
      ['VERIFIED', 35],
      ['FORWARDED', 40],
      ['CLOSED', 25],
    ]);
  return rng.weighted([
    ['RECEIVED', 70],
    ['VERIFIED', 30],
  ]);
}

function reporter(rng: Rng, gen: SeedWorld, village: RegionRecord): string {
  const district = gen.places.get(village.parentCode!);
  const regency = gen.places.get(district.parentCode!);
  const urban = (village.code.split('.')[3] ?? '').startsWith('1');
  return rng.weighted<string>([
    [`Kantor Camat ${district.name}`, 35],
    [urban ? `Lurah ${village.name}` : `Kepala Desa ${village.name}`, 30],
    [`Ketua RT ${pad(rng.int(1, 12), 3)} ${urban ? 'Kelurahan' : 'Desa'} ${village.name}`, 10],
    [`Satuan Polisi Pamong Praja ${regency.name}`, 15],
    [`Badan Kesatuan Bangsa dan Politik ${regency.name}`, 10],
  ]);
}

function pushReport(
  gen: SeedWorld,
  rng: Rng,
  out: SeedDocs,
  id: string,
  category: ReportCategory,
  village: RegionRecord,
  day: Date,
  description: string,
  foreignerId: string | null,
): void {
  const reportedAt = atLocalTime(rng, day, 8, 20);
  out.communityReports.push({
    _id: id,
    category,
    ...regionAncestryFields(village.code, RECORD_REGION_FIELDS),
    reportedAt,
    description,
    reportedBy: reporter(rng, gen, village),
    foreignerId,
    status: reportStatus(rng, gen, day),
    createdAt: new Date(reportedAt.getTime() + rng.int(5, 180) * 60_000),
  } as CommunityReportDoc);
}

/** Reports that name a known foreigner: overstayers, unregistered residents, illegal work, the elections. */
function emitLinkedReport(gen: SeedWorld, rng: Rng, person: Person, out: SeedDocs): void {
  const id = `${person.id}-LAPMAS1`;
  const place = gen.places.nearbyVillage(rng, person.village.code);
  const where = villageLabel(place);
  const latest = person.permits.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
  const end = minDate(gen.stayEnd(person), gen.lastDay);
  if (person.fate === 'OVERSTAY' && rng.chance(0.4)) {
    const day = randomDay(rng, addDays(latest.expiresAt, 1), gen.lastDay);
    const category = person.company && rng.chance(0.5) ? 'ILLEGAL_WORK' : 'UNREGISTERED_STAY';
    pushReport(
      gen,
      rng,
      out,
      id,
      category,
      place,
      day,
      category === 'ILLEGAL_WORK'
        ? `Seorang WNA masih bekerja${person.company ? ` di ${person.company.name}` : ''} padahal, menurut keterangan karyawan perusahaan, izin tinggalnya sudah habis. Dilaporkan untuk diperiksa Kantor Imigrasi.`
        : `Seorang WNA sudah beberapa bulan tinggal di ${where}; kantor desa tidak memiliki data pendaftaran tempat tinggalnya dan pemilik rumah tidak melaporkannya melalui APOA.`,
      person.id,
    );
    return;
  }
  if (person.category === 'VISIT' && person.company && rng.chance(0.12)) {
    const visit = person.permits[person.permits.length - 1]!;
    const day = randomDayWithin(rng, addDays(visit.issuedAt, 3), minDate(addDays(visit.expiresAt, -1), end));
    if (!day) return;
    pushReport(
      gen,
      rng,
      out,
      id,
      'ILLEGAL_WORK',
      person.company.village,
      day,
      `Warga melaporkan seorang WNA setiap hari selama beberapa minggu mengoperasikan peralatan di lokasi ${person.company.name}, sementara perusahaan menyebut kunjungannya sebagai rapat bisnis. Diteruskan ke Disnaker dan Kantor Imigrasi.`,
      person.id,
    );
    return;
  }
  const resident = person.permits.some((p) => p.type === 'LIMITED_STAY' || p.type === 'PERMANENT_STAY');
  if (resident && person.withoutSktt && person.fate === 'STAYING' && rng.chance(0.15)) {
    const day = randomDayWithin(rng, maxDate(addDays(person.arrival, 60), addDays(gen.today, -400)), gen.lastDay);
    if (!day) return;
    pushReport(
      gen,
      rng,
      out,
      id,
      'UNREGISTERED_STAY',
      person.village,
      day,
      `Seorang WNA pemegang izin tinggal berdomisili di ${where} tetapi belum mendaftar ke Dinas Dukcapil (belum memiliki SKTT). Kantor camat meminta penjamin segera mendaftarkan tempat tinggalnya.`,
      person.id,
    );
    return;
  }
  // the regional elections: foreigners seen at campaign events in the weeks before the vote
  const campaignFrom = utcDate(2024, 9, 25);
  const campaignTo = addDays(ELECTION_DAY, 3);
  if (resident && person.arrival < campaignFrom && end > campaignTo && rng.chance(0.008)) {
    const day = randomDay(rng, campaignFrom, campaignTo);
    pushReport(
      gen,
      rng,
      out,
      id,
      'POLITICAL_ACTIVITY',
      place,
      day,
      rng.pick([
        `Seorang WNA terlihat di tengah massa kampanye Pilkada di ${where} mengenakan kaus bergambar pasangan calon. Diklarifikasi oleh Kesbangpol bersama Kantor Imigrasi; yang bersangkutan menyatakan kaus itu dibagikan di pasar.`,
        `Seorang pekerja asing difoto membagikan kalender bergambar pasangan calon di dekat lokasi proyek di ${where} menjelang pemungutan suara 27 November 2024. Diteruskan ke Kantor Imigrasi dan Bawaslu.`,
        `Seorang WNA terlihat di TPS di ${where} pada hari pemungutan suara. Diklarifikasi kepala desa: yang bersangkutan mendampingi pasangannya yang WNI dan tidak ikut memilih.`,
      ]),
      person.id,
    );
    return;
  }
  if (rng.chance(0.004)) {
    const day = randomDayWithin(rng, maxDate(addDays(person.arrival, 7), addDays(gen.today, -900)), end);
    if (!day) return;
    const category = rng.weighted<ReportCategory>([
      ['SUSPICIOUS_ACTIVITY', 2],
      ['DISTURBANCE', 2],
      ['OTHER', 1],
    ]);
    const text: Record<ReportCategory, string> = {
      SUSPICIOUS_ACTIVITY: `Seorang WNA berulang kali terlihat menerbangkan drone di atas pembangkit listrik dan penyeberangan sungai dekat ${where} serta memotret kawasan tersebut.`,
      DISTURBANCE: `Warga ${where} mengeluhkan pesta hingga larut malam di rumah yang disewa orang asing. Diselesaikan oleh kepala desa.`,
      OTHER: `Seorang WNA meminta bantuan kantor desa di ${where} setelah berselisih dengan pemilik rumah soal uang jaminan sewa.`,
      UNREGISTERED_STAY: '',
      ILLEGAL_WORK: '',
      POLITICAL_ACTIVITY: '',
    };
    pushReport(gen, rng, out, id, category, place, day, text[category], person.id);
  }
}

const UNLINKED: Weighted<ReportCategory> = [
  ['UNREGISTERED_STAY', 30],
  ['ILLEGAL_WORK', 25],
  ['POLITICAL_ACTIVITY', 25],
  ['SUSPICIOUS_ACTIVITY', 15],
  ['DISTURBANCE', 10],
  ['OTHER', 5],
];

/** A report about foreigners nobody has identified yet, near where this foreigner lives. */
function emitUnlinkedReport(gen: SeedWorld, rng: Rng, person: Person, out: SeedDocs): void {
  const place = gen.places.nearbyVillage(rng, person.village.code);
  const regency = gen.places.regencyOf(place.code);
  const where = villageLabel(place);
  const category = rng.weighted(UNLINKED);
  const day =
    category === 'POLITICAL_ACTIVITY'
      ? randomDay(rng, utcDate(2024, 9, 1), addDays(ELECTION_DAY, 7))
      : randomDay(rng, addDays(gen.today, -1100), gen.lastDay);
  const count = rng.int(2, 8);
  const texts: Record<ReportCategory, readonly string[]> = {
    UNREGISTERED_STAY: [
      `${count} orang asing sudah sekitar dua minggu menginap di rumah kos di ${where}; pemilik kos belum melaporkan mereka melalui APOA.`,
      `Warga melaporkan beberapa orang asing tinggal di rumah kontrakan di ${where}; perangkat desa tidak mengetahui siapa penjamin mereka.`,
      `Ketua RT di ${where} melaporkan ${count} orang asing menempati rumah kontrakan tanpa melapor kepada RT maupun kantor desa.`,
    ],
    ILLEGAL_WORK: [
      `${count} orang asing terlihat bekerja sebagai tukang las dan buruh di proyek konstruksi di ${where}; menurut pekerja lokal mereka datang dengan visa kunjungan.`,
      `Orang asing mengoperasikan ekskavator di tambang pasir dan batu di ${where}; tidak ada izin kerja yang ditunjukkan kepada kantor camat.`,
      `Warga ${where} mempertanyakan ${count} orang asing yang bekerja sebagai operator mesin di penggilingan padi; perusahaan belum dapat menunjukkan RPTKA.`,
    ],
    POLITICAL_ACTIVITY: [
      `Beberapa orang asing terlihat hadir dalam kegiatan kampanye di ${where} menjelang Pilkada 27 November 2024. Kesbangpol ${shortRegencyName(regency)} meminta TIMPORA melakukan pengecekan.`,
      `Spanduk kampanye pasangan calon Pilkada dipasang di mes pekerja di ${where}; warga mempertanyakan apakah pekerja asing ikut terlibat.`,
      `Seorang WNA dilaporkan merekam kampanye pasangan calon di ${where} dan menanyakan pilihan politik warga.`,
    ],
    SUSPICIOUS_ACTIVITY: [
      `Orang asing terlihat mengambil sampel air dan tanah di sepanjang sungai di ${where} tanpa memberi tahu kantor desa.`,
      `Sekelompok orang asing melakukan pengukuran lahan di ${where} dan menanyakan kepada petani kemungkinan menjual kebunnya.`,
    ],
    DISTURBANCE: [
      `Cekcok antara pekerja asing dan warga di warung makan di ${where}; diselesaikan oleh kepala desa dan Babinsa.`,
      `Warga ${where} keberatan atas kendaraan proyek yang dikemudikan pekerja asing melaju kencang di jalan desa; dimediasi Bhabinkamtibmas.`,
    ],
    OTHER: [
      `Warga menanyakan keberadaan orang asing yang sering terlihat di pasar ${where}; diteruskan ke Kantor Imigrasi sebagai informasi.`,
      `Pengurus masjid di ${where} melaporkan kedatangan rombongan penceramah asing; diteruskan ke Kantor Kementerian Agama dan Kantor Imigrasi untuk pengecekan izin tinggal.`,
    ],
  };
  pushReport(
    gen,
    rng,
    out,
    `LAPMAS-${pad(person.index + 1, 6)}`,
    category,
    place,
    day,
    rng.pick(texts[category]),
    null,
  );
}
