/**
 * Attack classes: disclosures that left no record, idempotent replays that skipped every check,
 * and auditors reading outside their jurisdiction (issue 10, failures 6, 7 and 8).
 *
 * - A listing that returns only ids (or only `totalCount`, or only a cursor) links its filter —
 *   a name, a nationality, a region — to those ids; counts and lookups answer about foreigners
 *   too. Each must leave an access-log record with the filter (personal values masked) and the
 *   ids served, at the gateway and at each subgraph reached directly.
 * - Another token of the same institution code (other jurisdiction, no write scope, no purpose,
 *   another subject) replaying an `Idempotency-Key` must not get the stored answer; the same
 *   caller's replay is recorded with its own request id and purpose.
 * - An auditor of 16.08 must not read the access log of a 16.01 foreigner; a national one may.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { MASKED_VALUE } from '../../common/audit/disclosed-queries.js';
import type { AccessRecord } from '../../common/audit/access-log.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import type { SubgraphName } from '../../common/config/services.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import {
  IMMIGRATION_OKU,
  LOCALGOV_OKU,
  POLICE_OKU,
  expectError,
  expectNoErrors,
  graphql,
  tokenFor,
  type GraphQLResponse,
  type RequestOptions,
} from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

/** Attempts sent per attack class, for the closing note of issue 10. */
const attempts: Record<string, number> = {};
function attempt(attackClass: string): void {
  attempts[attackClass] = (attempts[attackClass] ?? 0) + 1;
}

let hub: TestHub;
let oku: FullForeigner;
let okuTimur: FullForeigner;
let immigration: string;
let police: string;
let localgov: string;
let partner: string;

beforeAll(async () => {
  hub = await startTestHub('disclosure');
  oku = await recordFullForeigner(hub, '16.01.14.1001');
  okuTimur = await recordFullForeigner(hub, '16.08.01.1007');
  immigration = await tokenFor(IMMIGRATION_OKU);
  police = await tokenFor(POLICE_OKU);
  localgov = await tokenFor(LOCALGOV_OKU);
  partner = await tokenFor({
    agencyType: 'PARTNER',
    agency: 'PT-SAWIT-OGAN-LESTARI',
    jurisdiction: ['16.01'],
    scopes: ['permit:read', 'stats:read'],
  });
}, 180_000);
afterAll(async () => {
  await hub?.stop();
  process.stdout.write(`disclosure attempts by class: ${JSON.stringify(attempts)}\n`);
});

const URL_OF = (target: 'gateway' | SubgraphName) =>
  target === 'gateway' ? hub.gatewayUrl : hub.subgraphs[target].url;

/** Sends a request and returns the access-log records it left in a subgraph. */
async function recordsLeft(
  subgraph: SubgraphName,
  send: () => Promise<GraphQLResponse>,
): Promise<{ response: GraphQLResponse; records: AccessRecord[] }> {
  const log = hub.subgraphs[subgraph].accessLog.records;
  const before = await log.countDocuments().exec();
  const response = await send();
  const records = await log.find().sort({ _id: 1 }).skip(before).lean<AccessRecord[]>().exec();
  return { response, records };
}

/** The one record a request left, with its filter parsed. */
async function oneRecord(subgraph: SubgraphName, send: () => Promise<GraphQLResponse>) {
  const { response, records } = await recordsLeft(subgraph, send);
  expectNoErrors(response);
  expect(records).toHaveLength(1);
  const record = records[0]!;
  const filter = JSON.parse(record.filter ?? 'null') as { field: string; arguments: Record<string, unknown> }[];
  return { response, record, filter };
}

