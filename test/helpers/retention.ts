/**
 * A hub whose databases hold records dated so that the default retention rules reach them, for
 * the retention tests: foreigners, permits, crossings, cekal, TAK, incidents, SKLD, employment,
 * community reports and residences (ids `RET-…`, with what each rule should do to each), and a
 * police access log of five records older than the rule (witnessed) and two recent ones.
 */
import type mongoose from 'mongoose';
import type { AccessLogKeys } from '../../common/audit/access-log-keys.js';
import type { Disclosure } from '../../common/audit/access-log.js';
import { loadVerifyingKeys, verifyHub, type AgencyVerification } from '../../common/audit/verify-hub.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { loadRetentionConfig } from '../../common/config/retention.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { yearsAgo } from '../../common/retention/ages.js';
import { PSEUDONYMISED } from '../../common/retention/redaction.js';
import { applyRules, hubRules } from '../../common/retention/rules.js';
import type { RuleOutcome } from '../../common/retention/rule.js';
import { TEST_DATA_DIR } from './audit.js';
import { startTestHub, type TestHub } from './hub.js';
import { peerEnv, witnessAll } from './witnessing.js';

export const config = loadRetentionConfig({});
const DAY = 86_400_000;
export const ago = (years: number, days = 0) => new Date(yearsAgo(years).getTime() - days * DAY);
const fromNow = (days: number) => new Date(Date.now() + days * DAY);

export const outcome = (outcomes: RuleOutcome[], subgraph: SubgraphName, collection: string) =>
  outcomes.find((o) => o.subgraph === subgraph && o.collection === collection);

export const VILLAGE = {
  domicileRegionCode: '16.01.14.1001',
  domicileProvince: '16',
  domicileRegency: '16.01',
  domicileDistrict: '16.01.14',
};

export function regionOf() {
  return { regionCode: '16.01.14.1001', regionProvince: '16', regionRegency: '16.01', regionDistrict: '16.01.14' };
}

/** The databases, rules and verification of `current()`'s hub, named as the tests use them. */
export function retentionTools(current: () => TestHub) {
  const db = (name: SubgraphName): mongoose.Connection => current().subgraphs[name].db.connection;
  const connections = () =>
    Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, db(n)])) as Record<SubgraphName, mongoose.Connection>;
  const signingKeys = () =>
    Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, current().subgraphs[n].accessLog.keys])) as Record<
      SubgraphName,
      AccessLogKeys
    >;
  return {
    db,
    run(dryRun: boolean): Promise<RuleOutcome[]> {
      return applyRules(hubRules(connections(), signingKeys(), config), dryRun);
    },
    async rows(subgraph: SubgraphName, collection: string) {
      return db(subgraph)
        .collection(collection)
        .find({ _id: { $regex: '^RET-' } } as never)
        .sort({ _id: 1 })
        .toArray();
    },
    async verify(): Promise<Record<SubgraphName, AgencyVerification>> {
      const keys = await loadVerifyingKeys(loadHubConfig({ DATA_DIR: TEST_DATA_DIR }).accessLogKeys);
      const results = await verifyHub(connections(), keys);
      return Object.fromEntries(results.map((r) => [r.agency, r])) as Record<SubgraphName, AgencyVerification>;
    },
    async foreignerRow(id: string) {
      return db('immigration')
        .collection('foreigners')
        .findOne({ _id: id as never });
    },
  };
}

function foreigner(
  id: string,
  lastCrossing: { direction: 'ENTRY' | 'EXIT'; crossedAt: Date },
  permit: { number: string; expiresAt: Date } | null,
) {
  return {
    _id: id,
    fullName: `Nama ${id}`,
    nationality: 'AUS',
    sex: 'MALE',
    dateOfBirth: new Date('1970-05-17T00:00:00Z'),
    passportNumber: `PX${id}`,
    ...VILLAGE,
    currentPermit: permit
      ? { number: permit.number, type: 'LIMITED_STAY', status: 'ACTIVE', expiresAt: permit.expiresAt }
      : null,
    lastCrossing,
    createdAt: ago(20),
  };
}

function permit(number: string, foreignerId: string, expiresAt: Date) {
  return {
    _id: number,
    foreignerId,
    type: 'LIMITED_STAY',
    purpose: 'WORK',
    issuedAt: new Date(expiresAt.getTime() - 365 * DAY),
    expiresAt,
    status: 'ACTIVE',
    issuingOffice: 'Kanim Palembang',
    sponsor: { name: 'PT Sponsor', type: 'COMPANY', address: 'Jl. Sudirman 1' },
  };
}

