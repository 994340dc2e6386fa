/**
 * The counters the exact statistics read (models/foreigner-tally.ts; docs/architecture.md, "Data
 * design"): each foreigner is counted in one cell per level, and carries a stamp (`tallyCell`,
 * `tallyUntil`) naming the cell it is counted in. One transition moves a foreigner between cells,
 * {@link ForeignerTallies.settle}: it computes the foreigner's cell on today of its domicile's
 * zone and, when that differs from its stamp, compare-and-sets the stamp and only then moves the
 * counts (`$inc`). FerretDB has no transactions: the counts equal the sum of the stamps except
 * after a crash between the two writes, which `npm run tallies -- check` finds and `-- repair`
 * mends ({@link ForeignerTallies.check}, {@link ForeignerTallies.repair}).
 *
 * Permits expire with the calendar, without a write: a timer just after each zone's midnight
 * ({@link ForeignerTallies.settleEachMidnight}), or else the first read of a zone's cells on a
 * new day, settles the stamps of that zone whose permit ended since the zone's last settled day
 * ({@link ForeignerTallies.settleDays}), found by an `$in` of those days on `tallyUntil`.
 *
 * The statistics read the cells (`tallyQuery`), and so does a list's `totalCount` whose filter
 * is exactly a cell's shape (`tallyCount`).
 */
import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, QueryFilter } from 'mongoose';
import { isNational } from '../../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { now } from '../../../../common/clock.js';
import { ONE_REPLY } from '../../../../common/db/loaders.js';
import { RegionalCollection } from '../../../../common/db/jurisdiction-scope.js';
import { regionCondition, regionLevelOf, type RegionFieldNames, type RegionLevel } from '../../../../common/regions.js';
import {
  formatCalendarDate,
  TIME_ZONES,
  todayIn,
  todayInRegion,
  type RegionTimeZone,
} from '../../../../common/time-zones.js';
import { PERMIT_TYPES, type ForeignerDoc, type PermitType } from '../models/foreigner.js';
import type { ParsedForeignerFilter } from './foreigner-filters.js';
import {
  TALLY_LEVELS,
  type ForeignerTallyDoc,
  type TallyLevel,
  type TallyModels,
  type TallyState,
} from '../models/foreigner-tally.js';

/** The region fields of a cell. Cells carry no village: a village ask never reads them. */
export const TALLY_FIELDS: RegionFieldNames = {
  code: 'village',
  province: 'province',
  regency: 'regency',
  district: 'district',
};

/** What a stamp is computed from. */
export type Tallied = Pick<
  ForeignerDoc,
  | '_id'
  | 'nationality'
  | 'domicileRegionCode'
  | 'domicileProvince'
  | 'domicileRegency'
  | 'domicileDistrict'
  | 'currentPermit'
  | 'lastCrossing'
  | 'tallyCell'
  | 'tallyUntil'
>;

const TALLIED_FIELDS = {
  nationality: 1,
  domicileRegionCode: 1,
  domicileProvince: 1,
  domicileRegency: 1,
  domicileDistrict: 1,
  currentPermit: 1,
  lastCrossing: 1,
  tallyCell: 1,
  tallyUntil: 1,
} as const;

export interface TallyStamp {
  tallyCell: string;
  tallyUntil: string | null;
}

const SEPARATOR = '|';

/**
 * The stamp of `foreigner` judged at `at`, on today in its domicile's zone: its DISTRICT-level
 * cell key (`province|regency|district|nationality|permitType|state`, empty for null) and the
 * last day its permit stays in force (the calendar day of `expiresAt`), null when none is.
 */
export function tallyStamp(foreigner: Omit<Tallied, '_id' | 'tallyCell' | 'tallyUntil'>, at: Date): TallyStamp {
  const today = todayInRegion(foreigner.domicileRegionCode, at);
  const permit = foreigner.currentPermit;
  const inForce = !!permit && permit.status === 'ACTIVE' && new Date(permit.expiresAt) >= today;
  const state: TallyState = !inForce ? 'NONE' : foreigner.lastCrossing?.direction === 'EXIT' ? 'ABROAD' : 'PRESENT';
  const cell = [
    foreigner.domicileProvince,
    foreigner.domicileRegency ?? '',
    foreigner.domicileDistrict ?? '',
    foreigner.nationality,
    inForce ? permit.type : '',
    state,
  ].join(SEPARATOR);
  return { tallyCell: cell, tallyUntil: inForce ? formatCalendarDate(new Date(permit.expiresAt)) : null };
}

