/**
 * The statistics' counters (services/foreigner-tallies.ts) on the real FerretDB, through the
 * immigration services themselves: after random registrations, permits, revocations and
 * crossings in the three time zones the exact statistics read from the counters answer exactly
 * what the aggregation over the foreigners answers, for every grouping, population and level
 * of ask; a day change moves expired permits out of the in-force cells per zone; drift (a write
 * that bypassed the settle, a skipped `$inc`) is found by `tallies check` and mended by
 * `tallies repair`; two settles of one foreigner at once count it once.
 */
import { setClock } from '../../common/clock.js';
import { SUBGRAPH_NAMES } from '../../common/config/services.js';
import type { Caller } from '../../common/auth/tokens.js';
import { connectDatabase, type Database } from '../../common/db/connection.js';
import { officialRegions, type RegionDirectory } from '../../common/regions.js';
import { formatCalendarDate, TIME_ZONES, timeZoneOfRegion, todayIn } from '../../common/time-zones.js';
import { immigrationData, type ImmigrationData } from '../../subgraphs/immigration/src/data.js';
import { foreignerModels, type ForeignerModels } from '../../subgraphs/immigration/src/models/foreigner.js';
import { tallyModels, type TallyModels } from '../../subgraphs/immigration/src/models/foreigner-tally.js';
import { ForeignerQueries } from '../../subgraphs/immigration/src/services/foreigner-queries.js';
import {
  ForeignerStatistics,
  STATISTICS_DIMENSIONS,
  type StatisticsDimension,
} from '../../subgraphs/immigration/src/services/foreigner-statistics.js';
import {
  parseForeignerFilter,
  type ForeignerFilterInput,
} from '../../subgraphs/immigration/src/services/foreigner-filters.js';
import { tallyCommand, tallyCount } from '../../subgraphs/immigration/src/services/foreigner-tallies.js';
import { ForeignerWrites } from '../../subgraphs/immigration/src/services/foreigner-writes.js';
import type { Population } from '../../subgraphs/immigration/src/services/population.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { Rng } from '../../scripts/seed/random.js';
import { testMongoUri, uniqueDbName } from '../helpers/env.js';

const DAY_MS = 86_400_000;
const NATIONALITIES = ['CHN', 'IND', 'USA', 'AUS'];
const PERMIT_TYPES = ['VISIT', 'LIMITED_STAY', 'PERMANENT_STAY'] as const;

function caller(jurisdiction: string[]): Caller {
  return {
    subject: 'tallies-test',
    agency: 'IMIGRASI',
    agencyType: 'IMMIGRATION',
    scopes: new Set(['identity:read']) as Caller['scopes'],
    jurisdiction,
  };
}
const NATIONAL = caller(['*']);

let db: Database;
let models: ForeignerModels;
let tallies: TallyModels;
let data: ImmigrationData;
let regions: RegionDirectory;
let statistics: ForeignerStatistics;
let writes: ForeignerWrites;
let queries: ForeignerQueries;
/** Villages used, two regencies × two districts of a WIB province, and one regency each in WITA and WIT. */
const villages: string[] = [];
const ids: string[] = [];
let permitSeq = 0;

function firstVillages(regency: string, districts: number): string[] {
  return regions
    .childrenOf(regency)
    .slice(0, districts)
    .map((d) => regions.childrenOf(d.code)[0]!.code);
}

/** A calendar day as a Date, `days` from today in WIB. */
const dayFrom = (days: number) => new Date(todayIn(TIME_ZONES.WIB).getTime() + days * DAY_MS);

async function issuePermit(id: string, type: string, expiresInDays: number) {
  await writes.issuePermit(
    {
      foreignerId: id,
      number: `TALLY-${++permitSeq}`,
      type,
      purpose: 'WORK',
      issuedAt: dayFrom(-400),
      expiresAt: dayFrom(expiresInDays),
      issuingOffice: 'Kantor Imigrasi Kelas III Baturaja',
    },
    NATIONAL,
  );
}

