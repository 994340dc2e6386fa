/**
 * Retention on a real hub (FerretDB, the subgraphs' own access logs and keys), over records
 * seeded with dates that the default rules reach: a dry run reports and changes nothing; a run
 * changes only what each rule says and keeps what a hold keeps; the statistics stay the same;
 * the access log, summarised into a signed checkpoint, still verifies (witnessed heads inside
 * the checkpoint included), and a removed or edited checkpoint is found; a second run changes
 * nothing; a run stopped between checkpoint and deletion is finished by the next.
 */
import type mongoose from 'mongoose';
import type { AccessLogKeys } from '../../common/audit/access-log-keys.js';
import { AccessLog, type AccessRecord, type Disclosure } from '../../common/audit/access-log.js';
import { digestOf, type CheckpointDoc } from '../../common/audit/access-log-checkpoint.js';
import { loadVerifyingKeys, verifyHub, type AgencyVerification } from '../../common/audit/verify-hub.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { loadRetentionConfig } from '../../common/config/retention.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { freePort } from '../../common/db/ferretdb.js';
import { summariseAccessLog } from '../../common/retention/access-log.js';
import { yearsAgo } from '../../common/retention/ages.js';
import { PSEUDONYMISED, REDUCED } from '../../common/retention/redaction.js';
import { applyRules, hubRules } from '../../common/retention/rules.js';
import type { RuleOutcome } from '../../common/retention/rule.js';
import { TEST_DATA_DIR, runAuditVerify } from '../helpers/audit.js';
import { expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let national: string;

const config = loadRetentionConfig({});
const DAY = 86_400_000;
const ago = (years: number, days = 0) => new Date(yearsAgo(years).getTime() - days * DAY);
const fromNow = (days: number) => new Date(Date.now() + days * DAY);

function db(name: SubgraphName): mongoose.Connection {
  return hub.subgraphs[name].db.connection;
}

const connections = () =>
  Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, db(n)])) as Record<SubgraphName, mongoose.Connection>;
const signingKeys = () =>
  Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.subgraphs[n].accessLog.keys])) as Record<
    SubgraphName,
    AccessLogKeys
  >;

function run(dryRun: boolean): Promise<RuleOutcome[]> {
  return applyRules(hubRules(connections(), signingKeys(), config), dryRun);
}

const outcome = (outcomes: RuleOutcome[], subgraph: SubgraphName, collection: string) =>
  outcomes.find((o) => o.subgraph === subgraph && o.collection === collection);

const VILLAGE = {
  domicileRegionCode: '16.01.14.1001',
  domicileProvince: '16',
  domicileRegency: '16.01',
  domicileDistrict: '16.01.14',
};

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

async function rows(subgraph: SubgraphName, collection: string) {
  return db(subgraph)
    .collection(collection)
    .find({ _id: { $regex: '^RET-' } } as never)
    .sort({ _id: 1 })
    .toArray();
}

