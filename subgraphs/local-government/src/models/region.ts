/**
 * The official Kemendagri region tree (province → regency/city → district → village) as this
 * subgraph stores it, and the marker that says which release of the official data is loaded.
 *
 * Regions are read from the database once at start-up and then served from memory (see
 * `services/region-service.ts`), so the collection is only ever queried by `_id` or read
 * whole: it needs no secondary index, and one would only slow the initial load.
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';
import { REGION_LEVELS, type RegionFieldNames, type RegionLevel } from '../../../../common/regions.js';

export interface RegionDoc {
  /** The Kemendagri code, e.g. `16.01.14.1001`. */
  _id: string;
  name: string;
  level: RegionLevel;
  /** Code of the region one level up; null for a province. */
  parentCode: string | null;
}

/** Which release of an official reference list is loaded, and how many records it gave. */
export interface ReferenceDataDoc {
  /** The list, e.g. `regions`. */
  _id: string;
  /** npm package the list comes from. */
  source: string;
  /** Version of that package. */
  version: string;
  /** Number of documents in the collection once the list was loaded. */
  count: number;
  loadedAt: Date;
}

const regionSchema = new Schema<RegionDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    level: { type: String, enum: REGION_LEVELS, required: true },
    parentCode: { type: String, default: null },
  },
  { versionKey: false, collection: 'regions' },
);

const referenceDataSchema = new Schema<ReferenceDataDoc>(
  {
    _id: { type: String, required: true },
    source: { type: String, required: true },
    version: { type: String, required: true },
    count: { type: Number, required: true },
    loadedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'reference_data' },
);

export interface RegionModels {
  Region: RecordModel<RegionDoc>;
  ReferenceData: RecordModel<ReferenceDataDoc>;
}

export function regionModels(connection: Connection): RegionModels {
  return {
    Region: connection.model('Region', regionSchema),
    ReferenceData: connection.model('ReferenceData', referenceDataSchema),
  };
}

/**
 * Field names under which residences, employment and community reports store their region
 * code and its ancestry (see `regionAncestryFields` and `regionCondition`).
 */
export const RECORD_REGION_FIELDS = {
  code: 'regionCode',
  province: 'regionProvince',
  regency: 'regionRegency',
  district: 'regionDistrict',
} as const satisfies RegionFieldNames;
