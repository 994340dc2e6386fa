/**
 * Operation limits at the gateway: depth, aliases, tokens, directives and cost are refused with
 * QUERY_TOO_COMPLEX before anything is planned (no subgraph fetch, no database command), a body
 * over MAX_REQUEST_BYTES with 413, no field suggestions to anyone, and
 * introspection as configured — while every saved operation passes, even at 1,000 per page.
 */
import { composeServices } from '@apollo/composition';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { loadGatewayConfig } from '../../common/config/gateway.js';
import type { ConfigError } from '../../common/config/parse.js';
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import type { RunningService } from '../../common/server/http-service.js';
import { readSavedOperations } from '../../gateway/src/explorer/saved-operations.js';
import { operationCost } from '../../common/limits/index.js';
import { startGateway } from '../../gateway/src/server.js';
import { partnerDocuments } from '../../common/auth/trusted-documents.js';
import { subgraphDefinitions } from '../../schema/subgraphs.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { graphql, tokenFor, type GraphQLResponse } from '../helpers/graphql.js';
import { countCommands, startTestHub, type TestHub } from '../helpers/hub.js';
import { scrapeMetrics, sumOf } from '../helpers/metrics.js';
import { testGatewayConfig } from '../helpers/env.js';

const composition = composeServices(subgraphDefinitions());
if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
const apiSchema = composition.schema.toAPISchema().toGraphQLJSSchema();

const DEFAULTS = loadGatewayConfig({}).limits;

let hub: TestHub;
let fixture: FullForeigner;
let member: string;
let partner: string;

beforeAll(async () => {
  hub = await startTestHub('limits');
  fixture = await recordFullForeigner(hub);
  member = await tokenFor({
    agencyType: 'IMMIGRATION',
    agency: 'DITJENIM-PUSAT',
    jurisdiction: ['*'],
    scopes: [...SCOPE_NAMES],
  });
  partner = await tokenFor({ agencyType: 'PARTNER', agency: 'TEST-PARTNER', jurisdiction: ['*'] });
}, 120_000);
afterAll(() => hub?.stop());

/** Sends `send` and checks that the subgraphs saw nothing of it: no fetch, no database command. */
async function costsTheSubgraphsNothing<T>(gatewayUrl: string, send: () => Promise<T>): Promise<T> {
  const fetchesBefore = sumOf(await scrapeMetrics(gatewayUrl), 'timpora_subgraph_fetches_total');
  const commands = countCommands(hub);
  const result = await send();
  expect(sumOf(await scrapeMetrics(gatewayUrl), 'timpora_subgraph_fetches_total')).toBe(fetchesBefore);
  expect(commands()).toEqual({ immigration: 0, police: 0, 'local-government': 0 });
  return result;
}

function expectTooComplex(response: GraphQLResponse, limit: string) {
  expect(response.status).toBe(400);
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  expect(error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit, max: expect.any(Number) });
  // in Bahasa Indonesia, the hub's default language (test/i18n/ has the English)
  expect(error.message).toMatch(/melebihi batas [\d.]+/);
  expect(JSON.stringify(response)).not.toMatch(/Syntax Error|stacktrace|\n\s+at /);
  return error;
}

/** `foreigner { incidents { parties { foreigner { incidents { … } } } } }`, `levels` pairs deep. */
function nested(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `id incidents { parties { foreigner { ${inner} } } }`;
  return `query($id: ID!) { foreigner(id: $id) { ${inner} } }`;
}

