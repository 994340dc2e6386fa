/**
 * The checkpoint that retention summarises old access-log records into, on a real hub seeded
 * as in retention-rules.test.ts and run once: a run stopped between checkpoint and deletion is
 * finished by the next; a removed, edited or re-signed checkpoint, or an edited kept hash, is found.
 */
import { AccessLog, type AccessRecord } from '../../common/audit/access-log.js';
import { digestOf, type CheckpointDoc } from '../../common/audit/access-log-checkpoint.js';
import { summariseAccessLog } from '../../common/retention/access-log.js';
import { yearsAgo } from '../../common/retention/ages.js';
import type { TestHub } from '../helpers/hub.js';
import { ago, config, disclosure, retentionTools, startRetentionHub } from '../helpers/retention.js';

let hub: TestHub;
const { db, run, verify } = retentionTools(() => hub);

beforeAll(async () => {
  hub = await startRetentionHub('retention-checkpoint');
  await run(false);
}, 180_000);
afterAll(() => hub?.stop());

describe('the checkpoint', () => {
  it('is finished by the next run when a run stopped between checkpoint and deletion', async () => {
    const scratch = db('police').useDb(`${hub.subgraphs.police.dbName}_resume`);
    try {
      const log = new AccessLog(scratch, hub.subgraphs.police.accessLog.keys);
      await log.init();
      for (let i = 1; i <= 3; i += 1) await log.append(disclosure(ago(config.accessLogYears, 50 - i), i));
      await log.append(disclosure(ago(0, 1), 4));
      const summarised = await log.records
        .find({ seq: { $lte: 3 } })
        .sort({ _id: 1 })
        .lean<AccessRecord[]>()
        .exec();
      // what a run leaves when it stops after its checkpoint and its first deletion
      await log.checkpoints.keepHashes(summarised);
      await log.checkpoints.write({
        from: 1,
        seq: 3,
        hash: summarised[2]!.hash,
        hashesDigest: digestOf(summarised.map((r) => r.hash)),
        before: yearsAgo(config.accessLogYears),
        counts: [],
      });
      await log.records.deleteOne({ _id: '000000000001' }).exec();
      expect(await log.verify()).toMatchObject({ ok: true, summarised: 3 });

      expect(await summariseAccessLog(log, yearsAgo(config.accessLogYears), false)).toEqual({ changed: 0, held: 1 });
      expect(await log.records.countDocuments().exec()).toBe(1);
      expect(await log.verify()).toMatchObject({ ok: true, records: 1, summarised: 3 });
    } finally {
      await scratch.dropDatabase();
    }
  });

  it('removed, leaves the log broken', async () => {
    const checkpoints = db('police').collection('access_log_checkpoint');
    const saved = await checkpoints.find().toArray();
    await checkpoints.deleteMany({});
    try {
      const results = await verify();
      expect(results.police.verdict).toBe('BROKEN');
      expect(results.police.chain.broken?.reason).toMatch(/records 1–5 are missing .*no checkpoint/);
    } finally {
      await checkpoints.insertMany(saved);
    }
  });

  it('with a kept hash edited or removed, leaves the log broken', async () => {
    const kept = db('police').collection<{ _id: string; hash: string }>('access_log_summarised');
    const third = (await kept.findOne({ _id: '000000000003' }))!;
    await kept.updateOne({ _id: third._id }, { $set: { hash: 'e'.repeat(64) } });
    try {
      expect((await verify()).police.chain.broken?.reason).toMatch(/hashes kept of records 1–5 .* do not match/);
    } finally {
      await kept.updateOne({ _id: third._id }, { $set: { hash: third.hash } });
    }
    expect((await verify()).police.verdict).toBe('INTACT');
  });

  it('re-signed by an insider with the key over rewritten hashes, is caught by the witness of a summarised head', async () => {
    const checkpoints = db('police').collection<CheckpointDoc>('access_log_checkpoint');
    const kept = db('police').collection<{ _id: string; hash: string }>('access_log_summarised');
    const original = (await checkpoints.findOne())!;
    const hashes = (await kept.find().sort({ _id: 1 }).toArray()).map((k) => k.hash);
    const rewritten = hashes.map((h, i) => (i === 2 ? 'e'.repeat(64) : h));
    await kept.updateOne({ _id: '000000000003' }, { $set: { hash: rewritten[2]! } });
    await checkpoints.deleteMany({});
    const { _id: _id0, keyId: _keyId, signature: _signature, createdAt: _createdAt, ...content } = original;
    await hub.subgraphs.police.accessLog.checkpoints.write({ ...content, hashesDigest: digestOf(rewritten) });
    try {
      const results = await verify();
      expect(results.police.chain.ok).toBe(true);
      expect(results.police.problems).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'REWRITTEN', seq: 3 })]),
      );
      expect(results.police.verdict).toBe('BROKEN');
    } finally {
      await checkpoints.deleteMany({});
      await checkpoints.insertOne(original);
      await kept.updateOne({ _id: '000000000003' }, { $set: { hash: hashes[2]! } });
    }
    expect((await verify()).police.verdict).toBe('INTACT');
  });

  it('edited, leaves the log broken', async () => {
    const checkpoints = db('police').collection('access_log_checkpoint');
    await checkpoints.updateOne({}, { $inc: { 'counts.0.count': 1 } });
    try {
      const results = await verify();
      expect(results.police.verdict).toBe('BROKEN');
      expect(results.police.chain.broken?.reason).toMatch(/checkpoint .* signature that does not match/);
    } finally {
      await checkpoints.updateOne({}, { $inc: { 'counts.0.count': -1 } });
    }
    expect((await verify()).police.verdict).toBe('INTACT');
  });
});
