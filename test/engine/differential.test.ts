/**
 * Differential test of the embedded database: FerretDB as released and the hub's build (with
 * every patch in `scripts/ferretdb/patches/`) get the same documents, indexes and operations
 * (test/engine/corpus.ts, plus random filters drawn by fast-check with a fixed seed), and must
 * answer the same: the same documents (in the same order where the query sorts), counts, groups,
 * distinct values, write results, collections after a write, and the same error codes. A patch
 * that pushes work down to SQLite may make a query faster, never answer differently.
 *
 * Four patches exist to answer differently, because the released build is wrong; their tests at
 * the end assert the difference and MongoDB's answer: `$unwind` (0006), a unique-index
 * violation by an update (0007), a deleteMany of more than 32,766 documents (0016) and an update
 * command of 100 statements or more that match documents (0021), which the released build never answers.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import mongoose from 'mongoose';
import { ensureFerretDbBinary, hubPatches } from '../../common/db/ferretdb-build.js';
import { freePort, startFerretDb, type FerretDbInstance } from '../../common/db/ferretdb.js';
import {
  COLLECTIONS,
  FILTER_FIELDS,
  FILTER_VALUES,
  readCases,
  upsertBatchCases,
  writeCases,
  type Case,
  type CollectionName,
  type Doc,
  type Filter,
  type ReadOperation,
  type Sort,
  type WriteOperation,
} from './corpus.js';

const { EJSON } = mongoose.mongo.BSON;
type Db = mongoose.mongo.Db;

/**
 * The corpus' collections. The driver's typings infer `_id: ObjectId` for a schema without one
 * and refuse string or numeric `_id`s in filters and documents, which the corpus is made of; the
 * operations here take the corpus' plain types and cast once, at the driver call.
 */
class CorpusCollection {
  constructor(private readonly coll: mongoose.mongo.Collection) {}
  find(filter: Filter, options?: mongoose.mongo.FindOptions) {
    return this.coll.find(filter as mongoose.mongo.Filter<Doc>, options);
  }
  countDocuments(filter: Filter, options?: mongoose.mongo.CountDocumentsOptions) {
    return this.coll.countDocuments(filter as mongoose.mongo.Filter<Doc>, options);
  }
  estimatedDocumentCount() {
    return this.coll.estimatedDocumentCount();
  }
  aggregate(pipeline: Doc[]) {
    return this.coll.aggregate(pipeline);
  }
  distinct(key: string, filter: Filter) {
    return this.coll.distinct(key, filter as mongoose.mongo.Filter<Doc>);
  }
  insertMany(docs: Doc[]) {
    return this.coll.insertMany(docs as mongoose.mongo.OptionalId<Doc>[]);
  }
  insertOne(doc: Doc) {
    return this.coll.insertOne(doc as mongoose.mongo.OptionalId<Doc>);
  }
  createIndex(key: Sort, options: mongoose.mongo.CreateIndexesOptions) {
    return this.coll.createIndex(key, options);
  }
  updateOne(filter: Filter, update: Doc, options?: mongoose.mongo.UpdateOptions) {
    return this.coll.updateOne(filter as mongoose.mongo.Filter<Doc>, update, options);
  }
  updateMany(filter: Filter, update: Doc, options?: mongoose.mongo.UpdateOptions) {
    return this.coll.updateMany(filter as mongoose.mongo.Filter<Doc>, update, options);
  }
  replaceOne(filter: Filter, replacement: Doc, options?: mongoose.mongo.ReplaceOptions) {
    return this.coll.replaceOne(filter as mongoose.mongo.Filter<Doc>, replacement, options);
  }
  findOneAndUpdate(filter: Filter, update: Doc, options: mongoose.mongo.FindOneAndUpdateOptions = {}) {
    return this.coll.findOneAndUpdate(filter as mongoose.mongo.Filter<Doc>, update, options);
  }
  deleteOne(filter: Filter) {
    return this.coll.deleteOne(filter as mongoose.mongo.Filter<Doc>);
  }
  deleteMany(filter: Filter) {
    return this.coll.deleteMany(filter as mongoose.mongo.Filter<Doc>);
  }
  bulkWrite(operations: Doc[], options: mongoose.mongo.BulkWriteOptions) {
    return this.coll.bulkWrite(operations as mongoose.mongo.AnyBulkWriteOperation<Doc>[], options);
  }
}

