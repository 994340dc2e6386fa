/**
 * The subject-access report (UU PDP art. 31–32) through the real gateway with real tokens: a
 * data-protection officer reads what the three agencies hold about one foreigner and every
 * disclosure of it in their access logs, each log checked against its chain and witnesses; a
 * record edited in the database, or a log rolled back behind a witnessed head, shows as broken; the scope, the purpose and the jurisdiction
 * are enforced; the report request is itself recorded.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AccessRecord } from '../../common/audit/access-log.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { freePort } from '../../common/db/ferretdb.js';
import { TEST_DATA_DIR } from '../helpers/audit.js';
import { momentFromToday, recordFullForeigner, records, type FullForeigner } from '../helpers/fixtures.js';
import { LOCALGOV_OKU, POLICE_OKU, expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let fixture: FullForeigner;
let officer: string;

const DPO: TokenRequest = {
  agencyType: 'IMMIGRATION',
  agency: 'KANIM-BATURAJA',
  jurisdiction: ['16.01'],
  scopes: ['identity:read', 'subject-access:read'],
  subject: 'ppdp-baturaja',
};

export const REPORT = `query SubjectAccess($id: ID!) {
  subjectAccessReport(foreignerId: $id) {
    foreignerId
    immigration { ...section }
    police { ...section }
    localGovernment { ...section }
  }
}
fragment section on SubjectAccessSection {
  agency nameId nameEn
  holdings { kind recordId titleId titleEn explanationId explanationEn fields { labelId labelEn value } }
  disclosures { sequence at agency agencyType purpose operationName fieldGroups fieldGroupsId fieldGroupsEn outcome denials hash signed witnessed }
  verification { verdict records brokenAt reason unkeyed problems witnessedUpTo { agency sequence witness witnessedAt } }
}`;

interface Section {
  agency: string;
  holdings: { kind: string; fields: { labelEn: string; value: string | null }[] }[];
  disclosures: {
    sequence: number;
    purpose: string | null;
    agency: string;
    outcome: string;
    fieldGroups: string[];
    witnessed: boolean;
  }[];
  verification: { verdict: string; brokenAt: number | null; problems: string[]; witnessedUpTo: { witness: string }[] };
}
type Report = { subjectAccessReport: Record<'immigration' | 'police' | 'localGovernment', Section> };

beforeAll(async () => {
  // fixed ports, so that each subgraph knows where its peers answer; witnessing runs when the test says
  const peerEnv: Record<string, string> = { ACCESS_LOG_WITNESS_INTERVAL_S: '3600' };
  for (const name of SUBGRAPH_NAMES) {
    const port = await freePort();
    peerEnv[`${SUBGRAPH_ENV_PREFIX[name]}_PORT`] = String(port);
    peerEnv[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = `http://127.0.0.1:${port}/graphql`;
  }
  hub = await startTestHub('subject_access', { subgraphEnv: peerEnv });
  fixture = await recordFullForeigner(hub);
  officer = await tokenFor(DPO);
}, 120_000);
afterAll(() => hub?.stop());

async function witnessAll(): Promise<void> {
  for (const name of SUBGRAPH_NAMES) {
    for (const outcome of await hub.subgraphs[name].witness.round()) expect(outcome).not.toHaveProperty('error');
  }
}

function report(token = officer, purpose: string | null = 'permintaan akses subjek data') {
  return graphql<Report>(hub.gatewayUrl, REPORT, { token, purpose, variables: { id: fixture.foreignerId } });
}

function log(name: SubgraphName) {
  return hub.subgraphs[name].db.connection.collection<AccessRecord>('access_log');
}

/** Disclosures of the foreigner by three agencies, each with a purpose of its own. */
const DISCLOSURES: { who: TokenRequest; purpose: string; query: string }[] = [
  {
    who: POLICE_OKU,
    purpose: 'penyelidikan kasus 17/2026',
    query: `query ($id: ID!) { foreigner(id: $id) { fullName selfReports { number } incidents { category } } }`,
  },
  {
    who: LOCALGOV_OKU,
    purpose: 'pendataan SKTT',
    query: `query ($id: ID!) { foreigner(id: $id) { nationality residence { address } employment { employer } } }`,
  },
  {
    who: { agencyType: 'MILITARY', agency: 'KODIM-0403-OKU', jurisdiction: ['16.01'] },
    purpose: 'pengawasan wilayah',
    query: `query ($id: ID!) { foreigner(id: $id) { fullName stayPermits { number } } }`,
  },
];

