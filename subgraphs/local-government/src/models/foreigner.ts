/**
 * What local government records about a foreigner: residence certificates (SKTT, issued by
 * Dukcapil to ITAS/ITAP holders) and employment (Disnaker: RPTKA / work notification). The
 * foreigner itself belongs to immigration; records refer to it by `foreignerId`. Region
 * ancestry codes are stored beside each region code so a region filter is an equality on one
 * field.
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';

export const EMPLOYER_SECTORS = [
  'PLANTATION',
  'MINING',
  'ENERGY',
  'CONSTRUCTION',
  'MANUFACTURING',
  'EDUCATION',
  'HOSPITALITY',
  'OTHER',
] as const;
export type EmployerSector = (typeof EMPLOYER_SECTORS)[number];

export interface ResidenceDoc {
  _id: string;
  foreignerId: string;
  /** SKTT number as printed on the certificate; unique. */
  number: string;
  address: string;
  regionCode: string;
  regionProvince: string;
  regionRegency: string | null;
  regionDistrict: string | null;
  registeredAt: Date;
  validUntil: Date;
  createdAt: Date;
}

export interface EmploymentDoc {
  _id: string;
  foreignerId: string;
  employer: string;
  employerSector: EmployerSector;
  position: string;
  workPermitNumber: string;
  regionCode: string;
  regionProvince: string;
  regionRegency: string | null;
  regionDistrict: string | null;
  startedOn: Date;
  endedOn: Date | null;
  createdAt: Date;
}

/** Region code and ancestry of a record, as `regionAncestryFields(code, RECORD_REGION_FIELDS)` fills them. */
const regionFields = {
  regionCode: { type: String, required: true },
  regionProvince: { type: String, required: true, index: true },
  regionRegency: { type: String, default: null, index: true },
  regionDistrict: { type: String, default: null },
} as const;

const residenceSchema = new Schema<ResidenceDoc>(
  {
    _id: { type: String, required: true },
    foreignerId: { type: String, required: true },
    number: { type: String, required: true, unique: true },
    address: { type: String, required: true },
    ...regionFields,
    registeredAt: { type: Date, required: true },
    validUntil: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'residences' },
);
// a foreigner's residences, latest registered first
residenceSchema.index({ foreignerId: 1, registeredAt: -1, _id: 1 });

const employmentSchema = new Schema<EmploymentDoc>(
  {
    _id: { type: String, required: true },
    foreignerId: { type: String, required: true },
    employer: { type: String, required: true },
    employerSector: { type: String, enum: EMPLOYER_SECTORS, required: true },
    position: { type: String, required: true },
    workPermitNumber: { type: String, required: true, index: true },
    ...regionFields,
    startedOn: { type: Date, required: true },
    endedOn: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'employments' },
);
// a foreigner's employment, latest started first
employmentSchema.index({ foreignerId: 1, startedOn: -1, _id: 1 });

export interface ForeignerModels {
  Residence: RecordModel<ResidenceDoc>;
  Employment: RecordModel<EmploymentDoc>;
}

export function foreignerModels(connection: Connection): ForeignerModels {
  return {
    Residence: connection.model('Residence', residenceSchema),
    Employment: connection.model('Employment', employmentSchema),
  };
}
