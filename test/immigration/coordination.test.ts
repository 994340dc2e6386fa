/**
 * The immigration subgraph's TIMPORA records on their own, against a real FerretDB: the member
 * institutions (`agency`, `agencies` and the `Agency` entity), recording coordination meetings and
 * joint operations and listing them by region, who may read and write them, and every
 * validation error. How a meeting's records feed the brief: meeting-brief.test.ts and test/brief.
 */
import { AGENCIES as SEED_AGENCIES } from '../../scripts/seed/coordination.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { insertSeedAgencies, NATIONAL_WRITERS } from '../helpers/fixtures.js';
import {
  AUDITOR_NATIONAL,
  expectError,
  expectNoErrors,
  IMMIGRATION_OKU,
  POLICE_OKU,
  tokenFor,
} from '../helpers/graphql.js';
import { askSubgraph, startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

let subgraph: TestSubgraph;
let national: string;
let kanim: string;
let police: string;
let auditor: string;

const ask = (query: string, token: string, variables: Record<string, unknown> = {}, asGateway = false) =>
  askSubgraph(subgraph, query, token, variables, asGateway ? 'immigration' : undefined);

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
  const RECORD = /* GraphQL */ `
    mutation ($input: RecordCoordinationMeetingInput!) {
      recordCoordinationMeeting(input: $input) {
        coordinationMeeting {
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
      }
    }
  `;
  const MEETINGS = /* GraphQL */ `
    query ($regionCode: String) {
      coordinationMeetings(regionCode: $regionCode) {
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
    }
  `;

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

  it.each([
    ['title', { title: '   ' }],
    ['regionCode', { regionCode: '99.99' }],
    ['chairCode', { chairCode: 'KANIM-ATLANTIS' }],
    ['attendeeCodes', { attendeeCodes: [] }],
    ['attendeeCodes.1', { attendeeCodes: ['POLRES-OKU', 'POLRES-ATLANTIS'] }],
  ])('rejects a bad %s with BAD_USER_INPUT naming the field, writing nothing', async (field, overrides) => {
    const before = await count('coordination_meetings');
    const response = await ask(RECORD, national, { input: meeting(overrides) });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe(`input.${field}`);
    expect(response.data).toBeNull();
    expect(await count('coordination_meetings')).toBe(before);
  });

  it('rejects a day that does not exist in the Date scalar, naming the field, writing nothing', async () => {
    const before = await count('coordination_meetings');
    const response = await ask(RECORD, national, { input: meeting({ heldOn: '2025-02-30' }) });
    expect(expectError(response, 'BAD_USER_INPUT').message).toContain('heldOn');
    expect(response.data ?? null).toBeNull();
    expect(await count('coordination_meetings')).toBe(before);
  });

  it('is written only with immigration:write: the police are refused with FORBIDDEN, an auditor may not read', async () => {
    const before = await count('coordination_meetings');
    const refused = await ask(RECORD, police, { input: meeting() });
    expect(expectError(refused, 'FORBIDDEN').extensions?.scope).toBe('immigration:write');
    expect(await count('coordination_meetings')).toBe(before);
    expectError(await ask(MEETINGS, auditor, { regionCode: '16.01' }), 'FORBIDDEN');
  });
});

describe('joint operations', () => {
  const RECORD = /* GraphQL */ `
    mutation ($input: RecordJointOperationInput!) {
      recordJointOperation(input: $input) {
        jointOperation {
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
      }
    }
  `;
  const OPERATIONS = /* GraphQL */ `
    query ($regionCode: String) {
      jointOperations(regionCode: $regionCode) {
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
    }
  `;

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

  it.each([
    ['name', { name: '' }],
    ['regionCode', { regionCode: 'OKU' }],
    ['endedOn', { startedOn: '2025-04-14', endedOn: '2025-04-13' }],
    ['agencyCodes', { agencyCodes: [] }],
    ['agencyCodes.0', { agencyCodes: ['BNN-ATLANTIS'] }],
    ['foreignersChecked', { foreignersChecked: -1 }],
  ])('rejects a bad %s with BAD_USER_INPUT naming the field, writing nothing', async (field, overrides) => {
    const before = await count('joint_operations');
    const response = await ask(RECORD, national, { input: operation(overrides) });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe(`input.${field}`);
    expect(response.data).toBeNull();
    expect(await count('joint_operations')).toBe(before);
  });

  it('rejects a start that is not a date in the Date scalar, naming the field, writing nothing', async () => {
    const before = await count('joint_operations');
    const response = await ask(RECORD, national, { input: operation({ startedOn: 'kemarin' }) });
    expect(expectError(response, 'BAD_USER_INPUT').message).toContain('startedOn');
    expect(response.data ?? null).toBeNull();
    expect(await count('joint_operations')).toBe(before);
  });

  it('is written only with immigration:write: the police are refused with FORBIDDEN, an auditor may not read', async () => {
    const before = await count('joint_operations');
    const refused = await ask(RECORD, police, { input: operation() });
    expect(expectError(refused, 'FORBIDDEN').extensions?.scope).toBe('immigration:write');
    expect(await count('joint_operations')).toBe(before);
    expectError(await ask(OPERATIONS, auditor, { regionCode: '16.01' }), 'FORBIDDEN');
  });
});
