/**
 * `/explorer` over HTTP, on a gateway started without subgraphs (nothing here runs an
 * operation): the page with its settings and a strict Content-Security-Policy, the bundle from
 * memory (gzip, ETag), the saved operations offered by token (a partner: exactly its registered
 * documents), the development-token endpoint only when configured, 404 when disabled.
 */
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { createTokenVerifier } from '../../common/auth/tokens.js';
import { documentsForPartner } from '../../common/auth/trusted-documents.js';
import type { RunningService } from '../../common/server/http-service.js';
import { startGateway } from '../../gateway/src/server.js';
import type { ExplorerSettings, SavedOperationsResponse } from '../../gateway/explorer/settings.js';
import { testGatewayConfig } from '../helpers/env.js';
import { IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';

const NO_SUBGRAPHS = {
  immigration: 'http://127.0.0.1:9/graphql',
  police: 'http://127.0.0.1:9/graphql',
  'local-government': 'http://127.0.0.1:9/graphql',
};

async function withGateway(env: Record<string, string>, run: (origin: string) => Promise<void>): Promise<void> {
  const gateway: RunningService = await startGateway(testGatewayConfig(NO_SUBGRAPHS, env));
  try {
    await run(new URL(gateway.url).origin);
  } finally {
    await gateway.stop();
  }
}

function settingsOf(html: string): ExplorerSettings {
  const json = /<script id="explorer-settings" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (!json) throw new Error('the page holds no settings');
  return JSON.parse(json) as ExplorerSettings;
}

/** A GET with node's http client, which (unlike fetch) neither unzips nor adds cache headers. */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; encoding?: string; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

it('serves the page, its bundle and development tokens the gateway accepts', async () => {
  await withGateway({ EXPLORER: 'enabled', EXPLORER_DEV_TOKENS: 'true' }, async (origin) => {
    const page = await fetch(`${origin}/explorer`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="https?:/);
    const settings = settingsOf(html);
    expect(settings).toMatchObject({
      graphqlPath: '/graphql',
      devTokenPath: '/explorer/dev-token',
      savedOperationsPath: '/explorer/saved-operations',
    });
    expect(settings.roles.map((r) => r.agency)).toContain('POLRES-OKU');
    // which saved operations to offer depends on the token: the page holds none
    expect(settings).not.toHaveProperty('operations');

    const script = await fetch(`${origin}/explorer/assets/main.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const etag = script.headers.get('etag')!;
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await rawGet(`${origin}/explorer/assets/main.js`, { 'if-none-match': etag })).status).toBe(304);
    const styles = await fetch(`${origin}/explorer/assets/main.css`);
    const css = await styles.text();
    expect(css).toContain('@font-face');
    expect(css).not.toMatch(/url\((["']?)https?:/);
    expect(css).not.toMatch(/@import/);
    expect((await fetch(`${origin}/explorer/assets/missing.js`)).status).toBe(404);

    const issued = await postJson(`${origin}/explorer/dev-token`, {
      agencyType: 'POLICE',
      agency: 'POLRES-OKU',
      jurisdiction: ['16.01'],
    });
    expect(issued.status).toBe(200);
    const { token, expiresAt, scopes } = (await issued.json()) as {
      token: string;
      expiresAt: string;
      scopes: string[];
    };
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 7 * 3600_000);
    expect(scopes.length).toBeGreaterThan(0);
    const verify = await createTokenVerifier(testGatewayConfig(NO_SUBGRAPHS).auth);
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({
      agency: 'POLRES-OKU',
      agencyType: 'POLICE',
      jurisdiction: ['16.01'],
    });
  });
});

it('refuses bad development-token requests with a reason', async () => {
  await withGateway({ EXPLORER: 'enabled', EXPLORER_DEV_TOKENS: 'true' }, async (origin) => {
    const url = `${origin}/explorer/dev-token`;
    const badJurisdiction = await postJson(url, { agencyType: 'POLICE', agency: 'POLRES-OKU', jurisdiction: ['OKU'] });
    expect(badJurisdiction.status).toBe(400);
    expect(((await badJurisdiction.json()) as { error: string }).error).toMatch(/jurisdiction/);
    const badType = await postJson(url, { agencyType: 'MAYOR', agency: 'X', jurisdiction: ['16'] });
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { error: string }).error).toMatch(/agencyType/);
    const badScope = await postJson(url, {
      agencyType: 'PARTNER',
      agency: 'PT-X',
      jurisdiction: ['16.01'],
      scopes: ['everything:read'],
    });
    expect(badScope.status).toBe(400);
    expect(((await badScope.json()) as { error: string }).error).toMatch(/scopes/);
    // a typical role's own scopes replace the agency type's defaults
    const partner = await postJson(url, {
      agencyType: 'PARTNER',
      agency: 'PT-SAWIT-OGAN-LESTARI',
      jurisdiction: ['16.01'],
      scopes: ['permit:read', 'stats:read'],
    });
    expect(((await partner.json()) as { scopes: string[] }).scopes).toEqual(['permit:read', 'stats:read']);
    const form = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'agencyType=AUDITOR&agency=X&jurisdiction=*',
    });
    expect(form.status).toBe(415);
  });
});

it('serves the explorer without development tokens when they are off', async () => {
  await withGateway({ EXPLORER: 'enabled', EXPLORER_DEV_TOKENS: 'false' }, async (origin) => {
    const settings = settingsOf(await (await fetch(`${origin}/explorer`)).text());
    expect(settings).toMatchObject({ devTokenPath: null, roles: [] });
    const issued = await postJson(`${origin}/explorer/dev-token`, {
      agencyType: 'AUDITOR',
      agency: 'ITJEN-AUDIT',
      jurisdiction: ['*'],
    });
    expect(issued.status).toBe(404);
  });
});

it('answers 404 at /explorer when it is disabled', async () => {
  await withGateway({ EXPLORER: 'disabled' }, async (origin) => {
    expect((await fetch(`${origin}/explorer`)).status).toBe(404);
    expect((await fetch(`${origin}/explorer/assets/main.js`)).status).toBe(404);
    expect((await postJson(`${origin}/explorer/dev-token`, {})).status).toBe(404);
  });
});

it('gzips the bundle for browsers that accept it', async () => {
  await withGateway({ EXPLORER: 'enabled' }, async (origin) => {
    // fetch() would unzip by itself
    const raw = await rawGet(`${origin}/explorer/assets/main.css`, { 'accept-encoding': 'gzip' });
    expect(raw.encoding).toBe('gzip');
    expect(gunzipSync(raw.body).toString('utf8')).toContain('@font-face');
  });
});

it("offers a partner exactly its registered documents and everyone else the explorer's operations", async () => {
  await withGateway({ EXPLORER: 'enabled', EXPLORER_DEV_TOKENS: 'false' }, async (origin) => {
    const url = `${origin}/explorer/saved-operations`;
    const ask = async (token: string | null, query = '') => {
      const response = await fetch(`${url}${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return { status: response.status, body: (await response.json()) as SavedOperationsResponse & { code?: string } };
    };

    const none = await ask(null);
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    expect((await ask('not-a-token')).status).toBe(401);

    const immigration = await ask(await tokenFor(IMMIGRATION_OKU));
    expect(immigration.status).toBe(200);
    expect(immigration.body.agencyType).toBe('IMMIGRATION');
    const names = immigration.body.operations.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['ForeignerProfile', 'ForeignersWithExpiringPermits']));
    expect(immigration.body.operations.find((o) => o.name === 'ForeignerProfile')?.variables).toMatch(/"id"/);
    const registered = documentsForPartner('PT-SAWIT-OGAN-LESTARI').map((d) => d.name);
    expect(names.filter((name) => registered.includes(name))).toEqual([]);

    // the partner's list is decided by its verified token; asking for more changes nothing
    const partnerToken = await tokenFor({
      agencyType: 'PARTNER',
      agency: 'PT-SAWIT-OGAN-LESTARI',
      jurisdiction: ['16.01'],
      scopes: ['permit:read', 'stats:read'],
    });
    for (const query of ['', '?agencyType=IMMIGRATION&all=true']) {
      const partner = await ask(partnerToken, query);
      expect(partner.status).toBe(200);
      expect(partner.body).toMatchObject({ agencyType: 'PARTNER', agency: 'PT-SAWIT-OGAN-LESTARI' });
      expect(partner.body.operations.map((o) => o.name).sort()).toEqual([...registered].sort());
    }
    expect(registered.length).toBeGreaterThan(0);
    // each offered document is the registered one, so running it passes the gateway's check
    const partner = await ask(partnerToken);
    const verify = partner.body.operations.find((o) => o.name === 'VerifyStayPermit');
    expect(verify?.document).toContain('verifyStayPermit(');
    expect(verify?.description).toMatch(/employer/i);
  });
});