async function register(nationality: string, village: string): Promise<string> {
  const n = ids.length;
  const doc = await writes.register(
    {
      fullName: `WNA Tally ${n}`,
      nationality,
      sex: n % 2 ? 'FEMALE' : 'MALE',
      dateOfBirth: new Date('1980-01-01T00:00:00Z'),
      passportNumber: `T${String(n).padStart(7, '0')}`,
      domicileRegionCode: village,
    },
    NATIONAL,
  );
  ids.push(doc._id);
  return doc._id;
}

/** Every grouping: each subset of the dimensions. */
const GROUPINGS: StatisticsDimension[][] = Array.from({ length: 1 << STATISTICS_DIMENSIONS.length }, (_, mask) =>
  STATISTICS_DIMENSIONS.filter((_, i) => mask & (1 << i)),
);

/** The statistics read as asked, from the counters and (ready off) from the foreigners. */
async function bothWays(
  regionCode: string | null,
  groupBy: StatisticsDimension[],
  population: Population,
  who: Caller,
) {
  data.tallies.ready = true;
  const tallied = await statistics.statistics(regionCode, groupBy, who, population);
  data.tallies.ready = false;
  try {
    return { tallied, aggregated: await statistics.statistics(regionCode, groupBy, who, population) };
  } finally {
    data.tallies.ready = true;
  }
}

/** Every ask of `regionCodes` × grouping × population answers the same both ways. */
async function expectSameAnswers(regionCodes: (string | null)[], who: Caller = NATIONAL) {
  for (const regionCode of regionCodes) {
    for (const groupBy of GROUPINGS) {
      for (const population of ['REGISTERED', 'PRESENT'] as const) {
        const { tallied, aggregated } = await bothWays(regionCode, groupBy, population, who);
        expect({ regionCode, groupBy, population, answer: tallied }).toEqual({
          regionCode,
          groupBy,
          population,
          answer: aggregated,
        });
      }
    }
  }
}

/** `foreigners(filter) { totalCount }` read as asked, from the counters and (ready off) counted. */
async function countBothWays(filter: ForeignerFilterInput, who: Caller) {
  const count = async () => (await queries.list(filter, { first: 0 }, who)).totalCount();
  data.tallies.ready = true;
  const tallied = await count();
  data.tallies.ready = false;
  try {
    return { tallied, counted: await count() };
  } finally {
    data.tallies.ready = true;
  }
}

/**
 * The list filters compared: every region asked of, each with or without a nationality, a
 * population, a permit status and permit types — tally shapes and not (another status, a type
 * without "in force") alike.
 */
function listFilters(regionCodes: (string | null)[]): ForeignerFilterInput[] {
  const filters: ForeignerFilterInput[] = [];
  for (const regionCode of regionCodes)
    for (const nationality of [null, 'CHN'])
      for (const population of [null, 'PRESENT', 'REGISTERED'] as const)
        for (const permitStatus of [null, 'ACTIVE', 'EXPIRED'] as const)
          for (const permitTypes of [null, ['LIMITED_STAY', 'PERMANENT_STAY'] as const])
            filters.push({ regionCode, nationality, population, permitStatus, permitTypes });
  filters.push({ regionCode: regionCodes[0], permitType: 'VISIT', permitStatus: 'ACTIVE' });
  filters.push({
    regionCode: regionCodes[0],
    permitType: 'VISIT',
    permitTypes: ['VISIT', 'LIMITED_STAY'],
    population: 'PRESENT',
  });
  filters.push({
    regionCode: regionCodes[0],
    permitType: 'VISIT',
    permitTypes: ['LIMITED_STAY'],
    population: 'PRESENT',
  });
  return filters;
}

/** Every list filter of `regionCodes` counts the same both ways, and the shaped ones are read from the counters. */
async function expectSameCounts(regionCodes: (string | null)[], who: Caller = NATIONAL) {
  let tallyShaped = 0;
  for (const filter of listFilters(regionCodes)) {
    const { tallied, counted } = await countBothWays(filter, who);
    expect({ filter, count: tallied }).toEqual({ filter, count: counted });
    if (tallyCount(parseForeignerFilter(filter), who.jurisdiction)) tallyShaped++;
  }
  expect(tallyShaped).toBeGreaterThan(0);
}

