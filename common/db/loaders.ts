/**
 * Per-request DataLoaders over mongoose models. Every record a request needs is read by `_id`,
 * batched per request, in the shape the server answers fastest:
 *
 * - MongoDB: one `{ _id: { $in } }` query per batch (an index search), whatever the batch size.
 * - FerretDB (SQLite backend): it searches its `_id` index only for a filter on `_id` alone;
 *   `$in` reads and decodes the whole collection (~45 µs per document, measured in
 *   docs/BENCHMARKS.md). A batch is asked as one `_id` equality per id when that costs less
 *   than the scan (about 1.5 ms per lookup against the collection's size), else as `$in`.
 *
 * Records under a foreigner are found through the foreigner's record index
 * (`common/db/record-index.ts`): one `_id` lookup per foreigner, then the records by `_id`.
 */
import DataLoader from 'dataloader';
import type { Model } from 'mongoose';
import { servedByFerretDb } from './connection.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model shape; rows are read lean
type AnyModel<T> = Model<T, any, any, any>;

/**
 * Batch size of a loader's query: the whole answer in one reply (up to MongoDB's 16 MiB reply
 * limit), so a large page costs no extra `getMore` round trips.
 */
export const ONE_REPLY = 100_000;

/** FerretDB: measured cost of one `_id` lookup with its index, and of scanning one document. */
const LOOKUP_MS = 1.5;
const SCAN_MS_PER_DOCUMENT = 0.045;
/** `_id` lookups in flight at once on FerretDB (more only contend: measured slower at 100). */
export const LOOKUP_CONCURRENCY = 4;
/** How long a collection's size is reused before it is read again (in the background). */
const SIZE_TTL_MS = 5 * 60_000;

const sizes = new WeakMap<AnyModel<unknown>, { count: number; at: number; refreshing?: Promise<number> }>();

function readSize(model: AnyModel<unknown>): Promise<number> {
  const cached = sizes.get(model);
  const refreshing = model.db
    .db!.command({ collStats: model.collection.collectionName })
    .then((stats) => Number(stats.count) || 0)
    .catch(() => cached?.count ?? 0)
    .then((count) => {
      sizes.set(model, { count, at: Date.now() });
      return count;
    });
  sizes.set(model, { count: cached?.count ?? 0, at: cached?.at ?? 0, refreshing });
  return refreshing;
}

/**
 * The collection's document count, from `collStats` (on FerretDB far cheaper than counting,
 * though it still grows with the collection: about 1.5 s for 280,000 documents on a busy
 * machine). Only the first batch of a collection waits for it; later batches use the last
 * count and, every few minutes, read it again in the background. The shape needs only its
 * order of magnitude.
 */
async function collectionSize(model: AnyModel<unknown>): Promise<number> {
  const cached = sizes.get(model);
  if (!cached) return readSize(model);
  if (cached.at === 0) return cached.refreshing ?? readSize(model);
  if (Date.now() - cached.at > SIZE_TTL_MS && !cached.refreshing) void readSize(model);
  return cached.count;
}

/** Should this batch of ids be asked one `_id` equality at a time? */
async function oneByOne(model: AnyModel<unknown>, batch: number): Promise<boolean> {
  if (batch === 1) return true;
  if (!servedByFerretDb(model.db)) return false;
  return cheaperOneByOne(batch, await collectionSize(model));
}

/** On FerretDB: do `batch` `_id` lookups cost less than one `$in` reading a collection of this size? */
export function cheaperOneByOne(batch: number, collectionSize: number): boolean {
  return batch === 1 || batch * LOOKUP_MS < collectionSize * SCAN_MS_PER_DOCUMENT;
}

/** Runs `task` for every item, at most `limit` at a time; results in the items' order. */
export async function mapLimited<I, O>(
  items: readonly I[],
  limit: number,
  task: (item: I) => Promise<O>,
): Promise<O[]> {
  const results = new Array<O>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The documents with these ids (in no particular order; missing ids are absent). */
export async function findByIds<T>(model: AnyModel<T>, ids: readonly string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  if (await oneByOne(model as AnyModel<unknown>, ids.length)) {
    const rows = await mapLimited(
      ids,
      LOOKUP_CONCURRENCY,
      async (id) => (await model.findOne({ _id: id }).lean().exec()) as T | null,
    );
    return rows.filter((row): row is T => row !== null);
  }
  return (await model
    .find({ _id: { $in: [...ids] } })
    .batchSize(ONE_REPLY)
    .lean()
    .exec()) as T[];
}

/** A test of one row: the caller's jurisdiction (see `jurisdictionPredicate`). */
export type RowPredicate = (row: Record<string, unknown>) => boolean;

/**
 * Loads documents by `_id`; a missing id, or a row `allow` refuses (outside the caller's
 * jurisdiction), gives null.
 */
export function byIdLoader<T extends { _id: string }>(
  model: AnyModel<T>,
  allow?: RowPredicate | null,
): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await findByIds(model, ids);
    const byId = new Map<string, T>();
    for (const row of rows) {
      if (!allow || allow(row as Record<string, unknown>)) byId.set(row._id, row);
    }
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Field and direction, as in a MongoDB sort: 1 ascending, -1 descending. */
export type SortSpec = Readonly<Record<string, 1 | -1>>;

/** A comparison of rows in the order of a MongoDB sort on top-level fields (dates, strings, numbers). */
export function compareBy<T>(sort: SortSpec): (a: T, b: T) => number {
  const keys = Object.entries(sort);
  return (a, b) => {
    for (const [field, direction] of keys) {
      const x = (a as Record<string, unknown>)[field] as string | number | Date | null | undefined;
      const y = (b as Record<string, unknown>)[field] as string | number | Date | null | undefined;
      if (x === y) continue;
      // MongoDB orders null and missing before any value
      if (x === null || x === undefined) return -direction;
      if (y === null || y === undefined) return direction;
      const xv = x instanceof Date ? x.getTime() : x;
      const yv = y instanceof Date ? y.getTime() : y;
      if (xv < yv) return -direction;
      if (xv > yv) return direction;
    }
    return 0;
  };
}
