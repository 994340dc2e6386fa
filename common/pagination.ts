/**
 * Relay-style connections over keyset pagination: pages are ordered by `_id`, a cursor is the
 * last `_id` seen, and `totalCount` costs a count command only when it is selected.
 */
import type { Query } from 'mongoose';
import { InputError } from './errors.js';
import { message } from './i18n/language.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface PageWindow {
  limit: number;
  afterId: string | null;
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!id || encodeCursor(id) !== cursor) throw new InputError('after', message('input.cursor'));
  return id;
}

export function pageWindow(args: PageArgs): PageWindow {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw new InputError('first', message('input.pageSize', { max: MAX_PAGE_SIZE }));
  }
  return { limit, afterId: args.after ? decodeCursor(args.after) : null };
}

/** Adds the keyset condition of a page to a MongoDB filter. */
export function afterFilter<F extends object>(filter: F, window: PageWindow): F {
  return window.afterId ? ({ $and: [filter, { _id: { $gt: window.afterId } }] } as F) : filter;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * Builds a connection from up to `limit + 1` rows fetched in `_id` order (the extra row only
 * tells whether another page exists).
 */
export function toConnection<T>(
  rows: T[],
  window: PageWindow,
  idOf: (row: T) => string,
  count: () => Promise<number>,
): Connection<T> {
  const nodes = rows.slice(0, window.limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(idOf(node)), node }));
  let total: Promise<number> | undefined;
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: rows.length > window.limit,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: () => (total ??= count()),
  };
}

/**
 * What a page reads of a collection: a find and a count taking the same filter — a model's, or
 * reads scoped to one caller (`RegionalCollection.for`, common/db/jurisdiction-scope.ts), whose
 * filter type says it went through the caller's jurisdiction.
 */
export interface PageReads<T, F> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query shape; rows are read lean
  find(filter: F): Query<any, any, any, T>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query shape
  countDocuments(filter: F): Query<number, any, any, T>;
}

/**
 * A page of the documents of `reads` matching `filter` (jurisdiction included), in `_id` order
 * after the cursor's id: at most `limit + 1` lean rows in one find (none when `first: 0`), and a
 * `countDocuments` of `filter` run only when `totalCount` is selected — or `count`, when given,
 * a cheaper way to the same number (the immigration subgraph's counters). Each filter field is
 * expected to be served by a `{ field: 1, _id: 1 }` index.
 */
export async function keysetPage<T extends { _id: string }, F extends object>(
  reads: PageReads<T, F>,
  filter: F,
  page: PageArgs,
  count: () => Promise<number> = () => reads.countDocuments(filter).exec(),
): Promise<Connection<T>> {
  const window = pageWindow(page);
  const rows =
    window.limit === 0
      ? []
      : await reads
          .find(afterFilter(filter, window))
          .sort({ _id: 1 })
          .limit(window.limit + 1)
          .batchSize(window.limit + 1)
          .lean<T[]>()
          .exec();
  return toConnection(rows, window, (r) => r._id, count);
}
