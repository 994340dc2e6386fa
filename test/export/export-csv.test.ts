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
import { POLICE_OKU, tokenFor } from '../helpers/graphql.js';
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
        env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test' },
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
  );
  expect(result.code).toBe(0);
  expect(result.stdout).toBe(
    csv(
      ['category', 'categoryLabel', 'status', 'statusLabel', 'regionCode', 'regionName', 'count'],
      ['ILLEGAL_WORK', 'Bekerja tanpa izin', '', '', '16.01.14', 'Baturaja Timur', '1'],
      ['UNREGISTERED_STAY', 'Tinggal tanpa terdaftar', '', '', '16.01.13', 'Baturaja Barat', '1'],
      ['UNREGISTERED_STAY', 'Tinggal tanpa terdaftar', '', '', '16.01.14', 'Baturaja Timur', '1'],
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
  const args = ['--operation', file, '--variables', '{"regionCode": "16.01"}', '--token', police];
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
  expect(noPurpose.stderr).toContain('PURPOSE_REQUIRED at foreigners: Personal data needs a stated purpose');
  expect(noPurpose.stderr).toContain('--purpose');
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('refused'))).toEqual([]);

  // prosecutors hold no residence:read: one line for the three refused SKTT fields
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
  );
  expect(forbidden.code).toBe(1);
  expect(forbidden.stderr).toMatch(
    /FORBIDDEN at foreigners\.nodes\.\*\.residenceCompliance: .*residence:read.* \(local-government\) \[3 times\]/,
  );

  const unknown = await exportCli('--operation', 'NoSuchOperation', '--token', police);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('no saved operation named "NoSuchOperation"');
  expect(unknown.stderr).toContain('RegistrationGaps');

  const badVariables = await exportCli('--operation', 'RegistrationGaps', '--variables', '{}', '--token', police);
  expect(badVariables.code).toBe(1);
  expect(badVariables.stderr).toMatch(/regionCode/);
});
