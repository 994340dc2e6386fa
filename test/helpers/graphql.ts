/**
 * Sending operations the way a client does (HTTP POST with a bearer token and a purpose)
 * and asserting on the answers.
 */
import {
  GATEWAY_SIGNATURE_HEADER,
  createGatewaySigner,
  type GatewaySigner,
} from '../../common/auth/gateway-signature.js';
import { createTokenSigner, type TokenRequest } from '../../common/auth/tokens.js';
import { loadHubConfig } from '../../common/config/hub.js';
import type { SubgraphName } from '../../common/config/services.js';
import { fetch as undiciFetch, type Dispatcher } from 'undici';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  token?: string | null;
  purpose?: string | null;
  headers?: Record<string, string>;
  /** `Accept-Language` of the request (`en`, `id`, `en;q=0.5, id`); absent: the hub's default language. */
  language?: string;
  /**
   * Sign the request as the gateway does for this subgraph (X-Gateway-Signature), for tests of what
   * a subgraph answers only to the gateway: `_entities`, introspection, partners' operations.
   */
  asGateway?: SubgraphName;
  /** An undici agent to send it with: for HTTPS with the test's CA and a client certificate (test/security/mtls.test.ts). */
  dispatcher?: Dispatcher;
}

let gatewaySigner: Promise<GatewaySigner> | undefined;

/** Signs a request body and headers with the test run's gateway key, as the gateway would. */
export async function signAsGateway(
  subgraph: SubgraphName,
  body: string,
  headers: Record<string, string>,
): Promise<string> {
  gatewaySigner ??= createGatewaySigner(
    loadHubConfig({ DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test' }).gatewayKey,
  );
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  // signed as fetch sends it: Node's fetch (undici) adds `accept-language: *` when a request sets none
  lower['accept-language'] ??= '*';
  return (await gatewaySigner)(subgraph, body, (name) => lower[name]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function graphql<T = any>(
  url: string,
  query: string,
  options: RequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.purpose !== null) headers['x-purpose'] = options.purpose ?? 'test';
  if (options.language) headers['accept-language'] = options.language;
  const body = JSON.stringify({ query, variables: options.variables ?? {} });
  if (options.asGateway) headers[GATEWAY_SIGNATURE_HEADER] = await signAsGateway(options.asGateway, body, headers);
  const response = options.dispatcher
    ? await undiciFetch(url, { method: 'POST', headers, body, dispatcher: options.dispatcher })
    : await fetch(url, { method: 'POST', headers, body });
  const answer = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...answer };
}

/** Fails with the errors themselves (not just "expected undefined") when a response has any. */
export function expectNoErrors<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  }
  expect(response.status).toBe(200);
  return response.data as T;
}

/** The single error of a response, which must have the given code. */
export function expectError(response: GraphQLResponse, code: string) {
  expect(response.errors?.map((e) => e.extensions?.code)).toContain(code);
  return response.errors!.find((e) => e.extensions?.code === code)!;
}

let signer: ReturnType<typeof createTokenSigner> | undefined;

/** A development token signed with the test run's keys. */
export async function tokenFor(request: TokenRequest): Promise<string> {
  signer ??= createTokenSigner(loadHubConfig({ DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test' }).auth);
  return (await signer)(request);
}

export const IMMIGRATION_OKU: TokenRequest = {
  agencyType: 'IMMIGRATION',
  agency: 'KANIM-BATURAJA',
  jurisdiction: ['16.01', '16.08', '16.09'],
};
export const POLICE_OKU: TokenRequest = { agencyType: 'POLICE', agency: 'POLRES-OKU', jurisdiction: ['16.01'] };
export const LOCALGOV_OKU: TokenRequest = {
  agencyType: 'LOCAL_GOVERNMENT',
  agency: 'DUKCAPIL-OKU',
  jurisdiction: ['16.01'],
};
/** A national auditor: reads the access logs (`audit:read`) and aggregate counts only. */
export const AUDITOR_NATIONAL: TokenRequest = { agencyType: 'AUDITOR', agency: 'ITJEN-AUDIT', jurisdiction: ['*'] };
/** The data-protection officer of Kanim Baturaja: subject-access reports of OKU Raya. */
export const SUBJECT_ACCESS_OKU: TokenRequest = {
  ...IMMIGRATION_OKU,
  scopes: ['identity:read', 'subject-access:read'],
};
