/**
 * The immigration subgraph's TIMPORA records on their own, against a real FerretDB: the member
 * institutions (`agency`, `agencies` and the `Agency` entity), recording coordination meetings and
 * joint operations and listing them by region, who may read and write them (a write only for a
 * region in the caller's jurisdiction), and every validation error. How a meeting's records feed
 * the brief: meeting-brief.test.ts and test/brief.
 */
import { randomUUID } from 'node:crypto';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { AGENCIES as SEED_AGENCIES } from '../../scripts/seed/coordination.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { insertSeedAgencies, NATIONAL_WRITERS } from '../helpers/fixtures.js';
import {
  AUDITOR_NATIONAL,
  expectError,
  expectNoErrors,
  graphql,
  IMMIGRATION_OKU,
  POLICE_OKU,
  tokenFor,
} from '../helpers/graphql.js';
import { startTestSubgraph, subgraphAsker, type TestSubgraph } from '../helpers/subgraph.js';

let subgraph: TestSubgraph;
let national: string;
let kanim: string;
let police: string;
let auditor: string;

const ask = subgraphAsker(() => subgraph, 'immigration');

beforeAll(async () => {
  subgraph = await startTestSubgraph(immigrationSubgraph, 'immigration_coordination');
  await insertSeedAgencies(subgraph);
  [national, kanim, police, auditor] = await Promise.all([
    tokenFor(NATIONAL_WRITERS.immigration),
    tokenFor(IMMIGRATION_OKU),
    tokenFor(POLICE_OKU),
    tokenFor(AUDITOR_NATIONAL),
  ]);
});
afterAll(() => subgraph?.stop());

const count = (collection: string) => subgraph.db.connection.collection(collection).countDocuments();

