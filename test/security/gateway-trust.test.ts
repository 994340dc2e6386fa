/**
 * Attacks on what only the gateway may do, made by someone who reaches the subgraphs' ports
 * with a valid member or partner token: forged gateway headers, forged, moved or replayed
 * gateway signatures, `_entities` / `_service` / introspection, partners' ad-hoc documents; and
 * on the gateway itself: development tokens beyond loopback and mangled purposes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { GATEWAY_SIGNATURE_HEADER } from '../../common/auth/gateway-signature.js';
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { ConfigError } from '../../common/config/parse.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { startGateway } from '../../gateway/src/server.js';
import { IMMIGRATION_OKU, expectError, expectNoErrors, graphql, signAsGateway, tokenFor } from '../helpers/graphql.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { testGatewayConfig } from '../helpers/env.js';

let hub: TestHub;
let fixture: FullForeigner;
let member: string;
let partner: string;

const attempts: Record<string, number> = {};
const attempt = (kind: string) => {
  attempts[kind] = (attempts[kind] ?? 0) + 1;
};

const VERIFY = fs.readFileSync(
  new URL('../../schema/operations/partner/VerifyStayPermit.graphql', import.meta.url),
  'utf8',
);
const FOREIGNER = `query ($id: ID!) { foreigner(id: $id) { id fullName } }`;

beforeAll(async () => {
  hub = await startTestHub('gateway_trust');
  fixture = await recordFullForeigner(hub);
  member = await tokenFor(IMMIGRATION_OKU);
  partner = await tokenFor({
    agencyType: 'PARTNER',
    agency: 'PT-SAWIT-OGAN-LESTARI',
    jurisdiction: ['16.01'],
    scopes: ['permit:read', 'stats:read'],
  });
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  process.stdout.write(`gateway-trust attempts by class: ${JSON.stringify(attempts)}\n`);
});

/** The newest access-log record of a subgraph. */
async function lastRecord(subgraph: SubgraphName) {
  return hub.subgraphs[subgraph].accessLog.records.findOne().sort({ _id: -1 }).lean().exec();
}

/** POSTs a body as given, with the headers as given (a signature made for another body stays as it was). */
async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    ...((await response.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }),
  };
}

