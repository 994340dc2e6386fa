/**
 * Row level: a regency-level caller never sees another regency's rows — not in lists,
 * counts, statistics, single lookups, entity resolution or nested lists — and cannot write
 * there — nor record a TIMPORA meeting or joint operation there, though it may read them. Data
 * sits in OKU (16.01) and OKU Timur (16.08); the caller is Polres OKU (16.01).
 */
import { expectError, expectNoErrors, graphql, tokenFor, type GraphQLResponse } from '../helpers/graphql.js';
import { insertSeedAgencies, NATIONAL_WRITERS, recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let oku: FullForeigner;
let okuTimur: FullForeigner;
let police16_01: string;
let immigration16_01: string;
let localgov16_01: string;

beforeAll(async () => {
  hub = await startTestHub('jurisdiction');
  oku = await recordFullForeigner(hub, '16.01.14.1001');
  okuTimur = await recordFullForeigner(hub, '16.08.01.1007');
  police16_01 = await tokenFor({ agencyType: 'POLICE', agency: 'POLRES-OKU', jurisdiction: ['16.01'] });
  immigration16_01 = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'KANIM-BATURAJA', jurisdiction: ['16.01'] });
  localgov16_01 = await tokenFor({ agencyType: 'LOCAL_GOVERNMENT', agency: 'DUKCAPIL-OKU', jurisdiction: ['16.01'] });
}, 120_000);
afterAll(() => hub?.stop());

/** The response mentions no id of the OKU Timur foreigner's records anywhere. */
function expectNothingOf(f: FullForeigner, response: GraphQLResponse) {
  const text = JSON.stringify(response.data);
  expect(text).not.toContain(f.foreignerId);
  expect(text).not.toContain(f.incidentId);
  expect(text).not.toContain(f.permitNumber);
}

