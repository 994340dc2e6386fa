/**
 * Every disclosure of personal data is appended to a hash-chained access log in the
 * disclosing subgraph's database; the chain stays one under concurrency; an auditor reads
 * who saw a foreigner's data across all agencies; editing or deleting a record makes
 * `npm run audit -- verify` fail at that record. Personal data needs a stated purpose.
 */
import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { AccessLog, type AccessRecord, type Disclosure, type RecordRegion } from '../../common/audit/access-log.js';
import { recordId } from '../../common/audit/record-id.js';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';
import { runAuditVerify } from '../helpers/audit.js';
import { expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { testMongoUri, uniqueDbName } from '../helpers/env.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let fixture: FullForeigner;
let police: string;

beforeAll(async () => {
  hub = await startTestHub('access_log');
  fixture = await recordFullForeigner(hub);
  police = await tokenFor({
    agencyType: 'POLICE',
    agency: 'POLRES-OKU',
    jurisdiction: ['16.01'],
    subject: 'brigadir-andi',
  });
}, 120_000);
afterAll(() => hub?.stop());

const PROFILE = `query Profile($id: ID!) { foreigner(id: $id) { fullName passportNumber stayPermits { number } selfReports { number } incidents { summary } residence { address } } }`;

function records(name: keyof TestHub['subgraphs']) {
  return hub.subgraphs[name].db.connection.collection<AccessRecord>('access_log');
}

describe('purpose', () => {
  it('is required for personal data, at the gateway and at a subgraph', async () => {
    for (const url of [hub.gatewayUrl, hub.subgraphs.immigration.url]) {
      const response = await graphql(
        url,
        `
          query ($id: ID!) {
            foreigner(id: $id) {
              fullName
            }
          }
        `,
        {
          token: police,
          purpose: null,
          variables: { id: fixture.foreignerId },
        },
      );
      expectError(response, 'PURPOSE_REQUIRED');
      expect(JSON.stringify(response.data ?? null)).not.toContain('Chen');
    }
  });

  it('is not needed for regions and aggregate statistics', async () => {
    expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          {
            region(code: "16.01") {
              name
            }
            foreignerStatistics(regionCode: "16.01") {
              total
            }
          }
        `,
        {
          token: police,
          purpose: null,
        },
      ),
    );
  });
});

describe('the access log', () => {
  it('records each disclosure in the subgraph that disclosed it, with who, why and what', async () => {
    const before = await Promise.all(SUBGRAPH_NAMES.map((n) => records(n).countDocuments()));
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${police}`,
        'x-purpose': 'Investigation LP/B/77/XI/2025',
        'x-request-id': 'audit-test-request-1',
      },
      body: JSON.stringify({ query: PROFILE, operationName: 'Profile', variables: { id: fixture.foreignerId } }),
    });
    expect(response.status).toBe(200);
    const after = await Promise.all(SUBGRAPH_NAMES.map((n) => records(n).countDocuments()));
    expect(after).toEqual(before.map((n) => n + 1));

    const immigration = await records('immigration').findOne({ requestId: 'audit-test-request-1' });
    expect(immigration).toMatchObject({
      subject: 'brigadir-andi',
      agency: 'POLRES-OKU',
      agencyType: 'POLICE',
      purpose: 'Investigation LP/B/77/XI/2025',
      operationName: 'Profile',
      foreignerIds: [fixture.foreignerId],
      fieldGroups: ['identity:read', 'permit:read'],
    });
    expect(immigration!.recordIds).toEqual(
      expect.arrayContaining([`Foreigner:${fixture.foreignerId}`, `StayPermit:${fixture.permitNumber}`]),
    );
    const policeRecord = await records('police').findOne({ requestId: 'audit-test-request-1' });
    expect(policeRecord!.fieldGroups).toEqual(['incident:detail', 'incident:read', 'selfreport:read']);
    expect(policeRecord!.recordIds).toContain(`Incident:${fixture.incidentId}`);
    const localgov = await records('local-government').findOne({ requestId: 'audit-test-request-1' });
    expect(localgov!.fieldGroups).toEqual(['residence:read']);
  });

  it('records nothing for a request that answered nothing about foreigners (regions)', async () => {
    const before = await Promise.all(SUBGRAPH_NAMES.map((name) => records(name).countDocuments()));
    expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          {
            region(code: "16.01") {
              name
              children {
                code
              }
            }
          }
        `,
        { token: police },
      ),
    );
    expect(await Promise.all(SUBGRAPH_NAMES.map((name) => records(name).countDocuments()))).toEqual(before);
  });

  it('tells an auditor who saw a foreigner, when and why, across every agency', async () => {
    const auditor = await tokenFor({ agencyType: 'AUDITOR', agency: 'ITJEN-AUDIT', jurisdiction: ['*'] });
    const data = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          query ($id: ID!) {
            accessLog(foreignerId: $id) {
              immigration {
                sequence
                at
                agency
                purpose
                requestId
                fieldGroups
                hash
                previousHash
              }
              police {
                agency
                purpose
                requestId
              }
              localGovernment {
                agency
                purpose
                requestId
              }
            }
          }
        `,
        { token: auditor, purpose: 'Annual data-protection review', variables: { id: fixture.foreignerId } },
      ),
    );
    const log = data.accessLog;
    for (const part of [log.immigration, log.police, log.localGovernment]) {
      expect(part).toContainEqual(
        expect.objectContaining({
          agency: 'POLRES-OKU',
          purpose: 'Investigation LP/B/77/XI/2025',
          requestId: 'audit-test-request-1',
        }),
      );
    }
    // the writers' own read-backs are there too: the log holds every agency that saw the foreigner
    expect(new Set(log.immigration.map((r: { agency: string }) => r.agency))).toContain('POLRES-OKU');
  });

  it('keeps one unbroken chain under concurrent requests, with no record lost', async () => {
    const before = await Promise.all(SUBGRAPH_NAMES.map((n) => records(n).countDocuments()));
    const concurrent = 40;
    const responses = await Promise.all(
      Array.from({ length: concurrent }, (_, i) =>
        graphql(hub.gatewayUrl, PROFILE, {
          token: police,
          purpose: `load ${i}`,
          variables: { id: fixture.foreignerId },
        }),
      ),
    );
    for (const r of responses) expectNoErrors(r);
    const after = await Promise.all(SUBGRAPH_NAMES.map((n) => records(n).countDocuments()));
    expect(after).toEqual(before.map((n) => n + concurrent));
    for (const name of SUBGRAPH_NAMES) {
      expect(await hub.subgraphs[name].accessLog.verify()).toEqual({
        ok: true,
        records: after[SUBGRAPH_NAMES.indexOf(name)],
      });
    }
  });

  it('keeps one chain when two replicas append to the same database at once', async () => {
    const { dbName } = hub.subgraphs.police;
    const other = await mongoose.createConnection(testMongoUri(), { dbName }).asPromise();
    try {
      const replicaA = hub.subgraphs.police.accessLog;
      const replicaB = new AccessLog(other, replicaA.keys);
      const before = await records('police').countDocuments();
      const disclosure = (i: number) => ({
        requestId: `replica-${i}`,
        subject: 's',
        agency: 'POLRES-OKU',
        agencyType: 'POLICE',
        purpose: 'replica test',
        operationName: null,
        recordIds: [],
        foreignerIds: [fixture.foreignerId],
        fieldGroups: ['incident:read'],
        at: new Date(),
      });
      await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? replicaA : replicaB).append(disclosure(i))));
      await replicaB.flush();
      expect(await records('police').countDocuments()).toBe(before + 60);
      expect((await replicaA.verify()).ok).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('no answer without its record', () => {
  const NAME_ONLY = `query Name($id: ID!) { foreigner(id: $id) { fullName } }`;

  it('is stored when the answer arrives, and a subgraph answer is marked no-store', async () => {
    const requestId = `stored-before-answer-${Date.now()}`;
    const purpose = `record before answer ${requestId}`;
    const response = await fetch(hub.subgraphs.immigration.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${police}`,
        'x-purpose': purpose,
      },
      body: JSON.stringify({ query: NAME_ONLY, variables: { id: fixture.foreignerId } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(JSON.stringify(await response.json())).toContain('Chen');
    // read as soon as the answer is in: the record is already there
    expect(await records('immigration').findOne({ purpose })).toMatchObject({
      foreignerIds: [fixture.foreignerId],
      recordRegions: [{ recordId: `Foreigner:${fixture.foreignerId}`, regionCode: expect.any(String) }],
    });
  });

  it('withholds the data when the record cannot be written, and the chain goes on intact', async () => {
    const accessLog = hub.subgraphs.immigration.accessLog;
    const before = await records('immigration').countDocuments();
    const failing = jest.spyOn(accessLog.records, 'insertMany').mockRejectedValueOnce(new Error('disk full'));
    try {
      const response = await graphql(hub.subgraphs.immigration.url, NAME_ONLY, {
        token: police,
        variables: { id: fixture.foreignerId },
      });
      expect(failing).toHaveBeenCalledTimes(1);
      expect(response.data ?? null).toBeNull();
      expectError(response, 'INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(response)).not.toContain('Chen');
    } finally {
      failing.mockRestore();
    }
    expect(await records('immigration').countDocuments()).toBe(before);
    expectNoErrors(
      await graphql(hub.subgraphs.immigration.url, NAME_ONLY, {
        token: police,
        variables: { id: fixture.foreignerId },
      }),
    );
    expect(await records('immigration').countDocuments()).toBe(before + 1);
    expect((await accessLog.verify()).ok).toBe(true);
  });
});

describe('two writers on one database (replicas of a subgraph)', () => {
  const dbName = uniqueDbName('access_log_writers');
  let connections: mongoose.Connection[];
  let writerA: AccessLog;
  let writerB: AccessLog;

  beforeAll(async () => {
    connections = await Promise.all(
      [0, 1].map(() => mongoose.createConnection(testMongoUri(), { dbName, monitorCommands: true }).asPromise()),
    );
    const keys = hub.subgraphs.police.accessLog.keys;
    [writerA, writerB] = connections.map((c) => new AccessLog(c, keys)) as [AccessLog, AccessLog];
    await writerA.init();
  });
  afterAll(async () => {
    await connections[0]?.dropDatabase();
    await Promise.all(connections.map((c) => c.close()));
  });

  const disclosure = (requestId: string): Disclosure => ({
    requestId,
    subject: 's',
    agency: 'POLRES-OKU',
    agencyType: 'POLICE',
    purpose: 'two writers',
    operationName: null,
    recordIds: [],
    foreignerIds: ['F-WRITERS'],
    fieldGroups: ['incident:read'],
    at: new Date(),
  });
  const log = () => connections[0]!.collection<AccessRecord>('access_log');

  /** The chain verifies, runs 1…n without a gap, and holds each request id once. */
  async function expectChainOf(requestIds: string[]): Promise<void> {
    expect(await writerB.verify()).toEqual({ ok: true, records: requestIds.length });
    const stored = await log().find().sort({ _id: 1 }).toArray();
    expect(stored.map((r) => r.seq)).toEqual(requestIds.map((_, i) => i + 1));
    expect(stored.map((r) => r.requestId).sort()).toEqual([...requestIds].sort());
    const head = await connections[0]!.collection('access_log_head').findOne();
    expect(head).toMatchObject({ seq: requestIds.length, hash: stored.at(-1)!.hash });
  }

  /** The commands `client` sent and had answered while `work` ran, then after the writer flushed. */
  async function commandsOf(connection: mongoose.Connection, writer: AccessLog, work: () => Promise<void>) {
    const answered: string[] = [];
    const record = (event: { commandName: string }) => answered.push(event.commandName);
    const client = connection.getClient();
    client.on('commandSucceeded', record);
    client.on('commandFailed', record);
    try {
      await work();
      const beforeFlush = [...answered];
      await writer.flush();
      return { beforeFlush, all: answered };
    } finally {
      client.off('commandSucceeded', record);
      client.off('commandFailed', record);
    }
  }

  it('keep one chain, every disclosure stored once, when they append at once round after round', async () => {
    const written: string[] = [];
    for (let round = 0; round < 25; round += 1) {
      // interleaved: both at once, then one alone now and then, so each keeps finding its head stale
      const appends = Array.from({ length: round % 5 === 4 ? 3 : 8 }, (_, i) => {
        const writer = round % 5 === 4 ? writerA : i % 2 ? writerA : writerB;
        const requestId = `round-${round}-${i}`;
        written.push(requestId);
        return writer.append(disclosure(requestId));
      });
      await Promise.all(appends);
    }
    await Promise.all([writerA.flush(), writerB.flush()]);
    await expectChainOf(written);
  });

  it('append after one round trip when the head they know holds, the head document advanced after the answer', async () => {
    await writerA.append(disclosure('warm-a'));
    await writerA.flush();
    const { beforeFlush, all } = await commandsOf(connections[0]!, writerA, () =>
      writerA.append(disclosure('one-round-trip')),
    );
    expect(beforeFlush).toEqual(['insert']);
    expect(all).toEqual(['insert', 'findAndModify']);
    const stored = await log().find().sort({ _id: 1 }).toArray();
    await expectChainOf(stored.map((r) => r.requestId));
  });

  it('recover when the head one knows is stale: another appended meanwhile', async () => {
    await writerA.append(disclosure('stale-a-1'));
    for (let i = 0; i < 20; i += 1) await writerB.append(disclosure(`stale-b-${i}`));
    await writerB.flush();
    // A still holds the head it wrote: its insert clashes with B's record, and it walks to B's last
    const { beforeFlush } = await commandsOf(connections[0]!, writerA, () => writerA.append(disclosure('stale-a-2')));
    expect(beforeFlush[0]).toBe('insert');
    expect(beforeFlush.filter((c) => c === 'insert')).toHaveLength(2);
    const stored = await log().find().sort({ _id: 1 }).toArray();
    const last = stored.at(-1)!;
    expect(last).toMatchObject({ requestId: 'stale-a-2', prevHash: stored.at(-2)!.hash });
    expect(stored.at(-2)!.requestId).toBe('stale-b-19');
    await expectChainOf(stored.map((r) => r.requestId));
  });

  it('drop the head they know when the database is rolled back under them, and continue the chain it holds', async () => {
    const db = connections[0]!.db!;
    const saved = {
      log: await log().find().toArray(),
      head: await db.collection('access_log_head').find().toArray(),
    };
    await writerA.append(disclosure('rolled-back-1'));
    await writerA.append(disclosure('rolled-back-2'));
    await writerA.flush();
    // the database as it was before those two: A cannot know before its next append …
    const restore = async () => {
      await log().deleteMany({});
      await log().insertMany(saved.log);
      await db.collection('access_log_head').deleteMany({});
      await db.collection('access_log_head').insertMany(saved.head);
    };
    await restore();
    await writerA.append(disclosure('after-rollback'));
    // … which lands after the head A knew: the chain shows the records the rollback lost
    expect((await writerB.verify()).broken).toMatchObject({ reason: expect.stringMatching(/missing/) });
    // advancing the head document, A finds it moved back, and reads the chain again next time
    await writerA.flush();
    await restore();
    await writerA.append(disclosure('after-restore'));
    await writerA.flush();
    await expectChainOf([...saved.log.map((r) => r.requestId), 'after-restore']);
  });

  it('store the regions of a record as given, and refuse a record whose regions are malformed', async () => {
    const regions = [
      { recordId: 'Foreigner:F-WRITERS', regionCode: '16.01.14.1001' },
      { recordId: 'Incident:I-1', regionCode: '16.01' },
    ];
    await writerA.append({ ...disclosure('with-regions'), recordRegions: regions });
    const stored = await log().findOne({ requestId: 'with-regions' });
    expect(stored!.recordRegions).toEqual(regions);
    const count = await log().countDocuments();
    const malformed = [{ recordId: 'Foreigner:F-WRITERS', regionCode: 16 }] as unknown as RecordRegion[];
    await expect(writerA.append({ ...disclosure('malformed-regions'), recordRegions: malformed })).rejects.toThrow(
      'recordRegions[0] must hold a recordId and a regionCode',
    );
    expect(await log().countDocuments()).toBe(count);
    await writerA.flush();
    const all = await log().find().sort({ _id: 1 }).toArray();
    await expectChainOf(all.map((r) => r.requestId));
  });
});

describe('npm run audit -- verify', () => {
  const audit = () => runAuditVerify(hub);

  it('reports intact chains', async () => {
    const result = await audit();
    expect(result.code).toBe(0);
    for (const name of SUBGRAPH_NAMES) expect(result.stdout).toMatch(new RegExp(`${name}: \\d+ records, chain intact`));
  });

  it('names the first record that was edited, then the first that was deleted, then a truncated end', async () => {
    const log = records('immigration');
    await log.updateOne({ _id: recordId(3) }, { $set: { purpose: 'rewritten afterwards' } });
    let result = await audit();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('immigration: chain BROKEN at record 3: content does not match its hash');
    expect(result.stdout).toMatch(/police: \d+ records, chain intact/);

    await log.deleteOne({ _id: recordId(3) });
    result = await audit();
    expect(result.stdout).toContain('immigration: chain BROKEN at record 3: record 3 is missing (next is 4)');

    const police = records('police');
    const last = await police.countDocuments();
    await police.deleteOne({ _id: recordId(last) });
    result = await audit();
    expect(result.stdout).toContain(
      `police: chain BROKEN at record ${last}: record ${last} is missing (the chain's head is ${last})`,
    );
  });
});
