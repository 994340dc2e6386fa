/**
 * Partners (employers, hotel associations, universities) run only the operations registered
 * for them, with only the scopes written into their credential.
 */
import fs from 'node:fs';
import type { Scope } from '../../common/auth/policy.js';
import { partnerDocuments } from '../../common/auth/trusted-documents.js';
import { expectError, expectNoErrors, graphql, tokenFor } from '../helpers/graphql.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let fixture: FullForeigner;
let employer: string;

const VERIFY = fs.readFileSync(
  new URL('../../schema/operations/partner/VerifyStayPermit.graphql', import.meta.url),
  'utf8',
);
const VERIFY_WITH_REASON = fs.readFileSync(
  new URL('../../schema/operations/partner/VerifyStayPermitWithReason.graphql', import.meta.url),
  'utf8',
);
const COUNTS = fs.readFileSync(
  new URL('../../schema/operations/partner/ForeignerCountsByNationality.graphql', import.meta.url),
  'utf8',
);

beforeAll(async () => {
  hub = await startTestHub('partners');
  fixture = await recordFullForeigner(hub);
  employer = await tokenFor({
    agencyType: 'PARTNER',
    agency: 'PT-SAWIT-OGAN-LESTARI',
    jurisdiction: ['16.01'],
    scopes: ['permit:read', 'stats:read'],
  });
}, 120_000);
afterAll(() => hub?.stop());

/** The options of the partner's `npm run -s token -- …` line in the README's permit-check example. */
function readmePartnerToken() {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const line = /npm run -s token -- (--agency-type PARTNER [^)\n]+)\)/.exec(readme)?.[1];
  if (!line) throw new Error('the README has no partner token example');
  const option = (name: string) => new RegExp(`--${name} (\\S+)`).exec(line)?.[1] ?? '';
  return {
    agencyType: 'PARTNER' as const,
    agency: option('agency'),
    jurisdiction: option('jurisdiction').split(','),
    scopes: option('scope').split(',') as Scope[],
  };
}

it('the README’s partner example checks a permit as written', async () => {
  const request = readmePartnerToken();
  expect(request.scopes).toContain('permit:read');
  const data = expectNoErrors(
    await graphql(hub.gatewayUrl, VERIFY_WITH_REASON, {
      token: await tokenFor(request),
      purpose: 'Pemeriksaan izin tinggal calon pekerja',
      variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
    }),
  );
  expect(data).toEqual({ verifyStayPermit: { valid: true, reason: 'VALID', expiresAt: '2099-12-31' } });
});

