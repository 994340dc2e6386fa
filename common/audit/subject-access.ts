/**
 * The subject-access report (UU PDP art. 31–32): for one foreigner, what each agency holds about
 * them and every request in its access log that disclosed it, with the check of that log. Each
 * subgraph answers its own section of the `SubjectAccessReport` entity from its own database;
 * the chain check reuses the audit's (common/audit/verify-hub.ts), and the heads the other
 * agencies witnessed of this agency's chain reach it through federation (`@requires`), since
 * each agency keeps what it witnessed in its own database.
 *
 * Labels and explanations are in Bahasa Indonesia and English: the report is handed to the
 * person it is about.
 */
import {
  formatCalendarDate,
  formatDateTimeIn,
  TIME_ZONES,
  timeZoneOfRegion,
  type RegionTimeZone,
} from '../time-zones.js';
import type { SubgraphName } from '../config/services.js';
import type { Scope } from '../auth/policy.js';
import { officialRegions, type RegionDirectory } from '../regions.js';
import type { RequestInfo } from '../server/request-context.js';
import type { AccessLog, AccessRecord } from './access-log.js';
import type { AgencyField } from './resolvers.js';
import { checkAgainstChain, checkpointsOf, verdictOf, type Verdict, type WitnessProblem } from './verify-hub.js';
import type { WitnessRecord, WitnessStore } from './witness.js';

/** A label in Bahasa Indonesia and English. */
export type Bilingual = readonly [id: string, en: string];

/** Each kind of record: its title and why the agency holds it. */
export const RECORD_KINDS = {
  IDENTITY: {
    title: ['Identitas dan paspor', 'Identity and passport'],
    explanation: [
      'Data identitas yang dicatat Imigrasi saat orang asing didaftarkan (UU 6/2011 tentang Keimigrasian).',
      'Identity data recorded by Immigration when the foreigner was registered (Law 6/2011 on Immigration).',
    ],
  },
  STAY_PERMIT: {
    title: ['Izin tinggal', 'Stay permit'],
    explanation: [
      'Izin tinggal yang diterbitkan untuk orang asing dan penjaminnya.',
      'A stay permit issued to the foreigner, with its sponsor.',
    ],
  },
  BORDER_CROSSING: {
    title: ['Perlintasan perbatasan', 'Border crossing'],
    explanation: [
      'Kedatangan atau keberangkatan yang tercatat di tempat pemeriksaan imigrasi.',
      'An arrival or departure recorded at an immigration checkpoint.',
    ],
  },
  WATCHLIST: {
    title: ['Cegah dan tangkal (cekal)', 'Entry or exit ban (cekal)'],
    explanation: [
      'Pencegahan atau penangkalan yang dikenakan kepada orang asing.',
      'A ban on leaving or entering Indonesia placed on the foreigner.',
    ],
  },
  IMMIGRATION_ACTION: {
    title: ['Tindakan administratif keimigrasian (TAK)', 'Immigration administrative action (TAK)'],
    explanation: [
      'Keputusan tindakan administratif keimigrasian terhadap orang asing.',
      'A decision of immigration administrative action about the foreigner.',
    ],
  },
  SELF_REPORT: {
    title: ['Surat Keterangan Lapor Diri (SKLD)', 'Police self-report certificate (SKLD)'],
    explanation: [
      'Surat keterangan yang diterbitkan Polri saat orang asing melapor diri.',
      'The certificate the police issued when the foreigner reported their stay.',
    ],
  },
  INCIDENT: {
    title: ['Kejadian yang menyebut Anda', 'Incident naming you'],
    explanation: [
      'Laporan kejadian Polri yang mencatat Anda sebagai pihak (tersangka, korban, saksi atau pelapor).',
      'A police incident report that names you as a party (suspect, victim, witness or reporter).',
    ],
  },
  RESIDENCE: {
    title: ['Surat Keterangan Tempat Tinggal (SKTT)', 'Residence certificate (SKTT)'],
    explanation: [
      'Pendaftaran tempat tinggal di Dinas Kependudukan dan Pencatatan Sipil.',
      'Registration of residence with the civil registry (Dukcapil).',
    ],
  },
  EMPLOYMENT: {
    title: ['Pekerjaan', 'Employment'],
    explanation: ['Pekerjaan yang dilaporkan kepada pemerintah daerah.', 'A job reported to the local government.'],
  },
  COMMUNITY_REPORT: {
    title: ['Laporan masyarakat', 'Community report'],
    explanation: [
      'Laporan warga tentang Anda yang diterima pemerintah daerah (identitas pelapor tidak ditampilkan).',
      "A residents' report about you received by the local government (the reporter is not shown).",
    ],
  },
} as const satisfies Record<string, { title: Bilingual; explanation: Bilingual }>;
export type RecordKind = keyof typeof RECORD_KINDS;

