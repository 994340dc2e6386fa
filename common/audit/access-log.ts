/**
 * The access log: every disclosure of personal data, and every request refused it, appended
 * to a hash chain in the disclosing subgraph's own database. Each record carries the hash of
 * the one before, so editing or deleting a record breaks the chain at that record; and each
 * record is signed with the agency's access-log key (common/audit/access-log-keys.ts), which
 * the database does not hold, so an insider who edits a record cannot recompute what vouches
 * for it. What the key cannot show — the newest records dropped and the head moved back, the
 * whole database restored from a snapshot — the other agencies' witnesses show
 * (common/audit/witness.ts).
 *
 * A record's hash is the SHA-256 of its canonical JSON (every field but `hash` and
 * `signature`, keys sorted, dates as ISO strings), so a field added to `Disclosure` is covered
 * without further code; the signature is over the hash. Records written before records were
 * signed (no `keyId`) keep their fixed-order hash and are reported as unkeyed by `verify`.
 *
 * Appends stay one chain under concurrency without transactions (FerretDB has none): a
 * record's `_id` is its sequence number, so two writers can never both append record N (the
 * unique `_id` refuses the second, which re-reads the head and retries). Within a process,
 * appends are queued and written in batches, and a batch costs one round trip in the common
 * case: the process keeps the head it last wrote or read and inserts the batch after it at
 * once. A head document, read and advanced by `_id` only, points at (or behind) the last
 * record: it is where a writer that knows no head starts walking forward, so it is advanced
 * after the answer, not before it, and may lag.
 */
import type { Connection, Model } from 'mongoose';
import type { Logger } from '../logger.js';
import { isDuplicateKey } from '../db/errors.js';
import { CheckpointStore } from './access-log-checkpoint.js';
import type { AccessLogKeys } from './access-log-keys.js';
import {
  GENESIS_HASH,
  castRecordRegions,
  hashRecord,
  hashSignedRecord,
  headSchema,
  recordSchema,
  type AccessOutcome,
  type AccessRecord,
  type Disclosure,
  type HeadDoc,
} from './access-record.js';
import { recordId } from './record-id.js';

export {
  ACCESS_OUTCOMES,
  GENESIS_HASH,
  hashRecord,
  hashSignedRecord,
  type AccessOutcome,
  type AccessRecord,
  type Denial,
  type Disclosure,
  type RecordRegion,
} from './access-record.js';

const HEAD_ID = 'head';

/**
 * How long a head this process wrote or read is trusted without reading the database again.
 * Short against any retention rule (years): a record past a trusted head is too young for
 * retention to have summarised and deleted it, so a stale head always meets the record that
 * took its place (a duplicate `_id`), never a deleted one whose place is free.
 */
const KNOWN_HEAD_TTL_MS = 10_000;

/** How many records past a head one read looks for when walking forward. */
const WALK_WINDOW = 16;

interface Head {
  seq: number;
  hash: string;
}

/** A head this process wrote or read, and when the write or read began. */
interface KnownHead extends Head {
  since: number;
}

/** Where the access log reports what went wrong off a request's path (the head document's advance). */
export interface AccessLogOptions {
  log?: Pick<Logger, 'warn'>;
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  /** The first broken record and why, when the chain is broken. */
  broken?: { seq: number; reason: string };
  /** How many records (from the first) were written before records were signed: they prove nothing against an insider. */
  unkeyed?: number;
  /** Records 1 to this were summarised by retention into signed checkpoints (common/audit/access-log-checkpoint.ts). */
  summarised?: number;
}

/** The last record of a chain, as witnesses countersign it. */
export interface ChainHead {
  seq: number;
  hash: string;
  /** When the last record was written (null for an empty chain). */
  at: Date | null;
}

interface Pending {
  disclosure: Disclosure;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** The access log of one subgraph's database. */
export class AccessLog {
  readonly records: Model<AccessRecord>;
  /** What retention summarised: the chain verifies from the latest checkpoint. */
  readonly checkpoints: CheckpointStore;
  private readonly head: Model<HeadDoc>;
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  /** The head this process last wrote or read; null when unknown or no longer trusted. */
  private known: KnownHead | null = null;
  /** The last record this process appended: the head document is advanced to it. */
  private headTarget: Head | null = null;
  /** Where this process last saw the head document (advanced it to, or read it at); it never moves back. */
  private headWritten = 0;
  /** Whether the head document is known to exist (else an advance creates it). */
  private headExists = false;
  private headWriting: Promise<void> | null = null;
  private headError: unknown = null;

