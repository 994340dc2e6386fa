/**
 * Statistical disclosure control through the real gateway, on the seeded OKU Raya data: counts
 * answered to callers without the personal-data scope of the rows (a partner running its
 * registered operation, an analyst holding only `stats:read`) never show a cell below 5, and
 * differencing — a region minus its parts, one grouping minus another, A ∪ B minus A — never
 * gives one back. A member who may read the records keeps exact counts. Exports and the audit
 * of every query at once: statistical-disclosure-audit.test.ts.
 */
import fs from 'node:fs';
import { expectError, expectNoErrors, graphql, POLICE_OKU, tokenFor } from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';
import { ANALYST, MIN, key, useSeededStatisticsHub, type Statistics } from '../helpers/statistical-disclosure.js';

const COUNTS = fs.readFileSync(
  new URL('../../schema/operations/partner/ForeignerCountsByNationalityWithSuppression.graphql', import.meta.url),
  'utf8',
);

const seeded = useSeededStatisticsHub('statistical-disclosure-differencing');
const { statistics, childrenOf } = seeded;

let hub: TestHub;
let partner: string;
let analyst: string;
let member: string;

beforeAll(() => {
  ({ hub, partner, analyst, member } = seeded.current());
});

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

/** The published figures are true figures: each equals the member's exact one. */
function expectSubsetOf(published: Statistics, exact: Statistics): void {
  const truth = new Map(exact.groups.map((g) => [key(g), g.count]));
  for (const g of published.groups) expect(g.count).toBe(truth.get(key(g)));
  if (published.total !== null) expect(published.total).toBe(exact.total);
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
});
