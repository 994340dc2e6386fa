/**
 * Bad input, generated (fast-check): random variables for every query and mutation of the
 * composed schema. Whatever arrives, the hub answers with an HTTP status below 500, a JSON body
 * whose every error carries a code other than INTERNAL_SERVER_ERROR, no stack trace — and a
 * mutation it refuses writes nothing (documents counted before and after). Malformed documents
 * and bodies: fuzz-documents.test.ts.
 */
import fc from 'fast-check';
import {
  MUTATION_FIELDS,
  PARAMETERS,
  PROPERTY_TIMEOUT_MS,
  QUERY_FIELDS,
  RUNS,
  expectClean,
  useFuzzHub,
} from '../helpers/fuzz.js';

const { post, currentCounts, QUERIES, MUTATIONS } = useFuzzHub('fuzz-variables');

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
