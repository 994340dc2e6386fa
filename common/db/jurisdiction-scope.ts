/**
 * The data-access layer that applies jurisdiction once: a subgraph's services and loaders read a
 * collection whose rows lie in regions only through a {@link RegionalCollection}, which hands out
 * reads scoped to one caller ({@link RegionalCollection.for}) or, for the few reads that must see
 * every row, reads named by their reason ({@link RegionalCollection.unscoped}). A filter reaches
 * the database only once it went through the caller's {@link JurisdictionReads.where} (the type
 * {@link InJurisdiction} says so), so a new query cannot forget the jurisdiction.
 *
 * The query shapes are those of `common/auth/jurisdiction.ts`, unchanged: lists, counts and
 * aggregations carry the condition in the query; loaders read by key (one `$in` per batch) and
 * test each row with the same condition as a predicate. Every query this layer builds records
 * how it was scoped ({@link readScopeOf}), which `test/data-access/` checks for every read.
 */
import type DataLoader from 'dataloader';
import type { PipelineStage, ProjectionType, QueryFilter } from 'mongoose';
import { jurisdictionCondition, jurisdictionPredicate, withinJurisdiction } from '../auth/jurisdiction.js';
import type { Caller } from '../auth/tokens.js';
import type { RegionFieldNames } from '../regions.js';
import type { RecordModel } from './connection.js';
import { byIdLoader, byKeyLoader, type SortSpec } from './loaders.js';

declare const inJurisdiction: unique symbol;

/** A filter that went through a caller's {@link JurisdictionReads.where}, or a narrowing of one. */
export type InJurisdiction<F> = F & { readonly [inJurisdiction]: true };

/** `filter` narrowed by `condition` (a region, a period, a page's keyset), still in the jurisdiction. */
export function narrowed<F extends object>(filter: F, condition: object): F {
  return (Object.keys(filter).length === 0 ? condition : { $and: [filter, condition] }) as F;
}

/**
 * Why a read may see every row, whatever the caller's jurisdiction. Each is used at the places
 * it names, and nowhere else; `test/data-access/` lists the reads made under each.
 */
export const UNSCOPED_READS = {
  /** permit-check-service.ts: `verifyStayPermit` answers about the permit alone, wherever its holder lives. */
  'permit-check': 'a stay-permit check answers about the permit alone, not limited to a jurisdiction',
  /** A document number or passport is unique in the whole hub: a write checks it is not taken anywhere. */
  uniqueness: 'a document number or passport number must not be taken anywhere in the hub',
  /**
   * A write or a subject-access report names its foreigner: it is read wherever it lives, so an
   * unknown id (BAD_USER_INPUT) is told apart from one outside the jurisdiction (FORBIDDEN).
   */
  'named-target': 'the foreigner a write or report names, to tell an unknown id from one outside the jurisdiction',
  /**
   * The statistics' counters (subgraphs/immigration/src/services/foreigner-tallies.ts) count every
   * region: moving a foreigner between counters reads it wherever it lives, after the write that
   * changed it or when its permit ends with the day.
   */
  tallies: 'the statistics counters count every region: settling a foreigner between them reads it wherever it lives',
  /** A one-off data migration run at start-up, over every row (runMigrationOnce). */
  migration: 'a start-up data migration reads every row',
} as const;

export type UnscopedReason = keyof typeof UNSCOPED_READS;

/** How a query of this layer was scoped. */
export type ReadScope =
  /** The caller's jurisdiction is in the query (`condition`; null for a national caller). */
  | { kind: 'jurisdiction'; condition: Record<string, unknown> | null }
  /** Read by key; each row is tested against the caller's jurisdiction (a loader). */
  | { kind: 'jurisdiction-predicate' }
  /** Records of a foreigner read by the ids of foreigners the caller could resolve. */
  | { kind: 'owner' }
  /** Every row: see {@link UNSCOPED_READS}. */
  | { kind: 'unscoped'; reason: UnscopedReason };

const scopes = new WeakMap<object, ReadScope>();

/** How the query or aggregation `query` was scoped, if this layer built it. */
export function readScopeOf(query: object): ReadScope | undefined {
  return scopes.get(query);
}

function scoped<Q extends object>(query: Q, scope: ReadScope): Q {
  scopes.set(query, scope);
  return query;
}

/** What services may write to a collection (writes are guarded by `requireJurisdiction` before they run). */
export type CollectionWrites<T> = Pick<RecordModel<T>, 'create' | 'updateOne' | 'updateMany' | 'bulkWrite'>;

/** Reads of every row of a collection, for one of {@link UNSCOPED_READS}. */
export class UnscopedReads<T> {
  private readonly scope: ReadScope;

  constructor(
    private readonly model: RecordModel<T>,
    reason: UnscopedReason,
  ) {
    this.scope = { kind: 'unscoped', reason };
  }

