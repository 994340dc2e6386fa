/**
 * "Today" as the office lives it, through the real gateway: the hub played (`setClock`) at
 * 23:30 and 00:30 in WIB, WITA and WIT around the last day D of a permit, of an SKLD and of an
 * SKTT, and around New Year for the community-report statistics. Each foreigner is judged on
 * the calendar day of their own domicile, also in one national query mixing the three zones.
 */
import { setClock } from '../../common/clock.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { formatCalendarDate, TIME_ZONES, todayIn } from '../../common/time-zones.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { NATIONAL_WRITERS, records } from '../helpers/fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const DAY_MS = 86_400_000;
const dayOf = (d: Date) => formatCalendarDate(d);

// D: the permits' last day, ten days ago, so every instant played lies in the real past (dates
// the mutations refuse in the future); the clock only moves what "today" is
const D = new Date(todayIn(TIME_ZONES.WIB, new Date()).getTime() - 10 * DAY_MS);
const d = dayOf(D);
const instant = (utcTime: string, dayOffset = 0) =>
  new Date(`${dayOf(new Date(D.getTime() + dayOffset * DAY_MS))}T${utcTime}Z`);

/** The instants played, and which zones are past D there (00:00 of D+1 is 17:00Z WIB, 16:00Z WITA, 15:00Z WIT). */
const INSTANTS = [
  { label: '23:30 WIT on D', at: instant('14:30:00'), expired: [] as string[] },
  { label: '00:30 WIT on D+1 (23:30 WITA on D)', at: instant('15:30:00'), expired: ['WIT'] },
  { label: '00:30 WITA on D+1 (23:30 WIB on D)', at: instant('16:30:00'), expired: ['WIT', 'WITA'] },
  { label: '00:30 WIB on D+1', at: instant('17:30:00'), expired: ['WIT', 'WITA', 'WIB'] },
];

const HOMES = { WIB: '16.01.14.1001', WITA: '51.71.01.1001', WIT: '91.71.01.1001' } as const;
type Zone = keyof typeof HOMES;
const ZONES = Object.keys(HOMES) as Zone[];

const NATIONAL_READER: TokenRequest = NATIONAL_WRITERS.immigration;

let hub: TestHub;
let national: string;
let oku: string;
const people = {} as Record<Zone, { id: string; passportNumber: string; permitNumber: string }>;
let registered: string;

beforeAll(async () => {
  hub = await startTestHub('time-zones', {
    // a permit check per zone and instant, and more: well within the day's limits
    subgraphEnv: {
      PERMIT_CHECKS_PER_CALLER_PER_MINUTE: '1000',
      PERMIT_CHECKS_PER_CALLER_PER_HOUR: '10000',
      STATS_MIN_CELL: '2',
    },
  });
  national = await tokenFor(NATIONAL_READER);
  oku = await tokenFor(IMMIGRATION_OKU);
  for (const zone of ZONES) {
    const passportNumber = `TZ${zone.padEnd(4, 'X')}01`;
    const id = await records.foreigner(hub, {
      fullName: `Zona ${zone}`,
      nationality: 'AUS',
      domicileRegionCode: HOMES[zone],
      passportNumber,
    });
    const permitNumber = await records.permit(hub, id, {
      type: 'LIMITED_STAY',
      issuedAt: dayOf(new Date(D.getTime() - 300 * DAY_MS)),
      expiresAt: d,
    });
    people[zone] = { id, passportNumber, permitNumber };
  }
  // an ITAS holder in OKU whose permit runs on, but whose SKLD and SKTT end on D
  registered = await records.foreigner(hub, {
    fullName: 'Terdaftar OKU',
    nationality: 'JPN',
    domicileRegionCode: HOMES.WIB,
  });
  await records.permit(hub, registered, {
    type: 'LIMITED_STAY',
    issuedAt: dayOf(new Date(D.getTime() - 300 * DAY_MS)),
    expiresAt: dayOf(new Date(D.getTime() + 300 * DAY_MS)),
  });
  const issued = dayOf(new Date(D.getTime() - 200 * DAY_MS));
  await records.selfReport(hub, registered, { issuedAt: issued, validUntil: d, regionCode: HOMES.WIB });
  await records.residence(hub, registered, { registeredAt: issued, validUntil: d, regionCode: HOMES.WIB });
}, 180_000);

