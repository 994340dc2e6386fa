/**
 * A slow subgraph: every fetch to it is bounded by SUBGRAPH_TIMEOUT_MS, its fields come back
 * null with SUBGRAPH_TIMEOUT, and meanwhile the gateway answers queries of the other subgraphs.
 * The police subgraph is reached through a stand-in that holds each request for a while.
 *
 * Nothing here depends on how fast the machine is (CI runs it at a load average above 10):
 * instead of milliseconds, the tests assert what happened in which order — the gateway answered
 * while the stand-in still held the police fetch and hung up on it; queries of the other
 * subgraphs were answered while police fetches were held.
 */
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import type { RunningService } from '../../common/server/http-service.js';
import { startGateway } from '../../gateway/src/server.js';
import { testGatewayConfig } from '../helpers/env.js';
import { startDelayingProxy, waitFor as waitUntil, type DelayingProxy } from '../helpers/faults.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { graphql, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

/**
 * The gateway's per-subgraph timeout here: the one every other test of the suite runs with, many
 * times what a fetch of a quick subgraph takes even in a burst on a loaded machine (a quick
 * subgraph's fetch past it would be a false timeout).
 */
const TIMEOUT_MS = 10_000;

/** How long the slow stand-in holds a request: the gateway gives up long before. */
const SLOW_MS = 6 * TIMEOUT_MS;

/** How long to wait for something the test waits for (a held request, a hung-up one). */
const WAIT_MS = 30_000;

let hub: TestHub;
let proxy: DelayingProxy;
let gateway: RunningService;
let fixture: FullForeigner;
let token: string;

const PROFILE = `query Profile($id: ID!) { foreigner(id: $id) { fullName incidents { category } residence { number } } }`;
const IMMIGRATION_ONLY = `query Identity($id: ID!) { foreigner(id: $id) { fullName nationality currentPermit { number } } }`;

/** A gateway over the hub's subgraphs, with police reached through the stand-in. */
function startGatewayWithStandIn(subgraphTimeoutMs: number): Promise<RunningService> {
  return startGateway(
    testGatewayConfig(
      {
        immigration: hub.subgraphs.immigration.url,
        police: proxy.url,
        'local-government': hub.subgraphs['local-government'].url,
      },
      { SUBGRAPH_TIMEOUT_MS: String(subgraphTimeoutMs) },
    ),
  );
}

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
  gateway = await startGatewayWithStandIn(TIMEOUT_MS);
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  await proxy?.stop();
  await hub?.stop();
}, 60_000);

/** Polls `condition` until it holds, failing after `WAIT_MS` with `what` was not reached. */
const waitFor = (what: string, condition: () => boolean) => waitUntil(what, condition, WAIT_MS);

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

const profile = (via: RunningService = gateway) =>
  graphql(via.url, PROFILE, { token, variables: { id: fixture.foreignerId } });
const identity = (via: RunningService = gateway) =>
  graphql(via.url, IMMIGRATION_ONLY, { token, variables: { id: fixture.foreignerId } });

const TIMED_OUT = {
  // in Bahasa Indonesia, the hub's default language (no Accept-Language sent)
  message: `Subgraph police tidak menjawab dalam ${TIMEOUT_MS.toLocaleString('id-ID')} md; datanya tidak ada dalam jawaban ini`,
  extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'police' },
};

it('answers through the stand-in while it adds no delay', async () => {
  const response = await profile();
  expect(response.errors).toBeUndefined();
  expect(response.data.foreigner.incidents).toEqual([{ category: 'THEFT' }]);
});

describe('with the police subgraph answering only after a long delay', () => {
  beforeAll(() => {
    proxy.delayMs = SLOW_MS;
  });
  afterAll(() => {
    proxy.delayMs = 0;
    proxy.release();
  });

  it('gives up on it after SUBGRAPH_TIMEOUT_MS and serves the other fields', async () => {
    const { forwarded, abandoned } = proxy;
    const { ms, result } = await timed(() => profile());
    expect(result.status).toBe(200);
    expect(result.data.foreigner).toEqual({
      fullName: 'Chen Jing',
      incidents: null,
      residence: { number: expect.any(String) },
    });
    expect(result.errors).toEqual([TIMED_OUT]);
    // not before the timeout (a slower machine only makes it later) ...
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    // ... and not by waiting for police: the gateway hung up on the held fetch, which never reached it
    await waitFor('the gateway hangs up on the held police fetch', () => proxy.abandoned === abandoned + 1);
    expect(proxy.forwarded).toBe(forwarded);
  });

  it('bounds each of a burst of slow requests the same way', async () => {
    const { forwarded, abandoned } = proxy;
    const burst = await Promise.all(Array.from({ length: 8 }, () => profile()));
    for (const result of burst) {
      expect(result.data.foreigner).toMatchObject({ fullName: 'Chen Jing', incidents: null });
      expect(result.errors).toEqual([TIMED_OUT]);
    }
    await waitFor('the gateway hangs up on all eight', () => proxy.abandoned === abandoned + 8);
    expect(proxy.forwarded).toBe(forwarded);
  });

  it('counts the timeouts by subgraph', async () => {
    const metrics = await (await fetch(new URL('/metrics', gateway.url))).text();
    const line = /timpora_subgraph_fetch_errors_total\{subgraph="police",code="TIMEOUT",service="gateway"\} (\d+)/;
    expect(Number(line.exec(metrics)?.[1])).toBe(9); // the one slow request and the burst of eight
  });

  describe('and the gateway waiting for it as long as it takes', () => {
    // a gateway whose timeout (the longest the configuration allows) does not end the police
    // fetches during the test: they are held until the stand-in releases them, however long the
    // queries of the other subgraphs take meanwhile
    let patient: RunningService;
    beforeAll(async () => {
      patient = await startGatewayWithStandIn(120_000);
    }, 60_000);
    afterAll(async () => {
      proxy.release();
      await patient?.stop();
    }, 60_000);

    it('answers queries of the other subgraphs while police fetches hang', async () => {
      const { forwarded } = proxy;
      let slowAnswered = 0;
      const slow = Array.from({ length: 8 }, () => profile(patient).finally(() => (slowAnswered += 1)));
      await waitFor('eight police fetches held by the stand-in', () => proxy.waiting === 8);

      for (let i = 0; i < 10; i++) {
        const result = await identity(patient);
        expect(result.errors).toBeUndefined();
        expect(result.data.foreigner.currentPermit).toEqual({ number: expect.any(String) });
      }
      // all ten were answered while the slow ones hung: none of those answered, none reached police
      expect(slowAnswered).toBe(0);
      expect(proxy.waiting).toBe(8);
      expect(proxy.forwarded).toBe(forwarded);

      // once police answers, so do they, in full
      proxy.release();
      for (const result of await Promise.all(slow)) {
        expect(result.errors).toBeUndefined();
        expect(result.data.foreigner.incidents).toEqual([{ category: 'THEFT' }]);
      }
      expect(proxy.forwarded).toBe(forwarded + 8);
    });
  });
});

it('is whole again once the subgraph is quick again', async () => {
  const result = await profile();
  expect(result.errors).toBeUndefined();
  expect(result.data.foreigner.incidents).toEqual([{ category: 'THEFT' }]);
});
