/**
 * Test data written the way agencies write it: through the gateway, each agency through its
 * own subgraph. `recordFullForeigner` gives one foreigner a record of every kind.
 */
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { formatCalendarDate, TIME_ZONES, todayIn } from '../../common/time-zones.js';
import { AGENCIES } from '../../scripts/seed/coordination.js';
import { expectNoErrors, graphql, tokenFor } from './graphql.js';
import type { TestHub } from './hub.js';
import type { TestSubgraph } from './subgraph.js';

/** A national immigration reader holding every scope: sees every field of every agency, for fault tests. */
export const NATIONAL_READER: TokenRequest = {
  agencyType: 'IMMIGRATION',
  agency: 'DITJENIM-PUSAT',
  jurisdiction: ['*'],
  scopes: SCOPE_NAMES,
};

/** The input of `submitCommunityReport` with this description (a village of Baturaja), for tests counting what was written. */
export function communityReportInput(description: string): Record<string, string> {
  return {
    category: 'OTHER',
    regionCode: '16.01.14.1001',
    reportedAt: '2026-03-04T05:06:07Z',
    description,
    reportedBy: 'Kepala Desa Baturaja Lama',
  };
}

export const NATIONAL_WRITERS: Record<'immigration' | 'police' | 'localgov', TokenRequest> = {
  immigration: { agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'] },
  police: { agencyType: 'POLICE', agency: 'MABES-POLRI', jurisdiction: ['*'] },
  localgov: { agencyType: 'LOCAL_GOVERNMENT', agency: 'KEMENDAGRI', jurisdiction: ['*'] },
};

let sequence = 0;
function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}${String(Date.now() % 1_000_000).padStart(6, '0')}${sequence}`;
}

/** Runs `mutation` with `input` through the gateway as `writer`; its payload (the mutation's one field). */
export async function write(hub: TestHub, writer: TokenRequest, mutation: string, input: Record<string, unknown>) {
  const data = expectNoErrors(
    await graphql(hub.gatewayUrl, mutation, {
      token: await tokenFor(writer),
      variables: { input },
      dispatcher: hub.dispatcher,
    }),
  );
  return Object.values(data as Record<string, Record<string, unknown>>)[0]!;
}

export interface FullForeigner {
  foreignerId: string;
  passportNumber: string;
  permitNumber: string;
  incidentId: string;
}

/** A foreigner living in `villageCode` with a permit, crossing, TAK, cekal, SKLD, incident, SKTT, job and report. */
export async function recordFullForeigner(hub: TestHub, villageCode = '16.01.14.1001'): Promise<FullForeigner> {
  const passportNumber = unique('P').slice(0, 9);
  const registered = await write(
    hub,
    NATIONAL_WRITERS.immigration,
    `mutation($input: RegisterForeignerInput!) { registerForeigner(input: $input) { foreigner { id } } }`,
    {
      fullName: 'Chen Jing',
      nationality: 'CHN',
      sex: 'FEMALE',
      dateOfBirth: '1988-06-01',
      passportNumber,
      domicileRegionCode: villageCode,
    },
  );
  const foreignerId = (registered.foreigner as { id: string }).id;
  const permitNumber = unique('ITAS');
  await write(
    hub,
    NATIONAL_WRITERS.immigration,
    `mutation($input: IssueStayPermitInput!) { issueStayPermit(input: $input) { __typename } }`,
    {
      foreignerId,
      number: permitNumber,
      type: 'LIMITED_STAY',
      purpose: 'WORK',
      issuedAt: '2025-01-01',
      expiresAt: '2099-12-31',
      issuingOffice: 'Kantor Imigrasi Kelas III Baturaja',
      sponsor: { name: 'PT Semen Baturaja Fiktif', type: 'COMPANY', address: 'Jl. Raya Baturaja' },
    },
  );
  await write(
    hub,
    NATIONAL_WRITERS.immigration,
    `mutation($input: RecordBorderCrossingInput!) { recordBorderCrossing(input: $input) { __typename } }`,
    { foreignerId, direction: 'ENTRY', checkpointCode: 'PLM', crossedAt: '2025-01-02T03:04:05Z', carrier: 'QZ 123' },
  );
  await write(
    hub,
    NATIONAL_WRITERS.immigration,
    `mutation($input: RecordImmigrationActionInput!) { recordImmigrationAction(input: $input) { __typename } }`,
    {
      foreignerId,
      type: 'FINE',
      decidedAt: '2025-02-01',
      reason: 'Late report of address change',
      office: 'Kanim Baturaja',
    },
  );
  // cekal entries have no mutation of their own (they arrive from the immigration directorate's system)
  const cekalId = unique('cekal-');
  const immigration = hub.subgraphs.immigration.db.connection;
  await immigration.collection('watchlist_entries').insertOne({
    _id: cekalId as never,
    foreignerId,
    type: 'PREVENTION',
    reason: 'Witness in an ongoing investigation',
    since: new Date('2025-01-15T00:00:00Z'),
    until: null,
    requestedBy: 'KEJARI-OKU',
  });
  await write(
    hub,
    NATIONAL_WRITERS.police,
    `mutation($input: IssueSelfReportCertificateInput!) { issueSelfReportCertificate(input: $input) { __typename } }`,
    {
      foreignerId,
      number: unique('SKLD/'),
      issuedAt: '2025-01-10',
      validUntil: '2099-01-09',
      issuingUnit: 'Polres Ogan Komering Ulu',
      address: 'Jl. Dr. Moh. Hatta 12, Baturaja',
      regionCode: villageCode,
    },
  );
  const filed = await write(
    hub,
    NATIONAL_WRITERS.police,
    `mutation($input: FileIncidentInput!) { fileIncident(input: $input) { incident { id } } }`,
    {
      reportNumber: unique('LP/B/'),
      category: 'THEFT',
      occurredAt: '2025-03-03T10:00:00Z',
      regionCode: villageCode,
      summary: 'Mobile phone stolen at the market; the foreigner reported it.',
      parties: [{ foreignerId, involvement: 'VICTIM' }],
    },
  );
  await write(
    hub,
    NATIONAL_WRITERS.localgov,
    `mutation($input: RegisterResidenceInput!) { registerResidence(input: $input) { __typename } }`,
    {
      foreignerId,
      number: unique('SKTT/'),
      address: 'Jl. Dr. Moh. Hatta 12, Baturaja',
      regionCode: villageCode,
      registeredAt: '2025-01-20',
      validUntil: '2099-12-31',
    },
  );
  await write(
    hub,
    NATIONAL_WRITERS.localgov,
    `mutation($input: RecordEmploymentInput!) { recordEmployment(input: $input) { __typename } }`,
    {
      foreignerId,
      employer: 'PT Semen Baturaja Fiktif',
      employerSector: 'MANUFACTURING',
      position: 'Kiln engineer',
      workPermitNumber: unique('RPTKA/'),
      regionCode: villageCode,
      startedOn: '2025-01-05',
    },
  );
  await write(
    hub,
    NATIONAL_WRITERS.localgov,
    `mutation($input: SubmitCommunityReportInput!) { submitCommunityReport(input: $input) { __typename } }`,
    {
      category: 'SUSPICIOUS_ACTIVITY',
      regionCode: villageCode,
      reportedAt: '2025-04-04T08:00:00Z',
      description: 'Neighbours report frequent night-time visitors.',
      reportedBy: 'Kepala Desa',
      foreignerId,
    },
  );
  return { foreignerId, passportNumber, permitNumber, incidentId: (filed.incident as { id: string }).id };
}

/**
 * TIMPORA OKU Raya's member institutions (the seed's `AGENCIES`) in an immigration subgraph's
 * database: institutions have no mutation of their own (the seed writes them), and meetings and
 * operations may name only institutions that exist.
 */
export async function insertSeedAgencies(immigration: TestSubgraph): Promise<void> {
  await immigration.db.connection.collection('agencies').insertMany(AGENCIES.map((a) => ({ ...a })) as never[]);
}

/**
 * `YYYY-MM-DD` of the day `days` from today (negative: in the past), today in WIB on the hub's
 * clock, as the hub counts days for the test regions (OKU Raya is WIB).
 */
export function dayFromToday(days: number): string {
  const today = todayIn(TIME_ZONES.WIB);
  return formatCalendarDate(new Date(today.getTime() + days * 86_400_000));
}

/** Noon UTC of the day `days` from today, as a DateTime. */
export function momentFromToday(days: number): string {
  return `${dayFromToday(days)}T12:00:00Z`;
}

/**
 * Builders of single records, each written through its agency's mutation like `recordFullForeigner`,
 * for tests that need foreigners in particular situations (an expired SKLD, an overstay, …).
 */
export const records = {
  async foreigner(
    hub: TestHub,
    fields: {
      fullName: string;
      nationality: string;
      domicileRegionCode: string;
      sex?: 'FEMALE' | 'MALE';
      passportNumber?: string;
    },
  ): Promise<string> {
    const payload = await write(
      hub,
      NATIONAL_WRITERS.immigration,
      `mutation($input: RegisterForeignerInput!) { registerForeigner(input: $input) { foreigner { id } } }`,
      { sex: 'MALE', dateOfBirth: '1985-03-04', passportNumber: unique('P').slice(0, 9), ...fields },
    );
    return (payload.foreigner as { id: string }).id;
  },

  async permit(
    hub: TestHub,
    foreignerId: string,
    fields: { type: string; issuedAt: string; expiresAt: string; purpose?: string; sponsor?: Record<string, string> },
  ): Promise<string> {
    const number = unique(`${fields.type === 'VISIT' ? 'ITK' : 'ITAS'}-`);
    await write(
      hub,
      NATIONAL_WRITERS.immigration,
      `mutation($input: IssueStayPermitInput!) { issueStayPermit(input: $input) { __typename } }`,
      { foreignerId, number, purpose: 'WORK', issuingOffice: 'Kantor Imigrasi Kelas III Baturaja', ...fields },
    );
    return number;
  },

  async crossing(hub: TestHub, foreignerId: string, direction: 'ENTRY' | 'EXIT', crossedAt: string): Promise<void> {
    await write(
      hub,
      NATIONAL_WRITERS.immigration,
      `mutation($input: RecordBorderCrossingInput!) { recordBorderCrossing(input: $input) { __typename } }`,
      { foreignerId, direction, checkpointCode: 'PLM', crossedAt },
    );
  },

  async selfReport(
    hub: TestHub,
    foreignerId: string,
    fields: { issuedAt: string; validUntil: string; regionCode: string },
  ): Promise<string> {
    const number = unique('SKLD/');
    await write(
      hub,
      NATIONAL_WRITERS.police,
      `mutation($input: IssueSelfReportCertificateInput!) { issueSelfReportCertificate(input: $input) { __typename } }`,
      { foreignerId, number, issuingUnit: 'Polres Ogan Komering Ulu', address: 'Jl. Jend. Sudirman 1', ...fields },
    );
    return number;
  },

  async residence(
    hub: TestHub,
    foreignerId: string,
    fields: { registeredAt: string; validUntil: string; regionCode: string },
  ): Promise<string> {
    const number = unique('SKTT/');
    await write(
      hub,
      NATIONAL_WRITERS.localgov,
      `mutation($input: RegisterResidenceInput!) { registerResidence(input: $input) { __typename } }`,
      { foreignerId, number, address: 'Jl. Jend. Sudirman 1', ...fields },
    );
    return number;
  },

  async communityReport(
    hub: TestHub,
    fields: { category: string; regionCode: string; reportedAt: string; foreignerId?: string },
  ): Promise<string> {
    const payload = await write(
      hub,
      NATIONAL_WRITERS.localgov,
      `mutation($input: SubmitCommunityReportInput!) { submitCommunityReport(input: $input) { communityReport { id } } }`,
      { description: 'Reported by residents.', reportedBy: 'Kantor Camat Baturaja Timur', ...fields },
    );
    return (payload.communityReport as { id: string }).id;
  },
};