function disclosure(at: Date, i: number): Disclosure {
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

async function verify(): Promise<Record<SubgraphName, AgencyVerification>> {
  const keys = await loadVerifyingKeys(loadHubConfig({ DATA_DIR: TEST_DATA_DIR }).accessLogKeys);
  const results = await verifyHub(connections(), keys);
  return Object.fromEntries(results.map((r) => [r.agency, r])) as Record<SubgraphName, AgencyVerification>;
}

const STATISTICS = `{ foreignerStatistics(regionCode: "16.01") { total } }`;

async function statistics(): Promise<unknown> {
  const response = await graphql(hub.gatewayUrl, STATISTICS, { token: national });
  expectNoErrors(response);
  return response.data;
}

async function foreignerRow(id: string) {
  return db('immigration')
    .collection('foreigners')
    .findOne({ _id: id as never });
}

beforeAll(async () => {
  // fixed ports, so that each subgraph finds its peers; witnessing runs when the test says
  const env: Record<string, string> = { ACCESS_LOG_WITNESS_INTERVAL_S: '3600' };
  for (const name of SUBGRAPH_NAMES) {
    const port = await freePort();
    env[`${SUBGRAPH_ENV_PREFIX[name]}_PORT`] = String(port);
    env[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = `http://127.0.0.1:${port}/graphql`;
  }
  hub = await startTestHub('retention', { subgraphEnv: env });
  national = await tokenFor({
    agencyType: 'POLICE',
    agency: 'MABES-POLRI',
    jurisdiction: ['16.01'],
    subject: 'analis',
  });

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
  await witnessAll();
  for (let i = 4; i <= 5; i += 1) await log.append(disclosure(ago(config.accessLogYears, 100 - i), i));
  await witnessAll();
  for (let i = 6; i <= 7; i += 1) await log.append(disclosure(ago(0, 10 - i), i));
  await witnessAll();
}, 120_000);
afterAll(() => hub?.stop());

function regionOf() {
  return { regionCode: '16.01.14.1001', regionProvince: '16', regionRegency: '16.01', regionDistrict: '16.01.14' };
}

async function witnessAll(): Promise<void> {
  for (const name of SUBGRAPH_NAMES) {
    for (const o of await hub.subgraphs[name].witness.round()) expect(o).not.toHaveProperty('error');
  }
}

let before: unknown;

describe('a dry run', () => {
  it('reports what each rule would change and changes nothing', async () => {
    before = await statistics();
    const policeLog = await db('police').collection('access_log').countDocuments();
    const outcomes = await run(true);
    process.stderr.write(`\n--- dry run\n${JSON.stringify(outcomes)}\n`);
    expect(outcome(outcomes, 'immigration', 'foreigners')).toMatchObject({ changed: 1, held: 3 });
    expect(outcome(outcomes, 'immigration', 'stay_permits')).toMatchObject({ changed: 1, held: 1 });
    expect(outcome(outcomes, 'police', 'incidents')).toMatchObject({ changed: 1, held: 1 });
    expect(outcome(outcomes, 'police', 'access_log')).toMatchObject({ changed: 5 });
    expect(outcome(outcomes, 'local-government', 'residences')).toMatchObject({ changed: 1 });
    // A is pseudonymised only by the run itself: its crossing is counted held until then
    expect(outcome(outcomes, 'immigration', 'border_crossings')).toMatchObject({ changed: 1, held: 2 });
    expect(outcome(outcomes, 'immigration', 'watchlist_entries')).toMatchObject({ changed: 1, held: 0 });
    expect(outcome(outcomes, 'immigration', 'immigration_actions')).toMatchObject({ changed: 1, held: 2 });
    expect(outcome(outcomes, 'police', 'self_report_certificates')).toMatchObject({ changed: 2, held: 1 });
    expect(outcome(outcomes, 'local-government', 'employments')).toMatchObject({ changed: 1, held: 0 });
    expect(outcome(outcomes, 'local-government', 'community_reports')).toMatchObject({ changed: 1, held: 1 });
    expect((await foreignerRow('RET-A'))?.fullName).toBe('Nama RET-A');
    expect((await rows('immigration', 'watchlist_entries')).map((w) => w._id)).toEqual(['RET-W1', 'RET-W2', 'RET-W3']);
    expect((await rows('local-government', 'community_reports')).map((c) => c.reportedBy)).toEqual([
      'Kepala Desa RET-C1',
      'Kepala Desa RET-C2',
      'Kepala Desa RET-C3',
    ]);
    expect(await db('police').collection('access_log').countDocuments()).toBe(policeLog);
    expect(await db('police').collection('access_log_checkpoint').countDocuments()).toBe(0);
  });
});

describe('a run', () => {
  let outcomes: RuleOutcome[];
  beforeAll(async () => {
    outcomes = await run(false);
  }, 60_000);

  it('pseudonymises a foreigner who left long ago, keeping id and what statistics count', async () => {
    expect(outcome(outcomes, 'immigration', 'foreigners')).toMatchObject({ changed: 1, held: 3 });
    const a = await foreignerRow('RET-A');
    expect(a).toMatchObject({ _id: 'RET-A', fullName: PSEUDONYMISED, nationality: 'AUS', sex: 'MALE', ...VILLAGE });
    expect(a?.passportNumber).toMatch(/^PSEUDONIM-[0-9a-f]{16}$/);
    expect(new Date(a?.dateOfBirth as Date).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    const sponsors = await db('immigration').collection('stay_permits').distinct('sponsor', { foreignerId: 'RET-A' });
    expect(sponsors).toEqual([null]);
  });

  it('keeps the foreigners a hold keeps, and those the rule does not reach', async () => {
    for (const id of ['RET-B', 'RET-C', 'RET-D', 'RET-E', 'RET-F']) {
      expect(await foreignerRow(id)).toMatchObject({ fullName: `Nama ${id}`, passportNumber: `PX${id}` });
    }
  });

  it("deletes permits expired long ago, but not a foreigner's current permit", async () => {
    const left = await db('immigration')
      .collection('stay_permits')
      .distinct('_id', { foreignerId: { $in: ['RET-A', 'RET-C', 'RET-E'] } });
    expect(left.sort()).toEqual(['ITAS-A1', 'ITAS-C1', 'ITAS-E1']);
  });

  it('reduces closed incidents long past, not open or recent ones', async () => {
    const incidents = await db('police')
      .collection('incidents')
      .find({ _id: { $regex: '^RET-' } } as never)
      .sort({ _id: 1 })
      .toArray();
    expect(incidents.map((i) => [i._id, i.summary === REDUCED])).toEqual([
      ['RET-I1', true],
      ['RET-I2', false],
      ['RET-I3', false],
    ]);
    expect(incidents[0]).toMatchObject({ category: 'THEFT', status: 'RESOLVED', foreignerIds: ['RET-A'] });
  });

  it('replaces the address of residences ended long ago', async () => {
    const residences = await db('local-government')
      .collection('residences')
      .find({ _id: { $regex: '^RET-' } } as never)
      .sort({ _id: 1 })
      .toArray();
    expect(residences.map((r) => r.address)).toEqual([PSEUDONYMISED, 'Jl. Baru 2']);
  });

  it('removes the carrier of old crossings of pseudonymised foreigners, keeping date, direction and checkpoint', async () => {
    expect(outcome(outcomes, 'immigration', 'border_crossings')).toMatchObject({ changed: 2, held: 1 });
    const crossings = await rows('immigration', 'border_crossings');
    expect(crossings.map((c) => [c._id, c.carrier])).toEqual([
      ['RET-X1', null],
      ['RET-X2', null],
      ['RET-X3', 'GA 714'],
      ['RET-X4', 'GA 714'],
    ]);
    expect(crossings[0]).toMatchObject({ direction: 'EXIT', checkpointCode: 'CGK', foreignerId: 'RET-A' });
    expect((await foreignerRow('RET-A'))?.lastCrossing).toMatchObject({ direction: 'EXIT' });
  });

  it('deletes cekal entries that ended long ago, not recent or current ones', async () => {
    expect(outcome(outcomes, 'immigration', 'watchlist_entries')).toMatchObject({ changed: 1, held: 0 });
    expect((await rows('immigration', 'watchlist_entries')).map((w) => w._id)).toEqual(['RET-W2', 'RET-W3']);
  });

  it('replaces the reason of old TAK, not of a foreigner still here or with an open incident', async () => {
    expect(outcome(outcomes, 'immigration', 'immigration_actions')).toMatchObject({ changed: 1, held: 2 });
    const actions = await rows('immigration', 'immigration_actions');
    expect(actions.map((a) => [a._id, a.reason === REDUCED])).toEqual([
      ['RET-T1', true],
      ['RET-T2', false],
      ['RET-T3', false],
      ['RET-T4', false],
    ]);
    expect(actions[0]).toMatchObject({ type: 'FINE', office: 'Kanim Palembang', foreignerId: 'RET-A' });
  });

  it('replaces the address of old SKLD, but not the latest of a foreigner still here', async () => {
    expect(outcome(outcomes, 'police', 'self_report_certificates')).toMatchObject({ changed: 2, held: 1 });
    const certificates = await rows('police', 'self_report_certificates');
    expect(certificates.map((c) => [c._id, c.address])).toEqual([
      ['RET-S1', PSEUDONYMISED],
      ['RET-S2', 'Jl. Lapor RET-S2'],
      ['RET-S3', PSEUDONYMISED],
      ['RET-S4', 'Jl. Lapor RET-S4'],
    ]);
    expect(certificates[0]).toMatchObject({ number: 'SKLD/RET-S1', issuingUnit: 'Polres OKU', ...regionOf() });
  });

  it('replaces the employer of employment ended long ago, not of running or recent employment', async () => {
    expect(outcome(outcomes, 'local-government', 'employments')).toMatchObject({ changed: 1, held: 0 });
    const employments = await rows('local-government', 'employments');
    expect(employments.map((e) => e.employer)).toEqual([PSEUDONYMISED, 'Majikan RET-J2', 'Majikan RET-J3']);
    expect(employments[0]).toMatchObject({ employerSector: 'PLANTATION', workPermitNumber: 'RPTKA-RET-J1' });
  });

  it('replaces reporter and text of closed community reports long past, not open or recent ones', async () => {
    expect(outcome(outcomes, 'local-government', 'community_reports')).toMatchObject({ changed: 1, held: 1 });
    const reports = await rows('local-government', 'community_reports');
    expect(reports.map((r) => [r._id, r.reportedBy, r.description === REDUCED])).toEqual([
      ['RET-C1', PSEUDONYMISED, true],
      ['RET-C2', 'Kepala Desa RET-C2', false],
      ['RET-C3', 'Kepala Desa RET-C3', false],
    ]);
    expect(reports[0]).toMatchObject({ category: 'ILLEGAL_WORK', status: 'CLOSED', foreignerId: 'RET-A' });
  });

  it('leaves the statistics as they were', async () => {
    expect(await statistics()).toEqual(before);
  });

  it('summarises old access-log records into a signed checkpoint, and the chain still verifies', async () => {
    expect(outcome(outcomes, 'police', 'access_log')).toMatchObject({ changed: 5 });
    const checkpoint = await db('police').collection('access_log_checkpoint').findOne();
    expect(checkpoint).toMatchObject({ from: 1, seq: 5 });
    expect(checkpoint?.counts).toEqual([
      {
        agency: 'POLRES-OKU',
        purpose: 'INVESTIGATION',
        outcome: 'DISCLOSED',
        month: expect.stringMatching(/^\d{4}-\d\d$/),
        count: expect.any(Number),
      },
      ...Array(checkpoint!.counts.length - 1).fill(expect.anything()),
    ]);
    expect((checkpoint!.counts as { count: number }[]).reduce((n, c) => n + c.count, 0)).toBe(5);
    expect(
      await db('police')
        .collection('access_log')
        .countDocuments({ seq: { $lte: 5 } }),
    ).toBe(0);

    const results = await verify();
    expect(results.police).toMatchObject({ verdict: 'INTACT', chain: { ok: true, summarised: 5 }, problems: [] });
    // the heads witnessed at records 3 and 5 lie inside the checkpoint, and are checked against it
    expect(results.police.lastWitnessed.length).toBeGreaterThan(0);
    const cli = await runAuditVerify(hub);
    expect(cli.stdout).toContain('records 1–5 summarised');
    expect(cli.code).toBe(0);
  });

  it('changes nothing when run again', async () => {
    const again = await run(false);
    for (const o of again) expect(o.changed).toBe(0);
  });
});

describe("a subgraph's scheduled job", () => {
  it('applies its own rules, never those on foreigners, TAK and SKLD (whose holds lie elsewhere)', async () => {
    const immigration = await hub.subgraphs.immigration.retention.run();
    expect(immigration?.map((o) => [o.collection, o.changed])).toEqual([
      ['access_log', 0],
      ['stay_permits', 0],
      ['border_crossings', 0],
      ['watchlist_entries', 0],
    ]);
    const police = await hub.subgraphs.police.retention.run();
    expect(police?.map((o) => [o.collection, o.changed])).toEqual([
      ['access_log', 0],
      ['incidents', 0],
    ]);
    const localGovernment = await hub.subgraphs['local-government'].retention.run();
    expect(localGovernment?.map((o) => [o.collection, o.changed])).toEqual([
      ['access_log', 0],
      ['residences', 0],
      ['employments', 0],
      ['community_reports', 0],
    ]);
  });
});

describe('the checkpoint', () => {
  it('is finished by the next run when a run stopped between checkpoint and deletion', async () => {
    const scratch = db('police').useDb(`${hub.subgraphs.police.dbName}_resume`);
    try {
      const log = new AccessLog(scratch, hub.subgraphs.police.accessLog.keys);
      await log.init();
      for (let i = 1; i <= 3; i += 1) await log.append(disclosure(ago(config.accessLogYears, 50 - i), i));
      await log.append(disclosure(ago(0, 1), 4));
      const summarised = await log.records
        .find({ seq: { $lte: 3 } })
        .sort({ _id: 1 })
        .lean<AccessRecord[]>()
        .exec();
      // what a run leaves when it stops after its checkpoint and its first deletion
      await log.checkpoints.keepHashes(summarised);
      await log.checkpoints.write({
        from: 1,
        seq: 3,
        hash: summarised[2]!.hash,
        hashesDigest: digestOf(summarised.map((r) => r.hash)),
        before: yearsAgo(config.accessLogYears),
        counts: [],
      });
      await log.records.deleteOne({ _id: '000000000001' }).exec();
      expect(await log.verify()).toMatchObject({ ok: true, summarised: 3 });

      expect(await summariseAccessLog(log, yearsAgo(config.accessLogYears), false)).toEqual({ changed: 0, held: 1 });
      expect(await log.records.countDocuments().exec()).toBe(1);
      expect(await log.verify()).toMatchObject({ ok: true, records: 1, summarised: 3 });
    } finally {
      await scratch.dropDatabase();
    }
  });

  it('removed, leaves the log broken', async () => {
    const checkpoints = db('police').collection('access_log_checkpoint');
    const saved = await checkpoints.find().toArray();
    await checkpoints.deleteMany({});
    try {
      const results = await verify();
      expect(results.police.verdict).toBe('BROKEN');
      expect(results.police.chain.broken?.reason).toMatch(/records 1–5 are missing .*no checkpoint/);
    } finally {
      await checkpoints.insertMany(saved);
    }
  });

  it('with a kept hash edited or removed, leaves the log broken', async () => {
    const kept = db('police').collection<{ _id: string; hash: string }>('access_log_summarised');
    const third = (await kept.findOne({ _id: '000000000003' }))!;
    await kept.updateOne({ _id: third._id }, { $set: { hash: 'e'.repeat(64) } });
    try {
      expect((await verify()).police.chain.broken?.reason).toMatch(/hashes kept of records 1–5 .* do not match/);
    } finally {
      await kept.updateOne({ _id: third._id }, { $set: { hash: third.hash } });
    }
    expect((await verify()).police.verdict).toBe('INTACT');
  });

  it('re-signed by an insider with the key over rewritten hashes, is caught by the witness of a summarised head', async () => {
    const checkpoints = db('police').collection<CheckpointDoc>('access_log_checkpoint');
    const kept = db('police').collection<{ _id: string; hash: string }>('access_log_summarised');
    const original = (await checkpoints.findOne())!;
    const hashes = (await kept.find().sort({ _id: 1 }).toArray()).map((k) => k.hash);
    const rewritten = hashes.map((h, i) => (i === 2 ? 'e'.repeat(64) : h));
    await kept.updateOne({ _id: '000000000003' }, { $set: { hash: rewritten[2]! } });
    await checkpoints.deleteMany({});
    const { _id: _id0, keyId: _keyId, signature: _signature, createdAt: _createdAt, ...content } = original;
    await hub.subgraphs.police.accessLog.checkpoints.write({ ...content, hashesDigest: digestOf(rewritten) });
    try {
      const results = await verify();
      expect(results.police.chain.ok).toBe(true);
      expect(results.police.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'REWRITTEN', seq: 3 })]),
      );
      expect(results.police.verdict).toBe('BROKEN');
    } finally {
      await checkpoints.deleteMany({});
      await checkpoints.insertOne(original);
      await kept.updateOne({ _id: '000000000003' }, { $set: { hash: hashes[2]! } });
    }
    expect((await verify()).police.verdict).toBe('INTACT');
  });

  it('edited, leaves the log broken', async () => {
    const checkpoints = db('police').collection('access_log_checkpoint');
    await checkpoints.updateOne({}, { $inc: { 'counts.0.count': 1 } });
    try {
      const results = await verify();
      expect(results.police.verdict).toBe('BROKEN');
      expect(results.police.chain.broken?.reason).toMatch(/checkpoint .* signature that does not match/);
    } finally {
      await checkpoints.updateOne({}, { $inc: { 'counts.0.count': -1 } });
    }
    expect((await verify()).police.verdict).toBe('INTACT');
  });
});

describe('configuration', () => {
  it('refuses a rule that is not a whole number of years, naming the variable', () => {
    expect(() => loadRetentionConfig({ RETENTION_ACCESS_LOG_YEARS: 'lima', RETENTION_INTERVAL_H: '-1' })).toThrow(
      /RETENTION_ACCESS_LOG_YEARS[\s\S]*"lima"[\s\S]*RETENTION_INTERVAL_H/,
    );
  });

  it('has the documented defaults', () => {
    expect(config).toEqual({
      accessLogYears: 5,
      foreignerYears: 10,
      permitYears: 10,
      incidentYears: 5,
      intervalMs: 24 * 3_600_000,
    });
  });
});
