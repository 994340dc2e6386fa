/**
 * Community reports: what a camat office, village head or Satpol PP tells TIMPORA about a
 * foreigner — an unregistered stay, illegal work, political activity. A report may concern a
 * foreigner nobody has identified yet, so `foreignerId` is optional.
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';
import { RECORD_REGION_FIELDS } from './region.js';

export const REPORT_CATEGORIES = [
  'UNREGISTERED_STAY',
  'ILLEGAL_WORK',
  'POLITICAL_ACTIVITY',
  'SUSPICIOUS_ACTIVITY',
  'DISTURBANCE',
  'OTHER',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const REPORT_STATUSES = ['RECEIVED', 'VERIFIED', 'FORWARDED', 'CLOSED'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface CommunityReportDoc {
  _id: string;
  category: ReportCategory;
  regionCode: string;
  regionProvince: string;
  regionRegency: string | null;
  regionDistrict: string | null;
  reportedAt: Date;
  description: string;
  reportedBy: string;
  foreignerId: string | null;
  status: ReportStatus;
  createdAt: Date;
}

const communityReportSchema = new Schema<CommunityReportDoc>(
  {
    _id: { type: String, required: true },
    category: { type: String, enum: REPORT_CATEGORIES, required: true, index: true },
    regionCode: { type: String, required: true },
    regionProvince: { type: String, required: true },
    regionRegency: { type: String, default: null },
    regionDistrict: { type: String, default: null },
    reportedAt: { type: Date, required: true, index: true },
    description: { type: String, required: true },
    reportedBy: { type: String, required: true },
    foreignerId: { type: String, default: null },
    status: { type: String, enum: REPORT_STATUSES, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'community_reports' },
);
// a region's page: equality on the field of the region's level, then keyset on `_id`
for (const field of Object.values(RECORD_REGION_FIELDS)) communityReportSchema.index({ [field]: 1, _id: 1 });
// the reports about a foreigner, latest first (a report about nobody identified has null here)
communityReportSchema.index({ foreignerId: 1, reportedAt: -1, _id: 1 });

export interface CommunityReportModels {
  CommunityReport: RecordModel<CommunityReportDoc>;
}

export function communityReportModels(connection: Connection): CommunityReportModels {
  return { CommunityReport: connection.model('CommunityReport', communityReportSchema) };
}
