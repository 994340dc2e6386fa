/**
 * A subgraph asks two things of a signed request's `X-Gateway-Signature`: whether it is the
 * gateway's (`isGenuine`, before the body is read) and whether it holds for this request
 * (`verify`). The second takes the signature the first verified instead of verifying it again,
 * yet refuses exactly what it refused before: another body, other headers, a replay, and a
 * signature that expired in between.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import {
  SIGNATURE_LIFETIME_S,
  createGatewaySignatureVerifier,
  createGatewaySigner,
  type GatewaySignatureVerifier,
  type GatewaySigner,
} from '../../common/auth/gateway-signature.js';

const headers: Record<string, string> = { authorization: 'Bearer token-1', 'x-purpose': 'Pemeriksaan' };
const lookup = (name: string) => headers[name];
const body = '{"query":"{ foreigner(id: \\"WNA-000001\\") { id } }"}';
const bytes = (text: string) => new TextEncoder().encode(text);

let dir: string;
let sign: GatewaySigner;
let verifier: GatewaySignatureVerifier;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gateway-signature-'));
  const config = { devKeyDir: path.join(dir, 'gateway') };
  sign = await createGatewaySigner(config);
  verifier = await createGatewaySignatureVerifier(config, 'immigration');
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  jest.useRealTimers();
});

it('serves a checked signature once, and refuses its replay', async () => {
  const signature = await sign('immigration', body, lookup);
  expect(await verifier.isGenuine(signature)).toBe(true);
  expect(await verifier(signature, bytes(body), lookup)).toBeNull();
  expect(await verifier(signature, bytes(body), lookup)).toBe('replayed');
});

it('still refuses another body or other headers under a checked signature', async () => {
  const signature = await sign('immigration', body, lookup);
  expect(await verifier.isGenuine(signature)).toBe(true);
  expect(await verifier(signature, bytes(`${body} `), lookup)).toBe('body');
  expect(await verifier.isGenuine(signature)).toBe(true);
  expect(await verifier(signature, bytes(body), (name) => (name === 'x-purpose' ? 'Lain' : lookup(name)))).toBe(
    'headers',
  );
  // neither refusal used the signature up: the request it was made for is still served
  expect(await verifier(signature, bytes(body), lookup)).toBeNull();
});

it('refuses a signature that expired between the two checks', async () => {
  jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const signature = await sign('immigration', body, lookup);
  expect(await verifier.isGenuine(signature)).toBe(true);
  // past the lifetime and the clock tolerance (5 s)
  jest.setSystemTime(Date.now() + (SIGNATURE_LIFETIME_S + 6) * 1000);
  expect(await verifier(signature, bytes(body), lookup)).toBe('signature');
});

it('refuses a signature for another subgraph, checked or not', async () => {
  const signature = await sign('police', body, lookup);
  expect(await verifier.isGenuine(signature)).toBe(false);
  expect(await verifier(signature, bytes(body), lookup)).toBe('signature');
});
