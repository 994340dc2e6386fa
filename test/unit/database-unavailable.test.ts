/**
 * A database failure is answered DATABASE_UNAVAILABLE however it reaches the caller, including
 * a raw socket error that the driver lets through (found by test/faults/database-restart.test.ts:
 * a mutation cut off by the database's exit was answered "Cannot return null for non-nullable
 * field SubmitCommunityReportPayload.communityReport", INTERNAL_SERVER_ERROR). The errors are
 * made in a realm of their own, as Node's own errors are under Jest.
 */
import vm from 'node:vm';
import mongoose from 'mongoose';
import { buildSchema, execute, parse, type GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { DisclosureCollector, protectSchema, type PermissionContext } from '../../common/auth/permissions.js';
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import { isDatabaseUnavailable } from '../../common/db/errors.js';
import { createFormatError } from '../../common/errors.js';

/** An error of another realm, with Node's fields of a system error. */
const foreignError = (message: string, fields: Record<string, string>) =>
  vm.runInNewContext(`Object.assign(new Error(${JSON.stringify(message)}), ${JSON.stringify(fields)})`) as Error;

const EPIPE = () => foreignError('write EPIPE', { code: 'EPIPE', syscall: 'write' });

/** A mutation of the policy whose payload field is non-null, resolved by `resolve`, behind the permissions. */
async function submit(resolve: GraphQLFieldResolver<unknown, PermissionContext>) {
  const schema = buildSchema(`
    type Query { unused: String }
    type SubmitCommunityReportPayload { communityReport: String! }
    type Mutation { submitCommunityReport: SubmitCommunityReportPayload! }
  `);
  schema.getMutationType()!.getFields().submitCommunityReport!.resolve = resolve;
  const contextValue: PermissionContext = {
    caller: {
      subject: 'test',
      agency: 'KEMENDAGRI',
      agencyType: 'LOCAL_GOVERNMENT',
      scopes: new Set(SCOPE_NAMES),
      jurisdiction: ['*'],
    },
    purpose: 'test',
    disclosures: new DisclosureCollector(),
  };
  const result = await execute({
    schema: protectSchema(schema),
    document: parse('mutation { submitCommunityReport { communityReport } }'),
    contextValue,
  });
  const logged: unknown[] = [];
  const format = createFormatError((error) => logged.push(error));
  const errors = (result.errors ?? []).map((error: GraphQLError) =>
    format({ ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', ...error.extensions } }, error),
  );
  return { data: result.data, errors, logged };
}

it('recognises a socket error by its code, also from another realm and wrapped', () => {
  expect(isDatabaseUnavailable(EPIPE())).toBe(true);
  expect(isDatabaseUnavailable(new Error('wrapped', { cause: EPIPE() }))).toBe(true);
  expect(isDatabaseUnavailable({ name: 'NonErrorThrown', thrownValue: EPIPE() })).toBe(true);
  expect(isDatabaseUnavailable(foreignError('not a socket', { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(false);
});

it("recognises a bulk write (the access log's insert) given up for a failed server selection", () => {
  const { MongoBulkWriteError, MongoServerSelectionError } = mongoose.mongo;
  const reason = { type: 'Single', servers: new Map() } as never;
  const selection = new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', reason);
  expect(isDatabaseUnavailable(new MongoBulkWriteError(selection, {} as never))).toBe(true);
  expect(isDatabaseUnavailable(new MongoBulkWriteError({ message: 'refused', code: 2 }, {} as never))).toBe(false);
});

it('answers a raw socket error thrown by a mutation as DATABASE_UNAVAILABLE at its field', async () => {
  const { data, errors, logged } = await submit(() => Promise.reject(EPIPE()));
  expect(data).toBeNull();
  expect(errors).toEqual([
    {
      message: 'The database did not answer; try again shortly',
      locations: [{ line: 1, column: 12 }],
      path: ['submitCommunityReport'],
      extensions: { code: 'DATABASE_UNAVAILABLE' },
    },
  ]);
  expect(logged).toHaveLength(1);
});

it('masks any other error of another realm as an internal error at its field', async () => {
  const { data, errors } = await submit(() => Promise.reject(foreignError('unexpected', {})));
  expect(data).toBeNull();
  expect(errors).toEqual([
    expect.objectContaining({ path: ['submitCommunityReport'], message: 'Internal server error' }),
  ]);
});
