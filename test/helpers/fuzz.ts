/**
 * What the fuzz tests (test/faults/fuzz-*.test.ts) share: the hub they attack with a national
 * token of every scope, the run parameters, what every answer must be (`expectClean`), generated
 * operations for every root field of the composed schema with values for their arguments, and the
 * document counts a refused mutation must leave as they were.
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
import { recordFullForeigner, type FullForeigner } from './fixtures.js';
import { tokenFor } from './graphql.js';
import { startTestHub, type TestHub } from './hub.js';

/**
 * Runs per property: a modest number by default, so the file stays well within its timeouts on a
 * loaded CI machine (about 15 s of requests on an idle one); FUZZ_RUNS=1000 for a deeper local
 * run, FUZZ_SEED to replay the seed a failure printed.
 */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
export const PARAMETERS = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) };

/**
 * A property's jest timeout: a run takes 5 to 100 ms on an idle machine (a mutation's counts
 * before and after included); a second per run leaves room for a machine ten times slower.
 */
export const PROPERTY_TIMEOUT_MS = 60_000 + RUNS * 1000;

const composition = composeServices(subgraphDefinitions());
if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
const apiSchema = composition.schema.toAPISchema().toGraphQLJSSchema();

interface FuzzHub {
  hub: TestHub;
  /** A full foreigner, whose id the generated lookups use now and then. */
  fixture: FullForeigner;
  /** Every scope and national jurisdiction: requests get past the policy to validation and the database. */
  token: string;
}

async function startFuzzHub(label: string): Promise<FuzzHub> {
  // a subgraph fetch is never given up on a slow machine: a mutation the gateway gave up on would
  // still write after its refusal was answered, and the count comparison would blame the hub
  const hub = await startTestHub(label, { gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '120000' } });
  return {
    hub,
    fixture: await recordFullForeigner(hub),
    token: await tokenFor({
      agencyType: 'IMMIGRATION',
      agency: 'FUZZ-NATIONAL',
      jurisdiction: ['*'],
      scopes: SCOPE_NAMES,
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// What every answer must be

export interface Answer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
}

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** The answer is clean: below 500, JSON, every error coded and expected, no stack trace. */
export function expectClean(answer: Answer, what: unknown): void {
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
export const anyJson = fc.jsonValue({ maxDepth: 2 });

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

function generated(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  fixtureOf: () => FullForeigner,
): fc.Arbitrary<Generated> {
  const op = operationOf(kind, field);
  const shape = Object.fromEntries(field.args.map((a) => [a.name, valueOf(a.type)]));
  // a known foreigner's id now and then, so lookups also find something
  return fc
    .record(shape, { requiredKeys: [] })
    .map((v) => ({ op, variables: v.id === 'WNA-000001' ? { ...v, id: fixtureOf().foreignerId } : v }));
}

export const QUERY_FIELDS = Object.values(apiSchema.getQueryType()!.getFields());
export const MUTATION_FIELDS = Object.values(apiSchema.getMutationType()!.getFields());
export const DOCUMENTS = [
  ...QUERY_FIELDS.map((f) => operationOf('query', f)),
  ...MUTATION_FIELDS.map((f) => operationOf('mutation', f)),
];

/**
 * Starts a fuzz hub before the file's tests and stops it after them; returns requests to it,
 * operations generated with its fixture, and its document counts.
 */
export function useFuzzHub(label: string) {
  let current: FuzzHub | undefined;
  beforeAll(async () => {
    current = await startFuzzHub(label);
  }, 300_000);
  afterAll(() => current?.hub.stop(), 60_000);
  const fuzz = () => current!;
  const hubOf = () => fuzz().hub;
  async function post(body: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(hubOf().gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${fuzz().token}`,
        'x-purpose': 'fuzz',
        ...headers,
      },
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

  const QUERIES = fc.oneof(...QUERY_FIELDS.map((f) => generated('query', f, () => fuzz().fixture)));
  const MUTATIONS = fc.oneof(...MUTATION_FIELDS.map((f) => generated('mutation', f, () => fuzz().fixture)));

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
      const db = hubOf().subgraphs[name].db.connection.db!;
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
      for (const [key, count] of Object.entries(hubOf().subgraphs[name].db.commands.snapshot())) {
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

  return { post, currentCounts, QUERIES, MUTATIONS };
}
