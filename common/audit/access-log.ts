/**
 * The access log: every disclosure of personal data, appended to a hash chain in the
 * disclosing subgraph's own database. Each record carries the hash of the one before, so
 * editing or deleting a record breaks the chain at that record.
 *
 * Appends stay one chain under concurrency without transactions (FerretDB has none): a
 * record's `_id` is its sequence number, so two writers can never both append record N (the
 * unique `_id` refuses the second, which re-reads the head and retries); a head document,
 * read and advanced by `_id` only, points at the last record. Within a process, appends are
 * queued and written in batches.
 */
import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { isDuplicateKey } from '../db/errors.js';

export const GENESIS_HASH = '0'.repeat(64);

/** What one request disclosed, as recorded. */
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
  hash: string;
}

interface HeadDoc {
  _id: string;
  seq: number;
  hash: string;
}

/** The hash of a record: SHA-256 over its fields in a fixed order, including the previous hash. */
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
 * A record's `_id`: its sequence number, zero-padded, so every chain step is a lookup by `_id`
 * however long the log grows, and the padding keeps `_id` order equal to sequence order.
 */
export function recordId(seq: number): string {
  return String(seq).padStart(12, '0');
}

const recordSchema = new Schema<AccessRecord>(
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
    filter: { type: String, default: undefined },
    recordRegions: {
      type: [new Schema<RecordRegion>({ recordId: String, regionCode: String }, { _id: false })],
      default: undefined,
    },
    replayOf: { type: String, default: undefined },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, collection: 'access_log' },
);

const headSchema = new Schema<HeadDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, collection: 'access_log_head' },
);

const HEAD_ID = 'head';

export interface VerifyResult {
  ok: boolean;
  records: number;
  /** The first broken record and why, when the chain is broken. */
  broken?: { seq: number; reason: string };
}

interface Pending {
  disclosure: Disclosure;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** The access log of one subgraph's database. */
export class AccessLog {
  readonly records: Model<AccessRecord>;
  private readonly head: Model<HeadDoc>;
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;

  constructor(connection: Connection) {
    this.records = connection.model<AccessRecord>('AccessRecord', recordSchema);
    this.head = connection.model<HeadDoc>('AccessLogHead', headSchema);
  }

  async init(): Promise<void> {
    await Promise.all([this.records.init(), this.head.init()]);
  }

  /** Appends a disclosure; resolves once it is stored in the chain. */
  append(disclosure: Disclosure): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ disclosure, resolve, reject });
      this.draining ??= this.drain().finally(() => {
        this.draining = null;
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 100);
      try {
        await this.appendBatch(batch.map((p) => p.disclosure));
        for (const p of batch) p.resolve();
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }

  /** The last record of the chain, advancing a head left behind by a writer that stopped midway. */
  private async currentHead(): Promise<{ seq: number; hash: string }> {
    const stored = await this.head.findById(HEAD_ID).lean<HeadDoc>().exec();
    let head = stored ? { seq: stored.seq, hash: stored.hash } : { seq: 0, hash: GENESIS_HASH };
    for (;;) {
      const next = await this.records
        .findById(recordId(head.seq + 1))
        .lean<AccessRecord>()
        .exec();
      if (!next) return head;
      head = { seq: next.seq, hash: next.hash };
    }
  }

  private async appendBatch(disclosures: Disclosure[]): Promise<void> {
    let remaining = disclosures;
    for (let attempt = 0; remaining.length > 0; attempt += 1) {
      if (attempt > 50) throw new Error('access log: could not append after 50 concurrent retries');
      const head = await this.currentHead();
      const records: AccessRecord[] = [];
      let prev = head;
      for (const d of remaining) {
        const seq = prev.seq + 1;
        const unsigned = { ...d, _id: recordId(seq), seq, prevHash: prev.hash };
        const record = { ...unsigned, hash: hashRecord(unsigned) };
        records.push(record);
        prev = { seq, hash: record.hash };
      }
      let inserted = records.length;
      try {
        await this.records.insertMany(records, { ordered: true });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        // another writer took a sequence number first: keep what went in, re-chain the rest
        inserted = await this.storedPrefix(records);
      }
      if (inserted > 0) await this.advanceHead(head.seq, records[inserted - 1]!);
      remaining = remaining.slice(inserted);
    }
  }

  /** How many of `records`, in order, are stored as they are (an ordered insert stops at the first clash). */
  private async storedPrefix(records: AccessRecord[]): Promise<number> {
    let count = 0;
    for (const record of records) {
      const stored = await this.records.findById(record._id, { hash: 1 }).lean<{ hash: string }>().exec();
      if (stored?.hash !== record.hash) break;
      count += 1;
    }
    return count;
  }

  private async advanceHead(fromSeq: number, last: AccessRecord): Promise<void> {
    try {
      await this.head
        .updateOne(
          { _id: HEAD_ID, seq: { $lt: last.seq } },
          { $set: { seq: last.seq, hash: last.hash } },
          { upsert: fromSeq === 0 },
        )
        .exec();
    } catch (e) {
      // a concurrent first append created the head; the next reader advances it
      if (!isDuplicateKey(e)) throw e;
    }
  }

  /** Records that disclosed data of one foreigner, oldest first. */
  forForeigner(foreignerId: string): Promise<AccessRecord[]> {
    return this.records.find({ foreignerIds: foreignerId }).sort({ _id: 1 }).lean<AccessRecord[]>().exec();
  }

  /** Walks the whole chain and names the first record that does not hold. */
  async verify(): Promise<VerifyResult> {
    const records = await this.records.find().sort({ _id: 1 }).lean<AccessRecord[]>().exec();
    let prev = { seq: 0, hash: GENESIS_HASH };
    for (const record of records) {
      const expectedSeq = prev.seq + 1;
      if (record.seq !== expectedSeq || record._id !== recordId(record.seq)) {
        return {
          ok: false,
          records: records.length,
          broken: { seq: expectedSeq, reason: `record ${expectedSeq} is missing (next is ${record.seq})` },
        };
      }
      if (record.prevHash !== prev.hash) {
        return {
          ok: false,
          records: records.length,
          broken: { seq: record.seq, reason: 'previous hash does not match' },
        };
      }
      const { hash, ...unsigned } = record;
      if (hashRecord(unsigned) !== hash) {
        return {
          ok: false,
          records: records.length,
          broken: { seq: record.seq, reason: 'content does not match its hash' },
        };
      }
      prev = { seq: record.seq, hash };
    }
    const head = await this.head.findById(HEAD_ID).lean<HeadDoc>().exec();
    if (head && head.seq > prev.seq) {
      return {
        ok: false,
        records: records.length,
        broken: { seq: prev.seq + 1, reason: `record ${prev.seq + 1} is missing (the chain's head is ${head.seq})` },
      };
    }
    return { ok: true, records: records.length };
  }
}
