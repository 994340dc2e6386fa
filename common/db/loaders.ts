/**
 * Per-request DataLoaders over mongoose models: every entity lookup and every nested list of a
 * page becomes one `$in` query per request and kind of record, whatever the page size.
 *
 * The shapes are the plain MongoDB ones — `{ _id: { $in } }` and `{ foreignerId: { $in } }`
 * sorted — each served by an index the model declares; the hub's FerretDB build searches its
 * SQLite indexes for them too (see `docs/architecture.md`, "Data design").
 */
import DataLoader from 'dataloader';
import type { Query } from 'mongoose';

/**
 * What a loader needs of a collection: a `find` (a model's, or the scoped one of
 * `jurisdiction-scope.ts`, which records how the read was scoped).
 */
export interface KeyedReads<T> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query shape; rows are read lean
  find(filter: Record<string, unknown>): Query<any, any, any, T>;
}

/**
 * Batch size of a loader's query: the whole answer in one reply (up to MongoDB's 16 MiB reply
 * limit), so a large page costs no extra `getMore` round trips.
 */
export const ONE_REPLY = 100_000;

/** A test of one row: the caller's jurisdiction (see `jurisdictionPredicate`). */
export type RowPredicate = (row: Record<string, unknown>) => boolean;

/** Field and direction, as in a MongoDB sort: 1 ascending, -1 descending. */
export type SortSpec = Readonly<Record<string, 1 | -1>>;

/**
 * Loads documents by `_id`, one `{ _id: { $in } }` query per batch; a missing id, or a row
 * `allow` refuses (outside the caller's jurisdiction), gives null. The jurisdiction is tested on
 * the rows read rather than added to the query, which then stays a pure `_id` lookup.
 */
export function byIdLoader<T extends { _id: string }>(
  model: KeyedReads<T>,
  allow?: RowPredicate | null,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = (await model
      .find({ _id: { $in: [...ids] } })
      .batchSize(ONE_REPLY)
      .lean()
      .exec()) as T[];
    const byId = new Map<string, T>();
    for (const row of rows) {
      if (!allow || allow(row as Record<string, unknown>)) byId.set(row._id, row);
    }
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export interface ByKeyOptions {
  /** The order of each key's rows, as the schema promises it (the query's sort). */
  sort: SortSpec;
  /** Only rows this accepts (the caller's jurisdiction); all rows when null or absent. */
  allow?: RowPredicate | null;
}

/**
 * Loads, per key, the documents whose `field` equals the key — or, for an array field (an
 * incident's `foreignerIds`), contains it, as MongoDB matches arrays — with one
 * `{ [field]: { $in: keys } }` query per batch, sorted by `sort`. A row belongs to every key of
 * the batch its field holds; each key's rows keep the query's order.
 */
export function byKeyLoader<T>(model: KeyedReads<T>, field: string, options: ByKeyOptions): DataLoader<string, T[]> {
  const { sort, allow } = options;
  return new DataLoader(async (keys) => {
    const rows = (await model
      .find({ [field]: { $in: [...keys] } })
      .sort(sort)
      .batchSize(ONE_REPLY)
      .lean()
      .exec()) as T[];
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const row of rows) {
      if (allow && !allow(row as Record<string, unknown>)) continue;
      const value = (row as Record<string, unknown>)[field];
      const rowKeys = Array.isArray(value) ? new Set(value.map(String)) : [String(value)];
      for (const key of rowKeys) groups.get(key)?.push(row);
    }
    return keys.map((key) => groups.get(key)!);
  });
}
