/**
 * The immigration subgraph's part of the audit, asked of the subgraph itself: its own access-log
 * records about a foreigner (`accessLog`, the `AccessLog` entity) as auditors see them by
 * jurisdiction, and its section of the subject-access report (`subjectAccessReport`, the
 * `SubjectAccessReport` entity with the heads the other agencies witnessed, which the gateway
 * passes it). The whole hub's log and report: test/audit and test/privacy.
 */
import type { AccessRecord } from '../../common/audit/access-log.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { records } from '../helpers/fixtures.js';
import {
  AUDITOR_NATIONAL,
  expectError,
  expectNoErrors,
  IMMIGRATION_OKU,
  SUBJECT_ACCESS_OKU,
  tokenFor,
} from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { subgraphAsker } from '../helpers/subgraph.js';

const PURPOSE = 'Pemeriksaan izin tinggal WNA di Baturaja';
const AUDITOR_OKU: TokenRequest = { agencyType: 'AUDITOR', agency: 'INSPEKTORAT-OKU', jurisdiction: ['16.01'] };
const TOURISM_OKU: TokenRequest = { agencyType: 'TOURISM', agency: 'DISPAR-OKU', jurisdiction: ['16.01'] };

let hub: TestHub;
let national: string;
let regional: string;
let kanim: string;
let dpo: string;
/** Domiciled in Baturaja Timur (16.01.14), with a permit and an entry. */
let oku: string;
/** Domiciled in Palembang (16.71): outside OKU. */
let palembang: string;
let permitNumber: string;
const passportNumber = `B${String(process.pid).padStart(7, '0')}`.slice(0, 8);

const ask = subgraphAsker(() => hub.subgraphs.immigration, 'immigration', PURPOSE);

beforeAll(async () => {
  hub = await startTestHub('immigration_audit');
  oku = await records.foreigner(hub, {
    fullName: 'Nguyen Van An',
    nationality: 'VNM',
    domicileRegionCode: '16.01.14.1001',
    passportNumber,
  });
  permitNumber = await records.permit(hub, oku, {
    type: 'LIMITED_STAY',
    issuedAt: '2025-01-10',
    expiresAt: '2099-01-09',
  });
  await records.crossing(hub, oku, 'ENTRY', '2025-01-12T03:00:00Z');
  palembang = await records.foreigner(hub, {
    fullName: 'Tran Thi Binh',
    nationality: 'VNM',
    domicileRegionCode: '16.71.01.1001',
  });
  [national, regional, kanim, dpo] = await Promise.all([
    tokenFor(AUDITOR_NATIONAL),
    tokenFor(AUDITOR_OKU),
    tokenFor(IMMIGRATION_OKU),
    tokenFor(SUBJECT_ACCESS_OKU),
  ]);
  // a disclosure, and an attempt partly refused (the tourism office may not see crossings)
  expectNoErrors(
    await ask(`query CekIzin($id: ID!) { foreigner(id: $id) { fullName currentPermit { number } } }`, kanim, {
      id: oku,
    }),
  );
  const tourism = await ask(
    `query Perjalanan($id: ID!) { foreigner(id: $id) { fullName borderCrossings { direction } } }`,
    await tokenFor(TOURISM_OKU),
    { id: oku },
  );
  expectError(tourism, 'FORBIDDEN');
}, 120_000);
afterAll(() => hub?.stop());

