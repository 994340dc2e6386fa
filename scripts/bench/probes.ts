/**
 * Measurements of FerretDB's query shapes on the seeded data, straight through the driver while
 * the services are idle: what a full scan costs per document, and, for each collection the
 * subgraphs read per foreigner, the query they send today (`{ foreignerId: { $in: […] } }`,
 * which FerretDB's SQLite backend answers by reading and decoding every document) against the
 * shape of a proposed data design, one document per foreigner keyed by the foreigner's id
 * (`{ _id: <id> }`, which FerretDB pushes down to SQLite). The keyed documents are built in a
 * scratch database of the benchmark (`bench_probe`) from the seeded records.
 */
import type { mongo } from 'mongoose';
import { ONE_REPLY } from '../../common/db/loaders.js';

type Doc = mongo.Document;

/** The collections the subgraphs read per foreigner: database, collection, key field, sort. */
export const PER_FOREIGNER = [
  { db: 'immigration', collection: 'stay_permits', field: 'foreignerId', sort: { expiresAt: -1, _id: 1 } },
  { db: 'immigration', collection: 'border_crossings', field: 'foreignerId', sort: { crossedAt: -1, _id: 1 } },
  { db: 'immigration', collection: 'watchlist_entries', field: 'foreignerId', sort: { since: -1, _id: 1 } },
  { db: 'immigration', collection: 'immigration_actions', field: 'foreignerId', sort: { decidedAt: -1, _id: 1 } },
  { db: 'police', collection: 'self_report_certificates', field: 'foreignerId', sort: { issuedAt: -1, _id: 1 } },
  { db: 'police', collection: 'incidents', field: 'foreignerIds', sort: { occurredAt: -1, _id: 1 } },
  {
    db: 'local-government',
    collection: 'residences',
    field: 'foreignerId',
    sort: { registeredAt: -1, _id: 1 },
  },
  { db: 'local-government', collection: 'employments', field: 'foreignerId', sort: { startedOn: -1, _id: 1 } },
  {
    db: 'local-government',
    collection: 'community_reports',
    field: 'foreignerId',
    sort: { reportedAt: -1, _id: 1 },
  },
] as const;

export interface CollectionProbe {
  collection: string;
  documents: number;
  /** Median ms of `{ field: { $in: [one id] } }` with the subgraph's sort (today's single-foreigner read). */
  inOneMs: number;
  /** Median ms of `{ _id: <foreigner id> }` on the keyed collection. */
  idOneMs: number;
  /** Ms of `{ field: { $in: [the page's 100 ids] } }` (today's page read; it also builds the keyed documents). */
  inPageMs: number;
  /** Median ms of 100 concurrent `{ _id: <id> }` reads on the keyed collection. */
  idEachPageMs: number;
}

export interface ProbeResults {
  foreigners: number;
  /** Microseconds per document of a full scan of `foreigners` (a filter no document matches). */
  scanUsPerDocument: number;
  /** Median ms of a full scan of `foreigners`. */
  scanMs: number;
  /** Median ms of `{ _id: <id> }` on `foreigners` (pushed down). */
  idLookupMs: number;
  /**
   * Median ms of the same lookup for a caller with a jurisdiction, as `byIdLoader` asks it:
   * `{ $and: [{ _id: <id> }, { domicileRegency: '16.01' }] }`, which FerretDB does not push down.
   */
  scopedIdLookupMs?: number;
  /** Median ms of `{ domicileRegency: '16.01' }` sorted by `_id`, limit 101 (the page's first read). */
  pageFindMs: number;
  /** Median ms of `countDocuments({ domicileRegency: '16.01' })` (an aggregation; the page's `totalCount`). */
  pageCountMs: number;
  /** Median ms of the `count` command with the same query. */
  pageCountCommandMs: number;
  collections: CollectionProbe[];
  /** Sums over the nine collections, for one foreigner's profile: today, and keyed by `_id`. */
  profileDbMs: { today: number; keyed: number };
}

