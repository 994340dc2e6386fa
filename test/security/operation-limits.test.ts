/**
 * Attacks on the hub's capacity, made at the gateway and straight at each subgraph's port with a
 * member token (unsigned, as a member agency reaching the port would; and signed as the gateway,
 * whose requests obey the same limits): the 30-alias, 14-deep `region { parent { children … } }`
 * query that once took local-government to a 3.9 GB heap, alias bombs, deep nesting, duplicated
 * fields, huge token counts, directive overload, oversized bodies, answers over the object cap,
 * and field suggestions. Every refusal names its limit, and a refused operation runs no resolver:
 * each subgraph's `timpora_resolver_calls_total` (counted by the resolvers' own instrumentation)
 * does not move, nor does the gateway's count of subgraph fetches. The heap figures it prints are
 * taken after a full collection when node runs with `--expose-gc` (add it to NODE_OPTIONS).
 */
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import { GATEWAY_SIGNATURE_HEADER } from '../../common/auth/gateway-signature.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { loadSubgraphConfig, type SubgraphConfig } from '../../common/config/subgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../common/server/subgraph-server.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { localGovernmentSubgraph } from '../../subgraphs/local-government/src/index.js';
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { graphql, signAsGateway, tokenFor, type GraphQLResponse, type RequestOptions } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { testSubgraphConfig } from '../helpers/env.js';
import { scrapeMetrics, sumOf } from '../helpers/metrics.js';

let hub: TestHub;
let fixture: FullForeigner;
let member: string;

const attempts: Record<string, number> = {};
const figures: Record<string, unknown> = {};

/** Runs `work` while sampling the heap every 5 ms; the highest sample, in MB. */
async function peakHeapMB<T>(work: () => Promise<T>): Promise<{ result: T; peakMB: number }> {
  let peak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  try {
    const result = await work();
    return { result, peakMB: Math.round(Math.max(peak, process.memoryUsage().heapUsed) / 2 ** 20) };
  } finally {
    clearInterval(sampler);
  }
}

/** Whether this run can collect garbage on demand (`node --expose-gc`): heap figures after a request mean something. */
const canCollect = typeof (globalThis as { gc?: unknown }).gc === 'function';

/** The heap in use, in MB, after a full collection when the run allows one. */
function heapMB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

beforeAll(async () => {
  hub = await startTestHub('operation_limits');
  fixture = await recordFullForeigner(hub);
  member = await tokenFor({
    agencyType: 'IMMIGRATION',
    agency: 'DITJENIM-PUSAT',
    jurisdiction: ['*'],
    scopes: [...SCOPE_NAMES],
  });
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  process.stdout.write(
    `operation-limits attempts by class: ${JSON.stringify(attempts)}\nfigures: ${JSON.stringify(figures)}\n`,
  );
});

/** Where an attack is sent: the gateway, or one subgraph, unsigned or signed as the gateway. */
interface Target {
  label: string;
  url: () => string;
  /** The subgraph that serves the document, or null for the gateway (which serves them all). */
  subgraph: SubgraphName | null;
  asGateway?: SubgraphName;
}

const TARGETS: Target[] = [
  { label: 'gateway', url: () => hub.gatewayUrl, subgraph: null },
  ...SUBGRAPH_NAMES.flatMap((name): Target[] => [
    { label: `${name} (direct)`, url: () => hub.subgraphs[name].url, subgraph: name },
    { label: `${name} (signed)`, url: () => hub.subgraphs[name].url, subgraph: name, asGateway: name },
  ]),
];

