/**
 * The raw-read baseline: for each workload, the same documents the subgraphs read for it (same
 * collections, filters and query shapes: lists by filter, records by `_id` through each
 * database's record index; see the subgraphs' services, `common/db/loaders.ts` and
 * `common/db/record-index.ts`), read straight through the driver for a national caller (no
 * jurisdiction), with no GraphQL, no token check, no access log. Reads that need nothing from
 * an earlier one run in parallel, which is the best a hand-written service could do; the
 * gateway has to wait for immigration before it can ask police and local government.
 */
import type { mongo } from 'mongoose';
import { startOfTodayUtc } from '../../common/dates.js';
import {
  LOOKUP_CONCURRENCY,
  ONE_REPLY,
  cheaperOneByOne,
  compareBy,
  mapLimited,
  type SortSpec,
} from '../../common/db/loaders.js';
import { RECORD_INDEX_COLLECTION } from '../../common/db/record-index.js';
import type { SubgraphName } from '../../common/config.js';

type Doc = mongo.Document;
export type RawDatabases = Record<SubgraphName, mongo.Db>;

const sizes = new Map<string, number>();

/** Documents by `_id`, in the shape `findByIds` chooses on FerretDB (one by one, four at a time, or `$in`). */
async function byIds(db: mongo.Db, collection: string, ids: readonly string[]): Promise<Doc[]> {
  if (ids.length === 0) return [];
  const key = `${db.databaseName}.${collection}`;
  if (!sizes.has(key)) sizes.set(key, Number((await db.command({ collStats: collection })).count) || 0);
  const c = db.collection<Doc>(collection);
  if (!cheaperOneByOne(ids.length, sizes.get(key)!)) {
    return c
      .find({ _id: { $in: [...ids] } } as Doc)
      .batchSize(ONE_REPLY)
      .toArray();
  }
  const rows: (Doc | null)[] = await mapLimited(ids, LOOKUP_CONCURRENCY, (id) => c.findOne({ _id: id } as Doc));
  return rows.filter((row): row is Doc => row !== null);
}

/** Each foreigner's records of one kind: their index entries by `_id`, then the records by `_id`. */
async function indexed(
  db: mongo.Db,
  kind: string,
  collection: string,
  foreignerIds: string[],
  sort: SortSpec,
): Promise<Doc[]> {
  const entries = await byIds(db, RECORD_INDEX_COLLECTION, foreignerIds);
  const ids = [...new Set(entries.flatMap((e) => (Array.isArray(e[kind]) ? (e[kind] as string[]) : [])))];
  return (await byIds(db, collection, ids)).sort(compareBy(sort));
}

/** (a) A page of foreigners in a regency with their permits, SKLD, incidents, SKTT and employment. */
export async function readPage(dbs: RawDatabases, regionCode: string, first: number): Promise<Doc> {
  // ForeignerService.list for a region alone: the region's entry, then the page's foreigners by `_id`
  const entry = await dbs.immigration.collection<Doc>('region_members').findOne({ _id: regionCode } as Doc);
  const members = (Array.isArray(entry?.foreigners) ? (entry.foreigners as string[]) : []).sort();
  const wanted = members.slice(0, first + 1);
  const found = new Map((await byIds(dbs.immigration, 'foreigners', wanted)).map((f) => [String(f._id), f]));
  const rows = wanted.flatMap((id) => found.get(id) ?? []);
  const totalCount = members.length;
  const nodes = rows.slice(0, first);
  const ids = nodes.map((n) => String(n._id));
  const [permits, selfReports, incidents, residences, employment] = await Promise.all([
    indexed(dbs.immigration, 'stayPermits', 'stay_permits', ids, { expiresAt: -1, _id: 1 }),
    indexed(dbs.police, 'selfReports', 'self_report_certificates', ids, { issuedAt: -1, _id: 1 }),
    indexed(dbs.police, 'incidents', 'incidents', ids, { occurredAt: -1, _id: 1 }),
    indexed(dbs['local-government'], 'residences', 'residences', ids, { registeredAt: -1, _id: 1 }),
    indexed(dbs['local-government'], 'employment', 'employments', ids, { startedOn: -1, _id: 1 }),
  ]);
  return {
    totalCount,
    hasNextPage: rows.length > first,
    nodes,
    permits,
    selfReports,
    incidents,
    residences,
    employment,
  };
}

/** (b) One foreigner (an `_id` equality, as `byIdLoader` asks a batch of one) and every record about them. */
export async function readProfile(dbs: RawDatabases, id: string): Promise<Doc> {
  const one = [id];
  const [foreigner, permits, crossings, watchlist, actions, selfReports, incidents, residences, employment, reports] =
    await Promise.all([
      dbs.immigration
        .collection('foreigners')
        .find({ _id: id } as Doc)
        .batchSize(ONE_REPLY)
        .toArray(),
      indexed(dbs.immigration, 'stayPermits', 'stay_permits', one, { expiresAt: -1, _id: 1 }),
      indexed(dbs.immigration, 'borderCrossings', 'border_crossings', one, { crossedAt: -1, _id: 1 }),
      indexed(dbs.immigration, 'watchlist', 'watchlist_entries', one, { since: -1, _id: 1 }),
      indexed(dbs.immigration, 'immigrationActions', 'immigration_actions', one, { decidedAt: -1, _id: 1 }),
      indexed(dbs.police, 'selfReports', 'self_report_certificates', one, { issuedAt: -1, _id: 1 }),
      indexed(dbs.police, 'incidents', 'incidents', one, { occurredAt: -1, _id: 1 }),
      indexed(dbs['local-government'], 'residences', 'residences', one, { registeredAt: -1, _id: 1 }),
      indexed(dbs['local-government'], 'employment', 'employments', one, { startedOn: -1, _id: 1 }),
      indexed(dbs['local-government'], 'communityReports', 'community_reports', one, { reportedAt: -1, _id: 1 }),
    ]);
  return {
    foreigner: foreigner[0] ?? null,
    permits,
    crossings,
    watchlist,
    actions,
    selfReports,
    incidents,
    residences,
    employment,
    reports,
  };
}

/**
 * (c) Statistics of a region by nationality and permit type: like `ForeignerService.statistics`,
 * two aggregations, foreigners with a permit in force (grouped by its type too) and the others.
 */
export async function readStatistics(dbs: RawDatabases, regionCode: string): Promise<Doc> {
  const today = startOfTodayUtc();
  const match = { domicileProvince: regionCode };
  const inForce = { 'currentPermit.status': 'ACTIVE', 'currentPermit.expiresAt': { $gte: today } };
  const foreigners = dbs.immigration.collection('foreigners');
  const count = (condition: Doc, key: Doc) =>
    foreigners.aggregate([{ $match: condition }, { $group: { _id: key, count: { $sum: 1 } } }]).toArray();
  const [withPermit, without] = await Promise.all([
    count({ $and: [match, inForce] }, { nationality: '$nationality', permitType: '$currentPermit.type' }),
    count({ $and: [match, { $nor: [inForce] }] }, { nationality: '$nationality' }),
  ]);
  const groups = [...withPermit, ...without];
  return { total: groups.reduce((sum, g) => sum + Number(g.count), 0), groups };
}