afterEach(() => setClock(null));
afterAll(() => hub?.stop());

const PERSON = `query($id: ID!) {
  foreigner(id: $id) {
    currentPermit { number status }
    stayPermits { number status }
    overstay { days permitExpiresAt }
  }
}`;

interface Person {
  foreigner: {
    currentPermit: { number: string; status: string } | null;
    stayPermits: { number: string; status: string }[];
    overstay: { days: number; permitExpiresAt: string } | null;
  };
}

const LIST = `query($filter: ForeignerFilter) { foreigners(filter: $filter, first: 50) { totalCount nodes { fullName } } }`;

async function namesOf(token: string, filter: Record<string, unknown>): Promise<string[]> {
  const data = expectNoErrors(
    await graphql<{ foreigners: { nodes: { fullName: string }[] } }>(hub.gatewayUrl, LIST, {
      token,
      variables: { filter: { nameContains: 'Zona', ...filter } },
    }),
  );
  return data.foreigners.nodes.map((n) => n.fullName).sort();
}

const zonesNamed = (zones: readonly string[]) => zones.map((z) => `Zona ${z}`).sort();

describe.each(INSTANTS)('at $label', ({ at, expired }) => {
  const inForce = ZONES.filter((z) => !expired.includes(z));

  it('judges each permit on the day of its holder: status, current permit, overstay', async () => {
    setClock(at);
    for (const zone of ZONES) {
      const { foreigner } = expectNoErrors(
        await graphql<Person>(hub.gatewayUrl, PERSON, { token: national, variables: { id: people[zone].id } }),
      );
      const past = expired.includes(zone);
      expect(foreigner.stayPermits).toEqual([
        { number: people[zone].permitNumber, status: past ? 'EXPIRED' : 'ACTIVE' },
      ]);
      expect(foreigner.currentPermit).toEqual(past ? null : { number: people[zone].permitNumber, status: 'ACTIVE' });
      expect(foreigner.overstay).toEqual(past ? { days: 1, permitExpiresAt: d } : null);
    }
  });

  it('lists by permit status and overstay per zone in one national query', async () => {
    setClock(at);
    expect(await namesOf(national, { overstaying: true })).toEqual(zonesNamed(expired));
    expect(await namesOf(national, { overstaying: false })).toEqual(zonesNamed(inForce));
    expect(await namesOf(national, { permitStatus: 'EXPIRED' })).toEqual(zonesNamed(expired));
    expect(await namesOf(national, { permitStatus: 'ACTIVE' })).toEqual(zonesNamed(inForce));
    // a region of one zone: OKU Raya's office sees its own WNA on WIB's day
    expect(await namesOf(oku, { overstaying: true })).toEqual(zonesNamed(expired.filter((z) => z === 'WIB')));
    for (const zone of ZONES) {
      expect(await namesOf(national, { regionCode: HOMES[zone].slice(0, 5), permitStatus: 'ACTIVE' })).toEqual(
        zonesNamed(inForce.filter((z) => z === zone)),
      );
    }
  });

  it('counts and lists the WNA present (permit in force, no exit) on the day of each one’s zone', async () => {
    setClock(at);
    expect(await namesOf(national, { population: 'PRESENT' })).toEqual(zonesNamed(inForce));
    expect(await namesOf(national, { population: 'REGISTERED' })).toEqual(zonesNamed(ZONES));
    const query = `query($regionCode: String, $population: Population) {
      foreignerStatistics(regionCode: $regionCode, groupBy: [REGION], population: $population) {
        total asOf groups { regionCode count }
      }
    }`;
    type Answer = {
      foreignerStatistics: { total: number; asOf: string; groups: { regionCode: string; count: number }[] };
    };
    const present = expectNoErrors(
      await graphql<Answer>(hub.gatewayUrl, query, { token: national, variables: { population: 'PRESENT' } }),
    ).foreignerStatistics;
    // the registered ITAS holder of 16 is present throughout
    expect(Object.fromEntries(present.groups.map((g) => [g.regionCode, g.count]))).toEqual({
      16: inForce.includes('WIB') ? 2 : 1,
      ...(inForce.includes('WITA') ? { 51: 1 } : {}),
      ...(inForce.includes('WIT') ? { 91: 1 } : {}),
    });
    // a region reports the day of its own zone
    const jayapura = expectNoErrors(
      await graphql<Answer>(hub.gatewayUrl, query, {
        token: national,
        variables: { regionCode: '91.71', population: 'PRESENT' },
      }),
    ).foreignerStatistics;
    expect(jayapura.asOf).toBe(dayOf(todayIn(TIME_ZONES.WIT, at)));
    expect(jayapura.total).toBe(inForce.includes('WIT') ? 1 : 0);
  });

  it('counts permits in force per zone in the statistics, national and by region', async () => {
    setClock(at);
    const query = `query($regionCode: String) {
      foreignerStatistics(regionCode: $regionCode, groupBy: [PERMIT_TYPE, REGION]) {
        total groups { permitType regionCode count }
      }
    }`;
    type Answer = {
      foreignerStatistics: {
        total: number;
        groups: { permitType: string | null; regionCode: string; count: number }[];
      };
    };
    const { foreignerStatistics } = expectNoErrors(await graphql<Answer>(hub.gatewayUrl, query, { token: national }));
    expect(foreignerStatistics.total).toBe(4);
    const inForceByProvince = Object.fromEntries(
      foreignerStatistics.groups.filter((g) => g.permitType === 'LIMITED_STAY').map((g) => [g.regionCode, g.count]),
    );
    // 16 also holds the registered ITAS holder, whose permit runs on
    expect(inForceByProvince).toEqual({
      16: inForce.includes('WIB') ? 2 : 1,
      ...(inForce.includes('WITA') ? { 51: 1 } : {}),
      ...(inForce.includes('WIT') ? { 91: 1 } : {}),
    });
    const denpasar = expectNoErrors(
      await graphql<Answer>(hub.gatewayUrl, query, { token: national, variables: { regionCode: '51.71' } }),
    ).foreignerStatistics;
    expect(denpasar.groups.map((g) => g.permitType)).toEqual([inForce.includes('WITA') ? 'LIMITED_STAY' : null]);
  });

  it('checks each permit (verifyStayPermit) on the day of its holder', async () => {
    setClock(at);
    for (const zone of ZONES) {
      const answer = expectNoErrors(
        await graphql<{ verifyStayPermit: { valid: boolean; reason: string; expiresAt: string } }>(
          hub.gatewayUrl,
          `
            query ($p: String!, $n: String!) {
              verifyStayPermit(permitNumber: $p, passportNumber: $n) {
                valid
                reason
                expiresAt
              }
            }
          `,
          { token: national, variables: { p: people[zone].permitNumber, n: people[zone].passportNumber } },
        ),
      ).verifyStayPermit;
      const past = expired.includes(zone);
      expect(answer).toEqual({ valid: !past, reason: past ? 'EXPIRED' : 'VALID', expiresAt: d });
    }
  });
});