describe('accessLog', () => {
  const LOG = /* GraphQL */ `
    query ($id: ID!, $outcomes: [AccessOutcome!]) {
      accessLog(foreignerId: $id) {
        foreignerId
        immigration(outcomes: $outcomes) {
          sequence
          agency
          agencyType
          purpose
          operationName
          outcome
          denials {
            code
            path
          }
          fieldGroups
          recordIds
          hash
          previousHash
        }
      }
    }
  `;
  type LogRecord = Pick<AccessRecord, 'agency' | 'purpose' | 'operationName' | 'recordIds'> & {
    sequence: number;
    outcome: string;
  };

  it('tells a national auditor every immigration record about the foreigner, oldest first, with who, why and what', async () => {
    const log = expectNoErrors(await ask(LOG, national, { id: oku })).accessLog;
    expect(log.foreignerId).toBe(oku);
    const sequences = log.immigration.map((r: LogRecord) => r.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(log.immigration).toContainEqual({
      sequence: expect.any(Number),
      agency: 'KANIM-BATURAJA',
      agencyType: 'IMMIGRATION',
      purpose: PURPOSE,
      operationName: 'CekIzin',
      outcome: 'DISCLOSED',
      denials: [],
      fieldGroups: ['identity:read', 'permit:read'],
      recordIds: expect.arrayContaining([`Foreigner:${oku}`, `StayPermit:${permitNumber}`]),
      hash: expect.any(String),
      previousHash: expect.any(String),
    });
  });

  it('gives only the attempts when asked for refused outcomes, naming what was refused', async () => {
    const attempts = expectNoErrors(await ask(LOG, national, { id: oku, outcomes: ['DENIED', 'PARTLY_DENIED'] }))
      .accessLog.immigration;
    expect(attempts).toEqual([
      expect.objectContaining({
        agency: 'DISPAR-OKU',
        operationName: 'Perjalanan',
        outcome: 'PARTLY_DENIED',
        denials: [{ code: 'FORBIDDEN', path: 'foreigner.borderCrossings' }],
        fieldGroups: ['identity:read'],
      }),
    ]);
  });

  it('shows a regional auditor only the records of rows in its regions, narrowed to those rows', async () => {
    const inOku = expectNoErrors(await ask(LOG, regional, { id: oku })).accessLog.immigration;
    const all = expectNoErrors(await ask(LOG, national, { id: oku })).accessLog.immigration;
    expect(inOku.map((r: LogRecord) => r.sequence)).toEqual(
      all.filter((r: LogRecord) => r.recordIds.includes(`Foreigner:${oku}`)).map((r: LogRecord) => r.sequence),
    );
    // the permit has no region of its own: a regional auditor sees the foreigner's row only
    const kanimRecord = inOku.find((r: LogRecord) => r.operationName === 'CekIzin');
    expect(kanimRecord.recordIds).toEqual([`Foreigner:${oku}`]);
    // a foreigner living outside the auditor's regions: nothing, though the national auditor sees records
    expect(expectNoErrors(await ask(LOG, regional, { id: palembang })).accessLog.immigration).toEqual([]);
    expect(expectNoErrors(await ask(LOG, national, { id: palembang })).accessLog.immigration.length).toBeGreaterThan(0);
  });

  it('is refused to a member agency without audit:read, with FORBIDDEN', async () => {
    const response = await ask(LOG, kanim, { id: oku });
    expect(expectError(response, 'FORBIDDEN').extensions?.scope).toBe('audit:read');
    expect(JSON.stringify(response.data ?? null)).not.toContain('KANIM-BATURAJA');
  });

  it('resolves AccessLog references for the gateway as `accessLog` answers them, by jurisdiction', async () => {
    const query = async (token: string, id: string) =>
      expectNoErrors(
        await ask(
          `query ($id: ID!) { accessLog(foreignerId: $id) { foreignerId immigration { sequence agency outcome fieldGroups recordIds hash } } }`,
          token,
          { id },
        ),
      ).accessLog;
    const entities = (token: string) =>
      ask(
        `query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on AccessLog { foreignerId immigration { sequence agency outcome fieldGroups recordIds hash } }
          }
        }`,
        token,
        { r: [oku, palembang].map((foreignerId) => ({ __typename: 'AccessLog', foreignerId })) },
        true,
      );
    for (const [token, agency] of [
      [national, AUDITOR_NATIONAL.agency],
      [regional, AUDITOR_OKU.agency],
    ] as const) {
      const asked = [await query(token, oku), await query(token, palembang)];
      const resolved = expectNoErrors(await entities(token))._entities;
      for (const [i, log] of asked.entries()) {
        expect(resolved[i].foreignerId).toBe(log.foreignerId);
        // the same records, then only the auditor's own reads of the log, which are recorded too
        expect(resolved[i].immigration.slice(0, log.immigration.length)).toEqual(log.immigration);
        for (const read of resolved[i].immigration.slice(log.immigration.length)) {
          expect(read).toMatchObject({ agency, outcome: 'DISCLOSED', fieldGroups: ['audit:read'] });
        }
      }
    }
    expectError(await entities(kanim), 'FORBIDDEN');
  });
});

describe('subjectAccessReport', () => {
  /** Immigration's section as the report and the entity are compared on. */
  const SECTION_FIELDS = /* GraphQL */ `
    fragment Section on SubjectAccessSection {
      agency
      nameId
      holdings {
        kind
        recordId
        fields {
          labelEn
          value
        }
      }
      disclosures {
        sequence
        agency
        purpose
        outcome
        fieldGroups
        signed
        witnessed
      }
      verification {
        verdict
        records
        brokenAt
        problems
        witnessedUpTo {
          witness
          sequence
        }
      }
    }
  `;
  const REPORT =
    /* GraphQL */ `
      query ($id: ID!) {
        subjectAccessReport(foreignerId: $id) {
          foreignerId
          immigration {
            ...Section
          }
        }
      }
    ` + SECTION_FIELDS;
  interface Section {
    agency: string;
    nameId: string;
    holdings: { kind: string; recordId: string; fields: { labelEn: string; value: string | null }[] }[];
    disclosures: {
      sequence: number;
      agency: string;
      purpose: string;
      outcome: string;
      fieldGroups: string[];
      witnessed: boolean;
    }[];
    verification: { verdict: string; records: number; problems: string[]; witnessedUpTo: { witness: string }[] };
  }

  it('lists what immigration holds about a foreigner of the officer’s jurisdiction, and every disclosure of it', async () => {
    const report = expectNoErrors(await ask(REPORT, dpo, { id: oku })).subjectAccessReport;
    expect(report.foreignerId).toBe(oku);
    const section: Section = report.immigration;
    expect(section.holdings.map((h) => h.kind)).toEqual(['IDENTITY', 'STAY_PERMIT', 'BORDER_CROSSING']);
    expect(section.holdings.map((h) => h.recordId).slice(0, 2)).toEqual([
      `Foreigner:${oku}`,
      `StayPermit:${permitNumber}`,
    ]);
    const identity = Object.fromEntries(section.holdings[0]!.fields.map((f) => [f.labelEn, f.value]));
    expect(identity).toMatchObject({ 'Full name': 'Nguyen Van An', 'Passport number': passportNumber });
    expect(section.disclosures).toContainEqual(
      expect.objectContaining({ agency: 'KANIM-BATURAJA', purpose: PURPOSE, outcome: 'DISCLOSED' }),
    );
    expect(section.disclosures).toContainEqual(
      expect.objectContaining({ agency: 'DISPAR-OKU', outcome: 'PARTLY_DENIED' }),
    );
    // no other agency witnessed immigration's chain yet: checked on its own signatures
    expect(section.verification).toMatchObject({ verdict: 'INTACT', brokenAt: null, problems: [], witnessedUpTo: [] });
  });

  it('refuses a foreigner outside the officer’s jurisdiction with FORBIDDEN, and an unknown one with BAD_USER_INPUT', async () => {
    const outside = await ask(REPORT, dpo, { id: palembang });
    expect(expectError(outside, 'FORBIDDEN').extensions?.field).toBe('foreignerId');
    expect(outside.data ?? null).toBeNull();
    const unknown = await ask(REPORT, dpo, { id: 'WNA-TIDAK-ADA' });
    expect(expectError(unknown, 'BAD_USER_INPUT').extensions?.field).toBe('foreignerId');
  });

  it('is refused to a member agency without subject-access:read, with FORBIDDEN', async () => {
    const response = await ask(REPORT, kanim, { id: oku });
    expect(expectError(response, 'FORBIDDEN').extensions?.scope).toBe('subject-access:read');
    expect(JSON.stringify(response.data ?? null)).not.toContain(passportNumber);
  });

  const SECTION =
    /* GraphQL */ `
      query ($r: [_Any!]!) {
        _entities(representations: $r) {
          ... on SubjectAccessReport {
            foreignerId
            immigration {
              ...Section
            }
          }
        }
      }
    ` + SECTION_FIELDS;
  const reference = (foreignerId: string, policeWitnessed: unknown[] = []) => ({
    __typename: 'SubjectAccessReport',
    foreignerId,
    policeWitnessed,
    localGovernmentWitnessed: [],
  });

  it('resolves SubjectAccessReport references for the gateway with the holdings `subjectAccessReport` answers', async () => {
    const query = expectNoErrors(await ask(REPORT, dpo, { id: oku })).subjectAccessReport.immigration as Section;
    const [entity] = expectNoErrors(await ask(SECTION, dpo, { r: [reference(oku)] }, true))._entities;
    expect(entity.foreignerId).toBe(oku);
    const { disclosures, verification, ...held } = entity.immigration as Section;
    const { disclosures: asked, verification: checked, ...heldAsked } = query;
    expect(held).toEqual(heldAsked);
    // the report request is itself a disclosure: the entity's list goes on where the query's stopped
    expect(disclosures.slice(0, asked.length)).toEqual(asked);
    expect(disclosures.slice(asked.length)).toEqual([
      expect.objectContaining({
        agency: 'KANIM-BATURAJA',
        fieldGroups: expect.arrayContaining(['subject-access:read']),
      }),
    ]);
    expect(verification).toEqual({ ...checked, records: checked.records + 1 });
    const outside = await ask(SECTION, dpo, { r: [reference(palembang)] }, true);
    expect(expectError(outside, 'FORBIDDEN').extensions?.field).toBe('foreignerId');
  });

  it('checks its log against the heads the police witnessed, as the gateway passes them (@requires)', async () => {
    const log = hub.subgraphs.immigration.db.connection.collection<AccessRecord>('access_log');
    const head = await log.find().sort({ _id: -1 }).limit(1).next();
    const witnessed = (hash: string, signatureValid: boolean) => ({
      agency: 'immigration',
      sequence: head!.seq,
      hash,
      witness: 'police',
      witnessedAt: new Date().toISOString(),
      signatureValid,
    });
    const [held] = expectNoErrors(
      await ask(SECTION, dpo, { r: [reference(oku, [witnessed(head!.hash, true)])] }, true),
    )._entities;
    expect(held.immigration.verification).toMatchObject({
      verdict: 'INTACT',
      problems: [],
      witnessedUpTo: [{ witness: 'police', sequence: head!.seq }],
    });
    const upTo = held.immigration.disclosures.filter((d: { sequence: number }) => d.sequence <= head!.seq);
    expect(upTo.every((d: { witnessed: boolean }) => d.witnessed)).toBe(true);

    const [rewritten] = expectNoErrors(
      await ask(SECTION, dpo, { r: [reference(oku, [witnessed('0'.repeat(64), true)])] }, true),
    )._entities;
    expect(rewritten.immigration.verification.verdict).toBe('BROKEN');
    expect(rewritten.immigration.verification.problems).toEqual([
      expect.stringMatching(/^REWRITTEN: record \d+ differs/),
    ]);
    const [forged] = expectNoErrors(
      await ask(SECTION, dpo, { r: [reference(oku, [witnessed(head!.hash, false)])] }, true),
    )._entities;
    expect(forged.immigration.verification.verdict).toBe('BROKEN');
    expect(forged.immigration.verification.problems).toEqual([expect.stringMatching(/^FORGED WITNESS: /)]);
  });
});