/**
 * The nationality of a roll-up cell: the foreigners of every nationality of its region, type and
 * state. An ask not grouped by nationality reads these, so the cells it sums are as many as its
 * regions × types × states, however many nationalities live there (a regency by district summed
 * 915 DISTRICT cells at 50,000 WNA, 86 of these). Not a country code (`nationality` validates
 * three capital letters), so no foreigner's cell can take it.
 */
export const ALL_NATIONALITIES = '*';

/**
 * The cells (without their count) a foreigner stamped `cell` is counted in: at each level,
 * DISTRICT, REGENCY and PROVINCE, its nationality's cell and the roll-up of every nationality
 * ({@link ALL_NATIONALITIES}).
 */
export function tallyCells(cell: string): Omit<ForeignerTallyDoc, 'count'>[] {
  const [province = '', regency = '', district = '', nationality = '', permitType = '', state = 'NONE'] =
    cell.split(SEPARATOR);
  const levels = [
    { prefix: 'D', level: 'DISTRICT', regency: regency || null, district: district || null },
    { prefix: 'R', level: 'REGENCY', regency: regency || null, district: null },
    { prefix: 'P', level: 'PROVINCE', regency: null, district: null },
  ] as const;
  return levels.flatMap((l) =>
    [nationality, ALL_NATIONALITIES].map((n) => ({
      _id: [l.prefix, province, l.regency ?? '', l.district ?? '', n, permitType, state].join(SEPARATOR),
      level: l.level,
      province,
      regency: l.regency,
      district: l.district,
      nationality: n,
      permitType: (permitType || null) as PermitType | null,
      state: state as TallyState,
    })),
  );
}

/** Counts per cell `_id` (with the cell's fields) of foreigners stamped with the cells of `stamps` (cell → how many). */
function cellCounts(
  stamps: ReadonlyMap<string, number>,
): Map<string, Omit<ForeignerTallyDoc, 'count'> & { count: number }> {
  const cells = new Map<string, Omit<ForeignerTallyDoc, 'count'> & { count: number }>();
  for (const [stamp, n] of stamps) {
    if (n === 0) continue;
    for (const cell of tallyCells(stamp)) {
      const known = cells.get(cell._id);
      if (known) known.count += n;
      else cells.set(cell._id, { ...cell, count: n });
    }
  }
  return cells;
}

/** `$inc` of each cell by its count (upserted with its fields), for a `bulkWrite`. */
export function tallyIncrements(stamps: ReadonlyMap<string, number>): AnyBulkWriteOperation<ForeignerTallyDoc>[] {
  return [...cellCounts(stamps).values()]
    .filter((c) => c.count !== 0)
    .map(({ _id, count, ...fields }) => ({
      updateOne: { filter: { _id }, update: { $inc: { count }, $setOnInsert: fields }, upsert: true },
    }));
}

/** What a statistics ask reads of the counters: the cells' level, their `$match` and the `$group` key. */
export interface TallyQuery {
  level: TallyLevel;
  match: Partial<Pick<ForeignerTallyDoc, 'level' | 'province' | 'regency' | 'state'>> & {
    nationality: string | { $ne: string };
  };
  key: Record<string, string>;
}

/**
 * The coarsest cells that hold `regionCode` (the nation when null) and, grouped by `REGION`, the
 * level below it: a national ask sums PROVINCE cells, a province ask its PROVINCE cells (its
 * REGENCY cells by region), a regency ask its REGENCY cells (its DISTRICT cells by region); the
 * present population only the cells of state PRESENT; an ask not grouped by nationality only the
 * roll-ups of every nationality ({@link ALL_NATIONALITIES}), one grouped by it only the others.
 * Null for a district or village: finer than the cells. The statistics (`ForeignerStatistics`)
 * and the bench's raw reads ask through this.
 */