  /**
   * `keys`: the agency's keys; appending needs the private key, verifying the public keys only.
   * `options.log`: where a failed advance of the head document is reported (else a process warning).
   */
  constructor(
    connection: Connection,
    readonly keys: AccessLogKeys,
    private readonly options: AccessLogOptions = {},
  ) {
    this.records = connection.model<AccessRecord>('AccessRecord', recordSchema);
    this.head = connection.model<HeadDoc>('AccessLogHead', headSchema);
    this.checkpoints = new CheckpointStore(connection, keys);
  }

  async init(): Promise<void> {
    await Promise.all([
      this.records.init(),
      this.head.init(),
      this.checkpoints.model.init(),
      this.checkpoints.hashes.init(),
    ]);
  }

  /** Appends a disclosure; resolves once it is stored in the chain. */
  append(disclosure: Disclosure): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ disclosure, resolve, reject });
      this.startDraining();
    });
  }

  /**
   * Drains the queue unless a drain is under way. A disclosure queued after the drain's last
   * look at the queue but before it ended (an append awaited right after another) starts the
   * next drain, rather than waiting forever.
   */
  private startDraining(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length > 0) this.startDraining();
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

  /**
   * Resolves once every queued disclosure is stored and the head document is advanced to the
   * last of them; rejects with the advance's error if it failed (it is tried again here).
   */
  async flush(): Promise<void> {
    while (this.draining) await this.draining.catch(() => undefined);
    if (this.headWriting) await this.headWriting;
    if (this.headTarget && this.headTarget.seq > this.headWritten) {
      this.headError = null;
      await this.advanceHeadLater();
      if (this.headError) throw this.headError;
    }
  }

  /** The chain's head as it stands in the database: what the witnesses countersign. */
  async chainHead(): Promise<ChainHead> {
    const { seq, hash } = await this.currentHead(false);
    if (seq === 0) return { seq, hash, at: null };
    const last = await this.records.findById(recordId(seq), { at: 1 }).lean<{ at: Date }>().exec();
    return { seq, hash, at: last?.at ?? null };
  }

  /** A signed record: the disclosure as the schema stores it, chained after `prev`, hashed and signed. */
  private async seal(disclosure: Disclosure, prev: { seq: number; hash: string }): Promise<AccessRecord> {
    const seq = prev.seq + 1;
    const keyId = this.keys.currentKeyId;
    if (!keyId) throw new Error(`the access log of ${this.keys.owner} has no private key here: it cannot append`);
    // hashed as it will be stored: cast and checked by the schema (defaults set, unknown fields
    // dropped) here, once; `appendBatch` inserts the result as it is. The regions of a page's
    // records (hundreds of pairs of strings) are checked here rather than hydrated by mongoose as
    // one subdocument each, which cost as much CPU as the rest of the record (a page of 100)
    const { recordRegions, ...rest } = disclosure;
    const cast = new this.records({ ...rest, _id: recordId(seq), seq, prevHash: prev.hash, keyId });
    await cast.validate({ pathsToSkip: ['hash'] });
    const unsigned = cast.toObject({ versionKey: false }) as Omit<AccessRecord, 'hash'>;
    if (recordRegions !== undefined) unsigned.recordRegions = castRecordRegions(recordRegions);
    const hash = hashSignedRecord(unsigned);
    return { ...unsigned, hash, signature: this.keys.sign(hash).signature };
  }

  /**
   * The last record of the chain: walked forward from the head this process knows (when
   * `useKnown` and it is still trusted) or from the head document, which may lag behind.
   */
  private async currentHead(useKnown = true): Promise<Head> {
    const since = Date.now();
    let head = (useKnown ? this.trustedHead() : null) ?? (await this.headDocument(null));
    for (;;) {
      const walked = await this.walkForward(head);
      head = walked.head;
      if (!walked.more) break;
      // a long run of records past the head: another writer is far ahead, and its head document may be too
      head = await this.headDocument(head);
    }
    this.remember(head, since);
    return head;
  }

  /** The head document's head, or `fallback` when that is further on (or there is no document and no chain yet). */
  private async headDocument(fallback: Head | null): Promise<Head> {
    const stored = await this.head.findById(HEAD_ID).lean<HeadDoc>().exec();
    if (stored) this.observeHeadDocument(stored.seq);
    if (fallback && (!stored || stored.seq <= fallback.seq)) return fallback;
    return stored ? { seq: stored.seq, hash: stored.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /** Follows the chain past `from`, a window of records per read, until a record is not there. */
  private async walkForward(from: Head): Promise<{ head: Head; more: boolean }> {
    let head = from;
    for (let windows = 0; windows < 4; windows += 1) {
      const ids = Array.from({ length: WALK_WINDOW }, (_, i) => recordId(from.seq + windows * WALK_WINDOW + i + 1));
      const found = await this.records
        .find({ _id: { $in: ids } }, { seq: 1, hash: 1 })
        .lean<Pick<AccessRecord, '_id' | 'seq' | 'hash'>[]>()
        .exec();
      const byId = new Map(found.map((r) => [r._id, r]));
      for (let next = byId.get(recordId(head.seq + 1)); next; next = byId.get(recordId(head.seq + 1))) {
        head = { seq: next.seq, hash: next.hash };
      }
      if (head.seq < from.seq + (windows + 1) * WALK_WINDOW) return { head, more: false };
    }
    return { head, more: true };
  }

  /** The head this process knows, if it learnt it recently enough to append after it unread. */
  private trustedHead(): Head | null {
    if (this.known && Date.now() - this.known.since > KNOWN_HEAD_TTL_MS) this.known = null;
    return this.known;
  }

  /** Keeps `head` as the known head, unless a later one (by sequence) is known already and still trusted. */
  private remember(head: Head, since: number): void {
    const known = this.trustedHead();
    if (!known || head.seq >= known.seq) this.known = { seq: head.seq, hash: head.hash, since };
  }

  private async appendBatch(disclosures: Disclosure[]): Promise<void> {
    let remaining = disclosures;
    for (let attempt = 0; remaining.length > 0; attempt += 1) {
      if (attempt > 50) throw new Error('access log: could not append after 50 concurrent retries');
      // the head this process knows (one round trip: the insert); after a clash, the chain as it stands
      const head = (attempt === 0 ? this.trustedHead() : null) ?? (await this.currentHead());
      const records: AccessRecord[] = [];
      let prev = head;
      for (const d of remaining) {
        const record = await this.seal(d, prev);
        records.push(record);
        prev = { seq: record.seq, hash: record.hash };
      }
      const since = Date.now();
      let inserted = records.length;
      try {
        // cast and validated by `seal`: inserted as they were hashed, without a second pass of the schema
        await this.records.insertMany(records, { ordered: true, lean: true });
      } catch (e) {
        // whatever went in, the head this process knew is no longer to be trusted
        this.known = null;
        if (!isDuplicateKey(e)) throw e;
        // another writer took a sequence number first: keep what went in, re-chain the rest
        inserted = await this.storedPrefix(records);
      }
      if (inserted > 0) {
        const last = records[inserted - 1]!;
        this.remember(last, since);
        this.headTarget = { seq: last.seq, hash: last.hash };
        void this.advanceHeadLater();
      }
      remaining = remaining.slice(inserted);
    }
  }

  /** How many of `records`, in order, are stored as they are (an ordered insert stops at the first clash). */
  private async storedPrefix(records: AccessRecord[]): Promise<number> {
    const stored = await this.records
      .find({ _id: { $in: records.map((r) => r._id) } }, { hash: 1 })
      .lean<{ _id: string; hash: string }[]>()
      .exec();
    const hashes = new Map(stored.map((r) => [r._id, r.hash]));
    const count = records.findIndex((r) => hashes.get(r._id) !== r.hash);
    return count === -1 ? records.length : count;
  }

  /** Reports what went wrong off a request's path: to the log, else as a process warning. */
  private warn(problem: string, err?: unknown): void {
    if (this.options.log) this.options.log.warn({ err, owner: this.keys.owner }, problem);
    else process.emitWarning(err ? `${problem}: ${err instanceof Error ? err.message : String(err)}` : problem);
  }

  /**
   * Notes where the head document stands. It never moves back, so finding it behind where this
   * process last saw it means the database was rolled back (or the document edited) under the
   * process: the head it knows is dropped, and the next append reads the chain as it stands.
   */
  private observeHeadDocument(seq: number): void {
    this.headExists = true;
    if (seq < this.headWritten) {
      this.known = null;
      this.warn(
        `the access-log head document moved back from ${this.headWritten} to ${seq}: the database was rolled back or edited; the head is read again`,
      );
    }
    this.headWritten = seq;
  }

  /**
   * Advances the head document to the newest record appended here, off the answer's path: one
   * write at a time, the latest target each time, so appends made meanwhile share the next
   * write. The head document is only where a reader starts walking forward, so a lagging one
   * costs a longer walk, never a wrong head. A failure is reported and tried again on the next
   * append (or `flush`).
   */
  private advanceHeadLater(): Promise<void> {
    this.headWriting ??= (async () => {
      try {
        while (this.headTarget && this.headTarget.seq > this.headWritten) {
          const target = this.headTarget;
          await this.advanceHead(target);
        }
      } catch (e) {
        this.headError = e;
        this.warn('the access-log head document was not advanced; the next append tries again', e);
      } finally {
        this.headWriting = null;
      }
    })();
    return this.headWriting;
  }

  /** Moves the head document on to `last`, unless it is there or further already. */
  private async advanceHead(last: Head): Promise<void> {
    try {
      const before = await this.head
        .findOneAndUpdate(
          { _id: HEAD_ID, seq: { $lt: last.seq } },
          { $set: { seq: last.seq, hash: last.hash } },
          { upsert: !this.headExists, returnDocument: 'before' },
        )
        .lean<HeadDoc>()
        .exec();
      if (before) this.observeHeadDocument(before.seq);
      // moved on to `last`, or found there or further (by another writer): at `last` at least
      this.headExists = true;
      this.headWritten = before ? last.seq : Math.max(this.headWritten, last.seq);
    } catch (e) {
      // a concurrent first append created the head: it exists, advance it without creating it
      if (!isDuplicateKey(e)) throw e;
      this.headExists = true;
    }
  }

  /** Records that disclosed (or refused) data of one foreigner, oldest first; only those of `outcomes` when given. */
  forForeigner(foreignerId: string, outcomes?: readonly AccessOutcome[]): Promise<AccessRecord[]> {
    const filter: Record<string, unknown> = { foreignerIds: foreignerId };
    // records written before outcomes were recorded have none: they are disclosures
    if (outcomes) {
      filter.$or = [
        { outcome: { $in: [...outcomes] } },
        ...(outcomes.includes('DISCLOSED') ? [{ outcome: { $exists: false } }] : []),
      ];
    }
    return this.records.find(filter).sort({ _id: 1 }).lean<AccessRecord[]>().exec();
  }

  /**
   * Walks the whole chain and names the first record that does not hold: missing, out of
   * place, edited, or not signed by one of this agency's keys. Records written before records
   * were signed are counted (`unkeyed`), and one after a signed record breaks the chain.
   */
  async verify(): Promise<VerifyResult> {
    const start = await this.checkpoints.state();
    if (!start.ok) return { ok: false, records: 0, broken: { seq: start.seq, reason: start.reason } };
    let prev = start.latest ? { seq: start.seq, hash: start.hash } : { seq: 0, hash: GENESIS_HASH };
    const summarised = start.latest ? { summarised: start.seq } : {};
    let count = 0;
    let unkeyed = 0;
    let firstSigned: number | null = null;
    const broken = (seq: number, reason: string): VerifyResult => ({
      ok: false,
      records: count,
      broken: { seq, reason },
      ...summarised,
    });
    // records a retention run summarised but had not deleted yet when it stopped are past: skipped
    const after = { _id: { $gt: recordId(prev.seq) } };
    for await (const record of this.records.find(after).sort({ _id: 1 }).lean<AccessRecord[]>().cursor()) {
      count += 1;
      const expectedSeq = prev.seq + 1;
      if (record.seq !== expectedSeq || record._id !== recordId(record.seq)) {
        const gap =
          record.seq - 1 > expectedSeq ? `records ${expectedSeq}–${record.seq - 1} are` : `record ${expectedSeq} is`;
        const unaccounted = count === 1 ? ' and no checkpoint summarises them' : '';
        return broken(expectedSeq, `${gap} missing (next is ${record.seq})${unaccounted}`);
      }
      if (record.prevHash !== prev.hash) return broken(record.seq, 'previous hash does not match');
      const { hash, ...unsigned } = record;
      if (record.keyId === undefined && record.signature === undefined) {
        if (firstSigned !== null) {
          return broken(
            record.seq,
            `record ${record.seq} carries no signature, though records are signed from ${firstSigned} on`,
          );
        }
        if (hashRecord(unsigned) !== hash) return broken(record.seq, 'content does not match its hash');
        unkeyed += 1;
      } else {
        firstSigned ??= record.seq;
        if (hashSignedRecord(unsigned) !== hash) return broken(record.seq, 'content does not match its hash');
        const refused = this.keys.check(record.keyId, hash, record.signature);
        if (refused) return broken(record.seq, `record ${record.seq} ${refused}`);
      }
      prev = { seq: record.seq, hash };
    }
    const head = await this.head.findById(HEAD_ID).lean<HeadDoc>().exec();
    if (head && head.seq > prev.seq) {
      return broken(prev.seq + 1, `record ${prev.seq + 1} is missing (the chain's head is ${head.seq})`);
    }
    return { ok: true, records: count, ...(unkeyed > 0 ? { unkeyed } : {}), ...summarised };
  }
}
