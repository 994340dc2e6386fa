/**
 * Present and registered foreigners through the real gateway: who counts as present today (a
 * permit in force and no exit since the last entry), the `population` argument of
 * `foreignerStatistics` and the `population` filter of `foreigners`, and the names beside the
 * codes of every statistics group.
 */
import { todayInRegion } from '../../common/time-zones.js';
import { isPresent } from '../../subgraphs/immigration/src/services/population.js';
import type { ForeignerDoc } from '../../subgraphs/immigration/src/models/foreigner.js';
import { dayFromToday, momentFromToday, NATIONAL_WRITERS, records } from '../helpers/fixtures.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const TIMUR = '16.01.14.1001'; // Baturaja Lama, Baturaja Timur
const BARAT = '16.01.13.1003'; // Tanjungagung, Baturaja Barat

let hub: TestHub;
let member: string;
/** Fixture name → foreigner id. */
const ids: Record<string, string> = {};
const PRESENT = ['inForceEntered', 'inForceNoCrossing', 'leftAndReturned', 'baratVisitor'];
const NOT_PRESENT = ['inForceLeft', 'expiredStillHere', 'revoked', 'neverPermitted', 'baratLeft'];

async function foreigner(name: string, nationality: string, domicileRegionCode: string): Promise<string> {
  ids[name] = await records.foreigner(hub, { fullName: `WNA ${name}`, nationality, domicileRegionCode });
  return ids[name]!;
}

async function permit(id: string, type: string, expiresInDays: number): Promise<void> {
  await records.permit(hub, id, { type, issuedAt: dayFromToday(-200), expiresAt: dayFromToday(expiresInDays) });
}

beforeAll(async () => {
  hub = await startTestHub('population');
  member = await tokenFor(IMMIGRATION_OKU);

  // present: permit in force, last crossing an entry
  const a = await foreigner('inForceEntered', 'CHN', TIMUR);
  await permit(a, 'LIMITED_STAY', 300);
  await records.crossing(hub, a, 'ENTRY', momentFromToday(-10));
  // not present: permit in force, but the last crossing is an exit
  const b = await foreigner('inForceLeft', 'CHN', TIMUR);
  await permit(b, 'LIMITED_STAY', 300);
  await records.crossing(hub, b, 'ENTRY', momentFromToday(-60));
  await records.crossing(hub, b, 'EXIT', momentFromToday(-5));
  // not present: permit expired, still in the country (an overstay)
  const c = await foreigner('expiredStillHere', 'CHN', TIMUR);
  await permit(c, 'VISIT', -10);
  await records.crossing(hub, c, 'ENTRY', momentFromToday(-100));
  // present: permit in force, no crossing recorded
  const d = await foreigner('inForceNoCrossing', 'IND', TIMUR);
  await permit(d, 'PERMANENT_STAY', 1000);
  // not present: permit revoked (TAK)
  const e = await foreigner('revoked', 'IND', TIMUR);
  await permit(e, 'LIMITED_STAY', 300);
  await records.crossing(hub, e, 'ENTRY', momentFromToday(-50));
  expectNoErrors(
    await graphql(
      hub.gatewayUrl,
      `
        mutation ($input: RecordImmigrationActionInput!) {
          recordImmigrationAction(input: $input) {
            __typename
          }
        }
      `,
      {
        token: await tokenFor(NATIONAL_WRITERS.immigration),
        variables: {
          input: {
            foreignerId: e,
            type: 'PERMIT_REVOCATION',
            decidedAt: dayFromToday(-3),
            reason: 'Bekerja tidak sesuai izin',
            office: 'Kantor Imigrasi Kelas III Baturaja',
          },
        },
      },
    ),
  );
  // not present: registered, never held a permit
  await foreigner('neverPermitted', 'KOR', TIMUR);
  // present: left, came back, permit in force
  const f = await foreigner('leftAndReturned', 'KOR', TIMUR);
  await permit(f, 'LIMITED_STAY', 120);
  await records.crossing(hub, f, 'EXIT', momentFromToday(-20));
  await records.crossing(hub, f, 'ENTRY', momentFromToday(-3));
  // another district: one present, one who left
  const g = await foreigner('baratVisitor', 'KOR', BARAT);
  await permit(g, 'VISIT', 20);
  await records.crossing(hub, g, 'ENTRY', momentFromToday(-7));
  const h = await foreigner('baratLeft', 'CHN', BARAT);
  await permit(h, 'VISIT', 20);
  await records.crossing(hub, h, 'EXIT', momentFromToday(-1));
}, 180_000);
afterAll(() => hub?.stop());

