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
import { ONE_REPLY, type SortSpec } from '../../common/db/loaders.js';
import type { SubgraphName } from '../../common/config/services.js';
import { regionCondition } from '../../common/regions.js';
import { todayInRegion } from '../../common/time-zones.js';
import {
  DOMICILE_FIELDS,
  foreignerQueryFilter,
  parseForeignerFilter,
  type ForeignerFilterInput,
} from '../../subgraphs/immigration/src/services/foreigner-filters.js';
import type { StatisticsDimension } from '../../subgraphs/immigration/src/services/foreigner-statistics.js';
import { tallyCount, tallyQuery, type TallyQuery } from '../../subgraphs/immigration/src/services/foreigner-tallies.js';

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

/**
 * `ForeignerQueries.list` for a national caller: the filter in `_id` order with a limit of one
 * more than the page (is there a next page?), and its count, at once: summed from the counters
 * when the filter is exactly their shape (`tallyCount`), as the subgraph does, else counted.
 */
async function listPage(dbs: RawDatabases, filter: ForeignerFilterInput, first: number) {
  const foreigners = dbs.immigration.collection<Doc>('foreigners');
  // the filter's region gives the zone a permit status is judged in
  const query = foreignerQueryFilter(filter, new Map(), true) as Doc;
  const tallied = tallyCount(parseForeignerFilter(filter), ['*']);
  const [rows, totalCount] = await Promise.all([
    foreigners
      .find(query)
      .sort({ _id: 1 })
      .limit(first + 1)
      .batchSize(first + 1)
      .toArray(),
    tallied
      ? readTalliedStatistics(dbs, { ...tallied, key: {} }).then((s) => s.total)
      : foreigners.countDocuments(query),
  ]);
  const nodes = rows.slice(0, first);
  return { totalCount, hasNextPage: rows.length > first, nodes, ids: nodes.map((n) => String(n._id)) };
}

/** (a) A page of foreigners in a region with their permits, SKLD, incidents, SKTT and employment. */
export async function readPage(dbs: RawDatabases, regionCode: string, first: number): Promise<Doc> {
  const { ids, ...page } = await listPage(dbs, { regionCode }, first);
  const [permits, selfReports, incidents, residences, employment] = await Promise.all([
    recordsOf(dbs.immigration, 'stay_permits', ids, { expiresAt: -1, _id: 1 }),
    recordsOf(dbs.police, 'self_report_certificates', ids, { issuedAt: -1, _id: 1 }),
    recordsOf(dbs.police, 'incidents', ids, { occurredAt: -1, _id: 1 }, 'foreignerIds'),
    recordsOf(dbs['local-government'], 'residences', ids, { registeredAt: -1, _id: 1 }),
    recordsOf(dbs['local-government'], 'employments', ids, { startedOn: -1, _id: 1 }),
  ]);
  return { ...page, permits, selfReports, incidents, residences, employment };
}

/**
 * (f) A page of the registration-gaps list: ITAS and ITAP holders with a permit in force, present
 * (the very filter the subgraph builds from the saved operation's), their permits (the permit in
 * force and its sponsor), SKLDs and SKTTs: the police and local government judge compliance
 * from those and immigration's permit type.
 */
export async function readGaps(dbs: RawDatabases, regionCode: string, first: number): Promise<Doc> {
  const filter: ForeignerFilterInput = {
    regionCode,
    permitTypes: ['LIMITED_STAY', 'PERMANENT_STAY'],
    permitStatus: 'ACTIVE',
    // the saved operation counts the present population by default
    population: 'PRESENT',
  };
  const { ids, ...page } = await listPage(dbs, filter, first);
  const [permits, selfReports, residences] = await Promise.all([
    recordsOf(dbs.immigration, 'stay_permits', ids, { expiresAt: -1, _id: 1 }),
    recordsOf(dbs.police, 'self_report_certificates', ids, { issuedAt: -1, _id: 1 }),
    recordsOf(dbs['local-government'], 'residences', ids, { registeredAt: -1, _id: 1 }),
  ]);
  return { ...page, permits, selfReports, residences };
}

/** (g) Name search: foreigners whose name contains a fragment (case-insensitive), with their permits. */
export async function readNameSearch(dbs: RawDatabases, nameContains: string, first: number): Promise<Doc> {
  // a name judges no date: no zones needed; the seed stores every name's trigrams, so the
  // filter narrows by them, as the hub's (ForeignerQueries.list)
  const { ids, ...page } = await listPage(dbs, { nameContains }, first);
  const permits = await recordsOf(dbs.immigration, 'stay_permits', ids, { expiresAt: -1, _id: 1 });
  return { ...page, permits };
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
 * (c)–(e) Statistics of a region, as `ForeignerStatistics.statistics` counts them. A province or
 * regency: one `$match` + `$group` over its counters (foreigner_tallies: a province's PROVINCE cells,
 * or its REGENCY cells when grouped by region; a regency's REGENCY cells, or its DISTRICT cells),
 * summing their counts. Below that, over the
 * foreigners: one aggregation; grouped by permit type, two (foreigners with a permit in force,
 * grouped by its type too, and the others).
 */
export async function readStatistics(
  dbs: RawDatabases,
  regionCode: string,
  groupBy: readonly StatisticsDimension[],
): Promise<Doc> {
  const tallied = tallyQuery(regionCode, groupBy, 'REGISTERED');
  if (tallied) return readTalliedStatistics(dbs, tallied);
  const match = regionCondition(regionCode, DOMICILE_FIELDS) ?? {};
  // a district's or village's `REGION` dimension: the villages
  const key: Doc = {};
  if (groupBy.includes('NATIONALITY')) key.nationality = '$nationality';
  if (groupBy.includes('REGION')) key.regionCode = '$domicileRegionCode';
  const foreigners = dbs.immigration.collection('foreigners');
  const count = (condition: Doc, groupKey: Doc) =>
    foreigners
      .aggregate([
        { $match: condition },
        { $group: { _id: Object.keys(groupKey).length ? groupKey : null, count: { $sum: 1 } } },
      ])
      .toArray();
  let groups: Doc[];
  if (groupBy.includes('PERMIT_TYPE')) {
    // today in the region's zone (a region lies in one province, so in one zone)
    const today = todayInRegion(regionCode);
    const inForce = { 'currentPermit.status': 'ACTIVE', 'currentPermit.expiresAt': { $gte: today } };
    const [withPermit, without] = await Promise.all([
      count({ $and: [match, inForce] }, { ...key, permitType: '$currentPermit.type' }),
      count({ $and: [match, { $nor: [inForce] }] }, key),
    ]);
    groups = [...withPermit, ...without];
  } else {
    groups = await count(match, key);
  }
  return { total: groups.reduce((sum, g) => sum + Number(g.count), 0), groups };
}

/**
 * Statistics of a province or regency from its counters, as `ForeignerTallies.sum` reads them for
 * the statistics (`tallyQuery`) and, summed whole, for a list's count (`tallyCount`).
 */
async function readTalliedStatistics(dbs: RawDatabases, query: Pick<TallyQuery, 'key'> & { match: Doc }): Promise<Doc> {
  const rows = await dbs.immigration
    .collection('foreigner_tallies')
    .aggregate([
      { $match: query.match },
      { $group: { _id: Object.keys(query.key).length ? query.key : null, count: { $sum: '$count' } } },
    ])
    .toArray();
  const groups = rows.filter((g) => Number(g.count) > 0);
  return { total: groups.reduce((sum, g) => sum + Number(g.count), 0), groups };
}
