/**
 * Listings, counts and lookups that answer about foreigners disclose something even when they
 * return only ids or a count: a list of ids found by name, nationality or region links the filter
 * to those ids. This middleware notes, in the request's disclosure collector, each root field of
 * `DISCLOSING_QUERIES` that answered (with its arguments, personal values masked), the rows it
 * served (a page whose edges, nodes or cursors were selected: cursors are ids too; a row found by
 * id) and every foreigner served by id elsewhere (a mutation's payload), so the access log records
 * the request whatever it selected. A page of which only `totalCount` was selected names no row.
 */
import type { IMiddlewareTypeMap } from 'graphql-middleware';
import {
  Kind,
  getNamedType,
  isObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DISCLOSING_QUERIES } from '../auth/policy.js';
import { afterResolved, type FieldMiddleware as Middleware } from '../field-middleware.js';
import type { DisclosureCollector } from '../auth/permissions.js';
import type { RequestInfo } from '../server/request-context.js';
import { stableJson } from '../server/idempotency.js';
import type { Disclosure } from './access-log.js';

/** What a personal argument value is recorded as: the record says a value was given, never which. */
export const MASKED_VALUE = '[disamarkan]';

/** Types whose `id` is served to every caller: serving one, even alone, discloses the row. */
const ROWS_BY_ID: ReadonlySet<string> = new Set(['Foreigner']);

/**
 * `args` with every value whose path (`filter.nationality`) is not in `publicPaths` replaced by
 * `[disamarkan]`; null stays null (no condition given), nested inputs are walked.
 */
export function maskArguments(
  args: Record<string, unknown>,
  publicPaths: readonly string[],
  prefix = '',
): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    const path = `${prefix}${name}`;
    if (value === null || publicPaths.includes(path)) masked[name] = value;
    else if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
      masked[name] = maskArguments(value as Record<string, unknown>, publicPaths, `${path}.`);
    } else masked[name] = MASKED_VALUE;
  }
  return masked;
}

/** Names of the fields selected directly in a selection set, through fragments. */
function selectedFields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, into = new Set<string>()) {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) into.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) selectedFields(selection.selectionSet, info, into);
    else selectedFields(info.fragments[selection.name.value]?.selectionSet, info, into);
  }
  return into;
}

/** Fields of a page that show nothing of its rows. */
const COUNT_ONLY: ReadonlySet<string> = new Set(['totalCount', '__typename']);

/**
 * The rows a root field served: the page of a connection when anything of it beyond its count is
 * selected (edges, nodes, a cursor: each tells ids), or the row a lookup found; with their type.
 */
function servedRows(info: GraphQLResolveInfo, result: unknown): { typeName: string; rows: unknown[] } | null {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type) || !result || typeof result !== 'object') return null;
  const fields = type.getFields();
  if (fields.nodes) {
    const selected = new Set<string>();
    for (const node of info.fieldNodes) selectedFields(node.selectionSet, info, selected);
    if ([...selected].every((name) => COUNT_ONLY.has(name))) return null;
    const rows = (result as { nodes?: unknown }).nodes;
    return { typeName: getNamedType(fields.nodes.type).name, rows: Array.isArray(rows) ? rows : [] };
  }
  return fields.id ? { typeName: type.name, rows: [result] } : null;
}

/** The access-log fields beyond who, what and when: set only when the request has them. */
export function disclosedExtras(
  disclosures: DisclosureCollector,
): Pick<Disclosure, 'filter' | 'recordRegions' | 'replayOf'> {
  const regions = [...disclosures.regions]
    .filter(([recordId]) => disclosures.recordIds.has(recordId))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([recordId, regionCode]) => ({ recordId, regionCode }));
  return {
    // plain JSON text (not `stableJson` of Dates): dates as ISO strings, arguments in a fixed key order
    ...(disclosures.queries.length > 0 ? { filter: stableJson(JSON.parse(JSON.stringify(disclosures.queries))) } : {}),
    ...(regions.length > 0 ? { recordRegions: regions } : {}),
    ...(disclosures.replayOf ? { replayOf: disclosures.replayOf } : {}),
  };
}

type FieldMiddleware = Middleware<RequestInfo, Promise<unknown>>;

/** A root field of `DISCLOSING_QUERIES` (its public argument paths): once it answered, the query and its rows are noted. */
function disclosingQuery(publicPaths: readonly string[]): FieldMiddleware {
  return async (resolve, parent, args, context, info) => {
    const result: unknown = await resolve(parent, args, context, info);
    // a refused query (FORBIDDEN, PURPOSE_REQUIRED, bad input) threw and answered nothing; an
    // error returned as the result answered nothing either
    if (result instanceof Error) return result;
    const { disclosures } = context;
    disclosures.noteQuery({ field: info.fieldName, arguments: maskArguments(args, publicPaths) });
    const served = servedRows(info, result);
    for (const row of served?.rows ?? []) disclosures.noteRow(served!.typeName, row);
    return result;
  };
}

/**
 * The `id` of a type in `ROWS_BY_ID`: once served, its row is noted. Not `async`: an id resolves
 * as a value, once per row, and is passed on without a promise of its own.
 */
const rowById: Middleware<RequestInfo> = (resolve, parent, args, context, info) => {
  const noted = (result: unknown) => {
    if (!(result instanceof Error)) context.disclosures.noteRow(info.parentType.name, parent);
    return result;
  };
  return afterResolved(resolve(parent, args, context, info), noted);
};

/**
 * Notes every answered listing, count and lookup about foreigners, and every foreigner served by
 * id: a graphql-middleware field map over exactly those fields of `schema` (every other field
 * runs without it), applied by `protectSchema` inside the permission rules, so a refused field
 * notes nothing.
 */
export function disclosedQueriesMiddleware(schema: GraphQLSchema): IMiddlewareTypeMap {
  const middleware: Record<string, Record<string, Middleware<RequestInfo>>> = {};
  const queryFields = schema.getQueryType()?.getFields() ?? {};
  for (const [field, publicPaths] of Object.entries(DISCLOSING_QUERIES)) {
    if (queryFields[field]) (middleware.Query ??= {})[field] = disclosingQuery(publicPaths);
  }
  for (const typeName of ROWS_BY_ID) {
    const type = schema.getType(typeName);
    if (isObjectType(type) && type.getFields().id) middleware[typeName] = { id: rowById };
  }
  return middleware;
}
