/**
 * A foreigner's record index: in each subgraph's database, one document per foreigner, keyed by
 * the foreigner's id, listing the ids of the records the subgraph holds about them by kind:
 *
 *     { _id: 'WNA-000042', stayPermits: ['2C11AA0042'], borderCrossings: ['…', '…'] }
 *
 * FerretDB's SQLite backend searches an index only for a filter on `_id` alone, so "the records
 * of this foreigner" asked as `{ foreignerId }` reads the whole collection (53.7 s for one
 * profile's reads at 50,000 foreigners, docs/BENCHMARKS.md); through the index it is one `_id`
 * lookup per foreigner and one per record. On MongoDB the same reads are index searches too.
 *
 * Without transactions, a record and its index entry are two writes. The entry is written
 * first and readers skip ids without a record, so a failure between the two leaves nothing
 * visible: the record was never written, and its id in the index points at nothing.
 */
import DataLoader from 'dataloader';
import { Schema, type Connection, type Model } from 'mongoose';
import { ONE_REPLY, byIdLoader, compareBy, type RowPredicate, type SortSpec } from './loaders.js';
import { runMigrationOnce } from './migrations.js';
import { isDuplicateKey } from './errors.js';

export const RECORD_INDEX_COLLECTION = 'foreigner_records';

/** A foreigner's entry: the foreigner's id and, by kind, record ids. */
export interface RecordIndexDoc {
  _id: string;
  [kind: string]: string | string[] | undefined;
}

