/**
 * The police subgraph on its own, against a real FerretDB: the queries (`incident`, `incidents`
 * with filters, pages and counts), and every entity it resolves for the gateway (`Incident`,
 * `AccessLog`, `SubjectAccessReport`, `MeetingBrief`), each within the caller's jurisdiction, and
 * the validation errors. The writes and `Foreigner` entities: foreigner-records.test.ts.
 */
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { NATIONAL_WRITERS } from '../helpers/fixtures.js';
import {
  AUDITOR_NATIONAL,
  expectError,
  expectNoErrors,
  POLICE_OKU,
  SUBJECT_ACCESS_OKU,
  tokenFor,
} from '../helpers/graphql.js';
import { askSubgraph, startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

const OKU_VILLAGE = '16.01.14.1001';
const OKU_TIMUR_VILLAGE = '16.08.01.1007';

let subgraph: TestSubgraph;
let national: string;
let oku: string;
let auditor: string;
let dpo: string;
const okuIncidents: string[] = [];
let okuTimurIncident: string;
const foreignerId = `WNA-POL-${process.pid}`;

const ask = (query: string, token: string, variables: Record<string, unknown> = {}, asGateway = false) =>
  askSubgraph(subgraph, query, token, variables, asGateway ? 'police' : undefined);

const FILE = /* GraphQL */ `
  mutation ($input: FileIncidentInput!) {
    fileIncident(input: $input) {
      incident {
        id
      }
    }
  }
`;
const ISSUE = /* GraphQL */ `
  mutation ($input: IssueSelfReportCertificateInput!) {
    issueSelfReportCertificate(input: $input) {
      selfReportCertificate {
        number
      }
    }
  }
`;

async function file(regionCode: string, category: string, occurredAt: string, n: number): Promise<string> {
  const data = expectNoErrors(
    await ask(FILE, national, {
      input: {
        reportNumber: `LP/B/${n}/POL/${process.pid}`,
        category,
        occurredAt,
        regionCode,
        summary: 'Laporan kejadian untuk pengujian.',
        parties: [{ foreignerId, involvement: 'WITNESS' }],
      },
    }),
  );
  return data.fileIncident.incident.id;
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(policeSubgraph, 'police');
  [national, oku, auditor, dpo] = await Promise.all([
    tokenFor(NATIONAL_WRITERS.police),
    tokenFor(POLICE_OKU),
    tokenFor(AUDITOR_NATIONAL),
    tokenFor(SUBJECT_ACCESS_OKU),
  ]);
  okuIncidents.push(await file(OKU_VILLAGE, 'THEFT', '2025-03-03T10:00:00Z', 1));
  okuIncidents.push(await file(OKU_VILLAGE, 'TRAFFIC', '2025-05-05T10:00:00Z', 2));
  okuIncidents.push(await file('16.01.13', 'THEFT', '2025-07-07T10:00:00Z', 3));
  okuTimurIncident = await file(OKU_TIMUR_VILLAGE, 'THEFT', '2025-03-04T10:00:00Z', 4);
  expectNoErrors(
    await ask(ISSUE, national, {
      input: {
        foreignerId,
        number: `SKLD/POL/${process.pid}`,
        issuedAt: '2025-01-10',
        validUntil: '2099-01-09',
        issuingUnit: 'Polres Ogan Komering Ulu',
        address: 'Jl. Dr. Moh. Hatta 12, Baturaja',
        regionCode: OKU_VILLAGE,
      },
    }),
  );
});
afterAll(() => subgraph?.stop());

describe('incident', () => {
  const INCIDENT = /* GraphQL */ `
    query ($id: ID!) {
      incident(id: $id) {
        id
        category
        regionCode
        status
        involvement
        parties {
          involvement
          foreigner {
            id
          }
        }
      }
    }
  `;

  it('reads an incident of the jurisdiction with its parties', async () => {
    const data = expectNoErrors(await ask(INCIDENT, oku, { id: okuIncidents[0] }));
    expect(data.incident).toEqual({
      id: okuIncidents[0],
      category: 'THEFT',
      regionCode: OKU_VILLAGE,
      status: 'REPORTED',
      involvement: null,
      parties: [{ involvement: 'WITNESS', foreigner: { id: foreignerId } }],
    });
  });

  it('gives null for an incident outside the jurisdiction, and for an unknown id', async () => {
    expect(expectNoErrors(await ask(INCIDENT, oku, { id: okuTimurIncident })).incident).toBeNull();
    expect(expectNoErrors(await ask(INCIDENT, oku, { id: 'no-such-incident' })).incident).toBeNull();
  });
});

