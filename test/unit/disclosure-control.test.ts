/**
 * The suppression algorithm on its own: the threshold rule, complementary suppression in the
 * linked hierarchical table, and an exact audit that no suppressed cell can be computed from
 * what is shown (every shown cell, every additive relation between them).
 */
import {
  ALL,
  ProtectedTable,
  ROOT,
  regionNodeId,
  type CountRecord,
} from '../../common/statistics/disclosure-control.js';
import { derivableCells } from '../../common/statistics/disclosure-audit.js';
import { ConfigError } from '../../common/config/parse.js';
import { loadSubgraphConfig } from '../../common/config/subgraph.js';
import { officialRegions } from '../../common/regions.js';
import { PeopleGenerator } from '../../scripts/seed/people.js';
import { emptyDocs } from '../../scripts/seed/person.js';
import { Places } from '../../scripts/seed/places.js';

/** The demo data of `npm start` (its generator, in memory): foreigners of one regency by village, nationality, permit. */
async function demoPopulation(people: number, regency: string): Promise<CountRecord[]> {
  const today = new Date(Date.UTC(2026, 11, 7));
  const generator = new PeopleGenerator(new Places(await officialRegions()), today);
  const docs = emptyDocs();
  for (let i = 0; i < people; i += 1) generator.generate(i, docs);
  const records = new Map<string, CountRecord>();
  for (const f of docs.foreigners) {
    if (f.domicileRegency !== regency) continue;
    const p = f.currentPermit;
    const permit = p && p.status === 'ACTIVE' && p.expiresAt >= today ? p.type : null;
    const region = [f.domicileProvince, f.domicileRegency, f.domicileDistrict, f.domicileRegionCode];
    const key = JSON.stringify([region, f.nationality, permit]);
    const record = records.get(key) ?? { region, values: [f.nationality, permit], count: 0 };
    record.count += 1;
    records.set(key, record);
  }
  return [...records.values()];
}

/** A deterministic pseudo-random generator (mulberry32), so a failing table can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** People spread over a small region tree, skewed so that many cells are small. */
function population(seed: number, people: number): CountRecord[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() ** 2 * list.length)]!;
  const nationalities = ['CHN', 'IND', 'MYS', 'KOR', 'JPN', 'AUS', 'NLD', 'USA'];
  const permits = ['LIMITED_STAY', 'PERMANENT_STAY', 'VISIT', null];
  const records: CountRecord[] = [];
  for (let i = 0; i < people; i += 1) {
    const regency = pick(['16.01', '16.08', '16.09']);
    const district = `${regency}.${pick(['01', '02', '03', '04'])}`;
    const village = `${district}.${pick(['2001', '2002', '2003'])}`;
    records.push({
      region: ['16', regency, district, village],
      values: [pick(nationalities), pick(permits)],
      count: 1,
    });
  }
  return records;
}

function shownCells(table: ProtectedTable): number {
  return [...table.allCells()].filter((c) => !c.suppressed).length;
}

