/**
 * The meeting brief (`meetingBrief`, `npm run brief`) through the real gateway on seeded demo data
 * with a meeting and a joint operation recorded: its figures equal the hub's own queries
 * (foreignerStatistics and foreigners with `population: PRESENT`, incidents, community reports,
 * coordinationMeetings, jointOperations), each section is recorded in the access logs, a caller
 * with statistics only gets what it may see, bad input is refused naming the argument, and the
 * PDF and HTML are written with their charts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccessRecord } from '../../common/audit/access-log.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { officialRegions } from '../../common/regions.js';
import { MAX_BRIEF_REGENCIES } from '../../common/brief/scope.js';
import { operationCost } from '../../common/limits/index.js';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { findSavedOperation } from '../../scripts/export/saved-operations.js';
import { makeBrief } from '../../scripts/brief/index.js';
import type { MeetingBrief } from '../../scripts/brief/model.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { NATIONAL_WRITERS, dayFromToday } from '../helpers/fixtures.js';
import {
  IMMIGRATION_OKU,
  expectError,
  expectNoErrors,
  graphql,
  tokenFor,
  type GraphQLResponse,
} from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const REGION = '16.01';
const REGION_NAME = 'Kabupaten Ogan Komering Ulu';
const PURPOSE = 'persiapan rapat koordinasi TIMPORA OKU';
const STATS_ONLY: TokenRequest = {
  agencyType: 'LOCAL_GOVERNMENT',
  agency: 'BAPPEDA-OKU',
  jurisdiction: ['16.01', '16.08', '16.09'],
  scopes: ['stats:read'],
};

let hub: TestHub;
let member: string;
let meetingDate: string;
let meetingId: string;
let operationId: string;
let brief: MeetingBrief;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
function ask(query: string, token: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<any>> {
  return graphql(hub.gatewayUrl, query, { token, variables, purpose: PURPOSE });
}

function askBrief(token: string, variables: Record<string, unknown>) {
  return ask(findSavedOperation('MeetingBrief').text, token, variables);
}

beforeAll(async () => {
  hub = await startTestHub('brief');
  const connections = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].db.connection]),
  ) as Record<SubgraphName, TestHub['subgraphs'][SubgraphName]['db']['connection']>;
  await seedDemoData({ connections, count: 800, referenceDate: new Date(`${dayFromToday(0)}T00:00:00Z`) });
  const writer = await tokenFor(NATIONAL_WRITERS.immigration);
  const meeting = expectNoErrors(
    await ask(
      `mutation($input: RecordCoordinationMeetingInput!) { recordCoordinationMeeting(input: $input) { coordinationMeeting { id } } }`,
      writer,
      {
        input: {
          title: 'Rapat Koordinasi TIMPORA Kabupaten OKU Triwulan IV',
          heldOn: dayFromToday(-40),
          venue: 'Aula Kantor Imigrasi Baturaja',
          regionCode: REGION,
          chairCode: 'KANIM-BATURAJA',
          attendeeCodes: ['KANIM-BATURAJA', 'POLRES-OKU'],
          conclusions: 'Operasi gabungan ke perkebunan di Kecamatan Lengkiti; pendataan SKTT di Baturaja Timur.',
        },
      },
    ),
  );
  meetingId = meeting.recordCoordinationMeeting.coordinationMeeting.id;
  const operation = expectNoErrors(
    await ask(
      `mutation($input: RecordJointOperationInput!) { recordJointOperation(input: $input) { jointOperation { id } } }`,
      writer,
      {
        input: {
          name: 'Operasi Gabungan Lengkiti',
          regionCode: '16.01.28',
          startedOn: dayFromToday(-20),
          endedOn: dayFromToday(-19),
          agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKU'],
          foreignersChecked: 42,
          findings: 'Tiga WNA bekerja tanpa ITAS kerja; diserahkan ke Kantor Imigrasi Baturaja.',
        },
      },
    ),
  );
  operationId = operation.recordJointOperation.jointOperation.id;
  member = await tokenFor(IMMIGRATION_OKU);
  meetingDate = dayFromToday(8);
  brief = expectNoErrors(await askBrief(member, { regionCode: REGION, meetingDate })).meetingBrief as MeetingBrief;
}, 300_000);
afterAll(() => hub?.stop());

describe('the brief of 16.01 equals the hub’s own queries', () => {
  it('names the regency as the official list does, and its time zone', async () => {
    expect((await officialRegions()).get(REGION)?.name).toBe(REGION_NAME);
    expect(brief.regencies).toEqual([{ code: REGION, name: REGION_NAME }]);
    expect(brief.timeZone).toBe('WIB');
    expect(brief.minimumCellSize).toBeNull();
  });

  it('counts the present population by nationality and permit as foreignerStatistics does', async () => {
    const stats = expectNoErrors(
      await ask(
        `query($r: String!) { foreignerStatistics(regionCode: $r, groupBy: [NATIONALITY, PERMIT_TYPE], population: PRESENT) { total groups { nationality permitType count } } }`,
        member,
        { r: REGION },
      ),
    ).foreignerStatistics;
    const [population] = brief.population!;
    expect(population!.total).toBe(stats.total);
    expect(stats.total).toBeGreaterThan(50);
    expect(
      population!.groups.map((g) => ({ nationality: g.nationality, permitType: g.permitType, count: g.count })),
    ).toEqual(stats.groups);
    const present = expectNoErrors(
      await ask(
        `query($r: String!) { foreigners(filter: { regionCode: $r, population: PRESENT }, first: 0) { totalCount } }`,
        member,
        {
          r: REGION,
        },
      ),
    );
    expect(population!.total).toBe(present.foreigners.totalCount);
  });

  it('counts expiring permits and overstays as foreigners { totalCount } does', async () => {
    const count = async (filter: Record<string, unknown>) =>
      expectNoErrors(
        await ask(`query($f: ForeignerFilter) { foreigners(filter: $f, first: 0) { totalCount } }`, member, {
          f: { regionCode: REGION, ...filter },
        }),
      ).foreigners.totalCount as number;
    const after = dayFromToday(8 + 30);
    const before = await count({ population: 'PRESENT', permitExpiresBefore: meetingDate });
    expect(brief.expiringBeforeMeeting).toEqual([{ regionCode: REGION, regionName: REGION_NAME, count: before }]);
    expect(brief.expiringAfterMeeting![0]!.count).toBe(
      (await count({ population: 'PRESENT', permitExpiresBefore: after })) - before,
    );
    expect(brief.overstays![0]!.count).toBe(await count({ overstaying: true }));
    expect(brief.overstays![0]!.count + brief.expiringBeforeMeeting![0]!.count).toBeGreaterThan(0);
  });

  it('counts registration gaps as selfReportCompliance and residenceCompliance judge each holder', async () => {
    const holders: { selfReportCompliance: string; residenceCompliance: string }[] = [];
    let after: string | null = null;
    do {
      const page: {
        foreigners: {
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          nodes: { selfReportCompliance: string; residenceCompliance: string }[];
        };
      } = expectNoErrors(
        await ask(
          `query($r: String!, $after: String) { foreigners(filter: { regionCode: $r, population: PRESENT, permitTypes: [LIMITED_STAY, PERMANENT_STAY] }, first: 1000, after: $after) {
            pageInfo { hasNextPage endCursor } nodes { selfReportCompliance residenceCompliance } } }`,
          member,
          { r: REGION, after },
        ),
      );
      holders.push(...page.foreigners.nodes);
      after = page.foreigners.pageInfo.hasNextPage ? page.foreigners.pageInfo.endCursor : null;
    } while (after);
    const tally = (field: 'selfReportCompliance' | 'residenceCompliance') => ({
      regionCode: REGION,
      regionName: REGION_NAME,
      holders: holders.length,
      missing: holders.filter((h) => h[field] === 'MISSING').length,
      expired: holders.filter((h) => h[field] === 'EXPIRED').length,
    });
    expect(holders.length).toBeGreaterThan(10);
    expect(brief.selfReportGaps).toEqual([tally('selfReportCompliance')]);
    expect(brief.residenceGaps).toEqual([tally('residenceCompliance')]);
  });

  it('takes the last meeting before the meeting date, and the period from its day in WIB', async () => {
    const meetings = expectNoErrors(
      await ask(`query($r: String) { coordinationMeetings(regionCode: $r) { id heldOn } }`, member, { r: REGION }),
    ).coordinationMeetings as { id: string; heldOn: string }[];
    const last = meetings.find((m) => m.heldOn < meetingDate);
    expect(last?.id).toBe(meetingId);
    expect(brief.lastMeeting?.id).toBe(meetingId);
    expect(brief.lastMeeting?.conclusions).toContain('Lengkiti');
    // the day of the meeting starts at 00:00 WIB, 17:00 UTC the day before
    expect(new Date(brief.periodStart!).getTime()).toBe(new Date(`${dayFromToday(-40)}T00:00:00+07:00`).getTime());
  });

  it('lists the joint operations since the last meeting as jointOperations does', async () => {
    const operations = expectNoErrors(
      await ask(`query($r: String) { jointOperations(regionCode: $r) { id startedOn } }`, member, { r: REGION }),
    ).jointOperations as { id: string; startedOn: string }[];
    const since = operations.filter((o) => o.startedOn >= brief.lastMeeting!.heldOn).map((o) => o.id);
    expect(brief.jointOperationsSince!.map((o) => o.id)).toEqual(since);
    expect(since).toContain(operationId);
  });

  it('counts incidents and community reports since the last meeting as the lists do', async () => {
    const incidents = brief.incidentsSinceLastMeeting!;
    const reports = brief.communityReportsSinceLastMeeting!;
    expect(incidents.length + reports.length).toBeGreaterThan(0);
    const total = async (field: 'incidents' | 'communityReports', from: string, category?: string) => {
      const filter =
        field === 'incidents'
          ? { regionCode: REGION, occurredFrom: from, ...(category ? { category } : {}) }
          : { regionCode: REGION, reportedFrom: from, ...(category ? { category } : {}) };
      const type = field === 'incidents' ? 'IncidentFilter' : 'CommunityReportFilter';
      return expectNoErrors(
        await ask(`query($f: ${type}) { ${field}(filter: $f, first: 0) { totalCount } }`, member, { f: filter }),
      )[field].totalCount as number;
    };
    for (const [field, rows] of [
      ['incidents', incidents],
      ['communityReports', reports],
    ] as const) {
      expect(rows.reduce((n, r) => n + r.count, 0)).toBe(await total(field, brief.periodStart!));
      for (const r of rows) expect(r.count).toBe(await total(field, brief.periodStart!, r.category));
    }
  });

  it('is recorded in the access log of every agency', async () => {
    for (const name of SUBGRAPH_NAMES) {
      const records = await hub.subgraphs[name].db.connection
        .collection<AccessRecord>('access_log')
        .find({ filter: { $regex: 'meetingBrief' } })
        .toArray();
      expect(records.length).toBeGreaterThan(0);
      expect(records.at(-1)!.purpose).toBe(PURPOSE);
      expect(records.at(-1)!.filter).toContain(REGION);
    }
  });
});

describe('a group of regencies', () => {
  it('gives each regency the figures of its own brief', async () => {
    const group = expectNoErrors(await askBrief(member, { regionCode: '16.01,16.08,16.09', meetingDate }))
      .meetingBrief as MeetingBrief;
    expect(group.regencies.map((r) => r.code)).toEqual(['16.01', '16.08', '16.09']);
    const oku = (rows: { regionCode: string }[] | null) => rows!.filter((r) => r.regionCode === REGION);
    expect(oku(group.population)).toEqual(brief.population);
    expect(oku(group.expiringBeforeMeeting)).toEqual(brief.expiringBeforeMeeting);
    expect(oku(group.overstays)).toEqual(brief.overstays);
    expect(oku(group.selfReportGaps)).toEqual(brief.selfReportGaps);
    expect(group.population!.reduce((n, p) => n + p.total!, 0)).toBeGreaterThan(brief.population![0]!.total!);
    if (process.env.BRIEF_KEEP_DIR) {
      const file = {
        brief: group,
        preparedBy: { agency: 'KANIM-BATURAJA', agencyType: 'IMMIGRATION' },
        purpose: PURPOSE,
        withheld: {},
      };
      fs.writeFileSync(path.join(process.env.BRIEF_KEEP_DIR, 'brief-oku-raya.json'), JSON.stringify(file, null, 2));
    }
  });
});

describe('a caller with statistics only', () => {
  it('gets the protected counts foreignerStatistics gives it, and FORBIDDEN for every other section', async () => {
    const token = await tokenFor(STATS_ONLY);
    const response = await askBrief(token, { regionCode: REGION, meetingDate });
    const partial = response.data!.meetingBrief as MeetingBrief;
    const stats = expectNoErrors(
      await ask(
        `query($r: String!) { foreignerStatistics(regionCode: $r, groupBy: [NATIONALITY, PERMIT_TYPE], population: PRESENT) { total suppressed unlisted minimumCellSize groups { nationality permitType count } } }`,
        token,
        { r: REGION },
      ),
    ).foreignerStatistics;
    expect(partial.minimumCellSize).toBe(5);
    expect(partial.population![0]!.total).toBe(stats.total);
    expect(partial.population![0]!.suppressed).toBe(stats.suppressed);
    expect(
      partial.population![0]!.groups.map((g) => ({
        nationality: g.nationality,
        permitType: g.permitType,
        count: g.count,
      })),
    ).toEqual(stats.groups);
    expect(partial.population![0]!.groups.every((g) => g.count >= 5)).toBe(true);
    for (const section of [
      'expiringBeforeMeeting',
      'expiringAfterMeeting',
      'overstays',
      'selfReportGaps',
      'residenceGaps',
      'incidentsSinceLastMeeting',
      'communityReportsSinceLastMeeting',
    ] as const) {
      expect(partial[section]).toBeNull();
      expect(response.errors!.find((e) => e.path?.[1] === section)?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('gets a document with what it may see and says what is withheld', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brief-stats-'));
    const made = await makeBrief(
      {
        gatewayUrl: hub.gatewayUrl,
        token: await tokenFor(STATS_ONLY),
        purpose: PURPOSE,
        regionCode: REGION,
        meetingDate,
      },
      { outDir: dir, formats: ['html'] },
    );
    const html = fs.readFileSync(made.written.html!, 'utf8');
    expect(Object.keys(made.file.withheld)).toEqual(expect.arrayContaining(['overstays', 'incidentsSinceLastMeeting']));
    expect(html).toContain('tidak tersedia untuk hak akses Anda');
    expect(html).toContain('kendali pengungkapan statistik');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('limits', () => {
  it('bound a brief by the largest province, and count its lists at that size', async () => {
    const regions = await officialRegions();
    const largest = Math.max(...regions.childrenOf(null).map((p) => regions.childrenOf(p.code).length));
    expect(largest).toBeLessThanOrEqual(MAX_BRIEF_REGENCIES);
    const document = parse(findSavedOperation('MeetingBrief').text);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const cost = operationCost(buildSchema(fs.readFileSync('schema/api-schema.graphql', 'utf8')), document, operation);
    // 40 regencies × (population with 200 groups, 5 counts), 360 + 240 category counts, meeting, operations
    expect(cost).toBeGreaterThan(MAX_BRIEF_REGENCIES * 200);
    expect(cost).toBeLessThan(50_000);
  });
});

describe('bad input', () => {
  it.each([
    ['an unknown region', { regionCode: '99.99', meetingDate: '2026-12-15' }, 'regionCode'],
    ['a district', { regionCode: '16.01.14', meetingDate: '2026-12-15' }, 'regionCode'],
    ['regions in two time zones', { regionCode: '16.01,51.01', meetingDate: '2026-12-15' }, 'regionCode'],
    ['a meeting before today', { regionCode: REGION, meetingDate: '2020-01-01' }, 'meetingDate'],
  ])('refuses %s with BAD_USER_INPUT naming the argument', async (_, variables, field) => {
    const response = await askBrief(member, variables);
    const error = expectError(response, 'BAD_USER_INPUT');
    expect(error.extensions?.field ?? error.message).toContain(field);
  });

  it('refuses a date that is not a date with BAD_USER_INPUT naming the variable', async () => {
    const response = await askBrief(member, { regionCode: REGION, meetingDate: '2026-13-45' });
    const error = expectError(response, 'BAD_USER_INPUT');
    expect(error.message).toContain('meetingDate');
  });
});

describe('the document', () => {
  it('is written as PDF and HTML with its charts, where the command was run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brief-'));
    const made = await makeBrief(
      { gatewayUrl: hub.gatewayUrl, token: member, purpose: PURPOSE, regionCode: REGION, meetingDate },
      { outDir: dir, formats: ['pdf', 'html'] },
    );
    expect(made.written.pdf).toBe(path.join(dir, `brief-${REGION}-${meetingDate}.pdf`));
    const pdf = fs.readFileSync(made.written.pdf!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(made.pages).toBeGreaterThanOrEqual(3);
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBe(made.pages);
    const html = fs.readFileSync(made.written.html!, 'utf8');
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(html).toContain('Kabupaten Ogan Komering Ulu');
    expect(html).toContain('Disiapkan oleh');
    expect(html).toContain('KANIM-BATURAJA');
    expect(html).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB/);
    expect(Object.keys(made.file.withheld)).toEqual([]);
    if (process.env.BRIEF_KEEP_DIR) {
      // for looking at the pages (README image): the files and the answer they were made from
      for (const f of Object.values(made.written)) {
        fs.copyFileSync(f, path.join(process.env.BRIEF_KEEP_DIR, path.basename(f)));
      }
      fs.writeFileSync(path.join(process.env.BRIEF_KEEP_DIR, 'brief-16.01.json'), JSON.stringify(made.file, null, 2));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