beforeAll(async () => {
  db = await connectDatabase(testMongoUri(), uniqueDbName('tallies'));
  models = foreignerModels(db.connection);
  tallies = tallyModels(db.connection);
  await Promise.all([...Object.values(models), ...Object.values(tallies)].map((m) => m.init()));
  regions = await officialRegions();
  data = immigrationData(models, tallies);
  await data.tallies.startDays();
  await data.tallies.stampAll();
  data.tallies.ready = true;
  statistics = new ForeignerStatistics(data, regions);
  queries = new ForeignerQueries(data, regions);
  writes = new ForeignerWrites(data, regions, queries, statistics);

  const wib = regions.childrenOf('16').slice(0, 2);
  for (const regency of wib) villages.push(...firstVillages(regency.code, 2));
  for (const province of ['51', '94']) villages.push(...firstVillages(regions.childrenOf(province)[0]!.code, 2));
  expect(villages.map((v) => timeZoneOfRegion(v).abbreviation)).toEqual([
    'WIB',
    'WIB',
    'WIB',
    'WIB',
    'WITA',
    'WITA',
    'WIT',
    'WIT',
  ]);

  // deterministic (the seed's generator), so a failure replays
  const rng = new Rng(9);
  const rnd = () => rng.next();
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  for (let i = 0; i < 60; i++) await register(pick(NATIONALITIES), pick(villages));
  for (let step = 0; step < 150; step++) {
    const id = pick(ids);
    const r = rnd();
    if (r < 0.45) await issuePermit(id, pick(PERMIT_TYPES), Math.floor(rnd() * 40) - 10);
    else if (r < 0.85) {
      await writes.recordCrossing(
        {
          foreignerId: id,
          direction: rnd() < 0.5 ? 'ENTRY' : 'EXIT',
          checkpointCode: 'CGK',
          crossedAt: new Date(Date.now() - Math.floor(rnd() * 300) * 3_600_000),
        },
        NATIONAL,
      );
    } else {
      await writes.recordAction(
        {
          foreignerId: id,
          type: 'PERMIT_REVOCATION',
          decidedAt: dayFrom(-1),
          reason: 'Bekerja tidak sesuai izin',
          office: 'Kantor Imigrasi Kelas III Baturaja',
        },
        NATIONAL,
      );
    }
  }
}, 300_000);

afterAll(async () => {
  setClock(null);
  await db?.connection.dropDatabase().catch(() => {});
  await db?.close();
});

afterEach(() => setClock(null));

describe('statistics from the counters', () => {
  it('answer as the aggregation does: national, province, regency and district asks, every grouping', async () => {
    const wibRegency = villages[0]!.slice(0, 5);
    const wibDistrict = villages[0]!.slice(0, 8);
    await expectSameAnswers([null, '16', '51', '94', wibRegency, villages[4]!.slice(0, 5), wibDistrict]);
    // a province's jurisdiction reads its cells; a district's jurisdiction (finer) the foreigners
    await expectSameAnswers(['16', wibRegency], caller(['16']));
    await expectSameAnswers([null, '16'], caller([wibDistrict]));
  }, 300_000);

  it('are read from the counters: a cell moved by hand moves the answer', async () => {
    const ask = () => statistics.statistics('16', ['NATIONALITY'], NATIONAL, 'REGISTERED');
    const before = await ask();
    // a nationality's cell: the roll-ups (`*`) are what asks not grouped by nationality read
    const cell = await tallies.ForeignerTally.findOne({
      level: 'PROVINCE',
      province: '16',
      nationality: { $ne: '*' },
      count: { $gt: 0 },
    })
      .lean()
      .exec();
    await tallies.ForeignerTally.updateOne({ _id: cell!._id }, { $inc: { count: 1000 } }).exec();
    try {
      expect((await ask()).total).toBe(before.total! + 1000);
    } finally {
      await tallies.ForeignerTally.updateOne({ _id: cell!._id }, { $inc: { count: -1000 } }).exec();
    }
    expect(await ask()).toEqual(before);
  });
});

