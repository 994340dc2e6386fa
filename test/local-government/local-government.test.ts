/**
 * The local-government subgraph on its own, against a real FerretDB: the region tree (`region`,
 * `regions`), community reports (`submitCommunityReport`, `communityReports` with filters and
 * pages, `communityReportStatistics` exact and protected), and every entity it resolves for the
 * gateway (`Region`, `AccessLog`, `SubjectAccessReport`, `MeetingBrief`), each within the caller's
 * jurisdiction, and the validation errors. SKTT, employment and `Foreigner`: foreigner-records.test.ts.
 */
import { localGovernmentSubgraph } from '../../subgraphs/local-government/src/index.js';
import { NATIONAL_WRITERS } from '../helpers/fixtures.js';
import {
  AUDITOR_NATIONAL,
  expectError,
  expectNoErrors,
  LOCALGOV_OKU,
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
const foreignerId = `WNA-LG-${process.pid}`;
const okuReports: string[] = [];

const ask = (query: string, token: string, variables: Record<string, unknown> = {}, asGateway = false) =>
  askSubgraph(subgraph, query, token, variables, asGateway ? 'local-government' : undefined);

const SUBMIT = /* GraphQL */ `
  mutation ($input: SubmitCommunityReportInput!) {
    submitCommunityReport(input: $input) {
      communityReport {
        id
        status
        region {
          name
        }
      }
    }
  }
`;

function report(overrides: Record<string, unknown> = {}) {
  return {
    category: 'ILLEGAL_WORK',
    regionCode: OKU_VILLAGE,
    reportedAt: '2025-03-03T10:00:00Z',
    description: 'Warga melaporkan WNA bekerja di kebun tanpa izin.',
    reportedBy: 'Ketua RT 02',
    foreignerId,
    ...overrides,
  };
}

async function submit(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const data = expectNoErrors(await ask(SUBMIT, token, { input: report(overrides) }));
  return data.submitCommunityReport.communityReport.id;
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(localGovernmentSubgraph, 'local_government');
  // the officer of 16.01 only: the report in 16.08 is outside
  const officer = { ...SUBJECT_ACCESS_OKU, jurisdiction: ['16.01'] };
  [national, oku, auditor, dpo] = await Promise.all([
    tokenFor(NATIONAL_WRITERS.localgov),
    tokenFor(LOCALGOV_OKU),
    tokenFor(AUDITOR_NATIONAL),
    tokenFor(officer),
  ]);
  okuReports.push(await submit(oku));
  okuReports.push(await submit(oku, { category: 'DISTURBANCE', reportedAt: '2025-05-05T10:00:00Z' }));
  okuReports.push(await submit(oku, { regionCode: '16.01.13', reportedAt: '2025-07-07T10:00:00Z' }));
  await submit(national, { regionCode: OKU_TIMUR_VILLAGE });
}, 120_000);
afterAll(() => subgraph?.stop());

