/**
 * Every subgraph verifies the token itself: a request without a valid token is answered
 * 401 UNAUTHENTICATED before any resolver runs (checked here by the absence of any write).
 */
import { SignJWT, generateKeyPair } from 'jose';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(immigrationSubgraph, 'tokens');
});
afterAll(() => subgraph?.stop());

const CLAIMS = {
  agency: 'KANIM-BATURAJA',
  agencyType: 'IMMIGRATION',
  scope: 'identity:read immigration:write',
  jurisdiction: ['16.01'],
};

async function foreignToken(
  overrides: { issuer?: string; audience?: string; expiresIn?: number } = {},
): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT(CLAIMS)
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject('intruder')
    .setIssuer(overrides.issuer ?? 'timpora-hub-dev')
    .setAudience(overrides.audience ?? 'timpora-hub')
    .setExpirationTime(Math.floor(Date.now() / 1000) + (overrides.expiresIn ?? 600))
    .sign(privateKey);
}

function tamper(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  change(claims);
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

const WRITE = `mutation { registerForeigner(input: { fullName: "Should Not Exist", nationality: "CHN", sex: MALE, dateOfBirth: "1980-01-01", passportNumber: "ZZ999999", domicileRegionCode: "16.01" }) { foreigner { id } } }`;

describe('token rejection', () => {
  const cases: [string, () => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    ['a non-bearer scheme', async () => ({ authorization: 'Basic dXNlcjpwYXNz' })],
    ['a malformed token', async () => ({ authorization: 'Bearer not.a.jwt' })],
    [
      'an expired token',
      async () => ({
        authorization: `Bearer ${await tokenFor({ ...IMMIGRATION_OKU, lifetimeSeconds: 1 }).then(async (t) => {
          await new Promise((r) => setTimeout(r, 2100));
          return t;
        })}`,
      }),
    ],
    ['a token signed by another key', async () => ({ authorization: `Bearer ${await foreignToken()}` })],
    [
      'a token of another issuer',
      async () => ({ authorization: `Bearer ${await foreignToken({ issuer: 'someone-else' })}` }),
    ],
    [
      'tampered claims',
      async () => ({
        authorization: `Bearer ${tamper(await tokenFor({ ...IMMIGRATION_OKU, jurisdiction: ['16.01'] }), (c) => {
          c.jurisdiction = ['*'];
        })}`,
      }),
    ],
    [
      'an unsigned token (alg none)',
      async () => ({
        authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...CLAIMS, sub: 'x' })).toString('base64url')}.`,
      }),
    ],
  ];

  it.each(cases)('refuses %s with 401 UNAUTHENTICATED and writes nothing', async (_label, headersOf) => {
    const response = await graphql(subgraph.url, WRITE, { headers: await headersOf() });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
    expect(await subgraph.db.connection.collection('foreigners').countDocuments({ passportNumber: 'ZZ999999' })).toBe(
      0,
    );
  });

  it('refuses a token for another audience', async () => {
    const response = await graphql(subgraph.url, '{ __typename }', {
      headers: { authorization: `Bearer ${await foreignToken({ audience: 'other-app' })}` },
    });
    expect(response.status).toBe(401);
  });

  // a service keeps the tokens it verified for a minute (common/auth/tokens.ts, VerifiedTokens):
  // what it kept must never outlive the token or cover a changed one
  it('refuses a token it accepted a moment ago once the token has expired', async () => {
    const token = await tokenFor({ ...IMMIGRATION_OKU, lifetimeSeconds: 2 });
    expect((await graphql(subgraph.url, '{ __typename }', { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await graphql(subgraph.url, '{ __typename }', { token });
    expect(expired.status).toBe(401);
    expect(expired.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses the tampered claims of a token it accepted a moment ago', async () => {
    const token = await tokenFor({ ...IMMIGRATION_OKU, jurisdiction: ['16.01'] });
    expect((await graphql(subgraph.url, '{ __typename }', { token })).status).toBe(200);
    const widened = tamper(token, (c) => {
      c.jurisdiction = ['*'];
    });
    expect((await graphql(subgraph.url, '{ __typename }', { token: widened })).status).toBe(401);
  });

  it('accepts a valid development token', async () => {
    const response = await graphql(subgraph.url, '{ __typename }', { token: await tokenFor(IMMIGRATION_OKU) });
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ __typename: 'Query' });
  });
});
