/**
 * The immigration subgraph's part of a meeting brief, asked of the subgraph itself on a handful of
 * foreigners written for the test: the present population, the expiring windows and the overstays
 * counted exactly, the last meeting and the joint operations since (recorded by the regency's own
 * team, the others by national writers), the regencies the caller's jurisdiction reaches, the
 * sections a caller may not read, bad input naming the argument, and the `MeetingBrief` entity
 * (with the registration holders it passes the police and the local government). The whole brief
 * on seeded data through the gateway: test/brief.
 */
import type { TokenRequest } from '../../common/auth/tokens.js';
import { countryLabel } from '../../common/i18n/labels.js';
import {
  dayFromToday,
  insertSeedAgencies,
  momentFromToday,
  NATIONAL_WRITERS,
  records,
  write,
} from '../helpers/fixtures.js';
import { AUDITOR_NATIONAL, expectError, expectNoErrors, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { subgraphAsker } from '../helpers/subgraph.js';

const TIMUR = '16.01.14.1001'; // Baturaja Timur, Kabupaten OKU
const BARAT = '16.01.13.1003'; // Baturaja Barat, Kabupaten OKU
const OKU_TIMUR = '16.08.01.1007'; // Kabupaten OKU Timur
const PALEMBANG = '16.71.01.1001';
const OKU_NAME = 'Kabupaten Ogan Komering Ulu';

let hub: TestHub;
let kanim: string;
let meetingDate: string;
/** Fixture name → foreigner id. */
const ids: Record<string, string> = {};
let lastMeetingId: string;
let operationSinceId: string;

const ask = subgraphAsker(() => hub.subgraphs.immigration, 'immigration', 'persiapan rapat koordinasi TIMPORA OKU');

/** A foreigner with a permit of `type` expiring `expiresInDays` from today, who entered 100 days ago. */
async function holder(name: string, nationality: string, village: string, type: string, expiresInDays: number) {
  ids[name] = await records.foreigner(hub, { fullName: `WNA ${name}`, nationality, domicileRegionCode: village });
  await records.permit(hub, ids[name]!, {
    type,
    issuedAt: dayFromToday(-300),
    expiresAt: dayFromToday(expiresInDays),
  });
  await records.crossing(hub, ids[name]!, 'ENTRY', momentFromToday(-100));
  return ids[name]!;
}

const MEETING = `mutation($input: RecordCoordinationMeetingInput!) { recordCoordinationMeeting(input: $input) { coordinationMeeting { id } } }`;
const OPERATION = `mutation($input: RecordJointOperationInput!) { recordJointOperation(input: $input) { jointOperation { id } } }`;

/** Kanim Baturaja for Kabupaten OKU alone: a regency's team records its own meetings and operations. */
const REGENCY_WRITER: TokenRequest = { agencyType: 'IMMIGRATION', agency: 'KANIM-BATURAJA', jurisdiction: ['16.01'] };

async function meeting(regionCode: string, daysAgo: number, writer = NATIONAL_WRITERS.immigration): Promise<string> {
  const payload = await write(hub, writer, MEETING, {
    title: `Rapat Koordinasi TIMPORA ${regionCode}`,
    heldOn: dayFromToday(-daysAgo),
    venue: 'Aula Kantor Imigrasi Baturaja',
    regionCode,
    chairCode: 'KANIM-BATURAJA',
    attendeeCodes: ['KANIM-BATURAJA', 'POLRES-OKU'],
  });
  return (payload.coordinationMeeting as { id: string }).id;
}

async function operation(regionCode: string, daysAgo: number, writer = NATIONAL_WRITERS.immigration): Promise<string> {
  const payload = await write(hub, writer, OPERATION, {
    name: `Operasi Gabungan ${regionCode}`,
    regionCode,
    startedOn: dayFromToday(-daysAgo),
    agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKU'],
    foreignersChecked: 12,
  });
  return (payload.jointOperation as { id: string }).id;
}

beforeAll(async () => {
  hub = await startTestHub('immigration_brief');
  await insertSeedAgencies(hub.subgraphs.immigration);
  meetingDate = dayFromToday(8);
  // present in Kabupaten OKU: permits expiring before the meeting, in the 30 days after it, later
  await holder('expiresBefore', 'CHN', TIMUR, 'LIMITED_STAY', 5);
  await holder('expiresAfter', 'CHN', BARAT, 'LIMITED_STAY', 20);
  await holder('permanent', 'MYS', TIMUR, 'PERMANENT_STAY', 1000);
  await holder('visitor', 'AUS', TIMUR, 'VISIT', 40);
  // not present: an overstay, and a holder who left
  await holder('overstayer', 'NLD', BARAT, 'LIMITED_STAY', -10);
  await holder('left', 'JPN', TIMUR, 'LIMITED_STAY', 300);
  await records.crossing(hub, ids.left!, 'EXIT', momentFromToday(-5));
  // present elsewhere
  await holder('okuTimur', 'KOR', OKU_TIMUR, 'LIMITED_STAY', 300);
  await holder('palembang', 'KOR', PALEMBANG, 'LIMITED_STAY', 300);

  await meeting('16', 60); // the province's TIMPORA meets for its regencies too, but earlier
  lastMeetingId = await meeting('16.01', 40, REGENCY_WRITER);
  await meeting('16.08', 10); // another regency's
  await operation('16.01.28', 50); // before the last meeting
  operationSinceId = await operation('16.01.28', 20, REGENCY_WRITER);
  await operation('16.08', 15); // another regency's
  kanim = await tokenFor(IMMIGRATION_OKU);
}, 180_000);
afterAll(() => hub?.stop());

/** What the brief's query and its entity are compared on (`generatedAt` differs by call). */
const BRIEF_FIELDS = /* GraphQL */ `
  fragment BriefFields on MeetingBrief {
    regionCode
    meetingDate
    regencies {
      code
      name
    }
    timeZone
    asOf
    population {
      regionCode
      regionName
      total
      suppressed
      unlisted
      groups {
        nationality
        nationalityName
        permitType
        permitLabel
        count
      }
    }
    minimumCellSize
    expiringBeforeMeeting {
      regionCode
      regionName
      count
    }
    expiringAfterMeeting {
      regionCode
      count
    }
    overstays {
      regionCode
      count
    }
    lastMeeting {
      id
      heldOn
      regionCode
    }
    periodStart
    jointOperationsSince {
      id
      startedOn
    }
  }
`;

const BRIEF =
  /* GraphQL */ `
    query ($regionCode: String!, $meetingDate: Date!) {
      meetingBrief(regionCode: $regionCode, meetingDate: $meetingDate) {
        ...BriefFields
      }
    }
  ` + BRIEF_FIELDS;

describe('meetingBrief', () => {
  it('counts the foreigners present in the regency, the expiring windows and the overstays exactly', async () => {
    const brief = expectNoErrors(await ask(BRIEF, kanim, { regionCode: '16.01', meetingDate })).meetingBrief;
    expect(brief).toMatchObject({
      regionCode: '16.01',
      meetingDate,
      regencies: [{ code: '16.01', name: OKU_NAME }],
      timeZone: 'WIB',
      asOf: dayFromToday(0),
      minimumCellSize: null,
      expiringBeforeMeeting: [{ regionCode: '16.01', regionName: OKU_NAME, count: 1 }],
      expiringAfterMeeting: [{ regionCode: '16.01', count: 1 }],
      overstays: [{ regionCode: '16.01', count: 1 }],
    });
    const [population] = brief.population;
    expect(population).toMatchObject({ regionCode: '16.01', regionName: OKU_NAME, total: 4, suppressed: false });
    // largest first (ties in a fixed order), named as the hub's country labels name them
    expect(population.groups).toEqual(
      [
        { nationality: 'CHN', permitType: 'LIMITED_STAY', permitLabel: 'ITAS', count: 2 },
        { nationality: 'AUS', permitType: 'VISIT', permitLabel: 'ITK', count: 1 },
        { nationality: 'MYS', permitType: 'PERMANENT_STAY', permitLabel: 'ITAP', count: 1 },
      ].map((g) => ({ ...g, nationalityName: countryLabel(g.nationality) })),
    );
  });

  it('takes the last meeting of the region before the meeting date, and the operations since its day in WIB', async () => {
    const brief = expectNoErrors(await ask(BRIEF, kanim, { regionCode: '16.01', meetingDate })).meetingBrief;
    expect(brief.lastMeeting).toEqual({ id: lastMeetingId, heldOn: dayFromToday(-40), regionCode: '16.01' });
    // the meeting's day starts at 00:00 WIB, 17:00 UTC the day before
    expect(new Date(brief.periodStart).getTime()).toBe(new Date(`${dayFromToday(-40)}T00:00:00+07:00`).getTime());
    expect(brief.jointOperationsSince).toEqual([{ id: operationSinceId, startedOn: dayFromToday(-20) }]);
    // the regency's own team, which recorded them, reads the same
    const own = await tokenFor(REGENCY_WRITER);
    const ownBrief = expectNoErrors(await ask(BRIEF, own, { regionCode: '16.01', meetingDate })).meetingBrief;
    expect(ownBrief.lastMeeting).toEqual(brief.lastMeeting);
    expect(ownBrief.jointOperationsSince).toEqual(brief.jointOperationsSince);
  });

  it('reports on the regencies the caller’s jurisdiction reaches, and refuses a region it does not reach', async () => {
    const group = expectNoErrors(
      await ask(BRIEF, kanim, { regionCode: '16.01,16.08,16.71', meetingDate }),
    ).meetingBrief;
    expect(group.regencies.map((r: { code: string }) => r.code)).toEqual(['16.01', '16.08']);
    expect(group.population.map((p: { regionCode: string; total: number }) => [p.regionCode, p.total])).toEqual([
      ['16.01', 4],
      ['16.08', 1],
    ]);
    const palembang = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'KANIM-PALEMBANG', jurisdiction: ['16.71'] });
    const refused = await ask(BRIEF, palembang, { regionCode: '16.01', meetingDate });
    expect(expectError(refused, 'FORBIDDEN').extensions?.field).toBe('regionCode');
    expect(refused.data ?? null).toBeNull();
  });

  it('gives an auditor (statistics, not a member) protected counts, and FORBIDDEN for every other section', async () => {
    const response = await ask(BRIEF, await tokenFor(AUDITOR_NATIONAL), { regionCode: '16.01', meetingDate });
    const brief = response.data.meetingBrief;
    expect(brief.minimumCellSize).toBe(5);
    // four foreigners: below the threshold, the counts are withheld
    expect(brief.population[0]).toMatchObject({ total: null, suppressed: true, groups: [] });
    for (const section of [
      'expiringBeforeMeeting',
      'expiringAfterMeeting',
      'overstays',
      'lastMeeting',
      'periodStart',
      'jointOperationsSince',
    ]) {
      expect(brief[section]).toBeNull();
      expect(response.errors!.find((e) => e.path?.[1] === section)?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it.each([
    ['a district', { regionCode: '16.01.14' }, 'regionCode'],
    ['an unknown region', { regionCode: '99.99' }, 'regionCode'],
    ['regions in two time zones', { regionCode: '16.01,51.01' }, 'regionCode'],
    ['a meeting before today', { meetingDate: dayFromToday(-1) }, 'meetingDate'],
  ])('refuses %s with BAD_USER_INPUT naming the argument', async (_, variables, field) => {
    const response = await ask(BRIEF, kanim, { regionCode: '16.01', meetingDate, ...variables });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe(field);
    expect(response.data ?? null).toBeNull();
  });
});

describe('the MeetingBrief entity', () => {
  const ENTITY =
    /* GraphQL */ `
      query ($r: [_Any!]!) {
        _entities(representations: $r) {
          ... on MeetingBrief {
            ...BriefFields
            registrationHolders
          }
        }
      }
    ` + BRIEF_FIELDS;
  const reference = (regionCode: string) => ({ __typename: 'MeetingBrief', regionCode, meetingDate });

  it('resolves a reference by region and date as `meetingBrief` answers it', async () => {
    const asked = expectNoErrors(await ask(BRIEF, kanim, { regionCode: '16.01,16.08', meetingDate })).meetingBrief;
    const [resolved] = expectNoErrors(await ask(ENTITY, kanim, { r: [reference('16.01,16.08')] }, true))._entities;
    // the same brief, and the holders the gateway passes on (next test), which no client may ask for
    const { registrationHolders: _holders, ...brief } = resolved;
    expect(brief).toEqual(asked);
  });

  it('passes the ITAS and ITAP holders present, per regency, not visitors, overstayers or those who left', async () => {
    const [brief] = expectNoErrors(await ask(ENTITY, kanim, { r: [reference('16.01,16.08')] }, true))._entities;
    expect([...brief.registrationHolders].sort()).toEqual(
      [
        `16.01 LIMITED_STAY ${ids.expiresBefore}`,
        `16.01 LIMITED_STAY ${ids.expiresAfter}`,
        `16.01 PERMANENT_STAY ${ids.permanent}`,
        `16.08 LIMITED_STAY ${ids.okuTimur}`,
      ].sort(),
    );
  });

  it('refuses a reference to a region outside the caller’s jurisdiction', async () => {
    const response = await ask(ENTITY, kanim, { r: [reference('16.71')] }, true);
    expect(expectError(response, 'FORBIDDEN').extensions?.field).toBe('regionCode');
  });
});
