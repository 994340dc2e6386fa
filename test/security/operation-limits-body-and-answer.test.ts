/**
 * Attacks on the hub's capacity by size, made at the gateway and straight at each subgraph's port
 * (unsigned and signed as the gateway): oversized request bodies, and answers over the object cap
 * (the region ping-pong, within depth and aliases; and where an operator raised the cost limit, or
 * the cap is at its smallest). Every refusal names its limit; a refused operation runs no
 * resolver. The heap figures it prints are taken after a full collection when node runs with
 * `--expose-gc`. Limits on the shape of a query: operation-limits-query-shape.test.ts.
 */

import { GATEWAY_SIGNATURE_HEADER } from '../../common/auth/gateway-signature.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { loadSubgraphConfig, type SubgraphConfig } from '../../common/config/subgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../common/server/subgraph-server.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { localGovernmentSubgraph } from '../../subgraphs/local-government/src/index.js';
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { graphql, signAsGateway } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { testSubgraphConfig } from '../helpers/env.js';
import {
  canCollect,
  expectRefused,
  heapMB,
  peakHeapMB,
  regionBomb,
  useLimitsHub,
  type Target,
} from '../helpers/operation-limits.js';

const { current, TARGETS, attack, attempts, figures } = useLimitsHub('operation_limits_size');

describe('the request body', () => {
  const padded = (bytes: number) =>
    JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(bytes) } });

  async function post(target: Target, body: string, headers: Record<string, string> = {}) {
    attempts['oversized body'] = (attempts['oversized body'] ?? 0) + 1;
    const all: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${current().member}`,
      'x-purpose': 'test',
      ...headers,
    };
    if (target.asGateway) all[GATEWAY_SIGNATURE_HEADER] = await signAsGateway(target.asGateway, body, all);
    const response = await fetch(target.url(), { method: 'POST', headers: all, body });
    return {
      status: response.status,
      body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] },
    };
  }

  it.each(TARGETS.filter((t) => !t.asGateway))(
    'over MAX_REQUEST_BYTES is refused with 413 at $label',
    async (target) => {
      const response = await post(target, padded(110_000));
      expect(response).toEqual({
        status: 413,
        body: {
          errors: [
            {
              message: 'Isi permintaan melebihi batas 102.400 byte',
              extensions: { code: 'PAYLOAD_TOO_LARGE' },
            },
          ],
        },
      });
    },
  );

  it.each(SUBGRAPH_NAMES)(
    'signed by the gateway may carry its large entity batches at %s, up to MAX_SIGNED_REQUEST_BYTES',
    async (name) => {
      const target = TARGETS.find((t) => t.asGateway === name)!;
      const fine = await post(target, padded(500_000));
      expect(fine).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      const over = await post(target, padded(9 * 1024 * 1024));
      expect(over.status).toBe(413);
      expect(over.body.errors?.[0]?.message).toBe('Isi permintaan melebihi batas 8.388.608 byte');
    },
  );

  it.each(SUBGRAPH_NAMES)(
    'with a forged or replayed signature is held to MAX_REQUEST_BYTES at %s, and refused 401 below it',
    async (name) => {
      const direct = TARGETS.find((t) => t.subgraph === name && !t.asGateway)!;
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${current().member}`,
        'x-purpose': 'test',
      };
      // a genuine signature, of another (small) request: its claims verify, its body hash does not
      const borrowed = await signAsGateway(name, padded(10), headers);
      for (const signature of ['forged', borrowed]) {
        const large = await post(direct, padded(500_000), { [GATEWAY_SIGNATURE_HEADER]: signature });
        expect(large.status).toBe(signature === borrowed ? 401 : 413);
        const small = await post(direct, padded(1000), { [GATEWAY_SIGNATURE_HEADER]: signature });
        expect(small.status).toBe(401);
        expect(small.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
    },
  );
});