describe('headers only the gateway may set', () => {
  it('are ignored from a direct caller: the access log records the request id and operation name the subgraph chose', async () => {
    attempt('forged gateway headers');
    expectNoErrors(
      await graphql(
        hub.subgraphs.immigration.url,
        `
          query Lookup($id: ID!) {
            foreigner(id: $id) {
              fullName
            }
          }
        `,
        {
          token: member,
          variables: { id: fixture.foreignerId },
          headers: { 'x-request-id': 'forged-request-id', 'x-operation-name': 'RoutineCheckByTheGateway' },
        },
      ),
    );
    const record = await lastRecord('immigration');
    expect(record?.requestId).not.toBe('forged-request-id');
    expect(record?.operationName).toBe('Lookup');
  });

  it('are taken from the gateway: its request id and the client operation name reach the log', async () => {
    expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          query ClientLookup($id: ID!) {
            foreigner(id: $id) {
              fullName
            }
          }
        `,
        {
          token: member,
          variables: { id: fixture.foreignerId },
          headers: { 'x-request-id': 'client-request-7' },
        },
      ),
    );
    const record = await lastRecord('immigration');
    expect([record?.requestId, record?.operationName]).toEqual(['client-request-7', 'ClientLookup']);
  });
});

describe('a gateway signature', () => {
  const body = () => JSON.stringify({ query: FOREIGNER, variables: { id: fixture.foreignerId } });
  const baseHeaders = () => ({ authorization: `Bearer ${member}`, 'x-purpose': 'Pengawasan orang asing' });

  it('made up is refused with 401', async () => {
    attempt('forged signature');
    const response = await post(hub.subgraphs.immigration.url, body(), {
      ...baseHeaders(),
      [GATEWAY_SIGNATURE_HEADER]: 'eyJhbGciOiJFUzI1NiJ9.e30.AAAA',
    });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', field: 'X-Gateway-Signature' });
  });

  it('is refused on another body, other headers, another subgraph, a second use or after it expired', async () => {
    const url = hub.subgraphs.immigration.url;
    const headers = baseHeaders();
    const signature = await signAsGateway('immigration', body(), headers);

    attempt('signature moved to another body');
    const otherBody = JSON.stringify({ query: '{ foreigners(first: 100) { nodes { id fullName } } }' });
    expect((await post(url, otherBody, { ...headers, [GATEWAY_SIGNATURE_HEADER]: signature })).status).toBe(401);

    attempt('signature moved to another token');
    const other = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'] });
    const moved = { ...headers, authorization: `Bearer ${other}`, [GATEWAY_SIGNATURE_HEADER]: signature };
    expect((await post(url, body(), moved)).status).toBe(401);

    attempt('signature with an added gateway header');
    const added = { ...headers, 'x-operation-name': 'Forged', [GATEWAY_SIGNATURE_HEADER]: signature };
    expect((await post(url, body(), added)).status).toBe(401);

    attempt('signature for another subgraph');
    const forPolice = await signAsGateway('police', body(), headers);
    expect((await post(url, body(), { ...headers, [GATEWAY_SIGNATURE_HEADER]: forPolice })).status).toBe(401);

    // the genuine request is served once, and refused when replayed
    const first = await post(url, body(), { ...headers, [GATEWAY_SIGNATURE_HEADER]: signature });
    expect(first.status).toBe(200);
    attempt('signature replayed');
    const replay = await post(url, body(), { ...headers, [GATEWAY_SIGNATURE_HEADER]: signature });
    expect(replay.status).toBe(401);

    attempt('signature expired');
    const keyDir = loadHubConfig({ DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test' }).gatewayKey.devKeyDir!;
    const key = await importPKCS8(fs.readFileSync(path.join(keyDir, 'dev-private.pem'), 'utf8'), 'ES256');
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('timpora-gateway')
      .setAudience('immigration')
      .setIssuedAt(now - 600)
      .setExpirationTime(now - 540)
      .setJti('expired-1')
      .sign(key);
    expect((await post(url, body(), { ...headers, [GATEWAY_SIGNATURE_HEADER]: expired })).status).toBe(401);
  });
});

describe('what only the gateway may ask a subgraph', () => {
  const QUERIES: [string, string][] = [
    ['introspection', '{ __schema { types { name } } }'],
    ['__type', '{ __type(name: "Foreigner") { fields { name } } }'],
    ['_service', '{ _service { sdl } }'],
    ['introspection in a fragment', '{ ...Schema } fragment Schema on Query { __schema { queryType { name } } }'],
    ['introspection in an inline fragment', '{ ... on Query { __schema { queryType { name } } } }'],
  ];

  it.each(SUBGRAPH_NAMES)('is refused by %s to a member calling it directly', async (name) => {
    const entity = `{ _entities(representations: [{ __typename: "Foreigner", id: "${fixture.foreignerId}" }]) { __typename } }`;
    for (const [label, query] of [...QUERIES, ['_entities', entity] as [string, string]]) {
      attempt(`gateway-only fields (${label})`);
      const response = await graphql(hub.subgraphs[name].url, query, { token: member });
      expect({ label, status: response.status, data: response.data ?? null }).toEqual({
        label,
        status: 403,
        data: null,
      });
      expectError(response, 'FORBIDDEN');
    }
    const signed = await graphql(hub.subgraphs[name].url, '{ _service { sdl } }', { token: member, asGateway: name });
    expect(expectNoErrors(signed)).toHaveProperty('_service.sdl');
  });

  it('through the gateway, introspection follows INTROSPECTION as before', async () => {
    const response = await graphql(hub.gatewayUrl, '{ __schema { queryType { name } } }', { token: member });
    expect(expectNoErrors(response)).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('a partner at a subgraph', () => {
  const OWN_QUERIES: Record<SubgraphName, string> = {
    immigration: VERIFY,
    police: '{ incidents { totalCount } }',
    'local-government': '{ communityReports { totalCount } }',
  };

  it.each(SUBGRAPH_NAMES)('is refused by %s, even with its registered document', async (name) => {
    for (const query of [OWN_QUERIES[name], '{ __typename }']) {
      attempt('partner ad-hoc or registered document, direct');
      const response = await graphql(hub.subgraphs[name].url, query, {
        token: partner,
        variables:
          query === VERIFY ? { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber } : {},
      });
      expect(response.status).toBe(403);
      expectError(response, 'OPERATION_NOT_ALLOWED');
    }
  });

  it('is refused under a gateway signature that vouches for no registered operation', async () => {
    attempt('partner, signed without a registered operation');
    const response = await graphql(hub.subgraphs.immigration.url, '{ foreigners { totalCount } }', {
      token: partner,
      asGateway: 'immigration',
    });
    expectError(response, 'OPERATION_NOT_ALLOWED');
    attempt('partner, claiming a registered operation without a signature');
    const claimed = await graphql(hub.subgraphs.immigration.url, VERIFY, {
      token: partner,
      variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
      headers: { 'x-trusted-operation': 'VerifyStayPermit' },
    });
    expectError(claimed, 'OPERATION_NOT_ALLOWED');
  });

  it('runs its registered operation through the gateway', async () => {
    const data = expectNoErrors(
      await graphql(hub.gatewayUrl, VERIFY, {
        token: partner,
        variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
      }),
    );
    expect(data).toHaveProperty('verifyStayPermit');
  });
});

describe('development tokens', () => {
  const env = { DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test', NODE_ENV: 'development' };

  it('cannot be turned on while the gateway listens beyond loopback', () => {
    attempt('development tokens on a public address');
    expect(() => loadGatewayConfig({ ...env, GATEWAY_HOST: '0.0.0.0', EXPLORER_DEV_TOKENS: 'true' })).toThrow(
      ConfigError,
    );
    expect(() => loadGatewayConfig({ ...env, GATEWAY_HOST: '0.0.0.0', EXPLORER_DEV_TOKENS: 'true' })).toThrow(
      /only while the gateway listens on loopback.*GATEWAY_HOST is "0\.0\.0\.0"/s,
    );
    expect(loadGatewayConfig({ ...env, GATEWAY_HOST: '0.0.0.0' }).explorer.devTokens).toBe(false);
    expect(loadGatewayConfig({ ...env, GATEWAY_HOST: '10.20.0.5' }).explorer.devTokens).toBe(false);
    expect(loadGatewayConfig({ ...env, GATEWAY_HOST: '127.0.0.1' }).explorer.devTokens).toBe(true);
  });

  it('are refused to a request naming another host (DNS rebinding)', async () => {
    const gateway = await startGateway(
      testGatewayConfig(
        Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.subgraphs[n].url])) as Record<SubgraphName, string>,
        { EXPLORER: 'enabled', EXPLORER_DEV_TOKENS: 'true', NODE_ENV: 'development' },
      ),
    );
    try {
      const url = new URL('/explorer/dev-token', gateway.url);
      const role = JSON.stringify({ agencyType: 'IMMIGRATION', agency: 'KANIM-BATURAJA', jurisdiction: ['*'] });
      attempt('development token via a rebound host name');
      // fetch does not let a page set Host; node:http does, as a rebound browser's request carries it
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', headers: { host: `attacker.example:${url.port}`, 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(role);
      });
      expect(status).toBe(403);
      const local = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: role });
      expect(local.status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});

describe('X-Purpose', () => {
  const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

  it.each([
    ['the gateway', () => hub.gatewayUrl],
    ['a subgraph', () => hub.subgraphs.immigration.url],
  ])('is read as UTF-8 at %s and recorded as written', async (_label, url) => {
    const purpose = 'Pemeriksaan izin tinggal — Kantor Imigrasi Baturaja, surat 12/2026';
    expectNoErrors(
      await graphql(url(), FOREIGNER, {
        token: member,
        variables: { id: fixture.foreignerId },
        purpose: asBytes(purpose),
      }),
    );
    expect((await lastRecord('immigration'))?.purpose).toBe(purpose);
  });

  it.each([
    ['10 KB', 'Pengawasan '.repeat(1000), /paling banyak 200 karakter \(diterima 10\.999\)/],
    ['a dot', '.', /tuliskan tujuan dengan kata-kata/],
    ['digits only', '12345', /tuliskan tujuan dengan kata-kata/],
    ['bytes that are not UTF-8', '\xff\xfe Pengawasan', /harus berupa teks UTF-8/],
  ])('of %s is refused with BAD_USER_INPUT at the gateway and at each subgraph', async (_label, purpose, message) => {
    for (const url of [hub.gatewayUrl, ...SUBGRAPH_NAMES.map((n) => hub.subgraphs[n].url)]) {
      attempt('mangled purpose');
      const response = await graphql(url, FOREIGNER, {
        token: member,
        variables: { id: fixture.foreignerId },
        purpose,
      });
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      const error = expectError(response, 'BAD_USER_INPUT');
      expect(error.extensions?.field).toBe('X-Purpose');
      expect(error.message).toMatch(message);
      expect(response.data ?? null).toBeNull();
    }
  });
});
