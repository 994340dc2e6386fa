/**
 * The Kemendagri region tree: loading the official list into this subgraph's database, and
 * answering `Region` questions from memory.
 *
 * Why regions are served from memory and not queried per request: every page names regions
 * (a residence's region, its parents, a district's name beside its code), and each would be
 * one more database command per request and subgraph. The tree is official reference data
 * that changes only with an upgrade of `idn-area-data`, so it is read from the database once
 * at start-up into an immutable `RegionDirectory`; every `Region` lookup (entity resolution,
 * `region`, `regions`, `parent`, `children`) then costs no database command. The database
 * copy stays the record the subgraph serves (and what other tools can query), and a start-up
 * on a loaded database only reads it back.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../../../common/logger.js';
import { regionDataPin } from '../../../../common/region-data.js';
import { pageWindow, toConnection, type Connection, type PageArgs } from '../../../../common/pagination.js';
import {
  REGION_LEVELS,
  RegionDirectory,
  officialRegions,
  type RegionLevel,
  type RegionRecord,
} from '../../../../common/regions.js';
import { InputError } from '../../../../common/errors.js';
import { message } from '../../../../common/i18n/language.js';
import { levelName, parseInput, regionCode } from '../../../../common/validation.js';
import type { ReferenceDataDoc, RegionDoc, RegionModels } from '../models/region.js';

/** The npm package the official tree comes from, and the marker recording which version is loaded. */
export const REGION_SOURCE = 'idn-area-data';
export const REGIONS_MARKER_ID = 'regions';

/** Batch size of the initial load: large enough to be fast, small enough for one request. */
const INSERT_BATCH = 5000;

/** Version of `idn-area-data` whose data is unpacked (package.json `regionData`): the release of the official list. */
export function regionSourceVersion(): string {
  return regionDataPin().version;
}

function toDoc(record: RegionRecord): RegionDoc {
  return { _id: record.code, name: record.name, level: record.level, parentCode: record.parentCode };
}

function toRecord(doc: RegionDoc): RegionRecord {
  return { code: doc._id, name: doc.name, level: doc.level, parentCode: doc.parentCode ?? null };
}

/** An unordered bulk insert that failed only because some documents were already there. */
function onlyDuplicateKeys(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: unknown }[] } | null)?.writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000);
}

function readRegions(models: RegionModels): Promise<RegionDoc[]> {
  return models.Region.find({}, { _id: 1, name: 1, level: 1, parentCode: 1 }).lean<RegionDoc[]>().exec();
}

interface LoadResult {
  inserted: number;
  updated: number;
  /** Codes in the database that the official list no longer has; kept (records may refer to them). */
  retired: string[];
}

/**
 * Brings the `regions` collection up to the official list: inserts what is missing (in
 * unordered batches that tolerate documents already present — a previous partial load or a
 * replica loading at the same time) and rewrites regions whose name or parent changed.
 * Nothing is deleted: residences and reports may refer to a retired code.
 */
async function loadOfficialRegions(models: RegionModels, existing: RegionDoc[]): Promise<LoadResult> {
  const official = await officialRegions();
  const have = new Map(existing.map((doc) => [doc._id, doc]));
  const missing: RegionDoc[] = [];
  const changed: RegionDoc[] = [];
  for (const record of official.all()) {
    const doc = toDoc(record);
    const stored = have.get(doc._id);
    if (!stored) missing.push(doc);
    else if (stored.name !== doc.name || stored.level !== doc.level || (stored.parentCode ?? null) !== doc.parentCode) {
      changed.push(doc);
    }
  }
  let inserted = 0;
  for (let i = 0; i < missing.length; i += INSERT_BATCH) {
    const batch = missing.slice(i, i + INSERT_BATCH);
    try {
      await models.Region.insertMany(batch, { ordered: false, lean: true });
      inserted += batch.length;
    } catch (e) {
      if (!onlyDuplicateKeys(e)) throw e;
      inserted += batch.length - (e as { writeErrors: unknown[] }).writeErrors.length;
    }
  }
  for (let i = 0; i < changed.length; i += INSERT_BATCH) {
    const batch = changed.slice(i, i + INSERT_BATCH);
    // replace by exact `_id`
    await models.Region.bulkWrite(
      batch.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc } })),
      { ordered: false },
    );
  }
  const retired = existing.filter((doc) => !official.has(doc._id)).map((doc) => doc._id);
  return { inserted, updated: changed.length, retired };
}

/**
 * Opens the region tree of this subgraph's database: loads the official list when the
 * `reference_data` marker does not match the installed `idn-area-data` (or the collection
 * lost documents), then reads the whole tree back once into a `RegionDirectory`.
 */