describe('incidents', () => {
  const INCIDENTS = /* GraphQL */ `
    query ($filter: IncidentFilter, $first: Int, $after: String) {
      incidents(filter: $filter, first: $first, after: $after) {
        totalCount
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;

  it('lists only the jurisdiction, filtered by region, category and period', async () => {
    const all = expectNoErrors(await ask(INCIDENTS, oku, {})).incidents;
    expect(all.totalCount).toBe(3);
    expect(all.nodes.map((n: { id: string }) => n.id).sort()).toEqual([...okuIncidents].sort());
    const thefts = expectNoErrors(await ask(INCIDENTS, oku, { filter: { category: 'THEFT' } })).incidents;
    expect(thefts.totalCount).toBe(2);
    const district = expectNoErrors(await ask(INCIDENTS, oku, { filter: { regionCode: '16.01.13' } })).incidents;
    expect(district.nodes).toEqual([{ id: okuIncidents[2] }]);
    const period = expectNoErrors(
      await ask(INCIDENTS, oku, {
        filter: { occurredFrom: '2025-04-01T00:00:00Z', occurredTo: '2025-06-01T00:00:00Z' },
      }),
    ).incidents;
    expect(period.nodes).toEqual([{ id: okuIncidents[1] }]);
    const everywhere = expectNoErrors(await ask(INCIDENTS, national, { filter: { category: 'THEFT' } })).incidents;
    expect(everywhere.totalCount).toBe(3);
  });

  it('pages by keyset in `_id` order', async () => {
    const first = expectNoErrors(await ask(INCIDENTS, oku, { first: 2 })).incidents;
    expect(first.nodes).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = expectNoErrors(await ask(INCIDENTS, oku, { first: 2, after: first.pageInfo.endCursor })).incidents;
    expect(rest.nodes).toHaveLength(1);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.nodes, ...rest.nodes].map((n: { id: string }) => n.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('rejects a malformed region, a period ending before it starts, a bad cursor and page size', async () => {
    expect(
      expectError(await ask(INCIDENTS, oku, { filter: { regionCode: 'OKU' } }), 'BAD_USER_INPUT').extensions?.field,
    ).toBe('filter.regionCode');
    const backwards = { occurredFrom: '2025-06-01T00:00:00Z', occurredTo: '2025-01-01T00:00:00Z' };
    expect(expectError(await ask(INCIDENTS, oku, { filter: backwards }), 'BAD_USER_INPUT').extensions?.field).toBe(
      'filter.occurredTo',
    );
    expect(expectError(await ask(INCIDENTS, oku, { after: '***' }), 'BAD_USER_INPUT').extensions?.field).toBe('after');
    expect(expectError(await ask(INCIDENTS, oku, { first: 5000 }), 'BAD_USER_INPUT').extensions?.field).toBe('first');
  });
});

describe('entities for the gateway', () => {
  it('resolves Incident references in one batch, null outside the jurisdiction', async () => {
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Incident { id category } } }`,
        oku,
        { r: [okuIncidents[0], okuTimurIncident].map((id) => ({ __typename: 'Incident', id })) },
        true,
      ),
    );
    expect(data._entities).toEqual([{ id: okuIncidents[0], category: 'THEFT' }, null]);
  });

  it("adds the police's access-log records to an AccessLog, for auditors", async () => {
    await ask(`query ($id: ID!) { incident(id: $id) { id } }`, oku, { id: okuIncidents[0] });
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on AccessLog { foreignerId police { agency outcome recordIds } } } }`,
        auditor,
        { r: [{ __typename: 'AccessLog', foreignerId }] },
        true,
      ),
    );
    const [log] = data._entities;
    expect(log.foreignerId).toBe(foreignerId);
    expect(log.police.map((r: { agency: string }) => r.agency)).toContain('POLRES-OKU');
  });

  it("adds the police's section to a SubjectAccessReport: the SKLD and the incidents in the jurisdiction", async () => {
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on SubjectAccessReport { foreignerId police { agency holdings { kind recordId } } }
          }
        }`,
        dpo,
        {
          r: [
            { __typename: 'SubjectAccessReport', foreignerId, immigrationWitnessed: [], localGovernmentWitnessed: [] },
          ],
        },
        true,
      ),
    );
    const kinds = data._entities[0].police.holdings.map((h: { kind: string }) => h.kind).sort();
    expect(kinds).toEqual(['INCIDENT', 'INCIDENT', 'INCIDENT', 'INCIDENT', 'SELF_REPORT']);
  });

  it("adds the police's counts to a MeetingBrief: incidents since the last meeting and SKLD gaps", async () => {
    const holders = ['16.01 LIMITED_STAY ' + foreignerId, `16.01 LIMITED_STAY WNA-NO-SKLD-${process.pid}`];
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on MeetingBrief {
              regionCode
              incidentsSinceLastMeeting { regionCode category count }
              selfReportGaps { regionCode holders missing expired }
            }
          }
        }`,
        oku,
        {
          r: [
            {
              __typename: 'MeetingBrief',
              regionCode: '16.01',
              meetingDate: '2025-09-10',
              periodStart: '2025-04-01T00:00:00Z',
              registrationHolders: holders,
            },
          ],
        },
        true,
      ),
    );
    const [brief] = data._entities;
    expect(brief.incidentsSinceLastMeeting).toEqual(
      expect.arrayContaining([
        { regionCode: '16.01', category: 'TRAFFIC', count: 1 },
        { regionCode: '16.01', category: 'THEFT', count: 1 },
      ]),
    );
    expect(brief.selfReportGaps).toEqual([{ regionCode: '16.01', holders: 2, missing: 1, expired: 0 }]);
  });
});