/** The record ids of one kind in an entry. */
function idsIn(entry: RecordIndexDoc | null | undefined, kind: string): string[] {
  const ids = entry?.[kind];
  return Array.isArray(ids) ? ids : [];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any record model; rows are read lean
type AnyModel<T> = Model<T, any, any, any>;

/** Where the records of one kind live and which foreigners a record is about. */
export interface IndexedKind {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own record type
  model: AnyModel<any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a row of that model
  foreignerIds: (row: any) => readonly string[];
}

/** Where an index lives: the foreigners' record index by default; another key (a region) elsewhere. */
export interface IndexLocation {
  collection: string;
  /** The mongoose model's name on the connection. */
  modelName: string;
  /** The one-off migration that builds it from the records (see `ensureRecordIndex`). */
  migration: string;
}

/** The migration that builds a database's record index from its records (see `ensureRecordIndex`). */
export const RECORD_INDEX_MIGRATION = 'foreigner-record-index';

const FOREIGNER_RECORDS: IndexLocation = {
  collection: RECORD_INDEX_COLLECTION,
  modelName: 'ForeignerRecordIndex',
  migration: RECORD_INDEX_MIGRATION,
};

export class RecordIndex<K extends string> {
  readonly model: Model<RecordIndexDoc>;

  constructor(
    connection: Connection,
    private readonly kinds: { readonly [kind in K]: IndexedKind },
    readonly location: IndexLocation = FOREIGNER_RECORDS,
  ) {
    this.model =
      (connection.models[location.modelName] as Model<RecordIndexDoc> | undefined) ??
      connection.model<RecordIndexDoc>(
        location.modelName,
        new Schema<RecordIndexDoc>(
          { _id: { type: String, required: true } },
          { strict: false, versionKey: false, collection: location.collection },
        ),
      );
  }

  /**
   * Lists a record under each of its foreigners; call it before writing the record (see the
   * module comment). One `_id` upsert per foreigner.
   */
  async add(kind: K, recordId: string, foreignerIds: readonly string[]): Promise<void> {
    for (const foreignerId of new Set(foreignerIds)) {
      const upsert = () =>
        this.model.updateOne({ _id: foreignerId }, { $addToSet: { [kind]: recordId } }, { upsert: true }).exec();
      // two first writes about one foreigner may race to insert the entry: the loser's upsert
      // fails on the duplicate `_id` (MongoDB retries it itself); the entry exists now, so once
      // more updates it. Updates themselves are atomic (on FerretDB by the hub's build, see
      // `FERRETDB_PATCHES`), so concurrent writes about one foreigner keep every id.
      await upsert().catch((e: unknown) => (isDuplicateKey(e) ? upsert() : Promise.reject(e)));
    }
  }

  /** Takes a record off its foreigners' entries (a write that failed after `add`). */
  async remove(kind: K, recordId: string, foreignerIds: readonly string[]): Promise<void> {
    for (const foreignerId of new Set(foreignerIds)) {
      await this.model.updateOne({ _id: foreignerId }, { $pull: { [kind]: recordId } }).exec();
    }
  }

  /** Per request: the entries of foreigners by id. */
  entryLoader(): DataLoader<string, RecordIndexDoc | null> {
    return byIdLoader(this.model as AnyModel<RecordIndexDoc>);
  }

  /**
   * Per request: each foreigner's records of one kind, in `sort` order, read by `_id` through the
   * request's `entries` loader (shared by every kind). Rows `allow` refuses are left out.
   */
  recordsLoader<T extends { _id: string }>(
    entries: DataLoader<string, RecordIndexDoc | null>,
    kind: K,
    options: { sort: SortSpec; allow?: RowPredicate | null },
  ): DataLoader<string, T[]> {
    const records = byIdLoader<T>(this.kinds[kind].model, options.allow);
    const order = compareBy<T>(options.sort);
    return new DataLoader(async (foreignerIds) => {
      const found = await entries.loadMany(foreignerIds);
      const idsOf = found.map((entry) => (entry instanceof Error ? [] : idsIn(entry, kind)));
      const rows = await records.loadMany([...new Set(idsOf.flat())]);
      const byId = new Map<string, T>();
      for (const row of rows) if (row && !(row instanceof Error)) byId.set(row._id, row);
      return idsOf.map((ids) =>
        ids
          .map((id) => byId.get(id))
          .filter((row): row is T => row !== undefined)
          .sort(order),
      );
    });
  }

  /** The ids of one foreigner's records of a kind (for a service's own reads and writes). */
  async idsOf(kind: K, foreignerId: string): Promise<string[]> {
    const entry = await this.model.findOne({ _id: foreignerId }).lean<RecordIndexDoc>().exec();
    return idsIn(entry, kind);
  }

  /**
   * Builds the whole index from the records (a database written before the index existed, or
   * loaded in bulk): reads each kind's ids and foreigners once, then replaces the collection.
   * Returns the number of foreigners indexed.
   */
  async rebuild(): Promise<number> {
    const entries = new Map<string, RecordIndexDoc>();
    for (const [kind, source] of Object.entries(this.kinds) as [K, IndexedKind][]) {
      const rows = (await source.model.find({}).batchSize(ONE_REPLY).lean().exec()) as { _id: string }[];
      for (const row of rows) {
        for (const foreignerId of new Set(source.foreignerIds(row))) {
          let entry = entries.get(foreignerId);
          if (!entry) entries.set(foreignerId, (entry = { _id: foreignerId }));
          const ids = idsIn(entry, kind);
          if (ids.length === 0) entry[kind] = ids;
          ids.push(String(row._id));
        }
      }
    }
    await this.model.collection.drop().catch(() => {});
    const docs = [...entries.values()];
    for (let i = 0; i < docs.length; i += 5000) {
      await this.model.insertMany(docs.slice(i, i + 5000), { lean: true, ordered: false });
    }
    return docs.length;
  }
}

/**
 * Builds the record index once per database, before the subgraph serves (its reads depend on
 * it): a database seeded or written before the index existed is indexed at its first start.
 * The seed builds it right after loading, so a start finds it done.
 */
export async function ensureRecordIndex(
  connection: Connection,
  index: RecordIndex<string>,
): Promise<{ ran: boolean; result?: unknown }> {
  return runMigrationOnce(connection, index.location.migration, () => index.rebuild());
}