describe('defaults', () => {
  it('are what the documentation says', () => {
    expect(DEFAULTS).toEqual({
      maxDepth: 10,
      maxAliases: 20,
      maxTokens: 2000,
      maxDirectives: 10,
      maxCost: 50_000,
      maxRequestBytes: 102_400,
      maxSignedRequestBytes: 8 * 1024 * 1024,
      maxResponseObjects: 50_000,
    });
    expect(loadGatewayConfig({}).introspection).toBe(true);
    expect(loadGatewayConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadGatewayConfig({ NODE_ENV: 'production', INTROSPECTION: 'enabled' }).introspection).toBe(true);
    expect(loadGatewayConfig({ INTROSPECTION: 'disabled' }).introspection).toBe(false);
  });

  it('are validated with the other settings, every problem listed', () => {
    let problems: string[] = [];
    try {
      loadGatewayConfig({ MAX_QUERY_DEPTH: '1', INTROSPECTION: 'maybe', MAX_REQUEST_BYTES: 'big', GATEWAY_PORT: 'x' });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^GATEWAY_PORT/),
      expect.stringMatching(/^MAX_QUERY_DEPTH: .*"1"/),
      expect.stringMatching(/^MAX_REQUEST_BYTES: .*"big"/),
      expect.stringMatching(/^INTROSPECTION: .*"maybe"/),
    ]);
  });

  it('let every saved operation through at 1,000 items per page', async () => {
    const documents = [
      ...(await readSavedOperations(() => {})).map((o) => ({ name: o.name, text: o.document })),
      ...partnerDocuments().map((d) => ({ name: d.name, text: d.text })),
    ];
    expect(documents.length).toBeGreaterThan(5);
    for (const { name, text } of documents) {
      const document = parse(text);
      const operation = document.definitions.find(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      )!;
      const cost = operationCost(apiSchema, document, operation, { first: 1000 });
      expect({ name, cost, fits: cost <= DEFAULTS.maxCost }).toEqual({ name, cost, fits: true });
    }
  });
});

describe('the subgraphs, enforcing the same limits on what the gateway asks them', () => {
  it('answer every saved operation at 1,000 items per page: the planner keeps depth, aliases and directives', async () => {
    const operations = await readSavedOperations(() => {});
    expect(operations.length).toBeGreaterThan(5);
    for (const { name, document, variables } of operations) {
      const given = { ...(variables ? (JSON.parse(variables) as Record<string, unknown>) : {}) };
      if (/\$first\b/.test(document)) given.first = 1000;
      const response = await graphql(hub.gatewayUrl, document, { token: member, variables: given });
      const codes = (response.errors ?? []).map((e) => e.extensions?.code);
      expect({ name, refused: codes.includes('QUERY_TOO_COMPLEX'), status: response.status }).toEqual({
        name,
        refused: false,
        status: 200,
      });
    }
  });
});

describe('the cost of an operation', () => {
  const costOf = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return operationCost(apiSchema, document, document.definitions[0] as OperationDefinitionNode, variables);
  };

  it('counts objects, pages by their size and other lists as ten', () => {
    expect(costOf('{ foreigner(id: "x") { id fullName } }')).toBe(1);
    expect(costOf('{ foreigner(id: "x") { incidents { category } } }')).toBe(1 + 10);
    expect(costOf('{ foreigners { nodes { id } } }')).toBe(1 + 20); // the schema's default page
    expect(costOf('{ foreigners(first: 1000) { totalCount nodes { id currentPermit { number } } } }')).toBe(
      1 + 1000 * 2,
    );
    expect(costOf('query($n: Int) { foreigners(first: $n) { nodes { id } } }', { n: 300 })).toBe(1 + 300);
    expect(costOf('query($n: Int = 70) { foreigners(first: $n) { nodes { id } } }')).toBe(1 + 70);
    expect(costOf('{ foreigners(first: 5) { edges { node { id } } nodes { id } } }')).toBe(1 + 5 * 2 + 5);
  });

  it('counts fragments where they are spread, without exploding on fragments of fragments', () => {
    expect(costOf('{ foreigners(first: 3) { ...F } } fragment F on ForeignerConnection { nodes { id } }')).toBe(1 + 3);
    // 40 fragments, each spreading the next twice: 2^40 spreads, computed once per fragment
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Foreigner { a${i}: incidents { category } ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    const started = performance.now();
    const cost = costOf(`{ foreigner(id: "x") { ...F0 } }\n${fragments.replace(/ \.\.\.F40 \.\.\.F40/, '')}`);
    // computed spread by spread it would never finish (2^40); memoized it takes milliseconds. The
    // bound only tells the two apart, with room for a machine busy with other test files
    expect(performance.now() - started).toBeLessThan(5000);
    expect(cost).toBeGreaterThan(1e12);
  });
});

