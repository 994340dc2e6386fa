/**
 * Bad input, generated (fast-check): random variables for every query and mutation of the
 * composed schema, random strings and malformed documents in place of operations, and bodies
 * that are not GraphQL requests at all. Whatever arrives, the hub answers with an HTTP status
 * below 500, a JSON body whose every error carries a code other than INTERNAL_SERVER_ERROR, no
 * stack trace — and a mutation it refuses writes nothing (documents counted before and after).
 */
import { composeServices } from '@apollo/composition';
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';
import { subgraphDefinitions } from '../../schema/subgraphs.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

/**
 * Runs per property: a modest number by default, so the file stays well within its timeouts on a
 * loaded CI machine (about 15 s of requests on an idle one); FUZZ_RUNS=1000 for a deeper local
 * run, FUZZ_SEED to replay the seed a failure printed.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const PARAMETERS = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

/**
 * A property's jest timeout: a run takes 5 to 100 ms on an idle machine (a mutation's counts
 * before and after included); a second per run leaves room for a machine ten times slower.
 */
const PROPERTY_TIMEOUT_MS = 60_000 + RUNS * 1000;

const composition = composeServices(subgraphDefinitions());
if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
const apiSchema = composition.schema.toAPISchema().toGraphQLJSSchema();

let hub: TestHub;
let fixture: FullForeigner;
let token: string;

beforeAll(async () => {
  // a subgraph fetch is never given up on a slow machine: a mutation the gateway gave up on would
  // still write after its refusal was answered, and the count comparison would blame the hub
  hub = await startTestHub('fuzz', { gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '120000' } });
  fixture = await recordFullForeigner(hub);
  // every scope and national jurisdiction: requests get past the policy to validation and the database
  token = await tokenFor({
    agencyType: 'IMMIGRATION',
    agency: 'FUZZ-NATIONAL',
    jurisdiction: ['*'],
    scopes: SCOPE_NAMES,
  });
}, 300_000);
afterAll(() => hub?.stop(), 60_000);

// ---------------------------------------------------------------------------------------------
// What every answer must be

interface Answer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
}

async function post(body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'fuzz', ...headers },
    body,
  });
  const text = await response.text();
  let parsed: Answer['body'] = null;
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    parsed = null;
  }
  return { status: response.status, text, body: parsed };
}

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** The answer is clean: below 500, JSON, every error coded and expected, no stack trace. */
function expectClean(answer: Answer, what: unknown): void {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  if (!answer.body || typeof answer.body !== 'object') problems.push('body is not a JSON object');
  for (const error of answer.body?.errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code !== 'string') problems.push(`error without a code: ${String(error.message)}`);
    if (code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR: ${String(error.message)}`);
    if (typeof error.message === 'string' && STACK_FRAME.test(error.message)) problems.push('stack trace in message');
    if (error.extensions && 'stacktrace' in error.extensions) problems.push('stacktrace extension');
  }
  if (problems.length > 0) {
    throw new Error(
      `${problems.join('; ')}\nrequest: ${JSON.stringify(what).slice(0, 2000)}\nanswer: ${answer.text.slice(0, 2000)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Values for an input type: mostly of the right shape (to reach the resolvers), sometimes not

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('16', '16.01', '16.01.14', '16.01.14.1001', '99.99', '', ' ', '*', '$gt', '.'),
  },
  { weight: 1, arbitrary: fc.constantFrom('{"$ne":null}', '../../etc/passwd', "'; DROP TABLE x; --", '\u0000', '🙂') },
  { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 5000 }) },
  { weight: 1, arbitrary: fc.constant('WNA-000001') },
);
const dateLike = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('2025-02-30', '2025-13-01', '0000-00-00', 'yesterday', '2025-01-01T25:00:00Z', '1e10'),
  text,
);
const anyJson = fc.jsonValue({ maxDepth: 2 });

function scalarValue(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'Int':
      return fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.integer(), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e21));
    case 'Float':
      return fc.oneof(fc.double(), fc.integer());
    case 'Boolean':
      return fc.boolean();
    case 'Date':
    case 'DateTime':
      return dateLike;
    default:
      return text;
  }
}