/** Resolver calls of every subgraph, as their `/metrics` report them. */
async function resolverCalls(): Promise<Record<SubgraphName, number>> {
  const entries = await Promise.all(
    SUBGRAPH_NAMES.map(
      async (name) =>
        [name, sumOf(await scrapeMetrics(hub.subgraphs[name].url), 'timpora_resolver_calls_total')] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<SubgraphName, number>;
}

const subgraphFetches = async () => sumOf(await scrapeMetrics(hub.gatewayUrl), 'timpora_subgraph_fetches_total');

/** Sends an attack of class `kind`, and checks that no resolver ran anywhere and the gateway fetched nothing. */
async function attack(
  kind: string,
  target: Target,
  query: string,
  options: RequestOptions = {},
): Promise<GraphQLResponse & { ms: number }> {
  attempts[kind] = (attempts[kind] ?? 0) + 1;
  const [callsBefore, fetchesBefore] = await Promise.all([resolverCalls(), subgraphFetches()]);
  const started = performance.now();
  const response = await graphql(target.url(), query, { token: member, asGateway: target.asGateway, ...options });
  const ms = performance.now() - started;
  expect(await resolverCalls()).toEqual(callsBefore);
  expect(await subgraphFetches()).toBe(fetchesBefore);
  return { ...response, ms };
}

function expectRefused(response: GraphQLResponse, limit: string, max: number) {
  expect({ status: response.status, data: response.data ?? null }).toEqual({ status: 400, data: null });
  const refusals = response.errors?.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX') ?? [];
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, max });
  expect(refusals[0]!.message).toMatch(/melebihi batas [\d.]+/);
  expect(JSON.stringify(response)).not.toMatch(/Syntax Error|stacktrace|\n\s+at /);
}

/** `aliases` aliases of `regions { nodes { parent { children { parent { children … } } } } }`, `depth` fields deep. */
function regionBomb(aliases: number, depth: number): string {
  let inner = 'code';
  for (let level = depth - 2; level > 1; level--)
    inner = `code ${level % 2 === 0 ? 'children' : 'parent'} { ${inner} }`;
  const one = `regions(level: PROVINCE, first: 38) { nodes { ${inner} } }`;
  return `{ ${Array.from({ length: aliases }, (_, i) => `r${i}: ${one}`).join(' ')} }`;
}

/** A query every schema answers, `levels` fields deep: the introspection chain of `ofType`. */
function ofTypeChain(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels - 3; i++) inner = `ofType { ${inner} }`;
  return `{ __type(name: "Query") { fields { type { ${inner} } } } }`;
}

/** A page of 1,000 of each subgraph with a list in each item: 11,001 objects estimated, within the cost limit. */
const PAGE: Record<SubgraphName, string> = {
  immigration: 'foreigners(first: 1000) { nodes { stayPermits { __typename } } }',
  police: 'incidents(first: 1000) { nodes { parties { __typename } } }',
  'local-government': 'regions(first: 1000) { nodes { children { __typename } } }',
};

/** A page of 1,000 of each subgraph with lists in lists: over the cost limit. */
const COSTLY: Record<SubgraphName, string> = {
  immigration:
    'foreigners(first: 1000) { nodes { stayPermits { __typename } borderCrossings { __typename } ' +
    'immigrationActions { __typename } } edges { node { stayPermits { __typename } borderCrossings { __typename } } } }',
  police: 'incidents(first: 1000) { nodes { parties { foreigner { incidents { id } } } } }',
  'local-government': 'regions(first: 1000) { nodes { children { children { code } } } }',
};

describe('the region bomb that killed local-government (30 aliases, 14 deep)', () => {
  const bomb = regionBomb(30, 14);
  const targets = TARGETS.filter((t) => t.subgraph === null || t.subgraph === 'local-government');

  it.each(targets)('is refused at once at $label, naming the limit, the heap bounded', async (target) => {
    const heapBefore = heapMB();
    const response = await attack('region bomb', target, bomb);
    const heapAfter = heapMB();
    // depth is checked first among the validation rules; the aliases are over too
    expectRefused(response, 'depth', 10);
    expect(response.errors!.map((e) => e.extensions?.limit)).toEqual(['depth', 'aliases']);
    expect(response.ms).toBeLessThan(2000);
    if (canCollect) expect(heapAfter - heapBefore).toBeLessThan(64);
    figures[`region bomb at ${target.label}`] = {
      ms: Math.round(response.ms),
      heapBeforeMB: heapBefore,
      heapAfterMB: heapAfter,
    };
  });
});

