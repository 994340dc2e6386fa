/**
 * TIMPORA's own records: member institutions, coordination meetings and joint operations.
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';
import { AGENCY_TYPES, type AgencyType } from '../../../../common/auth/policy.js';

export interface AgencyDoc {
  /** The institution code, e.g. `POLRES-OKU`. */
  _id: string;
  name: string;
  type: AgencyType;
  regionCode: string;
}

export interface CoordinationMeetingDoc {
  _id: string;
  title: string;
  heldOn: Date;
  venue: string;
  regionCode: string;
  chairCode: string;
  attendeeCodes: string[];
  conclusions: string | null;
}

export interface JointOperationDoc {
  _id: string;
  name: string;
  regionCode: string;
  startedOn: Date;
  endedOn: Date | null;
  agencyCodes: string[];
  foreignersChecked: number;
  findings: string | null;
}

const agencySchema = new Schema<AgencyDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    type: { type: String, enum: AGENCY_TYPES, required: true },
    regionCode: { type: String, required: true },
  },
  { versionKey: false, collection: 'agencies' },
);

const meetingSchema = new Schema<CoordinationMeetingDoc>(
  {
    _id: { type: String, required: true },
    title: { type: String, required: true },
    heldOn: { type: Date, required: true },
    venue: { type: String, required: true },
    regionCode: { type: String, required: true },
    chairCode: { type: String, required: true },
    attendeeCodes: { type: [String], required: true },
    conclusions: { type: String, default: null },
  },
  { versionKey: false, collection: 'coordination_meetings' },
);

const operationSchema = new Schema<JointOperationDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    regionCode: { type: String, required: true },
    startedOn: { type: Date, required: true },
    endedOn: { type: Date, default: null },
    agencyCodes: { type: [String], required: true },
    foreignersChecked: { type: Number, required: true },
    findings: { type: String, default: null },
  },
  { versionKey: false, collection: 'joint_operations' },
);

export interface CoordinationModels {
  Agency: RecordModel<AgencyDoc>;
  CoordinationMeeting: RecordModel<CoordinationMeetingDoc>;
  JointOperation: RecordModel<JointOperationDoc>;
}

export function coordinationModels(connection: Connection): CoordinationModels {
  return {
    Agency: connection.model('Agency', agencySchema),
    CoordinationMeeting: connection.model('CoordinationMeeting', meetingSchema),
    JointOperation: connection.model('JointOperation', operationSchema),
  };
}