describe('statistical disclosure control', () => {
  it('suppresses every cell below the threshold and nothing when every cell reaches it', () => {
    const big: CountRecord[] = [
      { region: ['16', '16.01'], values: ['CHN'], count: 7 },
      { region: ['16', '16.01'], values: ['IND'], count: 5 },
      { region: ['16', '16.08'], values: ['CHN'], count: 9 },
      { region: ['16', '16.08'], values: ['IND'], count: 6 },
    ];
    const table = new ProtectedTable(big, 1, 5);
    expect(table.summary.suppressed).toBe(0);
    expect(table.cell(ROOT, [ALL])).toEqual({ count: 27, suppressed: false });

    const small = new ProtectedTable(population(1, 200), 2, 5);
    for (const cell of small.allCells()) if (cell.count < 5) expect(cell.suppressed).toBe(true);
    expect(small.cell(regionNodeId(['16', '16.01']), [ALL, ALL]).count).toBeGreaterThan(5);
  });

  it('hides a second cell beside a single small one, so that the total does not give it away', () => {
    // one regency, two nationalities: IND 1, CHN 9 → IND suppressed; CHN must go with it
    const table = new ProtectedTable(
      [
        { region: ['16', '16.01'], values: ['IND'], count: 1 },
        { region: ['16', '16.01'], values: ['CHN'], count: 9 },
        { region: ['16', '16.08'], values: ['IND'], count: 6 },
        { region: ['16', '16.08'], values: ['CHN'], count: 8 },
      ],
      1,
      5,
    );
    const at = (path: string[], v: string) => table.cell(regionNodeId(path), [v]);
    expect(at(['16', '16.01'], 'IND')).toEqual({ count: null, suppressed: true });
    expect(at(['16', '16.01'], 'CHN').suppressed).toBe(true);
    // ... and the province total by nationality, or the other regency, cannot be used instead
    expect(derivableCells(table)).toEqual([]);
    expect(table.cell(ROOT, [ALL])).toEqual({ count: 24, suppressed: false });
  });

  it.each([1, 2, 3, 4, 5, 6])('leaves no suppressed cell derivable from everything shown (seed %i)', (seed) => {
    const table = new ProtectedTable(population(seed, 150 + seed * 40), 2, 5);
    expect(derivableCells(table)).toEqual([]);
    // and the figures are still worth publishing: the grand total is shown
    expect(table.cell(ROOT, [ALL, ALL]).suppressed).toBe(false);
    expect(shownCells(table)).toBeGreaterThan(0);
  });

  it.each([1, 2, 3])(
    'protects two populations together: present, registered and their difference (seed %i)',
    (seed) => {
      // presence as a third dimension, its total the registered population: present people all
      // hold a permit in force; of the others some do and some do not
      const next = random(seed + 100);
      const records = population(seed, 150 + seed * 40).map((r) => {
        const present = r.values[1] !== null && next() < 0.7;
        return { ...r, values: [...r.values, present ? 'PRESENT' : 'NOT_PRESENT'] };
      });
      const table = new ProtectedTable(records, 3, 5);
      expect(derivableCells(table)).toEqual([]);
      // registered − present is a cell of the table: a small one is never left for subtraction
      for (const cell of table.allCells()) {
        if (cell.coords[2] !== 'NOT_PRESENT' || cell.count >= 5) continue;
        const registered = table.cell(cell.node, [cell.coords[0]!, cell.coords[1]!, ALL]);
        const present = table.cell(cell.node, [cell.coords[0]!, cell.coords[1]!, 'PRESENT']);
        expect(registered.suppressed || present.suppressed).toBe(true);
      }
      expect(table.cell(ROOT, [ALL, ALL, ALL]).suppressed).toBe(false);
    },
    60_000,
  );

  it('leaves nothing derivable in the demo data of a regency, hiding few cells beyond the small ones', async () => {
    const table = new ProtectedTable(await demoPopulation(1000, '16.01'), 2, 5);
    const cells = [...table.allCells()];
    const primary = cells.filter((c) => c.count < 5).length;
    expect(derivableCells(table)).toEqual([]);
    // the figures of the regency and its larger districts survive
    expect(table.cell(regionNodeId(['16', '16.01']), [ALL, ALL]).suppressed).toBe(false);
    expect(table.cell(regionNodeId(['16', '16.01', '16.01.14']), [ALL, ALL]).suppressed).toBe(false);
    expect(table.summary.suppressed - primary).toBeLessThan(primary / 4);
  }, 60_000);

  it('refuses a threshold that would publish a person, at start', () => {
    const load = (value: string) => () =>
      loadSubgraphConfig('immigration', { MONGODB_URI: 'mongodb://127.0.0.1/x', STATS_MIN_CELL: value });
    expect(load('5')().statsMinCell).toBe(5);
    for (const bad of ['1', '0', 'five', '2.5', '101']) {
      expect(load(bad)).toThrow(ConfigError);
      expect(load(bad)).toThrow(/STATS_MIN_CELL/);
    }
  });

  it('finds the derivable cell of a naive pattern (the audit is not vacuous)', () => {
    // a table whose only small cell is suppressed alone: the audit must catch it
    const naive = new ProtectedTable(
      [
        { region: ['16', '16.01'], values: ['IND'], count: 5 },
        { region: ['16', '16.01'], values: ['CHN'], count: 9 },
      ],
      1,
      5,
    );
    const cell = [...naive.allCells()].find((c) => c.node === regionNodeId(['16', '16.01']) && c.coords[0] === 'IND')!;
    (cell as { suppressed: boolean }).suppressed = true;
    expect(derivableCells(naive)).toEqual([`${cell.node}|IND`]);
  });
});
