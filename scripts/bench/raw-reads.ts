/**
 * The raw-read baseline: for each workload, the same MongoDB commands the subgraphs send for
 * it (same collections, filters, sorts and batch sizes; see the subgraphs' services and
 * `common/db/loaders.ts`), issued straight through the driver for a national caller (no
 * jurisdiction condition), with no GraphQL, no token check, no access log. Reads that need
 * nothing from an earlier one run in parallel, which is the best a hand-written service could
 * do; the gateway has to wait for immigration before it can ask police and local government.
 */
import type { mongo } from 'mongoose';
import { startOfTodayUtc } from '../../common/dates.js';
import { ONE_REPLY } from '../../common/db/loaders.js';
import type { SubgraphName } from '../../common/config.js';

type Doc = mongo.Document;
export type RawDatabases = Record<SubgraphName, mongo.Db>;

function grouped(db: mongo.Db, collection: string, field: string, keys: string[], sort: mongo.Sort): Promise<Doc[]> {
  return db
    .collection(collection)
    .find({ [field]: { $in: keys } })
    .sort(sort)
    .batchSize(ONE_REPLY)
    .toArray();
}

/** (a) A page of foreigners in a regency with their permits, SKLD, incidents, SKTT and employment. */
export async function readPage(dbs: RawDatabases, regionCode: string, first: number): Promise<Doc> {
  // ForeignerService.list: an equality on the regency (regionCondition), `_id` order, one extra row
  const filter = { domicileRegency: regionCode };
  const foreigners = dbs.immigration.collection('foreigners');
  const [rows, totalCount] = await Promise.all([
    foreigners
      .find(filter)
      .sort({ _id: 1 })
      .limit(first + 1)
      .batchSize(first + 1)
      .toArray(),
    foreigners.countDocuments(filter),
  ]);
  const nodes = rows.slice(0, first);
  const ids = nodes.map((n) => String(n._id));
  const [permits, selfReports, incidents, residences, employment] = await Promise.all([
    grouped(dbs.immigration, 'stay_permits', 'foreignerId', ids, { expiresAt: -1, _id: 1 }),
    grouped(dbs.police, 'self_report_certificates', 'foreignerId', ids, { issuedAt: -1, _id: 1 }),
    grouped(dbs.police, 'incidents', 'foreignerIds', ids, { occurredAt: -1, _id: 1 }),
    grouped(dbs['local-government'], 'residences', 'foreignerId', ids, { registeredAt: -1, _id: 1 }),
    grouped(dbs['local-government'], 'employments', 'foreignerId', ids, { startedOn: -1, _id: 1 }),
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
      grouped(dbs.immigration, 'stay_permits', 'foreignerId', one, { expiresAt: -1, _id: 1 }),
      grouped(dbs.immigration, 'border_crossings', 'foreignerId', one, { crossedAt: -1, _id: 1 }),
      grouped(dbs.immigration, 'watchlist_entries', 'foreignerId', one, { since: -1, _id: 1 }),
      grouped(dbs.immigration, 'immigration_actions', 'foreignerId', one, { decidedAt: -1, _id: 1 }),
      grouped(dbs.police, 'self_report_certificates', 'foreignerId', one, { issuedAt: -1, _id: 1 }),
      grouped(dbs.police, 'incidents', 'foreignerIds', one, { occurredAt: -1, _id: 1 }),
      grouped(dbs['local-government'], 'residences', 'foreignerId', one, { registeredAt: -1, _id: 1 }),
      grouped(dbs['local-government'], 'employments', 'foreignerId', one, { startedOn: -1, _id: 1 }),
      grouped(dbs['local-government'], 'community_reports', 'foreignerId', one, { reportedAt: -1, _id: 1 }),
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