describe('subject-access report', () => {
  let first: Report['subjectAccessReport'];

  beforeAll(async () => {
    for (const d of DISCLOSURES) {
      const token = await tokenFor(d.who);
      expectNoErrors(
        await graphql(hub.gatewayUrl, d.query, { token, purpose: d.purpose, variables: { id: fixture.foreignerId } }),
      );
    }
    await witnessAll();
    first = expectNoErrors(await report()).subjectAccessReport;
  }, 60_000);

  it('lists what each agency holds, in Bahasa Indonesia and English', () => {
    expect(first.immigration.holdings.map((h) => h.kind)).toEqual(
      expect.arrayContaining(['IDENTITY', 'STAY_PERMIT', 'BORDER_CROSSING', 'WATCHLIST', 'IMMIGRATION_ACTION']),
    );
    expect(first.police.holdings.map((h) => h.kind)).toEqual(expect.arrayContaining(['SELF_REPORT', 'INCIDENT']));
    expect(first.localGovernment.holdings.map((h) => h.kind)).toEqual(
      expect.arrayContaining(['RESIDENCE', 'EMPLOYMENT', 'COMMUNITY_REPORT']),
    );
    const identity = first.immigration.holdings.find((h) => h.kind === 'IDENTITY')!;
    expect(identity.fields.find((f) => f.labelEn === 'Passport number')?.value).toBe(fixture.passportNumber);
  });

  it('lists every disclosure made, by agency and purpose, and verifies each log intact and witnessed', () => {
    const purposes = (s: Section) => s.disclosures.map((d) => `${d.agency}|${d.purpose}`);
    // each subgraph recorded what it served of each request
    expect(purposes(first.immigration)).toEqual(
      expect.arrayContaining(DISCLOSURES.map((d) => `${d.who.agency}|${d.purpose}`)),
    );
    expect(purposes(first.police)).toContain('POLRES-OKU|penyelidikan kasus 17/2026');
    expect(purposes(first.localGovernment)).toContain('DUKCAPIL-OKU|pendataan SKTT');
    for (const section of Object.values(first)) {
      if (typeof section !== 'object') continue;
      expect(section.verification).toMatchObject({ verdict: 'INTACT', brokenAt: null, problems: [] });
      expect(section.verification.witnessedUpTo.length).toBe(2);
      // every disclosure made before the witnesses' round is covered by a witnessed head (the
      // report's own first fetch from a subgraph, recorded before its section is read, is not yet)
      const earlier = section.disclosures.filter((d) => d.purpose !== 'permintaan akses subjek data');
      expect(earlier.filter((d) => !d.witnessed)).toEqual([]);
    }
  });

  it('records the report request itself, which the next report lists', async () => {
    const recorded = await log('immigration').findOne({
      purpose: 'permintaan akses subjek data',
      agency: 'KANIM-BATURAJA',
    });
    expect(recorded?.foreignerIds).toContain(fixture.foreignerId);
    expect(recorded?.fieldGroups).toContain('subject-access:read');
    const again = expectNoErrors(await report()).subjectAccessReport;
    const own = again.police.disclosures.find((d) => d.purpose === 'permintaan akses subjek data');
    expect(own).toMatchObject({ agency: 'KANIM-BATURAJA', outcome: 'DISCLOSED' });
    expect(own?.fieldGroups).toContain('subject-access:read');
  });

  it('reports a log broken after a record is edited in the database', async () => {
    const target = await log('police').findOne({ purpose: 'penyelidikan kasus 17/2026' });
    await log('police').updateOne({ _id: target!._id }, { $set: { purpose: 'patroli rutin' } });
    try {
      const broken = expectNoErrors(await report()).subjectAccessReport;
      expect(broken.police.verification).toMatchObject({ verdict: 'BROKEN', brokenAt: target!.seq });
      expect(broken.immigration.verification.verdict).toBe('INTACT');
    } finally {
      await log('police').updateOne({ _id: target!._id }, { $set: { purpose: target!.purpose } });
    }
  });
  it('reports a log rolled back behind a witnessed head, which its chain alone would not show', async () => {
    await witnessAll();
    const db = hub.subgraphs.police.db.connection.db!;
    const last = await log('police').find().sort({ _id: -1 }).limit(1).next();
    // an insider drops the newest record and moves the head back: the chain still holds by itself
    await log('police').deleteOne({ _id: last!._id });
    await db.collection('access_log_head').updateOne({}, { $set: { seq: last!.seq - 1, hash: last!.prevHash } });
    try {
      const rolledBack = expectNoErrors(await report()).subjectAccessReport;
      expect(rolledBack.police.verification.verdict).toBe('BROKEN');
      expect(rolledBack.police.verification.problems.join('\n')).toMatch(
        new RegExp(`(MISSING|REWRITTEN): record ${last!.seq}`),
      );
    } finally {
      // the deletion undone, not the log restored as it was: police kept the head it had written,
      // so the report's own record follows the dropped one, and putting that back makes the chain whole
      await log('police').insertOne(last!);
      await db
        .collection('access_log_head')
        .updateOne({ seq: { $lt: last!.seq } }, { $set: { seq: last!.seq, hash: last!.hash } });
    }
  });
});