  find(filter: QueryFilter<T>, projection?: ProjectionType<T> | null) {
    return scoped(this.model.find(filter, projection), this.scope);
  }

  findOne(filter: QueryFilter<T>, projection?: ProjectionType<T> | null) {
    return scoped(this.model.findOne(filter, projection), this.scope);
  }

  findById(id: string) {
    return scoped(this.model.findById(id), this.scope);
  }

  exists(filter: QueryFilter<T>) {
    return scoped(this.model.exists(filter), this.scope);
  }
}

/** Reads of a collection of regional rows, limited to one caller's jurisdiction. */
export class JurisdictionReads<T> {
  private readonly scope: ReadScope;

  constructor(
    private readonly model: RecordModel<T>,
    private readonly fields: RegionFieldNames,
    private readonly caller: Caller,
  ) {
    this.scope = { kind: 'jurisdiction', condition: jurisdictionCondition(caller, fields) };
  }

  /** `filter` restricted to the caller's jurisdiction: `{ $and: [filter, <jurisdiction>] }`. */
  where<F extends object>(filter: F): InJurisdiction<F> {
    return withinJurisdiction(filter, this.caller, this.fields) as InJurisdiction<F>;
  }

  find(filter: InJurisdiction<QueryFilter<T>>, projection?: ProjectionType<T> | null) {
    return scoped(this.model.find(filter as QueryFilter<T>, projection), this.scope);
  }

  countDocuments(filter: InJurisdiction<QueryFilter<T>>) {
    return scoped(this.model.countDocuments(filter as QueryFilter<T>), this.scope);
  }

  /** An aggregation whose first stage matches only rows in the jurisdiction. */
  aggregate<R>(match: InJurisdiction<object>, stages: PipelineStage[]) {
    return scoped(this.model.aggregate<R>([{ $match: match }, ...stages]), this.scope);
  }

  /** Rows by `_id`, one `{ _id: { $in } }` per batch; a row outside the jurisdiction gives null. */
  byId(): DataLoader<string, T | null> {
    return byIdLoader<T & { _id: string }>(this.keyed(), jurisdictionPredicate(this.caller, this.fields)) as DataLoader<
      string,
      T | null
    >;
  }

  /** Rows by `field` (see `byKeyLoader`), one `$in` per batch; rows outside the jurisdiction are left out. */
  byKey(field: string, sort: SortSpec): DataLoader<string, T[]> {
    return byKeyLoader<T>(this.keyed(), field, { sort, allow: jurisdictionPredicate(this.caller, this.fields) });
  }

  private keyed() {
    const scope: ReadScope = { kind: 'jurisdiction-predicate' };
    return { find: (filter: QueryFilter<T>) => scoped(this.model.find(filter), scope) };
  }
}

/**
 * A collection whose rows lie in regions (`fields` name the region's ancestry): foreigners by
 * domicile, incidents, SKLD, SKTT, employment, community reports.
 */
export class RegionalCollection<T> {
  constructor(
    private readonly model: RecordModel<T>,
    readonly fields: RegionFieldNames,
  ) {}

  /** Reads limited to `caller`'s jurisdiction: built for each request (or call) from its caller. */
  for(caller: Caller): JurisdictionReads<T> {
    return new JurisdictionReads(this.model, this.fields, caller);
  }

  /** Reads of every row, for `reason` (the named escape hatch; see {@link UNSCOPED_READS}). */
  unscoped(reason: UnscopedReason): UnscopedReads<T> {
    return new UnscopedReads(this.model, reason);
  }

  get writes(): CollectionWrites<T> {
    return this.model;
  }
}

/**
 * A collection of a foreigner's records that carry no region of their own (permits, crossings,
 * cekal entries, TAK): read only by the ids of foreigners the caller could resolve, which is
 * where the jurisdiction was applied (their `RegionalCollection`).
 */
export class ForeignerRecords<T> {
  private readonly scope: ReadScope = { kind: 'owner' };

  constructor(private readonly model: RecordModel<T>) {}

  /** A loader of each foreigner's records, in the order `sort` gives (one `$in` per batch). */
  byForeigner(sort: SortSpec): DataLoader<string, T[]> {
    const keyed = { find: (filter: QueryFilter<T>) => scoped(this.model.find(filter), this.scope) };
    return byKeyLoader<T>(keyed, 'foreignerId', { sort });
  }

  /** Every record of one foreigner already found in the caller's jurisdiction (a write's target). */
  ofForeigner(foreignerId: string) {
    return scoped(this.model.find({ foreignerId } as QueryFilter<T>), this.scope);
  }

  unscoped(reason: UnscopedReason): UnscopedReads<T> {
    return new UnscopedReads(this.model, reason);
  }

  get writes(): CollectionWrites<T> {
    return this.model;
  }
}
