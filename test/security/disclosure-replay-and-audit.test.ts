/**
 * Attack classes: idempotent replays that skipped every check, and auditors reading outside their
 * jurisdiction (issue 10, failures 7 and 8); also the record a permit check keeps, which the
 * national auditor reads. Other unrecorded disclosures: disclosure-records.test.ts.
 *
 * - Another token of the same institution code (other jurisdiction, no write scope, no purpose,
 *   another subject) replaying an `Idempotency-Key` must not get the stored answer; the same
 *   caller's replay is recorded with its own request id and purpose.
 * - An auditor of 16.08 must not read the access log of a 16.01 foreigner; a national one may.
 */
import { randomUUID } from 'node:crypto';
import { MASKED_VALUE } from '../../common/audit/disclosed-queries.js';
import type { AccessRecord } from '../../common/audit/access-log.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { useDisclosureHub } from '../helpers/disclosure.js';
import type { FullForeigner } from '../helpers/fixtures.js';
import {
  expectError,
  expectNoErrors,
  graphql,
  tokenFor,
  type GraphQLResponse,
  type RequestOptions,
} from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';

const disclosure = useDisclosureHub('disclosure-replay-and-audit');
const { attempt, URL_OF, recordsLeft, oneRecord } = disclosure;

let hub: TestHub;
let oku: FullForeigner;
let okuTimur: FullForeigner;
let immigration: string;

beforeAll(() => {
  ({ hub, oku, okuTimur, immigration } = disclosure.current());
});

// the national auditor's test below reads the record this permit check leaves (it has no region of its own)
describe('listings, counts and lookups leave a record with the filter and the ids served', () => {
  it('a permit check keeps its record, with both numbers masked in the filter', async () => {
    attempt('permit check');
    const { record, filter: recorded } = await oneRecord('immigration', () =>
      graphql(
        hub.subgraphs.immigration.url,
        `
          query ($p: String!, $n: String!) {
            verifyStayPermit(permitNumber: $p, passportNumber: $n) {
              valid
            }
          }
        `,
        { token: immigration, variables: { p: oku.permitNumber, n: oku.passportNumber } },
      ),
    );
    expect(recorded).toEqual([
      { field: 'verifyStayPermit', arguments: { permitNumber: MASKED_VALUE, passportNumber: MASKED_VALUE } },
    ]);
    expect(record.recordIds).toEqual([`StayPermit:${oku.permitNumber}`]);
    expect(JSON.stringify(record)).not.toContain(oku.passportNumber);
  });
});