export function tallyQuery(
  regionCode: string | null | undefined,
  dimensions: readonly string[],
  population: 'PRESENT' | 'REGISTERED',
): TallyQuery | null {
  const region = regionCode ? regionLevelOf(regionCode) : null;
  const byRegion = dimensions.includes('REGION');
  const byNationality = dimensions.includes('NATIONALITY');
  const key: Record<string, string> = {};
  if (byNationality) key.nationality = '$nationality';
  if (dimensions.includes('PERMIT_TYPE')) key.permitType = '$permitType';
  const cells = {
    ...(population === 'PRESENT' ? { state: 'PRESENT' as const } : {}),
    nationality: byNationality ? { $ne: ALL_NATIONALITIES } : ALL_NATIONALITIES,
  };
  if (region === null) {
    if (byRegion) key.regionCode = '$province';
    return { level: 'PROVINCE', match: { level: 'PROVINCE', ...cells }, key };
  }
  if (region === 'PROVINCE') {
    const level = byRegion ? 'REGENCY' : 'PROVINCE';
    if (byRegion) key.regionCode = '$regency';
    return { level, match: { level, province: regionCode!, ...cells }, key };
  }
  if (region === 'REGENCY') {
    const level = byRegion ? 'DISTRICT' : 'REGENCY';
    if (byRegion) key.regionCode = '$district';
    return { level, match: { level, regency: regionCode!, ...cells }, key };
  }
  return null;
}

/** What a list's count reads of the counters: the cells' level and their `$match` (summed whole). */
export interface TallyCount {
  level: TallyLevel;
  match: Record<string, string | { $in: string[] }>;
}

/** The foreigner filter's fields a cell can answer (`tallyCount`); any other one set makes the count the foreigners'. */
const CELL_FILTER_FIELDS: ReadonlySet<string> = new Set<keyof ParsedForeignerFilter>([
  'regionCode',
  'nationality',
  'population',
  'permitStatus',
  'permitType',
  'permitTypes',
]);

/** The cells' level of a region of each level; a village has none (cells carry no village). */
const CELL_LEVELS: Partial<Record<RegionLevel, TallyLevel>> = {
  PROVINCE: 'PROVINCE',
  REGENCY: 'REGENCY',
  DISTRICT: 'DISTRICT',
};

/**
 * The cells whose counts sum to the count of `foreigners(filter)` for a caller of `jurisdiction`,
 * or null when the filter is not exactly a cell's shape. A cell holds a domicile region (down to
 * the district), a nationality, the type of the permit in force and a state, so what maps is: a
 * region of the province, regency or district level; a nationality (else the roll-ups of every
 * nationality); `population: PRESENT` (state PRESENT); `permitStatus: ACTIVE` (PRESENT or ABROAD);
 * `permitType`/`permitTypes` only beside one of those two, where the type filtered is the type
 * of the permit in force. Anything else (another status, an expiry date, overstay, a name) is
 * finer than the cells. The level read is the finest of the region's and the jurisdiction's, so
 * the jurisdiction's condition on the cells (`TALLY_FIELDS`) selects whole cells; a village in
 * either is null.
 */
export function tallyCount(filter: ParsedForeignerFilter, jurisdiction: readonly string[]): TallyCount | null {
  // a filter field not known here (an expiry date, overstay, a name, or one added later) is finer than the cells
  if (Object.entries(filter).some(([field, value]) => value != null && !CELL_FILTER_FIELDS.has(field))) return null;
  const levels: TallyLevel[] = [];
  for (const code of filter.regionCode ? [filter.regionCode, ...jurisdiction] : jurisdiction) {
    if (code === '*') continue;
    const level = CELL_LEVELS[regionLevelOf(code) ?? 'VILLAGE'];
    if (!level) return null;
    levels.push(level);
  }
  const level = TALLY_LEVELS[Math.max(0, ...levels.map((l) => TALLY_LEVELS.indexOf(l)))]!;
  const match: TallyCount['match'] = { level, nationality: filter.nationality ?? ALL_NATIONALITIES };
  if (filter.regionCode) Object.assign(match, regionCondition(filter.regionCode, TALLY_FIELDS));
  let states: TallyState[] | null = null;
  if (filter.population === 'PRESENT') states = ['PRESENT'];
  if (filter.permitStatus) {
    if (filter.permitStatus !== 'ACTIVE') return null;
    states = (states ?? ['PRESENT', 'ABROAD']).filter((s) => s !== 'NONE');
  }
  const typeSets = [filter.permitType ? [filter.permitType] : null, filter.permitTypes ?? null].filter((t) => t);
  if (typeSets.length) {
    // a type filter reads `currentPermit.type` whether in force or not: a cell knows it only in force
    if (!states) return null;
    const types = typeSets.reduce<string[]>(
      (both, t) => both.filter((type) => t!.includes(type as PermitType)),
      [...PERMIT_TYPES],
    );
    match.permitType = { $in: types };
  }
  if (states) match.state = states.length === 1 ? states[0]! : { $in: states };
  return { level, match };
}

