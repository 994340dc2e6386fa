/**
 * Demo data for OKU Raya, written into the three subgraph databases through the subgraphs'
 * own models: TIMPORA's member institutions, meeting and operations, and `count` fictional
 * foreigners with their permits, journeys, TAK and cekal entries (immigration), SKLDs and
 * incidents (police), and SKTTs, employment and community reports (local government).
 *
 * Deterministic: the same count and reference date give the same documents, byte for byte.
 * Foreigner `i` draws from its own seeded generator, so the first 3,000 of a 20,000 seed
 * are the 3,000 of a 3,000 seed. Foreigners are generated and inserted in batches (the
 * next batch is generated while the previous one is written), so 200,000 fit in modest memory.
 */
import type { Connection } from 'mongoose';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import type { RecordModel } from '../../common/db/connection.js';
import { now } from '../../common/clock.js';
import { runMigrationOnce } from '../../common/db/migrations.js';
import { officialRegions } from '../../common/regions.js';
import { coordinationModels } from '../../subgraphs/immigration/src/models/coordination.js';
import {
  LAST_CROSSING_MIGRATION,
  NAME_TRIGRAMS_MIGRATION,
  foreignerModels as immigrationForeignerModels,
} from '../../subgraphs/immigration/src/models/foreigner.js';
import {
  TALLIES_MIGRATION,
  TALLY_ROLLUPS_MIGRATION,
  tallyModels,
} from '../../subgraphs/immigration/src/models/foreigner-tally.js';
import { immigrationData } from '../../subgraphs/immigration/src/data.js';
import { tallyStamp } from '../../subgraphs/immigration/src/services/foreigner-tallies.js';
import { communityReportModels } from '../../subgraphs/local-government/src/models/community-report.js';
import { foreignerModels as localGovernmentForeignerModels } from '../../subgraphs/local-government/src/models/foreigner.js';
import { incidentModels } from '../../subgraphs/police/src/models/incident.js';
import { selfReportModels } from '../../subgraphs/police/src/models/self-report.js';
import { AGENCIES } from './coordination.js';
import { DEFAULT_REFERENCE_DATE, startOfDay } from './dates.js';
import { historyDocuments } from './history-documents.js';
import { planHistory } from './history-plan.js';
import { HistoryTally } from './history-tally.js';
import { PeopleGenerator } from './people.js';
import { emptyDocs, type SeedDocs } from './person.js';
import { Places } from './places.js';

export { DEFAULT_REFERENCE_DATE } from './dates.js';

export const MAX_SEED_COUNT = 200_000;
/** Most foreigners of a bulk load (`bulk: true`), a national registry and then some. */
export const BULK_MAX_SEED_COUNT = 1_000_000;
export const DEFAULT_SEED_COUNT = 3000;
/** How long loading the default demo data usually takes on the embedded database (measured; README, "Quick start"). */
export const USUAL_SEED_TIME = 'usually 3 to 15 s per 1,000 foreigners, depending on how busy the machine is';
/** Foreigners generated and written per batch. */
export const BATCH_SIZE = 1000;
/** Foreigners per batch of a bulk load. */
const BULK_BATCH_SIZE = 5000;

export interface SeedOptions {
  connections: Record<SubgraphName, Connection>;
  /** Number of foreigners, 1 to 200,000. */
  count: number;
  /** "Today" of the demo data; permits, journeys and reports are placed relative to it. */
  referenceDate?: Date;
  log?: (message: string) => void;
  /**
   * A bulk load (the benchmark's national-scale run, up to {@link BULK_MAX_SEED_COUNT}): the
   * per-foreigner collections' secondary indexes are dropped before the first write and built
   * once after the last (SQLite builds an index from a sorted scan far faster than it keeps
   * one up to date row by row), batches are larger, and each batch is one `insertMany`
   * through the driver. The documents are the same as without it.
   */
  bulk?: boolean;
}

