/**
 * The access-log rule: records older than the rule are summarised into a signed checkpoint
 * (common/audit/access-log-checkpoint.ts) and deleted. Without transactions, the writes are
 * ordered so that a run stopped anywhere leaves a log that verifies and a rerun that finishes
 * the work: the records' hashes are kept first, then the checkpoint is stored, then the records
 * it summarises are deleted; a rerun first deletes what a stored checkpoint summarised but still
 * lies about.
 *
 * Holds: only records from the first one on are summarised, up to the first record younger
 * than the rule (the chain stays one run of records after the checkpoint), and a chain that
 * does not verify is not summarised at all: it is evidence.
 */
import type { AccessLog, AccessRecord } from '../audit/access-log.js';
import { recordId } from '../audit/record-id.js';
import { digestOf, type SummaryCount } from '../audit/access-log-checkpoint.js';
import type { RuleResult } from './rule.js';

/** The records summarised, counted per requesting agency, purpose, outcome and month. */
function countsOf(records: Pick<AccessRecord, 'agency' | 'purpose' | 'outcome' | 'at'>[]): SummaryCount[] {
  const counts = new Map<string, SummaryCount>();
  for (const r of records) {
    const month = new Date(r.at).toISOString().slice(0, 7);
    const outcome = r.outcome ?? 'DISCLOSED';
    const key = JSON.stringify([r.agency, r.purpose, outcome, month]);
    const entry = counts.get(key) ?? { agency: r.agency, purpose: r.purpose, outcome, month, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** Summarises the records written before `before`; with `dryRun`, counts them only. */
export async function summariseAccessLog(log: AccessLog, before: Date, dryRun: boolean): Promise<RuleResult> {
  const start = await log.checkpoints.state();
  if (!start.ok) throw new Error(`the access log of ${log.keys.owner} does not verify: ${start.reason}`);
  const past = { $lte: recordId(start.seq) };
  // a run stopped between its checkpoint and its deletion: finish it
  if (!dryRun && start.seq > 0) await log.records.deleteMany({ _id: past }).exec();
  const after = { $gt: recordId(start.seq) };
  const younger = await log.records
    .findOne({ _id: after, at: { $gte: before } }, { seq: 1 })
    .sort({ _id: 1 })
    .lean<{ seq: number }>()
    .exec();
  const end = younger ? younger.seq - 1 : (await log.chainHead()).seq;
  const held = younger ? await log.records.countDocuments({ _id: { $gte: recordId(younger.seq) } }).exec() : 0;
  if (end <= start.seq) return { changed: 0, held };
  const range = { $gt: recordId(start.seq), $lte: recordId(end) };
  if (dryRun) return { changed: await log.records.countDocuments({ _id: range }).exec(), held };

  const chain = await log.verify();
  if (!chain.ok) {
    throw new Error(`the access log of ${log.keys.owner} is broken at record ${chain.broken!.seq}: not summarised`);
  }
  const records = await log.records
    .find({ _id: range }, { seq: 1, hash: 1, agency: 1, purpose: 1, outcome: 1, at: 1 })
    .sort({ _id: 1 })
    .lean<AccessRecord[]>()
    .exec();
  const last = records.at(-1)!;
  // the hashes first (nothing personal: what witnesses are compared with), then the checkpoint
  await log.checkpoints.keepHashes(records);
  const checkpoint = await log.checkpoints.write({
    from: start.seq + 1,
    seq: last.seq,
    hash: last.hash,
    hashesDigest: digestOf(records.map((r) => r.hash)),
    before,
    counts: countsOf(records),
  });
  // only now, what the stored checkpoint vouches for goes
  const deleted = await log.records
    .deleteMany({ _id: { $gt: recordId(start.seq), $lte: recordId(checkpoint.seq) } })
    .exec();
  return { changed: deleted.deletedCount, held };
}