describe('regions', () => {
  it('reads a region with its parent, children and time zone', async () => {
    const data = expectNoErrors(
      await ask(`{ region(code: "16.01.14") { code name level timeZone parent { code } children { code } } }`, oku),
    );
    expect(data.region).toMatchObject({ code: '16.01.14', name: 'Baturaja Timur', level: 'DISTRICT', timeZone: 'WIB' });
    expect(data.region.parent).toEqual({ code: '16.01' });
    expect(data.region.children.map((c: { code: string }) => c.code)).toContain(OKU_VILLAGE);
    expect(expectNoErrors(await ask(`{ region(code: "99.99") { code } }`, oku)).region).toBeNull();
  });

  it('lists subregions by parent and level, in pages ordered by code', async () => {
    const REGIONS = `query ($parentCode: String, $level: RegionLevel, $first: Int, $after: String) {
      regions(parentCode: $parentCode, level: $level, first: $first, after: $after) {
        totalCount nodes { code } pageInfo { hasNextPage endCursor }
      }
    }`;
    const districts = expectNoErrors(await ask(REGIONS, oku, { parentCode: '16.01', first: 3 })).regions;
    expect(districts.nodes).toHaveLength(3);
    expect(districts.pageInfo.hasNextPage).toBe(true);
    const next = expectNoErrors(
      await ask(REGIONS, oku, { parentCode: '16.01', first: 3, after: districts.pageInfo.endCursor }),
    ).regions;
    const codes = [...districts.nodes, ...next.nodes].map((n: { code: string }) => n.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
    const villages = expectNoErrors(
      await ask(REGIONS, oku, { parentCode: '16.01.14', level: 'VILLAGE', first: 1000 }),
    ).regions;
    expect(villages.nodes.map((n: { code: string }) => n.code)).toContain(OKU_VILLAGE);
    const provinces = expectNoErrors(await ask(REGIONS, oku, {})).regions;
    expect(provinces.nodes.map((n: { code: string }) => n.code)).toContain('16');
  });
});

describe('community reports', () => {
  const REPORTS = /* GraphQL */ `
    query ($filter: CommunityReportFilter, $first: Int, $after: String) {
      communityReports(filter: $filter, first: $first, after: $after) {
        totalCount
        nodes {
          id
          category
          foreigner {
            id
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;

  it('lists only the jurisdiction, filtered by region, category and period', async () => {
    const all = expectNoErrors(await ask(REPORTS, oku)).communityReports;
    expect(all.totalCount).toBe(3);
    expect(all.nodes.map((n: { id: string }) => n.id).sort()).toEqual([...okuReports].sort());
    expect(all.nodes[0].foreigner).toEqual({ id: foreignerId });
    const disturbances = expectNoErrors(
      await ask(REPORTS, oku, { filter: { category: 'DISTURBANCE' } }),
    ).communityReports;
    expect(disturbances.nodes.map((n: { id: string }) => n.id)).toEqual([okuReports[1]]);
    const district = expectNoErrors(await ask(REPORTS, oku, { filter: { regionCode: '16.01.13' } })).communityReports;
    expect(district.nodes.map((n: { id: string }) => n.id)).toEqual([okuReports[2]]);
    const period = { reportedFrom: '2025-04-01T00:00:00Z', reportedTo: '2025-06-01T00:00:00Z' };
    expect(expectNoErrors(await ask(REPORTS, oku, { filter: period })).communityReports.totalCount).toBe(1);
    expect(expectNoErrors(await ask(REPORTS, national)).communityReports.totalCount).toBe(4);
  });

  it('pages by keyset in `_id` order', async () => {
    const first = expectNoErrors(await ask(REPORTS, oku, { first: 2 })).communityReports;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = expectNoErrors(
      await ask(REPORTS, oku, { first: 2, after: first.pageInfo.endCursor }),
    ).communityReports;
    expect(rest.nodes).toHaveLength(1);
    const ids = [...first.nodes, ...rest.nodes].map((n: { id: string }) => n.id);
    expect(ids).toEqual([...ids].sort());
  });

  it('refuses a report outside the jurisdiction and a malformed filter, with the field', async () => {
    const outside = await ask(SUBMIT, oku, { input: report({ regionCode: OKU_TIMUR_VILLAGE }) });
    expect(expectError(outside, 'FORBIDDEN').extensions?.field).toBe('input.regionCode');
    const bad = await ask(REPORTS, oku, { filter: { regionCode: 'OKU' } });
    expect(expectError(bad, 'BAD_USER_INPUT').extensions?.field).toBe('filter.regionCode');
    const backwards = { reportedFrom: '2025-06-01T00:00:00Z', reportedTo: '2025-01-01T00:00:00Z' };
    expect(expectError(await ask(REPORTS, oku, { filter: backwards }), 'BAD_USER_INPUT').extensions?.field).toBe(
      'filter.reportedTo',
    );
  });
});

describe('communityReportStatistics', () => {
  const STATISTICS = /* GraphQL */ `
    query ($regionCode: String, $from: DateTime, $to: DateTime, $groupBy: [CommunityReportDimension!]) {
      communityReportStatistics(regionCode: $regionCode, reportedFrom: $from, reportedTo: $to, groupBy: $groupBy) {
        total
        suppressed
        minimumCellSize
        groups {
          category
          regionCode
          count
        }
      }
    }
  `;

  it('counts exactly for callers who may list the reports, within their jurisdiction', async () => {
    const data = expectNoErrors(await ask(STATISTICS, oku, { groupBy: ['CATEGORY'] }));
    expect(data.communityReportStatistics).toMatchObject({ total: 3, suppressed: false, minimumCellSize: null });
    expect(data.communityReportStatistics.groups).toEqual(
      expect.arrayContaining([
        { category: 'ILLEGAL_WORK', regionCode: null, count: 2 },
        { category: 'DISTURBANCE', regionCode: null, count: 1 },
      ]),
    );
    const byRegion = expectNoErrors(await ask(STATISTICS, oku, { regionCode: '16.01', groupBy: ['REGION'] }));
    expect(byRegion.communityReportStatistics.groups).toEqual(
      expect.arrayContaining([
        { category: null, regionCode: '16.01.14', count: 2 },
        { category: null, regionCode: '16.01.13', count: 1 },
      ]),
    );
  });

  it('protects the counts of callers without community:read, and takes only whole calendar years', async () => {
    const year = { from: '2025-01-01T00:00:00+07:00', to: '2025-12-31T23:59:59+07:00' };
    const data = expectNoErrors(await ask(STATISTICS, auditor, { regionCode: '16.01', ...year }));
    expect(data.communityReportStatistics.minimumCellSize).toBeGreaterThan(0);
    expect(data.communityReportStatistics.suppressed).toBe(true);
    const partial = await ask(STATISTICS, auditor, {
      regionCode: '16.01',
      from: year.from,
      to: '2025-06-30T00:00:00Z',
    });
    expect(expectError(partial, 'BAD_USER_INPUT').extensions?.field).toBe('reportedTo');
  });
});

describe('entities for the gateway', () => {
  it('resolves Region references in one batch, null for an unknown code', async () => {
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Region { code name level } } }`,
        oku,
        { r: ['16.01', '99.99'].map((code) => ({ __typename: 'Region', code })) },
        true,
      ),
    );
    expect(data._entities).toEqual([{ code: '16.01', name: 'Kabupaten Ogan Komering Ulu', level: 'REGENCY' }, null]);
  });

  it("adds local government's access-log records to an AccessLog, for auditors", async () => {
    await ask(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Foreigner { communityReports { id } } } }`,
      oku,
      {
        r: [{ __typename: 'Foreigner', id: foreignerId }],
      },
      true,
    );
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on AccessLog { foreignerId localGovernment { agency } } } }`,
        auditor,
        { r: [{ __typename: 'AccessLog', foreignerId }] },
        true,
      ),
    );
    expect(data._entities[0].localGovernment.map((r: { agency: string }) => r.agency)).toContain('DUKCAPIL-OKU');
  });

  it("adds local government's section to a SubjectAccessReport: the reports in the jurisdiction", async () => {
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on SubjectAccessReport { localGovernment { agency holdings { kind recordId } } }
          }
        }`,
        dpo,
        { r: [{ __typename: 'SubjectAccessReport', foreignerId, immigrationWitnessed: [], policeWitnessed: [] }] },
        true,
      ),
    );
    const held = data._entities[0].localGovernment.holdings.map((h: { recordId: string }) => h.recordId).sort();
    expect(held).toEqual(okuReports.map((id) => `CommunityReport:${id}`).sort());
  });

  it("adds local government's counts to a MeetingBrief: reports since the last meeting and SKTT gaps", async () => {
    const data = expectNoErrors(
      await ask(
        `query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on MeetingBrief {
              communityReportsSinceLastMeeting { regionCode category count }
              residenceGaps { regionCode holders missing expired }
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
              registrationHolders: [`16.01 LIMITED_STAY ${foreignerId}`],
            },
          ],
        },
        true,
      ),
    );
    const [brief] = data._entities;
    expect(brief.communityReportsSinceLastMeeting).toEqual(
      expect.arrayContaining([
        { regionCode: '16.01', category: 'DISTURBANCE', count: 1 },
        { regionCode: '16.01', category: 'ILLEGAL_WORK', count: 1 },
      ]),
    );
    expect(brief.residenceGaps).toEqual([{ regionCode: '16.01', holders: 1, missing: 1, expired: 0 }]);
  });
});