interface Group {
  nationality: string | null;
  nationalityName: string | null;
  permitType: string | null;
  permitTypeLabel: string | null;
  regionCode: string | null;
  regionName: string | null;
  count: number;
}
interface Statistics {
  regionCode: string | null;
  regionName: string | null;
  population: string;
  asOf: string;
  total: number;
  groups: Group[];
}

const FIELDS =
  'regionCode regionName population asOf total groups { nationality nationalityName permitType permitTypeLabel regionCode regionName count }';

async function statistics(regionCode: string | null, groupBy: string[], population?: string): Promise<Statistics> {
  const argument = population ? `, population: ${population}` : '';
  const data = expectNoErrors(
    await graphql<{ foreignerStatistics: Statistics }>(
      hub.gatewayUrl,
      `query($regionCode: String) { foreignerStatistics(regionCode: $regionCode, groupBy: [${groupBy.join(', ')}]${argument}) { ${FIELDS} } }`,
      { token: member, purpose: null, variables: { regionCode } },
    ),
  );
  return data.foreignerStatistics;
}

async function listed(filter: Record<string, unknown>): Promise<{ ids: string[]; totalCount: number }> {
  const data = expectNoErrors(
    await graphql<{ foreigners: { totalCount: number; nodes: { id: string }[] } }>(
      hub.gatewayUrl,
      `
        query ($filter: ForeignerFilter) {
          foreigners(filter: $filter, first: 100) {
            totalCount
            nodes {
              id
            }
          }
        }
      `,
      { token: member, variables: { filter } },
    ),
  );
  return { ids: data.foreigners.nodes.map((n) => n.id).sort(), totalCount: data.foreigners.totalCount };
}

const idsOf = (names: string[]) => names.map((n) => ids[n]!).sort();
const counts = (s: Statistics, key: (g: Group) => string | null) =>
  Object.fromEntries(s.groups.map((g) => [key(g), g.count]));

