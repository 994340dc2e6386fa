/**
 * Errors speak the language the client asks for (`Accept-Language`, q-values honoured):
 * Bahasa Indonesia by default, English on request; the code and every other extension are the
 * same in both. Through the real gateway — which words its own refusals and has the subgraphs
 * word theirs in the language it chose — and from a subgraph called directly.
 */
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { ConfigError } from '../../common/config/parse.js';
import { translate } from '../../common/i18n/language.js';
import { en, id } from '../../common/i18n/messages.js';
import {
  IMMIGRATION_OKU,
  expectError,
  graphql,
  signAsGateway,
  tokenFor,
  type GraphQLResponse,
} from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let token: string;
beforeAll(async () => {
  hub = await startTestHub('i18n', { gatewayEnv: { EXPLORER: 'enabled' } });
  token = await tokenFor(IMMIGRATION_OKU);
});
afterAll(() => hub?.stop());

const BAD_NATIONALITY = `query { foreigners(filter: { nationality: "xx" }) { nodes { id } } }`;
const NATIONALITY_ID = 'filter.nationality: harus berupa kode ISO 3166-1 alpha-3 dengan huruf kapital, mis. CHN';
const NATIONALITY_EN = 'filter.nationality: must be an ISO 3166-1 alpha-3 code in capitals, e.g. CHN';

/** The one error of a response, with its code; its extensions without the message. */
function only(response: GraphQLResponse, code: string) {
  const error = expectError(response, code);
  return { message: error.message, extensions: error.extensions };
}

describe('the catalogs', () => {
  it('word every message in both languages, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(id[key]).toBeTruthy();
      expect([key, placeholders(id[key])]).toEqual([key, placeholders(en[key])]);
    }
  });

  it('write numbers the way each language does', () => {
    expect(translate('id', 'limits.tokens', { max: 2000 })).toBe(
      'Panjang kueri melebihi batas 2.000 token. Tidak ada data yang diambil.',
    );
    expect(translate('en', 'limits.tokens', { max: 2000 })).toBe('Token limit of 2,000 exceeded. Nothing was fetched.');
  });
});

describe('through the gateway', () => {
  it('answers a subgraph’s BAD_USER_INPUT in Bahasa Indonesia by default and in English on request', async () => {
    const byDefault = only(await graphql(hub.gatewayUrl, BAD_NATIONALITY, { token }), 'BAD_USER_INPUT');
    const inIndonesian = only(
      await graphql(hub.gatewayUrl, BAD_NATIONALITY, { token, language: 'id' }),
      'BAD_USER_INPUT',
    );
    const inEnglish = only(await graphql(hub.gatewayUrl, BAD_NATIONALITY, { token, language: 'en' }), 'BAD_USER_INPUT');
    expect(byDefault.message).toBe(NATIONALITY_ID);
    expect(inIndonesian).toEqual(byDefault);
    expect(inEnglish.message).toBe(NATIONALITY_EN);
    expect(inEnglish.extensions).toEqual(byDefault.extensions);
    expect(byDefault.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.nationality' });
  });

  it.each([
    ['en-US,en;q=0.9', NATIONALITY_EN],
    ['id-ID', NATIONALITY_ID],
    ['en;q=0.4, id;q=0.8', NATIONALITY_ID],
    ['id;q=0.2, en', NATIONALITY_EN],
    ['id;q=0, en;q=0.1', NATIONALITY_EN],
    ['fr-FR, de;q=0.5', NATIONALITY_ID],
    ['fr, en;q=0.1', NATIONALITY_EN],
    ['*', NATIONALITY_ID],
  ])('honours the q-values of Accept-Language: %s', async (language, expected) => {
    const response = await graphql(hub.gatewayUrl, BAD_NATIONALITY, { token, language });
    expect(only(response, 'BAD_USER_INPUT').message).toBe(expected);
  });

  it('words its own 401 in the requested language, with the same code and status', async () => {
    const inIndonesian = await graphql(hub.gatewayUrl, '{ __typename }', { token: 'not.a.jwt' });
    const inEnglish = await graphql(hub.gatewayUrl, '{ __typename }', { token: 'not.a.jwt', language: 'en' });
    expect([inIndonesian.status, inEnglish.status]).toEqual([401, 401]);
    expect(only(inIndonesian, 'UNAUTHENTICATED').message).toBe(id['auth.tokenInvalid']);
    expect(only(inEnglish, 'UNAUTHENTICATED').message).toBe(en['auth.tokenInvalid']);
    expect(inIndonesian.errors![0]!.extensions).toEqual(inEnglish.errors![0]!.extensions);
  });

  it('words PURPOSE_REQUIRED in the requested language', async () => {
    const query = `query { foreigner(id: "WNA-000001") { fullName } }`;
    const inIndonesian = only(await graphql(hub.gatewayUrl, query, { token, purpose: null }), 'PURPOSE_REQUIRED');
    const inEnglish = only(
      await graphql(hub.gatewayUrl, query, { token, purpose: null, language: 'en' }),
      'PURPOSE_REQUIRED',
    );
    expect(inIndonesian.message).toBe('Tujuan permintaan (X-Purpose) wajib diisi untuk data pribadi');
    expect(inEnglish.message).toBe('Personal data needs a stated purpose: send the X-Purpose header');
    expect(inEnglish.extensions).toEqual(inIndonesian.extensions);
  });

  it('words an operation limit (QUERY_TOO_COMPLEX) with its figures in the requested language', async () => {
    const query = `{ ${'__typename '.repeat(2100)}}`;
    const inIndonesian = only(await graphql(hub.gatewayUrl, query, { token }), 'QUERY_TOO_COMPLEX');
    const inEnglish = only(await graphql(hub.gatewayUrl, query, { token, language: 'en' }), 'QUERY_TOO_COMPLEX');
    expect(inIndonesian.message).toBe('Panjang kueri melebihi batas 2.000 token. Tidak ada data yang diambil.');
    expect(inEnglish.message).toBe('Token limit of 2,000 exceeded. Nothing was fetched.');
    expect(inEnglish.extensions).toEqual(inIndonesian.extensions);
    expect(inIndonesian.extensions).toMatchObject({ limit: 'tokens', max: 2000 });
  });

  it('words a 413 for a body over the limit in the requested language', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(3_000_000) } });
    const send = async (language?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      if (language) headers['accept-language'] = language;
      const response = await fetch(hub.gatewayUrl, { method: 'POST', headers, body });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
    };
    const [inIndonesian, inEnglish] = [await send(), await send('en')];
    expect([inIndonesian.status, inEnglish.status]).toEqual([413, 413]);
    expect(only(inIndonesian, 'PAYLOAD_TOO_LARGE').message).toMatch(/^Isi permintaan melebihi batas [\d.]+ byte$/);
    expect(only(inEnglish, 'PAYLOAD_TOO_LARGE').message).toMatch(
      /^The request body is larger than the limit of [\d,]+ bytes$/,
    );
  });
});