describe('list counts from the counters', () => {
  it('answer as countDocuments does: every region level, jurisdiction and filter shape', async () => {
    const wibRegency = villages[0]!.slice(0, 5);
    const wibDistrict = villages[0]!.slice(0, 8);
    await expectSameCounts([wibRegency, null, '16', '51', '94', wibDistrict, villages[6]!.slice(0, 5)]);
    // a province's and a regency's jurisdiction read finer cells; a village's, and a village, count
    await expectSameCounts([wibRegency, null, '16', wibDistrict], caller(['16']));
    await expectSameCounts([wibRegency, null, wibDistrict], caller([wibRegency]));
    expect(tallyCount(parseForeignerFilter({ regionCode: villages[0] }), ['*'])).toBeNull();
    expect(tallyCount(parseForeignerFilter({}), [villages[0]!])).toBeNull();
  }, 300_000);

  it('are read from the counters: a cell moved by hand moves the count', async () => {
    const regency = villages[0]!.slice(0, 5);
    const filter: ForeignerFilterInput = {
      regionCode: regency,
      permitTypes: ['LIMITED_STAY', 'PERMANENT_STAY'],
      permitStatus: 'ACTIVE',
      population: 'PRESENT',
    };
    const count = async () => (await queries.list(filter, { first: 0 }, NATIONAL)).totalCount();
    const before = await count();
    const cell = await tallies.ForeignerTally.findOne({
      level: 'REGENCY',
      regency,
      nationality: '*',
      permitType: { $in: ['LIMITED_STAY', 'PERMANENT_STAY'] },
      state: 'PRESENT',
    })
      .lean()
      .exec();
    expect(cell).not.toBeNull();
    await tallies.ForeignerTally.updateOne({ _id: cell!._id }, { $inc: { count: 1000 } }).exec();
    try {
      expect(await count()).toBe(before + 1000);
    } finally {
      await tallies.ForeignerTally.updateOne({ _id: cell!._id }, { $inc: { count: -1000 } }).exec();
    }
    expect(await count()).toBe(before);
  });
});

