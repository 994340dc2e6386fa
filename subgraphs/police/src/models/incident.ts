/**
 * Police incident reports (LP, *laporan polisi*) that involve foreigners. The parties are
 * stored as `{ foreignerId, involvement }` and their ids again in `foreignerIds` (indexed: a
 * foreigner's incidents are those whose `foreignerIds` contains them). Region ancestry codes are
 * stored beside the incident region so a region filter is an equality on one field.
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';
import type { RegionFieldNames } from '../../../../common/regions.js';

export const INCIDENT_CATEGORIES = [
  'THEFT',
  'ASSAULT',
  'FRAUD',
  'NARCOTICS',
  'TRAFFIC',
  'PUBLIC_ORDER',
  'LABOUR_DISPUTE',
  'IMMIGRATION_VIOLATION',
  'OTHER',
] as const;
export const INVOLVEMENTS = ['SUSPECT', 'VICTIM', 'WITNESS', 'REPORTER'] as const;
export const INCIDENT_STATUSES = ['REPORTED', 'UNDER_INVESTIGATION', 'RESOLVED', 'TRANSFERRED'] as const;

export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
export type Involvement = (typeof INVOLVEMENTS)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** A foreigner taking part in an incident, and in what role. */
export interface IncidentPartyDoc {
  foreignerId: string;
  involvement: Involvement;
}

export interface IncidentDoc {
  _id: string;
  /** The LP number, e.g. `LP/B/123/IX/2024/SPKT/POLRES OKU`; unique. */
  reportNumber: string;
  category: IncidentCategory;
  occurredAt: Date;
  regionCode: string;
  regionProvince: string;
  regionRegency: string | null;
  regionDistrict: string | null;
  status: IncidentStatus;
  summary: string;
  parties: IncidentPartyDoc[];
  /** The parties' foreigner ids, for finding a foreigner's incidents by index. */
  foreignerIds: string[];
  createdAt: Date;
}

/** Where the incident region and its ancestry are stored. */
export const INCIDENT_REGION_FIELDS: RegionFieldNames = {
  code: 'regionCode',
  province: 'regionProvince',
  regency: 'regionRegency',
  district: 'regionDistrict',
};

const partySchema = new Schema<IncidentPartyDoc>(
  {
    foreignerId: { type: String, required: true },
    involvement: { type: String, enum: INVOLVEMENTS, required: true },
  },
  { _id: false },
);

const incidentSchema = new Schema<IncidentDoc>(
  {
    _id: { type: String, required: true },
    reportNumber: { type: String, required: true, unique: true },
    category: { type: String, enum: INCIDENT_CATEGORIES, required: true, index: true },
    occurredAt: { type: Date, required: true, index: true },
    regionCode: { type: String, required: true },
    regionProvince: { type: String, required: true },
    regionRegency: { type: String, default: null },
    regionDistrict: { type: String, default: null },
    status: { type: String, enum: INCIDENT_STATUSES, required: true },
    summary: { type: String, required: true },
    parties: { type: [partySchema], required: true },
    foreignerIds: { type: [String], required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'incidents' },
);
// a region's page: equality on the field of the region's level, then keyset on `_id`
for (const field of Object.values(INCIDENT_REGION_FIELDS)) incidentSchema.index({ [field]: 1, _id: 1 });
// a foreigner's incidents (a multikey index over the parties), latest first
incidentSchema.index({ foreignerIds: 1, occurredAt: -1, _id: 1 });

export interface IncidentModels {
  Incident: RecordModel<IncidentDoc>;
}

export function incidentModels(connection: Connection): IncidentModels {
  return { Incident: connection.model('Incident', incidentSchema) };
}
