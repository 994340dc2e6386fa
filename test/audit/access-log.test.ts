/**
 * Every disclosure of personal data is appended to a hash-chained access log in the
 * disclosing subgraph's database; the chain stays one under concurrency; an auditor reads
 * who saw a foreigner's data across all agencies; editing or deleting a record makes
 * `npm run audit -- verify` fail at that record. Personal data needs a stated purpose.
 */
import mongoose from 'mongoose';
import { AccessLog, type AccessRecord } from '../../common/audit/access-log.js';
import { recordId } from '../../common/audit/record-id.js';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';
import { runAuditVerify } from '../helpers/audit.js';
import { expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { testMongoUri } from '../helpers/env.js';
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
      expect(await records('police').countDocuments()).toBe(before + 60);
      expect((await replicaA.verify()).ok).toBe(true);
    } finally {
      await other.close();
    }
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
