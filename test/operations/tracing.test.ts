/**
 * Traces across gateway → subgraph → database, measured on real processes (the hub is ESM,
 * and OpenTelemetry patches modules as they load, so only a real start-up shows what is
 * covered): the services export to a local OTLP receiver, then stop on SIGTERM.
 */
import { freePort } from '../../common/db/ferretdb.js';
import { testMongoUri, uniqueDbName } from '../helpers/env.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.js';
import { spawnService, waitUntilReady, type ServiceProcess } from '../helpers/processes.js';

const SERVER = 2;
const CLIENT = 3;

let receiver: OtlpReceiver;
let services: ServiceProcess[] = [];
const exitCodes: Record<string, number | null> = {};
let gatewayUrl: string;
let traceId: string;

const FOREIGNER_FILE = /* GraphQL */ `
  query OpsTracedFile($id: ID!) {
    foreigner(id: $id) {
      fullName
      selfReports {
        number
      }
    }
  }
`;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const token = await tokenFor(IMMIGRATION_OKU); // creates the run's development keys before the services read them
  const [gatewayPort, immigrationPort, policePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const common = {
    DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    MONGODB_URI: testMongoUri(),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  };
  const urls = {
    immigration: `http://127.0.0.1:${immigrationPort}/graphql`,
    police: `http://127.0.0.1:${policePort}/graphql`,
    gateway: `http://127.0.0.1:${gatewayPort}/graphql`,
  };
  const immigration = spawnService('immigration', 'subgraphs/immigration/src/main.ts', {
    ...common,
    IMMIGRATION_PORT: String(immigrationPort),
    IMMIGRATION_DB_NAME: uniqueDbName('ops_trace_immigration'),
  });
  const police = spawnService('police', 'subgraphs/police/src/main.ts', {
    ...common,
    POLICE_PORT: String(policePort),
    POLICE_DB_NAME: uniqueDbName('ops_trace_police'),
  });
  const gateway = spawnService('gateway', 'gateway/src/main.ts', {
    ...common,
    GATEWAY_PORT: String(gatewayPort),
    EXPLORER: 'disabled',
    IMMIGRATION_URL: urls.immigration,
    POLICE_URL: urls.police,
    // this query never reaches local government, which the test does not start
    LOCAL_GOVERNMENT_URL: urls.police,
  });
  services = [gateway, immigration, police];
  await Promise.all([
    waitUntilReady(immigration, urls.immigration),
    waitUntilReady(police, urls.police),
    waitUntilReady(gateway, urls.gateway),
  ]);
  gatewayUrl = urls.gateway;

  const registered = expectNoErrors(
    await graphql(
      gatewayUrl,
      `
        mutation OpsTracedRegister($input: RegisterForeignerInput!) {
          registerForeigner(input: $input) {
            foreigner {
              id
            }
          }
        }
      `,
      {
        token,
        variables: {
          input: {
            fullName: 'Traced Person',
            nationality: 'MYS',
            sex: 'MALE',
            dateOfBirth: '1985-01-01',
            passportNumber: 'A7654321',
            domicileRegionCode: '16.01.14.1001',
          },
        },
      },
    ),
  );
  expectNoErrors(
    await graphql(gatewayUrl, FOREIGNER_FILE, {
      token,
      variables: { id: registered.registerForeigner.foreigner.id },
    }),
  );

  // SIGTERM drains, closes the database and flushes the spans not yet exported
  for (const service of services) exitCodes[service.name] = await service.terminate();
  const root = receiver.spans.find(
    (s) => s.name === 'gateway.request' && s.attributes['graphql.operation.name'] === 'OpsTracedFile',
  );
  if (!root) throw new Error(`no gateway.request span; got ${receiver.spans.map((s) => s.name).join(', ')}`);
  traceId = root.traceId;
}, 180_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.terminate()));
  await receiver?.close();
});

function traceOf(service: string): ReceivedSpan[] {
  return receiver.spans.filter((s) => s.traceId === traceId && s.service === `timpora-${service}`);
}

describe('tracing', () => {
  it('stops every process cleanly on SIGTERM', () => {
    expect(exitCodes).toEqual({ gateway: 0, immigration: 0, police: 0 });
    for (const service of services)
      expect(service.stderr()).toMatch(/SIGTERM received, draining requests…\n.*stopped/s);
  });

  it('exports OTLP/HTTP JSON', () => {
    expect([...receiver.contentTypes]).toEqual(['application/json']);
  });

  it('traces the gateway: the HTTP request, the plan and one fetch per subgraph', () => {
    const spans = traceOf('gateway');
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']),
    );
    const server = spans.find((s) => s.kind === SERVER);
    expect(server?.attributes).toMatchObject({
      'graphql.operation.name': 'OpsTracedFile',
      'graphql.operation.type': 'query',
    });
    const fetched = spans.filter((s) => s.name === 'gateway.fetch').map((s) => s.attributes.service);
    expect(fetched.sort()).toEqual(['immigration', 'police']);
  });

  it('continues the trace in each subgraph, under the gateway fetch that called it', () => {
    const fetchSpans = new Map(
      traceOf('gateway')
        .filter((s) => s.name === 'gateway.fetch')
        .map((s) => [s.spanId, s]),
    );
    for (const subgraph of ['immigration', 'police']) {
      const server = traceOf(subgraph).find((s) => s.kind === SERVER);
      expect(server).toBeDefined();
      expect(fetchSpans.get(server!.parentSpanId)?.attributes.service).toBe(subgraph);
      expect(server!.attributes['graphql.operation.name']).toMatch(new RegExp(`^OpsTracedFile__${subgraph}__\\d+$`));
    }
  });

  it('traces database commands inside each subgraph request, without values', () => {
    for (const subgraph of ['immigration', 'police']) {
      const db = traceOf(subgraph).filter((s) => s.kind === CLIENT && s.attributes['db.system.name'] === 'mongodb');
      expect(db.length).toBeGreaterThan(0);
      for (const span of db) expect(JSON.stringify(span.attributes)).not.toMatch(/A7654321|Traced Person/);
    }
    expect(traceOf('immigration').map((s) => s.name)).toContain('find foreigners');
  });

  it('records no variables or personal data in any span', () => {
    const everything = JSON.stringify(receiver.spans);
    expect(everything).not.toContain('A7654321');
    expect(everything).not.toContain('Traced Person');
  });
});