/** Each field group (scope) in plain words. */
export const FIELD_GROUP_LABELS: Record<Scope, Bilingual> = {
  'identity:read': ['identitas', 'identity'],
  'passport:read': ['nomor paspor lengkap', 'full passport number'],
  'permit:read': ['izin tinggal', 'stay permits'],
  'travel:read': ['perlintasan perbatasan', 'border crossings'],
  'watchlist:read': ['cekal', 'entry or exit bans'],
  'enforcement:read': ['tindakan keimigrasian', 'immigration actions'],
  'incident:read': ['kejadian', 'incidents'],
  'incident:detail': ['uraian kejadian', 'incident narratives'],
  'selfreport:read': ['SKLD', 'self-report certificates'],
  'residence:read': ['SKTT dan alamat', 'residence and address'],
  'employment:read': ['pekerjaan', 'employment'],
  'community:read': ['laporan masyarakat', 'community reports'],
  'stats:read': ['statistik', 'statistics'],
  'audit:read': ['log akses', 'access log'],
  'subject-access:read': ['laporan akses subjek data', 'subject-access report'],
  'immigration:write': ['pencatatan imigrasi', 'immigration records written'],
  'police:write': ['pencatatan kepolisian', 'police records written'],
  'localgov:write': ['pencatatan pemerintah daerah', 'local-government records written'],
};

export const AGENCY_NAMES: Record<SubgraphName, Bilingual> = {
  immigration: ['Direktorat Jenderal Imigrasi', 'Directorate General of Immigration'],
  police: ['Kepolisian Negara Republik Indonesia (Polri)', 'Indonesian National Police'],
  'local-government': [
    'Pemerintah daerah (Dinas Kependudukan dan Pencatatan Sipil)',
    'Local government (civil registry, Dukcapil)',
  ],
};

/** A region, written out by name with its code (`Desa …, Kecamatan …, … (16.01.14.1001)`). */
export interface RegionValue {
  regionCode: string;
}

/** One fact of a record: its label and its value (plain text, a date, or a region). */
export type HeldField = readonly [label: Bilingual, value: string | Date | RegionValue | null | undefined];

/** A record an agency holds, as a subgraph hands it to its section. */
export interface HeldRecord {
  kind: RecordKind;
  /** GraphQL type of the record, as the access log names it (`StayPermit`). */
  typeName: string;
  /** The field group the record belongs to: noted as disclosed by the report. */
  scope: Scope;
  /** The stored row (for its id, foreigner and region). */
  row: { _id: string };
  fields: HeldField[];
}

/** A witnessed head as the report carries it between subgraphs. */
export interface WitnessedHead {
  agency: string;
  sequence: number;
  hash: string;
  witness: string;
  witnessedAt: Date | string;
  signatureValid: boolean;
}

/** The report entity as a subgraph's section resolver receives it: its key and the heads it requires. */
export type SubjectAccessRef = { foreignerId: string } & Partial<
  Record<'immigrationWitnessed' | 'policeWitnessed' | 'localGovernmentWitnessed', WitnessedHead[]>
>;

