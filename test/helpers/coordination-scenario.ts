/**
 * The situations a TIMPORA coordination meeting asks about, written through the agencies'
 * mutations: ITAS/ITAP holders with and without a valid SKLD and SKTT, a visitor, an
 * overstayer and two foreigners whose permits expired after (or before) they left, a holder
 * outside the region, and community reports inside and outside a region and period.
 *
 * Domiciles: A–D in Baturaja Timur (16.01.14), E–G in Baturaja Barat (16.01.13), both in
 * Kabupaten Ogan Komering Ulu (16.01); H in Kota Palembang (16.71).
 */
import { findSavedOperation } from '../../scripts/export/saved-operations.js';
import { dayFromToday, momentFromToday, records } from './fixtures.js';
import { POLICE_OKU, graphql, tokenFor, type GraphQLResponse } from './graphql.js';
import { startTestHub, type TestHub } from './hub.js';

export const BATURAJA_TIMUR = '16.01.14.1001';
export const BATURAJA_BARAT = '16.01.13.2001';
export const PALEMBANG = '16.71.01.1001';

export interface CoordinationScenario {
  /** ITAS, valid SKLD and SKTT. */
  valid: string;
  /** ITAS expiring in 20 days, no SKLD, valid SKTT. */
  noSkld: string;
  /** ITAP, expired SKLD, no SKTT. */
  expiredSkld: string;
  /** Visit permit: no SKLD or SKTT required. */
  visitor: string;
  /** ITAS expired 45 days ago, entered and never left: overstaying. */
  overstayer: string;
  /** ITAS expired 60 days ago, left 50 days ago (after the expiry): not overstaying. */
  exitedLate: string;
  /** ITAS expired 30 days ago, left 40 days ago (before the expiry): not overstaying. */
  leftInTime: string;
  /** ITAS holder in Palembang without SKLD or SKTT: outside 16.01. */
  outside: string;
  /** Sponsor and permit numbers of the holders, by foreigner id. */
  permitNumbers: Record<string, string>;
  skldNumbers: Record<string, string>;
  skttNumbers: Record<string, string>;
}

const SPONSOR = { name: 'PT Semen Baturaja Fiktif', type: 'COMPANY' };

