/**
 * What the access log stores: a record (a disclosure, sealed into the chain), its hashes, and the
 * mongoose schemas of the log and of its head document. The chain itself is common/audit/access-log.ts.
 */
import { createHash } from 'node:crypto';
import { Schema } from 'mongoose';
import { canonicalJson } from './canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * What became of the request: everything asked was served (`DISCLOSED`), some fields were
 * refused (`PARTLY_DENIED`), or nothing personal was served and something was refused (`DENIED`).
 */
export const ACCESS_OUTCOMES = ['DISCLOSED', 'PARTLY_DENIED', 'DENIED'] as const;
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

/** One refusal of a recorded request: its error code and where (the response path, or the field refused). */
export interface Denial {
  code: string;
  path: string | null;
}

/** What one request disclosed, or was refused, as recorded. */
export interface Disclosure {
  requestId: string;
  subject: string;
  agency: string;
  agencyType: string;
  purpose: string | null;
  operationName: string | null;
  /** Records disclosed, as `Type:id`. */
  recordIds: string[];
  /** Foreigners whose data was disclosed. */
  foreignerIds: string[];
  /** Field groups (scopes) disclosed. */
  fieldGroups: string[];
  at: Date;
  /** `DISCLOSED` when absent. */
  outcome?: AccessOutcome;
  /** What was refused (`FORBIDDEN`, `PURPOSE_REQUIRED`, `OPERATION_NOT_ALLOWED`), with its path. */
  denials?: Denial[];
  /**
   * Listings, counts and lookups that answered about foreigners, as JSON: `[{ field, arguments }]`
   * with personal argument values replaced by `[disamarkan]` (common/audit/disclosed-queries.ts).
   * Absent on a record of no such query.
   */
  filter?: string | null;
  /** Where disclosed records lie, for auditors' jurisdiction: one entry per record whose row names a region. */
  recordRegions?: RecordRegion[];
  /** For an idempotent replay: the request id of the first answer, which this request was given again. */
  replayOf?: string | null;
}

/** The region a disclosed record lies in (a foreigner's domicile, an incident's region, …). */
export interface RecordRegion {
  recordId: string;
  regionCode: string;
}

export interface AccessRecord extends Disclosure {
  /** The sequence number as a fixed-width string (see `recordId`). */
  _id: string;
  /** Sequence number, from 1. */
  seq: number;
  prevHash: string;
  /** Fingerprint of the key that signed the record; absent on records written before records were signed. */
  keyId?: string;
  hash: string;
  /** ES256 signature (base64url) of `hash` by the key `keyId`. */
  signature?: string;
}

export interface HeadDoc {
  _id: string;
  seq: number;
  hash: string;
}

/** The hash of a signed record: SHA-256 of the canonical JSON of every field but the hash and signature. */
export function hashSignedRecord(record: Omit<AccessRecord, 'hash'>): string {
  const { signature: _signature, hash: _hash, ...content } = record as AccessRecord;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The hash of an unkeyed record (written before records were signed): SHA-256 over its fields in a fixed order. */
export function hashRecord(record: Omit<AccessRecord, 'hash'>): string {
  // fields added later count only when set, so records written before them keep their hash
  const later = [
    record.filter ?? null,
    (record.recordRegions ?? []).map((r) => [r.recordId, r.regionCode]),
    record.replayOf ?? null,
  ] as const;
  const hasLater = later[0] !== null || later[1].length > 0 || later[2] !== null;
  const canonical = JSON.stringify([
    record.seq,
    record.prevHash,
    record.requestId,
    record.subject,
    record.agency,
    record.agencyType,
    record.purpose,
    record.operationName,
    record.recordIds,
    record.foreignerIds,
    record.fieldGroups,
    new Date(record.at).toISOString(),
    ...(hasLater ? later : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The regions of a record as the schema's `recordRegions` stores them, checked without a mongoose
 * subdocument per entry: an array of `{ recordId, regionCode }`, both strings, other fields
 * dropped. Anything else is refused (the record is not written, and the answer withheld).
 */
export function castRecordRegions(regions: unknown): RecordRegion[] {
  if (!Array.isArray(regions)) throw new TypeError('access record: recordRegions must be an array');
  return regions.map((entry: unknown, i) => {
    const { recordId, regionCode } = (entry ?? {}) as Partial<Record<keyof RecordRegion, unknown>>;
    if (typeof recordId !== 'string' || typeof regionCode !== 'string') {
      throw new TypeError(`access record: recordRegions[${i}] must hold a recordId and a regionCode (strings)`);
    }
    return { recordId, regionCode };
  });
}

export const recordSchema = new Schema<AccessRecord>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    requestId: { type: String, required: true },
    subject: { type: String, required: true },
    agency: { type: String, required: true },
    agencyType: { type: String, required: true },
    purpose: { type: String, default: null },
    operationName: { type: String, default: null },
    recordIds: { type: [String], required: true },
    foreignerIds: { type: [String], required: true, index: true },
    fieldGroups: { type: [String], required: true },
    at: { type: Date, required: true },
    outcome: { type: String, enum: ACCESS_OUTCOMES, default: 'DISCLOSED', index: true },
    denials: {
      type: [new Schema<Denial>({ code: String, path: { type: String, default: null } }, { _id: false })],
      default: [],
    },
    filter: { type: String, default: undefined },
    recordRegions: {
      type: [new Schema<RecordRegion>({ recordId: String, regionCode: String }, { _id: false })],
      default: undefined,
    },
    replayOf: { type: String, default: undefined },
    prevHash: { type: String, required: true },
    keyId: { type: String },
    hash: { type: String, required: true },
    signature: { type: String },
  },
  { versionKey: false, collection: 'access_log' },
);

export const headSchema = new Schema<HeadDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, collection: 'access_log_head' },
);