function valueOf(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueOf(type.ofType, depth);
  const right = rightShape(type, depth);
  // sometimes the wrong type, null where a value is required, or an unknown field
  return fc.oneof(
    { weight: 12, arbitrary: right },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

function rightShape(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isListType(type)) return fc.array(valueOf(type.ofType, depth + 1), { maxLength: depth > 1 ? 1 : 4 });
  if (isEnumType(type)) {
    return fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) },
      { weight: 1, arbitrary: text },
    );
  }
  if (isScalarType(type)) return scalarValue(type.name);
  if (isInputObjectType(type) && depth < 4) {
    const fields = Object.values(type.getFields());
    const shape = Object.fromEntries(fields.map((f) => [f.name, valueOf(f.type, depth + 1)]));
    const required = fields.filter((f) => isNonNullType(f.type) && f.defaultValue === undefined).map((f) => f.name);
    return fc
      .tuple(fc.record(shape, { requiredKeys: required }), fc.option(fc.dictionary(text, anyJson, { maxKeys: 2 })))
      .map(([value, extra]) => ({ ...(extra ?? {}), ...value }));
  }
  return anyJson;
}

// ---------------------------------------------------------------------------------------------
// Every root field as an operation with one variable per argument

interface RootOperation {
  name: string;
  kind: 'query' | 'mutation';
  document: string;
}

/** One generated request: an operation and its variables (what fast-check prints for a counterexample). */
interface Generated {
  op: RootOperation;
  variables: Record<string, unknown>;
}

/** The leaf fields of a type and of the object types right below it (no required arguments). */
function selection(type: GraphQLObjectType, depth = 0): string {
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth < 1) parts.push(`${field.name} { ${selection(named, depth + 1)} }`);
  }
  return parts.join(' ');
}

function operationOf(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): RootOperation {
  const declarations = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const select = isObjectType(named) ? ` { ${selection(named)} }` : '';
  const document = `${kind} Fuzz${declarations ? `(${declarations})` : ''} { ${field.name}${args ? `(${args})` : ''}${select} }`;
  return { name: field.name, kind, document };
}

function generated(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): fc.Arbitrary<Generated> {
  const op = operationOf(kind, field);
  const shape = Object.fromEntries(field.args.map((a) => [a.name, valueOf(a.type)]));
  // a known foreigner's id now and then, so lookups also find something
  return fc
    .record(shape, { requiredKeys: [] })
    .map((v) => ({ op, variables: v.id === 'WNA-000001' ? { ...v, id: fixture.foreignerId } : v }));
}

const QUERY_FIELDS = Object.values(apiSchema.getQueryType()!.getFields());
const MUTATION_FIELDS = Object.values(apiSchema.getMutationType()!.getFields());
const QUERIES = fc.oneof(...QUERY_FIELDS.map((f) => generated('query', f)));
const MUTATIONS = fc.oneof(...MUTATION_FIELDS.map((f) => generated('mutation', f)));
const DOCUMENTS = [
  ...QUERY_FIELDS.map((f) => operationOf('query', f)),
  ...MUTATION_FIELDS.map((f) => operationOf('mutation', f)),
];

/**
 * Documents in every collection of every subgraph's database, but for the official region tree
 * (91,599 documents loaded at start and never written by a mutation). Counted with `collStats`,
 * exact on FerretDB's SQLite backend and a few times cheaper than `countDocuments`, which
 * decodes every document: the access log grows with every request, and counting it that way
 * made the mutation properties slow down run after run.
 */
async function documentCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of SUBGRAPH_NAMES) {
    const db = hub.subgraphs[name].db.connection.db!;
    for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (collection === 'regions') continue;
      const { count } = (await db.command({ collStats: collection })) as { count: number };
      if (count > 0) counts[`${name}.${collection}`] = count; // an empty collection is no write
    }
  }
  return counts;
}

/** Commands that write, as the driver's command monitoring names them. */
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'create', 'drop', 'dropDatabase']);

/** Write commands the subgraphs have sent to their databases so far (refused ones included). */
function writeCommandsSent(): number {
  let sent = 0;
  for (const name of SUBGRAPH_NAMES) {
    for (const [key, count] of Object.entries(hub.subgraphs[name].db.commands.snapshot())) {
      if (WRITE_COMMANDS.has(key.split(':')[0]!)) sent += count;
    }
  }
  return sent;
}

let counted: { writeCommands: number; counts: Record<string, number> } | null = null;

/**
 * `documentCounts()`, counted again only when a subgraph has sent a write command since the last
 * count: a request during which no write command reached a database wrote nothing, and most
 * refused mutations are refused before any. (Requests here run one at a time.)
 */
async function currentCounts(): Promise<Record<string, number>> {
  const writeCommands = writeCommandsSent();
  if (counted?.writeCommands !== writeCommands) counted = { writeCommands, counts: await documentCounts() };
  return counted.counts;
}

// ---------------------------------------------------------------------------------------------

it('derives an operation for every query and mutation of the schema', () => {
  expect(QUERY_FIELDS.length).toBeGreaterThan(10);
  expect(MUTATION_FIELDS.map((m) => m.name)).toEqual(
    expect.arrayContaining(['registerForeigner', 'fileIncident', 'submitCommunityReport']),
  );
});

