/**
 * One subgraph stopped: the gateway keeps answering with the other agencies' fields, the
 * stopped one's fields are null with SUBGRAPH_UNAVAILABLE naming it, readiness says which, and
 * everything is back once the subgraph returns on the same port — without touching the gateway.
 */
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import type { RunningService } from '../../common/server/http-service.js';
import type { ReadinessReport } from '../../common/server/readiness.js';
import { startGateway } from '../../gateway/src/server.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { localGovernmentSubgraph } from '../../subgraphs/local-government/src/index.js';
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { testGatewayConfig } from '../helpers/env.js';
import { startRestartableSubgraph, type RestartableSubgraph } from '../helpers/faults.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { graphql, tokenFor } from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

let police: RestartableSubgraph;
let others: { immigration: TestSubgraph; localGovernment: TestSubgraph };
let gateway: RunningService;
let fixture: FullForeigner;
let token: string;

const PROFILE = `query Profile($id: ID!) {
  foreigner(id: $id) {
    fullName
    currentPermit { number }
    selfReports { number }
    incidents { category }
    residence { number region { name } }
  }
}`;

beforeAll(async () => {
  const [immigration, localGovernment, restartable] = await Promise.all([
    startTestSubgraph(immigrationSubgraph, 'faults_down'),
    startTestSubgraph(localGovernmentSubgraph, 'faults_down'),
    startRestartableSubgraph(policeSubgraph, 'faults_down'),
  ]);
  others = { immigration, localGovernment };
  police = restartable;
  gateway = await startGateway(
    testGatewayConfig({ immigration: immigration.url, police: police.url, 'local-government': localGovernment.url }),
  );
  const hub = {
    gatewayUrl: gateway.url,
    gateway,
    subgraphs: { immigration, police: police.current, 'local-government': localGovernment },
  } as unknown as TestHub;
  fixture = await recordFullForeigner(hub);
  token = await tokenFor({
    agencyType: 'IMMIGRATION',
    agency: 'DITJENIM-PUSAT',
    jurisdiction: ['*'],
    scopes: SCOPE_NAMES,
  });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([others?.immigration.stop(), others?.localGovernment.stop(), police?.dispose()]);
});

async function ready(): Promise<{ status: number; body: ReadinessReport }> {
  const response = await fetch(new URL('/ready', gateway.url));
  return { status: response.status, body: (await response.json()) as ReadinessReport };
}

it('answers the whole profile while every subgraph runs', async () => {
  const response = await graphql(gateway.url, PROFILE, { token, variables: { id: fixture.foreignerId } });
  expect(response.errors).toBeUndefined();
  expect(response.data.foreigner.selfReports).toHaveLength(1);
  expect(response.data.foreigner.incidents).toHaveLength(1);
});

describe('with the police subgraph stopped', () => {
  beforeAll(() => police.stop());

  it('serves the immigration and local-government fields, and only the police fields are missing', async () => {
    const started = Date.now();
    const response = await graphql(gateway.url, PROFILE, { token, variables: { id: fixture.foreignerId } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(200);
    expect(response.data.foreigner).toEqual({
      fullName: 'Chen Jing',
      currentPermit: { number: fixture.permitNumber },
      selfReports: null,
      incidents: null,
      residence: { number: expect.any(String), region: { name: expect.any(String) } },
    });
    expect(response.errors).toEqual([
      {
        message: 'Subgraph police tidak dapat dihubungi; datanya tidak ada dalam jawaban ini',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'police' },
      },
    ]);
  });

  it('answers a query of the other agencies alone without any error', async () => {
    const response = await graphql(
      gateway.url,
      '{ foreignerStatistics(regionCode: "16.01") { total } region(code: "16.01") { name } }',
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.region.name).toEqual(expect.any(String));
  });

  it('answers a query of the police alone with the error and no data, not a server error', async () => {
    const response = await graphql(gateway.url, '{ incidents(first: 5) { totalCount } }', { token });
    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
  });

  it('refuses a police mutation with the same code, and writes nothing', async () => {
    const response = await graphql(
      gateway.url,
      `
        mutation ($input: FileIncidentInput!) {
          fileIncident(input: $input) {
            incident {
              id
            }
          }
        }
      `,
      {
        token: await tokenFor({ agencyType: 'POLICE', agency: 'MABES-POLRI', jurisdiction: ['*'] }),
        variables: {
          input: {
            reportNumber: 'LP/B/1/I/2026/SPKT/POLRES OKU',
            category: 'THEFT',
            occurredAt: '2026-01-02T03:04:05Z',
            regionCode: '16.01.14.1001',
            summary: 'Filed while the police subgraph is down.',
            parties: [{ foreignerId: fixture.foreignerId, involvement: 'VICTIM' }],
          },
        },
      },
    );
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
  });

  it('is reported by readiness', async () => {
    const { status, body } = await ready();
    expect(status).toBe(503);
    expect(body.down).toEqual(['police']);
    expect(body.checks.police).toMatchObject({ status: 'down', error: 'unreachable (ECONNREFUSED)' });
  });

  it('counts the failed fetches by subgraph and code', async () => {
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(metrics).toMatch(
      /timpora_subgraph_fetch_errors_total\{subgraph="police",code="UNREACHABLE",service="gateway"\} [1-9]/,
    );
  });
});

describe('when the police subgraph returns on the same port', () => {
  beforeAll(() => police.start());

  it('is ready again, and the next query is whole again, with nothing restarted but the subgraph', async () => {
    expect((await ready()).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const response = await graphql(gateway.url, PROFILE, { token, variables: { id: fixture.foreignerId } });
      expect(response.errors).toBeUndefined();
      expect(response.data.foreigner.incidents).toEqual([{ category: 'THEFT' }]);
    }
  });
});
