/**
 * Agencies witness each other's access-log heads: only a peer's signed request is answered, a
 * peer that is down fails no round, and a subgraph that stops hands its last head over. Refused
 * requests (FORBIDDEN, PURPOSE_REQUIRED) leave DENIED records, at the gateway and at a subgraph
 * reached directly. What tampering the logs withstand: access-log-tampering.test.ts.
 */
import { AccessLogKeys } from '../../common/audit/access-log-keys.js';
import { loadVerifyingKeys } from '../../common/audit/verify-hub.js';
import { HEAD_ROUTE, Witness, WitnessStore } from '../../common/audit/witness.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { freePort } from '../../common/db/ferretdb.js';
import { createLogger } from '../../common/logger.js';
import { startSubgraph } from '../../common/server/subgraph-server.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { TEST_DATA_DIR as DATA_DIR } from '../helpers/audit.js';
import { testSubgraphConfig } from '../helpers/env.js';
import type { FullForeigner } from '../helpers/fixtures.js';
import { expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';
import { pem, startTamperingHub, tamperingTools, type TamperingHub } from '../helpers/tampering.js';

let setup: TamperingHub;
let hub: TestHub;
let fixture: FullForeigner;
let police: string;
let peerEnv: Record<string, string>;
const { collection, verify } = tamperingTools(() => setup);

beforeAll(async () => {
  setup = await startTamperingHub('witnessing');
  ({ hub, fixture, police, peerEnv } = setup);
}, 120_000);
afterAll(() => setup?.hub.stop());

describe('witnessing', () => {
  it('answers a chain head only to a request signed by a peer’s key', async () => {
    const url = new URL(HEAD_ROUTE, hub.subgraphs.immigration.url);
    expect((await fetch(url)).status).toBe(401);
    const intruder = AccessLogKeys.fromPem('police', pem().privatePem, { sign: true, file: 'intruder.pem' });
    const store = new WitnessStore(hub.subgraphs.police.db.connection, intruder);
    const peerKeys = await loadVerifyingKeys(loadHubConfig({ DATA_DIR }).accessLogKeys);
    const witness = new Witness(
      store,
      [{ name: 'immigration', url: hub.subgraphs.immigration.url, keys: peerKeys.immigration }],
      0,
      createLogger('test', 'silent'),
    );
    const [outcome] = await witness.round();
    expect(outcome).toEqual({
      peer: 'immigration',
      error: expect.stringMatching(/^immigration answered 401: not signed by a peer's access-log key/),
    });
  });

  it('never fails on a peer that is down: the round reports it and the next round tries again', async () => {
    const own = await loadVerifyingKeys(loadHubConfig({ DATA_DIR }).accessLogKeys);
    const signing = await AccessLogKeys.load('police', loadHubConfig({ DATA_DIR }).accessLogKeys.police, {
      sign: true,
    });
    const port = await freePort();
    const witness = new Witness(
      new WitnessStore(hub.subgraphs.police.db.connection, signing),
      [{ name: 'immigration', url: `http://127.0.0.1:${port}/graphql`, keys: own.immigration }],
      0,
      createLogger('test', 'silent'),
    );
    for (let i = 0; i < 2; i += 1) {
      const [outcome] = await witness.round();
      expect(outcome).toEqual({ peer: 'immigration', error: expect.any(String) });
    }
  });
});

describe('a subgraph that stops', () => {
  it('hands its last head to its peers, which witness it at once', async () => {
    // a second immigration replica on the same database, stopped once it has written a record
    const replica = await startSubgraph(
      immigrationSubgraph,
      testSubgraphConfig('immigration', hub.subgraphs.immigration.dbName, { ...peerEnv, IMMIGRATION_PORT: '0' }),
    );
    expectNoErrors(
      await graphql(
        replica.url,
        `
          query ($id: ID!) {
            foreigner(id: $id) {
              fullName
            }
          }
        `,
        {
          token: police,
          variables: { id: fixture.foreignerId },
        },
      ),
    );
    const head = await replica.accessLog.chainHead();
    await replica.stop();
    const witnessed = await collection('police', 'access_log_witness').findOne({
      agency: 'immigration',
      seq: head.seq,
    });
    expect(witnessed).toMatchObject({ hash: head.hash, witness: 'police' });
    expect((await verify()).results.immigration.lastWitnessed).toContainEqual(
      expect.objectContaining({ witness: 'police', seq: head.seq }),
    );
  });

  it('refuses a head that a peer did not sign', async () => {
    const url = new URL(HEAD_ROUTE, hub.subgraphs.police.url);
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({})).status).toBe(400);
    expect((await post({ head: 'not-a-token' })).status).toBe(401);
  });
});