async function median(times: number, run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** `{ _id: foreignerId, records: […] }` for each foreigner of `docs`. */
function keyedDocuments(docs: Doc[], field: string, ids: ReadonlySet<string>): Doc[] {
  const byForeigner = new Map<string, Doc[]>();
  for (const doc of docs) {
    const keys = Array.isArray(doc[field]) ? (doc[field] as string[]) : [String(doc[field])];
    for (const key of keys) {
      if (!ids.has(key)) continue;
      const list = byForeigner.get(key);
      if (list) list.push(doc);
      else byForeigner.set(key, [doc]);
    }
  }
  return [...byForeigner].map(([id, records]) => ({ _id: id, records }));
}

/**
 * `pageIds` are the foreigners of the page workload: the page-shaped reads ask for them, and
 * the keyed documents are built for them (a keyed lookup costs the same in a collection of 100
 * documents as in one of 50,000: SQLite finds the row by its primary key; the `_id` lookup on
 * `foreigners`, at full size, shows it).
 */
export async function runProbes(
  dbs: Record<string, mongo.Db>,
  scratch: mongo.Db,
  pageIds: string[],
  log: (message: string) => void,
): Promise<ProbeResults> {
  const foreigners = dbs.immigration!.collection('foreigners');
  const count = await foreigners.countDocuments({});
  const repeats = count <= 2000 ? 3 : count <= 20_000 ? 2 : 1;
  const scanMs = await median(repeats, () => foreigners.find({ __bench_absent: true }).toArray());
  let k = 0;
  const nextId = () => pageIds[k++ % pageIds.length]!;
  const idLookupMs = await median(20, () => foreigners.find({ _id: nextId() } as Doc).toArray());
  const scopedIdLookupMs = await median(repeats, () =>
    foreigners.find({ $and: [{ _id: nextId() }, { domicileRegency: '16.01' }] } as Doc).toArray(),
  );
  const pageFilter = { domicileRegency: '16.01' };
  const pageFindMs = await median(repeats, () =>
    foreigners.find(pageFilter).sort({ _id: 1 }).limit(101).batchSize(101).toArray(),
  );
  const pageCountMs = await median(repeats, () => foreigners.countDocuments(pageFilter));
  const pageCountCommandMs = await median(repeats, () =>
    dbs.immigration!.command({ count: 'foreigners', query: pageFilter }),
  );

  const ids = new Set(pageIds);
  const collections: CollectionProbe[] = [];
  for (const spec of PER_FOREIGNER) {
    const source = dbs[spec.db]!.collection(spec.collection);
    const keyed = scratch.collection(`keyed_${spec.collection}`);
    log(`    probing ${spec.collection}…`);
    const started = performance.now();
    const pageDocs = await source
      .find({ [spec.field]: { $in: pageIds } })
      .sort(spec.sort)
      .batchSize(ONE_REPLY)
      .toArray();
    const inPageMs = performance.now() - started;
    const docs = keyedDocuments(pageDocs, spec.field, ids);
    if (docs.length > 0) await keyed.insertMany(docs, { ordered: false });
    collections.push({
      collection: `${spec.db}.${spec.collection}`,
      documents: await source.estimatedDocumentCount(),
      inOneMs: await median(repeats, () =>
        source
          .find({ [spec.field]: { $in: [nextId()] } })
          .sort(spec.sort)
          .batchSize(ONE_REPLY)
          .toArray(),
      ),
      idOneMs: await median(20, () => keyed.find({ _id: nextId() } as Doc).toArray()),
      inPageMs,
      idEachPageMs: await median(repeats, () =>
        Promise.all(pageIds.map((id) => keyed.find({ _id: id } as Doc).toArray())),
      ),
    });
  }
  await scratch.dropDatabase();
  return {
    foreigners: count,
    scanUsPerDocument: (scanMs * 1000) / count,
    scanMs,
    idLookupMs,
    scopedIdLookupMs,
    pageFindMs,
    pageCountMs,
    pageCountCommandMs,
    collections,
    profileDbMs: {
      today: collections.reduce((s, c) => s + c.inOneMs, 0),
      keyed: collections.reduce((s, c) => s + c.idOneMs, 0),
    },
  };
}
