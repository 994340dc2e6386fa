/**
 * Bad input, generated (fast-check): random strings and malformed documents in place of
 * operations, and bodies that are not GraphQL requests at all. Whatever arrives, the hub answers
 * with an HTTP status below 500, a JSON body whose every error carries a code other than
 * INTERNAL_SERVER_ERROR, no stack trace — and a mutation it refuses writes nothing. Random
 * variables of every root field: fuzz-variables.test.ts.
 */
import fc from 'fast-check';
import { DOCUMENTS, PARAMETERS, PROPERTY_TIMEOUT_MS, anyJson, expectClean, useFuzzHub } from '../helpers/fuzz.js';

const { post, currentCounts } = useFuzzHub('fuzz-documents');

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
