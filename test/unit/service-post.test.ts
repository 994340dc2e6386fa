/**
 * `ServiceTls.post` (common/server/tls.ts), the gateway's subgraph fetch over undici's `request`,
 * against a real HTTP server: what it sends, the answer read whole (status, headers, body), and
 * the two failures the gateway tells apart — a timeout (its signal's `TimeoutError`) and a
 * connection lost before any answer (undici's own error, which the gateway retries once).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../common/logger.js';
import { ServiceTls } from '../../common/server/tls.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let base: string;
let tls: ServiceTls;
const received: Received[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/lost') return req.socket.destroy();
      if (req.url === '/slow') return; // never answers
      if (req.url === '/refused') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] }));
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-twice': ['a', 'b'] });
      res.end(JSON.stringify({ data: { echo: JSON.parse(body) as unknown } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tls = await ServiceTls.load({ identity: null, caFile: null, clientAuth: 'none' }, createLogger('test', 'silent'));
});

afterAll(async () => {
  await tls.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const headers = { 'content-type': 'application/json', 'x-request-id': 'post-test-1' };

it('sends a POST with the body and headers given, and reads the answer whole', async () => {
  const response = await tls.post(`${base}/graphql?x=1`, { headers, body: '{"query":"{ a }"}' });
  const sent = received.at(-1)!;
  expect(sent).toMatchObject({ method: 'POST', url: '/graphql?x=1', body: '{"query":"{ a }"}' });
  expect(sent.headers).toMatchObject({ 'x-request-id': 'post-test-1', 'content-type': 'application/json' });
  expect(response).toMatchObject({ url: `${base}/graphql?x=1`, status: 200, statusText: 'OK', ok: true });
  expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
  expect(response.headers.get('x-twice')).toBe('a, b');
  expect(response.headers.get('x-absent')).toBeNull();
  expect(await response.json()).toEqual({ data: { echo: { query: '{ a }' } } });
  expect(await response.text()).toBe('{"data":{"echo":{"query":"{ a }"}}}');
});

it('answers a 4xx with its status and body, as fetch does', async () => {
  const response = await tls.post(`${base}/refused`, { headers, body: '{}' });
  expect(response).toMatchObject({ status: 400, statusText: 'Bad Request', ok: false });
  expect(await response.json()).toEqual({ errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } }] });
});

it('rejects with the signal’s TimeoutError when no answer comes in time', async () => {
  const signal = AbortSignal.timeout(200);
  await expect(tls.post(`${base}/slow`, { headers, body: '{}', signal })).rejects.toMatchObject({
    name: 'TimeoutError',
  });
});

it('rejects with undici’s socket error when the connection is lost before any answer, on a new connection too', async () => {
  const lost = { code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/) };
  await expect(tls.post(`${base}/lost`, { headers, body: '{}' })).rejects.toMatchObject(lost);
  await expect(tls.postOnNewConnection(`${base}/lost`, { headers, body: '{}' })).rejects.toMatchObject(lost);
  // the pool still serves
  expect((await tls.post(`${base}/graphql`, { headers, body: '{"n":2}' })).status).toBe(200);
});