describe('listings, counts and lookups leave a record with the filter and the ids served', () => {
  const ID_ONLY = `query Ids($filter: ForeignerFilter) { foreigners(filter: $filter, first: 50) { nodes { id } } }`;
  const COUNT_ONLY = `query Count($filter: ForeignerFilter) { foreigners(filter: $filter) { totalCount } }`;
  const CURSOR_ONLY = `query Cursor($filter: ForeignerFilter) { foreigners(filter: $filter, first: 1) { pageInfo { endCursor } } }`;
  const filter = { nameContains: 'Chen Ji', nationality: 'CHN', regionCode: '16.01', permitType: 'LIMITED_STAY' };

  for (const target of ['gateway', 'immigration'] as const) {
    it(`an id-only listing by name (${target}): the filter with the name masked, and the ids`, async () => {
      attempt('id-only listing');
      const {
        response,
        record,
        filter: recorded,
      } = await oneRecord('immigration', () =>
        graphql(URL_OF(target), ID_ONLY, { token: immigration, variables: { filter } }),
      );
      const ids = (response.data as { foreigners: { nodes: { id: string }[] } }).foreigners.nodes.map((n) => n.id);
      expect(ids).toContain(oku.foreignerId);
      expect(recorded).toEqual([
        {
          field: 'foreigners',
          arguments: {
            filter: { nameContains: MASKED_VALUE, nationality: 'CHN', regionCode: '16.01', permitType: 'LIMITED_STAY' },
            first: 50,
          },
        },
      ]);
      expect(record.recordIds).toEqual(ids.map((id) => `Foreigner:${id}`).sort());
      expect(record.foreignerIds).toEqual([...ids].sort());
      expect(record.recordRegions).toContainEqual({
        recordId: `Foreigner:${oku.foreignerId}`,
        regionCode: '16.01.14.1001',
      });
      expect(record.agency).toBe('KANIM-BATURAJA');
      // the name asked for is nowhere in the record
      expect(JSON.stringify(record)).not.toMatch(/Chen/);
    });

    it(`a totalCount-only listing (${target}): the filter, and no ids`, async () => {
      attempt('totalCount-only listing');
      const {
        response,
        record,
        filter: recorded,
      } = await oneRecord('immigration', () =>
        graphql(URL_OF(target), COUNT_ONLY, { token: immigration, variables: { filter } }),
      );
      expect((response.data as { foreigners: { totalCount: number } }).foreigners.totalCount).toBeGreaterThan(0);
      expect(recorded[0]!.arguments.filter).toEqual({
        nameContains: MASKED_VALUE,
        nationality: 'CHN',
        regionCode: '16.01',
        permitType: 'LIMITED_STAY',
      });
      expect(record.recordIds).toEqual([]);
    });

    it(`a cursor-only listing (${target}): the cursor is an id, so the row is recorded`, async () => {
      attempt('cursor-only listing');
      const { record } = await oneRecord('immigration', () =>
        graphql(URL_OF(target), CURSOR_ONLY, { token: immigration, variables: { filter } }),
      );
      expect(record.recordIds).toHaveLength(1);
    });

    it(`a lookup of one id (${target}): the id asked and the row found`, async () => {
      attempt('id-only lookup');
      const { record, filter: recorded } = await oneRecord('immigration', () =>
        graphql(
          URL_OF(target),
          `
            query ($id: ID!) {
              foreigner(id: $id) {
                id
              }
            }
          `,
          {
            token: immigration,
            variables: { id: oku.foreignerId },
          },
        ),
      );
      expect(recorded).toEqual([{ field: 'foreigner', arguments: { id: oku.foreignerId } }]);
      expect(record.recordIds).toEqual([`Foreigner:${oku.foreignerId}`]);
    });

    it(`statistics (${target}): a record with the region and grouping, no purpose needed`, async () => {
      attempt('statistics');
      const { record, filter: recorded } = await oneRecord('immigration', () =>
        graphql(
          URL_OF(target),
          `
            {
              foreignerStatistics(regionCode: "16.01", groupBy: [NATIONALITY]) {
                total
                groups {
                  nationality
                  count
                }
              }
            }
          `,
          { token: police, purpose: null },
        ),
      );
      expect(recorded).toEqual([
        {
          field: 'foreignerStatistics',
          // the population is recorded too: the schema's default when the caller names none
          arguments: { regionCode: '16.01', groupBy: ['NATIONALITY'], population: 'REGISTERED' },
        },
      ]);
      expect(record.purpose).toBeNull();
      expect(record.recordIds).toEqual([]);
    });
  }

  it('a partner’s registered count at the gateway is recorded too', async () => {
    attempt('statistics');
    const document = fs.readFileSync(
      new URL('../../schema/operations/partner/ForeignerCountsByNationality.graphql', import.meta.url),
      'utf8',
    );
    const { record } = await oneRecord('immigration', () =>
      graphql(hub.gatewayUrl, document, { token: partner, variables: { regionCode: '16.01' }, purpose: null }),
    );
    expect(record.agencyType).toBe('PARTNER');
    expect(record.operationName).toBe('ForeignerCountsByNationality');
  });

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

  for (const target of ['gateway', 'police'] as const) {
    it(`incidents, ids or count only (${target})`, async () => {
      attempt('id-only listing');
      const { record } = await oneRecord('police', () =>
        graphql(
          URL_OF(target),
          `
            {
              incidents(filter: { regionCode: "16.01" }) {
                nodes {
                  id
                }
              }
            }
          `,
          { token: police },
        ),
      );
      expect(record.recordIds).toContain(`Incident:${oku.incidentId}`);
      expect(record.foreignerIds).toContain(oku.foreignerId);
      attempt('totalCount-only listing');
      const counted = await oneRecord('police', () =>
        graphql(
          URL_OF(target),
          `
            {
              incidents(filter: { regionCode: "16.01", category: THEFT }) {
                totalCount
              }
            }
          `,
          { token: police },
        ),
      );
      expect(counted.filter).toEqual([
        { field: 'incidents', arguments: { filter: { regionCode: '16.01', category: 'THEFT' }, first: 20 } },
      ]);
    });
  }

  for (const target of ['gateway', 'local-government'] as const) {
    it(`community reports and their statistics (${target})`, async () => {
      attempt('totalCount-only listing');
      const { filter: listed, record } = await oneRecord('local-government', () =>
        graphql(
          URL_OF(target),
          `
            {
              communityReports(filter: { regionCode: "16.01", reportedFrom: "2020-01-01T00:00:00Z" }) {
                totalCount
              }
            }
          `,
          { token: localgov },
        ),
      );
      expect(listed[0]!.arguments.filter).toEqual({ regionCode: '16.01', reportedFrom: '2020-01-01T00:00:00.000Z' });
      expect(record.recordIds).toEqual([]);
      attempt('statistics');
      const stats = await oneRecord('local-government', () =>
        graphql(
          URL_OF(target),
          `
            {
              communityReportStatistics(regionCode: "16.01") {
                total
              }
            }
          `,
          {
            token: localgov,
            purpose: null,
          },
        ),
      );
      expect(stats.filter).toEqual([
        { field: 'communityReportStatistics', arguments: { regionCode: '16.01', groupBy: ['CATEGORY'] } },
      ]);
    });
  }

  it('a refused listing (no purpose) discloses nothing and records no disclosure', async () => {
    attempt('refused listing');
    const { response, records } = await recordsLeft('immigration', () =>
      graphql(hub.subgraphs.immigration.url, ID_ONLY, { token: immigration, purpose: null, variables: { filter } }),
    );
    expectError(response, 'PURPOSE_REQUIRED');
    expect(records.filter((r) => r.filter)).toEqual([]);
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
