/**
 * The demo's TIMPORA history as a member reads it through the gateway: quarterly meetings up to
 * the last quarter before the seed's reference date, joint operations in its last weeks, Kemenag
 * among the attendees, all in Bahasa Indonesia — read here with a Kemenag token.
 */
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const REFERENCE = new Date('2026-12-07T00:00:00Z');
let hub: TestHub;
let kemenag: string;

beforeAll(async () => {
  hub = await startTestHub('seeded_history');
  const connections = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].db.connection]),
  ) as Record<SubgraphName, TestHub['subgraphs'][SubgraphName]['db']['connection']>;
  await seedDemoData({ connections, count: 600, referenceDate: REFERENCE });
  kemenag = await tokenFor({ agencyType: 'RELIGIOUS_AFFAIRS', agency: 'KEMENAG-OKU', jurisdiction: ['16.01'] });
}, 300_000);
afterAll(() => hub?.stop());

const QUERY = `{
  coordinationMeetings(regionCode: "16.01") { id title heldOn venue chair { code name } attendees { code type } conclusions }
  jointOperations(regionCode: "16") { id name regionCode startedOn endedOn foreignersChecked findings agencies { code } }
  agency(code: "KANIM-BATURAJA") { name }
}`;

interface Answer {
  coordinationMeetings: {
    id: string;
    title: string;
    heldOn: string;
    venue: string;
    chair: { code: string };
    attendees: { code: string; type: string }[];
    conclusions: string;
  }[];
  jointOperations: { id: string; startedOn: string; endedOn: string; foreignersChecked: number; findings: string }[];
  agency: { name: string };
}

it('shows a Kemenag member the meetings up to the last quarter and the recent joint operations', async () => {
  const response = await graphql<Answer>(hub.gatewayUrl, QUERY, { token: kemenag });
  const data = expectNoErrors(response) as Answer;
  const meetings = data.coordinationMeetings;
  expect(meetings.map((m) => m.heldOn)).toEqual([
    '2026-09-09',
    '2026-06-10',
    '2026-03-11',
    '2025-12-10',
    '2025-09-10',
    '2025-06-11',
    '2025-03-12',
    '2024-12-11',
    '2024-09-25',
  ]);
  const [last, first] = [meetings[0]!, meetings.at(-1)!];
  expect(first.attendees).toHaveLength(33);
  expect(last.attendees).toContainEqual({ code: 'KEMENAG-OKU', type: 'RELIGIOUS_AFFAIRS' });
  expect(last.chair.code).toBe('KANIM-BATURAJA');
  expect(last.conclusions).toContain('Berdasarkan data TIMPORA Hub per 9 September 2026');
  expect(last.conclusions).toContain('berakhir sebelum rapat berikutnya (9 Desember 2026)');
  expect(last.title).toMatch(
    /^Rapat Koordinasi Tim Pengawasan Orang Asing \(TIMPORA\) OKU Raya Triwulan III Tahun 2026/,
  );

  const operations = data.jointOperations;
  const since = operations.filter((o) => o.startedOn > last.heldOn);
  expect(since.length).toBeGreaterThanOrEqual(1);
  for (const o of since) {
    expect(new Date(`${o.endedOn}T00:00:00Z`).getTime()).toBeLessThan(REFERENCE.getTime());
    expect(o.findings).toMatch(/^Tim gabungan (memeriksa|mendatangi)/);
  }
  expect(data.agency.name).toBe('Kantor Imigrasi Kelas II Non TPI Muara Enim');
});