describe('an idempotent replay is authorized again and recorded', () => {
  const REPORT = `mutation Report($input: SubmitCommunityReportInput!) {
    submitCommunityReport(input: $input) { communityReport { id description reportedBy } }
  }`;
  const WRITER: TokenRequest = { agencyType: 'LOCAL_GOVERNMENT', agency: 'DUKCAPIL-OKU', jurisdiction: ['16.01'] };

  const report = (description: string) => ({
    category: 'SUSPICIOUS_ACTIVITY',
    regionCode: '16.01.14.1001',
    reportedAt: '2026-03-04T05:06:07Z',
    description,
    reportedBy: 'Kepala Desa Baturaja Lama',
  });

  async function reportsWith(description: string): Promise<number> {
    return hub.subgraphs['local-government'].db.connection
      .collection('community_reports')
      .countDocuments({ description });
  }

  /** Other tokens of the same institution code (and, by default, the same subject). */
  const THIEVES: { name: string; token: TokenRequest; options?: Partial<RequestOptions>; code: string }[] = [
    { name: 'other jurisdiction', token: { ...WRITER, jurisdiction: ['16.08'] }, code: 'FORBIDDEN' },
    { name: 'no write scope', token: { ...WRITER, scopes: ['community:read', 'identity:read'] }, code: 'FORBIDDEN' },
    { name: 'no purpose', token: WRITER, options: { purpose: null }, code: 'PURPOSE_REQUIRED' },
    { name: 'another subject', token: { ...WRITER, subject: 'mallory' }, code: 'IDEMPOTENCY_KEY_REUSED' },
  ];

  for (const target of ['gateway', 'local-government'] as const) {
    describe(`at the ${target}`, () => {
      const key = randomUUID();
      const description = `replay ${target} ${randomUUID()}`;
      let first: GraphQLResponse;
      const send = async (token: TokenRequest, options: Partial<RequestOptions> = {}) =>
        graphql(URL_OF(target), REPORT, {
          token: await tokenFor(token),
          variables: { input: report(description) },
          headers: { 'idempotency-key': key },
          purpose: 'Pendataan laporan warga',
          ...options,
        });

      beforeAll(async () => {
        first = await send(WRITER);
        expectNoErrors(first);
      });

      for (const thief of THIEVES) {
        it(`refuses a replay by a token with ${thief.name}: ${thief.code}, never the stored answer`, async () => {
          attempt(`replay: ${thief.name}`);
          const answer = await send(thief.token, thief.options);
          const error = expectError(answer, thief.code);
          expect(error.extensions?.field).toBe('Idempotency-Key');
          expect(error.message).toMatch(/Idempotency-Key/);
          expect(answer.data?.submitCommunityReport ?? null).toBeNull();
          expect(JSON.stringify(answer)).not.toContain(description);
          expect(await reportsWith(description)).toBe(1);
        });
      }

      it('answers the same caller’s replay, recorded with its own request id and purpose as a replay', async () => {
        attempt('replay: same caller');
        const { response, records } = await recordsLeft('local-government', () =>
          send(WRITER, { purpose: 'Pemeriksaan ulang', headers: { 'idempotency-key': key } }),
        );
        expect(response).toEqual(first);
        expect(records).toHaveLength(1);
        const [replay] = records;
        expect(replay!.purpose).toBe('Pemeriksaan ulang');
        expect(replay!.replayOf).toEqual(expect.any(String));
        expect(replay!.requestId).not.toBe(replay!.replayOf);
        const original = await hub.subgraphs['local-government'].accessLog.records
          .findOne({ requestId: replay!.replayOf! })
          .lean<AccessRecord>()
          .exec();
        expect(original?.purpose).toBe('Pendataan laporan warga');
        // the same records, placed in the same regions: the replay reaches the same auditors
        expect(replay!.recordIds).toEqual(original?.recordIds);
        expect(replay!.recordRegions).toEqual(original?.recordRegions);
        expect(replay!.recordRegions?.[0]?.regionCode).toBe('16.01.14.1001');
        expect(await reportsWith(description)).toBe(1);
      });
    });
  }

  it('ignores a forged gateway fingerprint from a direct caller: the key is bound to the request itself', async () => {
    attempt('replay: forged fingerprint');
    const key = randomUUID();
    const description = `forged ${randomUUID()}`;
    const fingerprint = 'a'.repeat(64);
    const token = await tokenFor(WRITER);
    const send = (text: string) =>
      graphql(hub.subgraphs['local-government'].url, REPORT, {
        token,
        variables: { input: report(text) },
        headers: { 'idempotency-key': key, 'x-idempotency-fingerprint': fingerprint },
      });
    expectNoErrors(await send(description));
    // another request under the same key and the same forged fingerprint is not taken for a retry
    expectError(await send(`${description} other`), 'IDEMPOTENCY_KEY_REUSED');
    expect(await reportsWith(`${description} other`)).toBe(0);
  });
});

