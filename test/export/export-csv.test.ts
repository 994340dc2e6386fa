/**
 * `npm run export` against a running hub: the CLI runs a saved operation through the gateway,
 * follows the connection's pages, flattens rows into CSV (RFC 4180), filters with --where,
 * and fails with the GraphQL errors listed and no partial file.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordCoordinationScenario, type CoordinationScenario } from '../helpers/coordination-scenario.js';
import { dayFromToday, records } from '../helpers/fixtures.js';
import { POLICE_OKU, graphql, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

let hub: TestHub;
let s: CoordinationScenario;
let police: string;
let dir: string;
let olderSkld: string;

beforeAll(async () => {
  hub = await startTestHub('export');
  s = await recordCoordinationScenario(hub);
  // a second, expired SKLD: list columns join the values of every SKLD
  olderSkld = await records.selfReport(hub, s.valid, {
    issuedAt: dayFromToday(-800),
    validUntil: dayFromToday(-420),
    regionCode: '16.01.14.1001',
  });
  police = await tokenFor(POLICE_OKU);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timpora-export-'));
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run export -- …` as an analyst does (through tsx, in the project directory). */
function exportCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/export.ts', '--gateway', hub.gatewayUrl, ...args],
      {
        cwd: ROOT,
        // development tokens are signed with the test run's keys
        // INIT_CWD: the directory npm was run from, where a relative --out lands
        env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test', INIT_CWD: dir },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const csv = (...records: string[][]) => records.map((r) => `${r.join(',')}\r\n`).join('');

const HEADER = [
  'id',
  'fullName',
  'nationality',
  'domicileRegionCode',
  'currentPermit.number',
  'currentPermit.type',
  'currentPermit.expiresAt',
  'currentPermit.sponsor.name',
  'selfReportCompliance',
  'selfReports.number',
  'selfReports.validUntil',
  'residenceCompliance',
  'residence.number',
  'residence.validUntil',
];

function holderRows(): Record<string, string[]> {
  const sponsor = 'PT Semen Baturaja Fiktif';
  return {
    [s.valid]: [
      s.valid,
      'Ahmad Fauzi',
      'MYS',
      '16.01.14.1001',
      s.permitNumbers[s.valid]!,
      'LIMITED_STAY',
      dayFromToday(400),
      sponsor,
      'VALID',
      `${s.skldNumbers[s.valid]}; ${olderSkld}`,
      `${dayFromToday(400)}; ${dayFromToday(-420)}`,
      'VALID',
      s.skttNumbers[s.valid]!,
      dayFromToday(400),
    ],
    [s.noSkld]: [
      s.noSkld,
      'Wang Lei',
      'CHN',
      '16.01.14.1001',
      s.permitNumbers[s.noSkld]!,
      'LIMITED_STAY',
      dayFromToday(20),
      sponsor,
      'MISSING',
      '',
      '',
      'VALID',
      s.skttNumbers[s.noSkld]!,
      dayFromToday(20),
    ],
    [s.expiredSkld]: [
      s.expiredSkld,
      'Zhang Wei',
      'CHN',
      '16.01.14.1001',
      s.permitNumbers[s.expiredSkld]!,
      'PERMANENT_STAY',
      dayFromToday(1500),
      sponsor,
      'EXPIRED',
      s.skldNumbers[s.expiredSkld]!,
      dayFromToday(-30),
      'MISSING',
      '',
      '',
    ],
  };
}

/** Rows in the order the hub pages foreigners: by id. */
const byId = (ids: string[]) => {
  const rows = holderRows();
  return [...ids].sort().map((id) => rows[id]!);
};

it('exports every ITAS/ITAP holder of a region, following the pages, with lists joined by "; "', async () => {
  const result = await exportCli(
    '--operation',
    'RegistrationGaps',
    '--variables',
    '{"regionCode": "16.01"}',
    '--token',
    police,
    '--purpose',
    'TIMPORA OKU coordination meeting',
    '--page-size',
    '1',
    '--values',
    'codes',
  );
  expect(result.stderr).toContain('RegistrationGaps: 3 rows in 3 pages');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(csv(HEADER, ...byId([s.valid, s.noSkld, s.expiredSkld])));
});

it('keeps only the holders lacking a valid SKLD or SKTT with --where … --match any, into a file', async () => {
  const out = path.join(dir, 'gaps.csv');
  const result = await exportCli(
    '--operation',
    'RegistrationGaps',
    '--variables',
    '{"regionCode": "16.01"}',
    '--agency-type',
    'POLICE',
    '--agency',
    'POLRES-OKU',
    '--jurisdiction',
    '16.01',
    '--purpose',
    'TIMPORA OKU coordination meeting',
    '--where',
    'selfReportCompliance=MISSING,EXPIRED',
    '--where',
    'residenceCompliance=MISSING,EXPIRED',
    '--match',
    'any',
    '--values',
    'codes',
    '--out',
    out,
  );
  expect(result.stderr).toContain('RegistrationGaps: 2 rows (of 3 read) in 1 page written to');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('');
  expect(fs.readFileSync(out, 'utf8')).toBe(csv(HEADER, ...byId([s.noSkld, s.expiredSkld])));
});

it('exports a plain list (counts by category and district) with empty cells for nulls', async () => {
  const result = await exportCli(
    '--operation',
    'CommunityReportCounts',
    '--variables',
    JSON.stringify({ regionCode: '16.01', from: `${dayFromToday(-60)}T00:00:00Z`, groupBy: ['CATEGORY', 'REGION'] }),
    '--token',
    police,
    '--values',
    'codes',
  );
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(
    csv(
      ['category', 'categoryLabel', 'status', 'statusLabel', 'regionCode', 'regionName', 'count'],
      ['ILLEGAL_WORK', 'Bekerja tanpa izin', '', '', '16.01.14', 'Baturaja Timur', '1'],
      ['UNREGISTERED_STAY', 'Tinggal tanpa lapor diri', '', '', '16.01.13', 'Baturaja Barat', '1'],
      ['UNREGISTERED_STAY', 'Tinggal tanpa lapor diri', '', '', '16.01.14', 'Baturaja Timur', '1'],
    ),
  );
});

it('asks which list to export when an operation has several, and exports the one named by --rows', async () => {
  const file = path.join(dir, 'CountsTwoWays.graphql');
  fs.writeFileSync(
    file,
    `query CountsTwoWays($regionCode: String!) {
      byType: foreignerStatistics(regionCode: $regionCode, groupBy: [PERMIT_TYPE]) { total groups { permitType count } }
      byNationality: foreignerStatistics(regionCode: $regionCode, groupBy: [NATIONALITY]) { groups { nationality count } }
    }`,
  );
  const args = ['--operation', file, '--variables', '{"regionCode": "16.01"}', '--token', police, '--values', 'codes'];
  const ambiguous = await exportCli(...args);
  expect(ambiguous.code).toBe(1);
  expect(ambiguous.stderr).toContain('choose one with --rows: byType.groups, byNationality.groups');
  const chosen = await exportCli(...args, '--rows', 'byType.groups');
  expect(chosen.code).toBe(0);
  expect(chosen.stdout).toBe(
    csv(['permitType', 'count'], ['', '3'], ['LIMITED_STAY', '2'], ['PERMANENT_STAY', '1'], ['VISIT', '1']),
  );
});

it('reports GraphQL errors clearly, exits non-zero and leaves no file', async () => {
  const out = path.join(dir, 'refused.csv');
  const noPurpose = await exportCli(
    '--operation',
    'RegistrationGaps',
    '--variables',
    '{"regionCode": "16.01"}',
    '--token',
    police,
    '--out',
    out,
  );
  expect(noPurpose.code).toBe(1);
  expect(noPurpose.stderr).toContain('RegistrationGaps failed with');
  expect(noPurpose.stderr).toContain(
    'PURPOSE_REQUIRED at foreigners: Tujuan permintaan (X-Purpose) wajib diisi untuk data pribadi',
  );
  expect(noPurpose.stderr).toContain('--purpose');
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('refused'))).toEqual([]);

  // prosecutors hold no residence:read: the SKTT cells are left empty, with one warning per field
  const prosecutor = await tokenFor({ agencyType: 'PROSECUTOR', agency: 'KEJARI-OKU', jurisdiction: ['16.01'] });
  const forbidden = await exportCli(
    '--operation',
    'RegistrationGaps',
    '--variables',
    '{"regionCode": "16.01"}',
    '--token',
    prosecutor,
    '--purpose',
    'case preparation',
    '--values',
    'codes',
  );
  expect(forbidden.code).toBe(0);
  expect(forbidden.stderr).toMatch(
    /warning: 3 cells left empty, FORBIDDEN at foreigners\.nodes\.\*\.residenceCompliance: .*residence:read.* \(local-government\)/,
  );
  const lines = forbidden.stdout.trim().split('\r\n');
  expect(lines).toHaveLength(4);
  const header = lines[0]!.split(',');
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    expect(cells[header.indexOf('residenceCompliance')]).toBe('');
    expect(cells[header.indexOf('selfReportCompliance')]).not.toBe('');
  }

  const unknown = await exportCli('--operation', 'NoSuchOperation', '--token', police);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('no saved operation named "NoSuchOperation"');
  expect(unknown.stderr).toContain('RegistrationGaps');

  const badVariables = await exportCli('--operation', 'RegistrationGaps', '--variables', '{}', '--token', police);
  expect(badVariables.code).toBe(1);
  expect(badVariables.stderr).toMatch(/regionCode/);
});