describe('an operation over a limit', () => {
  it('is refused for its depth, and costs the subgraphs nothing', async () => {
    const ok = await graphql(hub.gatewayUrl, nested(2), { token: member, variables: { id: fixture.foreignerId } });
    expect(ok.errors).toBeUndefined();
    const response = await costsTheSubgraphsNothing(hub.gatewayUrl, async () =>
      graphql(hub.gatewayUrl, nested(4), { token: member, variables: { id: fixture.foreignerId } }),
    );
    const error = expectTooComplex(response, 'depth');
    expect(error.message).toBe('Kedalaman kueri melebihi batas 10 (ditemukan 14). Tidak ada data yang diambil.');
  });

  it('is refused for its aliases', async () => {
    const aliases = Array.from({ length: 21 }, (_, i) => `a${i}: foreigner(id: "x") { id }`).join(' ');
    const response = await costsTheSubgraphsNothing(hub.gatewayUrl, () =>
      graphql(hub.gatewayUrl, `{ ${aliases} }`, { token: member }),
    );
    expectTooComplex(response, 'aliases');
  });

  it('is refused for its tokens before it is parsed', async () => {
    const fields = Array.from({ length: 700 }, () => 'id fullName nationality').join(' ');
    const response = await costsTheSubgraphsNothing(hub.gatewayUrl, () =>
      graphql(hub.gatewayUrl, `{ foreigner(id: "x") { ${fields} } }`, { token: member }),
    );
    expect(expectTooComplex(response, 'tokens').message).toBe(
      'Panjang kueri melebihi batas 2.000 token. Tidak ada data yang diambil.',
    );
  });

  it('is refused for its directives', async () => {
    const fields = Array.from({ length: 11 }, (_, i) => `f${i}: id @include(if: true)`).join(' ');
    const response = await costsTheSubgraphsNothing(hub.gatewayUrl, () =>
      graphql(hub.gatewayUrl, `{ foreigner(id: "x") { ${fields} } }`, { token: member }),
    );
    expectTooComplex(response, 'directives');
  });

  it('is refused for its cost, page sizes read from the variables', async () => {
    const everything = `query Everything($first: Int) {
      foreigners(first: $first) { nodes { id stayPermits { number sponsor { name } } incidents { category parties { involvement } }
        selfReports { number } employment { employer } communityReports { category } } }
    }`;
    const fine = await graphql(hub.gatewayUrl, everything, { token: member, variables: { first: 100 } });
    expect(fine.errors).toBeUndefined();
    const response = await costsTheSubgraphsNothing(hub.gatewayUrl, () =>
      graphql(hub.gatewayUrl, everything, { token: member, variables: { first: 1000 } }),
    );
    const error = expectTooComplex(response, 'cost');
    expect(error.message).toMatch(
      /^Biaya kueri melebihi batas 50.000 \(ditemukan 161.001\): minta lebih sedikit baris per halaman/,
    );
  });

  it('is counted in the metrics by its code', async () => {
    await graphql(hub.gatewayUrl, nested(5), { token: member, variables: { id: fixture.foreignerId } });
    const samples = await scrapeMetrics(hub.gatewayUrl);
    expect(sumOf(samples, 'timpora_graphql_errors_total', { code: 'QUERY_TOO_COMPLEX' })).toBeGreaterThan(0);
  });

  it('is refused from a partner too, with the same code', async () => {
    const response = await graphql(hub.gatewayUrl, nested(5), { token: partner, variables: { id: 'x' } });
    expectTooComplex(response, 'depth');
  });
});