describe('the explorer', () => {
  it('refuses a missing token when listing saved operations in the page’s language', async () => {
    const url = new URL('/explorer/saved-operations', hub.gatewayUrl);
    const ask = async (language?: string) => {
      const response = await fetch(url, { headers: language ? { 'accept-language': language } : {} });
      return { status: response.status, body: (await response.json()) as { error: string; code: string } };
    };
    expect(await ask()).toEqual({
      status: 401,
      body: { error: id['auth.missingAuthorization'], code: 'UNAUTHENTICATED' },
    });
    expect(await ask('en')).toEqual({
      status: 401,
      body: { error: en['auth.missingAuthorization'], code: 'UNAUTHENTICATED' },
    });
  });
});

describe('a subgraph called directly', () => {
  it('honours the caller’s own Accept-Language, Bahasa Indonesia by default', async () => {
    const url = hub.subgraphs.immigration.url;
    const byDefault = only(await graphql(url, BAD_NATIONALITY, { token }), 'BAD_USER_INPUT');
    const inEnglish = only(await graphql(url, BAD_NATIONALITY, { token, language: 'en-GB' }), 'BAD_USER_INPUT');
    expect(byDefault.message).toBe(NATIONALITY_ID);
    expect(inEnglish.message).toBe(NATIONALITY_EN);
    expect(inEnglish.extensions).toEqual(byDefault.extensions);
  });

  it('refuses a gateway signature whose Accept-Language was changed after signing', async () => {
    const body = JSON.stringify({ query: BAD_NATIONALITY, variables: {} });
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-purpose': 'Uji bahasa pesan kesalahan',
      'accept-language': 'en',
    };
    const signature = await signAsGateway('immigration', body, headers);
    const send = (language: string) =>
      fetch(hub.subgraphs.immigration.url, {
        method: 'POST',
        headers: { ...headers, 'accept-language': language, 'x-gateway-signature': signature },
        body,
      });
    const changed = await send('id');
    expect(changed.status).toBe(401);
    const refusal = (await changed.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(refusal.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(refusal.errors[0]!.message).toBe('X-Gateway-Signature: header permintaan bukan yang ditandatangani gateway');
    // as signed, it is served in the language the gateway chose
    const genuine = await send('en');
    const answer = (await genuine.json()) as GraphQLResponse;
    expect(only({ ...answer, status: genuine.status }, 'BAD_USER_INPUT').message).toBe(NATIONALITY_EN);
  });
});

describe('DEFAULT_LANGUAGE', () => {
  it('is id unless set, en when set, and anything else a readable ConfigError', () => {
    expect(loadGatewayConfig({}).defaultLanguage).toBe('id');
    expect(loadGatewayConfig({ DEFAULT_LANGUAGE: 'en' }).defaultLanguage).toBe('en');
    expect(() => loadGatewayConfig({ DEFAULT_LANGUAGE: 'fr' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ DEFAULT_LANGUAGE: 'fr' })).toThrow(
      'DEFAULT_LANGUAGE: must be id (Bahasa Indonesia) or en (English) (got "fr")',
    );
  });
});
