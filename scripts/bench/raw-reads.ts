/**
 * The raw-read baseline: for each workload, the same documents the subgraphs read for it (same
 * collections, filters and query shapes: lists by filter in `_id` order, records by one `$in`
 * on the foreigner ids per kind; see the subgraphs' services and `common/db/loaders.ts`), read
 * straight through the driver for a national caller (no jurisdiction), with no GraphQL, no
 * token check, no access log. Reads that need nothing from an earlier one run in parallel,
 * which is the best a hand-written service could do; the gateway has to wait for immigration
 * before it can ask police and local government.
 */
import type { mongo } from 'mongoose';
import { startOfTodayUtc } from '../../common/dates.js';
import { ONE_REPLY, type SortSpec } from '../../common/db/loaders.js';
import type { SubgraphName } from '../../common/config.js';
import { regionCondition } from '../../common/regions.js';
import { DOMICILE_FIELDS } from '../../subgraphs/immigration/src/services/foreigner-service.js';

type Doc = mongo.Document;
export type RawDatabases = Record<SubgraphName, mongo.Db>;

/** The records of these foreigners in one collection: one `$in` on `field`, sorted. */
function recordsOf(
  db: mongo.Db,
  collection: string,
  foreignerIds: string[],
  sort: SortSpec,
  field = 'foreignerId',
): Promise<Doc[]> {
  return db
    .collection<Doc>(collection)
    .find({ [field]: { $in: foreignerIds } })
    .sort(sort)
    .batchSize(ONE_REPLY)
    .toArray();
}

/** (a) A page of foreigners in a region with their permits, SKLD, incidents, SKTT and employment. */
export async function readPage(dbs: RawDatabases, regionCode: string, first: number): Promise<Doc> {
  // ForeignerService.list for a region: the ancestry field of its level, in `_id` order, and the count
  const inRegion = regionCondition(regionCode, DOMICILE_FIELDS) ?? {};
  const foreigners = dbs.immigration.collection<Doc>('foreigners');
  const [rows, totalCount] = await Promise.all([
    foreigners
      .find(inRegion)
      .sort({ _id: 1 })
      .limit(first + 1)
      .batchSize(first + 1)
      .toArray(),
    foreigners.countDocuments(inRegion),
  ]);
  const nodes = rows.slice(0, first);
  const ids = nodes.map((n) => String(n._id));
  const [permits, selfReports, incidents, residences, employment] = await Promise.all([
    recordsOf(dbs.immigration, 'stay_permits', ids, { expiresAt: -1, _id: 1 }),
    recordsOf(dbs.police, 'self_report_certificates', ids, { issuedAt: -1, _id: 1 }),
    recordsOf(dbs.police, 'incidents', ids, { occurredAt: -1, _id: 1 }, 'foreignerIds'),
    recordsOf(dbs['local-government'], 'residences', ids, { registeredAt: -1, _id: 1 }),
    recordsOf(dbs['local-government'], 'employments', ids, { startedOn: -1, _id: 1 }),
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

/** (b) One foreigner and every record about them, as the loaders ask them (`$in` of one id). */
export async function readProfile(dbs: RawDatabases, id: string): Promise<Doc> {
  const one = [id];
  const [foreigner, permits, crossings, watchlist, actions, selfReports, incidents, residences, employment, reports] =
    await Promise.all([
      dbs.immigration
        .collection('foreigners')
        .find({ _id: { $in: one } } as Doc)
        .batchSize(ONE_REPLY)
        .toArray(),
      recordsOf(dbs.immigration, 'stay_permits', one, { expiresAt: -1, _id: 1 }),
      recordsOf(dbs.immigration, 'border_crossings', one, { crossedAt: -1, _id: 1 }),
      recordsOf(dbs.immigration, 'watchlist_entries', one, { since: -1, _id: 1 }),
      recordsOf(dbs.immigration, 'immigration_actions', one, { decidedAt: -1, _id: 1 }),
      recordsOf(dbs.police, 'self_report_certificates', one, { issuedAt: -1, _id: 1 }),
      recordsOf(dbs.police, 'incidents', one, { occurredAt: -1, _id: 1 }, 'foreignerIds'),
      recordsOf(dbs['local-government'], 'residences', one, { registeredAt: -1, _id: 1 }),
      recordsOf(dbs['local-government'], 'employments', one, { startedOn: -1, _id: 1 }),
      recordsOf(dbs['local-government'], 'community_reports', one, { reportedAt: -1, _id: 1 }),
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