/** The days from `from` (included) to `to` (excluded), both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); formatCalendarDate(d) < to; d = new Date(d.getTime() + 86_400_000)) {
    days.push(formatCalendarDate(d));
  }
  return days;
}

/** A catch-up longer than this settles every stamp of the zone rather than listing the days. */
const LONGEST_CATCH_UP_DAYS = 400;
/** Compare-and-set rounds of one settle before it gives up (a foreigner written that often at once). */
const SETTLE_ROUNDS = 8;
/**
 * Cell upserts per `bulkWrite` (see `ForeignerTallies.write`). On the embedded FerretDB one update
 * command holds the collection's write lock (patch 0002) for all its statements, about 1–3 ms each
 * on these machines, so a slice bounds how long a request's settle may wait behind the seed, a
 * repair or a midnight catch-up. (Before patch 0021 an update command with 100 matching statements
 * never returned; that was FerretDB's connection pool, not the slice.)
 */
const UPSERTS_PER_WRITE = 500;
/** How long after a zone's midnight its expiries are settled (`settleEachMidnight`): past the day change, whatever the clocks' drift. */
const MIDNIGHT_SETTLE_AFTER_MS = 60_000;
/** The most added at random to that, so replicas do not all settle at once. */
const MIDNIGHT_SETTLE_SPREAD_MS = 120_000;
/** Stamps per `bulkWrite` of the migration: slices as {@link UPSERTS_PER_WRITE}, for the same lock. */
const STAMPS_PER_WRITE = UPSERTS_PER_WRITE;
/** Foreigners read per batch when stamping every unstamped foreigner. */
export const TALLY_BATCH = 500;

/** The id of the document saying through which day `zone`'s stamps were settled. */
const dayId = (zone: RegionTimeZone) => `day:${zone.abbreviation}`;

/** What {@link ForeignerTallies.check} found. */
export interface TallyDrift {
  /** Foreigners not stamped yet (the migration has not finished). */
  unstamped: number;
  /** Foreigners whose stamp is not the cell they belong in today. */
  staleStamps: { id: string; stamp: TallyStamp | null; expected: TallyStamp }[];
  /** Cells whose count differs from the stamps counted in them. */
  cells: { id: string; count: number; expected: number }[];
}

export class ForeignerTallies {
  /** Set once every foreigner carries a stamp (index.ts, the tallies' migration); until then the statistics aggregate. */
  ready = false;
  /** The cells, read within a caller's jurisdiction. */
  readonly cells: RegionalCollection<ForeignerTallyDoc>;
  /** The day this process last found each zone settled through (by abbreviation). */
  private readonly settledThrough = new Map<string, string>();
  /** The catch-ups under way in this process, by zone and day. */
  private readonly catchingUp = new Map<string, Promise<boolean>>();

  constructor(
    private readonly foreigners: RegionalCollection<ForeignerDoc>,
    private readonly models: TallyModels,
  ) {
    this.cells = new RegionalCollection(models.ForeignerTally, TALLY_FIELDS);
  }

  /**
   * Records, for every zone without one yet, that its stamps are settled through today: done
   * before the first stamp is written (at start and by the seed), since a stamp written on a
   * day is settled through that day.
   */
  async startDays(at: Date = now()): Promise<void> {
    for (const zone of Object.values(TIME_ZONES)) {
      await this.models.TallyDay.updateOne(
        { _id: dayId(zone) },
        { $setOnInsert: { day: formatCalendarDate(todayIn(zone, at)) } },
        { upsert: true },
      ).exec();
    }
  }