it('writes labels and names for people by default: ITAS, the region and country names, times with their zone', async () => {
  const result = await exportCli(
    '--operation',
    'RegistrationGaps',
    '--variables',
    '{"regionCode": "16.01"}',
    '--token',
    police,
    '--purpose',
    'TIMPORA OKU coordination meeting',
  );
  expect(result.code).toBe(0);
  const [header, ...rows] = result.stdout
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
  expect(header!.slice(0, 6)).toEqual([
    'id',
    'fullName',
    'nationality',
    'nationalityName',
    'domicileRegionCode',
    'domicileRegionName',
  ]);
  const byIdRow = new Map(rows.map((r) => [r[0], r]));
  const noSkld = byIdRow.get(s.noSkld)!;
  const column = (name: string) => header!.indexOf(name);
  expect(noSkld[column('nationalityName')]).toBe('China');
  expect(noSkld[column('domicileRegionName')]).toMatch(/\S/);
  expect(noSkld[column('currentPermit.type')]).toBe('ITAS');
  expect(noSkld[column('selfReportCompliance')]).toBe('Tidak ada');
  expect(byIdRow.get(s.expiredSkld)![column('currentPermit.type')]).toBe('ITAP');
});

it('makes one row per element of a nested list, keeps refused fields as empty cells, and writes --out where it was run', async () => {
  // two foreigners in one incident: one row per party
  const other = await records.foreigner(hub, {
    fullName: 'Li Na',
    nationality: 'CHN',
    domicileRegionCode: '16.01.14.1001',
  });
  const occurredAt = `${dayFromToday(-3)}T13:30:00Z`; // 20:30 WIB
  const filed = await graphql(
    hub.gatewayUrl,
    `
      mutation ($input: FileIncidentInput!) {
        fileIncident(input: $input) {
          incident {
            reportNumber
          }
        }
      }
    `,
    {
      token: await tokenFor(POLICE_OKU),
      variables: {
        input: {
          reportNumber: `LP/B/${Date.now()}/XII/2026/SPKT/POLRES OKU`,
          category: 'FRAUD',
          occurredAt,
          regionCode: '16.01.14.1001',
          summary: 'Penipuan jual beli kendaraan di Pasar Baturaja.',
          parties: [
            { foreignerId: s.valid, involvement: 'VICTIM' },
            { foreignerId: other, involvement: 'WITNESS' },
          ],
        },
      },
    },
  );
  expect(filed.errors).toBeUndefined();
  // immigration may not read an incident's narrative (incident:detail): that column stays empty
  const immigration = await tokenFor({
    agencyType: 'IMMIGRATION',
    agency: 'KANIM-BATURAJA',
    jurisdiction: ['16.01', '16.08', '16.09'],
  });
  const result = await exportCli(
    '--operation',
    'IncidentsInRegion',
    '--variables',
    JSON.stringify({ regionCode: '16.01', from: `${dayFromToday(-4)}T00:00:00Z`, category: 'FRAUD' }),
    '--rows',
    'incidents.nodes.parties',
    '--token',
    immigration,
    '--purpose',
    'TIMPORA OKU coordination meeting',
    '--out',
    'incident-parties.csv',
  ).then((r) => r);
  expect(result.stderr).toContain('IncidentsInRegion: 2 rows in 1 page written to incident-parties.csv');
  expect(result.stderr).toMatch(/warning: 1 cell left empty, FORBIDDEN at incidents\.nodes\.\*\.summary/);
  expect(result.code).toBe(0);
  const text = fs.readFileSync(path.join(dir, 'incident-parties.csv'), 'utf8');
  const [header, ...rows] = text
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
  const column = (name: string) => header!.indexOf(name);
  expect(rows).toHaveLength(2);
  expect(rows.map((r) => r[column('parties.involvement')])).toEqual(['Korban', 'Saksi']);
  expect(rows.map((r) => r[column('parties.foreigner.id')])).toEqual([s.valid, other]);
  for (const row of rows) {
    expect(row[column('category')]).toBe('Penipuan');
    expect(row[column('summary')]).toBe('');
    expect(row[column('occurredAt')]).toBe(`${dayFromToday(-3)} 20:30 WIB`);
    expect(row[column('regionName')]).toMatch(/\S/);
  }
});

it('describes every option in --help', async () => {
  const help = await exportCli('--help');
  expect(help.code).toBe(0);
  for (const option of [
    '--operation',
    '--variables',
    '--list',
    '--token',
    '--agency-type',
    '--purpose',
    '--gateway',
    '--rows',
    '--where',
    '--match',
    '--page-size',
    '--values',
    '--time-zone',
    '--bom',
    '--out',
  ]) {
    expect(help.stdout).toContain(`  ${option}`);
  }
  expect(help.stdout).toContain('coordinationMeetings.attendees');
});