describe.each(TARGETS)('at $label', (target) => {
  const served = target.subgraph ?? 'local-government';

  it('refuses deep nesting (the introspection chain, which every schema answers)', async () => {
    expectRefused(await attack('deep nesting', target, ofTypeChain(12)), 'depth', 10);
  });

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ');
    expectRefused(await attack('alias bomb', target, `{ ${aliases} }`), 'aliases', 20);
  });

  it('refuses a cost over the limit, page sizes and nested lists multiplied', async () => {
    expectRefused(await attack('cost', target, `{ ${COSTLY[served]} }`), 'cost', 50_000);
  });

  it('refuses duplicated fields by their cost, though they merge into one answer', async () => {
    const copies = Array.from({ length: 5 }, () => PAGE[served]).join(' ');
    expectRefused(await attack('field duplication', target, `{ ${copies} }`), 'cost', 50_000);
  });

  it('refuses a huge token count before parsing', async () => {
    const response = await attack('tokens', target, `{ ${'__typename '.repeat(2100)}}`);
    expectRefused(response, 'tokens', 2000);
    expect(response.ms).toBeLessThan(2000);
  });

  it('refuses directive overload', async () => {
    const fields = Array.from({ length: 50 }, () => '__typename @include(if: true) @skip(if: false)').join(' ');
    expectRefused(await attack('directives', target, `{ ${fields} }`), 'directives', 10);
  });

  it('answers a fragment bomb (each fragment spread twice in the one before: 2^40 spreads) at once', async () => {
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Query { __typename${i < 39 ? ` ...F${i + 1} ...F${i + 1}` : ''} }`,
    ).join(' ');
    const started = performance.now();
    const response = await attack('fragment bomb', target, `{ ...F0 } ${fragments}`);
    expect(response).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('suggests no field, argument or enum value', async () => {
    const typos = {
      gateway: [
        '{ foreignrs { totalCount } }',
        '{ regions(firs: 1) { totalCount } }',
        '{ regions(level: PROVINSE) { totalCount } }',
      ],
      immigration: [
        '{ foreignrs { totalCount } }',
        '{ foreigners(firs: 1) { totalCount } }',
        '{ agencies(type: POLIS) { code } }',
      ],
      police: [
        '{ incidens { totalCount } }',
        '{ incidents(firs: 1) { totalCount } }',
        '{ incident(id: "x") { categori } }',
      ],
      'local-government': [
        '{ region { code } }',
        '{ regions(firs: 1) { totalCount } }',
        '{ regions(level: PROVINSE) { totalCount } }',
      ],
    }[target.subgraph ?? 'gateway'];
    for (const typo of typos) {
      const response = await attack('suggestions', target, typo);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(response.errors)).not.toMatch(
        /Did you mean|\\"(foreigners|incidents|regions|first|POLICE|PROVINCE|category)\\"/,
      );
    }
  });
});

describe('the request body', () => {
  const padded = (bytes: number) =>
    JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(bytes) } });

  async function post(target: Target, body: string, headers: Record<string, string> = {}) {
    attempts['oversized body'] = (attempts['oversized body'] ?? 0) + 1;
    const all: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${member}`,
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
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${member}`, 'x-purpose': 'test' };
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
          graphql(target.url(), pingPong, { token: member, asGateway: target.asGateway }),
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
      const response = await graphql(raised.gatewayUrl, small, { token: member });
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
        const config = testSubgraphConfig(name, hub.subgraphs[name].dbName, { MAX_RESPONSE_OBJECTS: '100' });
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
          `a${i}: foreigner(id: "${fixture.foreignerId}") { stayPermits { __typename } currentPermit { __typename } ` +
          'borderCrossings { __typename } watchlist { __typename } immigrationActions { __typename } }',
      ).join(' ')} }`,
      police: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: incident(id: "${fixture.incidentId}") { parties { foreigner { incidents { parties { foreigner { id } } } } } }`).join(' ')} }`,
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
        token: member,
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