describe('the request body', () => {
  it('is refused with 413 beyond MAX_REQUEST_BYTES, as JSON and before the token is even read', async () => {
    const response = await costsTheSubgraphsNothing(hub.gatewayUrl, () =>
      fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${member}` },
        body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(110_000) } }),
      }),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'Isi permintaan melebihi batas 102.400 byte',
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        },
      ],
    });
  });

  it('that is not JSON is answered 400 with a JSON error, without a stack trace', async () => {
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member}` },
      body: '{"query": "{ __typename }",',
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'Isi permintaan bukan JSON yang sah', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(text).not.toMatch(/\bat \w|node_modules/);
  });
});

describe('field suggestions', () => {
  const typo = '{ foreigner(id: "x") { fullNam } }';

  it('are not shown to member agencies either', async () => {
    const response = await graphql(hub.gatewayUrl, typo, { token: member });
    expect(response.errors?.[0]?.message).toBe('Cannot query field "fullNam" on type "Foreigner".');
  });

  it('are not shown to partners, who may run only their registered operations', async () => {
    const response = await graphql(hub.gatewayUrl, typo, { token: partner });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]).toMatchObject({
      message: 'Cannot query field "fullNam" on type "Foreigner".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('are never reached without a token: the request is refused with 401 first', async () => {
    const response = await graphql(hub.gatewayUrl, typo, { token: null });
    expect(response.status).toBe(401);
    expect(JSON.stringify(response)).not.toMatch(/Did you mean|fullName/);
  });
});

describe('a gateway with its own limits and introspection disabled', () => {
  let gateway: RunningService;

  beforeAll(async () => {
    gateway = await startGateway(
      testGatewayConfig(
        {
          immigration: hub.subgraphs.immigration.url,
          police: hub.subgraphs.police.url,
          'local-government': hub.subgraphs['local-government'].url,
        },
        { INTROSPECTION: 'disabled', MAX_QUERY_DEPTH: '3', MAX_QUERY_COST: '500', MAX_REQUEST_BYTES: '2048' },
      ),
    );
  });
  afterAll(() => gateway?.stop());

  it('refuses introspection and keeps __typename', async () => {
    const schema = await graphql(gateway.url, '{ __schema { types { name } } }', { token: member });
    expect(schema.status).toBe(400);
    expect(schema.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(schema.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    const type = await graphql(gateway.url, '{ __type(name: "Foreigner") { name } }', { token: member });
    expect(type.errors?.[0]?.message).toMatch(/introspection is not allowed/);
    const typename = await graphql(gateway.url, '{ __typename }', { token: member });
    expect(typename).toEqual({ status: 200, data: { __typename: 'Query' } });
    // the default gateway of the test run (NODE_ENV=test) allows it
    const allowed = await graphql(hub.gatewayUrl, '{ __schema { queryType { name } } }', { token: member });
    expect(allowed.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('shows no field suggestions to anyone', async () => {
    const response = await graphql(gateway.url, '{ foreigner(id: "x") { fullNam } }', { token: member });
    expect(response.errors?.[0]?.message).toBe('Cannot query field "fullNam" on type "Foreigner".');
    const enumValue = await graphql(gateway.url, '{ foreignerStatistics(groupBy: [NATIONALITI]) { total } }', {
      token: member,
    });
    expect(enumValue.errors?.[0]?.message).not.toMatch(/Did you mean|NATIONALITY/);
  });

  it('applies its configured limits', async () => {
    const deep = await graphql(gateway.url, '{ foreigner(id: "x") { residence { region { name } } } }', {
      token: member,
    });
    expect(expectTooComplex(deep, 'depth').extensions?.max).toBe(3);
    const costly = await graphql(gateway.url, '{ foreigners(first: 600) { nodes { id } } }', { token: member });
    expect(expectTooComplex(costly, 'cost').extensions?.max).toBe(500);
    const large = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member}` },
      body: JSON.stringify({ query: `{ __typename }${' '.repeat(3000)}` }),
    });
    expect(large.status).toBe(413);
  });
});