describe('a partner', () => {
  it('verifies a stay permit with its registered operation and learns only validity and expiry', async () => {
    const data = expectNoErrors(
      await graphql(hub.gatewayUrl, VERIFY, {
        token: employer,
        variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
      }),
    );
    expect(data).toEqual({ verifyStayPermit: { valid: true, expiresAt: '2099-12-31' } });
    const wrongPassport = expectNoErrors(
      await graphql(hub.gatewayUrl, VERIFY, {
        token: employer,
        variables: { permitNumber: fixture.permitNumber, passportNumber: 'X0000000' },
      }),
    );
    expect(wrongPassport).toEqual({ verifyStayPermit: { valid: false, expiresAt: null } });
    const withReason = expectNoErrors(
      await graphql(hub.gatewayUrl, VERIFY_WITH_REASON, {
        token: employer,
        variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
      }),
    );
    expect(withReason).toEqual({ verifyStayPermit: { valid: true, reason: 'VALID', expiresAt: '2099-12-31' } });
  });

  it('may send a registered operation by its hash alone', async () => {
    const hash = partnerDocuments().find((d) => d.name === 'ForeignerCountsByNationalityWithSuppression')!.hash;
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${employer}` },
      body: JSON.stringify({
        variables: { regionCode: '16.01' },
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      }),
    });
    const body = (await response.json()) as {
      data: { foreignerStatistics: { total: number | null; suppressed: boolean; minimumCellSize: number } };
    };
    expect(response.status).toBe(200);
    // the region holds one foreigner: a partner's counts never show a cell of one
    expect(body.data.foreignerStatistics).toMatchObject({ total: null, suppressed: true, minimumCellSize: 5 });
    // the document registered before disclosure control still runs, under the same control
    const before = expectNoErrors(
      await graphql(hub.gatewayUrl, COUNTS, { token: employer, purpose: null, variables: { regionCode: '16.01' } }),
    ) as { foreignerStatistics: { total: number | null; groups: unknown[] } };
    expect(before.foreignerStatistics).toEqual({ regionCode: '16.01', total: null, groups: [] });
  });

  it.each([
    ['a list of foreigners', '{ foreigners { totalCount nodes { fullName } } }'],
    ['a registered operation with one more field', VERIFY.replace('expiresAt', 'expiresAt\n    __typename')],
    [
      'a registered root field in another document',
      `{ verifyStayPermit(permitNumber: "x", passportNumber: "y") { valid } }`,
    ],
    ['introspection', '{ __schema { types { name } } }'],
  ])('is refused %s at the gateway with OPERATION_NOT_ALLOWED', async (_label, query) => {
    const response = await graphql(hub.gatewayUrl, query, {
      token: employer,
      variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
    });
    expect(response.status).toBe(403);
    expectError(response, 'OPERATION_NOT_ALLOWED');
    expect(response.data ?? null).toBeNull();
  });

  it('is refused anything but its registered root fields by a subgraph reached directly', async () => {
    for (const [url, query] of [
      [hub.subgraphs.immigration.url, '{ foreigners { totalCount } }'],
      [
        hub.subgraphs.immigration.url,
        `{ _entities(representations: [{ __typename: "Foreigner", id: "${fixture.foreignerId}" }]) { ... on Foreigner { fullName } } }`,
      ],
      [hub.subgraphs.police.url, '{ incidents { totalCount } }'],
      [hub.subgraphs['local-government'].url, '{ communityReports { totalCount } }'],
    ] as const) {
      const response = await graphql(url, query, { token: employer });
      expect({ url, status: response.status }).toEqual({ url, status: 403 });
      expectError(response, 'OPERATION_NOT_ALLOWED');
    }
  });

  it('gets no scope it was not given: without permit:read the registered check is FORBIDDEN', async () => {
    const statsOnly = await tokenFor({
      agencyType: 'PARTNER',
      agency: 'HOTEL-ASSOCIATION-OKU',
      jurisdiction: ['16.01'],
    });
    const response = await graphql(hub.gatewayUrl, VERIFY, {
      token: statsOnly,
      variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
    });
    expect(expectError(response, 'FORBIDDEN').path).toEqual(['verifyStayPermit']);
    expect(response.data).toBeNull();
    expectNoErrors(await graphql(hub.gatewayUrl, COUNTS, { token: statsOnly, variables: { regionCode: '16.01' } }));
  });

  it('checks a permit whatever regency its holder lives in, and sees nothing else of the holder there', async () => {
    // a stay-permit check answers only about the permit, so it is not limited to the jurisdiction
    const elsewhere = await tokenFor({
      agencyType: 'PARTNER',
      agency: 'UNIVERSITAS-SRIWIJAYA',
      jurisdiction: ['16.71'],
      scopes: ['permit:read', 'stats:read'],
    });
    const data = expectNoErrors(
      await graphql(hub.gatewayUrl, VERIFY, {
        token: elsewhere,
        variables: { permitNumber: fixture.permitNumber, passportNumber: fixture.passportNumber },
      }),
    );
    expect(data).toEqual({ verifyStayPermit: { valid: true, expiresAt: '2099-12-31' } });
    const counts = expectNoErrors(
      await graphql(hub.gatewayUrl, COUNTS, { token: elsewhere, variables: { regionCode: '16.01' } }),
    );
    expect(counts.foreignerStatistics.total).toBe(0);
  });
});