  /**
   * Whether `caller`'s jurisdiction is made of whole cells of `level`: national, or regions at
   * that level or above. A finer jurisdiction (a district, a village) is read from the foreigners.
   */
  covers(caller: Caller, level: TallyLevel): boolean {
    if (isNational(caller)) return true;
    const allowed = TALLY_LEVELS.slice(0, TALLY_LEVELS.indexOf(level) + 1) as readonly string[];
    return caller.jurisdiction.every((code) => allowed.includes(regionLevelOf(code) ?? ''));
  }

  /**
   * The counts of the cells of `level` matching `match`, summed by `key` (all together when it is
   * empty), as `caller` may read them; null when the cells cannot answer: before every foreigner
   * is counted (the migrations), for a jurisdiction finer than `level` ({@link covers}), or when
   * a zone of `zones` cannot be trusted today ({@link settleDays}). The statistics and a list's
   * `totalCount` read the counters through this.
   */
  async sum<R extends { count: number }>(
    caller: Caller,
    { level, match, key }: { level: TallyLevel; match: object; key: Record<string, string> },
    zones: Iterable<RegionTimeZone>,
  ): Promise<R[] | null> {
    if (!this.ready || !this.covers(caller, level)) return null;
    if (!(await this.settleDays(zones))) return null;
    const cells = this.cells.for(caller);
    return cells
      .aggregate<R>(cells.where(match as QueryFilter<ForeignerTallyDoc>), [
        { $group: { _id: Object.keys(key).length ? key : null, count: { $sum: '$count' } } },
      ])
      .exec();
  }