describe('the cap on the objects of one answer', () => {
  // within depth (8) and aliases (1); a province's regencies' districts' … are 257,364 regions
  const pingPong = regionBomb(1, 8);
  const regionTargets = TARGETS.filter((t) => t.subgraph === null || t.subgraph === 'local-government');

  it.each(regionTargets)('the ping-pong of regions is refused by its cost at once at $label', async (target) => {
    // each `children` counts its real bound (108 regions), not the 10 assumed of other lists
    const response = await attack('region ping-pong', target, pingPong);
    expectRefused(response, 'cost', 50_000);
    figures[`region ping-pong at ${target.label}`] = { ms: Math.round(response.ms) };
  });

  describe('where an operator raised the cost limit (MAX_QUERY_COST=100,000,000)', () => {
    // what the estimate lets through, the cap still stops: a hub of its own, so its slower refusals
    // (the answer is built up to the cap) are not judged by the shared hub's per-subgraph timeout
    let raised: TestHub;
    const raisedEnv = { MAX_QUERY_COST: '100000000' };
    beforeAll(async () => {
      raised = await startTestHub('operation_limits_raised', {
        subgraphEnv: raisedEnv,
        gatewayEnv: { ...raisedEnv, SUBGRAPH_TIMEOUT_MS: '60000' },
      });
    }, 120_000);
    afterAll(async () => {
      await raised?.stop();
    });
    const raisedTargets = [
      { label: 'gateway', url: () => raised.gatewayUrl },
      { label: 'local-government (direct)', url: () => raised.subgraphs['local-government'].url },
      {
        label: 'local-government (signed)',
        url: () => raised.subgraphs['local-government'].url,
        asGateway: 'local-government' as const,
      },
    ];

    it.each(raisedTargets)(
      'refuses at $label: one error, no partial answer, memory bounded',
      async (target) => {
        attempts['response objects'] = (attempts['response objects'] ?? 0) + 1;
        const heapBefore = heapMB();
        const started = performance.now();
        const { result: response, peakMB } = await peakHeapMB(() =>
          graphql(target.url(), pingPong, { token: current().member, asGateway: target.asGateway }),
        );
        const ms = performance.now() - started;
        const heapAfter = heapMB();
        expectRefused(response, 'responseObjects', 50_000);
        expect(response.errors).toHaveLength(1);
        expect(response.errors![0]!.message).toMatch(
          /^Jawaban melebihi batas 50\.000 objek.*Tidak ada yang dikembalikan\.$/,
        );
        if (canCollect) expect(heapAfter - heapBefore).toBeLessThan(64);
        // the whole answer (257,364 regions) took local-government past 1 GB before the cap counted inside resolvers
        expect(peakMB - heapBefore).toBeLessThan(768);
        figures[`object cap at ${target.label}`] = {
          ms: Math.round(ms),
          heapBeforeMB: heapBefore,
          peakMB,
          heapAfterMB: heapAfter,
        };
      },
      120_000,
    );

    it('lets the same question through at a page the cap holds', async () => {
      const small = pingPong.replace('first: 38', 'first: 1');
      const response = await graphql(raised.gatewayUrl, small, { token: current().member });
      expect(response.errors).toBeUndefined();
      expect(response.status).toBe(200);
    });
  });

  describe('at subgraphs with the smallest cap (MAX_RESPONSE_OBJECTS=100) over the same databases', () => {
    const strict: Partial<Record<SubgraphName, RunningSubgraph>> = {};
    const start: Record<SubgraphName, (config: SubgraphConfig) => Promise<RunningSubgraph>> = {
      immigration: (config) => startSubgraph(immigrationSubgraph, config),
      police: (config) => startSubgraph(policeSubgraph, config),
      'local-government': (config) => startSubgraph(localGovernmentSubgraph, config),
    };

    beforeAll(async () => {
      for (const name of SUBGRAPH_NAMES) {
        const config = testSubgraphConfig(name, current().hub.subgraphs[name].dbName, { MAX_RESPONSE_OBJECTS: '100' });
        strict[name] = await start[name](config);
      }
    }, 60_000);
    afterAll(async () => {
      for (const s of Object.values(strict)) await s?.stop();
    });

    /** A question within every other limit whose answer holds more than 100 objects. */
    const many = (): Record<SubgraphName, string> => ({
      immigration: `{ ${Array.from(
        { length: 20 },
        (_, i) =>
          `a${i}: foreigner(id: "${current().fixture.foreignerId}") { stayPermits { __typename } currentPermit { __typename } ` +
          'borderCrossings { __typename } watchlist { __typename } immigrationActions { __typename } }',
      ).join(' ')} }`,
      police: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: incident(id: "${current().fixture.incidentId}") { parties { foreigner { incidents { parties { foreigner { id } } } } } }`).join(' ')} }`,
      'local-government': '{ regions(level: PROVINCE, first: 38) { nodes { children { code } } } }',
    });

    it.each(
      SUBGRAPH_NAMES.flatMap(
        (name) =>
          [
            [name, false],
            [name, true],
          ] as const,
      ),
    )('refuses an answer over the cap at %s (signed: %s)', async (name, signed) => {
      attempts['response objects'] = (attempts['response objects'] ?? 0) + 1;
      const response = await graphql(strict[name]!.url, many()[name], {
        token: current().member,
        asGateway: signed ? name : undefined,
      });
      expectRefused(response, 'responseObjects', 100);
      expect(response.errors).toHaveLength(1);
    });
  });

  it('is a configuration every service reads, with its default', () => {
    expect(loadSubgraphConfig('police', { MONGODB_URI: 'mongodb://x' }).limits.maxResponseObjects).toBe(50_000);
  });
});
