/**
 * Statistical disclosure control through the real gateway, on the seeded OKU Raya data: counts
 * answered to callers without the personal-data scope of the rows (a partner running its
 * registered operation, an analyst holding only `stats:read`, an export) never show a cell
 * below 5, and differencing — a region minus its parts, one grouping minus another, A ∪ B
 * minus A, or every query there is at once — never gives one back. A member who may read the
 * records keeps exact counts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { ALL, NONE, ROOT } from '../../common/statistics/disclosure-control.js';
import { derivableCells, type AuditedTable } from '../../common/statistics/disclosure-audit.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { expectError, expectNoErrors, graphql, IMMIGRATION_OKU, POLICE_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');
const MIN = 5;
const COUNTS = fs.readFileSync(
  new URL('../../schema/operations/partner/ForeignerCountsByNationalityWithSuppression.graphql', import.meta.url),
  'utf8',
);

const ANALYST: TokenRequest = {
  agencyType: 'LOCAL_GOVERNMENT',
  agency: 'BAPPEDA-OKU',
  jurisdiction: ['16.01', '16.08', '16.09'],
  scopes: ['stats:read'],
};

let hub: TestHub;
let partner: string;
let analyst: string;
let member: string;

beforeAll(async () => {
  hub = await startTestHub('disclosure');
  const connections = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].db.connection]),
  ) as Record<SubgraphName, TestHub['subgraphs'][SubgraphName]['db']['connection']>;
  await seedDemoData({ connections, count: 1000 });
  partner = await tokenFor({
    agencyType: 'PARTNER',
    agency: 'PT-SAWIT-OGAN-LESTARI',
    jurisdiction: ['16.01'],
    scopes: ['permit:read', 'stats:read'],
  });
  analyst = await tokenFor(ANALYST);
  member = await tokenFor(IMMIGRATION_OKU);
}, 300_000);
afterAll(() => hub?.stop());

interface Group {
  nationality: string | null;
  permitType: string | null;
  regionCode: string | null;
  count: number;
}
interface Statistics {
  total: number | null;
  suppressed: boolean;
  unlisted: number | null;
  minimumCellSize: number | null;
  groups: Group[];
}

const STATISTICS_FIELDS =
  'total suppressed unlisted minimumCellSize groups { nationality permitType regionCode count }';

/** One region's statistics by several groupings in one request (aliases `g0`, `g1`, …), of one population. */
async function statistics(
  token: string,
  regionCode: string | null,
  groupings: string[][],
  population: 'REGISTERED' | 'PRESENT' = 'REGISTERED',
): Promise<Statistics[]> {
  const fields = groupings
    .map(
      (g, i) =>
        `g${i}: foreignerStatistics(regionCode: $regionCode, groupBy: [${g.join(', ')}], population: ${population}) { ${STATISTICS_FIELDS} }`,
    )
    .join('\n');
  const data = expectNoErrors(
    await graphql<Record<string, Statistics>>(hub.gatewayUrl, `query($regionCode: String) { ${fields} }`, {
      token,
      purpose: null,
      variables: { regionCode },
    }),
  );
  return groupings.map((_, i) => data[`g${i}`]!);
}

/** Every listed count is at least the threshold, and the total agrees with the groups. */
function expectProtected(s: Statistics, grouped = true): void {
  expect(s.minimumCellSize).toBe(MIN);
  for (const g of s.groups) expect(g.count).toBeGreaterThanOrEqual(MIN);
  if (s.total !== null) {
    expect(s.total === 0 || s.total >= MIN).toBe(true);
    if (grouped) expect(s.groups.reduce((sum, g) => sum + g.count, 0) + s.unlisted!).toBe(s.total);
    else expect(s.unlisted).toBe(0);
  }
  expect(s.suppressed).toBe(s.total === null || s.unlisted! > 0);
}

const key = (g: Group) => `${g.regionCode ?? null}|${g.nationality ?? null}|${g.permitType ?? null}`;

/** The published figures are true figures: each equals the member's exact one. */
function expectSubsetOf(published: Statistics, exact: Statistics): void {
  const truth = new Map(exact.groups.map((g) => [key(g), g.count]));
  for (const g of published.groups) expect(g.count).toBe(truth.get(key(g)));
  if (published.total !== null) expect(published.total).toBe(exact.total);
}

async function childrenOf(regionCode: string): Promise<string[]> {
  const [byRegion] = await statistics(member, regionCode, [['REGION']]);
  return byRegion!.groups.map((g) => g.regionCode).filter((c): c is string => c !== null && c !== regionCode);
}