export async function openRegionTree(models: RegionModels, log: Logger): Promise<RegionDirectory> {
  const started = performance.now();
  const since = (t: number) => Math.round(performance.now() - t);
  const version = regionSourceVersion();
  const marker = await models.ReferenceData.findById(REGIONS_MARKER_ID).lean<ReferenceDataDoc>().exec();
  let docs = await readRegions(models);
  const current =
    marker?.source === REGION_SOURCE && marker.version === version && marker.count === docs.length && docs.length > 0;
  if (current) {
    log.info({ regions: docs.length, version, ms: since(started) }, 'region tree read');
  } else {
    log.info(
      { previousVersion: marker?.version ?? null, version },
      'loading the official region tree (first start or new idn-area-data; usually under a minute)',
    );
    const loading = performance.now();
    const result = await loadOfficialRegions(models, docs);
    const loadMs = since(loading);
    const reading = performance.now();
    docs = await readRegions(models);
    const readMs = since(reading);
    await models.ReferenceData.updateOne(
      { _id: REGIONS_MARKER_ID },
      { $set: { source: REGION_SOURCE, version, count: docs.length, loadedAt: new Date() } },
      { upsert: true },
    ).exec();
    if (result.retired.length > 0) {
      log.warn(
        { count: result.retired.length, sample: result.retired.slice(0, 10) },
        'region codes no longer in the official list are kept',
      );
    }
    log.info(
      {
        regions: docs.length,
        inserted: result.inserted,
        updated: result.updated,
        previousVersion: marker?.version ?? null,
        version,
        loadMs,
        readMs,
        ms: since(started),
      },
      'region tree loaded from the official list',
    );
  }
  return new RegionDirectory(docs.map(toRecord));
}

export interface RegionListArgs extends PageArgs {
  parentCode?: string | null;
  level?: RegionLevel | null;
}

const depth = (level: RegionLevel): number => REGION_LEVELS.indexOf(level);

/** Index of the first region whose code sorts after `code` (lists are in code order). */
function firstAfter(rows: readonly RegionRecord[], code: string): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid]!.code <= code) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Questions about the region tree, answered from the immutable in-memory directory. Lists are
 * in code order; codes of one level have one fixed shape (`16.01.14.1001`), so code order is
 * plain string order and a page cursor is the last code seen.
 */
export class RegionService {
  private readonly byLevel = new Map<RegionLevel, readonly RegionRecord[]>();

  constructor(readonly directory: RegionDirectory) {}

  get(code: string): RegionRecord | null {
    return this.directory.get(code) ?? null;
  }

  childrenOf(code: string): readonly RegionRecord[] {
    return this.directory.childrenOf(code);
  }

  /** Every region of one level, nationwide, in code order (computed once). */
  private atLevel(level: RegionLevel): readonly RegionRecord[] {
    let rows = this.byLevel.get(level);
    if (!rows) {
      rows = [...this.directory.all()]
        .filter((r) => r.level === level)
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      this.byLevel.set(level, rows);
    }
    return rows;
  }

  /** The regions of `level` inside `ancestor`, in code order. */
  private descendants(ancestor: RegionRecord, level: RegionLevel): readonly RegionRecord[] {
    let frontier: readonly RegionRecord[] = [ancestor];
    while (frontier.length > 0 && frontier[0]!.level !== level) {
      frontier = frontier.flatMap((r) => this.directory.childrenOf(r.code));
    }
    return frontier;
  }

  /**
   * `regions(parentCode, level)`: without either, the provinces; with `level` only, every
   * region of that level; with `parentCode` only, its direct subregions; with both, the
   * subregions of `parentCode` at `level` (e.g. every village of a regency).
   */
  list(args: RegionListArgs): Connection<RegionRecord> {
    const window = pageWindow(args);
    let rows: readonly RegionRecord[];
    if (args.parentCode == null) {
      rows = this.atLevel(args.level ?? 'PROVINCE');
    } else {
      parseInput(regionCode(this.directory), args.parentCode, 'parentCode');
      const parent = this.directory.get(args.parentCode)!;
      if (!args.level) {
        rows = this.directory.childrenOf(parent.code);
      } else if (depth(args.level) <= depth(parent.level)) {
        throw new InputError('level', message('input.regionBelowParent', { level: levelName(parent.level) }));
      } else {
        rows = this.descendants(parent, args.level);
      }
    }
    const start = window.afterId ? firstAfter(rows, window.afterId) : 0;
    const page = rows.slice(start, start + window.limit + 1);
    const total = rows.length;
    return toConnection(
      page,
      window,
      (r) => r.code,
      async () => total,
    );
  }
}