function collectionOf(db: Db, name: string): CorpusCollection {
  return new CorpusCollection(db.collection(name));
}

const DB_NAME = 'differential';

/** A running FerretDB build with a connected client. */
interface Build {
  name: string;
  db: Db;
  client: mongoose.mongo.MongoClient;
  instance: FerretDbInstance;
  dataDir: string;
  stop(): Promise<void>;
}

async function startBuild(name: string, binary: string): Promise<Build> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `timpora-differential-${name}-`));
  const instance = await startFerretDb({ port: await freePort(), debugPort: await freePort(), dataDir, binary });
  const client = new mongoose.mongo.MongoClient(instance.uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  return {
    name,
    db: client.db(DB_NAME),
    client,
    instance,
    dataDir,
    async stop() {
      await client.close().catch(() => {});
      await instance.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Canonical Extended JSON: int, long and double stay apart; key order counts. */
function canonical(value: unknown): string {
  return EJSON.stringify(value as Doc, { relaxed: false });
}

/** For answers whose order MongoDB leaves open: the same documents in any order compare equal. */
function unordered(values: unknown[]): unknown[] {
  return values
    .map((v) => [canonical(v), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => v);
}

/** What a server answered: a value, or an error's code and name (messages differ between servers and are not compared). */
async function settle(run: () => Promise<unknown>): Promise<string> {
  try {
    return canonical({ ok: await run() });
  } catch (e) {
    const err = e as { name?: string; code?: unknown; codeName?: unknown; message?: string };
    if (typeof err.code !== 'number') {
      // a dropped connection is a defect of the server, never an answer to compare
      throw e;
    }
    return canonical({ error: { code: err.code, codeName: err.codeName ?? null } });
  }
}

function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

async function read(db: Db, collection: string, op: ReadOperation): Promise<string> {
  const coll = collectionOf(db, collection);
  return settle(async () => {
    switch (op.kind) {
      case 'find': {
        const { filter, sort, limit, skip, batchSize, projection } = op;
        const docs = await coll.find(filter, definedOnly({ sort, limit, skip, batchSize, projection })).toArray();
        return sort ? docs : unordered(docs);
      }
      case 'countDocuments':
        return coll.countDocuments(op.filter, definedOnly({ limit: op.limit, skip: op.skip }));
      case 'count':
        return (await db.command(definedOnly({ count: collection, query: op.query }))).n;
      case 'estimatedDocumentCount':
        return coll.estimatedDocumentCount();
      case 'aggregate': {
        const docs = await coll.aggregate(op.pipeline).toArray();
        return op.ordered ? docs : unordered(docs);
      }
      case 'distinct':
        return unordered(await coll.distinct(op.key, op.filter));
    }
  });
}

async function write(db: Db, collection: string, op: WriteOperation): Promise<string> {
  const coll = collectionOf(db, collection);
  const result = await settle(async () => {
    switch (op.kind) {
      case 'updateOne':
        return coll.updateOne(op.filter, op.update, definedOnly({ upsert: op.upsert }));
      case 'updateMany':
        return coll.updateMany(op.filter, op.update, definedOnly({ upsert: op.upsert }));
      case 'replaceOne':
        return coll.replaceOne(op.filter, op.replacement, definedOnly({ upsert: op.upsert }));
      case 'findOneAndUpdate':
        return coll.findOneAndUpdate(op.filter, op.update, definedOnly({ upsert: op.upsert, sort: op.sort }));
      case 'deleteOne':
        return coll.deleteOne(op.filter);
      case 'deleteMany':
        return coll.deleteMany(op.filter);
      case 'insertOne':
        return coll.insertOne(op.document);
      case 'bulkWrite':
        return coll.bulkWrite(op.operations, { ordered: op.ordered });
    }
  });
  const after = unordered(await coll.find({}).toArray());
  return `${result}\n${canonical(after)}`;
}

async function load(db: Db, collection: string, source: CollectionName): Promise<void> {
  const { documents, indexes } = COLLECTIONS[source];
  await collectionOf(db, collection).insertMany(documents());
  for (const { key, ...options } of indexes) await collectionOf(db, collection).createIndex(key, options);
}

/** One operation's answers on both builds, with what is needed to reproduce a mismatch. */
interface Mismatch {
  name: string;
  op: string;
  released: string;
  hub: string;
}

let releasedBinary: string;
let released: Build;
let hub: Build;
const patches = await hubPatches();

beforeAll(async () => {
  const log = (m: string) => process.stderr.write(`${m}\n`);
  // sequential: each build takes both cores for about a minute, once
  releasedBinary = await ensureFerretDbBinary(log, { patches: [] });
  const hubBinary = await ensureFerretDbBinary(log);
  released = await startBuild('released', releasedBinary);
  hub = await startBuild('hub', hubBinary);
  await Promise.all(
    [released, hub].flatMap((b) => (Object.keys(COLLECTIONS) as CollectionName[]).map((c) => load(b.db, c, c))),
  );
}, 600_000);

afterAll(async () => {
  await Promise.all([released?.stop(), hub?.stop()]);
});

/** Runs the cases on both builds, `atOnce` at a time, and lists those that answer differently. */
async function mismatches<Op>(
  cases: Case<Op>[],
  run: (db: Db, c: Case<Op>, index: number) => Promise<string>,
  atOnce = 8,
): Promise<Mismatch[]> {
  const found: Mismatch[] = [];
  for (let i = 0; i < cases.length; i += atOnce) {
    await Promise.all(
      cases.slice(i, i + atOnce).map(async (c, j) => {
        // a thrown error (a dropped connection: the server panicked) is reported as a mismatch, even on both
        const [r, h] = (await Promise.allSettled([run(released.db, c, i + j), run(hub.db, c, i + j)])).map((s) =>
          s.status === 'fulfilled' ? s.value : `threw ${String(s.reason)}`,
        ) as [string, string];
        if (r !== h || r.startsWith('threw')) found.push({ name: c.name, op: canonical(c.op), released: r, hub: h });
      }),
    );
  }
  return found;
}

describe(`FerretDB as released and the hub's build (${patches.map((p) => p.name).join(', ')}) answer alike`, () => {
  const reads = readCases();
  // a $in or $nin of 20,000 values or more (0014, 0016): large queries, a group of their own
  const largeIn = (c: Case<ReadOperation>) => /\((0014|0016)\)$/.test(c.name);
  const groups: [string, (c: Case<ReadOperation>) => boolean][] = [
    ['finds', (c) => c.op.kind === 'find' && !c.name.startsWith('error') && !largeIn(c)],
    [
      'counts',
      (c) =>
        ['countDocuments', 'count', 'estimatedDocumentCount'].includes(c.op.kind) &&
        !c.name.startsWith('error') &&
        !largeIn(c),
    ],
    ['aggregations', (c) => c.op.kind === 'aggregate' && !c.name.startsWith('error') && !largeIn(c)],
    ['$in and $nin of 20,000 values or more', largeIn],
    ['distinct values', (c) => c.op.kind === 'distinct'],
    ['errors', (c) => c.name.startsWith('error')],
  ];

  // the large group sends 17 filters of 20,000 values to each build 3 times; on a loaded machine a group takes a minute
  test.each(groups)(
    '%s',
    async (_, belongs) => {
      const cases = reads.filter(belongs);
      expect(cases.length).toBeGreaterThan(0);
      expect(await mismatches(cases, (db, c) => read(db, c.collection, c.op))).toEqual([]);
    },
    300_000,
  );

  test('writes, and the collections after them', async () => {
    // each write gets fresh copies of its collection, with the same indexes
    const cases = writeCases();
    await Promise.all(
      [released, hub].flatMap((b) => cases.map((c, i) => load(b.db, `w${i}_${c.collection}`, c.collection))),
    );
    expect(await mismatches(cases, (db, c, i) => write(db, `w${i}_${c.collection}`, c.op))).toEqual([]);
  });

  test('update commands of many upserts, and the collections after them', async () => {
    // one at a time: on the released build a command holds a pool connection per matching statement (0021)
    const cases = upsertBatchCases();
    await Promise.all(
      [released, hub].flatMap((b) => cases.map((c, i) => load(b.db, `u${i}_${c.collection}`, c.collection))),
    );
    expect(await mismatches(cases, (db, c, i) => write(db, `u${i}_${c.collection}`, c.op), 1)).toEqual([]);
  }, 120_000);

  test('random filters (fast-check, fixed seed)', async () => {
    const value = fc.constantFrom(...FILTER_VALUES);
    const condition = fc.oneof(
      value,
      value.map((v) => ({ $eq: v })),
      fc.array(value, { maxLength: 4 }).map((vs) => ({ $in: vs })),
      fc.array(value, { maxLength: 3 }).map((vs) => ({ $nin: vs })),
      fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte', '$ne'), value).map(([op, v]) => ({ [op]: v })),
      fc.tuple(value, value).map(([lo, hi]) => ({ $gte: lo, $lt: hi })),
      fc.boolean().map((b) => ({ $exists: b })),
      fc.constantFrom('^a', 'a!', '文', '^WNA-0001', '^$', '\\\\', '[<>&]').map((r) => ({ $regex: r })),
    );
    const leaf = fc.tuple(fc.constantFrom(...FILTER_FIELDS), condition).map(([f, c]): Filter => ({ [f]: c }));
    const conjunction = fc.array(leaf, { minLength: 2, maxLength: 3 }).map((ls): Filter => Object.assign({}, ...ls));
    const simple = fc.oneof(leaf, conjunction);
    const logical = fc
      .tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(simple, { minLength: 1, maxLength: 3 }))
      .map(([op, fs]): Filter => ({ [op]: fs }));
    const shape = fc.constantFrom<{ sort?: Sort; limit?: number; skip?: number; batchSize?: number }>(
      {},
      { sort: { _id: 1 } },
      { sort: { _id: -1 }, limit: 2 },
      { sort: { _id: 1 }, limit: 5, batchSize: 2 },
      { sort: { _id: -1 }, skip: 1, limit: 3 },
      { sort: { region: 1, _id: -1 } },
    );
    const collection = fc.constantFrom<CollectionName>('mixed', 'strid');

    await fc.assert(
      fc.asyncProperty(collection, fc.oneof(simple, logical), shape, async (c, filter, s) => {
        for (const op of [
          { kind: 'find' as const, filter, ...s },
          { kind: 'countDocuments' as const, filter },
          {
            kind: 'aggregate' as const,
            pipeline: [{ $match: filter }, { $group: { _id: '$region', n: { $sum: 1 } } }],
            ordered: false,
          },
        ]) {
          const [r, h] = await Promise.all([read(released.db, c, op), read(hub.db, c, op)]);
          if (r !== h) {
            throw new Error(`${c}: ${canonical(op)}\nreleased: ${r}\nhub:      ${h}`);
          }
        }
      }),
      { seed: 20261207, numRuns: 300, endOnFailure: false },
    );
  }, 120_000);
});

describe('defects of the released build that the hub patches fix (the answers differ on purpose)', () => {
  const UNWIND_DOCS = [
    { _id: 1, a: [1, 2], b: 'x', n: { m: [3, 4], k: 1 } },
    { _id: 2, a: 5, b: 'y' },
    { _id: 3, b: 'z' },
    { _id: 4, a: [], b: 'e' },
    { _id: 5, a: null, b: 'n' },
  ];

  beforeAll(async () => {
    await Promise.all(
      [released, hub].map((b) => collectionOf(b.db, 'unwind').insertMany(UNWIND_DOCS.map((d) => ({ ...d })))),
    );
  });

  test('0006: $unwind keeps the whole document; the released build drops every other field', async () => {
    const pipeline = [{ $sort: { _id: 1 } }, { $unwind: '$a' }];
    // MongoDB: one copy of the document per element; a scalar is one element; missing, null and [] give none
    const mongodb = [
      { _id: 1, a: 1, b: 'x', n: { m: [3, 4], k: 1 } },
      { _id: 1, a: 2, b: 'x', n: { m: [3, 4], k: 1 } },
      { _id: 2, a: 5, b: 'y' },
    ];
    expect(await collectionOf(hub.db, 'unwind').aggregate(pipeline).toArray()).toEqual(mongodb);
    expect(await collectionOf(released.db, 'unwind').aggregate(pipeline).toArray()).toEqual([
      { _id: 1, a: 1 },
      { _id: 1, a: 2 },
      { _id: 2, a: 5, b: 'y' },
    ]);

    const nested = [{ $match: { _id: 1 } }, { $unwind: '$n.m' }];
    expect(await collectionOf(hub.db, 'unwind').aggregate(nested).toArray()).toEqual([
      { _id: 1, a: [1, 2], b: 'x', n: { m: 3, k: 1 } },
      { _id: 1, a: [1, 2], b: 'x', n: { m: 4, k: 1 } },
    ]);
  });

  test('0006: [$project without _id, $unwind] answers; the released build drops the connection', async () => {
    const pipeline = [{ $sort: { _id: 1 } }, { $project: { _id: 0, a: 1, b: 1 } }, { $unwind: '$a' }];
    expect(await collectionOf(hub.db, 'unwind').aggregate(pipeline).toArray()).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'x' },
      { a: 5, b: 'y' },
    ]);
    expect(await hub.db.command({ ping: 1 })).toMatchObject({ ok: 1 });

    // on an instance of its own: after the panic the released process exits at a later garbage collection
    const doomed = await startBuild('released-unwind', releasedBinary);
    try {
      await collectionOf(doomed.db, 'unwind').insertMany(UNWIND_DOCS.map((d) => ({ ...d })));
      await expect(collectionOf(doomed.db, 'unwind').aggregate(pipeline).toArray()).rejects.toMatchObject({
        name: expect.stringMatching(/^MongoNetwork/),
      });
    } finally {
      await doomed.stop();
    }
  });

  test('0016: deleteMany of 40,000 documents answers; the released build refuses it (too many SQL variables)', async () => {
    const listed = Array.from({ length: 40_000 }, (_, i) => `D-${String(i).padStart(6, '0')}`);
    const kept = Array.from({ length: 100 }, (_, i) => `keep-${String(i).padStart(3, '0')}`);
    const docs = [...listed, ...kept].map((_id, i) => ({ _id, k: 'bulk', i }));
    const [hubBulk, releasedBulk] = [hub, released].map((b) => collectionOf(b.db, 'bulk')) as [
      CorpusCollection,
      CorpusCollection,
    ];
    await Promise.all(
      [hubBulk, releasedBulk].map(async (c) => {
        for (let i = 0; i < docs.length; i += 5000) await c.insertMany(docs.slice(i, i + 5000));
      }),
    );

    // MongoDB: every listed document that exists is deleted, the others stay
    const filter = { _id: { $in: [...listed, ...Array.from({ length: 500 }, (_, i) => `none-${i}`)] } };
    expect(await hubBulk.deleteMany(filter)).toMatchObject({ deletedCount: 40_000 });
    expect((await hubBulk.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id)).toEqual(kept);

    // the released build takes minutes over that filter (each document against each value), so a cheap one
    // matching as many documents: it deletes them with one SQL variable each, past SQLite's 32,766
    await expect(releasedBulk.deleteMany({ k: 'bulk' })).rejects.toMatchObject({
      message: expect.stringMatching(/too many SQL variables/),
    });
    expect(await releasedBulk.countDocuments({})).toBe(docs.length);
  }, 300_000);

  describe('0021: an update command of many matching upserts answers; the released build never does', () => {
    const cells = (from: number, to: number, step = 1) =>
      Array.from(
        { length: Math.ceil((to - from) / step) },
        (_, i) => `cell:${String(from + i * step).padStart(4, '0')}`,
      );
    // the hub's counters (ForeignerTallies): one `$inc` upsert per cell
    const upserts = (ids: string[]) =>
      ids.map((_id) => ({
        updateOne: { filter: { _id }, update: { $inc: { n: 1 }, $setOnInsert: { level: 'PROVINCE' } }, upsert: true },
      }));

    test('1,000 upserts, 500 matching, then 1,000 matching', async () => {
      const coll = collectionOf(hub.db, 'cells');
      await coll.insertMany(cells(0, 1000, 2).map((_id) => ({ _id, n: 1, level: 'PROVINCE' })));

      // MongoDB: a matching statement increments, the others insert the filter's _id with the update applied
      expect(await coll.bulkWrite(upserts(cells(0, 1000)), { ordered: true })).toMatchObject({
        matchedCount: 500,
        modifiedCount: 500,
        upsertedCount: 500,
      });
      expect(await coll.bulkWrite(upserts(cells(0, 1000)), { ordered: false })).toMatchObject({
        matchedCount: 1000,
        modifiedCount: 1000,
        upsertedCount: 0,
      });
      const stored = await coll.find({}, { sort: { _id: 1 } }).toArray();
      expect(stored).toEqual(cells(0, 1000).map((_id, i) => ({ _id, n: i % 2 ? 2 : 3, level: 'PROVINCE' })));
    }, 120_000);

    test('the released build: 100 matching statements wait for a 101st pool connection forever', async () => {
      // on an instance of its own: the waiting command never gives its connections back
      const doomed = await startBuild('released-upserts', releasedBinary);
      try {
        const coll = collectionOf(doomed.db, 'cells');
        await coll.insertMany(cells(0, 100).map((_id) => ({ _id, n: 1 })));
        const noAnswer = new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 10 s'), 10_000));
        const answer = coll.bulkWrite(upserts(cells(0, 100)), { ordered: true }).then(
          () => 'answered',
          (e: Error) => `failed: ${e.message}`,
        );
        expect(await Promise.race([answer, noAnswer])).toBe('no answer in 10 s');
        // waiting, not dead: the server still answers what needs no connection of that database
        expect(await doomed.db.admin().command({ ping: 1 })).toMatchObject({ ok: 1 });
      } finally {
        await doomed.stop();
      }
    }, 60_000);
  });

  describe('0007: an update that violates a unique index answers 11000 DuplicateKey; the released build answers 1', () => {
    const writes: [string, (db: Db, coll: string) => Promise<unknown>][] = [
      ['updateOne', (db, c) => collectionOf(db, c).updateOne({ _id: 'b' }, { $set: { code: 'C1' } })],
      ['updateMany', (db, c) => collectionOf(db, c).updateMany({}, { $set: { code: 'SAME' } })],
      ['replaceOne', (db, c) => collectionOf(db, c).replaceOne({ _id: 'b' }, { code: 'C1' })],
      ['findOneAndUpdate', (db, c) => collectionOf(db, c).findOneAndUpdate({ _id: 'b' }, { $set: { code: 'C1' } })],
      [
        'updateOne with upsert that matches',
        (db, c) => collectionOf(db, c).updateOne({ _id: 'b' }, { $set: { code: 'C1' } }, { upsert: true }),
      ],
    ];

    test.each(writes)('%s', async (name, run) => {
      const coll = `uniq_${name.replace(/\W+/g, '_')}`;
      const answers = await Promise.all(
        [released, hub].map(async (b) => {
          await collectionOf(b.db, coll).insertMany([
            { _id: 'a', code: 'C1' },
            { _id: 'b', code: 'C2' },
          ]);
          await collectionOf(b.db, coll).createIndex({ code: 1 }, { unique: true });
          const error = await run(b.db, coll).then(
            () => null,
            (e: { code?: unknown; codeName?: unknown; message?: string }) => e,
          );
          const after = await collectionOf(b.db, coll).find({}).sort({ _id: 1 }).toArray();
          return { error, after };
        }),
      );
      const [r, h] = answers as [(typeof answers)[0], (typeof answers)[0]];
      expect(r.error).toMatchObject({ code: 1 });
      expect(h.error).toMatchObject({ code: 11000, message: expect.stringMatching(/^E11000 duplicate key error/) });
      if (name === 'findOneAndUpdate') expect(h.error).toMatchObject({ codeName: 'DuplicateKey' });
      // as in MongoDB, the refused document is unchanged (updateMany changed the first one before the second failed)
      const expected =
        name === 'updateMany'
          ? [
              { _id: 'a', code: 'SAME' },
              { _id: 'b', code: 'C2' },
            ]
          : [
              { _id: 'a', code: 'C1' },
              { _id: 'b', code: 'C2' },
            ];
      expect(h.after).toEqual(expected);
      expect(r.after).toEqual(expected);
    });
  });
});
