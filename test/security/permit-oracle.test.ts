/**
 * Attack class: `verifyStayPermit` as an oracle for passport numbers (issue 10, failure 2).
 * Knowing a permit number and the masked passport number (`P1****67`, what a caller without
 * `passport:read` sees), an attacker tries candidates until one matches. Before: 100 aliases per
 * request, no rate limit, nothing logged — about 10 requests recovered a passport number.
 *
 * Each attack runs at the gateway (a partner with its registered documents, a member agency with
 * its own operations) and directly at the immigration subgraph (a member agency token). The same
 * limits shared through Redis by replicas: permit-oracle-redis.test.ts.
 */
import { NATIONAL_WRITERS } from '../helpers/fixtures.js';
import { expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { countCommands, startTestHub, type TestHub } from '../helpers/hub.js';
import {
  PER_CALLER_PER_MINUTE,
  PER_PERMIT_PER_DAY,
  VERIFY,
  aliased,
  attempt,
  attempts,
  caller,
  permitCheckTools,
  type Holder,
} from '../helpers/permit-checks.js';

let hub: TestHub;
const { holder, check, rawCheck, accessRecordsOf } = permitCheckTools(() => hub);

beforeAll(async () => {
  hub = await startTestHub('permit_oracle');
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  process.stderr.write(`permit-oracle attempts per class: ${JSON.stringify(attempts)}\n`);
});

describe('aliases of verifyStayPermit', () => {
  let target: Holder;
  beforeAll(async () => {
    target = await holder();
  });

  it('are refused directly at the immigration subgraph before anything runs: 100 in one request', async () => {
    const { token, subject } = await caller('member', 'aliases-direct');
    const commands = countCommands(hub);
    attempt('aliases');
    const response = await graphql(hub.subgraphs.immigration.url, aliased(100, target.permitNumber), { token });
    expect(response.status).toBe(400);
    const error = expectError(response, 'QUERY_TOO_COMPLEX');
    expect(error.extensions).toMatchObject({ limit: 'permitChecks', max: 1 });
    expect(error.message).toMatch(/paling banyak 1 izin tinggal \(verifyStayPermit\); operasi ini memeriksa 100/);
    expect(response.data ?? null).toBeNull();
    // no resolver ran: no database command, no access-log record, no rate-limit point taken
    expect(commands().immigration).toBe(0);
    expect(await accessRecordsOf(subject)).toEqual([]);
    for (let i = 0; i < PER_CALLER_PER_MINUTE; i += 1) {
      expectNoErrors(await check(hub.subgraphs.immigration.url, token, target.permitNumber, target.passportNumber));
    }
  });

  it.each([
    ['two aliases', aliased(2, 'ITAS-X-0001')],
    [
      'a check hidden in a fragment beside another',
      `query Guess { ...Guesses b: verifyStayPermit(permitNumber: "ITAS-X-0001", passportNumber: "P1000001") { valid } }
       fragment Guesses on Query { a: verifyStayPermit(permitNumber: "ITAS-X-0001", passportNumber: "P1000000") { valid } }`,
    ],
    [
      'two checks in inline fragments',
      `{ ... on Query { a: verifyStayPermit(permitNumber: "ITAS-X-0001", passportNumber: "P1000000") { valid } }
         ... on Query { b: verifyStayPermit(permitNumber: "ITAS-X-0001", passportNumber: "P1000001") { valid } } }`,
    ],
  ])('are refused as %s, at the subgraph and through the gateway', async (_label, query) => {
    const { token, subject } = await caller('member', 'aliases-shapes');
    for (const url of [hub.subgraphs.immigration.url, hub.gatewayUrl]) {
      attempt('aliases');
      const response = await graphql(url, query, { token });
      const error = response.errors?.[0];
      expect({ url, code: error?.extensions?.code, limit: error?.extensions?.limit }).toEqual({
        url,
        code: 'QUERY_TOO_COMPLEX',
        limit: 'permitChecks',
      });
    }
    expect(await accessRecordsOf(subject)).toEqual([]);
  });

  it("are refused at the gateway for 100 aliases (its own alias limit) and for a partner's ad-hoc document", async () => {
    const member = await caller('member', 'aliases-gateway');
    attempt('aliases');
    const many = await graphql(hub.gatewayUrl, aliased(100, target.permitNumber), { token: member.token });
    expect(expectError(many, 'QUERY_TOO_COMPLEX').extensions).toMatchObject({ limit: 'aliases' });
    const partner = await caller('partner', 'aliases-partner');
    attempt('aliases');
    const adHoc = await graphql(hub.gatewayUrl, aliased(2, target.permitNumber), { token: partner.token });
    expect(adHoc.status).toBe(403);
    expectError(adHoc, 'OPERATION_NOT_ALLOWED');
    expect(await accessRecordsOf(member.subject)).toEqual([]);
    expect(await accessRecordsOf(partner.subject)).toEqual([]);
  });

  it('one check per operation still works, under a single alias', async () => {
    const { token } = await caller('member', 'aliases-one');
    const query = `query { mine: verifyStayPermit(permitNumber: "${target.permitNumber}", passportNumber: "${target.passportNumber}") { valid reason } }`;
    for (const url of [hub.subgraphs.immigration.url, hub.gatewayUrl]) {
      expect(expectNoErrors(await graphql(url, query, { token }))).toEqual({ mine: { valid: true, reason: 'VALID' } });
    }
  });
});

describe('rate limits', () => {
  it(`refuse a caller's check beyond ${PER_CALLER_PER_MINUTE} a minute, with RATE_LIMITED, retryAfterSeconds, 429 and Retry-After`, async () => {
    const target = await holder();
    for (const [kind, url] of [
      ['partner', hub.gatewayUrl],
      ['member', hub.subgraphs.immigration.url],
    ] as const) {
      const { token, subject } = await caller(kind, 'per-caller');
      for (let i = 0; i < PER_CALLER_PER_MINUTE; i += 1) {
        attempt('rate limit per caller');
        expectNoErrors(await check(url, token, target.permitNumber, target.passportNumber));
      }
      attempt('rate limit per caller');
      const refused = await rawCheck(url, token, target.permitNumber, target.passportNumber);
      expect({ url, status: refused.status }).toEqual({ url, status: 429 });
      const error = expectError({ ...refused.body, status: refused.status }, 'RATE_LIMITED');
      expect(error.message).toMatch(/paling banyak 10 per menit untuk setiap pemanggil; coba lagi dalam \d+ detik/);
      expect(error.extensions).toMatchObject({ limit: 'callerPerMinute' });
      const retryAfter = error.extensions!.retryAfterSeconds as number;
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(Number(refused.retryAfter)).toBe(retryAfter);
      expect(refused.body.data ?? null).toBeNull();
      // a refused check is not a check: ten records, not eleven
      expect(await accessRecordsOf(subject)).toHaveLength(PER_CALLER_PER_MINUTE);
    }
    // another subject of the same institution has its own count
    const colleague = await caller('partner', 'per-caller-colleague');
    expectNoErrors(await check(hub.gatewayUrl, colleague.token, target.permitNumber, target.passportNumber));
  });

  it(`refuse checks of one permit number after ${PER_PERMIT_PER_DAY} that did not match, from all callers together, at the gateway and the subgraph`, async () => {
    const target = await holder();
    for (let i = 0; i < PER_PERMIT_PER_DAY; i += 1) {
      // a different caller each time, half through the gateway: the count is the permit's
      const url = i % 2 === 0 ? hub.gatewayUrl : hub.subgraphs.immigration.url;
      const { token } = await caller(i % 2 === 0 ? 'partner' : 'member', 'per-permit');
      attempt('rate limit per permit');
      const answer = expectNoErrors(
        await check(url, token, target.permitNumber, `P${String(2_000_000 + i).slice(-7)}`),
      );
      expect(answer.verifyStayPermit.reason).toBe('NO_MATCH');
    }
    for (const url of [hub.gatewayUrl, hub.subgraphs.immigration.url]) {
      const { token, subject } = await caller(url === hub.gatewayUrl ? 'partner' : 'member', 'per-permit-late');
      // refused whatever the passport: were the right one let through, the refusal would tell
      for (const passport of ['P2999999', target.passportNumber]) {
        attempt('rate limit per permit');
        const refused = await rawCheck(url, token, target.permitNumber, passport);
        expect({ url, passport, status: refused.status }).toEqual({ url, passport, status: 429 });
        const error = expectError({ ...refused.body, status: refused.status }, 'RATE_LIMITED');
        expect(error.extensions).toMatchObject({ limit: 'permitPerDay' });
        expect(error.extensions!.retryAfterSeconds).toBeGreaterThan(23 * 3600);
        expect(error.extensions!.retryAfterSeconds).toBeLessThanOrEqual(24 * 3600);
      }
      expect(await accessRecordsOf(subject)).toEqual([]);
    }
  });

  it('count only the checks that did not match against the permit: its holder checks it as often as the caller limit allows', async () => {
    const target = await holder();
    for (let i = 0; i < PER_PERMIT_PER_DAY + 5; i += 1) {
      const { token } = await caller('partner', 'per-permit-matching');
      const answer = expectNoErrors(await check(hub.gatewayUrl, token, target.permitNumber, target.passportNumber));
      expect(answer.verifyStayPermit.reason).toBe('VALID');
    }
  });
});

describe('the access log', () => {
  it('records every check, with the permit and its holder when the permit exists, and with no ids when it does not', async () => {
    const target = await holder();
    for (const [kind, url, operationName] of [
      ['partner', hub.gatewayUrl, 'VerifyStayPermitWithReason'],
      ['member', hub.subgraphs.immigration.url, 'Check'],
    ] as const) {
      const { token, subject } = await caller(kind, 'logged');
      expectNoErrors(await check(url, token, target.permitNumber, target.passportNumber));
      expectNoErrors(await check(url, token, target.permitNumber, 'P3000000'));
      expectNoErrors(await check(url, token, 'ITAS-NO-SUCH-PERMIT', target.passportNumber));
      const records = await accessRecordsOf(subject);
      const concerned = { recordIds: [`StayPermit:${target.permitNumber}`], foreignerIds: [target.foreignerId] };
      const common = {
        subject,
        agency: kind === 'partner' ? 'PT-SAWIT-OGAN-LESTARI' : 'DUKCAPIL-OKU',
        purpose: 'employment check',
        operationName,
        fieldGroups: ['permit:read'],
      };
      expect(records).toEqual([
        expect.objectContaining({ ...common, ...concerned }), // matched
        expect.objectContaining({ ...common, ...concerned }), // a wrong passport: tells about the holder too
        expect.objectContaining({ ...common, recordIds: [], foreignerIds: [] }), // no such permit
      ]);
    }
  });
});

describe('answers', () => {
  let valid: Holder;
  let expired: Holder;
  let revoked: Holder;
  beforeAll(async () => {
    [valid, expired, revoked] = await Promise.all([
      holder(),
      holder('16.01.14.1001', { type: 'VISIT', purpose: 'TOURISM', issuedAt: '2020-01-01', expiresAt: '2020-03-01' }),
      holder(),
    ]);
    expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `
          mutation ($input: RecordImmigrationActionInput!) {
            recordImmigrationAction(input: $input) {
              __typename
            }
          }
        `,
        {
          token: await tokenFor(NATIONAL_WRITERS.immigration),
          variables: {
            input: {
              foreignerId: revoked.foreignerId,
              type: 'PERMIT_REVOCATION',
              decidedAt: '2025-06-01',
              reason: 'Work outside the sponsor',
              office: 'Kantor Imigrasi Kelas III Baturaja',
            },
          },
        },
      ),
    );
  });

  it('give a reason: VALID, EXPIRED, REVOKED only with the matching passport, NO_MATCH otherwise', async () => {
    for (const [kind, url] of [
      ['partner', hub.gatewayUrl],
      ['member', hub.subgraphs.immigration.url],
    ] as const) {
      const { token } = await caller(kind, 'reasons');
      const answer = async (permit: string, passport: string) =>
        expectNoErrors(await check(url, token, permit, passport)).verifyStayPermit;
      expect(await answer(valid.permitNumber, valid.passportNumber)).toEqual({
        valid: true,
        reason: 'VALID',
        expiresAt: '2099-12-31',
      });
      expect(await answer(expired.permitNumber, expired.passportNumber)).toEqual({
        valid: false,
        reason: 'EXPIRED',
        expiresAt: '2020-03-01',
      });
      expect(await answer(revoked.permitNumber, revoked.passportNumber)).toEqual({
        valid: false,
        reason: 'REVOKED',
        expiresAt: '2099-12-31',
      });
      const noMatch = { valid: false, reason: 'NO_MATCH', expiresAt: null };
      // an unknown permit, a wrong passport, and another holder's passport answer alike
      expect(await answer('ITAS-NEVER-ISSUED', valid.passportNumber)).toEqual(noMatch);
      expect(await answer(expired.permitNumber, 'P4000000')).toEqual(noMatch);
      expect(await answer(revoked.permitNumber, valid.passportNumber)).toEqual(noMatch);
      // numbers are compared in capitals, as printed
      expect(await answer(valid.permitNumber.toLowerCase(), ` ${valid.passportNumber.toLowerCase()} `)).toEqual({
        valid: true,
        reason: 'VALID',
        expiresAt: '2099-12-31',
      });
    }
  });

  it('keep `valid` and the partner document VerifyStayPermit as they were', async () => {
    const { token } = await caller('partner', 'compatible');
    const data = (passport: string) => check(hub.gatewayUrl, token, expired.permitNumber, passport, VERIFY);
    expect(expectNoErrors(await data(expired.passportNumber))).toEqual({
      verifyStayPermit: { valid: false, expiresAt: '2020-03-01' },
    });
    expect(
      expectNoErrors(await check(hub.gatewayUrl, token, valid.permitNumber, valid.passportNumber, VERIFY)),
    ).toEqual({
      verifyStayPermit: { valid: true, expiresAt: '2099-12-31' },
    });
    expect(expectNoErrors(await data('P4000001'))).toEqual({ verifyStayPermit: { valid: false, expiresAt: null } });
  });

  it("report a valid permit of a holder outside the caller's jurisdiction as VALID", async () => {
    // an employer in Kabupaten OKU (16.01), a worker living in OKU Selatan (16.09)
    const elsewhere = await holder('16.09.01.1013');
    const { token } = await caller('partner', 'jurisdiction');
    expect(
      expectNoErrors(await check(hub.gatewayUrl, token, elsewhere.permitNumber, elsewhere.passportNumber)),
    ).toEqual({
      verifyStayPermit: { valid: true, reason: 'VALID', expiresAt: '2099-12-31' },
    });
    const member = await caller('member', 'jurisdiction');
    expect(
      expectNoErrors(
        await check(hub.subgraphs.immigration.url, member.token, elsewhere.permitNumber, elsewhere.passportNumber),
      ),
    ).toEqual({ verifyStayPermit: { valid: true, reason: 'VALID', expiresAt: '2099-12-31' } });
    // the holder stays invisible otherwise: the check is not a way into the foreigner's record
    const profile = await graphql(hub.gatewayUrl, `{ foreigner(id: "${elsewhere.foreignerId}") { fullName } }`, {
      token: member.token,
    });
    expect(profile.data).toEqual({ foreigner: null });
  });

  it('refuse malformed numbers with BAD_USER_INPUT naming the argument', async () => {
    const { token } = await caller('member', 'malformed');
    for (const [permit, passport, field] of [
      ['x', valid.passportNumber, 'permitNumber'],
      [valid.permitNumber, 'P1****67', 'passportNumber'],
    ]) {
      const response = await check(hub.subgraphs.immigration.url, token, permit!, passport!);
      expect(expectError(response, 'BAD_USER_INPUT').extensions?.field).toBe(field);
    }
  });
});

