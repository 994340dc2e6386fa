/**
 * The demo foreigners: for each index, a life in OKU Raya (or elsewhere) planned from the
 * foreigner's own seeded generator — why they came, their employer, their stay permits and
 * journeys, and how the stay ended — and from that plan the records each agency keeps.
 */
import type { RegionRecord } from '../../common/regions.js';
import { enumLabel } from '../../common/i18n/labels.js';
import { regionAncestryFields } from '../../common/regions.js';
import { checkpointByCode } from '../../subgraphs/immigration/src/checkpoints.js';
import type {
  BorderCrossingDoc,
  ForeignerDoc,
  ImmigrationActionDoc,
  PermitSummary,
  PermitType,
  SponsorDoc,
  StayPermitDoc,
  WatchlistEntryDoc,
} from '../../subgraphs/immigration/src/models/foreigner.js';
import { DOMICILE_FIELDS } from '../../subgraphs/immigration/src/services/foreigner-service.js';
import { summarizeCrossings } from '../../subgraphs/immigration/src/services/overstay.js';
import {
  INCIDENT_REGION_FIELDS,
  type IncidentCategory,
  type IncidentDoc,
  type IncidentPartyDoc,
  type IncidentStatus,
  type Involvement,
} from '../../subgraphs/police/src/models/incident.js';
import {
  SELF_REPORT_REGION_FIELDS,
  type SelfReportCertificateDoc,
} from '../../subgraphs/police/src/models/self-report.js';
import type { CommunityReportDoc } from '../../subgraphs/local-government/src/models/community-report.js';
import type { EmploymentDoc, ResidenceDoc } from '../../subgraphs/local-government/src/models/foreigner.js';
import { agencyName } from './coordination.js';
import { emitLocalGovernment } from './local-government.js';
import {
  addDays,
  addMonths,
  atLocalTime,
  daysBetween,
  maxDate,
  minDate,
  randomDay,
  romanMonth,
  startOfDay,
} from './dates.js';
import {
  NATIONALITIES,
  carrierFor,
  nationality as nationalityOf,
  type Nationality,
  type Sex,
} from './nationalities.js';
import {
  CHECKPOINT_OFFICES,
  POSITIONS,
  immigrationOfficeFor,
  policeUnitFor,
  type Company,
  type Places,
} from './places.js';
import { Rng, SEED, WeightedTable, type Weighted } from './random.js';
import { DEPORTATION_REASONS, INVOLVEMENT_WEIGHTS, REVOCATION_REASONS, incidentSummary } from './texts.js';

export const CATEGORIES = ['WORK', 'INVESTMENT', 'FAMILY', 'RETIREMENT', 'VISIT', 'SERVICE', 'DIPLOMATIC'] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * How a stay went: still here; left for good; overstaying now; left after an overstay fine;
 * permit revoked; deported.
 */
export type Fate = 'STAYING' | 'LEFT' | 'OVERSTAY' | 'OVERSTAY_FINED' | 'REVOKED' | 'DEPORTED';

/** One foreigner's planned life, from which every agency's records are written. */
export interface Person {
  index: number;
  id: string;
  nationality: string;
  sex: Sex;
  fullName: string;
  category: Category;
  fate: Fate;
  village: RegionRecord;
  address: string;
  company: Company | null;
  position: string | null;
  permits: StayPermitDoc[];
  crossings: BorderCrossingDoc[];
  /** First arrival. */
  arrival: Date;
  /** Last day in Indonesia when the foreigner has left for good; null while still here. */
  departed: Date | null;
  /** Day the stay permit was revoked (TAK), if it was. */
  revokedOn: Date | null;
  /** Skipped on purpose: ~10% of ITAS/ITAP holders have no SKLD, ~10% no SKTT. */
  withoutSkld: boolean;
  withoutSktt: boolean;
}

/** Records of one batch, by subgraph and collection. */
export interface SeedDocs {
  foreigners: ForeignerDoc[];
  stayPermits: StayPermitDoc[];
  borderCrossings: BorderCrossingDoc[];
  watchlistEntries: WatchlistEntryDoc[];
  immigrationActions: ImmigrationActionDoc[];
  selfReports: SelfReportCertificateDoc[];
  incidents: IncidentDoc[];
  residences: ResidenceDoc[];
  employments: EmploymentDoc[];
  communityReports: CommunityReportDoc[];
}

