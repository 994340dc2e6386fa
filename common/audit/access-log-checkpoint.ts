/**
 * Checkpoints of the access log: what retention summarised. Summarising records `from`..`seq`
 * first stores a checkpoint — `seq`, the hash of record `seq`, the number of records
 * summarised per requesting agency, purpose, outcome and month — signed with the agency's
 * access-log key, and only then deletes the records (common/retention/access-log.ts). The
 * chain then verifies from the latest checkpoint (`AccessLog.verify`): record `seq + 1` must
 * chain onto the checkpoint's hash, which the key vouches for.
 *
 * Checkpoints chain too: each begins where the one before ended (`from` = previous `seq` + 1,
 * the first at 1), so a removed checkpoint shows as a gap (or as records missing from 1), and
 * an edited one as a signature that does not hold.
 *
 * The hash of every summarised record stays (`access_log_summarised`: sequence number and hash,
 * nothing personal), pinned by the checkpoint's `hashesDigest` (SHA-256 over the hashes in
 * order), so a head a witness countersigned before it was summarised is still compared with the
 * record's hash, not merely taken on the checkpoint's word.
 */
import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { isDuplicateKey } from '../db/errors.js';
import type { AccessLogKeys } from './access-log-keys.js';
import { recordId } from './record-id.js';
import { canonicalJson } from './canonical-json.js';

/** How many records of one requesting agency, purpose, outcome and month (`YYYY-MM`, UTC) were summarised. */
export interface SummaryCount {
  agency: string;
  purpose: string | null;
  outcome: string;
  month: string;
  count: number;
}

export interface CheckpointDoc {
  /** `recordId(from)`: two runs at once cannot both summarise from the same record (the second takes the first's). */
  _id: string;
  /** The first record summarised (1, or the previous checkpoint's `seq` + 1). */
  from: number;
  /** The last record summarised. */
  seq: number;
  /** The hash of record `seq`: record `seq + 1` chains onto it. */
  hash: string;
  /** SHA-256 (hex) over the hashes of records `from`..`seq`, in order, as `access_log_summarised` keeps them. */
  hashesDigest: string;
  /** Records older than this were summarised. */
  before: Date;
  counts: SummaryCount[];
  createdAt: Date;
  keyId: string;
  /** ES256 signature (base64url) by the agency's key over the canonical JSON of every other field. */
  signature: string;
}