it(
  'answers random variables of every query cleanly',
  async () => {
    await fc.assert(
      fc.asyncProperty(QUERIES, async ({ op, variables }) => {
        const request = { query: op.document, variables };
        expectClean(await post(JSON.stringify(request)), request);
      }),
      PARAMETERS,
    );
  },
  PROPERTY_TIMEOUT_MS,
);

it(
  'answers random variables of every mutation cleanly, and a refused mutation writes nothing',
  async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        MUTATIONS,
        fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 300 })), { freq: 3 }),
        async ({ op, variables }, key) => {
          const request = { query: op.document, variables };
          const before = await currentCounts();
          const answer = await post(JSON.stringify(request), key === null ? {} : { 'idempotency-key': key });
          expectClean(answer, { ...request, key });
          const data = answer.body?.data as Record<string, unknown> | null | undefined;
          if (!data?.[op.name]) {
            refused += 1;
            expect({ request, counts: await currentCounts() }).toEqual({ request, counts: before });
          }
        },
      ),
      PARAMETERS,
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
  },
  PROPERTY_TIMEOUT_MS,
);

it(
  'answers random strings in place of a document cleanly',
  async () => {
    const graphqlish = fc
      .array(
        fc.constantFrom(
          '{',
          '}',
          '(',
          ')',
          '[',
          ']',
          ':',
          '$',
          '@',
          '...',
          '"',
          'query',
          'mutation',
          'fragment',
          'on',
          'foreigner',
          'id',
          ' ',
          '\n',
          '#',
          '!',
          '=',
          '1',
          'true',
        ),
        { maxLength: 60 },
      )
      .map((tokens) => tokens.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), graphqlish),
        async (query) => {
          expectClean(await post(JSON.stringify({ query })), { query });
        },
      ),
      PARAMETERS,
    );
  },
  PROPERTY_TIMEOUT_MS,
);

it(
  'answers malformed documents of every operation cleanly',
  async () => {
    const malformed = fc
      .constantFrom(...DOCUMENTS)
      .chain((op) =>
        fc
          .tuple(
            fc.nat({ max: op.document.length }),
            fc.nat({ max: 20 }),
            fc.oneof(
              fc.string({ maxLength: 5 }),
              fc.constantFrom('{', '}', '(', ')', '$', '"', '@skip', '...', '\\u0000'),
            ),
          )
          .map(([at, cut, insert]) => ({ op, query: op.document.slice(0, at) + insert + op.document.slice(at + cut) })),
      );
    await fc.assert(
      fc.asyncProperty(malformed, async ({ op, query }) => {
        const request = { query, variables: {} };
        const before = op.kind === 'mutation' ? await currentCounts() : null;
        const answer = await post(JSON.stringify(request));
        expectClean(answer, request);
        const data = answer.body?.data as Record<string, unknown> | null | undefined;
        if (before && !data?.[op.name]) expect(await currentCounts()).toEqual(before);
      }),
      PARAMETERS,
    );
  },
  PROPERTY_TIMEOUT_MS,
);

/** `extensions` of a request: any JSON, or a `persistedQuery` of any shape (Apollo Server reads it before the document). */
const requestExtensions = fc.oneof(
  anyJson,
  fc.record({
    persistedQuery: fc.oneof(
      anyJson,
      fc.record(
        {
          version: fc.oneof(fc.constant(1), anyJson),
          sha256Hash: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 64 }), anyJson),
        },
        { requiredKeys: [] },
      ),
    ),
  }),
);

it(
  'answers request bodies that are not GraphQL requests cleanly',
  async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            query: fc.oneof(anyJson, fc.constant(DOCUMENTS[0]!.document)),
            variables: anyJson,
            operationName: anyJson,
            extensions: requestExtensions,
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        expectClean(await post(raw), raw);
      }),
      PARAMETERS,
    );
  },
  PROPERTY_TIMEOUT_MS,
);

// found by the property above: Apollo Server refused these with HTTP 400 but no code, which the
// hub masked as INTERNAL_SERVER_ERROR
it.each([
  [
    'an unsupported version',
    { persistedQuery: { version: 2, sha256Hash: 'abc' } },
    'Unsupported persisted query version',
  ],
  ['no object', { persistedQuery: 1 }, 'Unsupported persisted query version'],
  [
    'a hash of another document',
    { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
    'provided sha does not match query',
  ],
])('answers a persistedQuery extension with %s as BAD_REQUEST', async (_, extensions, message) => {
  const answer = await post(JSON.stringify({ query: '{ __typename }', extensions }));
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
});