/** A recording mutation and the listing of what it records. */
interface RecordingWrite {
  mutation: string;
  listing: string;
  collection: string;
  input(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Fields (below `input.`) with the values that make them wrong, refused by the service. */
  bad: [string, Record<string, unknown>][];
  /** A date field and a value the `Date` scalar refuses before the service runs. */
  notADay: [string, string];
}

/**
 * The refusals every recording mutation owes, none writing anything: each bad value is
 * `BAD_USER_INPUT` naming its field, a caller without `immigration:write` is `FORBIDDEN`; and an
 * auditor, not a member, may not read the listing.
 */
function itRefusesBadWrites(write: RecordingWrite): void {
  const writesNothing = async (token: string, overrides: Record<string, unknown> = {}) => {
    const before = await count(write.collection);
    const response = await ask(write.mutation, token, { input: write.input(overrides) });
    expect(response.data ?? null).toBeNull();
    expect(await count(write.collection)).toBe(before);
    return response;
  };

  it.each(write.bad)(
    'rejects a bad %s with BAD_USER_INPUT naming the field, writing nothing',
    async (field, overrides) => {
      const response = await writesNothing(national, overrides);
      expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe(`input.${field}`);
    },
  );

  const [dateField, notADay] = write.notADay;
  it(`rejects a ${dateField} that is no day in the Date scalar, naming the field, writing nothing`, async () => {
    const response = await writesNothing(national, { [dateField]: notADay });
    expect(expectError(response, 'BAD_USER_INPUT').message).toContain(dateField);
  });

  it('is written only with immigration:write: the police are refused with FORBIDDEN, an auditor may not read', async () => {
    const refused = await writesNothing(police);
    expect(expectError(refused, 'FORBIDDEN').extensions?.scope).toBe('immigration:write');
    expectError(await ask(write.listing, auditor, { regionCode: '16.01' }), 'FORBIDDEN');
  });
}

/** Kanim Baturaja as the seed writes it, as `Agency` answers it. */
const { _id: KANIM_CODE, ...KANIM_FIELDS } = SEED_AGENCIES.find((a) => a._id === 'KANIM-BATURAJA')!;
const KANIM = { code: KANIM_CODE, ...KANIM_FIELDS };

describe('member institutions', () => {
  const AGENCY = /* GraphQL */ `
    query ($code: ID!) {
      agency(code: $code) {
        code
        name
        type
        regionCode
      }
    }
  `;
  const AGENCIES = /* GraphQL */ `
    query ($type: AgencyType, $regionCode: String) {
      agencies(type: $type, regionCode: $regionCode) {
        code
        type
        regionCode
      }
    }
  `;

  it('reads one institution by code, and null for an unknown code', async () => {
    expect(expectNoErrors(await ask(AGENCY, police, { code: 'KANIM-BATURAJA' })).agency).toEqual(KANIM);
    expect(expectNoErrors(await ask(AGENCY, police, { code: 'KANIM-ATLANTIS' })).agency).toBeNull();
  });

  it('lists institutions by type and by region (the region or below it, whole codes only), in code order', async () => {
    const byType = expectNoErrors(await ask(AGENCIES, police, { type: 'POLICE' })).agencies;
    expect(byType.map((a: { code: string }) => a.code)).toEqual([
      'POLDA-SUMSEL',
      'POLRES-OKU',
      'POLRES-OKUS',
      'POLRES-OKUT',
    ]);
    const okut = expectNoErrors(await ask(AGENCIES, police, { regionCode: '16.08' })).agencies;
    expect(okut.length).toBeGreaterThan(3);
    expect(
      okut.every((a: { regionCode: string }) => a.regionCode === '16.08' || a.regionCode.startsWith('16.08.')),
    ).toBe(true);
    const both = expectNoErrors(await ask(AGENCIES, police, { type: 'POLICE', regionCode: '16.08' })).agencies;
    expect(both).toEqual([{ code: 'POLRES-OKUT', type: 'POLICE', regionCode: '16.08' }]);
    // `16.0` is not a prefix of `16.01`: a region code matches by whole segments
    expect(expectNoErrors(await ask(AGENCIES, police, { regionCode: '16.0' })).agencies).toEqual([]);
    const province = expectNoErrors(await ask(AGENCIES, police, { regionCode: '16' })).agencies;
    expect(province.length).toBe(expectNoErrors(await ask(AGENCIES, police)).agencies.length);
  });

  it('is for member institutions only: an auditor is refused with FORBIDDEN', async () => {
    for (const query of [AGENCY, AGENCIES]) {
      const response = await ask(query, auditor, { code: 'KANIM-BATURAJA' });
      expectError(response, 'FORBIDDEN');
      expect(JSON.stringify(response.data ?? null)).not.toContain('Baturaja');
    }
  });

  it('resolves Agency references for the gateway as `agency` answers them, null for an unknown code', async () => {
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Agency { code name type regionCode } } }`,
        police,
        { r: ['KANIM-BATURAJA', 'KANIM-ATLANTIS'].map((code) => ({ __typename: 'Agency', code })) },
        true,
      ),
    );
    expect(data._entities).toEqual([
      expectNoErrors(await ask(AGENCY, police, { code: 'KANIM-BATURAJA' })).agency,
      null,
    ]);
  });
});

describe('coordination meetings', () => {
  const MEETING = /* GraphQL */ `
    fragment Meeting on CoordinationMeeting {
      id
      title
      heldOn
      venue
      regionCode
      chair {
        code
      }
      attendees {
        code
      }
      conclusions
    }
  `;
  const RECORD =
    /* GraphQL */ `
      mutation ($input: RecordCoordinationMeetingInput!) {
        recordCoordinationMeeting(input: $input) {
          coordinationMeeting {
            ...Meeting
          }
        }
      }
    ` + MEETING;
  const MEETINGS =
    /* GraphQL */ `
      query ($regionCode: String) {
        coordinationMeetings(regionCode: $regionCode) {
          ...Meeting
        }
      }
    ` + MEETING;

  function meeting(overrides: Record<string, unknown> = {}) {
    return {
      title: 'Rapat Koordinasi TIMPORA Kabupaten OKU',
      heldOn: '2025-03-12',
      venue: 'Aula Kantor Imigrasi Baturaja',
      regionCode: '16.01',
      chairCode: 'KANIM-BATURAJA',
      attendeeCodes: ['KANIM-BATURAJA', 'POLRES-OKU', 'KESBANGPOL-OKU'],
      conclusions: 'Pendataan SKTT di Baturaja Timur.',
      ...overrides,
    };
  }
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const record = async (name: string, overrides: Record<string, unknown>) => {
      ids[name] = expectNoErrors(
        await ask(RECORD, national, { input: meeting(overrides) }),
      ).recordCoordinationMeeting.coordinationMeeting.id;
    };
    await record('okuMarch', {});
    await record('okuJune', { heldOn: '2025-06-18', title: 'Rapat Koordinasi TIMPORA OKU Triwulan II' });
    await record('okut', {
      heldOn: '2025-05-07',
      regionCode: '16.08',
      chairCode: 'POLRES-OKUT',
      attendeeCodes: ['POLRES-OKUT'],
    });
  });

  it('records a meeting and answers it with its chair and attendees, each attendee once', async () => {
    const data = expectNoErrors(
      await ask(RECORD, kanim, {
        input: meeting({
          heldOn: '2025-01-08',
          attendeeCodes: ['POLRES-OKU', 'KODIM-0403-OKU', 'POLRES-OKU'],
          conclusions: null,
        }),
      }),
    );
    const recorded = data.recordCoordinationMeeting.coordinationMeeting;
    expect(recorded).toEqual({
      id: expect.any(String),
      title: 'Rapat Koordinasi TIMPORA Kabupaten OKU',
      heldOn: '2025-01-08',
      venue: 'Aula Kantor Imigrasi Baturaja',
      regionCode: '16.01',
      chair: { code: 'KANIM-BATURAJA' },
      attendees: [{ code: 'POLRES-OKU' }, { code: 'KODIM-0403-OKU' }],
      conclusions: null,
    });
    const listed = expectNoErrors(await ask(MEETINGS, police, { regionCode: '16.01' })).coordinationMeetings;
    expect(listed.find((m: { id: string }) => m.id === recorded.id)).toEqual(recorded);
  });

  it('lists the meetings of a region, newest first, and not those of another regency', async () => {
    const oku = expectNoErrors(await ask(MEETINGS, police, { regionCode: '16.01' })).coordinationMeetings;
    const okuIds = oku.map((m: { id: string }) => m.id);
    expect(okuIds.indexOf(ids.okuJune)).toBeLessThan(okuIds.indexOf(ids.okuMarch));
    expect(okuIds).not.toContain(ids.okut);
    const dates = oku.map((m: { heldOn: string }) => m.heldOn);
    expect(dates).toEqual([...dates].sort().reverse());
    const okut = expectNoErrors(await ask(MEETINGS, police, { regionCode: '16.08' })).coordinationMeetings;
    expect(okut).toEqual([
      expect.objectContaining({ id: ids.okut, regionCode: '16.08', chair: { code: 'POLRES-OKUT' } }),
    ]);
    const all = expectNoErrors(await ask(MEETINGS, police)).coordinationMeetings;
    expect(all.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(Object.values(ids)));
  });

  itRefusesBadWrites({
    mutation: RECORD,
    listing: MEETINGS,
    collection: 'coordination_meetings',
    input: meeting,
    bad: [
      ['title', { title: '   ' }],
      ['regionCode', { regionCode: '99.99' }],
      ['chairCode', { chairCode: 'KANIM-ATLANTIS' }],
      ['attendeeCodes', { attendeeCodes: [] }],
      ['attendeeCodes.1', { attendeeCodes: ['POLRES-OKU', 'POLRES-ATLANTIS'] }],
    ],
    notADay: ['heldOn', '2025-02-30'],
  });
});

describe('joint operations', () => {
  const OPERATION = /* GraphQL */ `
    fragment Operation on JointOperation {
      id
      name
      regionCode
      startedOn
      endedOn
      agencies {
        code
        type
      }
      foreignersChecked
      findings
    }
  `;
  const RECORD =
    /* GraphQL */ `
      mutation ($input: RecordJointOperationInput!) {
        recordJointOperation(input: $input) {
          jointOperation {
            ...Operation
          }
        }
      }
    ` + OPERATION;
  const OPERATIONS =
    /* GraphQL */ `
      query ($regionCode: String) {
        jointOperations(regionCode: $regionCode) {
          ...Operation
        }
      }
    ` + OPERATION;

  function operation(overrides: Record<string, unknown> = {}) {
    return {
      name: 'Operasi Gabungan Lengkiti',
      regionCode: '16.01.28',
      startedOn: '2025-04-14',
      endedOn: '2025-04-15',
      agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKU'],
      foreignersChecked: 42,
      findings: 'Tiga WNA bekerja tanpa ITAS kerja.',
      ...overrides,
    };
  }

  it('records an operation with its institutions, and lists it in its district and regency, newest first', async () => {
    const recorded = expectNoErrors(
      await ask(RECORD, national, {
        input: operation({ agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKU', 'KANIM-BATURAJA'] }),
      }),
    ).recordJointOperation.jointOperation;
    expect(recorded).toEqual({
      id: expect.any(String),
      name: 'Operasi Gabungan Lengkiti',
      regionCode: '16.01.28',
      startedOn: '2025-04-14',
      endedOn: '2025-04-15',
      agencies: [
        { code: 'KANIM-BATURAJA', type: 'IMMIGRATION' },
        { code: 'POLRES-OKU', type: 'POLICE' },
      ],
      foreignersChecked: 42,
      findings: 'Tiga WNA bekerja tanpa ITAS kerja.',
    });
    const running = expectNoErrors(
      await ask(RECORD, kanim, {
        input: operation({
          name: 'Operasi Gabungan Baturaja Timur',
          regionCode: '16.01.14',
          startedOn: '2025-08-01',
          endedOn: null,
          findings: null,
        }),
      }),
    ).recordJointOperation.jointOperation;
    expect(running).toMatchObject({ endedOn: null, findings: null });
    const elsewhere = expectNoErrors(
      await ask(RECORD, national, { input: operation({ regionCode: '16.08', agencyCodes: ['POLRES-OKUT'] }) }),
    ).recordJointOperation.jointOperation;

    const oku = expectNoErrors(await ask(OPERATIONS, police, { regionCode: '16.01' })).jointOperations;
    expect(oku).toEqual([running, recorded]);
    expect(expectNoErrors(await ask(OPERATIONS, police, { regionCode: '16.01.28' })).jointOperations).toEqual([
      recorded,
    ]);
    expect(expectNoErrors(await ask(OPERATIONS, police, { regionCode: '16.08' })).jointOperations).toEqual([elsewhere]);
  });

  itRefusesBadWrites({
    mutation: RECORD,
    listing: OPERATIONS,
    collection: 'joint_operations',
    input: operation,
    bad: [
      ['name', { name: '' }],
      ['regionCode', { regionCode: 'OKU' }],
      ['endedOn', { startedOn: '2025-04-14', endedOn: '2025-04-13' }],
      ['agencyCodes', { agencyCodes: [] }],
      ['agencyCodes.0', { agencyCodes: ['BNN-ATLANTIS'] }],
      ['foreignersChecked', { foreignersChecked: -1 }],
    ],
    notADay: ['startedOn', 'kemarin'],
  });
});

/**
 * Recording a meeting or an operation is a write about its region: a regency's team records its
 * regency (and its districts), a province's team its province and regencies, a national caller any
 * region; anything else is FORBIDDEN naming `input.regionCode`, with nothing written.
 */
describe('who may record: the region in the caller’s jurisdiction', () => {
  /** An officer whose token covers Kabupaten OKU (16.01) alone. */
  const REGENCY: TokenRequest = { agencyType: 'IMMIGRATION', agency: 'KANIM-BATURAJA', jurisdiction: ['16.01'] };
  /** The province's team (Sumatera Selatan, 16). */
  const PROVINCE: TokenRequest = {
    agencyType: 'IMMIGRATION',
    agency: 'KANWIL-KEMENKUMHAM-SUMSEL',
    jurisdiction: ['16'],
  };
  let regency: string;
  let province: string;

  beforeAll(async () => {
    [regency, province] = await Promise.all([tokenFor(REGENCY), tokenFor(PROVINCE)]);
  });

  const WRITES = [
    {
      name: 'recordCoordinationMeeting',
      collection: 'coordination_meetings',
      mutation: /* GraphQL */ `
        mutation ($input: RecordCoordinationMeetingInput!) {
          recordCoordinationMeeting(input: $input) {
            coordinationMeeting {
              id
              regionCode
            }
          }
        }
      `,
      input: (regionCode: string) => ({
        title: `Rapat Koordinasi TIMPORA ${regionCode}`,
        heldOn: '2025-09-10',
        venue: 'Aula Kantor Imigrasi Baturaja',
        regionCode,
        // a province's office chairs, the regency's attend: institutions of other regions are fine
        chairCode: 'KANWIL-KEMENKUMHAM-SUMSEL',
        attendeeCodes: ['KANIM-BATURAJA', 'POLRES-OKU', 'POLDA-SUMSEL'],
      }),
      unknownInstitutions: { chairCode: 'KANIM-ATLANTIS', attendeeCodes: ['POLRES-ATLANTIS'] },
      recorded: (data: Record<string, { coordinationMeeting: { id: string; regionCode: string } }>) =>
        data.recordCoordinationMeeting!.coordinationMeeting,
    },
    {
      name: 'recordJointOperation',
      collection: 'joint_operations',
      mutation: /* GraphQL */ `
        mutation ($input: RecordJointOperationInput!) {
          recordJointOperation(input: $input) {
            jointOperation {
              id
              regionCode
            }
          }
        }
      `,
      input: (regionCode: string) => ({
        name: `Operasi Gabungan ${regionCode}`,
        regionCode,
        startedOn: '2025-09-15',
        endedOn: '2025-09-16',
        agencyCodes: ['KANIM-BATURAJA', 'POLDA-SUMSEL'],
        foreignersChecked: 7,
      }),
      unknownInstitutions: { agencyCodes: ['BNN-ATLANTIS'] },
      recorded: (data: Record<string, { jointOperation: { id: string; regionCode: string } }>) =>
        data.recordJointOperation!.jointOperation,
    },
  ];

  describe.each(WRITES)('$name', (write) => {
    const record = (token: string, regionCode: string, options: { language?: string; key?: string } = {}) =>
      graphql(subgraph.url, write.mutation, {
        token,
        variables: { input: write.input(regionCode) },
        language: options.language,
        headers: options.key ? { 'idempotency-key': options.key } : {},
      });

    /** Records `regionCode` as `token`: answered with it, one more row in the collection. */
    async function recordsOne(token: string, regionCode: string) {
      const before = await count(write.collection);
      const recorded = write.recorded(expectNoErrors(await record(token, regionCode)));
      expect(recorded.regionCode).toBe(regionCode);
      expect(await count(write.collection)).toBe(before + 1);
      return recorded;
    }

    /** Refused with FORBIDDEN naming `input.regionCode`, the collection unchanged; the error. */
    async function refuses(token: string, regionCode: string, language?: string) {
      const before = await count(write.collection);
      const response = await record(token, regionCode, { language });
      expect(response.data ?? null).toBeNull();
      const error = expectError(response, 'FORBIDDEN');
      expect(error.extensions?.field).toBe('input.regionCode');
      expect(await count(write.collection)).toBe(before);
      return error;
    }

    it('a regency’s officer records its own regency and a district of it', async () => {
      await recordsOne(regency, '16.01');
      await recordsOne(regency, '16.01.14');
    });

    it('a regency’s officer is refused a neighbouring regency, the city, its province and another province', async () => {
      const error = await refuses(regency, '16.08');
      expect(error.message).toBe('input.regionCode: wilayah 16.08 berada di luar yurisdiksi KANIM-BATURAJA (16.01)');
      await refuses(regency, '16.71');
      await refuses(regency, '16');
      await refuses(regency, '18.71');
      const english = await refuses(regency, '16.71', 'en');
      expect(english.message).toBe(
        'input.regionCode: region 16.71 is outside the jurisdiction of KANIM-BATURAJA (16.01)',
      );
    });

    it('a province’s team records the province and any regency of it, not another province', async () => {
      await recordsOne(province, '16');
      await recordsOne(province, '16.08');
      await recordsOne(province, '16.01.14');
      await refuses(province, '18.71');
    });

    it('a national caller records any region', async () => {
      await recordsOne(national, '18.71');
      await recordsOne(national, '16.71');
    });

    it('is refused before the institutions are looked up: outside the jurisdiction, unknown codes give FORBIDDEN', async () => {
      const before = await count(write.collection);
      const input = { ...write.input('16.08'), ...write.unknownInstitutions };
      const response = await graphql(subgraph.url, write.mutation, { token: regency, variables: { input } });
      expect(expectError(response, 'FORBIDDEN').extensions?.field).toBe('input.regionCode');
      expect(await count(write.collection)).toBe(before);
    });

    it('replays an idempotent write once, and runs a refused key again once its region is corrected', async () => {
      const key = randomUUID();
      const before = await count(write.collection);
      const first = write.recorded(expectNoErrors(await record(regency, '16.01', { key })));
      const replay = write.recorded(expectNoErrors(await record(regency, '16.01', { key })));
      expect(replay).toEqual(first);
      expect(await count(write.collection)).toBe(before + 1);

      const refusedKey = randomUUID();
      const refused = await record(regency, '16.08', { key: refusedKey });
      expect(expectError(refused, 'FORBIDDEN').extensions?.field).toBe('input.regionCode');
      expect(await count(write.collection)).toBe(before + 1);
      // a refused write keeps no answer: the same key runs again, here with the caller's own region
      const corrected = write.recorded(expectNoErrors(await record(regency, '16.01', { key: refusedKey })));
      expect(corrected.id).not.toBe(first.id);
      expect(await count(write.collection)).toBe(before + 2);
    });
  });
});
