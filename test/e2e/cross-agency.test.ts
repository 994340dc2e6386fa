/**
 * Through the HTTP gateway with all three subgraphs: each agency writes through its own
 * subgraph, and one query returns identity and permits (immigration), SKLD and incidents
 * (police), and residence with its region and employment (local government).
 */
import {
  expectError,
  expectNoErrors,
  graphql,
  IMMIGRATION_OKU,
  LOCALGOV_OKU,
  POLICE_OKU,
  tokenFor,
} from '../helpers/graphql.js';
import { write } from '../helpers/fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let tokens: { immigration: string; police: string; localgov: string };
let foreignerId: string;

/** A mutation taking `$input` of type `inputType`, answering its payload's `__typename` (or `select`). */
const mutation = (field: string, inputType: string, select = '__typename') =>
  `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${select} } }`;

beforeAll(async () => {
  hub = await startTestHub('cross_agency');
  tokens = {
    immigration: await tokenFor(IMMIGRATION_OKU),
    police: await tokenFor(POLICE_OKU),
    localgov: await tokenFor(LOCALGOV_OKU),
  };
  const registered = await write(
    hub,
    IMMIGRATION_OKU,
    mutation('registerForeigner', 'RegisterForeignerInput', 'foreigner { id }'),
    {
      fullName: 'Zhang Min',
      nationality: 'CHN',
      sex: 'FEMALE',
      dateOfBirth: '1990-02-03',
      passportNumber: 'EH4567890',
      domicileRegionCode: '16.01.14.1001',
    },
  );
  foreignerId = (registered.foreigner as { id: string }).id;
  await write(hub, IMMIGRATION_OKU, mutation('issueStayPermit', 'IssueStayPermitInput'), {
    foreignerId,
    number: '2C21AB0001',
    type: 'LIMITED_STAY',
    purpose: 'WORK',
    issuedAt: '2025-03-01',
    expiresAt: '2099-02-28',
    issuingOffice: 'Kantor Imigrasi Kelas III Baturaja',
    sponsor: { name: 'PT PLTU Baturaja Energi', type: 'COMPANY' },
  });
  await write(hub, POLICE_OKU, mutation('issueSelfReportCertificate', 'IssueSelfReportCertificateInput'), {
    foreignerId,
    number: 'SKLD/123/III/2025/INTELKAM',
    issuedAt: '2025-03-10',
    validUntil: '2026-03-09',
    issuingUnit: 'Polres Ogan Komering Ulu',
    address: 'Jl. Dr. Moh. Hatta No. 1, Baturaja',
    regionCode: '16.01.14.1001',
  });
  await write(hub, POLICE_OKU, mutation('fileIncident', 'FileIncidentInput'), {
    reportNumber: 'LP/B/45/IV/2025/SPKT/POLRES OKU',
    category: 'TRAFFIC',
    occurredAt: '2025-04-02T10:15:00Z',
    regionCode: '16.01.14.1001',
    summary: 'Minor collision at the Baturaja market crossing; no injuries.',
    parties: [{ foreignerId, involvement: 'WITNESS' }],
  });
  await write(hub, LOCALGOV_OKU, mutation('registerResidence', 'RegisterResidenceInput'), {
    foreignerId,
    number: 'SKTT-1601-2025-0001',
    address: 'Jl. Dr. Moh. Hatta No. 1, Baturaja',
    regionCode: '16.01.14.1001',
    registeredAt: '2025-03-15',
    validUntil: '2099-02-28',
  });
  await write(hub, LOCALGOV_OKU, mutation('recordEmployment', 'RecordEmploymentInput'), {
    foreignerId,
    employer: 'PT PLTU Baturaja Energi',
    employerSector: 'ENERGY',
    position: 'Boiler engineer',
    workPermitNumber: 'KPTS.123/PPTKA/2025',
    regionCode: '16.01.14',
    startedOn: '2025-03-01',
  });
});
afterAll(() => hub?.stop());

const PROFILE = /* GraphQL */ `
  query Profile($id: ID!) {
    foreigner(id: $id) {
      fullName
      nationality
      currentPermit {
        number
        type
        sponsor {
          name
        }
      }
      selfReports {
        number
        issuingUnit
      }
      incidents {
        reportNumber
        category
        involvement
      }
      residence {
        number
        region {
          code
          name
          level
          parent {
            name
          }
        }
      }
      employment {
        employer
        position
        region {
          name
        }
      }
    }
  }
`;

describe('the cross-agency query', () => {
  it("returns every agency's part of one foreigner in one answer", async () => {
    const data = expectNoErrors(
      await graphql(hub.gatewayUrl, PROFILE, { token: tokens.immigration, variables: { id: foreignerId } }),
    );
    expect(data.foreigner).toEqual({
      fullName: 'Zhang Min',
      nationality: 'CHN',
      currentPermit: { number: '2C21AB0001', type: 'LIMITED_STAY', sponsor: { name: 'PT PLTU Baturaja Energi' } },
      selfReports: [{ number: 'SKLD/123/III/2025/INTELKAM', issuingUnit: 'Polres Ogan Komering Ulu' }],
      incidents: [{ reportNumber: 'LP/B/45/IV/2025/SPKT/POLRES OKU', category: 'TRAFFIC', involvement: 'WITNESS' }],
      residence: {
        number: 'SKTT-1601-2025-0001',
        region: { code: '16.01.14.1001', name: 'Baturaja Lama', level: 'VILLAGE', parent: { name: 'Baturaja Timur' } },
      },
      employment: [
        { employer: 'PT PLTU Baturaja Energi', position: 'Boiler engineer', region: { name: 'Baturaja Timur' } },
      ],
    });
  });

  it("lists foreigners of a region with the other agencies' fields", async () => {
    const data = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          {
            foreigners(filter: { regionCode: "16.01" }, first: 10) {
              totalCount
              nodes {
                fullName
                selfReports {
                  number
                }
                residence {
                  region {
                    name
                  }
                }
              }
            }
          }
        `,
        { token: tokens.police },
      ),
    );
    expect(data.foreigners.totalCount).toBe(1);
    expect(data.foreigners.nodes[0].residence.region.name).toBe('Baturaja Lama');
  });
});

describe('the gateway', () => {
  it('refuses a request without a token with 401 before reaching any subgraph', async () => {
    const response = await graphql(hub.gatewayUrl, PROFILE, { variables: { id: foreignerId } });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a malformed token with 401', async () => {
    const response = await graphql(hub.gatewayUrl, PROFILE, {
      headers: { authorization: 'Bearer x.y.z' },
      variables: { id: foreignerId },
    });
    expect(response.status).toBe(401);
  });

  it('passes a subgraph validation error through with its code and field', async () => {
    const response = await graphql(hub.gatewayUrl, mutation('registerResidence', 'RegisterResidenceInput'), {
      token: tokens.localgov,
      variables: {
        input: {
          foreignerId,
          number: 'SKTT-1601-2025-0002',
          address: 'Jl. Merdeka 2',
          regionCode: '16.01.14.1001',
          registeredAt: '2025-03-15',
          validUntil: '2025-03-01',
        },
      },
    });
    expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe('input.validUntil');
  });
});