  /**
   * Moves foreigner `id` into the cells it belongs in today (in its domicile's zone), if its
   * stamp says otherwise: compare-and-set of the stamp, then, only if this call changed it, one
   * `$inc` of the old cells by −1 and the new by +1. A lost compare-and-set (another settle of
   * the same foreigner at once) re-reads; so does a won one, until the stamp read is the one
   * the document read implies, so a stamp computed from a document changed meanwhile is mended.
   */
  async settle(id: string): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const foreigner = await this.foreigners
        .unscoped('tallies')
        .findOne({ _id: id }, TALLIED_FIELDS)
        .lean<Tallied>()
        .exec();
      if (!foreigner) return;
      const next = tallyStamp(foreigner, now());
      const stamped = foreigner.tallyCell !== undefined;
      if (stamped && foreigner.tallyCell === next.tallyCell && (foreigner.tallyUntil ?? null) === next.tallyUntil)
        return;
      const result = await this.foreigners.writes
        .updateOne(
          stamped
            ? { _id: id, tallyCell: foreigner.tallyCell, tallyUntil: foreigner.tallyUntil ?? null }
            : { _id: id, tallyCell: { $exists: false } },
          { $set: next },
        )
        .exec();
      if (result.modifiedCount !== 1) continue;
      const moves = new Map<string, number>([[next.tallyCell, 1]]);
      if (stamped) moves.set(foreigner.tallyCell!, (moves.get(foreigner.tallyCell!) ?? 0) - 1);
      await this.increment(moves);
    }
  }

  /** Adds `n` to the cells of each stamp of `stamps` (stamp → n): a settle's two to four cells in one `bulkWrite`. */
  async increment(stamps: ReadonlyMap<string, number>): Promise<void> {
    await this.write(tallyIncrements(stamps));
  }

  /** `operations` in ordered `bulkWrite`s of {@link UPSERTS_PER_WRITE}: the seed's and repair's many cells in slices. */
  private async write(operations: AnyBulkWriteOperation<ForeignerTallyDoc>[]): Promise<void> {
    for (let i = 0; i < operations.length; i += UPSERTS_PER_WRITE) {
      await this.models.ForeignerTally.bulkWrite(operations.slice(i, i + UPSERTS_PER_WRITE), { ordered: true });
    }
  }

  /**
   * Settles the stamps of `zones` whose permit ended since the zone's last settled day, once
   * per zone and day: the foreigners whose `tallyUntil` is one of the days from that day to
   * yesterday (every stamped one after a gap of more than {@link LONGEST_CATCH_UP_DAYS}), then
   * moves the zone's day forward (`$max`, so two replicas doing it at once agree). The query
   * is the indexed `$in` alone (a province condition beside it would not narrow the index
   * search): a foreigner of another zone it finds is settled on its own day, a no-op until
   * its permit ended there. False when a zone's cells cannot be trusted today: no day recorded,
   * or a day after today (the clock was set back; `HUB_NOW`), and the statistics then aggregate.
   */
  async settleDays(zones: Iterable<RegionTimeZone>, at: Date = now()): Promise<boolean> {
    for (const zone of zones) {
      const today = formatCalendarDate(todayIn(zone, at));
      if (this.settledThrough.get(zone.abbreviation) === today) continue;
      // requests of this process arriving meanwhile wait for the one catch-up of the zone and day
      const key = `${zone.abbreviation} ${today}`;
      let catchUp = this.catchingUp.get(key);
      if (!catchUp) {
        catchUp = this.settleDay(zone, today).finally(() => this.catchingUp.delete(key));
        this.catchingUp.set(key, catchUp);
      }
      if (!(await catchUp)) return false;
    }
    return true;
  }

  /**
   * Settles each zone's expiries shortly after its midnight ({@link settleDays} of that zone), so
   * the first statistics read or list count of the day does not wait for them (each expiry is a
   * settle, ~11 ms on the embedded FerretDB). Each zone's timer fires `after` + up to `spread`
   * ms past the zone's midnight, then is set for the next one; a replica's timer firing with
   * another's only finds the day settled or repeats no-op settles (compare-and-set, `$max` of
   * the day), and the random spread keeps them apart. A failure is reported to `onError` and
   * the next midnight tries again (a read catches up meanwhile). The timers do not keep the
   * process alive; the returned function stops them and waits for a settle under way.
   */
  settleEachMidnight(
    onError: (err: unknown, zone: RegionTimeZone) => void,
    { after = MIDNIGHT_SETTLE_AFTER_MS, spread = MIDNIGHT_SETTLE_SPREAD_MS } = {},
  ): () => Promise<void> {
    const timers = new Map<RegionTimeZone, NodeJS.Timeout>();
    const running = new Set<Promise<void>>();
    let stopped = false;
    const schedule = (zone: RegionTimeZone) => {
      const at = now();
      const midnight = todayIn(zone, at).getTime() + 86_400_000 - zone.utcOffsetHours * 3_600_000;
      const delay = midnight - at.getTime() + after + Math.floor(Math.random() * spread);
      const timer = setTimeout(
        () => {
          if (stopped) return;
          const settling = this.settleDays([zone]).then(
            () => {},
            (err: unknown) => onError(err, zone),
          );
          running.add(settling);
          void settling.finally(() => {
            running.delete(settling);
            if (!stopped) schedule(zone);
          });
        },
        Math.max(0, delay),
      );
      timer.unref();
      timers.set(zone, timer);
    };
    for (const zone of Object.values(TIME_ZONES)) schedule(zone);
    return async () => {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.all(running);
    };
  }

  /** {@link settleDays} for one zone whose `today` this process has not seen settled. */
  private async settleDay(zone: RegionTimeZone, today: string): Promise<boolean> {
    const recorded = await this.models.TallyDay.findOne({ _id: dayId(zone) })
      .lean()
      .exec();
    if (!recorded || recorded.day > today) return false;
    if (recorded.day < today) {
      const days = daysBetween(recorded.day, today);
      const filter: QueryFilter<ForeignerDoc> =
        days.length > LONGEST_CATCH_UP_DAYS ? { tallyCell: { $exists: true } } : { tallyUntil: { $in: days } };
      const stale = await this.foreigners
        .unscoped('tallies')
        .find(filter, { _id: 1 })
        .batchSize(ONE_REPLY)
        .lean<{ _id: string }[]>()
        .exec();
      for (const f of stale) await this.settle(f._id);
      await this.models.TallyDay.updateOne({ _id: dayId(zone) }, { $max: { day: today } }).exec();
    }
    this.settledThrough.set(zone.abbreviation, today);
    return true;
  }

  /**
   * Stamps and counts every foreigner not stamped yet (a database written before the tallies):
   * in batches of {@link TALLY_BATCH} in `_id` order, each stamped and counted at once
   * ({@link stampBatch}). Idempotent and resumable. Returns how many foreigners it stamped.
   */
  async stampAll(): Promise<number> {
    await this.startDays();
    let stamped = 0;
    let after: string | null = null;
    for (;;) {
      const unstamped: { tallyCell: { $exists: false } } = { tallyCell: { $exists: false } };
      const batch: Tallied[] = await this.foreigners
        .unscoped('migration')
        .find(after === null ? unstamped : { _id: { $gt: after }, ...unstamped }, TALLIED_FIELDS)
        .sort({ _id: 1 })
        .limit(TALLY_BATCH)
        .batchSize(TALLY_BATCH)
        .lean<Tallied[]>()
        .exec();
      stamped += await this.stampBatch(batch);
      if (batch.length < TALLY_BATCH) return stamped;
      after = batch[batch.length - 1]!._id;
    }
  }

  /**
   * Stamps the foreigners of `batch` (unstamped when read) and counts them: what
   * {@link settle} does for one, with the reads, the stamps' writes and the `$inc`s of a whole
   * batch each in a few commands (one settle at a time took ~11 s per 1,000 WNA). Each stamp is
   * a compare-and-set on "not stamped" that also writes this batch's token (`tallyBatch`), so
   * the foreigners carrying it afterwards are those it stamped — a settle of a foreigner written
   * meanwhile may have won instead, and counted it itself — and only their stamps are counted
   * (one `$inc` per cell for the batch), then the token is removed. A write between the read
   * and the stamp is mended by that write's own settle, which finds the stamp stale and moves it.
   */
  private async stampBatch(batch: readonly Tallied[]): Promise<number> {
    if (batch.length === 0) return 0;
    const token = randomUUID();
    const at = now();
    const stamps = new Map(batch.map((f) => [f._id, tallyStamp(f, at)]));
    for (let i = 0; i < batch.length; i += STAMPS_PER_WRITE) {
      await this.foreigners.writes.bulkWrite(
        batch.slice(i, i + STAMPS_PER_WRITE).map((f) => ({
          updateOne: {
            filter: { _id: f._id, tallyCell: { $exists: false } },
            update: { $set: { ...stamps.get(f._id)!, tallyBatch: token } },
          },
        })),
        { ordered: false },
      );
    }
    const ours = await this.foreigners
      .unscoped('migration')
      .find({ _id: { $in: [...stamps.keys()] }, tallyBatch: token }, { _id: 1 })
      .batchSize(ONE_REPLY)
      .lean<{ _id: string }[]>()
      .exec();
    const counts = new Map<string, number>();
    for (const { _id } of ours) {
      const cell = stamps.get(_id)!.tallyCell;
      counts.set(cell, (counts.get(cell) ?? 0) + 1);
    }
    await this.increment(counts);
    await this.foreigners.writes
      .updateMany({ _id: { $in: ours.map((f) => f._id) }, tallyBatch: token }, { $unset: { tallyBatch: 1 } })
      .exec();
    return ours.length;
  }

  /**
   * Compares the stamps with today's cells of every foreigner, and the counts with the stamps:
   * what a crash between a stamp's write and its `$inc` leaves, or a write that bypassed
   * {@link settle}. Reads every foreigner once (an operator's command, not a request).
   */
  async check(at: Date = now()): Promise<TallyDrift> {
    const drift: TallyDrift = { unstamped: 0, staleStamps: [], cells: [] };
    const stamps = new Map<string, number>();
    const everyone = await this.foreigners
      .unscoped('tallies')
      .find({}, TALLIED_FIELDS)
      .batchSize(ONE_REPLY)
      .lean<Tallied[]>()
      .exec();
    for (const f of everyone) {
      const expected = tallyStamp(f, at);
      if (f.tallyCell === undefined) {
        drift.unstamped++;
        drift.staleStamps.push({ id: f._id, stamp: null, expected });
        continue;
      }
      stamps.set(f.tallyCell, (stamps.get(f.tallyCell) ?? 0) + 1);
      if (f.tallyCell !== expected.tallyCell || (f.tallyUntil ?? null) !== expected.tallyUntil) {
        drift.staleStamps.push({
          id: f._id,
          stamp: { tallyCell: f.tallyCell, tallyUntil: f.tallyUntil ?? null },
          expected,
        });
      }
    }
    const expected = cellCounts(stamps);
    const stored = await this.models.ForeignerTally.find({}, { count: 1 }).lean().exec();
    const seen = new Set<string>();
    for (const cell of stored) {
      seen.add(cell._id);
      const want = expected.get(cell._id)?.count ?? 0;
      if (cell.count !== want) drift.cells.push({ id: cell._id, count: cell.count, expected: want });
    }
    for (const [id, cell] of expected) if (!seen.has(id)) drift.cells.push({ id, count: 0, expected: cell.count });
    return drift;
  }

  /**
   * The `foreigner-tally-rollups` migration: a database counted before the roll-up cells of every
   * nationality ({@link ALL_NATIONALITIES}) has stamps and nationality cells but no roll-ups;
   * {@link repair} adds them (they differ from the stamps) and mends anything else found. Like
   * `repair`, a settle between its check and its `$inc`s leaves drift `tallies check` finds.
   * Returns how many cells it moved.
   */
  async addRollups(): Promise<{ cells: number }> {
    return { cells: (await this.repair()).cells.length };
  }

  /**
   * Mends what {@link check} finds: settles every stale or missing stamp, then moves each cell
   * whose count differs from its stamps by the difference (`$inc`, so a write settling at the
   * same time keeps its own move). Returns what was found before mending.
   */
  async repair(): Promise<TallyDrift> {
    await this.startDays();
    const found = await this.check();
    for (const s of found.staleStamps) await this.settle(s.id);
    const after = await this.check();
    const operations: AnyBulkWriteOperation<ForeignerTallyDoc>[] = after.cells.map((c) => {
      // the cell's key without its level's prefix is a stamp counted in it
      const stamp = c.id.split(SEPARATOR).slice(1).join(SEPARATOR);
      const { _id, ...fields } = tallyCells(stamp).find((cell) => cell._id === c.id)!;
      return {
        updateOne: {
          filter: { _id },
          update: { $inc: { count: c.expected - c.count }, $setOnInsert: fields },
          upsert: true,
        },
      };
    });
    await this.write(operations);
    return found;
  }
}

