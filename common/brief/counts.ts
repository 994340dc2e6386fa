/**
 * Records of a brief's period counted by regency and category in one aggregation: the police's
 * incidents and the local government's community reports (each read with the filter and the
 * jurisdiction of its own list query).
 */
import type { PipelineStage } from 'mongoose';
import { narrowed, type InJurisdiction } from '../db/jurisdiction-scope.js';

/** What the count needs of a collection: an aggregation within the caller's jurisdiction. */
interface Aggregating {
  aggregate<R>(match: InJurisdiction<object>, stages: PipelineStage[]): { exec(): Promise<R[]> };
}

export interface RegencyCategoryRow {
  regency: string | null;
  category: string | null;
  count: number;
}

/** `match` (a list query's condition) narrowed to `regencies`, counted by regency and `category`. */
export async function countByRegencyAndCategory(
  records: Aggregating,
  match: InJurisdiction<object>,
  regencyField: string,
  regencies: readonly string[],
): Promise<RegencyCategoryRow[]> {
  const within = { [regencyField]: { $in: [...regencies] } };
  const rows = await records
    .aggregate<{ _id: { regency: string | null; category: string | null }; count: number }>(narrowed(match, within), [
      { $group: { _id: { regency: `$${regencyField}`, category: '$category' }, count: { $sum: 1 } } },
    ])
    .exec();
  return rows.map((r) => ({ regency: r._id.regency, category: r._id.category, count: r.count }));
}