describe('drift', () => {
  it('is found by check (exit 1), mended by repair, and check then passes', async () => {
    const lines: string[] = [];
    expect(await tallyCommand('check', data.tallies, (l) => lines.push(l))).toBe(0);
    // a write that bypassed the settle: the stamp is stale, the cells still count the old nationality
    await models.Foreigner.updateOne({ _id: ids[0] }, { $set: { nationality: 'JPN' } }).exec();
    // an $inc lost (a crash between the stamp and its count)
    const cell = await tallies.ForeignerTally.findOne({ count: { $gt: 0 } })
      .lean()
      .exec();
    await tallies.ForeignerTally.updateOne({ _id: cell!._id }, { $inc: { count: -1 } }).exec();

    lines.length = 0;
    expect(await tallyCommand('check', data.tallies, (l) => lines.push(l))).toBe(1);
    const report = lines.join('\n');
    expect(report).toContain(`${ids[0]}: `);
    expect(report).toMatch(/1 stale stamp\(s\)/);
    expect(report).toContain(`${cell!._id}: ${cell!.count - 1}, expected ${cell!.count}`);

    lines.length = 0;
    expect(await tallyCommand('repair', data.tallies, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('found and mended');
    expect(await data.tallies.check()).toEqual({ unstamped: 0, staleStamps: [], cells: [] });
    await expectSameAnswers([null, '16']);
  }, 120_000);
});

describe('concurrency', () => {
  it('counts a foreigner settled by two calls at once once', async () => {
    // changed without the settle, then settled twice at once
    await models.Foreigner.updateOne({ _id: ids[1] }, { $set: { nationality: 'NZL' } }).exec();
    // and one never counted (written before the counters), settled twice at once
    const id = ids[2]!;
    await models.Foreigner.updateOne({ _id: id }, { $unset: { tallyCell: 1, tallyUntil: 1 } }).exec();
    const stamp = (await models.Foreigner.findById(id).lean().exec())!;
    expect(stamp.tallyCell).toBeUndefined();
    // its cells as if it had never been counted
    const before = (await data.tallies.check()).staleStamps.find((s) => s.id === id)!;
    await data.tallies.increment(new Map([[before.expected.tallyCell, -1]]));

    await Promise.all([
      data.tallies.settle(ids[1]!),
      data.tallies.settle(ids[1]!),
      data.tallies.settle(id),
      data.tallies.settle(id),
    ]);
    expect(await data.tallies.check()).toEqual({ unstamped: 0, staleStamps: [], cells: [] });
    await expectSameAnswers([null]);
  }, 120_000);
});

describe('the migration', () => {
  it('counts a database written before the counters: every foreigner, once', async () => {
    await models.Foreigner.updateMany({}, { $unset: { tallyCell: 1, tallyUntil: 1 } }).exec();
    await tallies.ForeignerTally.deleteMany({}).exec();
    expect((await data.tallies.check()).unstamped).toBe(ids.length);
    expect(await data.tallies.stampAll()).toBe(ids.length);
    expect(await data.tallies.stampAll()).toBe(0);
    expect(await data.tallies.check()).toEqual({ unstamped: 0, staleStamps: [], cells: [] });
    await expectSameAnswers([null, '16', villages[0]!.slice(0, 5)]);
  }, 120_000);

  it('counts each foreigner once when settles of some run beside it, and leaves no batch token', async () => {
    await models.Foreigner.updateMany({}, { $unset: { tallyCell: 1, tallyUntil: 1 } }).exec();
    await tallies.ForeignerTally.deleteMany({}).exec();
    const [stamped] = await Promise.all([
      data.tallies.stampAll(),
      ...ids.slice(0, 8).map((id) => data.tallies.settle(id)),
    ]);
    expect(stamped).toBeGreaterThanOrEqual(ids.length - 8);
    expect(await data.tallies.check()).toEqual({ unstamped: 0, staleStamps: [], cells: [] });
    expect(await models.Foreigner.countDocuments({ tallyBatch: { $exists: true } }).exec()).toBe(0);
  }, 120_000);

  it('adds the roll-up cells to a database counted before them', async () => {
    await tallies.ForeignerTally.deleteMany({ nationality: '*' }).exec();
    expect((await data.tallies.check()).cells.length).toBeGreaterThan(0);
    expect((await data.tallies.addRollups()).cells).toBeGreaterThan(0);
    expect(await data.tallies.check()).toEqual({ unstamped: 0, staleStamps: [], cells: [] });
    await expectSameAnswers([null, '16', villages[0]!.slice(0, 5)]);
  }, 120_000);
});

describe('a day change', () => {
  it('moves permits that ended out of the in-force cells, on the day of each zone', async () => {
    // a WIB and a WIT holder whose permits end on day D (two days from now)
    const wib = await register('CHN', villages[0]!);
    const wit = await register('CHN', villages[6]!);
    await issuePermit(wib, 'LIMITED_STAY', 2);
    await issuePermit(wit, 'LIMITED_STAY', 2);
    const d = formatCalendarDate(dayFrom(2));
    const dayAfter = new Date(dayFrom(3).getTime());
    const inForceIn = async (province: string) =>
      (await statistics.statistics(province, ['PERMIT_TYPE'], NATIONAL, 'PRESENT')).total!;
    const wibPresent = await inForceIn('16');
    const witPresent = await inForceIn('94');

    // 15:30 UTC on D: 00:30 on D+1 in WIT, 22:30 on D in WIB
    setClock(new Date(`${d}T15:30:00Z`));
    expect(await inForceIn('94')).toBeLessThan(witPresent);
    expect(await inForceIn('16')).toBeLessThanOrEqual(wibPresent);
    await expectSameAnswers([null, '16', '94', '51']);
    await expectSameCounts([villages[0]!.slice(0, 5), villages[6]!.slice(0, 5), null, '94']);
    const cells = await tallies.ForeignerTally.countDocuments({}).exec();
    expect(cells).toBeGreaterThan(0);
    const witStamp = (await models.Foreigner.findById(wit).lean().exec())!;
    expect(witStamp.tallyUntil).toBeNull();
    expect((await models.Foreigner.findById(wib).lean().exec())!.tallyUntil).toBe(d);

    // 17:30 UTC on D: D+1 everywhere
    setClock(new Date(dayAfter.getTime() - 6.5 * 3_600_000));
    await expectSameAnswers([null, '16', '94', '51']);
    await expectSameCounts([villages[0]!.slice(0, 5), villages[6]!.slice(0, 5), null, '16']);
    expect((await models.Foreigner.findById(wib).lean().exec())!.tallyUntil).toBeNull();
    expect(await data.tallies.check()).toEqual({ unstamped: 0, staleStamps: [], cells: [] });

    // back to the real day: the zones' days are in the future, the statistics aggregate
    setClock(null);
    await expectSameAnswers([null, '16']);
  }, 300_000);
});

describe('the midnight settle', () => {
  it("settles a zone's expiries just after its midnight, without a read, and stops", async () => {
    // a WITA holder whose permit ends on day D (five days from now: after the days the day change
    // above settled through), and the WITA day settled through D
    const holder = await register('IND', villages[4]!);
    await issuePermit(holder, 'LIMITED_STAY', 5);
    const d = formatCalendarDate(dayFrom(5));
    const dayAfter = formatCalendarDate(dayFrom(6));
    setClock(new Date(`${d}T12:00:00Z`));
    expect(await data.tallies.settleDays([TIME_ZONES.WITA])).toBe(true);
    expect((await models.Foreigner.findById(holder).lean().exec())!.tallyUntil).toBe(d);

    // 23:59:58 WITA on D: the WITA timer fires at midnight; no read asks anything meanwhile
    setClock(new Date(`${d}T15:59:58Z`));
    const errors: unknown[] = [];
    const stop = data.tallies.settleEachMidnight((err) => errors.push(err), { after: 0, spread: 1 });
    try {
      // the day moves once its expiries are settled
      const deadline = Date.now() + 30_000;
      while ((await tallies.TallyDay.findById('day:WITA').lean().exec())!.day !== dayAfter) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect((await models.Foreigner.findById(holder).lean().exec())!.tallyUntil).toBeNull();
    } finally {
      await stop();
    }
    expect(errors).toEqual([]);
    expect(await data.tallies.check(new Date(`${d}T16:00:05Z`))).toMatchObject({ unstamped: 0, cells: [] });
  }, 60_000);
});

describe('the seed', () => {
  it('stamps and counts what it writes, over several batches', async () => {
    const dbs = await Promise.all(
      SUBGRAPH_NAMES.map((n) => connectDatabase(testMongoUri(), uniqueDbName(`tally_seed_${n}`))),
    );
    try {
      const connections = Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, dbs[i]!.connection])) as Parameters<
        typeof seedDemoData
      >[0]['connections'];
      // three batches: the second and third move cells the first created
      await seedDemoData({ connections, count: 2100 });
      const seeded = immigrationData(foreignerModels(connections.immigration));
      expect(await seeded.tallies.check()).toEqual({ unstamped: 0, staleStamps: [], cells: [] });
      const cells = tallyModels(connections.immigration).ForeignerTally;
      // each foreigner once in its nationality's cells, once in the roll-ups of every nationality
      const total = async (nationality: string | { $ne: string }) =>
        (
          await cells.aggregate<{ n: number }>([
            { $match: { level: 'REGENCY', nationality } },
            { $group: { _id: null, n: { $sum: '$count' } } },
          ])
        )[0]!.n;
      expect(await total({ $ne: '*' })).toBe(2100);
      expect(await total('*')).toBe(2100);
    } finally {
      for (const d of dbs) {
        await d.connection.dropDatabase().catch(() => {});
        await d.close();
      }
    }
  }, 300_000);
});
