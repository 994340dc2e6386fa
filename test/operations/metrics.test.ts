/**
 * `/metrics` on every service: GraphQL requests, latency and errors by operation name, the
 * gateway's subgraph fetches by subgraph, and each subgraph's database commands by
 * collection — labelled with names and codes only, never variables.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningService } from '../../common/server/http-service.js';
import { ServiceMetrics } from '../../common/observability/metrics.js';
import { startGateway } from '../../gateway/src/server.js';
import { testGatewayConfig } from '../helpers/env.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { expectError, expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { metricsUrl, parseMetrics, scrapeMetrics, samplesOf, sumOf, type Sample } from '../helpers/metrics.js';

let hub: TestHub;
let token: string;
let foreigner: FullForeigner;

const FOREIGNER_FILE = /* GraphQL */ `
  query OpsForeignerFile($id: ID!) {
    foreigner(id: $id) {
      fullName
      passportNumber
      selfReports {
        number
      }
      residence {
        number
      }
    }
  }
`;

beforeAll(async () => {
  hub = await startTestHub('ops_metrics');
  token = await tokenFor(IMMIGRATION_OKU);
  foreigner = await recordFullForeigner(hub);
  for (let i = 0; i < 3; i += 1) {
    expectNoErrors(await graphql(hub.gatewayUrl, FOREIGNER_FILE, { token, variables: { id: foreigner.foreignerId } }));
  }
  expectError(
    await graphql(hub.gatewayUrl, 'query OpsTooMany { foreigners(first: 5000) { totalCount } }', { token }),
    'BAD_USER_INPUT',
  );
  const unauthenticated = await graphql(hub.gatewayUrl, 'query OpsNoToken { agencies { code } }');
  expect(unauthenticated.status).toBe(401);
}, 120_000);
afterAll(() => hub?.stop());

