/**
 * Self-report certificates (SKLD, *Surat Keterangan Lapor Diri*) that the police issue to
 * holders of an ITAS or ITAP who have reported their stay. Region ancestry codes are stored
 * beside the code of the reported address so a region filter is an equality on one field.
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';
import type { RegionFieldNames } from '../../../../common/regions.js';

export interface SelfReportCertificateDoc {
  _id: string;
  /** The certificate number as printed; unique. */
  number: string;
  foreignerId: string;
  issuedAt: Date;
  validUntil: Date;
  issuingUnit: string;
  address: string;
  regionCode: string;
  regionProvince: string;
  regionRegency: string | null;
  regionDistrict: string | null;
  createdAt: Date;
}

/** Where the region of the reported address and its ancestry are stored. */
export const SELF_REPORT_REGION_FIELDS: RegionFieldNames = {
  code: 'regionCode',
  province: 'regionProvince',
  regency: 'regionRegency',
  district: 'regionDistrict',
};

const selfReportSchema = new Schema<SelfReportCertificateDoc>(
  {
    _id: { type: String, required: true },
    number: { type: String, required: true, unique: true },
    foreignerId: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    validUntil: { type: Date, required: true },
    issuingUnit: { type: String, required: true },
    address: { type: String, required: true },
    regionCode: { type: String, required: true },
    regionProvince: { type: String, required: true, index: true },
    regionRegency: { type: String, default: null, index: true },
    regionDistrict: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'self_report_certificates' },
);
// a foreigner's SKLDs, latest first
selfReportSchema.index({ foreignerId: 1, issuedAt: -1, _id: 1 });

export interface SelfReportModels {
  SelfReportCertificate: RecordModel<SelfReportCertificateDoc>;
}

export function selfReportModels(connection: Connection): SelfReportModels {
  return { SelfReportCertificate: connection.model('SelfReportCertificate', selfReportSchema) };
}