export async function recordCoordinationScenario(hub: TestHub): Promise<CoordinationScenario> {
  const permitNumbers: Record<string, string> = {};
  const skldNumbers: Record<string, string> = {};
  const skttNumbers: Record<string, string> = {};
  const holder = async (
    fullName: string,
    nationality: string,
    domicileRegionCode: string,
    type: string,
    expiresInDays: number,
  ) => {
    const id = await records.foreigner(hub, { fullName, nationality, domicileRegionCode });
    permitNumbers[id] = await records.permit(hub, id, {
      type,
      issuedAt: dayFromToday(-400),
      expiresAt: dayFromToday(expiresInDays),
      sponsor: SPONSOR,
    });
    await records.crossing(hub, id, 'ENTRY', momentFromToday(-399));
    return id;
  };

  const valid = await holder('Ahmad Fauzi', 'MYS', BATURAJA_TIMUR, 'LIMITED_STAY', 400);
  skldNumbers[valid] = await records.selfReport(hub, valid, {
    issuedAt: dayFromToday(-390),
    validUntil: dayFromToday(400),
    regionCode: BATURAJA_TIMUR,
  });
  skttNumbers[valid] = await records.residence(hub, valid, {
    registeredAt: dayFromToday(-385),
    validUntil: dayFromToday(400),
    regionCode: BATURAJA_TIMUR,
  });

  const noSkld = await holder('Wang Lei', 'CHN', BATURAJA_TIMUR, 'LIMITED_STAY', 20);
  skttNumbers[noSkld] = await records.residence(hub, noSkld, {
    registeredAt: dayFromToday(-380),
    validUntil: dayFromToday(20),
    regionCode: BATURAJA_TIMUR,
  });

  const expiredSkld = await holder('Zhang Wei', 'CHN', BATURAJA_TIMUR, 'PERMANENT_STAY', 1500);
  skldNumbers[expiredSkld] = await records.selfReport(hub, expiredSkld, {
    issuedAt: dayFromToday(-395),
    validUntil: dayFromToday(-30),
    regionCode: BATURAJA_TIMUR,
  });

  const visitor = await holder('Olivia Brown', 'AUS', BATURAJA_TIMUR, 'VISIT', 60);

  const overstayer = await holder('Jan de Vries', 'NLD', BATURAJA_BARAT, 'LIMITED_STAY', -45);
  const exitedLate = await holder('Fiona Clarke', 'GBR', BATURAJA_BARAT, 'LIMITED_STAY', -60);
  await records.crossing(hub, exitedLate, 'EXIT', momentFromToday(-50));
  const leftInTime = await holder('Sato Haruki', 'JPN', BATURAJA_BARAT, 'LIMITED_STAY', -30);
  await records.crossing(hub, leftInTime, 'EXIT', momentFromToday(-40));

  const outside = await holder('Kim Min-jun', 'KOR', PALEMBANG, 'LIMITED_STAY', 300);

  // community reports: three in 16.01 within the last 60 days, one older, one in Palembang
  await records.communityReport(hub, {
    category: 'UNREGISTERED_STAY',
    regionCode: BATURAJA_TIMUR,
    reportedAt: momentFromToday(-10),
    foreignerId: expiredSkld,
  });
  await records.communityReport(hub, {
    category: 'UNREGISTERED_STAY',
    regionCode: BATURAJA_BARAT,
    reportedAt: momentFromToday(-20),
  });
  await records.communityReport(hub, {
    category: 'ILLEGAL_WORK',
    regionCode: BATURAJA_TIMUR,
    reportedAt: momentFromToday(-5),
    foreignerId: noSkld,
  });
  await records.communityReport(hub, {
    category: 'POLITICAL_ACTIVITY',
    regionCode: BATURAJA_TIMUR,
    reportedAt: momentFromToday(-100),
  });
  await records.communityReport(hub, {
    category: 'ILLEGAL_WORK',
    regionCode: PALEMBANG,
    reportedAt: momentFromToday(-3),
  });

  return {
    valid,
    noSkld,
    expiredSkld,
    visitor,
    overstayer,
    exitedLate,
    leftInTime,
    outside,
    permitNumbers,
    skldNumbers,
    skttNumbers,
  };
}

export interface MeetingHub {
  hub: TestHub;
  scenario: CoordinationScenario;
  /** A police officer of Polres OKU (16.01). */
  police: string;
}

/** A hub with the coordination scenario written through the agencies' mutations. */
export async function startMeetingHub(label: string): Promise<MeetingHub> {
  const hub = await startTestHub(label);
  try {
    return { hub, scenario: await recordCoordinationScenario(hub), police: await tokenFor(POLICE_OKU) };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

/** Runs a saved operation (schema/operations/) through the gateway, as the meeting does. */
export function runSavedOperation(
  hub: TestHub,
  name: string,
  token: string,
  variables: Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
): Promise<GraphQLResponse<any>> {
  return graphql(hub.gatewayUrl, findSavedOperation(name).text, {
    token,
    variables,
    purpose: 'TIMPORA OKU coordination meeting',
  });
}

/**
 * Starts the meeting hub before the file's tests (handing it to `started`) and stops it after
 * them; returns the saved-operation runner on it.
 */
export function useMeetingHub(label: string, started: (meeting: MeetingHub) => void) {
  let hub: TestHub | undefined;
  beforeAll(async () => {
    const meeting = await startMeetingHub(label);
    hub = meeting.hub;
    started(meeting);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });
  return (name: string, token: string, variables: Record<string, unknown>) =>
    runSavedOperation(hub!, name, token, variables);
}