/**
 * A field as the reader sees it. A calendar date (stored as UTC midnight) is `YYYY-MM-DD`; an
 * instant (a crossing, an incident, a report) is written with its time zone, that of the
 * record's region when it has one (`2026-12-07 23:30 WIB`), else WIB (OKU Raya's), named.
 */
function plain(value: HeldField[1], regions: RegionDirectory, zone: RegionTimeZone): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    return value.getTime() % DAY_MS === 0 ? formatCalendarDate(value) : formatDateTimeIn(zone, value);
  }
  if (typeof value === 'string') return value;
  const names: string[] = [];
  for (let r = regions.get(value.regionCode); r; r = r.parentCode ? regions.get(r.parentCode) : undefined) {
    names.push(r.name);
  }
  return names.length > 0 ? `${names.join(', ')} (${value.regionCode})` : value.regionCode;
}

const DAY_MS = 86_400_000;

/** The time zone of a held record's region (its first region field), else WIB. */
function zoneOfRecord(record: HeldRecord): RegionTimeZone {
  for (const [, value] of record.fields) {
    if (value && typeof value === 'object' && !(value instanceof Date)) return timeZoneOfRegion(value.regionCode);
  }
  return TIME_ZONES.WIB;
}

/** Turns a `SCREAMING_CASE` code into words (`WORK_PERMIT` → `work permit`) for the reader. */
export function words(code: string | null | undefined): string | null {
  return code ? code.toLowerCase().replaceAll('_', ' ') : null;
}

/**
 * The heads of other agencies' chains this agency countersigned: for each, the highest one whose
 * signature holds (it pins every record below it), and every one whose signature does not.
 */
export async function witnessedHeads(store: WitnessStore): Promise<WitnessedHead[]> {
  const records = await store.model.find().sort({ agency: 1, seq: 1 }).lean<WitnessRecord[]>().exec();
  const highest = new Map<string, WitnessRecord>();
  const heads: WitnessedHead[] = [];
  const head = (r: WitnessRecord, signatureValid: boolean): WitnessedHead => ({
    agency: r.agency,
    sequence: r.seq,
    hash: r.hash,
    witness: r.witness,
    witnessedAt: r.witnessedAt,
    signatureValid,
  });
  for (const record of records) {
    if (store.check(record)) heads.push(head(record, false));
    else if ((highest.get(record.agency)?.seq ?? -1) <= record.seq) highest.set(record.agency, record);
  }
  return [...heads, ...[...highest.values()].map((r) => head(r, true))];
}

/** The check of this agency's log: its chain, then every head of it the other agencies witnessed. */
async function verifySection(log: AccessLog, witnessed: WitnessedHead[]) {
  const chain = await log.verify();
  const checkpoints = await checkpointsOf(log);
  const problems: WitnessProblem[] = [];
  const upTo = new Map<string, WitnessedHead>();
  for (const head of witnessed) {
    if (!head.signatureValid) {
      problems.push({
        kind: 'FORGED_WITNESS',
        seq: head.sequence,
        witness: head.witness,
        message: `${head.witness}'s witness record of record ${head.sequence} does not carry its signature: it is a forgery`,
      });
      continue;
    }
    const problem = await checkAgainstChain(
      log,
      {
        seq: head.sequence,
        hash: head.hash,
        witness: head.witness,
        witnessedAt: new Date(head.witnessedAt),
      },
      checkpoints,
    );
    if (problem) problems.push(problem);
    else if ((upTo.get(head.witness)?.sequence ?? -1) < head.sequence) upTo.set(head.witness, head);
  }
  const verdict: Verdict = verdictOf(chain, problems);
  return {
    verdict,
    records: chain.records,
    brokenAt: chain.broken?.seq ?? null,
    reason: chain.broken?.reason ?? null,
    unkeyed: chain.unkeyed ?? 0,
    witnessedUpTo: [...upTo.values()],
    problems: problems.map((p) => `${p.kind.replace('_', ' ')}: ${p.message}`),
  };
}

