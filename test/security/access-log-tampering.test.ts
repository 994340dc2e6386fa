/**
 * An insider with write access to an agency's database tampers with its access log: edits a
 * record and recomputes its hash, rewrites the whole chain without the key, deletes a record,
 * drops the newest records and moves the head back, restores the database from an earlier
 * snapshot, forges a witness record, signs with a key that is not the agency's. Each is found
 * by the real verify code (and the CLI) with its reason; an untampered log verifies intact.
 * How heads get witnessed, and the records refused requests leave: access-log-witnessing.test.ts.
 */
import mongoose from 'mongoose';
import { AccessLogKeys } from '../../common/audit/access-log-keys.js';
import {
  AccessLog,
  GENESIS_HASH,
  hashRecord,
  hashSignedRecord,
  type AccessRecord,
} from '../../common/audit/access-log.js';
import { recordId } from '../../common/audit/record-id.js';
import { formatVerification } from '../../common/audit/verify-hub.js';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';
import { testMongoUri, uniqueDbName } from '../helpers/env.js';
import type { TestHub } from '../helpers/hub.js';
import { disclosureFor, pem, startTamperingHub, tamperingTools, type TamperingHub } from '../helpers/tampering.js';
import { witnessAll as witnessAllOf } from '../helpers/witnessing.js';

let setup: TamperingHub;
let hub: TestHub;
const { collection, disclose, verify, cli, tampered, snapshotOf, restore } = tamperingTools(() => setup);
const witnessAll = () => witnessAllOf(hub);

beforeAll(async () => {
  setup = await startTamperingHub('tamper');
  ({ hub } = setup);
}, 120_000);
afterAll(() => setup?.hub.stop());

describe('an untampered log', () => {
  it('verifies intact, with the last head each other agency witnessed', async () => {
    await disclose(4);
    await witnessAll();
    const { results, report } = await verify();
    for (const name of SUBGRAPH_NAMES) {
      expect(results[name].verdict).toBe('INTACT');
      expect(results[name].lastWitnessed.map((w) => w.witness).sort()).toEqual(
        SUBGRAPH_NAMES.filter((n) => n !== name).sort(),
      );
    }
    expect(report).toMatch(/immigration: \d+ records, chain intact\n {2}last witnessed head: record \d+ by police/);
    const { code, stdout } = await cli();
    expect(stdout).toContain('verdict: INTACT');
    expect(code).toBe(0);
  });
});