describe('published statistics (disclosure control) around midnight WIB', () => {
  it('rebuild the protected table for the day the hub clock is on, forward and back', async () => {
    // only stats:read: the counts come from the cached protected table of the caller's population
    const analyst = await tokenFor({ ...IMMIGRATION_OKU, scopes: ['stats:read'] });
    const query = `{ foreignerStatistics(regionCode: "16.01", groupBy: [PERMIT_TYPE]) { total groups { permitType count } } }`;
    type Answer = { foreignerStatistics: { total: number; groups: { permitType: string | null; count: number }[] } };
    const ask = async () =>
      expectNoErrors(await graphql<Answer>(hub.gatewayUrl, query, { token: analyst, purpose: null }))
        .foreignerStatistics;
    // 00:30 WIB on D+1: one of the two OKU ITAS has ended, cells of 1 are withheld (minimum 2)
    setClock(instant('17:30:00'));
    expect(await ask()).toEqual({ total: 2, groups: [] });
    // an hour back, 23:30 WIB on D: both in force; the table of the later hour is not reused
    setClock(instant('16:30:00'));
    expect(await ask()).toEqual({ total: 2, groups: [{ permitType: 'LIMITED_STAY', count: 2 }] });
    setClock(instant('17:30:00'));
    expect(await ask()).toEqual({ total: 2, groups: [] });
  });
});

