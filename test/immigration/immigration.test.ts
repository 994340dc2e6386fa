/**
 * The immigration subgraph on its own, against a real FerretDB: registering foreigners,
 * issuing permits, crossings and TAK, the queries over them, and every validation error.
 */
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { expectError, expectNoErrors, graphql, IMMIGRATION_OKU, POLICE_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

let subgraph: TestSubgraph;
let token: string;

beforeAll(async () => {
  subgraph = await startTestSubgraph(immigrationSubgraph, 'immigration');
  token = await tokenFor(IMMIGRATION_OKU);
});
afterAll(() => subgraph?.stop());

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterForeignerInput!) {
    registerForeigner(input: $input) {
      foreigner {
        id
        fullName
        nationality
        passportNumber
        domicileRegionCode
      }
    }
  }
`;
const ISSUE = /* GraphQL */ `
  mutation Issue($input: IssueStayPermitInput!) {
    issueStayPermit(input: $input) {
      stayPermit {
        number
        type
        status
        expiresAt
        sponsor {
          name
        }
      }
      foreigner {
        currentPermit {
          number
        }
      }
    }
  }
`;

let passportSeq = 100000;
function person(overrides: Record<string, unknown> = {}) {
  passportSeq += 1;
  return {
    fullName: 'Li Wei',
    nationality: 'CHN',
    sex: 'MALE',
    dateOfBirth: '1985-04-12',
    passportNumber: `E${passportSeq}`,
    domicileRegionCode: '16.01.14.1001',
    ...overrides,
  };
}

async function register(overrides: Record<string, unknown> = {}): Promise<string> {
  const data = expectNoErrors(
    await graphql(subgraph.url, REGISTER, { token, variables: { input: person(overrides) } }),
  );
  return data.registerForeigner.foreigner.id;
}

function permit(foreignerId: string, overrides: Record<string, unknown> = {}) {
  return {
    foreignerId,
    number: `2C11JE${Math.floor(Math.random() * 1e9)}`,
    type: 'LIMITED_STAY',
    purpose: 'WORK',
    issuedAt: '2025-01-10',
    expiresAt: '2099-01-09',
    issuingOffice: 'Kantor Imigrasi Kelas III Baturaja',
    sponsor: { name: 'PT Sawit Ogan Lestari', type: 'COMPANY' },
    ...overrides,
  };
}

async function countForeigners(): Promise<number> {
  return subgraph.db.connection.collection('foreigners').countDocuments();
}

describe('registerForeigner', () => {
  it('registers a foreigner and reads it back by id', async () => {
    const id = await register({ fullName: 'Tanaka Hiroshi', nationality: 'JPN' });
    const data = expectNoErrors(
      await graphql(
        subgraph.url,
        `
          query ($id: ID!) {
            foreigner(id: $id) {
              fullName
              nationality
              sex
              dateOfBirth
            }
          }
        `,
        {
          token,
          variables: { id },
        },
      ),
    );
    expect(data.foreigner).toEqual({
      fullName: 'Tanaka Hiroshi',
      nationality: 'JPN',
      sex: 'MALE',
      dateOfBirth: '1985-04-12',
    });
  });

  it.each([
    ['nationality', { nationality: 'XYZ' }],
    ['nationality', { nationality: 'cn' }],
    ['passportNumber', { passportNumber: 'ab-12' }],
    ['domicileRegionCode', { domicileRegionCode: '99.99' }],
    ['dateOfBirth', { dateOfBirth: '2999-01-01' }],
    ['fullName', { fullName: '   ' }],
  ])('rejects a bad %s with BAD_USER_INPUT naming the field, writing nothing', async (field, overrides) => {
    const before = await countForeigners();
    const response = await graphql(subgraph.url, REGISTER, { token, variables: { input: person(overrides) } });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe(`input.${field}`);
    expect(response.data).toBeNull();
    expect(await countForeigners()).toBe(before);
  });

  it('rejects an unknown enum value through GraphQL validation', async () => {
    const response = await graphql(subgraph.url, REGISTER, { token, variables: { input: person({ sex: 'OTHER' }) } });
    expectError(response, 'BAD_USER_INPUT');
  });

  it('refuses a passport number registered twice', async () => {
    await register({ passportNumber: 'X7654321' });
    const response = await graphql(subgraph.url, REGISTER, {
      token,
      variables: { input: person({ passportNumber: 'X7654321' }) },
    });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe('input.passportNumber');
  });

  it('is refused to callers without immigration:write', async () => {
    const police = await tokenFor(POLICE_OKU);
    const before = await countForeigners();
    const response = await graphql(subgraph.url, REGISTER, { token: police, variables: { input: person() } });
    expectError(response, 'FORBIDDEN');
    expect(await countForeigners()).toBe(before);
  });
});

describe('stay permits', () => {
  it('issues a permit that becomes the current permit and verifies against the passport', async () => {
    const id = await register({ passportNumber: 'C1234567' });
    const input = permit(id, { number: 'ITAS-OKU-000001' });
    const data = expectNoErrors(await graphql(subgraph.url, ISSUE, { token, variables: { input } }));
    expect(data.issueStayPermit.stayPermit).toMatchObject({
      number: 'ITAS-OKU-000001',
      status: 'ACTIVE',
      expiresAt: '2099-01-09',
    });
    expect(data.issueStayPermit.foreigner.currentPermit.number).toBe('ITAS-OKU-000001');

    const verify = `query($p: String!, $n: String!) { verifyStayPermit(permitNumber: $p, passportNumber: $n) { valid reason expiresAt } }`;
    const ok = expectNoErrors(
      await graphql(subgraph.url, verify, { token, variables: { p: 'ITAS-OKU-000001', n: 'C1234567' } }),
    );
    expect(ok.verifyStayPermit).toEqual({ valid: true, reason: 'VALID', expiresAt: '2099-01-09' });
    const wrong = expectNoErrors(
      await graphql(subgraph.url, verify, { token, variables: { p: 'ITAS-OKU-000001', n: 'C7654321' } }),
    );
    expect(wrong.verifyStayPermit).toEqual({ valid: false, reason: 'NO_MATCH', expiresAt: null });
  });

  it.each([
    ['expiresAt', { issuedAt: '2025-01-10', expiresAt: '2025-01-10' }],
    ['expiresAt', { issuedAt: '2025-01-10', expiresAt: '2024-12-31' }],
    ['foreignerId', { foreignerId: 'no-such-foreigner' }],
    ['number', { number: 'x' }],
    ['issuingOffice', { issuingOffice: '' }],
    ['sponsor.name', { sponsor: { name: '', type: 'COMPANY' } }],
  ])('rejects an incoherent %s and writes nothing', async (field, overrides) => {
    const id = await register();
    const permits = subgraph.db.connection.collection('stay_permits');
    const before = await permits.countDocuments();
    const response = await graphql(subgraph.url, ISSUE, { token, variables: { input: permit(id, overrides) } });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe(`input.${field}`);
    expect(await permits.countDocuments()).toBe(before);
  });

  it('marks a permit past its expiry as EXPIRED and a revocation as REVOKED', async () => {
    const id = await register({ passportNumber: 'D7654321' });
    expectNoErrors(
      await graphql(subgraph.url, ISSUE, {
        token,
        variables: {
          input: permit(id, {
            number: 'ITK-OLD-0001',
            type: 'VISIT',
            purpose: 'TOURISM',
            issuedAt: '2020-01-01',
            expiresAt: '2020-03-01',
          }),
        },
      }),
    );
    expectNoErrors(
      await graphql(subgraph.url, ISSUE, { token, variables: { input: permit(id, { number: 'ITAS-NEW-0001' }) } }),
    );
    const revoke = `mutation($input: RecordImmigrationActionInput!) { recordImmigrationAction(input: $input) { immigrationAction { type } foreigner { currentPermit { number } stayPermits { number status } } } }`;
    const data = expectNoErrors(
      await graphql(subgraph.url, revoke, {
        token,
        variables: {
          input: {
            foreignerId: id,
            type: 'PERMIT_REVOCATION',
            decidedAt: '2025-06-01',
            reason: 'Work outside the sponsor',
            office: 'Kantor Imigrasi Kelas III Baturaja',
          },
        },
      }),
    );
    expect(data.recordImmigrationAction.foreigner.currentPermit).toBeNull();
    expect(data.recordImmigrationAction.foreigner.stayPermits).toEqual([
      { number: 'ITAS-NEW-0001', status: 'REVOKED' },
      { number: 'ITK-OLD-0001', status: 'EXPIRED' },
    ]);
    // the holder of the passport learns why a permit is not valid
    const verify = `query($p: String!) { verifyStayPermit(permitNumber: $p, passportNumber: "D7654321") { valid reason } }`;
    for (const [number, reason] of [
      ['ITAS-NEW-0001', 'REVOKED'],
      ['ITK-OLD-0001', 'EXPIRED'],
    ]) {
      const checked = expectNoErrors(await graphql(subgraph.url, verify, { token, variables: { p: number } }));
      expect(checked.verifyStayPermit).toEqual({ valid: false, reason });
    }
  });
});

describe('border crossings', () => {
  const RECORD = `mutation($input: RecordBorderCrossingInput!) { recordBorderCrossing(input: $input) { borderCrossing { direction checkpointCode checkpointName } foreigner { borderCrossings { direction } } } }`;

  it('records an entry at a known checkpoint', async () => {
    const id = await register();
    const data = expectNoErrors(
      await graphql(subgraph.url, RECORD, {
        token,
        variables: {
          input: {
            foreignerId: id,
            direction: 'ENTRY',
            checkpointCode: 'PLM',
            crossedAt: '2025-01-05T08:30:00Z',
            carrier: 'GA 123',
          },
        },
      }),
    );
    expect(data.recordBorderCrossing.borderCrossing).toMatchObject({ direction: 'ENTRY', checkpointCode: 'PLM' });
    expect(data.recordBorderCrossing.borderCrossing.checkpointName).toContain('Palembang');
  });

  it('rejects an unknown checkpoint and a crossing in the future', async () => {
    const id = await register();
    const bad = await graphql(subgraph.url, RECORD, {
      token,
      variables: {
        input: { foreignerId: id, direction: 'ENTRY', checkpointCode: 'ZZZ', crossedAt: '2025-01-05T08:30:00Z' },
      },
    });
    expect(expectError(bad, 'BAD_USER_INPUT').extensions?.field).toBe('input.checkpointCode');
    const future = await graphql(subgraph.url, RECORD, {
      token,
      variables: {
        input: { foreignerId: id, direction: 'EXIT', checkpointCode: 'CGK', crossedAt: '2999-01-05T08:30:00Z' },
      },
    });
    expect(expectError(future, 'BAD_USER_INPUT').extensions?.field).toBe('input.crossedAt');
  });
});

describe('foreigners and statistics', () => {
  beforeAll(async () => {
    const idA = await register({ fullName: 'Park Ji-hoon', nationality: 'KOR', domicileRegionCode: '16.08.01.1007' });
    await register({ fullName: 'Nguyen Van An', nationality: 'VNM', domicileRegionCode: '16.09.01.1013' });
    expectNoErrors(
      await graphql(subgraph.url, ISSUE, { token, variables: { input: permit(idA, { number: 'ITAS-OKUT-0001' }) } }),
    );
  });

  it('filters by region prefix, nationality, permit type and name, and pages by cursor', async () => {
    const q = `query($f: ForeignerFilter, $first: Int, $after: String) { foreigners(filter: $f, first: $first, after: $after) { totalCount nodes { fullName } pageInfo { hasNextPage endCursor } } }`;
    const okut = expectNoErrors(await graphql(subgraph.url, q, { token, variables: { f: { regionCode: '16.08' } } }));
    expect(okut.foreigners.nodes.map((n: { fullName: string }) => n.fullName)).toEqual(['Park Ji-hoon']);
    const typed = expectNoErrors(
      await graphql(subgraph.url, q, {
        token,
        variables: {
          f: {
            regionCode: '16.08',
            permitType: 'LIMITED_STAY',
            permitStatus: 'ACTIVE',
            nationality: 'KOR',
            nameContains: 'park',
          },
        },
      }),
    );
    expect(typed.foreigners.totalCount).toBe(1);

    const all = expectNoErrors(await graphql(subgraph.url, q, { token, variables: { first: 1000 } }));
    const first = expectNoErrors(await graphql(subgraph.url, q, { token, variables: { first: 2 } }));
    expect(first.foreigners.pageInfo.hasNextPage).toBe(true);
    const second = expectNoErrors(
      await graphql(subgraph.url, q, { token, variables: { first: 2, after: first.foreigners.pageInfo.endCursor } }),
    );
    expect([...first.foreigners.nodes, ...second.foreigners.nodes]).toEqual(all.foreigners.nodes.slice(0, 4));
  });

  it('pages a region by keyset in `_id` order, the same for every caller that covers it', async () => {
    for (let i = 0; i < 5; i++) {
      await register({ fullName: `Region Pager ${i}`, nationality: 'MYS', domicileRegionCode: '16.09.01.1013' });
    }
    const q = `query($f: ForeignerFilter, $first: Int, $after: String) { foreigners(filter: $f, first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;
    const page = async (f: object, first: number, after?: string, as = token) =>
      expectNoErrors(await graphql(subgraph.url, q, { token: as, variables: { f, first, after } })).foreigners;
    const stored = (
      await subgraph.db.connection
        .collection('foreigners')
        .find({ domicileRegency: '16.09' }, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .toArray()
    ).map((d) => String(d._id));
    expect(stored.length).toBeGreaterThanOrEqual(5);

    // page by page, two at a time: every foreigner once, in `_id` order, with the region's count
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await page({ regionCode: '16.09' }, 2, after);
      expect(p.totalCount).toBe(stored.length);
      paged.push(...p.nodes.map((n: { id: string }) => n.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(paged).toEqual(stored);
    // `token` covers three regencies (one `$in`); a caller of one district, and a national one
    const districtToken = await tokenFor({
      agencyType: 'IMMIGRATION',
      agency: 'KANIM-BATURAJA',
      jurisdiction: ['16.09.01'],
    });
    const nationalToken = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'] });
    for (const as of [districtToken, nationalToken]) {
      const all = await page({ regionCode: '16.09' }, 1000, undefined, as);
      expect(all.nodes.map((n: { id: string }) => n.id)).toEqual(stored);
      expect(all.totalCount).toBe(stored.length);
    }
    const district = await page({ regionCode: '16.09.01' }, 1000);
    expect(district.nodes.map((n: { id: string }) => n.id)).toEqual(stored);
    expect((await page({ regionCode: '16.09' }, 0)).nodes).toEqual([]);
  });

  it('rejects a malformed region filter, cursor and page size', async () => {
    const q = `query($f: ForeignerFilter, $first: Int, $after: String) { foreigners(filter: $f, first: $first, after: $after) { totalCount } }`;
    expect(
      expectError(await graphql(subgraph.url, q, { token, variables: { f: { regionCode: 'OKU' } } }), 'BAD_USER_INPUT')
        .extensions?.field,
    ).toBe('filter.regionCode');
    expect(
      expectError(await graphql(subgraph.url, q, { token, variables: { after: '!!' } }), 'BAD_USER_INPUT').extensions
        ?.field,
    ).toBe('after');
    expect(
      expectError(await graphql(subgraph.url, q, { token, variables: { first: 5000 } }), 'BAD_USER_INPUT').extensions
        ?.field,
    ).toBe('first');
  });

  it('counts by nationality and region without personal data', async () => {
    const q = `{ foreignerStatistics(regionCode: "16", groupBy: [NATIONALITY, REGION]) { total groups { nationality regionCode count } } }`;
    const data = expectNoErrors(await graphql(subgraph.url, q, { token }));
    const stats = data.foreignerStatistics;
    expect(stats.total).toBe(stats.groups.reduce((s: number, g: { count: number }) => s + g.count, 0));
    expect(stats.groups).toContainEqual({ nationality: 'KOR', regionCode: '16.08', count: 1 });
  });

  it('resolves Foreigner entities for the gateway in one batch', async () => {
    const ids = (
      await subgraph.db.connection
        .collection('foreigners')
        .find({}, { projection: { _id: 1 } })
        .limit(3)
        .toArray()
    ).map((d) => d._id);
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Foreigner { id fullName stayPermits { number } } } }`;
    const data = expectNoErrors(
      await graphql(subgraph.url, q, {
        token,
        variables: { r: ids.map((id) => ({ __typename: 'Foreigner', id })) },
        asGateway: 'immigration',
      }),
    );
    expect(data._entities.map((e: { id: string }) => e.id)).toEqual(ids);
  });
});