describe('present and registered foreigners', () => {
  it('lists as present exactly those with a permit in force and no exit since their last entry', async () => {
    const present = await listed({ regionCode: '16.01', population: 'PRESENT' });
    expect(present.ids).toEqual(idsOf(PRESENT));
    expect(present.totalCount).toBe(PRESENT.length);
    const registered = await listed({ regionCode: '16.01', population: 'REGISTERED' });
    expect(registered.ids).toEqual(idsOf([...PRESENT, ...NOT_PRESENT]));
    // omitted: every registered foreigner, as before the filter existed
    expect((await listed({ regionCode: '16.01' })).ids).toEqual(registered.ids);
    // the expired permit still here is an overstay, not present
    expect(idsOf(['expiredStillHere'])).toEqual((await listed({ regionCode: '16.01', overstaying: true })).ids);
    // composes with the other conditions
    expect((await listed({ regionCode: '16.01.13', population: 'PRESENT' })).ids).toEqual(idsOf(['baratVisitor']));
    expect((await listed({ nationality: 'CHN', population: 'PRESENT' })).ids).toEqual(idsOf(['inForceEntered']));
  });

  it('judges presence in memory as the database condition does', async () => {
    const docs = await hub.subgraphs.immigration.db.connection
      .collection<ForeignerDoc>('foreigners')
      .find({})
      .toArray();
    const today = todayInRegion('16.01');
    const present = docs.filter((d) => isPresent(d as unknown as ForeignerDoc, today)).map((d) => d._id);
    expect(present.sort()).toEqual(idsOf(PRESENT));
  });

  it('counts both populations, says which and as of when, registered by default', async () => {
    const registered = await statistics('16.01', []);
    expect(registered).toMatchObject({
      regionCode: '16.01',
      regionName: 'Kabupaten Ogan Komering Ulu',
      population: 'REGISTERED',
      total: PRESENT.length + NOT_PRESENT.length,
      groups: [],
    });
    expect(registered.asOf).toBe(todayInRegion('16.01').toISOString().slice(0, 10));
    const present = await statistics('16.01', [], 'PRESENT');
    expect(present).toMatchObject({ population: 'PRESENT', total: PRESENT.length });
    expect((await statistics('16.01', [], 'REGISTERED')).total).toBe(registered.total);
    // the whole country has no name
    const country = await statistics(null, [], 'PRESENT');
    expect(country).toMatchObject({ regionCode: null, regionName: null, total: PRESENT.length });
  });

  it('groups by nationality with the Indonesian country name', async () => {
    const present = await statistics('16.01', ['NATIONALITY'], 'PRESENT');
    expect(counts(present, (g) => g.nationality)).toEqual({ CHN: 1, IND: 1, KOR: 2 });
    const names = Object.fromEntries(present.groups.map((g) => [g.nationality, g.nationalityName]));
    expect(names).toEqual({ CHN: 'China', IND: 'India', KOR: 'Korea Selatan' });
    for (const g of present.groups) expect(g).toMatchObject({ permitTypeLabel: null, regionName: null });
    const registered = await statistics('16.01', ['NATIONALITY']);
    expect(counts(registered, (g) => g.nationality)).toEqual({ CHN: 4, IND: 2, KOR: 3 });
  });

  it('groups by permit type with the official label', async () => {
    const present = await statistics('16.01', ['PERMIT_TYPE'], 'PRESENT');
    expect(counts(present, (g) => g.permitType)).toEqual({ LIMITED_STAY: 2, PERMANENT_STAY: 1, VISIT: 1 });
    const labels = Object.fromEntries(present.groups.map((g) => [g.permitType, g.permitTypeLabel]));
    expect(labels).toEqual({
      LIMITED_STAY: 'Izin Tinggal Terbatas (ITAS)',
      PERMANENT_STAY: 'Izin Tinggal Tetap (ITAP)',
      VISIT: 'Izin Tinggal Kunjungan (ITK)',
    });
    // registered: the ITAS holder who left, and the visitor who left, hold permits in force; the
    // expired, revoked and never permitted are under no permit type
    const registered = await statistics('16.01', ['PERMIT_TYPE'], 'REGISTERED');
    expect(counts(registered, (g) => g.permitType)).toEqual({
      LIMITED_STAY: 3,
      PERMANENT_STAY: 1,
      VISIT: 2,
      null: 3,
    });
    expect(registered.groups.find((g) => g.permitType === null)!.permitTypeLabel).toBeNull();
  });

  it('groups by region with the Kemendagri name, at each level', async () => {
    const districts = await statistics('16.01', ['REGION'], 'PRESENT');
    expect(districts.groups.map((g) => [g.regionCode, g.regionName, g.count])).toEqual([
      ['16.01.14', 'Baturaja Timur', 3],
      ['16.01.13', 'Baturaja Barat', 1],
    ]);
    const villages = await statistics('16.01.14', ['REGION', 'NATIONALITY'], 'REGISTERED');
    expect(villages.regionName).toBe('Baturaja Timur');
    for (const g of villages.groups) {
      expect(g).toMatchObject({ regionCode: TIMUR, regionName: 'Baturaja Lama' });
      expect(g.nationalityName).not.toBeNull();
    }
    expect(villages.groups.reduce((sum, g) => sum + g.count, 0)).toBe(7);
    const province = await statistics('16', ['REGION'], 'PRESENT');
    expect(province.regionName).toBe('Sumatera Selatan');
    expect(province.groups).toEqual([
      expect.objectContaining({ regionCode: '16.01', regionName: 'Kabupaten Ogan Komering Ulu', count: 4 }),
    ]);
  });

  it('answers a caller without identity:read from the protected table, in both populations', async () => {
    const analyst = await tokenFor({
      agencyType: 'LOCAL_GOVERNMENT',
      agency: 'BAPPEDA-OKU',
      jurisdiction: ['16.01'],
      scopes: ['stats:read'],
    });
    for (const population of ['PRESENT', 'REGISTERED']) {
      const data = expectNoErrors(
        await graphql(
          hub.gatewayUrl,
          `{ foreignerStatistics(regionCode: "16.01.14", groupBy: [NATIONALITY], population: ${population}) { regionName population asOf total suppressed minimumCellSize groups { count } } }`,
          { token: analyst, purpose: null },
        ),
      );
      // 3 present, 4 not (below 5), and the 7 registered hidden with them (else 9 − 7 = Baturaja Barat's 2)
      expect(data.foreignerStatistics).toMatchObject({ regionName: 'Baturaja Timur', population, minimumCellSize: 5 });
      expect(data.foreignerStatistics.groups).toEqual([]);
      expect(data.foreignerStatistics.total).toBeNull();
    }
  });

  it('rejects an unknown population', async () => {
    const response = await graphql(
      hub.gatewayUrl,
      `
        {
          foreignerStatistics(regionCode: "16.01", population: EVERYONE) {
            total
          }
        }
      `,
      { token: member, purpose: null },
    );
    expect(response.errors?.[0]?.message).toMatch(/EVERYONE/);
  });
});