describe('who may ask', () => {
  it('refuses a caller without subject-access:read', async () => {
    const response = await report(await tokenFor(POLICE_OKU));
    expectError(response, 'FORBIDDEN');
    expect(JSON.stringify(response.data ?? null)).not.toContain(fixture.passportNumber);
  });

  it('needs a purpose', async () => {
    expectError(await report(officer, null), 'PURPOSE_REQUIRED');
  });

  it('refuses a foreigner outside the officer’s jurisdiction', async () => {
    const elsewhere = await tokenFor({ ...DPO, jurisdiction: ['16.02'] });
    const response = await report(elsewhere);
    expect(expectError(response, 'FORBIDDEN').message).toContain('di luar yurisdiksi');
    expect(response.data?.subjectAccessReport ?? null).toBeNull();
  });
});

describe('npm run subject-access', () => {
  const run = promisify(execFile);
  const cli = (dir: string, args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/subject-access.ts', ...args], {
      // as npm runs it: in the package directory, with the caller's directory in INIT_CWD
      env: { ...process.env, DATA_DIR: TEST_DATA_DIR, INIT_CWD: dir, LOG_LEVEL: 'silent' },
    });
  const signIn = ['--agency-type', 'IMMIGRATION', '--agency', 'KANIM-BATURAJA', '--jurisdiction', '16.01'];

  it('writes a readable PDF and the JSON it was made from, relative to the caller’s directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subject-access-'));
    const started = performance.now();
    const { stderr } = await cli(dir, [
      ...['--foreigner', fixture.foreignerId, '--out', 'report.pdf', '--gateway', hub.gatewayUrl],
      ...[...signIn, '--scope', 'identity:read,subject-access:read'],
    ]);
    const elapsed = Math.round(performance.now() - started);
    const pdf = fs.readFileSync(path.join(dir, 'report.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(4); // the cover and one page or more per agency
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(json.report.foreignerId).toBe(fixture.foreignerId);
    expect(json.report.police.holdings.map((h: { kind: string }) => h.kind)).toContain('SELF_REPORT');
    expect(json.purpose).toMatch(/UU PDP/);
    expect(stderr).toMatch(/records held, \d+ disclosures/);
    process.stderr.write(
      `subject-access CLI: ${pdf.length} bytes, ${pages} pages, ${elapsed} ms (with process start)\n`,
    );
  }, 60_000);

  it('says so when the scope is missing, and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subject-access-'));
    const failed = await cli(dir, ['--foreigner', fixture.foreignerId, '--gateway', hub.gatewayUrl, ...signIn]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('FORBIDDEN');
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 60_000);

  it('reports a foreigner with many records and hundreds of disclosures (figures on stderr)', async () => {
    for (let i = 0; i < 20; i += 1) {
      await records.crossing(hub, fixture.foreignerId, i % 2 === 0 ? 'EXIT' : 'ENTRY', momentFromToday(-300 + i * 10));
    }
    const tokens = await Promise.all(DISCLOSURES.map((d) => tokenFor(d.who)));
    const many = 300;
    for (let i = 0; i < many; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) => {
          const k = (i + j) % DISCLOSURES.length;
          return graphql(hub.gatewayUrl, DISCLOSURES[k]!.query, {
            token: tokens[k],
            purpose: `${DISCLOSURES[k]!.purpose} #${i + j}`,
            variables: { id: fixture.foreignerId },
          }).then(expectNoErrors);
        }),
      );
    }
    await witnessAll();
    const started = performance.now();
    const answer = expectNoErrors(await report()).subjectAccessReport;
    const queryMs = Math.round(performance.now() - started);
    const numbered = answer.immigration.disclosures.filter((d) => / #\d+$/.test(d.purpose ?? ''));
    expect(numbered).toHaveLength(many);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subject-access-'));
    const cliStarted = performance.now();
    await cli(dir, [
      ...['--foreigner', fixture.foreignerId, '--out', 'many.pdf', '--gateway', hub.gatewayUrl],
      ...[...signIn, '--scope', 'identity:read,subject-access:read'],
    ]);
    const cliMs = Math.round(performance.now() - cliStarted);
    const pdf = fs.readFileSync(path.join(dir, 'many.pdf'));
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;
    const disclosures = Object.values(answer).reduce(
      (n, section) => n + (typeof section === 'object' ? section.disclosures.length : 0),
      0,
    );
    process.stderr.write(
      `subject-access, many records: ${disclosures} disclosures, GraphQL ${queryMs} ms; ` +
        `PDF ${pdf.length} bytes, ${pages} pages, JSON ${fs.statSync(path.join(dir, 'many.json')).size} bytes, CLI ${cliMs} ms\n`,
    );
    expect(pages).toBeGreaterThan(10);
  }, 240_000);
});