describe('gateway metrics', () => {
  let samples: Sample[];
  beforeAll(async () => {
    samples = await scrapeMetrics(hub.gatewayUrl);
  });

  it('counts requests and their latency by operation name and type', () => {
    const labels = { service: 'gateway', operation: 'OpsForeignerFile', type: 'query' };
    expect(sumOf(samples, 'timpora_graphql_requests_total', labels)).toBe(3);
    expect(sumOf(samples, 'timpora_graphql_request_duration_seconds_count', labels)).toBe(3);
    expect(sumOf(samples, 'timpora_graphql_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
    const buckets = samplesOf(samples, 'timpora_graphql_request_duration_seconds_bucket', labels);
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(3);
    // the fixture's nine writes are anonymous mutations
    expect(sumOf(samples, 'timpora_graphql_requests_total', { operation: 'anonymous', type: 'mutation' })).toBe(9);
  });

  it('counts errors by operation and code, including requests refused before they resolve', () => {
    expect(sumOf(samples, 'timpora_graphql_errors_total', { operation: 'OpsTooMany', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sumOf(samples, 'timpora_graphql_errors_total', { operation: 'unknown', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(sumOf(samples, 'timpora_graphql_requests_total', { operation: 'unknown', type: 'unknown' })).toBe(1);
    expect(samplesOf(samples, 'timpora_graphql_errors_total', { operation: 'OpsForeignerFile' })).toEqual([]);
  });

  it('counts and times fetches by subgraph, with their error codes', () => {
    for (const subgraph of ['immigration', 'police', 'local-government']) {
      expect(sumOf(samples, 'timpora_subgraph_fetches_total', { subgraph })).toBeGreaterThanOrEqual(3);
      expect(sumOf(samples, 'timpora_subgraph_fetch_duration_seconds_count', { subgraph })).toBeGreaterThanOrEqual(3);
    }
    expect(
      sumOf(samples, 'timpora_subgraph_fetch_errors_total', { subgraph: 'immigration', code: 'BAD_USER_INPUT' }),
    ).toBe(1);
  });

  it('includes the process metrics', () => {
    expect(samplesOf(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
    expect(samplesOf(samples, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
  });
});

describe('subgraph metrics', () => {
  it('counts database commands by subgraph, collection and command', async () => {
    const samples = await scrapeMetrics(hub.subgraphs.immigration.url);
    const labels = { service: 'immigration', subgraph: 'immigration', collection: 'foreigners' };
    expect(sumOf(samples, 'timpora_db_commands_total', { ...labels, command: 'find' })).toBeGreaterThanOrEqual(3);
    expect(sumOf(samples, 'timpora_db_commands_total', { ...labels, command: 'insert' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(samples, 'timpora_db_command_duration_seconds_count', { command: 'find' })).toBeGreaterThanOrEqual(3);
    const police = await scrapeMetrics(hub.subgraphs.police.url);
    expect(
      sumOf(police, 'timpora_db_commands_total', { subgraph: 'police', collection: 'self_report_certificates' }),
    ).toBeGreaterThanOrEqual(3);
  });

  it('counts each subgraph request under the operation the gateway sent', async () => {
    const samples = await scrapeMetrics(hub.subgraphs.police.url);
    const operations = samplesOf(samples, 'timpora_graphql_requests_total', { service: 'police' }).map(
      (s) => s.labels.operation,
    );
    // the query planner names each fetch <client operation>__<subgraph>__<step>
    expect(operations).toContainEqual(expect.stringMatching(/^OpsForeignerFile__police__\d+$/));
  });

  it('never labels a series with a variable or personal data', async () => {
    for (const url of [hub.gatewayUrl, ...Object.values(hub.subgraphs).map((s) => s.url)]) {
      const text = await (await fetch(metricsUrl(url))).text();
      for (const value of [foreigner.foreignerId, foreigner.passportNumber, foreigner.permitNumber, 'Chen Jing']) {
        expect(text).not.toContain(value);
      }
    }
  });
});

describe('configuration', () => {
  const subgraphUrls = () => ({
    immigration: hub.subgraphs.immigration.url,
    police: hub.subgraphs.police.url,
    'local-government': hub.subgraphs['local-government'].url,
  });

  it('protects /metrics with METRICS_TOKEN, or removes it with METRICS_ENABLED=false', async () => {
    const secret = 'metrics-scraper-token-0123';
    const guarded = await startGateway(testGatewayConfig(subgraphUrls(), { METRICS_TOKEN: secret }));
    const removed = await startGateway(testGatewayConfig(subgraphUrls(), { METRICS_ENABLED: 'false' }));
    try {
      expect((await fetch(metricsUrl(guarded.url))).status).toBe(401);
      const wrong = await fetch(metricsUrl(guarded.url), { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      await scrapeMetrics(guarded.url, { authorization: `Bearer ${secret}` });
      expect((await fetch(metricsUrl(removed.url))).status).toBe(404);
    } finally {
      await guarded.stop();
      await removed.stop();
    }
  });

  it('counts a fetch to an unreachable subgraph as UNREACHABLE', async () => {
    // a port that was just free: nothing listens there
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    let gateway: RunningService | undefined;
    try {
      gateway = await startGateway(
        testGatewayConfig({ ...subgraphUrls(), police: `http://127.0.0.1:${closedPort}/graphql` }),
      );
      const response = await graphql(gateway.url, FOREIGNER_FILE, { token, variables: { id: foreigner.foreignerId } });
      expect(response.errors?.length).toBeGreaterThan(0);
      const samples = await scrapeMetrics(gateway.url);
      expect(sumOf(samples, 'timpora_subgraph_fetch_errors_total', { subgraph: 'police', code: 'UNREACHABLE' })).toBe(
        1,
      );
      expect(sumOf(samples, 'timpora_subgraph_fetches_total', { subgraph: 'immigration' })).toBe(1);
    } finally {
      await gateway?.stop();
    }
  });
});

describe('labels', () => {
  it('folds operation names past 500 into "other" and odd error codes into "OTHER"', async () => {
    const metrics = new ServiceMetrics('labels-test');
    for (let i = 0; i < 510; i += 1) {
      metrics.observeOperation({
        operationName: `Invented${i}`,
        operationType: 'query',
        durationSeconds: 0.01,
        errorCodes: i === 0 ? ['not a code; with spaces', undefined] : [],
      });
    }
    const samples = parseMetrics(await metrics.render());
    const requests = samplesOf(samples, 'timpora_graphql_requests_total', { service: 'labels-test' });
    expect(requests).toHaveLength(501);
    expect(sumOf(samples, 'timpora_graphql_requests_total', { operation: 'other' })).toBe(10);
    expect(
      samplesOf(samples, 'timpora_graphql_errors_total')
        .map((e) => e.labels.code)
        .sort(),
    ).toEqual(['OTHER', 'UNKNOWN']);
  });
});
