/**
 * The seed's bulk load (`bulk: true`, the benchmark's national-scale run) writes the same
 * documents as the regular seed and leaves the same indexes: it only drops the per-foreigner
 * collections' secondary indexes before the first write and builds them after the last.
 */
import type { mongo } from 'mongoose';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { connectDatabase, type Database } from '../../common/db/connection.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { testMongoUri, uniqueDbName } from '../helpers/env.js';

const COUNT = 120;
const REFERENCE_DATE = new Date('2026-11-29T00:00:00Z');

type Databases = Record<SubgraphName, Database>;

async function seeded(label: string, bulk: boolean): Promise<Databases> {
  const dbs = Object.fromEntries(
    await Promise.all(
      SUBGRAPH_NAMES.map(async (n) => [n, await connectDatabase(testMongoUri(), uniqueDbName(`${label}_${n}`))]),
    ),
  ) as Databases;
  const connections = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, dbs[n].connection])) as Record<
    SubgraphName,
    Database['connection']
  >;
  await seedDemoData({ connections, count: COUNT, referenceDate: REFERENCE_DATE, bulk });
  return dbs;
}

/** Every collection's documents in `_id` order, and its index keys, by collection name. */
async function contents(db: mongo.Db) {
  const out: Record<string, { docs: unknown[]; indexes: unknown[] }> = {};
  for (const { name } of await db.listCollections().toArray()) {
    const collection = db.collection(name);
    const indexes = (await collection.indexes()).map((i) => ({ key: i.key, unique: i.unique ?? false }));
    indexes.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    out[name] = { docs: await collection.find().sort({ _id: 1 }).toArray(), indexes };
  }
  return out;
}

let regular: Databases;
let bulk: Databases;

beforeAll(async () => {
  regular = await seeded('seed_regular', false);
  bulk = await seeded('seed_bulk', true);
}, 180_000);

afterAll(async () => {
  for (const dbs of [regular, bulk]) {
    if (!dbs) continue;
    for (const n of SUBGRAPH_NAMES) {
      await dbs[n].connection.db?.dropDatabase();
      await dbs[n].close();
    }
  }
});

test.each(SUBGRAPH_NAMES)('a bulk load writes what the regular seed writes, with the same indexes (%s)', async (n) => {
  const a = await contents(regular[n].connection.db!);
  const b = await contents(bulk[n].connection.db!);
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const name of Object.keys(a)) {
    // the migration marker records when it was written
    if (name === 'migrations') continue;
    expect({ name, ...b[name] }).toEqual({ name, ...a[name] });
  }
});