function incident(id: string, status: string, occurredAt: Date, foreignerIds: string[]) {
  return {
    _id: id,
    reportNumber: `LP/${id}`,
    category: 'THEFT',
    occurredAt,
    regionCode: '16.01.14.1001',
    regionProvince: '16',
    regionRegency: '16.01',
    regionDistrict: '16.01.14',
    status,
    summary: `Ringkasan ${id} menyebut nama saksi`,
    parties: foreignerIds.map((foreignerId) => ({ foreignerId, involvement: 'SUSPECT' })),
    foreignerIds,
    createdAt: occurredAt,
  };
}

function crossing(id: string, foreignerId: string, crossedAt: Date) {
  return {
    _id: id,
    foreignerId,
    direction: 'EXIT',
    checkpointCode: 'CGK',
    checkpointName: 'Bandara Soekarno-Hatta',
    crossedAt,
    carrier: 'GA 714',
  };
}

function cekal(id: string, foreignerId: string, until: Date | null) {
  return {
    _id: id,
    foreignerId,
    type: 'PREVENTION',
    reason: 'Permintaan penyidik',
    since: ago(config.foreignerYears + 3),
    until,
    requestedBy: 'Polda Sumsel',
  };
}

function action(id: string, foreignerId: string, decidedAt: Date) {
  return {
    _id: id,
    foreignerId,
    type: 'FINE',
    decidedAt,
    reason: `Alasan ${id} menyebut majikan`,
    office: 'Kanim Palembang',
  };
}

function selfReport(id: string, foreignerId: string, validUntil: Date) {
  return {
    _id: id,
    number: `SKLD/${id}`,
    foreignerId,
    issuedAt: new Date(validUntil.getTime() - 365 * DAY),
    validUntil,
    issuingUnit: 'Polres OKU',
    address: `Jl. Lapor ${id}`,
    ...regionOf(),
    createdAt: new Date(validUntil.getTime() - 365 * DAY),
  };
}

function employment(id: string, foreignerId: string, endedOn: Date | null) {
  return {
    _id: id,
    foreignerId,
    employer: `Majikan ${id}`,
    employerSector: 'PLANTATION',
    position: 'Agronomis',
    workPermitNumber: `RPTKA-${id}`,
    ...regionOf(),
    startedOn: ago(config.foreignerYears + 5),
    endedOn,
    createdAt: ago(config.foreignerYears + 5),
  };
}

function communityReport(id: string, status: string, reportedAt: Date) {
  return {
    _id: id,
    category: 'ILLEGAL_WORK',
    ...regionOf(),
    reportedAt,
    description: `Laporan ${id} menyebut tetangga`,
    reportedBy: `Kepala Desa ${id}`,
    foreignerId: 'RET-A',
    status,
    createdAt: reportedAt,
  };
}

export function disclosure(at: Date, i: number): Disclosure {
  return {
    requestId: `old-${i}`,
    subject: 'brigadir-lama',
    agency: 'POLRES-OKU',
    agencyType: 'POLICE',
    purpose: 'INVESTIGATION',
    operationName: 'Profile',
    recordIds: [`Foreigner:RET-A`],
    foreignerIds: ['RET-A'],
    fieldGroups: ['identity'],
    at,
  };
}

