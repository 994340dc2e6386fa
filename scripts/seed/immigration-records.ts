/**
 * The immigration records of one person, added as their stay is planned (stays.ts, visits.ts):
 * border crossings, stay permits with their sponsor, TAK decisions; and the permit summary and
 * revocation exactly as the immigration subgraph computes them.
 */
import { checkpointByCode } from '../../subgraphs/immigration/src/checkpoints.js';
import type {
  BorderCrossingDoc,
  ImmigrationActionDoc,
  PermitSummary,
  PermitType,
  SponsorDoc,
  StayPermitDoc,
} from '../../subgraphs/immigration/src/models/foreigner.js';
import { atLocalTime, startOfDay } from './dates.js';
import { carrierFor, type Nationality } from './nationalities.js';
import { pad, type Person } from './person.js';
import type { Places } from './places.js';
import type { Rng } from './random.js';

const PERMIT_PREFIX: Record<PermitType, string> = {
  VISIT: 'ITK',
  LIMITED_STAY: 'ITAS',
  PERMANENT_STAY: 'ITAP',
  DIPLOMATIC: 'ITDIP',
  SERVICE: 'ITDIN',
};

const SERVICE_SPONSORS = [
  'Kementerian Pertanian Republik Indonesia',
  'Kementerian Energi dan Sumber Daya Mineral Republik Indonesia',
  'Kementerian Pekerjaan Umum dan Perumahan Rakyat Republik Indonesia',
  'Pemerintah Kabupaten Ogan Komering Ulu Timur',
  'Pemerintah Provinsi Sumatera Selatan',
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

export function addCrossing(
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

export function addPermit(
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

export function sponsorFor(places: Places, rng: Rng, person: Person): SponsorDoc | null {
  switch (person.category) {
    case 'WORK':
    case 'INVESTMENT':
      return { name: person.company!.name, type: 'COMPANY', address: person.company!.address };
    case 'FAMILY':
    case 'RETIREMENT':
      return {
        name: `${rng.pick(SPONSOR_GIVEN_NAMES)} ${rng.pick(SPONSOR_FAMILY_NAMES)}`,
        type: 'INDIVIDUAL',
        address: places.streetAddress(rng, person.village),
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

export function immigrationAction(
  person: Person,
  type: ImmigrationActionDoc['type'],
  decidedAt: Date,
  reason: string,
  office: string,
): ImmigrationActionDoc {
  return { _id: '', foreignerId: person.id, type, decidedAt: startOfDay(decidedAt), reason, office };
}

/** The permit summary exactly as `ForeignerWrites.refreshPermitSummary` computes it. */
export function summarize(permits: readonly StayPermitDoc[]): PermitSummary | null {
  const latest = permits.reduce<StayPermitDoc | null>(
    (best, p) => (!best || p.expiresAt > best.expiresAt ? p : best),
    null,
  );
  return latest ? { number: latest._id, type: latest.type, status: latest.status, expiresAt: latest.expiresAt } : null;
}

/** A revocation or deportation ends every permit in force, as `ForeignerWrites.recordAction` does. */
export function revokeActive(permits: StayPermitDoc[]): void {
  for (const p of permits) if (p.status === 'ACTIVE') p.status = 'REVOKED';
}
