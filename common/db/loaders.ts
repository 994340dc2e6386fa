/**
 * Per-request DataLoaders over mongoose models: every entity lookup and every nested list of
 * a page becomes one `$in` query per request, whatever the page size.
 */
import DataLoader from 'dataloader';
import type { Model, SortOrder } from 'mongoose';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model shape; rows are read lean
type AnyModel<T> = Model<T, any, any, any>;

/**
 * Batch size of a loader's query: the whole answer in one reply (up to MongoDB's 16 MiB reply
 * limit), so a large page costs no extra `getMore` round trips.
 */
export const ONE_REPLY = 100_000;

/** Adds a row scope (the caller's jurisdiction) to a filter. */
function scoped(filter: Record<string, unknown>, scope: Record<string, unknown> | null | undefined) {
  return scope ? { $and: [filter, scope] } : filter;
}

/**
 * Loads documents by `_id`; a missing id, or one outside `scope` (the caller's
 * jurisdiction), gives null.
 */
export function byIdLoader<T extends { _id: string }>(
  model: AnyModel<T>,
  scope?: Record<string, unknown> | null,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    // FerretDB pushes `{ _id: value }` down to SQLite but scans and decodes the whole
    // collection for `$in`: a batch of one (a single lookup) is asked as an equality
    const idFilter = ids.length === 1 ? { _id: ids[0] } : { _id: { $in: [...ids] } };
    const rows = (await model.find(scoped(idFilter, scope)).batchSize(ONE_REPLY).lean().exec()) as T[];
    const byId = new Map(rows.map((row) => [row._id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export interface GroupedLoaderOptions<T> {
  /** The keys a row belongs to; by default the value of `field`. */
  keysOf?: (row: T) => readonly string[];
  /** Only rows inside this scope (the caller's jurisdiction). */
  scope?: Record<string, unknown> | null;
}

/** Loads, per key, the documents whose `field` equals (or, for arrays, contains) the key. */
export function groupedLoader<T>(
  model: AnyModel<T>,
  field: string,
  sort: Record<string, SortOrder>,
  options: GroupedLoaderOptions<T> = {},
): DataLoader<string, T[]> {
  const keysOf = options.keysOf ?? ((row: T) => [String((row as Record<string, unknown>)[field])]);
  return new DataLoader(async (keys) => {
    const rows = (await model
      .find(scoped({ [field]: { $in: [...keys] } }, options.scope))
      .sort(sort)
      .batchSize(ONE_REPLY)
      .lean()
      .exec()) as T[];
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) {
      for (const key of keysOf(row)) groups.get(key)?.push(row);
    }
    return keys.map((k) => groups.get(k)!);
  });
}
