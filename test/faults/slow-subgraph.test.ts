/**
 * A slow subgraph: every fetch to it is bounded by SUBGRAPH_TIMEOUT_MS, its fields come back
 * null with SUBGRAPH_TIMEOUT, and meanwhile the gateway answers queries of the other subgraphs
 * as fast as ever. The police subgraph is reached through a stand-in that delays each request.
 */
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import type { RunningService } from '../../common/server/http-service.js';
import { startGateway } from '../../gateway/src/server.js';
import { testGatewayConfig } from '../helpers/env.js';
import { startDelayingProxy, type DelayingProxy } from '../helpers/faults.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { graphql, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const TIMEOUT_MS = 2000;

let hub: TestHub;
let proxy: DelayingProxy;
let gateway: RunningService;
let fixture: FullForeigner;
let token: string;

const PROFILE = `query Profile($id: ID!) { foreigner(id: $id) { fullName incidents { category } residence { number } } }`;
const IMMIGRATION_ONLY = `query Identity($id: ID!) { foreigner(id: $id) { fullName nationality currentPermit { number } } }`;

beforeAll(async () => {
  hub = await startTestHub('faults_slow');
  fixture = await recordFullForeigner(hub);
  token = await tokenFor({
    agencyType: 'IMMIGRATION',
    agency: 'DITJENIM-PUSAT',
    jurisdiction: ['*'],
    scopes: SCOPE_NAMES,
  });
  proxy = await startDelayingProxy(hub.subgraphs.police.url, 0);
  gateway = await startGateway(
    testGatewayConfig(
      {
        immigration: hub.subgraphs.immigration.url,
        police: proxy.url,
        'local-government': hub.subgraphs['local-government'].url,
      },
      { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS) },
    ),
  );
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await proxy?.stop();
  await hub?.stop();
});

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

it('answers through the stand-in while it adds no delay', async () => {
  const response = await graphql(gateway.url, PROFILE, { token, variables: { id: fixture.foreignerId } });
  expect(response.errors).toBeUndefined();
  expect(response.data.foreigner.incidents).toEqual([{ category: 'THEFT' }]);
});

describe('with the police subgraph answering after 30 s', () => {
  beforeAll(() => {
    proxy.delayMs = 30_000;
  });
  afterAll(() => {
    proxy.delayMs = 0;
  });

  it('gives up on it after SUBGRAPH_TIMEOUT_MS and serves the other fields', async () => {
    const { ms, result } = await timed(() =>
      graphql(gateway.url, PROFILE, { token, variables: { id: fixture.foreignerId } }),
    );
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
    expect(result.status).toBe(200);
    expect(result.data.foreigner).toEqual({
      fullName: 'Chen Jing',
      incidents: null,
      residence: { number: expect.any(String) },
    });
    expect(result.errors).toEqual([
      {
        message: `The police subgraph did not answer within ${TIMEOUT_MS} ms; its fields are missing from this answer`,
        extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'police' },
      },
    ]);
  });

  it('stays responsive for queries of the other subgraphs while police fetches hang', async () => {
    const identity = () =>
      timed(() => graphql(gateway.url, IMMIGRATION_ONLY, { token, variables: { id: fixture.foreignerId } }));
    const quiet: number[] = [];
    for (let i = 0; i < 10; i++) quiet.push((await identity()).ms);
    // a burst of slow requests in flight
    let slowPending = true;
    const slow = Promise.all(
      Array.from({ length: 8 }, () =>
        timed(() => graphql(gateway.url, PROFILE, { token, variables: { id: fixture.foreignerId } })),
      ),
    ).finally(() => (slowPending = false));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const busy: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { ms, result } = await identity();
      expect(result.errors).toBeUndefined();
      busy.push(ms);
    }
    // all ten answered while the slow ones still hang, about as fast as without them
    expect(slowPending).toBe(true);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    expect(median(busy)).toBeLessThan(median(quiet) * 3 + 50);
    expect(Math.max(...busy)).toBeLessThan(TIMEOUT_MS / 2);
    for (const { ms, result } of await slow) {
      expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_TIMEOUT']);
    }
  });

  it('counts the timeouts by subgraph', async () => {
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    expect(metrics).toMatch(
      /timpora_subgraph_fetch_errors_total\{subgraph="police",code="TIMEOUT",service="gateway"\} [1-9]/,
    );
  });
});

it('is whole again once the subgraph is quick again', async () => {
  const { ms, result } = await timed(() =>
    graphql(gateway.url, PROFILE, { token, variables: { id: fixture.foreignerId } }),
  );
  expect(result.errors).toBeUndefined();
  expect(ms).toBeLessThan(TIMEOUT_MS);
});
