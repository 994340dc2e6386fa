/**
 * `/health` says a service is alive; `/ready` says whether it can serve, naming the
 * dependency that is down: the database for a subgraph, each subgraph for the gateway.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningService } from '../../common/server/http-service.js';
import type { ReadinessReport } from '../../common/server/readiness.js';
import { startGateway } from '../../gateway/src/server.js';
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { startSubgraph } from '../../common/server/subgraph-server.js';
import { testGatewayConfig, testSubgraphConfig, uniqueDbName } from '../helpers/env.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { startTestSubgraph } from '../helpers/subgraph.js';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub('ops_ready');
}, 120_000);
afterAll(() => hub?.stop());

async function get(graphqlUrl: string, path: string): Promise<{ status: number; body: ReadinessReport }> {
  const response = await fetch(new URL(path, graphqlUrl));
  expect(response.headers.get('cache-control') ?? 'no-store').toBe('no-store');
  return { status: response.status, body: (await response.json()) as ReadinessReport };
}

describe('health', () => {
  it('answers /health on the gateway and every subgraph', async () => {
    for (const url of [hub.gatewayUrl, ...Object.values(hub.subgraphs).map((s) => s.url)]) {
      const { status, body } = await get(url, '/health');
      expect({ url, status, body }).toEqual({ url, status: 200, body: { status: 'ok' } });
    }
  });
});

describe('readiness', () => {
  it('reports each subgraph ready with its database', async () => {
    for (const subgraph of Object.values(hub.subgraphs)) {
      const { status, body } = await get(subgraph.url, '/ready');
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ready', down: [], checks: { database: { status: 'up' } } });
    }
  });

  it('reports the gateway ready when every subgraph is', async () => {
    const { status, body } = await get(hub.gatewayUrl, '/ready');
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks).sort()).toEqual(['immigration', 'local-government', 'police']);
  });

  it('answers 503 naming the stopped subgraph, and ready again when it returns', async () => {
    const { port } = hub.subgraphs.police;
    await hub.subgraphs.police.stop();

    const down = await get(hub.gatewayUrl, '/ready');
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.down).toEqual(['police']);
    expect(down.body.checks.police).toMatchObject({ status: 'down', error: 'unreachable (ECONNREFUSED)' });
    expect(down.body.checks.immigration!.status).toBe('up');
    expect(down.body.checks['local-government']!.status).toBe('up');

    hub.subgraphs.police = await startTestSubgraph(policeSubgraph, 'ops_ready', { env: { POLICE_PORT: String(port) } });
    const back = await get(hub.gatewayUrl, '/ready');
    expect(back.status).toBe(200);
    expect(back.body.down).toEqual([]);
  });

  it('names the database when a subgraph loses it, and the gateway passes the reason on', async () => {
    // started without the test helper, whose stop would wait for the closed database to drop it
    const police = await startSubgraph(policeSubgraph, testSubgraphConfig('police', uniqueDbName('ops_ready_db')));
    let gateway: RunningService | undefined;
    try {
      await police.db.connection.dropDatabase();
      await police.db.connection.close();
      const subgraph = await get(police.url, '/ready');
      expect(subgraph.status).toBe(503);
      expect(subgraph.body).toMatchObject({ status: 'unavailable', down: ['database'] });
      expect(subgraph.body.checks.database!.error).toEqual(expect.any(String));

      gateway = await startGateway(
        testGatewayConfig({
          immigration: hub.subgraphs.immigration.url,
          police: police.url,
          'local-government': hub.subgraphs['local-government'].url,
        }),
      );
      const { status, body } = await get(gateway.url, '/ready');
      expect(status).toBe(503);
      expect(body.down).toEqual(['police']);
      expect(body.checks.police!.error).toBe('not ready (database down)');
    } finally {
      await gateway?.stop();
      await police.stop();
    }
  });

  it('calls a subgraph down when it does not answer within READY_TIMEOUT_MS', async () => {
    // a subgraph that accepts connections and never answers
    const silent = http.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    let gateway: RunningService | undefined;
    try {
      gateway = await startGateway(
        testGatewayConfig(
          { immigration: hub.subgraphs.immigration.url, police: silentUrl, 'local-government': silentUrl },
          { READY_TIMEOUT_MS: '300' },
        ),
      );
      const started = Date.now();
      const { status, body } = await get(gateway.url, '/ready');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(status).toBe(503);
      expect(body.down.sort()).toEqual(['local-government', 'police']);
      expect(body.checks.police!.error).toBe('no answer within 300 ms');
      expect(body.checks.immigration!.status).toBe('up');
    } finally {
      await gateway?.stop();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