describe('a caller of 16.01', () => {
  it('lists and counts only foreigners domiciled in 16.01, whatever the filter', async () => {
    for (const filter of [{}, { regionCode: '16' }, { regionCode: '16.08' }, { nationality: 'CHN' }]) {
      const response = await graphql(
        hub.gatewayUrl,
        `
          query ($f: ForeignerFilter) {
            foreigners(filter: $f, first: 100) {
              totalCount
              nodes {
                id
              }
            }
          }
        `,
        { token: police16_01, variables: { f: filter } },
      );
      const data = expectNoErrors(response);
      expectNothingOf(okuTimur, response);
      expect(data.foreigners.totalCount).toBe(filter.regionCode === '16.08' ? 0 : 1);
    }
  });

  it('counts only its own region in statistics', async () => {
    const data = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          {
            foreignerStatistics(regionCode: "16", groupBy: [REGION]) {
              total
              groups {
                regionCode
                count
              }
            }
          }
        `,
        {
          token: police16_01,
        },
      ),
    );
    expect(data.foreignerStatistics).toEqual({ total: 1, groups: [{ regionCode: '16.01', count: 1 }] });
  });

  it('finds no foreigner of another regency by id, through the gateway or _entities', async () => {
    const byId = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          query ($id: ID!) {
            foreigner(id: $id) {
              fullName
            }
          }
        `,
        {
          token: police16_01,
          variables: { id: okuTimur.foreignerId },
        },
      ),
    );
    expect(byId.foreigner).toBeNull();
    const entities = expectNoErrors(
      await graphql(
        hub.subgraphs.immigration.url,
        `
          query ($r: [_Any!]!) {
            _entities(representations: $r) {
              ... on Foreigner {
                id
                fullName
              }
            }
          }
        `,
        {
          token: police16_01,
          variables: { r: [{ __typename: 'Foreigner', id: okuTimur.foreignerId }] },
          asGateway: 'immigration',
        },
      ),
    );
    expect(entities._entities).toEqual([null]);
  });

  it("sees no incident, SKLD, SKTT, job or report of another regency, even asked by the foreigner's id", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Foreigner { id selfReports { number } incidents { id } } } }`;
    const police = await graphql(hub.subgraphs.police.url, query, {
      token: police16_01,
      variables: { r: [{ __typename: 'Foreigner', id: okuTimur.foreignerId }] },
      asGateway: 'police',
    });
    expect(expectNoErrors(police)._entities).toEqual([{ id: okuTimur.foreignerId, selfReports: [], incidents: [] }]);

    const localgov = await graphql(
      hub.subgraphs['local-government'].url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Foreigner {
              residence {
                number
              }
              employment {
                employer
              }
              communityReports {
                id
              }
            }
          }
        }
      `,
      {
        token: localgov16_01,
        variables: { r: [{ __typename: 'Foreigner', id: okuTimur.foreignerId }] },
        asGateway: 'local-government',
      },
    );
    expect(expectNoErrors(localgov)._entities).toEqual([{ residence: null, employment: [], communityReports: [] }]);

    const incident = await graphql(
      hub.gatewayUrl,
      `
        query ($id: ID!) {
          incident(id: $id) {
            id
          }
        }
      `,
      {
        token: police16_01,
        variables: { id: okuTimur.incidentId },
      },
    );
    expect(expectNoErrors(incident).incident).toBeNull();
  });

  it('lists and counts only incidents and community reports of 16.01', async () => {
    const response = await graphql(
      hub.gatewayUrl,
      `
        {
          incidents(first: 100) {
            totalCount
            nodes {
              id
              regionCode
            }
          }
          communityReports(first: 100) {
            totalCount
            nodes {
              regionCode
            }
          }
        }
      `,
      { token: police16_01 },
    );
    const data = expectNoErrors(response);
    expect(data.incidents.totalCount).toBe(1);
    expect(data.incidents.nodes).toEqual([{ id: oku.incidentId, regionCode: '16.01.14.1001' }]);
    expect(data.communityReports.nodes.map((n: { regionCode: string }) => n.regionCode)).toEqual(['16.01.14.1001']);
    expectNothingOf(okuTimur, response);
  });

  it('still sees everything of its own regency', async () => {
    const data = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          query ($id: ID!) {
            foreigner(id: $id) {
              id
              selfReports {
                number
              }
              incidents {
                id
              }
              residence {
                number
              }
              stayPermits {
                number
              }
            }
          }
        `,
        { token: police16_01, variables: { id: oku.foreignerId } },
      ),
    );
    expect(data.foreigner.incidents).toEqual([{ id: oku.incidentId }]);
    expect(data.foreigner.selfReports).toHaveLength(1);
    expect(data.foreigner.residence).not.toBeNull();
    expect(data.foreigner.stayPermits).toEqual([{ number: oku.permitNumber }]);
  });

  it('cannot write outside its jurisdiction', async () => {
    const outside = await graphql(
      hub.gatewayUrl,
      `
        mutation ($input: FileIncidentInput!) {
          fileIncident(input: $input) {
            incident {
              id
            }
          }
        }
      `,
      {
        token: police16_01,
        variables: {
          input: {
            reportNumber: 'LP/B/1/XI/2025/SPKT/POLRES OKUT',
            category: 'TRAFFIC',
            occurredAt: '2025-05-01T00:00:00Z',
            regionCode: '16.08.01.1007',
            summary: 'Outside the caller jurisdiction',
            parties: [{ foreignerId: okuTimur.foreignerId, involvement: 'WITNESS' }],
          },
        },
      },
    );
    expect(expectError(outside, 'FORBIDDEN').extensions?.field).toBe('input.regionCode');
    expect(
      await hub.subgraphs.police.db.connection.collection('incidents').countDocuments({ regionRegency: '16.08' }),
    ).toBe(1);

    const permit = await graphql(
      hub.gatewayUrl,
      `
        mutation ($input: IssueStayPermitInput!) {
          issueStayPermit(input: $input) {
            stayPermit {
              number
            }
          }
        }
      `,
      {
        token: immigration16_01,
        variables: {
          input: {
            foreignerId: okuTimur.foreignerId,
            number: 'ITAS-OUTSIDE-1',
            type: 'VISIT',
            purpose: 'TOURISM',
            issuedAt: '2025-01-01',
            expiresAt: '2025-03-01',
            issuingOffice: 'Kanim Baturaja',
          },
        },
      },
    );
    expect(expectError(permit, 'FORBIDDEN').extensions?.field).toBe('input.foreignerId');

    const register = await graphql(
      hub.gatewayUrl,
      `
        mutation ($input: RegisterForeignerInput!) {
          registerForeigner(input: $input) {
            foreigner {
              id
            }
          }
        }
      `,
      {
        token: immigration16_01,
        variables: {
          input: {
            fullName: 'Outside Person',
            nationality: 'MYS',
            sex: 'MALE',
            dateOfBirth: '1980-01-01',
            passportNumber: 'A9988776',
            domicileRegionCode: '16.09',
          },
        },
      },
    );
    expect(expectError(register, 'FORBIDDEN').extensions?.field).toBe('input.domicileRegionCode');
  });

  it('records TIMPORA meetings and joint operations of its regency only, and may read those of others', async () => {
    await insertSeedAgencies(hub.subgraphs.immigration);
    const immigrationDb = hub.subgraphs.immigration.db.connection;
    const MEETING = `mutation ($input: RecordCoordinationMeetingInput!) {
      recordCoordinationMeeting(input: $input) { coordinationMeeting { id regionCode } }
    }`;
    const OPERATION = `mutation ($input: RecordJointOperationInput!) {
      recordJointOperation(input: $input) { jointOperation { id regionCode } }
    }`;
    const meeting = (regionCode: string) => ({
      title: 'Rapat Koordinasi TIMPORA',
      heldOn: '2025-09-10',
      venue: 'Aula Kantor Imigrasi Baturaja',
      regionCode,
      chairCode: 'KANIM-BATURAJA',
      attendeeCodes: ['KANIM-BATURAJA', 'POLRES-OKU'],
    });
    const operation = (regionCode: string) => ({
      name: 'Operasi Gabungan',
      regionCode,
      startedOn: '2025-09-15',
      agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKU'],
      foreignersChecked: 3,
    });
    const cases = [
      { mutation: MEETING, input: meeting, collection: 'coordination_meetings' },
      { mutation: OPERATION, input: operation, collection: 'joint_operations' },
    ];
    for (const { mutation, input, collection } of cases) {
      const before = await immigrationDb.collection(collection).countDocuments();
      for (const outside of ['16.08', '18.71']) {
        const refused = await graphql(hub.gatewayUrl, mutation, {
          token: immigration16_01,
          variables: { input: input(outside) },
        });
        expect(expectError(refused, 'FORBIDDEN').extensions?.field).toBe('input.regionCode');
        expect(refused.data ?? null).toBeNull();
      }
      expect(await immigrationDb.collection(collection).countDocuments()).toBe(before);
      expectNoErrors(
        await graphql(hub.gatewayUrl, mutation, { token: immigration16_01, variables: { input: input('16.01') } }),
      );
      expect(await immigrationDb.collection(collection).countDocuments()).toBe(before + 1);
    }
    // meetings and operations are shared with every member agency: another regency's are listed
    const national = await tokenFor(NATIONAL_WRITERS.immigration);
    expectNoErrors(await graphql(hub.gatewayUrl, MEETING, { token: national, variables: { input: meeting('16.08') } }));
    const listed = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          {
            coordinationMeetings(regionCode: "16.08") {
              regionCode
            }
          }
        `,
        {
          token: police16_01,
        },
      ),
    );
    expect(listed.coordinationMeetings).toEqual([{ regionCode: '16.08' }]);
  });
});

describe('a caller with several prefixes', () => {
  it('sees the union of its regions', async () => {
    const token = await tokenFor({
      agencyType: 'POLICE',
      agency: 'POLDA-SUMSEL-OKU-RAYA',
      jurisdiction: ['16.01', '16.08'],
    });
    const data = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          {
            foreigners(first: 10) {
              totalCount
            }
            incidents {
              totalCount
            }
          }
        `,
        { token },
      ),
    );
    expect(data).toEqual({ foreigners: { totalCount: 2 }, incidents: { totalCount: 2 } });
  });
});
