/**
 * Records of a brief's period counted by regency and category in one aggregation: the police's
 * incidents and the local government's community reports (each read with the filter and the
 * jurisdiction of its own list query).
 */
import type { PipelineStage } from 'mongoose';

/** What the count needs of a model: an aggregation. */
interface Aggregating {
  aggregate<R>(pipeline: PipelineStage[]): { exec(): Promise<R[]> };
}

export interface RegencyCategoryRow {
  regency: string | null;
  category: string | null;
  count: number;
}

/** `match` (a list query's condition) narrowed to `regencies`, counted by regency and `category`. */
export async function countByRegencyAndCategory(
  model: Aggregating,
  match: object,
  regencyField: string,
  regencies: readonly string[],
): Promise<RegencyCategoryRow[]> {
  const within = { [regencyField]: { $in: [...regencies] } };
  const rows = await model
    .aggregate<{ _id: { regency: string | null; category: string | null }; count: number }>([
      { $match: Object.keys(match).length === 0 ? within : { $and: [match, within] } },
      { $group: { _id: { regency: `$${regencyField}`, category: '$category' }, count: { $sum: 1 } } },
    ])
    .exec();
  return rows.map((r) => ({ regency: r._id.regency, category: r._id.category, count: r.count }));
}