function disclosureOf(record: AccessRecord, witnessedSeq: number) {
  const groups = record.fieldGroups as Scope[];
  return {
    sequence: record.seq,
    at: record.at,
    agency: record.agency,
    agencyType: record.agencyType,
    purpose: record.purpose,
    operationName: record.operationName,
    fieldGroups: groups,
    fieldGroupsId: groups.map((g) => FIELD_GROUP_LABELS[g]?.[0] ?? g),
    fieldGroupsEn: groups.map((g) => FIELD_GROUP_LABELS[g]?.[1] ?? g),
    outcome: record.outcome ?? 'DISCLOSED',
    denials: (record.denials ?? []).map((d) => (d.path ? `${d.code} at ${d.path}` : d.code)),
    hash: record.hash,
    signed: record.signature !== undefined,
    witnessed: record.seq <= witnessedSeq,
  };
}

/**
 * One agency's section of the report: the records it holds (each noted as disclosed to the
 * caller), every access-log record about the foreigner, and the check of that log against the
 * heads the other agencies witnessed (`witnessed`: every witnessed head the gateway gathered).
 */
export async function subjectAccessSection(
  agency: SubgraphName,
  foreignerId: string,
  held: HeldRecord[],
  witnessed: WitnessedHead[],
  ctx: RequestInfo,
) {
  for (const record of held) ctx.disclosures.note(record.scope, record.typeName, record.row);
  const [records, verification, regions] = await Promise.all([
    ctx.accessLog.forForeigner(foreignerId),
    verifySection(
      ctx.accessLog,
      witnessed.filter((h) => h.agency === agency),
    ),
    officialRegions(),
  ]);
  const witnessedSeq =
    verification.verdict === 'BROKEN' ? 0 : Math.max(0, ...verification.witnessedUpTo.map((h) => h.sequence));
  return {
    agency,
    nameId: AGENCY_NAMES[agency][0],
    nameEn: AGENCY_NAMES[agency][1],
    holdings: held.map((record) => ({
      kind: record.kind,
      recordId: `${record.typeName}:${record.row._id}`,
      titleId: RECORD_KINDS[record.kind].title[0],
      titleEn: RECORD_KINDS[record.kind].title[1],
      explanationId: RECORD_KINDS[record.kind].explanation[0],
      explanationEn: RECORD_KINDS[record.kind].explanation[1],
      fields: record.fields.map(([[labelId, labelEn], value]) => ({
        labelId,
        labelEn,
        value: plain(value, regions, zoneOfRecord(record)),
      })),
    })),
    disclosures: records.map((r) => disclosureOf(r, witnessedSeq)),
    verification,
  };
}

/** Every witnessed head the report entity carries, whichever agency witnessed it. */
export function allWitnessed(ref: SubjectAccessRef): WitnessedHead[] {
  return [...(ref.immigrationWitnessed ?? []), ...(ref.policeWitnessed ?? []), ...(ref.localGovernmentWitnessed ?? [])];
}

/**
 * The resolvers every subgraph's part of `SubjectAccessReport` shares: its witnessed heads and its
 * section. Shared by the three subgraphs, so typed here by hand; each subgraph's index checks the
 * map against its generated `Resolvers` when it merges it (common/server/resolvers.ts).
 */
export function subjectAccessResolvers<C extends RequestInfo, F extends AgencyField>(
  agency: SubgraphName,
  field: F,
  held: (foreignerId: string, ctx: C) => Promise<HeldRecord[]>,
) {
  const heads = (_: SubjectAccessRef, __: unknown, ctx: C) => witnessedHeads(ctx.witnesses);
  const section = async (ref: SubjectAccessRef, _: unknown, ctx: C) =>
    subjectAccessSection(agency, ref.foreignerId, await held(ref.foreignerId, ctx), allWitnessed(ref), ctx);
  return {
    SubjectAccessReport: {
      __resolveReference: (ref: SubjectAccessRef) => ref,
      ...({ [`${field}Witnessed`]: heads } as Record<`${F}Witnessed`, typeof heads>),
      ...({ [field]: section } as Record<F, typeof section>),
    },
  };
}