describe('registration compliance around midnight WIB', () => {
  const query = `query($id: ID!) { foreigner(id: $id) { selfReportCompliance residenceCompliance } }`;
  type Answer = { foreigner: { selfReportCompliance: string; residenceCompliance: string } };

  it('holds an SKLD and an SKTT valid until D valid at 23:30 WIB on D, expired at 00:30 WIB on D+1', async () => {
    // 23:30 WIB is already 00:30 WITA and 01:30 WIT on D+1: a UTC or eastern day would say expired
    setClock(instant('16:30:00'));
    const before = expectNoErrors(
      await graphql<Answer>(hub.gatewayUrl, query, { token: national, variables: { id: registered } }),
    );
    expect(before.foreigner).toEqual({ selfReportCompliance: 'VALID', residenceCompliance: 'VALID' });
    setClock(instant('17:30:00'));
    const after = expectNoErrors(
      await graphql<Answer>(hub.gatewayUrl, query, { token: national, variables: { id: registered } }),
    );
    expect(after.foreigner).toEqual({ selfReportCompliance: 'EXPIRED', residenceCompliance: 'EXPIRED' });
  });
});

describe('regions', () => {
  it('tell their time zone', async () => {
    const data = expectNoErrors(
      await graphql<Record<string, { timeZone: string }>>(
        hub.gatewayUrl,
        `
          {
            oku: region(code: "16.01") {
              timeZone
            }
            bali: region(code: "51.71") {
              timeZone
            }
            papua: region(code: "91.71.01.1001") {
              timeZone
            }
          }
        `,
        { token: national },
      ),
    );
    expect(data).toEqual({ oku: { timeZone: 'WIB' }, bali: { timeZone: 'WITA' }, papua: { timeZone: 'WIT' } });
  });
});

describe('community-report statistics across New Year in WIB', () => {
  it('counts a report at 23:30 WIB on 31 December in the old year and one at 00:30 WIB on 1 January in the new', async () => {
    const year = new Date().getUTCFullYear() - 1;
    for (const reportedAt of [`${year - 1}-12-31T23:30:00+07:00`, `${year}-01-01T00:30:00+07:00`]) {
      // two of each, so that the counts clear the minimum cell of 2 set for this hub
      for (let i = 0; i < 2; i += 1) {
        expectNoErrors(
          await graphql(
            hub.gatewayUrl,
            `
              mutation ($input: SubmitCommunityReportInput!) {
                submitCommunityReport(input: $input) {
                  communityReport {
                    id
                  }
                }
              }
            `,
            {
              token: await tokenFor(NATIONAL_WRITERS.localgov),
              variables: {
                input: {
                  category: 'SUSPICIOUS_ACTIVITY',
                  regionCode: HOMES.WIB,
                  reportedAt,
                  description: 'Warga melihat kegiatan mencurigakan pada malam pergantian tahun.',
                  reportedBy: 'Ketua RT',
                },
              },
            },
          ),
        );
      }
    }
    // an analyst without community:read: the protected table by calendar year
    const analyst = await tokenFor({ ...NATIONAL_WRITERS.localgov, scopes: ['stats:read'] });
    const query = `query($from: DateTime, $to: DateTime) {
      communityReportStatistics(regionCode: "16.01", reportedFrom: $from, reportedTo: $to, groupBy: []) { total }
    }`;
    const totalIn = async (from: string, to: string) =>
      expectNoErrors(
        await graphql<{ communityReportStatistics: { total: number } }>(hub.gatewayUrl, query, {
          token: analyst,
          purpose: null,
          variables: { from, to },
        }),
      ).communityReportStatistics.total;
    // the year in WIB bounds, and the same year named in UTC bounds: each report in its WIB year
    expect(await totalIn(`${year - 1}-01-01T00:00:00+07:00`, `${year - 1}-12-31T23:59:59+07:00`)).toBe(2);
    expect(await totalIn(`${year}-01-01T00:00:00+07:00`, `${year}-12-31T23:59:59+07:00`)).toBe(2);
    expect(await totalIn(`${year}-01-01T00:00:00Z`, `${year}-12-31T23:59:59Z`)).toBe(2);
  });
});
