/**
 * Retention rules on a real hub (FerretDB, the subgraphs' own access logs and keys), over records
 * seeded with dates that the default rules reach (test/helpers/retention.ts): a dry run reports
 * and changes nothing; a run changes only what each rule says and keeps what a hold keeps; the
 * statistics stay the same; the access log, summarised into a signed checkpoint, still verifies;
 * a second run changes nothing. What a checkpoint withstands: retention-checkpoint.test.ts.
 */
import type { RuleOutcome } from '../../common/retention/rule.js';
import { loadRetentionConfig } from '../../common/config/retention.js';
import { nameTrigrams } from '../../common/name-trigrams.js';
import { PSEUDONYMISED, REDUCED } from '../../common/retention/redaction.js';
import { runAuditVerify } from '../helpers/audit.js';
import { expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';
import { config, outcome, regionOf, retentionTools, startRetentionHub, VILLAGE } from '../helpers/retention.js';

let hub: TestHub;
let national: string;
const { db, run, rows, verify, foreignerRow } = retentionTools(() => hub);

const STATISTICS = `{ foreignerStatistics(regionCode: "16.01") { total } }`;

async function statistics(): Promise<unknown> {
  const response = await graphql(hub.gatewayUrl, STATISTICS, { token: national });
  expectNoErrors(response);
  return response.data;
}

beforeAll(async () => {
  hub = await startRetentionHub('retention');
  national = await tokenFor({
    agencyType: 'POLICE',
    agency: 'MABES-POLRI',
    jurisdiction: ['16.01'],
    subject: 'analis',
  });
}, 120_000);
afterAll(() => hub?.stop());

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
    // the trigrams of the name, which spell it out, are replaced with those of the pseudonym
    expect(a?.nameTrigrams).toEqual(nameTrigrams(PSEUDONYMISED));
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