describe('the recovery attack', () => {
  it(`learns at most ${PER_PERMIT_PER_DAY} answers about a permit a day, however many accounts try, and is visible to auditors`, async () => {
    const target = await holder();
    // what the attacker knows: the permit number and the masked passport number it is shown
    const spy = await caller('military', 'recon');
    const shown = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `{ foreigner(id: "${target.foreignerId}") { passportNumber currentPermit { number } } }`,
        {
          token: spy.token,
        },
      ),
    ).foreigner;
    expect(shown.passportNumber).toMatch(/^P\d\*{4}\d{2}$/);
    expect(shown.currentPermit.number).toBe(target.permitNumber);
    const [head, tail] = [shown.passportNumber.slice(0, 2), shown.passportNumber.slice(-2)];
    const candidates = Array.from({ length: 10_000 }, (_, i) => `${head}${String(i).padStart(4, '0')}${tail}`).filter(
      (c) => c !== target.passportNumber,
    );
    // the worst case for the hub: the right one comes just after the limit
    candidates.splice(PER_PERMIT_PER_DAY, 0, target.passportNumber);

    const answered: string[] = [];
    let refused = 0;
    let found: string | null = null;
    // five callers at each place, three guesses each, through the gateway and straight at the subgraph
    for (let i = 0; i < 30 && !found; i += 1) {
      const atGateway = i % 2 === 0;
      const url = atGateway ? hub.gatewayUrl : hub.subgraphs.immigration.url;
      const attacker = await caller(atGateway ? 'partner' : 'member', 'attacker');
      for (let j = 0; j < 3 && !found; j += 1) {
        const candidate = candidates[answered.length + refused]!;
        attempt('passport recovery');
        const response = await check(url, attacker.token, target.permitNumber, candidate);
        if (response.errors?.[0]?.extensions?.code === 'RATE_LIMITED') {
          refused += 1;
          continue;
        }
        const { valid } = expectNoErrors(response).verifyStayPermit;
        answered.push(candidate);
        if (valid) found = candidate;
      }
    }
    expect(found).toBeNull();
    expect(answered).toHaveLength(PER_PERMIT_PER_DAY);
    expect(refused).toBe(90 - PER_PERMIT_PER_DAY);

    // every answered guess is in the holder's access log, for an auditor to see
    const auditor = await tokenFor({ agencyType: 'AUDITOR', agency: 'INSPEKTORAT-KEMENKUMHAM', jurisdiction: ['*'] });
    const log = expectNoErrors(
      await graphql(
        hub.gatewayUrl,
        `{ accessLog(foreignerId: "${target.foreignerId}") { immigration { subject agency recordIds } } }`,
        { token: auditor },
      ),
    ).accessLog.immigration as { subject: string; recordIds: string[] }[];
    const guesses = log.filter((r) => r.subject.startsWith('attacker-'));
    expect(guesses).toHaveLength(PER_PERMIT_PER_DAY);
    for (const r of guesses) expect(r.recordIds).toEqual([`StayPermit:${target.permitNumber}`]);
  });
});