describe('tampering that the key shows', () => {
  it('an edited record whose hash was recomputed: its signature no longer matches', async () => {
    await tampered(
      async () => {
        const record = (await collection('immigration').findOne({ _id: recordId(2) }))!;
        const edited = { ...record, purpose: 'rewritten afterwards' };
        await collection('immigration').replaceOne({ _id: recordId(2) }, { ...edited, hash: hashSignedRecord(edited) });
      },
      async () => {
        const { results } = await verify();
        expect(results.immigration.verdict).toBe('BROKEN');
        expect(results.immigration.chain.broken).toEqual({
          seq: 2,
          reason: `record 2 has a signature that does not match its content (key ${hub.subgraphs.immigration.accessLog.keys.currentKeyId})`,
        });
      },
    );
  });

  it('an edited record with its hash left as it was: the content does not match it', async () => {
    await tampered(
      async () => {
        await collection('immigration').updateOne({ _id: recordId(2) }, { $set: { purpose: 'rewritten afterwards' } });
      },
      async () => {
        const { results } = await verify();
        expect(results.immigration.chain.broken).toEqual({ seq: 2, reason: 'content does not match its hash' });
      },
    );
  });

  it('an edited record made to look unkeyed (signature stripped, old-style hash recomputed)', async () => {
    await tampered(
      async () => {
        const record = (await collection('immigration').findOne({ _id: recordId(2) }))!;
        const { keyId: _k, signature: _s, hash: _h, ...rest } = record;
        const edited = { ...rest, purpose: 'rewritten afterwards' };
        await collection('immigration').replaceOne({ _id: recordId(2) }, { ...edited, hash: hashRecord(edited) });
      },
      async () => {
        const { results } = await verify();
        expect(results.immigration.chain.broken).toEqual({
          seq: 2,
          reason: 'record 2 carries no signature, though records are signed from 1 on',
        });
      },
    );
  });

  it('the whole chain rewritten from an edited record on, without the key (signed with another)', async () => {
    const intruder = AccessLogKeys.fromPem('intruder', pem().privatePem, { sign: true, file: 'intruder.pem' });
    await tampered(
      async () => {
        const log = collection('immigration');
        const records = await log
          .find({ seq: { $gte: 2 } })
          .sort({ _id: 1 })
          .toArray();
        let prevHash = (await log.findOne({ _id: recordId(1) }))!.hash;
        for (const record of records) {
          const { hash: _h, signature: _s, ...rest } = record;
          const edited = {
            ...rest,
            prevHash,
            keyId: intruder.currentKeyId!,
            ...(record.seq === 2 ? { purpose: 'rewritten afterwards' } : {}),
          };
          const hash = hashSignedRecord(edited);
          await log.replaceOne({ _id: record._id }, { ...edited, hash, signature: intruder.sign(hash).signature });
          prevHash = hash;
        }
        await collection('immigration', 'access_log_head').updateOne(
          { _id: 'head' as never },
          { $set: { hash: prevHash } },
        );
      },
      async () => {
        const { results, report } = await verify();
        expect(results.immigration.chain.broken?.seq).toBe(2);
        expect(results.immigration.chain.broken?.reason).toMatch(
          new RegExp(`^record 2 is signed with key ${intruder.currentKeyId}, which is not one of immigration's keys`),
        );
        // and the witnesses saw other hashes for the rewritten records
        expect(results.immigration.problems.map((p) => p.kind)).toContain('REWRITTEN');
        expect(report).toMatch(/REWRITTEN: record \d+ differs from what (police|local-government) witnessed/);
        const { code, stdout } = await cli();
        expect(code).toBe(1);
        expect(stdout).toContain('immigration: chain BROKEN at record 2: record 2 is signed with key');
      },
    );
  });

  it('the whole chain rewritten keeping the key id, without the key: the signature does not match', async () => {
    await tampered(
      async () => {
        const log = collection('immigration');
        const record = (await log.findOne({ _id: recordId(3) }))!;
        const { hash: _h, ...rest } = record;
        const edited = { ...rest, subject: 'someone-else' };
        await log.replaceOne({ _id: record._id }, { ...edited, hash: hashSignedRecord(edited) });
        // the next records re-chained: their hashes recomputed, their signatures kept
        const next = (await log.findOne({ _id: recordId(4) }))!;
        const relinked = { ...next, prevHash: hashSignedRecord(edited) };
        await log.replaceOne({ _id: next._id }, { ...relinked, hash: hashSignedRecord(relinked) });
      },
      async () => {
        const { results } = await verify();
        expect(results.immigration.chain.broken?.seq).toBe(3);
        expect(results.immigration.chain.broken?.reason).toMatch(
          /^record 3 has a signature that does not match its content/,
        );
      },
    );
  });

  it('a deleted record in the middle', async () => {
    await tampered(
      async () => {
        await collection('immigration').deleteOne({ _id: recordId(2) });
      },
      async () => {
        const { results } = await verify();
        expect(results.immigration.chain.broken).toEqual({ seq: 2, reason: 'record 2 is missing (next is 3)' });
      },
    );
  });

  it('records signed with a key that is not the agency’s, and a rotated key', async () => {
    const connection = await mongoose
      .createConnection(testMongoUri(), { dbName: uniqueDbName('rotation') })
      .asPromise();
    try {
      const first = pem();
      const second = pem();
      const before = AccessLogKeys.fromPem('immigration', first.privatePem, { sign: true, file: 'first.pem' });
      const rotated = AccessLogKeys.fromPem('immigration', `${second.privatePem}${first.publicPem}`, {
        sign: true,
        file: 'rotated.pem',
      });
      const disclosure = (i: number) => disclosureFor(`rotation-${i}`);
      const oldLog = new AccessLog(connection, before);
      await oldLog.init();
      for (let i = 0; i < 3; i += 1) await oldLog.append(disclosure(i));
      const newLog = new AccessLog(connection, rotated);
      for (let i = 3; i < 6; i += 1) await newLog.append(disclosure(i));
      const keyIds = (await newLog.records.find().sort({ _id: 1 }).lean<AccessRecord[]>()).map((r) => r.keyId);
      expect(new Set(keyIds)).toEqual(new Set([before.currentKeyId, rotated.currentKeyId]));
      // the rotated file (new private key, old public key) verifies both generations
      expect(await newLog.verify()).toEqual({ ok: true, records: 6 });
      // the new key alone: the old records are signed with a key it does not know
      const newOnly = AccessLogKeys.fromPem('immigration', second.publicPem, { sign: false, file: 'new.pem' });
      expect((await new AccessLog(connection, newOnly).verify()).broken).toEqual({
        seq: 1,
        reason: `record 1 is signed with key ${before.currentKeyId}, which is not one of immigration's keys (${newOnly.currentKeyId ?? newOnly.keyIds[0]})`,
      });
      // a wrong key altogether: nothing verifies
      const wrong = AccessLogKeys.fromPem('immigration', pem().publicPem, { sign: false, file: 'wrong.pem' });
      expect((await new AccessLog(connection, wrong).verify()).broken?.reason).toMatch(
        /^record 1 is signed with key \w+, which is not one of immigration's keys/,
      );
      // and a key that claims the right id but is not the right key fails on the signature
      const forger = AccessLogKeys.fromPem('immigration', pem().privatePem, { sign: true, file: 'forger.pem' });
      const record = (await newLog.records.findById(recordId(6)).lean<AccessRecord>())!;
      await newLog.records.updateOne({ _id: recordId(6) }, { $set: { signature: forger.sign(record.hash).signature } });
      expect((await newLog.verify()).broken).toEqual({
        seq: 6,
        reason: `record 6 has a signature that does not match its content (key ${rotated.currentKeyId})`,
      });
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});

describe('a log begun before records were signed', () => {
  it('is reported UNKEYED, never passed silently, and a signed record continues its chain', async () => {
    const connection = await mongoose.createConnection(testMongoUri(), { dbName: uniqueDbName('unkeyed') }).asPromise();
    try {
      const keys = AccessLogKeys.fromPem('police', pem().privatePem, { sign: true, file: 'police.pem' });
      const log = new AccessLog(connection, keys);
      await log.init();
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= 2; seq += 1) {
        const legacy = {
          _id: recordId(seq),
          seq,
          requestId: `legacy-${seq}`,
          subject: 's',
          agency: 'POLRES-OKU',
          agencyType: 'POLICE',
          purpose: 'before keys',
          operationName: null,
          recordIds: [],
          foreignerIds: ['F1'],
          fieldGroups: ['incident:read'],
          at: new Date(),
          prevHash,
        };
        prevHash = hashRecord(legacy);
        await log.records.collection.insertOne({ ...legacy, hash: prevHash } as never);
      }
      await log.append({ ...disclosureFor('after keys'), foreignerIds: ['F1'] });
      const chain = await log.verify();
      expect(chain).toEqual({ ok: true, records: 3, unkeyed: 2 });
      const lines = formatVerification([
        { agency: 'police', chain, lastWitnessed: [], problems: [], verdict: 'UNKEYED' },
      ]);
      expect(lines).toContain(
        '  UNKEYED: records 1–2 were written before records were signed; only their hash chain is checked, which an insider can recompute',
      );
    } finally {
      await connection.dropDatabase();
      await connection.close();
    }
  });
});

describe('tampering that only the witnesses show', () => {
  it('the newest records dropped and the head moved back', async () => {
    await disclose(3);
    await witnessAll();
    const before = await collection('immigration').countDocuments();
    await tampered(
      async () => {
        await collection('immigration').deleteMany({ seq: { $gt: before - 3 } });
        const last = (await collection('immigration').findOne({ _id: recordId(before - 3) }))!;
        await collection('immigration', 'access_log_head').updateOne(
          { _id: 'head' as never },
          { $set: { seq: last.seq, hash: last.hash } },
        );
      },
      async () => {
        const { results, report } = await verify();
        // the chain that is left is whole and signed: only the witnesses know it was longer
        expect(results.immigration.chain).toEqual({ ok: true, records: before - 3 });
        expect(results.immigration.verdict).toBe('BROKEN');
        expect(results.immigration.problems).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ kind: 'MISSING', seq: before, witness: 'police' }),
            expect.objectContaining({ kind: 'MISSING', seq: before, witness: 'local-government' }),
          ]),
        );
        expect(report).toMatch(
          new RegExp(
            `MISSING: record ${before} \\(hash \\w+…\\), witnessed by police at .+, is missing: the log was truncated or rolled back`,
          ),
        );
        expect(results.police.verdict).toBe('INTACT');
        const { code, stdout } = await cli();
        expect(code).toBe(1);
        expect(stdout).toContain(`MISSING: record ${before} `);
      },
    );
  });

  it("the agency's whole database rolled back to an earlier snapshot", async () => {
    const snapshot = await snapshotOf('immigration');
    await disclose(2);
    await witnessAll();
    const witnessedSeq = await collection('immigration').countDocuments();
    const now = await snapshotOf('immigration');
    try {
      await restore('immigration', snapshot);
      const { results } = await verify();
      expect(results.immigration.chain.ok).toBe(true);
      expect(results.immigration.verdict).toBe('BROKEN');
      expect(results.immigration.problems).toContainEqual(
        expect.objectContaining({ kind: 'MISSING', seq: witnessedSeq, witness: 'police' }),
      );
    } finally {
      await restore('immigration', now);
    }
  });

  it('a forged witness record (not signed with the witness’s key)', async () => {
    const store = collection('police', 'access_log_witness');
    const genuine = (await store.findOne({ agency: 'immigration' }, { sort: { seq: -1 } })) as unknown as {
      seq: number;
      keyId: string;
    };
    const forged = {
      _id: `immigration:${recordId(genuine.seq)}:${'f'.repeat(64)}`,
      agency: 'immigration',
      seq: genuine.seq,
      hash: 'f'.repeat(64),
      at: new Date(),
      witness: 'police',
      witnessedAt: new Date(),
      keyId: genuine.keyId,
      signature: 'A'.repeat(86),
    };
    await store.insertOne(forged as never);
    try {
      const { results, report } = await verify();
      expect(results.immigration.verdict).toBe('BROKEN');
      expect(results.immigration.problems).toEqual([
        expect.objectContaining({ kind: 'FORGED_WITNESS', seq: genuine.seq, witness: 'police' }),
      ]);
      expect(report).toContain(`FORGED WITNESS: police's witness record of record ${genuine.seq}`);
      expect(report).toContain('has a signature that does not match its content');
    } finally {
      await store.deleteOne({ _id: forged._id } as never);
    }
    expect((await verify()).results.immigration.verdict).toBe('INTACT');
  });
});