/** Starts a hub on fixed ports (so that each subgraph finds its peers) and seeds it. */
export async function startRetentionHub(label: string): Promise<TestHub> {
  const hub = await startTestHub(label, { subgraphEnv: await peerEnv() });
  try {
    const { db } = retentionTools(() => hub);
    const left = { direction: 'EXIT' as const, crossedAt: ago(config.foreignerYears, 30) };
    await db('immigration')
      .collection('foreigners')
      .insertMany([
        foreigner('RET-A', left, { number: 'ITAS-A1', expiresAt: ago(config.foreignerYears, 60) }), // pseudonymised
        foreigner('RET-B', left, null), // held: an open incident
        foreigner('RET-C', left, null), // held: a permit not yet expired
        foreigner('RET-D', { direction: 'ENTRY', crossedAt: ago(config.foreignerYears, 30) }, null), // present
        foreigner('RET-E', { direction: 'EXIT', crossedAt: ago(2) }, null), // left recently
        foreigner('RET-F', left, null), // held: a residence still valid
        { ...foreigner('RET-G', left, null), fullName: PSEUDONYMISED }, // pseudonymised by an earlier run
      ] as never[]);
    await db('immigration')
      .collection('border_crossings')
      .insertMany([
        crossing('RET-X1', 'RET-A', ago(config.foreignerYears, 30)), // reduced once A is pseudonymised
        crossing('RET-X2', 'RET-G', ago(config.foreignerYears, 30)), // reduced
        crossing('RET-X3', 'RET-B', ago(config.foreignerYears, 30)), // held: B is not pseudonymised
        crossing('RET-X4', 'RET-E', ago(2)), // kept: recent
      ] as never[]);
    await db('immigration')
      .collection('watchlist_entries')
      .insertMany([
        cekal('RET-W1', 'RET-D', ago(config.foreignerYears, 30)), // deleted
        cekal('RET-W2', 'RET-E', ago(1)), // kept: ended recently
        cekal('RET-W3', 'RET-C', null), // kept: current
      ] as never[]);
    await db('immigration')
      .collection('immigration_actions')
      .insertMany([
        action('RET-T1', 'RET-A', ago(config.foreignerYears, 30)), // reduced
        action('RET-T2', 'RET-D', ago(config.foreignerYears, 30)), // held: D is still in the country
        action('RET-T3', 'RET-B', ago(config.foreignerYears, 30)), // held: an open incident
        action('RET-T4', 'RET-E', ago(1)), // kept: recent
      ] as never[]);
    await db('immigration')
      .collection('stay_permits')
      .insertMany([
        permit('ITAS-A0', 'RET-A', ago(config.permitYears, 400)), // deleted
        permit('ITAS-A1', 'RET-A', ago(config.foreignerYears, 60)), // held: A's current permit
        permit('ITAS-C1', 'RET-C', fromNow(200)), // kept: valid
        permit('ITAS-E1', 'RET-E', ago(3)), // kept: expired recently
      ] as never[]);
    await db('police')
      .collection('incidents')
      .insertMany([
        incident('RET-I1', 'RESOLVED', ago(config.incidentYears, 10), ['RET-A']), // reduced
        incident('RET-I2', 'UNDER_INVESTIGATION', ago(config.incidentYears, 10), ['RET-B']), // held: open
        incident('RET-I3', 'RESOLVED', ago(1), ['RET-E']), // kept: recent
      ] as never[]);
    await db('police')
      .collection('self_report_certificates')
      .insertMany([
        selfReport('RET-S1', 'RET-A', ago(config.foreignerYears, 30)), // pseudonymised: A left
        selfReport('RET-S2', 'RET-D', ago(config.foreignerYears, 30)), // held: D's latest, D still here
        selfReport('RET-S3', 'RET-D', ago(config.foreignerYears + 2)), // pseudonymised: not D's latest
        selfReport('RET-S4', 'RET-E', fromNow(100)), // kept: valid
      ] as never[]);
    await db('local-government')
      .collection('employments')
      .insertMany([
        employment('RET-J1', 'RET-A', ago(config.foreignerYears, 30)), // pseudonymised
        employment('RET-J2', 'RET-D', null), // kept: not ended
        employment('RET-J3', 'RET-E', ago(1)), // kept: ended recently
      ] as never[]);
    await db('local-government')
      .collection('community_reports')
      .insertMany([
        communityReport('RET-C1', 'CLOSED', ago(config.incidentYears, 10)), // reduced
        communityReport('RET-C2', 'FORWARDED', ago(config.incidentYears, 10)), // held: not closed
        communityReport('RET-C3', 'CLOSED', ago(1)), // kept: recent
      ] as never[]);
    await db('local-government')
      .collection('residences')
      .insertMany([
        {
          _id: 'RET-R1',
          foreignerId: 'RET-A',
          number: 'SKTT-RET-1',
          address: 'Jl. Lama 1',
          ...regionOf(),
          registeredAt: ago(15),
          validUntil: ago(config.foreignerYears, 30),
          createdAt: ago(15),
        },
        {
          _id: 'RET-R2',
          foreignerId: 'RET-F',
          number: 'SKTT-RET-2',
          address: 'Jl. Baru 2',
          ...regionOf(),
          registeredAt: ago(1),
          validUntil: fromNow(300),
          createdAt: ago(1),
        },
      ] as never[]);

    // police's log: five records older than the rule (the first three witnessed), then two recent
    const log = hub.subgraphs.police.accessLog;
    for (let i = 1; i <= 3; i += 1) await log.append(disclosure(ago(config.accessLogYears, 100 - i), i));
    await witnessAll(hub);
    for (let i = 4; i <= 5; i += 1) await log.append(disclosure(ago(config.accessLogYears, 100 - i), i));
    await witnessAll(hub);
    for (let i = 6; i <= 7; i += 1) await log.append(disclosure(ago(0, 10 - i), i));
    await witnessAll(hub);
  } catch (error) {
    await hub.stop();
    throw error;
  }
  return hub;
}