/** Lines listed per kind before "… and N more". */
const LISTED = 50;

/** What {@link ForeignerTallies.check} found, as lines an operator reads; empty when nothing drifted. */
export function formatDrift(drift: TallyDrift): string[] {
  const lines: string[] = [];
  const stamp = (s: TallyStamp | null) => (s ? `${s.tallyCell} until ${s.tallyUntil ?? '-'}` : 'none');
  if (drift.unstamped) lines.push(`${drift.unstamped} foreigner(s) not counted yet (no stamp)`);
  const stale = drift.staleStamps.filter((s) => s.stamp);
  if (stale.length) lines.push(`${stale.length} stale stamp(s) (foreigner: stamp -> expected):`);
  for (const s of stale.slice(0, LISTED)) lines.push(`  ${s.id}: ${stamp(s.stamp)} -> ${stamp(s.expected)}`);
  if (stale.length > LISTED) lines.push(`  … and ${stale.length - LISTED} more`);
  if (drift.cells.length)
    lines.push(`${drift.cells.length} cell(s) differing from their stamps (cell: count, expected):`);
  for (const c of drift.cells.slice(0, LISTED)) lines.push(`  ${c.id}: ${c.count}, expected ${c.expected}`);
  if (drift.cells.length > LISTED) lines.push(`  … and ${drift.cells.length - LISTED} more`);
  return lines;
}

/**
 * `npm run tallies -- check | repair` (scripts/tallies.ts): `check` prints the drift and
 * answers 1 when there is any, 0 when none; `repair` mends it, then checks again (1 when drift
 * remains, e.g. writes at the same moment).
 */
export async function tallyCommand(
  command: 'check' | 'repair',
  tallies: ForeignerTallies,
  print: (line: string) => void,
): Promise<number> {
  if (command === 'repair') {
    const found = formatDrift(await tallies.repair());
    print(found.length ? 'found and mended:' : 'nothing to mend');
    for (const line of found) print(`  ${line}`);
  }
  const drift = formatDrift(await tallies.check());
  if (drift.length === 0) {
    print('tallies agree with the stamps, and the stamps with the foreigners');
    return 0;
  }
  for (const line of drift) print(line);
  return 1;
}