describe('statistical disclosure control', () => {
  it("suppresses small cells in the partner's registered counts; a member with identity:read sees them exactly", async () => {
    const districts = await childrenOf('16.01');
    const villages = (await Promise.all(districts.slice(0, 6).map(childrenOf))).flat();
    let smallCells = 0;
    let withheld = 0;
    for (const regionCode of ['16.01', ...districts, ...villages]) {
      const asPartner = expectNoErrors(
        await graphql<{ foreignerStatistics: Statistics & { regionCode: string } }>(hub.gatewayUrl, COUNTS, {
          token: partner,
          purpose: null,
          variables: { regionCode },
        }),
      ).foreignerStatistics;
      const [exact] = await statistics(member, regionCode, [['NATIONALITY']]);
      expectProtected(asPartner);
      expectSubsetOf(asPartner, exact!);
      expect(exact!.minimumCellSize).toBeNull();
      expect(exact!.suppressed).toBe(false);
      smallCells += exact!.groups.filter((g) => g.count < MIN).length;
      if (asPartner.suppressed) withheld += 1;
    }
    // the check means something: the member sees cells below 5 that the partner does not
    expect(smallCells).toBeGreaterThan(10);
    expect(withheld).toBeGreaterThan(5);
  });

  it('suppresses small cells for a stats:read-only role, whichever grouping it asks for', async () => {
    const groupings = [[], ['NATIONALITY'], ['PERMIT_TYPE'], ['REGION'], ['NATIONALITY', 'PERMIT_TYPE', 'REGION']];
    for (const regionCode of [null, '16', '16.01', '16.08.02', '16.01.14']) {
      const published = await statistics(analyst, regionCode, groupings);
      const exact = await statistics(member, regionCode, groupings);
      published.forEach((s, i) => {
        expectProtected(s, groupings[i]!.length > 0);
        expectSubsetOf(s, exact[i]!);
      });
    }
  });

  it('a region minus its parts never gives back a hidden part (regency total − its districts)', async () => {
    for (const regency of ['16.01', '16.08', '16.09']) {
      const [published] = await statistics(analyst, regency, [['REGION']]);
      const [exact] = await statistics(member, regency, [['REGION']]);
      const listed = new Set(published!.groups.map(key));
      const hidden = exact!.groups.filter((g) => !listed.has(key(g)));
      for (const g of exact!.groups) if (g.count < MIN) expect(listed.has(key(g))).toBe(false);
      // with the total shown, the difference is the sum of the hidden districts: never just one
      if (published!.total !== null && published!.unlisted! > 0) expect(hidden.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('nationality × permit type minus nationality alone never isolates a hidden cell', async () => {
    const permitTypes = ['LIMITED_STAY', 'PERMANENT_STAY', 'VISIT', 'DIPLOMATIC', 'SERVICE', null];
    let differences = 0;
    for (const regionCode of ['16.01', '16.01.14', '16.08']) {
      const [byNationality, crossed] = await statistics(analyst, regionCode, [
        ['NATIONALITY'],
        ['NATIONALITY', 'PERMIT_TYPE'],
      ]);
      const [, exactCrossed] = await statistics(member, regionCode, [['NATIONALITY'], ['NATIONALITY', 'PERMIT_TYPE']]);
      for (const n of byNationality!.groups) {
        const shown = crossed!.groups.filter((g) => g.nationality === n.nationality);
        const difference = n.count - shown.reduce((sum, g) => sum + g.count, 0);
        if (difference === 0) continue;
        differences += 1;
        // the difference is the people of this nationality in unlisted permit types: an unlisted
        // group may be empty, so it pins one only when a single type is unlisted
        const unlisted = permitTypes.filter((t) => !shown.some((g) => g.permitType === t));
        expect(unlisted.length).toBeGreaterThanOrEqual(2);
        const hidden = exactCrossed!.groups.filter(
          (g) => g.nationality === n.nationality && unlisted.includes(g.permitType),
        );
        expect(hidden.reduce((sum, g) => sum + g.count, 0)).toBe(difference);
        for (const g of hidden) if (g.count < MIN) expect(difference).not.toBe(0);
      }
    }
    expect(differences).toBeGreaterThan(0);
  });

  it('A ∪ B minus A: a caller whose whole population is two villages learns neither alone', async () => {
    let pair: string[] | null = null;
    for (const district of await childrenOf('16.01')) {
      const [exact] = await statistics(member, district, [['REGION']]);
      const small = exact!.groups.filter((g) => g.count < MIN && g.regionCode !== district);
      const large = exact!.groups.filter((g) => g.count >= MIN && g.regionCode !== district);
      if (small.length > 0 && large.length > 0) {
        pair = [small[0]!.regionCode!, large[0]!.regionCode!];
        break;
      }
    }
    expect(pair).not.toBeNull();
    const twoVillages = await tokenFor({ ...ANALYST, jurisdiction: pair! });
    const [union] = await statistics(twoVillages, null, [[]]);
    const [small, large] = await Promise.all(
      pair!.map(async (code) => (await statistics(twoVillages, code, [[]]))[0]!),
    );
    expectProtected(union!, false);
    expect(small!.total).toBeNull();
    // when the union is shown the large village must not be: their difference is the small one
    if (union!.total !== null) expect(large!.total).toBeNull();
    else expect(small!.suppressed && union!.suppressed).toBe(true);
  });

  it('registered minus present never gives back a count below 5 (those who left or lost their permit)', async () => {
    const groupings = [[], ['NATIONALITY'], ['PERMIT_TYPE'], ['REGION'], ['NATIONALITY', 'PERMIT_TYPE', 'REGION']];
    let compared = 0;
    let smallDifferences = 0;
    for (const regionCode of [null, '16.01', '16.01.14', '16.08', '16.09', '16.08.02']) {
      const [registered, present, exactRegistered, exactPresent] = await Promise.all([
        statistics(analyst, regionCode, groupings, 'REGISTERED'),
        statistics(analyst, regionCode, groupings, 'PRESENT'),
        statistics(member, regionCode, groupings, 'REGISTERED'),
        statistics(member, regionCode, groupings, 'PRESENT'),
      ]);
      groupings.forEach((_, i) => {
        expectProtected(present[i]!, groupings[i]!.length > 0);
        expectSubsetOf(present[i]!, exactPresent[i]!);
        // the member sees the differences exactly, small ones included
        const exactP = new Map(exactPresent[i]!.groups.map((g) => [key(g), g.count]));
        for (const g of exactRegistered[i]!.groups) {
          const d = g.count - (exactP.get(key(g)) ?? 0);
          if (d > 0 && d < MIN) smallDifferences += 1;
        }
        // the role: a figure shown in both populations differs by nobody or by at least 5
        const shownP = new Map(present[i]!.groups.map((g) => [key(g), g.count]));
        for (const g of registered[i]!.groups) {
          const p = shownP.get(key(g));
          if (p === undefined) continue;
          compared += 1;
          const d = g.count - p;
          expect(d === 0 || d >= MIN).toBe(true);
        }
        const [r, p] = [registered[i]!.total, present[i]!.total];
        if (r !== null && p !== null) {
          compared += 1;
          expect(r - p === 0 || r - p >= MIN).toBe(true);
        }
      });
    }
    // the check means something: both were compared often, and small differences exist
    expect(compared).toBeGreaterThan(20);
    expect(smallDifferences).toBeGreaterThan(10);
  });

  it('community-report counts: suppressed without community:read, a period only as a calendar year; exact with it', async () => {
    const query = `query($from: DateTime, $to: DateTime, $groupBy: [CommunityReportDimension!]) {
      communityReportStatistics(regionCode: "16.01", reportedFrom: $from, reportedTo: $to, groupBy: $groupBy) {
        total suppressed unlisted minimumCellSize groups { category status regionCode count }
      }
    }`;
    type Answer = { communityReportStatistics: Omit<Statistics, 'groups'> & { groups: { count: number }[] } };
    for (const groupBy of [['CATEGORY'], ['CATEGORY', 'STATUS', 'REGION']]) {
      const published = expectNoErrors(
        await graphql<Answer>(hub.gatewayUrl, query, { token: analyst, purpose: null, variables: { groupBy } }),
      ).communityReportStatistics;
      expect(published.minimumCellSize).toBe(MIN);
      for (const g of published.groups) expect(g.count).toBeGreaterThanOrEqual(MIN);
    }
    const police = await tokenFor(POLICE_OKU);
    const exact = expectNoErrors(
      await graphql<Answer>(hub.gatewayUrl, query, {
        token: police,
        purpose: null,
        variables: { groupBy: ['CATEGORY', 'STATUS', 'REGION'] },
      }),
    ).communityReportStatistics;
    expect(exact.minimumCellSize).toBeNull();
    expect(exact.groups.some((g) => g.count < MIN)).toBe(true);

    const year = new Date().getUTCFullYear();
    const aYear = { from: `${year}-01-01T00:00:00Z`, to: `${year}-12-31T23:59:59Z` };
    expectNoErrors(await graphql(hub.gatewayUrl, query, { token: analyst, purpose: null, variables: aYear }));
    // any other period is a difference of two published ones
    const lastWeek = await graphql(hub.gatewayUrl, query, {
      token: analyst,
      purpose: null,
      variables: { from: `${year}-01-01T00:00:00Z`, to: `${year}-01-08T00:00:00Z` },
    });
    const error = expectError(lastWeek, 'BAD_USER_INPUT');
    expect(error.message).toMatch(/tahun kalender penuh/);
    expect(error.extensions?.field).toBe('reportedTo');
    expectNoErrors(
      await graphql(hub.gatewayUrl, query, {
        token: police,
        purpose: null,
        variables: { from: `${year}-01-01T00:00:00Z`, to: `${year}-01-08T00:00:00Z` },
      }),
    );
  });

  it('a stats:read-only role gets no totalCount of the lists themselves', async () => {
    const foreigners = await graphql(hub.gatewayUrl, '{ foreigners(first: 0) { totalCount } }', { token: analyst });
    expectError(foreigners, 'FORBIDDEN');
    const reports = await graphql(hub.gatewayUrl, '{ communityReports(first: 0) { totalCount } }', { token: analyst });
    expectError(reports, 'FORBIDDEN');
  });

  it('exports of counts apply the same rule and say what was withheld', async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'scripts/export.ts', '--gateway', hub.gatewayUrl, ...args],
          {
            cwd: ROOT_DIR,
            env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test' },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const common = [
      '--operation',
      'ForeignerStatisticsForRegion',
      '--variables',
      '{"regionCode": "16.01.14"}',
      '--rows',
      'byNationality.groups',
    ];
    const counts = (csv: string) =>
      csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => Number(line.split(',').at(-1)));
    const asAnalyst = await run(
      ...common,
      '--agency-type',
      'LOCAL_GOVERNMENT',
      '--agency',
      'BAPPEDA-OKU',
      '--jurisdiction',
      '16.01',
      '--scope',
      'stats:read',
    );
    expect(asAnalyst.code).toBe(0);
    expect(counts(asAnalyst.stdout).every((c) => c >= MIN)).toBe(true);
    expect(asAnalyst.stderr).toMatch(/disclosure control withheld figures: \d+ counted in groups below 5/);
    const asMember = await run(
      ...common,
      '--agency-type',
      'IMMIGRATION',
      '--agency',
      'KANIM-BATURAJA',
      '--jurisdiction',
      '16.01',
    );
    expect(asMember.code).toBe(0);
    expect(counts(asMember.stdout).some((c) => c < MIN)).toBe(true);
    expect(asMember.stderr).not.toMatch(/withheld/);
  });
  /**
   * Asks every region of the role's population with every grouping, in each of `populations`,
   * as the role and as a member of the same jurisdiction (`exactRole`); rebuilds the whole table
   * the role saw (with presence as a third dimension when both populations are asked) and
   * returns its audit.
   */
  async function auditEveryQuery(role: string, exactRole: string, populations: ('REGISTERED' | 'PRESENT')[]) {
    const dimensions = populations.length > 1 ? 3 : 2;
    const cells = new Map<string, { exact: number; shown: boolean }>();
    const children = new Map<string, Set<string>>();
    const values = [new Set<string>(), new Set<string>(), new Set(['PRESENT', 'NOT_PRESENT'])].slice(0, dimensions);
    const nodeOf = new Map<string | null, string>([[null, ROOT]]);
    const groupings = [
      ['REGION'],
      ['REGION', 'NATIONALITY'],
      ['REGION', 'PERMIT_TYPE'],
      ['REGION', 'NATIONALITY', 'PERMIT_TYPE'],
    ];
    // presence is the third dimension: REGISTERED its total, PRESENT one value, and NOT_PRESENT
    // (registered − present) the other, never asked but worked out below
    const note = (node: string, g: Group | null, count: number, shown: boolean, by: string[], presence: string) => {
      const coords = [
        by.includes('NATIONALITY') ? (g?.nationality ?? NONE) : ALL,
        by.includes('PERMIT_TYPE') ? (g?.permitType ?? NONE) : ALL,
        presence,
      ].slice(0, dimensions);
      coords.forEach((c, i) => c !== ALL && values[i]!.add(c));
      const k = `${node}|${coords.join('|')}`;
      const cell = cells.get(k) ?? { exact: count, shown: false };
      cell.shown ||= shown;
      cells.set(k, cell);
    };
    const queue: (string | null)[] = [null];
    let queries = 0;
    while (queue.length > 0) {
      const regionCode = queue.shift()!;
      const node = nodeOf.get(regionCode)!;
      const all = [[], ['NATIONALITY'], ['PERMIT_TYPE'], ['NATIONALITY', 'PERMIT_TYPE'], ...groupings];
      for (const population of populations) {
        const presence = population === 'PRESENT' ? 'PRESENT' : ALL;
        const [published, exact] = await Promise.all([
          statistics(role, regionCode, all, population),
          statistics(exactRole, regionCode, all, population),
        ]);
        queries += all.length;
        all.forEach((by, i) => {
          const shown = new Map(published[i]!.groups.map((g) => [key(g), g.count]));
          if (by.length === 0) note(node, null, exact[i]!.total!, published[i]!.total !== null, by, presence);
          for (const g of exact[i]!.groups) {
            let at = node;
            if (by.includes('REGION')) {
              const child = g.regionCode ?? NONE;
              at = node === ROOT ? child : `${node}/${child}`;
              let siblings = children.get(node);
              if (!siblings) children.set(node, (siblings = new Set()));
              siblings.add(at);
              if (g.regionCode && g.regionCode !== regionCode && !nodeOf.has(g.regionCode)) {
                nodeOf.set(g.regionCode, at);
                // villages are leaves: their figures all come from their district's groupings
                if (g.regionCode.split('.').length < 4) queue.push(g.regionCode);
              }
            }
            const plain = by.filter((d) => d !== 'REGION');
            if (!by.includes('REGION') && plain.length === 0) continue;
            note(at, g, g.count, shown.get(key(g)) === g.count, plain, presence);
          }
        });
      }
    }
    // the people registered but not present, cell by cell: known exactly when both figures are
    // shown (the difference table is published as good as), hidden otherwise
    if (dimensions === 3)
      for (const [k, registered] of [...cells]) {
        if (!k.endsWith(`|${ALL}`)) continue;
        const stem = k.slice(0, -ALL.length);
        // no present group listed: nobody, or hidden — the role cannot tell
        const present = cells.get(`${stem}PRESENT`) ?? { exact: 0, shown: false };
        const notPresent = registered.exact - present.exact;
        if (notPresent > 0)
          cells.set(`${stem}NOT_PRESENT`, { exact: notPresent, shown: registered.shown && present.shown });
      }
    const view: AuditedTable = {
      dimensions,
      nodes: () => [ROOT, ...[...children.values()].flatMap((s) => [...s])],
      childrenOf: (node) => [...(children.get(node) ?? [])],
      valuesOf: (i) => [...values[i]!],
      truth: (node, coords) => {
        const cell = cells.get(`${node}|${coords.join('|')}`);
        return { count: cell?.exact ?? 0, suppressed: cell ? !cell.shown : false };
      },
    };
    // the audit keeps the process busy: run it after every query of the test, since a
    // kept-alive connection may time out meanwhile
    return () => {
      const hidden = [...cells.values()].filter((c) => !c.shown);
      // an empty cell shown as 0 (nobody present in a village) discloses nobody
      const small = [...cells.values()].filter((c) => c.exact > 0 && c.exact < MIN);
      expect([...cells].filter(([, c]) => c.exact > 0 && c.exact < MIN && c.shown)).toEqual([]);
      expect(hidden.length).toBeGreaterThan(small.length);
      expect(derivableCells(view)).toEqual([]);
      return `${queries} queries, ${cells.size} cells, ${small.length} below ${MIN}, ${hidden.length} hidden, none derivable`;
    };
  }

  // last: its audit keeps the process busy long enough for a kept-alive connection to time out
  it('leaves no hidden cell derivable from every query a stats:read-only role can ask, in either population or both', async () => {
    const registered = await auditEveryQuery(analyst, member, ['REGISTERED']);
    // both populations, for a district's role: the audit grows fast with the cells (registered,
    // present and their difference per cell)
    const role = await tokenFor({ ...ANALYST, agency: 'KECAMATAN-BATURAJA-TIMUR', jurisdiction: ['16.01.14'] });
    const exact = await tokenFor({ ...IMMIGRATION_OKU, jurisdiction: ['16.01.14'] });
    const both = await auditEveryQuery(role, exact, ['REGISTERED', 'PRESENT']);
    process.stdout.write(`disclosure audit: ${registered()}\n`);
    process.stdout.write(`disclosure audit, both populations of 16.01.14: ${both()}\n`);
  }, 300_000);
});