const checkpointSchema = new Schema<CheckpointDoc>(
  {
    _id: { type: String, required: true },
    from: { type: Number, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    hashesDigest: { type: String, required: true },
    before: { type: Date, required: true },
    counts: {
      type: [
        new Schema<SummaryCount>(
          {
            agency: { type: String, required: true },
            purpose: { type: String, default: null },
            outcome: { type: String, required: true },
            month: { type: String, required: true },
            count: { type: Number, required: true },
          },
          { _id: false },
        ),
      ],
      required: true,
    },
    createdAt: { type: Date, required: true },
    keyId: { type: String, required: true },
    signature: { type: String, required: true },
  },
  { versionKey: false, collection: 'access_log_checkpoint' },
);

/** The hash of one summarised record, kept for witnesses. */
export interface SummarisedHash {
  _id: string;
  hash: string;
}

const summarisedSchema = new Schema<SummarisedHash>(
  { _id: { type: String, required: true }, hash: { type: String, required: true } },
  { versionKey: false, collection: 'access_log_summarised' },
);

/** SHA-256 over `hashes` in order. */
export function digestOf(hashes: string[]): string {
  const digest = createHash('sha256');
  for (const hash of hashes) digest.update(hash);
  return digest.digest('hex');
}

/** Where the chain starts after the checkpoints: the last summarised record, or nothing summarised. */
export type CheckpointState =
  | { ok: true; seq: number; hash: string; latest: CheckpointDoc | null; checkpoints: CheckpointDoc[] }
  | { ok: false; seq: number; reason: string };

/** The checkpoints of one agency's access log. */
export class CheckpointStore {
  readonly model: Model<CheckpointDoc>;
  readonly hashes: Model<SummarisedHash>;

  constructor(
    connection: Connection,
    readonly keys: AccessLogKeys,
  ) {
    this.model = connection.model<CheckpointDoc>('AccessLogCheckpoint', checkpointSchema);
    this.hashes = connection.model<SummarisedHash>('AccessLogSummarised', summarisedSchema);
  }

  /** Keeps the hashes of records about to be summarised (before their checkpoint); a rerun's repeats are skipped. */
  async keepHashes(records: { seq: number; hash: string }[]): Promise<void> {
    try {
      await this.hashes.insertMany(
        records.map((r) => ({ _id: recordId(r.seq), hash: r.hash })),
        { ordered: false },
      );
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }

  /** The kept hash of summarised record `seq`, or null. */
  async summarisedHash(seq: number): Promise<string | null> {
    return (await this.hashes.findById(recordId(seq)).lean<SummarisedHash>().exec())?.hash ?? null;
  }

  /** The kept hashes of records `from`..`seq`, in order. */
  private async hashesOf(from: number, seq: number): Promise<string[]> {
    const kept = await this.hashes
      .find({ _id: { $gte: recordId(from), $lte: recordId(seq) } })
      .sort({ _id: 1 })
      .lean<SummarisedHash[]>()
      .exec();
    return kept.map((k) => k.hash);
  }

  /**
   * Stores a signed checkpoint and answers it; when a checkpoint from the same record is stored
   * already (a concurrent run), answers that one instead: delete only what it summarised.
   */
  async write(checkpoint: Omit<CheckpointDoc, '_id' | 'keyId' | 'signature' | 'createdAt'>): Promise<CheckpointDoc> {
    const unsigned = new this.model({
      ...checkpoint,
      _id: recordId(checkpoint.from),
      createdAt: new Date(),
      keyId: this.keys.currentKeyId,
    }).toObject({ versionKey: false }) as Omit<CheckpointDoc, 'signature'>;
    const signed = { ...unsigned, signature: this.keys.sign(canonicalJson(unsigned)).signature };
    try {
      await this.model.create(signed);
      return signed;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      return (await this.model.findById(signed._id).lean<CheckpointDoc>().exec())!;
    }
  }

  /**
   * Checks every checkpoint in order — signed by one of the agency's keys, each beginning where
   * the one before ended — and answers where the chain of records starts.
   */
  async state(): Promise<CheckpointState> {
    const checkpoints = await this.model.find().sort({ _id: 1 }).lean<CheckpointDoc[]>().exec();
    let end = 0;
    let latest: CheckpointDoc | null = null;
    for (const checkpoint of checkpoints) {
      const { signature, ...unsigned } = checkpoint;
      const refused = this.keys.check(checkpoint.keyId, canonicalJson(unsigned), signature);
      if (refused)
        return { ok: false, seq: checkpoint.seq, reason: `the checkpoint of record ${checkpoint.seq} ${refused}` };
      if (checkpoint._id !== recordId(checkpoint.from) || checkpoint.from !== end + 1 || checkpoint.seq < end + 1) {
        return {
          ok: false,
          seq: end + 1,
          reason:
            `the checkpoint of records ${checkpoint.from}–${checkpoint.seq} does not begin where the one before ` +
            `ended (record ${end}): a checkpoint is missing`,
        };
      }
      const hashes = await this.hashesOf(checkpoint.from, checkpoint.seq);
      if (digestOf(hashes) !== checkpoint.hashesDigest || hashes.at(-1) !== checkpoint.hash) {
        return {
          ok: false,
          seq: checkpoint.from,
          reason:
            `the hashes kept of records ${checkpoint.from}–${checkpoint.seq} (${hashes.length} of ` +
            `${checkpoint.seq - checkpoint.from + 1}) do not match their checkpoint: edited or removed`,
        };
      }
      end = checkpoint.seq;
      latest = checkpoint;
    }
    return { ok: true, seq: end, hash: latest?.hash ?? '', latest, checkpoints };
  }
}