export interface SeedSummary {
  count: number;
  referenceDate: Date;
  /** Documents written, per subgraph and collection. */
  collections: Record<SubgraphName, Record<string, number>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- models of different document types
type AnyModel = RecordModel<any>;

/** A collection the seed writes, the model that owns it, and its documents in a batch. */
interface Target {
  subgraph: SubgraphName;
  model: AnyModel;
  docs: (batch: SeedDocs) => readonly object[];
}

function targets(connections: Record<SubgraphName, Connection>): {
  fixed: { model: AnyModel; docs: readonly object[]; subgraph: SubgraphName }[];
  perBatch: Target[];
  coordination: ReturnType<typeof coordinationModels>;
  tallies: ReturnType<typeof immigrationData>['tallies'];
} {
  const immigration = immigrationForeignerModels(connections.immigration);
  const tallies = tallyModels(connections.immigration);
  const coordination = coordinationModels(connections.immigration);
  const incidents = incidentModels(connections.police);
  const selfReports = selfReportModels(connections.police);
  const residence = localGovernmentForeignerModels(connections['local-government']);
  const reports = communityReportModels(connections['local-government']);
  return {
    coordination,
    tallies: immigrationData(immigration, tallies).tallies,
    fixed: [
      { subgraph: 'immigration', model: coordination.Agency, docs: AGENCIES },
      // counted per batch, from the foreigners' stamps (`tallyStamp`)
      { subgraph: 'immigration', model: tallies.ForeignerTally, docs: [] },
      // written after the foreigners, from what the data says on each day (history-documents.ts)
      { subgraph: 'immigration', model: coordination.CoordinationMeeting, docs: [] },
      { subgraph: 'immigration', model: coordination.JointOperation, docs: [] },
    ],
    perBatch: [
      { subgraph: 'immigration', model: immigration.Foreigner, docs: (b) => b.foreigners },
      { subgraph: 'immigration', model: immigration.StayPermit, docs: (b) => b.stayPermits },
      { subgraph: 'immigration', model: immigration.BorderCrossing, docs: (b) => b.borderCrossings },
      { subgraph: 'immigration', model: immigration.WatchlistEntry, docs: (b) => b.watchlistEntries },
      { subgraph: 'immigration', model: immigration.ImmigrationAction, docs: (b) => b.immigrationActions },
      { subgraph: 'police', model: selfReports.SelfReportCertificate, docs: (b) => b.selfReports },
      { subgraph: 'police', model: incidents.Incident, docs: (b) => b.incidents },
      { subgraph: 'local-government', model: residence.Residence, docs: (b) => b.residences },
      { subgraph: 'local-government', model: residence.Employment, docs: (b) => b.employments },
      { subgraph: 'local-government', model: reports.CommunityReport, docs: (b) => b.communityReports },
    ],
  };
}

/** True when the immigration database holds no foreigner (`npm start` then seeds). */
export async function isDatabaseEmpty(
  connections: Pick<Record<SubgraphName, Connection>, 'immigration'>,
): Promise<boolean> {
  const { Foreigner } = immigrationForeignerModels(connections.immigration);
  return (await Foreigner.exists({})) === null;
}

/** Checks the documents of the first batch against the models' schemas (types, enums, required). */
async function validateSample(target: { model: AnyModel }, docs: readonly object[]): Promise<void> {
  for (const doc of docs.slice(0, 2000)) {
    try {
      await new target.model(doc).validate();
    } catch (e) {
      throw new Error(
        `seed document for ${target.model.collection.collectionName} is invalid: ${(e as Error).message}`,
      );
    }
  }
}

async function insert(target: { model: AnyModel }, docs: readonly object[], bulk = false): Promise<void> {
  if (docs.length === 0) return;
  if (bulk) {
    // the driver splits the batch into as few commands as the server's message size allows
    await target.model.collection.insertMany(docs as never[], { ordered: true });
    return;
  }
  // lean: the documents are complete and validated in the first batch; skipping mongoose
  // hydration keeps 200,000 foreigners fast. One round trip per 5,000 documents.
  for (let i = 0; i < docs.length; i += 5000) {
    await target.model.insertMany(docs.slice(i, i + 5000), { lean: true, ordered: true });
  }
}

export async function seedDemoData(options: SeedOptions): Promise<SeedSummary> {
  const { connections, count } = options;
  const bulk = options.bulk ?? false;
  const log = options.log ?? (() => {});
  const max = bulk ? BULK_MAX_SEED_COUNT : MAX_SEED_COUNT;
  if (!Number.isInteger(count) || count < 1 || count > max) {
    throw new RangeError(`count must be an integer from 1 to ${max} (got ${count})`);
  }
  const batchSize = bulk ? BULK_BATCH_SIZE : BATCH_SIZE;
  const referenceDate = startOfDay(options.referenceDate ?? DEFAULT_REFERENCE_DATE);
  const { fixed, perBatch, coordination, tallies } = targets(connections);
  const all = [...fixed, ...perBatch];

  // collections and indexes exist before the first write; refuse to seed over existing data
  await Promise.all(all.map((t) => t.model.init()));
  const nonEmpty: string[] = [];
  for (const t of all) {
    if (await t.model.exists({})) nonEmpty.push(`${t.subgraph}.${t.model.collection.collectionName}`);
  }
  if (nonEmpty.length > 0) {
    throw new Error(
      `The databases already hold data (${nonEmpty.join(', ')}); drop them first (npm run seed -- --reset).`,
    );
  }
  // a bulk load builds the per-foreigner collections' indexes after the data (`_id`'s stays)
  if (bulk) for (const t of perBatch) await t.model.collection.dropIndexes();

  const collections: SeedSummary['collections'] = { immigration: {}, police: {}, 'local-government': {} };
  const tally = (t: { subgraph: SubgraphName; model: AnyModel }, n: number) => {
    const name = t.model.collection.collectionName;
    collections[t.subgraph][name] = (collections[t.subgraph][name] ?? 0) + n;
  };

  // the statistics' counters: each foreigner is stamped with its cell as of this instant (the
  // hub's clock, whatever the reference date) and counted per batch; the zones' days first
  const stampedAt = now();
  await tallies.startDays(stampedAt);
  for (const t of fixed) {
    await validateSample(t, t.docs);
    await insert(t, t.docs);
    tally(t, t.docs.length);
  }
  const regions = await officialRegions();
  const places = new Places(regions);
  const history = new HistoryTally(planHistory(referenceDate));
  const generator = new PeopleGenerator(places, referenceDate);
  const batches = Math.ceil(count / batchSize);
  const logEvery = Math.max(1, Math.round(batches / 20));
  log(
    `Generating ${count.toLocaleString('en-US')} foreigners (reference date ${referenceDate.toISOString().slice(0, 10)}) in ${batches} batch${batches === 1 ? '' : 'es'}`,
  );

  // generation yields to the event loop now and then, so the writes of the previous batch
  // keep flowing to the database while the next batch is generated
  const generate = async (b: number): Promise<SeedDocs> => {
    const docs = emptyDocs();
    const end = Math.min(count, (b + 1) * batchSize);
    for (let i = b * batchSize; i < end; i++) {
      generator.generate(i, docs);
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    history.observe(docs);
    for (const f of docs.foreigners) Object.assign(f, tallyStamp(f, stampedAt));
    return docs;
  };
  const write = async (docs: SeedDocs): Promise<void> => {
    // the three databases are written in parallel; within one, collection after collection
    await Promise.all(
      (['immigration', 'police', 'local-government'] as const).map(async (subgraph) => {
        for (const t of perBatch.filter((x) => x.subgraph === subgraph)) {
          const list = t.docs(docs);
          await insert(t, list, bulk);
          tally(t, list.length);
        }
        if (subgraph === 'immigration') await countForeigners(docs);
      }),
    );
  };
  // after the batch's foreigners are written: one upsert per cell the batch counts in
  const countForeigners = async (docs: SeedDocs): Promise<void> => {
    const stamps = new Map<string, number>();
    for (const f of docs.foreigners) stamps.set(f.tallyCell!, (stamps.get(f.tallyCell!) ?? 0) + 1);
    await tallies.increment(stamps);
  };

  const started = performance.now();
  let current = await generate(0);
  for (const t of perBatch) await validateSample(t, t.docs(current));
  for (let b = 0; b < batches; b++) {
    const writing = write(current);
    // generate the next batch while this one is being written
    const [, next] = await Promise.all([writing, b + 1 < batches ? generate(b + 1) : null]);
    const done = Math.min(count, (b + 1) * batchSize);
    if ((b + 1) % logEvery === 0 || b + 1 === batches) {
      const seconds = (performance.now() - started) / 1000;
      log(
        `  ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} foreigners written (${seconds.toFixed(1)} s)`,
      );
    }
    if (next) current = next;
  }
  if (bulk) {
    const indexing = performance.now();
    // the three databases in parallel, one index at a time in each (SQLite writes one at a time)
    await Promise.all(
      (['immigration', 'police', 'local-government'] as const).map(async (subgraph) => {
        for (const t of perBatch.filter((x) => x.subgraph === subgraph)) await t.model.createIndexes();
      }),
    );
    log(`  indexes built in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
  }
  const { meetings, operations } = historyDocuments(history, regions);
  for (const [model, docs] of [
    [coordination.CoordinationMeeting, meetings],
    [coordination.JointOperation, operations],
  ] as const) {
    await validateSample({ model }, docs);
    await insert({ model }, docs);
    tally({ subgraph: 'immigration', model }, docs.length);
  }
  log(
    `TIMPORA OKU Raya: ${AGENCIES.length} member institutions, ${meetings.length} coordination meetings${meetings.length ? ` (the last on ${meetings.at(-1)!.heldOn.toISOString().slice(0, 10)})` : ''}, ${operations.length} joint operations`,
  );
  await finishMigrations(connections);
  collections.immigration.foreigner_tallies = await tallyModels(connections.immigration)
    .ForeignerTally.countDocuments({})
    .exec();
  return { count, referenceDate, collections };
}

/** The seed's result as a table of documents per subgraph and collection, with the total time. */
export function seedSummaryLines(summary: SeedSummary, seconds: number): string[] {
  const rows: [string, string, string][] = [];
  for (const name of SUBGRAPH_NAMES) {
    for (const [collection, n] of Object.entries(summary.collections[name])) {
      rows.push([name, collection, n.toLocaleString('en-US')]);
    }
  }
  const header: [string, string, string] = ['subgraph', 'collection', 'documents'];
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => r[i as 0 | 1 | 2].length)));
  const line = (r: [string, string, string]) =>
    `  ${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padStart(widths[2]!)}`;
  const rule = `  ${'-'.repeat(widths[0]! + widths[1]! + widths[2]! + 4)}`;
  const total = rows.reduce((sum, r) => sum + Number(r[2].replace(/,/g, '')), 0);
  return [
    line(header),
    rule,
    ...rows.map(line),
    rule,
    line(['', 'total', total.toLocaleString('en-US')]),
    '',
    `Seeded ${summary.count.toLocaleString('en-US')} foreigners (reference date ${summary.referenceDate.toISOString().slice(0, 10)}) in ${seconds.toFixed(1)} s.`,
  ];
}

/**
 * Records the one-off migrations whose work the seed has done as done: it writes the latest
 * crossing, the name's trigrams and the tally stamp on every foreigner (and counts them), so a
 * start has nothing to backfill.
 */
async function finishMigrations(connections: Record<SubgraphName, Connection>) {
  for (const name of [LAST_CROSSING_MIGRATION, NAME_TRIGRAMS_MIGRATION, TALLIES_MIGRATION, TALLY_ROLLUPS_MIGRATION]) {
    await runMigrationOnce(connections.immigration, name, async () => 'written by the seed');
  }
}
