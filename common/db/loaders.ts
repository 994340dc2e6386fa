/**
 * Per-request DataLoaders over mongoose models: every entity lookup and every nested list of
 * a page becomes one `$in` query per request, whatever the page size.
 */
import DataLoader from 'dataloader';
import type { Model, SortOrder } from 'mongoose';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model shape; rows are read lean
type AnyModel<T> = Model<T, any, any, any>;

/** Loads documents by `_id`; a missing id gives null. */
export function byIdLoader<T extends { _id: string }>(
  model: AnyModel<T>,
  scope: Record<string, unknown> = {},
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = (await model
      .find({ ...scope, _id: { $in: [...ids] } })
      .lean()
      .exec()) as T[];
    const byId = new Map(rows.map((row) => [row._id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads, per key, the documents whose `field` equals (or, for arrays, contains) the key. */
export function groupedLoader<T>(
  model: AnyModel<T>,
  field: string,
  sort: Record<string, SortOrder>,
  keysOf: (row: T) => readonly string[] = (row) => [String((row as Record<string, unknown>)[field])],
): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => {
    const rows = (await model
      .find({ [field]: { $in: [...keys] } })
      .sort(sort)
      .lean()
      .exec()) as T[];
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) {
      for (const key of keysOf(row)) groups.get(key)?.push(row);
    }
    return keys.map((k) => groups.get(k)!);
  });
}