describe('auditors read the access log of their jurisdiction only', () => {
  const LOG = `query ($id: ID!) {
    accessLog(foreignerId: $id) {
      immigration { requestId recordIds }
      police { requestId recordIds }
      localGovernment { requestId recordIds }
    }
  }`;
  type Log = Record<'immigration' | 'police' | 'localGovernment', { requestId: string; recordIds: string[] }[]>;
  const auditor = (jurisdiction: string[]) =>
    tokenFor({ agencyType: 'AUDITOR', agency: `INSPEKTORAT-${jurisdiction.join('-')}`, jurisdiction });

  beforeAll(async () => {
    // a national reader of both foreigners, so each has records in every agency's log
    const national = await tokenFor({ agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'] });
    for (const f of [oku, okuTimur]) {
      expectNoErrors(
        await graphql(
          hub.gatewayUrl,
          `
            query ($id: ID!) {
              foreigner(id: $id) {
                fullName
                selfReports {
                  number
                }
                residence {
                  number
                }
              }
            }
          `,
          { token: national, variables: { id: f.foreignerId } },
        ),
      );
    }
  });

  for (const target of ['gateway', 'immigration'] as const) {
    it(`an auditor of 16.08 reads nothing of a 16.01 foreigner (${target})`, async () => {
      attempt('auditor outside jurisdiction');
      const data = expectNoErrors(
        await graphql(
          URL_OF(target),
          target === 'gateway' ? LOG : LOG.replace(/\n\s*(police|localGovernment) \{[^}]*\}/g, ''),
          {
            token: await auditor(['16.08']),
            variables: { id: oku.foreignerId },
          },
        ),
      ) as { accessLog: Partial<Log> };
      for (const part of Object.values(data.accessLog)) expect(part).toEqual([]);
    });
  }

  for (const [subgraph, field] of [
    ['police', 'police'],
    ['local-government', 'localGovernment'],
  ] as const) {
    it(`an auditor of 16.08 reads nothing of a 16.01 foreigner at the ${subgraph} subgraph (_entities)`, async () => {
      attempt('auditor outside jurisdiction');
      const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on AccessLog { ${field} { requestId } } } }`;
      const variables = { r: [{ __typename: 'AccessLog', foreignerId: oku.foreignerId }] };
      const outside = expectNoErrors(
        await graphql(hub.subgraphs[subgraph].url, query, {
          token: await auditor(['16.08']),
          variables,
          asGateway: subgraph,
        }),
      ) as { _entities: Record<string, unknown[]>[] };
      expect(outside._entities[0]![field]).toEqual([]);
      const national = expectNoErrors(
        await graphql(hub.subgraphs[subgraph].url, query, {
          token: await auditor(['*']),
          variables,
          asGateway: subgraph,
        }),
      ) as { _entities: Record<string, unknown[]>[] };
      expect(national._entities[0]![field]!.length).toBeGreaterThan(0);
    });
  }

  it('an auditor of 16.01 reads the 16.01 foreigner’s records, narrowed to rows in 16.01; one of 16.08 the 16.08 foreigner’s', async () => {
    attempt('auditor inside jurisdiction');
    const own = expectNoErrors(
      await graphql(hub.gatewayUrl, LOG, { token: await auditor(['16.01']), variables: { id: oku.foreignerId } }),
    ) as { accessLog: Log };
    for (const part of Object.values(own.accessLog)) expect(part.length).toBeGreaterThan(0);
    // the id-only listing of 16.01 above named the 16.08 foreigner too only if it matched; none of theirs shows
    const all = Object.values(own.accessLog).flatMap((part) => part.flatMap((r) => r.recordIds));
    expect(all).not.toContain(`Foreigner:${okuTimur.foreignerId}`);
    expect(all).toContain(`Foreigner:${oku.foreignerId}`);
    const timur = expectNoErrors(
      await graphql(hub.gatewayUrl, LOG, { token: await auditor(['16.08']), variables: { id: okuTimur.foreignerId } }),
    ) as { accessLog: Log };
    expect(timur.accessLog.immigration.length).toBeGreaterThan(0);
  });

  it('a national auditor (*) reads every record, the permit checks (no region of their own) included', async () => {
    attempt('auditor national');
    const national = expectNoErrors(
      await graphql(hub.gatewayUrl, LOG, { token: await auditor(['*']), variables: { id: oku.foreignerId } }),
    ) as { accessLog: Log };
    const regional = expectNoErrors(
      await graphql(hub.gatewayUrl, LOG, { token: await auditor(['16.01']), variables: { id: oku.foreignerId } }),
    ) as { accessLog: Log };
    const check = (log: Log) => log.immigration.filter((r) => r.recordIds.includes(`StayPermit:${oku.permitNumber}`));
    expect(check(national.accessLog).length).toBeGreaterThan(0);
    expect(national.accessLog.immigration.length).toBeGreaterThan(regional.accessLog.immigration.length);
  });
});