describe('denied requests leave a record', () => {
  const auditorQuery = `query ($id: ID!, $outcomes: [AccessOutcome!]) {
    accessLog(foreignerId: $id) {
      immigration(outcomes: $outcomes) { requestId agency outcome denials { code path } recordIds keyId }
    }
  }`;

  async function deniedRecords() {
    const auditor = await tokenFor({ agencyType: 'AUDITOR', agency: 'ITJEN-AUDIT', jurisdiction: ['*'] });
    const data = expectNoErrors(
      await graphql(hub.gatewayUrl, auditorQuery, {
        token: auditor,
        purpose: 'Review of refused requests',
        variables: { id: fixture.foreignerId, outcomes: ['DENIED'] },
      }),
    );
    return data.accessLog.immigration as { requestId: string; outcome: string; denials: unknown[]; keyId: string }[];
  }

  for (const target of ['gateway', 'subgraph'] as const) {
    it(`FORBIDDEN (a field outside the caller's scopes: the access log itself), at the ${target}`, async () => {
      const url = target === 'gateway' ? hub.gatewayUrl : hub.subgraphs.immigration.url;
      const subject = `curious-${target}`;
      const localgov = await tokenFor({
        agencyType: 'LOCAL_GOVERNMENT',
        agency: 'PEMKAB-OKU',
        jurisdiction: ['16.01'],
        subject,
      });
      const response = await graphql(
        url,
        `
          query ($id: ID!) {
            accessLog(foreignerId: $id) {
              foreignerId
            }
          }
        `,
        { token: localgov, variables: { id: fixture.foreignerId } },
      );
      expectError(response, 'FORBIDDEN');
      const record = (await collection('immigration').findOne({ subject }))!;
      expect(record).toMatchObject({
        agency: 'PEMKAB-OKU',
        outcome: 'DENIED',
        denials: [{ code: 'FORBIDDEN', path: 'accessLog' }],
        foreignerIds: [fixture.foreignerId],
        recordIds: [],
      });
      const seen = await deniedRecords();
      expect(seen).toContainEqual(
        expect.objectContaining({
          requestId: record.requestId,
          outcome: 'DENIED',
          denials: [{ code: 'FORBIDDEN', path: 'accessLog' }],
        }),
      );
      expect(seen.every((r) => r.outcome === 'DENIED')).toBe(true);
    });

    it(`PURPOSE_REQUIRED (personal data without X-Purpose), at the ${target}`, async () => {
      const url = target === 'gateway' ? hub.gatewayUrl : hub.subgraphs.immigration.url;
      const subject = `no-purpose-${target}`;
      const token = await tokenFor({ agencyType: 'POLICE', agency: 'POLRES-OKU', jurisdiction: ['16.01'], subject });
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
          token,
          purpose: null,
          variables: { id: fixture.foreignerId },
        },
      );
      expectError(response, 'PURPOSE_REQUIRED');
      const record = await collection('immigration').findOne({ subject });
      expect(record).toMatchObject({
        purpose: null,
        outcome: 'DENIED',
        denials: [{ code: 'PURPOSE_REQUIRED', path: 'foreigner' }],
        foreignerIds: [fixture.foreignerId],
        recordIds: [],
      });
      expect((await deniedRecords()).map((r) => r.requestId)).toContain(record!.requestId);
    });
  }

  it('a partly refused request is PARTLY_DENIED, with what it was shown and what it was refused', async () => {
    const localgov = await tokenFor({
      agencyType: 'LOCAL_GOVERNMENT',
      agency: 'PEMKAB-OKU',
      jurisdiction: ['16.01'],
      subject: 'partly',
    });
    await graphql(
      hub.gatewayUrl,
      `
        query ($id: ID!) {
          foreigner(id: $id) {
            fullName
            borderCrossings {
              direction
            }
          }
        }
      `,
      {
        token: localgov,
        variables: { id: fixture.foreignerId },
      },
    );
    const record = await collection('immigration').findOne({ subject: 'partly' });
    expect(record).toMatchObject({
      outcome: 'PARTLY_DENIED',
      denials: [{ code: 'FORBIDDEN', path: 'foreigner.borderCrossings' }],
      recordIds: [`Foreigner:${fixture.foreignerId}`],
    });
    // and the log with its DENIED records still verifies
    expect((await verify()).results.immigration.verdict).toBe('INTACT');
  });
});