export function emptyDocs(): SeedDocs {
  return {
    foreigners: [],
    stayPermits: [],
    borderCrossings: [],
    watchlistEntries: [],
    immigrationActions: [],
    selfReports: [],
    incidents: [],
    residences: [],
    employments: [],
    communityReports: [],
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function foreignerId(index: number): string {
  return `WNA-${pad(index + 1, 6)}`;
}

/** A unique 7-digit serial per index (multiplication by a unit modulo 10^7 is a bijection). */
function passportSerial(index: number): string {
  return pad((index * 4_381_159 + 5_839_271) % 10_000_000, 7);
}

// prettier-ignore
const CATEGORY_WEIGHTS: Record<string, Weighted<Category>> = {
  CHN: [['WORK', 80], ['INVESTMENT', 4], ['FAMILY', 2], ['RETIREMENT', 0.2], ['VISIT', 13], ['SERVICE', 0.5], ['DIPLOMATIC', 0.1]],
  WEST: [['WORK', 45], ['INVESTMENT', 5], ['FAMILY', 15], ['RETIREMENT', 12], ['VISIT', 20], ['SERVICE', 2], ['DIPLOMATIC', 1]],
  NORTHEAST: [['WORK', 64], ['INVESTMENT', 6], ['FAMILY', 5], ['RETIREMENT', 2], ['VISIT', 15], ['SERVICE', 7], ['DIPLOMATIC', 1]],
  OTHER: [['WORK', 63], ['INVESTMENT', 5], ['FAMILY', 9], ['RETIREMENT', 1], ['VISIT', 20], ['SERVICE', 1.5], ['DIPLOMATIC', 0.5]],
};
const WEST = new Set(['AUS', 'GBR', 'USA', 'NLD', 'DEU', 'FRA', 'CAN', 'ITA']);

function categoryGroup(code: string): string {
  if (code === 'CHN') return 'CHN';
  if (WEST.has(code)) return 'WEST';
  if (code === 'JPN' || code === 'KOR') return 'NORTHEAST';
  return 'OTHER';
}

const FATES: Record<'WORK' | 'RESIDENT' | 'OFFICIAL', Weighted<Fate>> = {
  WORK: [
    ['STAYING', 76],
    ['LEFT', 13],
    ['OVERSTAY', 4],
    ['OVERSTAY_FINED', 3],
    ['REVOKED', 2],
    ['DEPORTED', 2],
  ],
  RESIDENT: [
    ['STAYING', 86],
    ['LEFT', 6],
    ['OVERSTAY', 4],
    ['OVERSTAY_FINED', 2.5],
    ['REVOKED', 0.8],
    ['DEPORTED', 0.7],
  ],
  OFFICIAL: [
    ['STAYING', 80],
    ['LEFT', 20],
  ],
};

const AGE_RANGE: Record<Category, readonly [number, number]> = {
  WORK: [23, 58],
  INVESTMENT: [30, 66],
  FAMILY: [22, 62],
  RETIREMENT: [60, 78],
  VISIT: [20, 70],
  SERVICE: [28, 60],
  DIPLOMATIC: [28, 60],
};

const MALE_SHARE: Record<Category, number> = {
  WORK: 0.9,
  INVESTMENT: 0.85,
  FAMILY: 0.3,
  RETIREMENT: 0.65,
  VISIT: 0.65,
  SERVICE: 0.7,
  DIPLOMATIC: 0.65,
};

const PERMIT_PREFIX: Record<PermitType, string> = {
  VISIT: 'ITK',
  LIMITED_STAY: 'ITAS',
  PERMANENT_STAY: 'ITAP',
  DIPLOMATIC: 'ITDIP',
  SERVICE: 'ITDIN',
};

/** Places where tourists stay: Danau Ranau (OKU Selatan) and Baturaja. */
const TOURIST_DISTRICTS: Weighted<string> = [
  ['16.09.03', 35],
  ['16.09.13', 15],
  ['16.09.12', 10],
  ['16.01.14', 30],
  ['16.08.01', 10],
];

const SERVICE_SPONSORS = [
  'Kementerian Pertanian Republik Indonesia',
  'Kementerian Energi dan Sumber Daya Mineral Republik Indonesia',
  'Kementerian Pekerjaan Umum dan Perumahan Rakyat Republik Indonesia',
  'Pemerintah Kabupaten Ogan Komering Ulu Timur',
  'Pemerintah Provinsi Sumatera Selatan',
];

const INCIDENT_CATEGORIES: Weighted<IncidentCategory> = [
  ['TRAFFIC', 26],
  ['LABOUR_DISPUTE', 22],
  ['THEFT', 16],
  ['PUBLIC_ORDER', 9],
  ['ASSAULT', 7],
  ['FRAUD', 6],
  ['IMMIGRATION_VIOLATION', 5],
  ['OTHER', 6],
  ['NARCOTICS', 3],
];

// prettier-ignore
const SPONSOR_GIVEN_NAMES = [
  'Siti', 'Rina', 'Dewi', 'Yuliana', 'Nurhayati', 'Sri', 'Fitri', 'Ratna', 'Lestari', 'Meiliana', 'Agus', 'Budi',
  'Hendra', 'Rudi', 'Joko', 'Andi', 'Wahyu', 'Eko', 'Yanti', 'Maya',
];
// prettier-ignore
const SPONSOR_FAMILY_NAMES = [
  'Wulandari', 'Susanti', 'Rahmawati', 'Kurniawan', 'Saputra', 'Hidayat', 'Pratama', 'Setiawan', 'Handayani',
  'Anggraini', 'Marlina', 'Syahputra', 'Herlina', 'Novitasari', 'Gunawan', 'Permata',
];

interface CoworkerStay {
  id: string;
  from: Date;
  to: Date;
}

export class PeopleGenerator {
  private readonly nationalityTable = new WeightedTable(NATIONALITIES.map((n) => [n, n.weight] as const));
  private readonly categoryTables = new Map<string, WeightedTable<Category>>();
  private readonly passports = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly coworkers = new Map<string, CoworkerStay[]>();
  /** Last day on which timed events happen: the day before the reference date. */
  readonly lastDay: Date;

  constructor(
    readonly places: Places,
    /** "Today" of the demo data, midnight UTC. */
    readonly today: Date,
  ) {
    this.lastDay = addDays(today, -1);
  }

  /** The next number of a per-unit, per-year document series. */
  nextSerial(series: string): number {
    const n = (this.counters.get(series) ?? 0) + 1;
    this.counters.set(series, n);
    return n;
  }

  generate(index: number, out: SeedDocs): void {
    const rng = new Rng(SEED, index);
    const person = this.plan(rng, index);
    this.emitImmigration(rng, person, out);
    this.emitPolice(rng, person, out);
    emitLocalGovernment(this, rng, person, out);
  }

  // --- planning ---------------------------------------------------------------------

  private plan(rng: Rng, index: number): Person {
    const nat = this.nationalityTable.draw(rng);
    const group = categoryGroup(nat.code);
    let table = this.categoryTables.get(group);
    if (!table) {
      table = new WeightedTable(CATEGORY_WEIGHTS[group]!);
      this.categoryTables.set(group, table);
    }
    const category = table.draw(rng);
    const sex: Sex = rng.chance(MALE_SHARE[category]) ? 'MALE' : 'FEMALE';
    const fullName = nat.name(rng, sex);

    let company: Company | null = null;
    let position: string | null = null;
    let village: RegionRecord;
    if (category === 'WORK' || category === 'INVESTMENT') {
      company = this.places.employer(rng, nat.code);
      position =
        category === 'INVESTMENT'
          ? rng.pick(['Direktur Utama', 'Direktur', 'Komisaris', 'Direktur Keuangan'])
          : rng.pick(POSITIONS[company.sector]);
      village = this.places.workerVillage(rng, company);
    } else if (category === 'VISIT') {
      if (rng.chance(0.45)) {
        company = this.places.employer(rng, nat.code);
        village = rng.pick(this.places.villagesOf(company.district.code));
      } else {
        village = rng.pick(this.places.villagesOf(rng.weighted(TOURIST_DISTRICTS)));
      }
    } else if (category === 'DIPLOMATIC') {
      village = this.places.residentVillage(rng, rng.chance(0.8) ? '31.74' : '16.71');
    } else if (category === 'SERVICE') {
      village = this.places.residentVillage(
        rng,
        rng.weighted([
          ['16.08', 40],
          ['16.01', 30],
          ['16.09', 15],
          ['16.71', 15],
        ]),
      );
    } else {
      village = this.places.residentVillage(rng);
    }

    const person: Person = {
      index,
      id: foreignerId(index),
      nationality: nat.code,
      sex,
      fullName,
      category,
      fate: 'STAYING',
      village,
      address: '',
      company,
      position,
      permits: [],
      crossings: [],
      arrival: this.today,
      departed: null,
      revokedOn: null,
      withoutSkld: rng.chance(0.1),
      withoutSktt: rng.chance(0.1),
    };
    person.address =
      company && company.mess && village.parentCode === company.district.code && category !== 'VISIT' && rng.chance(0.7)
        ? this.places.messAddress(rng, company)
        : this.places.streetAddress(rng, village);
    return person;
  }

  // --- immigration ---------------------------------------------------------------------

  private emitImmigration(rng: Rng, person: Person, out: SeedDocs): void {
    const nat = nationalityOf(person.nationality);
    const actions: ImmigrationActionDoc[] = [];
    const watchlist: WatchlistEntryDoc[] = [];
    if (person.category === 'VISIT') this.planVisits(rng, person, nat);
    else this.planStay(rng, person, nat, actions, watchlist);

    const age = this.ageFor(rng, person);
    const dateOfBirth = addDays(addMonths(this.today, -12 * age), -rng.int(0, 364));
    const passportNumber = nat.passport(rng, passportSerial(person.index));
    if (this.passports.has(passportNumber))
      throw new Error(`seed produced a duplicate passport number ${passportNumber}`);
    this.passports.add(passportNumber);

    person.crossings.sort((a, b) => a.crossedAt.getTime() - b.crossedAt.getTime());
    person.crossings.forEach((c, i) => (c._id = `${person.id}-BC${pad(i + 1, 2)}`));
    const firstEvent = person.crossings[0]?.crossedAt ?? person.permits[0]!.issuedAt;

    const foreigner = {
      _id: person.id,
      fullName: person.fullName,
      nationality: person.nationality,
      sex: person.sex,
      dateOfBirth,
      passportNumber,
      ...regionAncestryFields(person.village.code, DOMICILE_FIELDS),
      currentPermit: summarize(person.permits),
      // the latest crossing, as `ForeignerService.refreshCrossingSummary` stores it
      lastCrossing: summarizeCrossings(person.crossings),
      createdAt: firstEvent,
    } as ForeignerDoc;
    out.foreigners.push(foreigner);
    out.stayPermits.push(...person.permits);
    out.borderCrossings.push(...person.crossings);
    actions.sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime());
    actions.forEach((a, i) => (a._id = `${person.id}-TAK${i + 1}`));
    out.immigrationActions.push(...actions);
    watchlist.forEach((w, i) => (w._id = `${person.id}-CEKAL${i + 1}`));
    out.watchlistEntries.push(...watchlist);
  }

  private ageFor(rng: Rng, person: Person): number {
    const [min, max] = AGE_RANGE[person.category];
    const yearsHere = Math.ceil(daysBetween(person.arrival, this.today) / 365);
    return Math.max(rng.int(min, max), yearsHere + (person.category === 'RETIREMENT' ? 60 : 21));
  }

  private crossing(
    rng: Rng,
    person: Person,
    nat: Nationality,
    direction: 'ENTRY' | 'EXIT',
    day: Date,
    checkpointCode?: string,
  ): BorderCrossingDoc {
    const code = checkpointCode ?? rng.weighted(nat.route);
    const checkpoint = checkpointByCode(code);
    if (!checkpoint) throw new Error(`seed route names unknown checkpoint ${code}`);
    const doc: BorderCrossingDoc = {
      _id: '',
      foreignerId: person.id,
      direction,
      checkpointCode: checkpoint.code,
      checkpointName: checkpoint.name,
      crossedAt: atLocalTime(rng, day, 6, 23),
      carrier: carrierFor(rng, checkpoint.code, nat.code),
    };
    person.crossings.push(doc);
    return doc;
  }

  private permit(
    person: Person,
    type: PermitType,
    purpose: StayPermitDoc['purpose'],
    issuedAt: Date,
    expiresAt: Date,
    issuingOffice: string,
    sponsor: SponsorDoc | null,
  ): StayPermitDoc {
    const ordinal = person.permits.length + 1;
    const doc: StayPermitDoc = {
      _id: `${PERMIT_PREFIX[type]}-${issuedAt.getUTCFullYear()}-${pad(person.index + 1, 6)}${pad(ordinal, 2)}`,
      foreignerId: person.id,
      type,
      purpose,
      issuedAt,
      expiresAt,
      status: 'ACTIVE',
      issuingOffice,
      sponsor,
    };
    person.permits.push(doc);
    return doc;
  }

  private sponsorFor(rng: Rng, person: Person): SponsorDoc | null {
    switch (person.category) {
      case 'WORK':
      case 'INVESTMENT':
        return { name: person.company!.name, type: 'COMPANY', address: person.company!.address };
      case 'FAMILY':
      case 'RETIREMENT':
        return {
          name: `${rng.pick(SPONSOR_GIVEN_NAMES)} ${rng.pick(SPONSOR_FAMILY_NAMES)}`,
          type: 'INDIVIDUAL',
          address: this.places.streetAddress(rng, person.village),
        };
      case 'SERVICE':
        return { name: rng.pick(SERVICE_SPONSORS), type: 'INSTITUTION', address: null };
      case 'DIPLOMATIC':
        return {
          name: 'Kementerian Luar Negeri Republik Indonesia',
          type: 'INSTITUTION',
          address: 'Jl. Taman Pejambon No. 6, Jakarta Pusat',
        };
      case 'VISIT':
        return person.company ? { name: person.company.name, type: 'COMPANY', address: person.company.address } : null;
    }
  }

  /**
   * ITAS/ITAP (and diplomatic/service) holders: an entry, a first permit, renewals, trips
   * home, and an ending by fate.
   */
  private planStay(
    rng: Rng,
    person: Person,
    nat: Nationality,
    actions: ImmigrationActionDoc[],
    watchlist: WatchlistEntryDoc[],
  ): void {
    const official = person.category === 'SERVICE' || person.category === 'DIPLOMATIC';
    const fateTable = official
      ? FATES.OFFICIAL
      : person.category === 'WORK' || person.category === 'INVESTMENT'
        ? FATES.WORK
        : FATES.RESIDENT;
    let fate = rng.weighted(fateTable);
    const today = this.today;
    const office = immigrationOfficeFor(person.village.code);
    const sponsor = this.sponsorFor(rng, person);

    // the moment the permits must reach (target) and the first arrival
    let target: Date;
    let arrival: Date;
    const tenure = () => 120 + Math.floor(rng.next() ** 1.3 * 1900);
    let overstayDays = 0;
    let eventDay = today; // revocation, detention or fine day
    switch (fate) {
      case 'STAYING':
        target = today;
        arrival = addDays(today, -(20 + Math.floor(rng.next() ** 1.5 * 2300)));
        break;
      case 'LEFT':
        target = addDays(today, -rng.int(5, 1500));
        arrival = addDays(target, -tenure());
        break;
      case 'OVERSTAY':
        overstayDays = rng.weighted([
          [rng.int(1, 30), 40],
          [rng.int(31, 90), 30],
          [rng.int(91, 365), 25],
          [rng.int(366, 700), 5],
        ]);
        target = addDays(today, -1 - overstayDays);
        arrival = addDays(target, -tenure());
        break;
      case 'OVERSTAY_FINED':
        overstayDays = rng.int(1, 59);
        eventDay = addDays(today, -rng.int(2, 1200));
        target = addDays(eventDay, -overstayDays);
        arrival = addDays(target, -tenure());
        break;
      case 'REVOKED':
      case 'DEPORTED':
        eventDay = addDays(today, -rng.int(fate === 'DEPORTED' ? 50 : 1, 1200));
        target = addDays(eventDay, rng.int(20, 300));
        arrival = addDays(eventDay, -tenure());
        break;
    }
    if (arrival.getTime() < addDays(today, -2400).getTime()) arrival = addDays(today, -2400);
    person.arrival = arrival;

    // the first entry, then the permit chain
    const entry = this.crossing(rng, person, nat, 'ENTRY', arrival);
    const first = addDays(arrival, rng.int(0, 2));
    let issued = first;
    let previousExpiry: Date | null = null;
    let itasYears = 0;
    while (person.permits.length === 0 || person.permits[person.permits.length - 1]!.expiresAt < target) {
      const { type, purpose, months } = this.nextPermitKind(rng, person, itasYears);
      const expires: Date = previousExpiry ? addMonths(previousExpiry, months) : addDays(addMonths(issued, months), -1);
      const issuingOffice = official
        ? person.category === 'DIPLOMATIC'
          ? 'Kementerian Luar Negeri, Direktorat Fasilitas Diplomatik'
          : 'Direktorat Jenderal Imigrasi'
        : office;
      this.permit(person, type, purpose, issued, expires, issuingOffice, sponsor);
      if (type === 'LIMITED_STAY') itasYears += months / 12;
      previousExpiry = expires;
      issued = addDays(expires, -rng.int(3, 25));
      if (issued.getTime() > this.lastDay.getTime()) break;
    }
    // fit the chain's end to the target: drop permits issued too late, shorten the last one
    if (fate !== 'STAYING') {
      while (
        person.permits.length > 1 &&
        person.permits[person.permits.length - 1]!.issuedAt.getTime() > addDays(target, -60).getTime()
      ) {
        person.permits.pop();
      }
      const last = person.permits[person.permits.length - 1]!;
      if (
        last.expiresAt.getTime() > target.getTime() &&
        (fate === 'LEFT' || fate === 'OVERSTAY' || fate === 'OVERSTAY_FINED')
      ) {
        if (daysBetween(last.issuedAt, target) >= 30) last.expiresAt = target;
        else fate = 'STAYING';
      }
    }
    if (fate === 'STAYING' && person.permits[person.permits.length - 1]!.expiresAt < today) {
      // a chain cut short above: extend it so the stay is covered today
      const last = person.permits[person.permits.length - 1]!;
      const { type, purpose, months } = this.nextPermitKind(rng, person, itasYears);
      const issuedAt = minDate(addDays(last.expiresAt, -rng.int(3, 25)), this.lastDay);
      this.permit(
        person,
        type,
        purpose,
        issuedAt,
        addMonths(maxDate(last.expiresAt, today), months),
        last.issuingOffice,
        sponsor,
      );
    }
    person.fate = fate;
    const last = person.permits[person.permits.length - 1]!;

    // how the stay ends, and until when trips home are possible
    let tripsUntil: Date;
    switch (fate) {
      case 'STAYING':
        tripsUntil = this.lastDay;
        break;
      case 'LEFT': {
        const exitDay = minDate(addDays(last.expiresAt, -rng.int(0, 20)), this.lastDay);
        const departure = maxDate(exitDay, addDays(last.issuedAt, 7));
        this.crossing(rng, person, nat, 'EXIT', departure, rng.chance(0.6) ? entry.checkpointCode : undefined);
        person.departed = departure;
        tripsUntil = addDays(departure, -30);
        break;
      }
      case 'OVERSTAY': {
        tripsUntil = addDays(last.expiresAt, -20);
        if (overstayDays > 60 && rng.chance(0.25)) {
          actions.push(
            this.action(
              person,
              'DETENTION',
              addDays(today, -rng.int(1, overstayDays - 60)),
              `Didetensi di Rudenim karena melampaui izin tinggal lebih dari 60 hari sejak izin tinggal ${last._id} berakhir; deportasi sedang dipersiapkan.`,
              office,
            ),
          );
        }
        break;
      }
      case 'OVERSTAY_FINED': {
        const exitDay = minDate(addDays(last.expiresAt, overstayDays), this.lastDay);
        const exit = this.crossing(
          rng,
          person,
          nat,
          'EXIT',
          exitDay,
          rng.chance(0.6) ? entry.checkpointCode : undefined,
        );
        const days = daysBetween(last.expiresAt, exitDay);
        actions.push(
          this.action(
            person,
            'FINE',
            exitDay,
            `Melampaui izin tinggal (overstay) ${days} hari sejak izin tinggal ${last._id} berakhir; biaya beban Rp ${rupiah(days * 1_000_000)} telah dibayar sebelum keberangkatan.`,
            CHECKPOINT_OFFICES[exit.checkpointCode] ?? office,
          ),
        );
        person.departed = exitDay;
        tripsUntil = addDays(last.expiresAt, -20);
        break;
      }
      case 'REVOKED': {
        const day = minDate(maxDate(eventDay, addDays(person.permits[0]!.issuedAt, 30)), this.lastDay);
        actions.push(this.action(person, 'PERMIT_REVOCATION', day, rng.pick(REVOCATION_REASONS), office));
        person.revokedOn = startOfDay(day);
        revokeActive(person.permits);
        const exitDay = addDays(day, rng.int(5, 30));
        if (exitDay <= this.lastDay) {
          this.crossing(rng, person, nat, 'EXIT', exitDay);
          person.departed = exitDay;
        }
        tripsUntil = addDays(day, -20);
        break;
      }
      case 'DEPORTED': {
        const detained = minDate(
          maxDate(eventDay, addDays(person.permits[0]!.issuedAt, 30)),
          addDays(this.lastDay, -50),
        );
        const deported = addDays(detained, rng.int(7, 45));
        const reason = rng.pick(DEPORTATION_REASONS);
        actions.push(
          this.action(
            person,
            'DETENTION',
            detained,
            'Didetensi di Rudenim sambil menunggu pelaksanaan deportasi.',
            office,
          ),
        );
        actions.push(this.action(person, 'DEPORTATION', deported, reason, office));
        const banYears = rng.weighted([
          [0.5, 30],
          [1, 35],
          [2, 25],
          [0, 10],
        ]);
        actions.push(
          this.action(
            person,
            'ENTRY_BAN',
            deported,
            banYears
              ? `Penangkalan selama ${banYears === 0.5 ? 'enam bulan' : `${banYears} tahun`} setelah deportasi.`
              : 'Penangkalan tanpa batas waktu setelah deportasi.',
            office,
          ),
        );
        revokeActive(person.permits);
        this.crossing(rng, person, nat, 'EXIT', deported, rng.chance(0.6) ? 'CGK' : 'PLM');
        watchlist.push({
          _id: '',
          foreignerId: person.id,
          type: 'DETERRENCE',
          reason: `Penangkalan setelah deportasi: ${reason}`,
          since: deported,
          until: banYears ? addDays(addMonths(deported, banYears * 12), -1) : null,
          requestedBy: 'Direktorat Jenderal Imigrasi',
        });
        person.departed = deported;
        tripsUntil = addDays(detained, -30);
        break;
      }
    }
    this.planTrips(rng, person, nat, tripsUntil, fate === 'STAYING');
  }

  /** The kind of the next permit of a chain (ITAS → ITAP for spouses and retirees). */
  private nextPermitKind(
    rng: Rng,
    person: Person,
    itasYears: number,
  ): { type: PermitType; purpose: StayPermitDoc['purpose']; months: number } {
    switch (person.category) {
      case 'WORK':
        return {
          type: 'LIMITED_STAY',
          purpose: 'WORK',
          months: rng.weighted([
            [6, 15],
            [12, 60],
            [24, 25],
          ]),
        };
      case 'INVESTMENT':
        return { type: 'LIMITED_STAY', purpose: 'INVESTMENT', months: 24 };
      case 'FAMILY':
        if (itasYears >= 2 && (person.permits.at(-1)?.type === 'PERMANENT_STAY' || rng.chance(0.7))) {
          return { type: 'PERMANENT_STAY', purpose: 'FAMILY', months: 60 };
        }
        return { type: 'LIMITED_STAY', purpose: 'FAMILY', months: 12 };
      case 'RETIREMENT':
        if (itasYears >= 4 && (person.permits.at(-1)?.type === 'PERMANENT_STAY' || rng.chance(0.7))) {
          return { type: 'PERMANENT_STAY', purpose: 'RETIREMENT', months: 60 };
        }
        return { type: 'LIMITED_STAY', purpose: 'RETIREMENT', months: 12 };
      case 'SERVICE':
        return { type: 'SERVICE', purpose: 'DUTY', months: 12 };
      case 'DIPLOMATIC':
        return { type: 'DIPLOMATIC', purpose: 'DUTY', months: 12 };
      case 'VISIT':
        return { type: 'VISIT', purpose: 'TOURISM', months: 1 };
    }
  }

  /** Trips home (exit, re-entry) while a permit is in force; one may still be under way today. */
  private planTrips(rng: Rng, person: Person, nat: Nationality, until: Date, mayBeAbroad: boolean): void {
    const chinese = person.nationality === 'CHN';
    let t = addDays(person.arrival, rng.int(90, 300));
    while (t.getTime() <= until.getTime()) {
      let exitDay = t;
      // Chinese crews mostly go home around the Lunar New Year
      if (chinese && rng.chance(0.6)) {
        const year = t.getUTCMonth() >= 2 ? t.getUTCFullYear() + 1 : t.getUTCFullYear();
        exitDay = addDays(new Date(Date.UTC(year, 0, 20)), rng.int(-10, 15));
        if (exitDay.getTime() < t.getTime() || exitDay.getTime() > until.getTime()) exitDay = t;
      }
      const back = addDays(exitDay, rng.int(7, 35));
      const checkpoint = rng.weighted(nat.route);
      if (back.getTime() > this.lastDay.getTime() || back.getTime() > until.getTime()) {
        if (mayBeAbroad && exitDay.getTime() <= this.lastDay.getTime() && rng.chance(0.5)) {
          this.crossing(rng, person, nat, 'EXIT', exitDay, checkpoint);
        }
        break;
      }
      this.crossing(rng, person, nat, 'EXIT', exitDay, checkpoint);
      this.crossing(rng, person, nat, 'ENTRY', back, rng.chance(0.7) ? checkpoint : undefined);
      t = addDays(back, rng.int(chinese ? 240 : 150, chinese ? 420 : 400));
    }
  }

  /** Visitors: one to three visits, each an entry, a visit stay permit (maybe extended), an exit. */
  private planVisits(rng: Rng, person: Person, nat: Nationality): void {
    const ending = rng.weighted<'PRESENT' | 'PAST' | 'OVERSTAY'>([
      ['PRESENT', 28],
      ['PAST', 68],
      ['OVERSTAY', 4],
    ]);
    const visits = rng.weighted([
      [1, 70],
      [2, 20],
      [3, 10],
    ]);
    const purpose = person.company ? 'WORK' : 'TOURISM';
    const sponsor = this.sponsorFor(rng, person);
    const starts: Date[] = [];
    let start =
      ending === 'PRESENT'
        ? addDays(this.today, -rng.int(1, 25))
        : ending === 'OVERSTAY'
          ? addDays(this.today, -rng.int(100, 400))
          : addDays(this.today, -rng.int(100, 1400));
    for (let v = 0; v < visits; v++) {
      starts.unshift(start);
      start = addDays(start, -rng.int(90, 500));
      if (start.getTime() < addDays(this.today, -2000).getTime()) break;
    }
    person.arrival = starts[0]!;
    starts.forEach((s, i) => {
      const lastVisit = i === starts.length - 1;
      const entry = this.crossing(rng, person, nat, 'ENTRY', s);
      const length = rng.chance(0.7) ? 30 : 60;
      let expires = addDays(s, length - 1);
      this.permit(
        person,
        'VISIT',
        purpose,
        s,
        expires,
        CHECKPOINT_OFFICES[entry.checkpointCode] ?? immigrationOfficeFor(person.village.code),
        sponsor,
      );
      const extendBy = rng.chance(0.25) ? 30 : 0;
      const extensionIssued = addDays(expires, -rng.int(2, 7));
      if (extendBy && extensionIssued.getTime() <= this.lastDay.getTime()) {
        const extended = addDays(expires, extendBy);
        this.permit(
          person,
          'VISIT',
          purpose,
          extensionIssued,
          extended,
          immigrationOfficeFor(person.village.code),
          sponsor,
        );
        expires = extended;
      }
      if (lastVisit && ending !== 'PAST') {
        if (ending === 'PRESENT' && expires.getTime() < this.today.getTime()) {
          // visitors still here hold a permit valid today
          const issuedAt = minDate(addDays(expires, -rng.int(2, 7)), this.lastDay);
          this.permit(
            person,
            'VISIT',
            purpose,
            issuedAt,
            addDays(this.today, rng.int(5, 30)),
            immigrationOfficeFor(person.village.code),
            sponsor,
          );
        }
        person.fate = ending === 'OVERSTAY' ? 'OVERSTAY' : 'STAYING';
        return;
      }
      const exitDay = minDate(randomDay(rng, addDays(s, 3), addDays(expires, -1)), this.lastDay);
      this.crossing(rng, person, nat, 'EXIT', exitDay, rng.chance(0.7) ? entry.checkpointCode : undefined);
      if (lastVisit) {
        person.departed = exitDay;
        person.fate = 'LEFT';
      }
    });
  }

  private action(
    person: Person,
    type: ImmigrationActionDoc['type'],
    decidedAt: Date,
    reason: string,
    office: string,
  ): ImmigrationActionDoc {
    return { _id: '', foreignerId: person.id, type, decidedAt: startOfDay(decidedAt), reason, office };
  }

  // --- police ---------------------------------------------------------------------------

  /** Days the foreigner was in Indonesia, from first arrival to departure (or yesterday). */
  stayEnd(person: Person): Date {
    return person.departed ?? this.lastDay;
  }

  private emitPolice(rng: Rng, person: Person, out: SeedDocs): void {
    const residentPermits = person.permits.filter((p) => p.type === 'LIMITED_STAY' || p.type === 'PERMANENT_STAY');
    const unit = policeUnitFor(this.places, person.village.code);
    if (residentPermits.length > 0 && !person.withoutSkld) {
      let issued = 0;
      residentPermits.forEach((permit, i) => {
        const recent = i >= residentPermits.length - 2;
        if (!recent && !rng.chance(0.6)) return;
        const issuedAt = addDays(permit.issuedAt, rng.int(3, 30));
        if (issuedAt.getTime() > minDate(this.stayEnd(person), this.lastDay).getTime()) return;
        const year = issuedAt.getUTCFullYear();
        const serial = this.nextSerial(`SKLD ${unit.short} ${year}`);
        out.selfReports.push({
          _id: `${person.id}-SKLD${++issued}`,
          number: `SKLD/${pad(serial, 4)}/${romanMonth(issuedAt)}/${year}/SAT INTELKAM/${unit.short}`,
          foreignerId: person.id,
          issuedAt,
          validUntil: permit.expiresAt,
          issuingUnit: unit.name,
          address: person.address,
          ...regionAncestryFields(person.village.code, SELF_REPORT_REGION_FIELDS),
          createdAt: atLocalTime(rng, issuedAt, 8, 15),
        } as SelfReportCertificateDoc);
      });
    }

    // incidents: a few % of foreigners, more among overstayers and those later deported
    const stayStart = addDays(person.arrival, 7);
    const stayEnd = this.stayEnd(person);
    if (stayEnd.getTime() <= stayStart.getTime()) return;
    let category: IncidentCategory | null = null;
    let involvement: Involvement | null = null;
    let when: Date | null = null;
    if (person.fate === 'DEPORTED' && rng.chance(0.7)) {
      category = rng.weighted<IncidentCategory>([
        ['NARCOTICS', 3],
        ['ASSAULT', 2],
        ['PUBLIC_ORDER', 2],
        ['IMMIGRATION_VIOLATION', 3],
      ]);
      involvement = 'SUSPECT';
      const deported = person.departed ?? stayEnd;
      when = randomDay(rng, maxDate(stayStart, addDays(deported, -120)), addDays(deported, -50));
    } else if (person.fate === 'OVERSTAY' && rng.chance(0.2)) {
      category = 'IMMIGRATION_VIOLATION';
      involvement = 'SUSPECT';
      const expired = summarize(person.permits)!.expiresAt;
      when = randomDay(rng, addDays(expired, 1), this.lastDay);
    } else if (person.fate === 'REVOKED' && rng.chance(0.3)) {
      category = rng.pick<IncidentCategory>(['LABOUR_DISPUTE', 'IMMIGRATION_VIOLATION']);
      involvement = category === 'IMMIGRATION_VIOLATION' ? 'SUSPECT' : rng.weighted(INVOLVEMENT_WEIGHTS[category]);
      when = randomDay(rng, stayStart, stayEnd);
    } else if (rng.chance(person.category === 'VISIT' ? 0.01 : 0.035)) {
      category = rng.weighted(INCIDENT_CATEGORIES);
      if (category === 'LABOUR_DISPUTE' && !person.company) category = 'TRAFFIC';
      involvement = rng.weighted(INVOLVEMENT_WEIGHTS[category]);
      when = randomDay(rng, stayStart, stayEnd);
    }
    if (category && involvement && when) this.incident(rng, person, category, involvement, when, out);
    if (person.company && person.category === 'WORK') this.rememberCoworker(person);
  }

  private incident(
    rng: Rng,
    person: Person,
    category: IncidentCategory,
    involvement: Involvement,
    day: Date,
    out: SeedDocs,
  ): void {
    const atSite =
      person.company && (category === 'LABOUR_DISPUTE' || (category === 'OTHER' && involvement === 'WITNESS'));
    const region = atSite ? person.company!.village : this.places.nearbyVillage(rng, person.village.code);
    const district = this.places.get(region.parentCode!);
    const unit = policeUnitFor(this.places, region.code);
    const occurredAt = atLocalTime(rng, day, 6, 23);
    const ageDays = daysBetween(day, this.today);
    const status: IncidentStatus =
      ageDays > 180
        ? rng.weighted([
            ['RESOLVED', 70],
            ['TRANSFERRED', 30],
          ])
        : ageDays > 30
          ? rng.weighted([
              ['UNDER_INVESTIGATION', 50],
              ['RESOLVED', 40],
              ['TRANSFERRED', 10],
            ])
          : rng.weighted([
              ['REPORTED', 60],
              ['UNDER_INVESTIGATION', 40],
            ]);
    const parties: IncidentPartyDoc[] = [{ foreignerId: person.id, involvement }];
    if (
      person.company &&
      (category === 'LABOUR_DISPUTE' || category === 'ASSAULT' || category === 'TRAFFIC') &&
      rng.chance(0.5)
    ) {
      const present = (this.coworkers.get(person.company.name) ?? []).filter((c) => c.from <= day && day <= c.to);
      for (const other of rng.sample(present, rng.int(1, 3))) {
        parties.push({
          foreignerId: other.id,
          involvement: category === 'LABOUR_DISPUTE' ? rng.pick(['WITNESS', 'SUSPECT', 'VICTIM'] as const) : 'WITNESS',
        });
      }
    }
    const year = day.getUTCFullYear();
    const serial = this.nextSerial(`LP ${unit.short} ${year}`);
    const summary = incidentSummary(rng, category, involvement, {
      place: `${region.name}, Kecamatan ${district.name}`,
      district: district.name,
      company: person.company?.name ?? null,
      unit: unit.name,
    });
    out.incidents.push({
      _id: `${person.id}-LP1`,
      reportNumber: `LP/B/${serial}/${romanMonth(day)}/${year}/SPKT/${unit.short}`,
      category,
      occurredAt,
      ...regionAncestryFields(region.code, INCIDENT_REGION_FIELDS),
      status,
      summary,
      parties,
      foreignerIds: parties.map((p) => p.foreignerId),
      createdAt: minDate(new Date(occurredAt.getTime() + rng.int(1, 48) * 3_600_000), this.today),
    } as IncidentDoc);

    // a suspect under investigation may not leave Indonesia (cekal pencegahan)
    const serious =
      category === 'NARCOTICS' ||
      category === 'ASSAULT' ||
      category === 'FRAUD' ||
      category === 'THEFT' ||
      category === 'IMMIGRATION_VIOLATION';
    if (serious && involvement === 'SUSPECT' && status !== 'RESOLVED' && person.fate === 'STAYING' && rng.chance(0.6)) {
      const since = addDays(day, rng.int(3, 20));
      if (since.getTime() <= this.today.getTime()) {
        const requester =
          unit.short === 'POLRES OKU'
            ? 'POLRES-OKU'
            : unit.short === 'POLRES OKU TIMUR'
              ? 'POLRES-OKUT'
              : unit.short === 'POLRES OKU SELATAN'
                ? 'POLRES-OKUS'
                : null;
        out.watchlistEntries.push({
          _id: `${person.id}-CEKAL1`,
          foreignerId: person.id,
          type: 'PREVENTION',
          reason: `Pencegahan atas permintaan penyidik untuk kepentingan penyidikan laporan polisi ${out.incidents.at(-1)!.reportNumber} (${enumLabel('IncidentCategory', category).toLowerCase()}).`,
          since,
          until: addDays(addMonths(since, 6), -1),
          requestedBy: requester ? agencyName(requester) : unit.name,
        });
      }
    }
  }

  private rememberCoworker(person: Person): void {
    const list = this.coworkers.get(person.company!.name) ?? [];
    list.push({ id: person.id, from: person.arrival, to: this.stayEnd(person) });
    if (list.length > 40) list.shift();
    this.coworkers.set(person.company!.name, list);
  }
}

/** The permit summary exactly as `ForeignerService.refreshPermitSummary` computes it. */
export function summarize(permits: readonly StayPermitDoc[]): PermitSummary | null {
  const latest = permits.reduce<StayPermitDoc | null>(
    (best, p) => (!best || p.expiresAt > best.expiresAt ? p : best),
    null,
  );
  return latest ? { number: latest._id, type: latest.type, status: latest.status, expiresAt: latest.expiresAt } : null;
}

/** A revocation or deportation ends every permit in force, as `ForeignerService.recordAction` does. */
function revokeActive(permits: StayPermitDoc[]): void {
  for (const p of permits) if (p.status === 'ACTIVE') p.status = 'REVOKED';
}

/** `12.000.000`: thousands separated by dots, as Indonesian amounts are written. */
function rupiah(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
