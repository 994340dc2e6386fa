/**
 * Traffic between hosts (issue 13, part 2): every service listens with HTTPS under a certificate
 * from the development CA of `npm run certs`, the subgraphs let in only clients with a
 * certificate from that CA (mutual TLS), and the gateway presents its own. Attacks from someone
 * who reaches a subgraph's port: no client certificate, a certificate from another CA, plain
 * HTTP. Then a gateway that trusts the wrong CA, configuration that cannot work, a certificate
 * rotation under load, and the gateway signatures already used, shared by two replicas in Redis.
 */
import { execFile } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import { GATEWAY_SIGNATURE_HEADER } from '../../common/auth/gateway-signature.js';
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { ConfigError } from '../../common/config/parse.js';
import { loadSubgraphConfig } from '../../common/config/subgraph.js';
import { freePort } from '../../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { startGateway } from '../../gateway/src/server.js';
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { testGatewayConfig, testMongoUri, uniqueDbName } from '../helpers/env.js';
import { startCuttableLine, startLoad, type CuttableLine } from '../helpers/faults.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { IMMIGRATION_OKU, expectError, expectNoErrors, graphql, signAsGateway, tokenFor } from '../helpers/graphql.js';
import { startTestHub, tlsEnv, type TestHub } from '../helpers/hub.js';
import { inheritedEnv, spawnService } from '../helpers/processes.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

const run = promisify(execFile);
const LOOPBACK = '127.0.0.1,localhost';
const SERVICES = ['gateway', 'immigration', 'police', 'local-government'];

/** `npm run certs -- --out dir name=127.0.0.1,localhost …`, as an operator runs it. */
async function issueCerts(dir: string, names: string[]): Promise<void> {
  await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/certs.ts', '--out', dir, ...names.map((n) => `${n}=${LOOPBACK}`)],
    {
      cwd: PROJECT_ROOT,
      env: inheritedEnv(),
    },
  );
}

const serialOf = (file: string) => new X509Certificate(fs.readFileSync(file)).serialNumber.toUpperCase();

interface Handshake {
  /** The TLS error that ended the connection, if one did. */
  error: string | null;
  /** What the server answered to `GET /health`. */
  answer: string;
  /** Serial of the certificate the server presented. */
  serial: string | null;
}

/** A raw TLS connection to `port` asking `GET /health`: what the handshake and the server said. */
function handshake(port: number, options: tls.ConnectionOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    const result: Handshake = { error: null, answer: '', serial: null };
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => {
      result.serial = socket.getPeerCertificate().serialNumber?.toUpperCase() ?? null;
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => (result.answer += chunk.toString()));
    socket.on('error', (e: NodeJS.ErrnoException) => (result.error = e.code ?? e.message));
    socket.on('close', () => resolve(result));
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
  });
}

let dir: string;
let rogue: string;
let hub: TestHub;
let fixture: FullForeigner;
let token: string;
const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

const PROFILE = `query ($id: ID!) {
  foreigner(id: $id) { fullName currentPermit { number } incidents { category } residence { region { name } } }
}`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'timpora-tls-'));
  rogue = fs.mkdtempSync(path.join(os.tmpdir(), 'timpora-tls-rogue-'));
  await Promise.all([issueCerts(dir, SERVICES), issueCerts(rogue, ['intruder'])]);
  hub = await startTestHub('mtls', { tlsDir: dir });
  fixture = await recordFullForeigner(hub);
  token = await tokenFor(IMMIGRATION_OKU);
}, 180_000);

afterAll(async () => {
  await hub?.stop();
  for (const d of [dir, rogue]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const portOf = (url: string) => Number(new URL(url).port);

describe('a hub whose services speak mutual TLS', () => {
  it('writes keys only its owner reads, and makes certificates of the CA for the hosts named', () => {
    for (const name of [...SERVICES, 'ca']) expect(fs.statSync(path.join(dir, `${name}.key`)).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(read('police.crt'));
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(cert.verify(new X509Certificate(read('ca.crt')).publicKey)).toBe(true);
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
  });

  it('answers a query that joins all three agencies, gateway to subgraphs over mutual TLS', async () => {
    expect(hub.gatewayUrl).toMatch(/^https:\/\//);
    for (const s of Object.values(hub.subgraphs)) expect(s.url).toMatch(/^https:\/\//);
    const answer = expectNoErrors(
      await graphql(hub.gatewayUrl, PROFILE, {
        token,
        variables: { id: fixture.foreignerId },
        dispatcher: hub.dispatcher,
      }),
    );
    expect(answer.foreigner).toMatchObject({
      fullName: 'Chen Jing',
      currentPermit: { number: fixture.permitNumber },
      incidents: [expect.objectContaining({ category: expect.any(String) })],
      residence: { region: { name: expect.any(String) } },
    });
    // /ready and /health over TLS; the gateway's /ready asked each subgraph over mutual TLS
    const ready = await undiciFetch(new URL('/ready', hub.gatewayUrl), { dispatcher: hub.dispatcher });
    expect(ready.status).toBe(200);
    expect(Object.keys(((await ready.json()) as { checks: object }).checks).sort()).toEqual([
      'immigration',
      'local-government',
      'police',
    ]);
  });

  it('refuses at the handshake a client without a certificate, one from another CA, and plain HTTP', async () => {
    const port = portOf(hub.subgraphs.police.url);
    const ca = read('ca.crt');
    const genuine = await handshake(port, { ca, cert: read('gateway.crt'), key: read('gateway.key') });
    expect(genuine).toMatchObject({ error: null, serial: serialOf(path.join(dir, 'police.crt')) });
    expect(genuine.answer).toMatch(/^HTTP\/1\.1 200/);

    const anonymous = await handshake(port, { ca });
    expect(anonymous.error).toMatch(/CERTIFICATE_REQUIRED|ECONNRESET/);
    expect(anonymous.answer).toBe('');

    const intruder = await handshake(port, {
      ca,
      cert: fs.readFileSync(path.join(rogue, 'intruder.crt')),
      key: fs.readFileSync(path.join(rogue, 'intruder.key')),
    });
    // the server ends the connection at the handshake (an alert, a reset, or just the close): no HTTP at all
    expect(intruder.error ?? 'closed').toMatch(/UNKNOWN_CA|ECONNRESET|closed/);
    expect(intruder.answer).toBe('');

    // the same through fetch: no answer, not even an HTTP error
    const noCert = new Agent({ connect: { ca } });
    await expect(undiciFetch(new URL('/health', hub.subgraphs.police.url), { dispatcher: noCert })).rejects.toThrow();
    await noCert.close();
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('names the subgraph and the CA when the gateway does not trust the subgraphs’ certificates', async () => {
    const urls = Object.fromEntries(Object.entries(hub.subgraphs).map(([n, s]) => [n, s.url])) as Parameters<
      typeof testGatewayConfig
    >[0];
    const wrong = await startGateway(
      testGatewayConfig(urls, { ...tlsEnv(dir, 'gateway'), TLS_CA_FILE: path.join(rogue, 'ca.crt') }),
    );
    try {
      const ready = await undiciFetch(new URL('/ready', wrong.url), { dispatcher: hub.dispatcher });
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as { down: string[]; checks: Record<string, { error?: string }> };
      expect(report.down.sort()).toEqual(['immigration', 'local-government', 'police']);
      expect(report.checks.police!.error).toMatch(/^TLS: its certificate is not signed by a CA of TLS_CA_FILE/);
      const answer = await graphql(wrong.url, PROFILE, {
        token,
        variables: { id: fixture.foreignerId },
        dispatcher: hub.dispatcher,
      });
      expectError(answer, 'SUBGRAPH_UNAVAILABLE');
      expect(answer.errors!.map((e) => e.extensions?.serviceName)).toContain('immigration');
    } finally {
      await wrong.stop();
    }
  });

  it('refuses configuration that cannot work, naming each variable', () => {
    const cert = path.join(dir, 'police.crt');
    const problemsOf = (load: () => unknown) => {
      try {
        load();
      } catch (e) {
        if (e instanceof ConfigError) return e.problems.join('\n');
        throw e;
      }
      return '';
    };
    expect(problemsOf(() => loadGatewayConfig({ TLS_CERT_FILE: cert }))).toMatch(
      /^TLS_KEY_FILE: required with TLS_CERT_FILE/m,
    );
    expect(problemsOf(() => loadSubgraphConfig('police', { MONGODB_URI: 'mongodb://x', TLS_KEY_FILE: cert }))).toMatch(
      /^TLS_CERT_FILE: required with TLS_KEY_FILE/m,
    );
    expect(
      problemsOf(() => loadGatewayConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: cert, TLS_CLIENT_AUTH: 'require' })),
    ).toMatch(/TLS_CLIENT_AUTH: require needs TLS_CA_FILE/);
    expect(problemsOf(() => loadGatewayConfig({ TLS_CLIENT_AUTH: 'maybe' }))).toMatch(
      /TLS_CLIENT_AUTH: must be require or none/,
    );
    // the defaults: a subgraph with a CA requires client certificates, the gateway does not
    expect(loadSubgraphConfig('police', { MONGODB_URI: 'mongodb://x', ...tlsEnv(dir, 'police') }).tls.clientAuth).toBe(
      'require',
    );
    expect(loadGatewayConfig(tlsEnv(dir, 'gateway')).tls.clientAuth).toBe('none');
  });

  it('rotates the certificates of a subgraph and of the gateway under load without a failed request', async () => {
    const before = { police: serialOf(path.join(dir, 'police.crt')), gateway: serialOf(path.join(dir, 'gateway.crt')) };
    const load = startLoad(3, async () => {
      const r = await graphql(hub.gatewayUrl, PROFILE, {
        token,
        variables: { id: fixture.foreignerId },
        dispatcher: hub.dispatcher,
      });
      return { status: r.status, codes: (r.errors ?? []).map((e) => String(e.extensions?.code)) };
    });
    await sleep(500);
    await issueCerts(dir, ['police', 'gateway']);
    // what SIGHUP does in a service process (common/server/main.ts)
    const reloadedAt = Date.now();
    const reloads = await Promise.all([hub.subgraphs.police.reloadTls(), hub.gateway.reloadTls()]);
    await sleep(2000);
    const samples = await load.stop();
    const after = { police: serialOf(path.join(dir, 'police.crt')), gateway: serialOf(path.join(dir, 'gateway.crt')) };
    expect(after.police).not.toBe(before.police);
    expect(reloads).toEqual([
      expect.objectContaining({ reloaded: true, serial: after.police }),
      expect.objectContaining({ reloaded: true, serial: after.gateway }),
    ]);
    const failed = samples.filter((s) => s.failed || s.status !== 200 || s.codes.length > 0);
    process.stdout.write(`rotation under load: ${samples.length} requests, ${failed.length} failed\n`);
    // requests ran before the swap, across it, and after it on the new certificates
    expect(samples.some((s) => s.at + s.durationMs < reloadedAt)).toBe(true);
    expect(samples.some((s) => s.at > reloadedAt)).toBe(true);
    expect(failed).toEqual([]);
    // new handshakes get the new certificates; the gateway's new client certificate is let in
    const ca = read('ca.crt');
    const police = await handshake(portOf(hub.subgraphs.police.url), {
      ca,
      cert: read('gateway.crt'),
      key: read('gateway.key'),
    });
    expect(police).toMatchObject({ error: null, serial: after.police });
    expect((await handshake(hub.gateway.port, { ca })).serial).toBe(after.gateway);
  }, 120_000);

  it('keeps the certificate it has when the new files are unusable', async () => {
    const served = serialOf(path.join(dir, 'immigration.crt'));
    const keyFile = path.join(dir, 'immigration.key');
    const key = fs.readFileSync(keyFile);
    fs.copyFileSync(path.join(dir, 'police.key'), keyFile);
    try {
      const reload = await hub.subgraphs.immigration.reloadTls();
      expect(reload).toEqual({
        reloaded: false,
        error: expect.stringMatching(/is not the private key of the certificate/),
      });
    } finally {
      fs.writeFileSync(keyFile, key, { mode: 0o600 });
    }
    const ca = read('ca.crt');
    const after = await handshake(portOf(hub.subgraphs.immigration.url), {
      ca,
      cert: read('gateway.crt'),
      key: read('gateway.key'),
    });
    expect(after).toMatchObject({ error: null, serial: served });
  });
});

describe('a subgraph process', () => {
  it('reloads its certificate on SIGHUP and goes on serving', async () => {
    const port = await freePort();
    const service = spawnService('police', 'subgraphs/police/src/main.ts', {
      ...tlsEnv(dir, 'police'),
      MONGODB_URI: testMongoUri(),
      POLICE_PORT: String(port),
      POLICE_DB_NAME: uniqueDbName('mtls_sighup'),
      DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test',
      LOG_LEVEL: 'silent',
      ACCESS_LOG_WITNESS_INTERVAL_S: '0',
    });
    const client = () => ({ ca: read('ca.crt'), cert: read('gateway.crt'), key: read('gateway.key') });
    /** Polls until the subgraph answers over mutual TLS with `serial` (any serial when undefined). */
    const until = async (serial?: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (service.child.exitCode !== null) throw new Error(`police exited: ${service.stderr()}`);
        const h = await handshake(port, client());
        if (/^HTTP\/1\.1 200/.test(h.answer) && (serial === undefined || h.serial === serial)) return h;
        if (Date.now() > deadline) throw new Error(`police did not serve ${serial ?? 'at all'}: ${JSON.stringify(h)}`);
        await sleep(250);
      }
    };
    try {
      const before = await until();
      await issueCerts(dir, ['police']);
      const rotated = serialOf(path.join(dir, 'police.crt'));
      expect(rotated).not.toBe(before.serial);
      service.child.kill('SIGHUP');
      expect((await until(rotated)).serial).toBe(rotated);
      expect(service.child.exitCode).toBeNull();
      expect(service.stderr()).toContain('police: SIGHUP received, reloading the TLS certificate');
    } finally {
      expect(await service.terminate()).toBe(0);
    }
  }, 120_000);
});

describe('gateway signatures already used, shared by the replicas of a subgraph in Redis', () => {
  let line: CuttableLine;
  let replicas: TestSubgraph[] = [];

  beforeAll(async () => {
    // a line to the machine's Redis that the test can cut
    line = await startCuttableLine('127.0.0.1', 6379);
    const env = {
      REDIS_URL: `redis://127.0.0.1:${line.port}`,
      REDIS_KEY_PREFIX: `t-${randomBytes(4).toString('hex')}`,
    };
    replicas = await Promise.all([
      // police: one Redis connection per replica (immigration opens a second for its permit-check counters)
      startTestSubgraph(policeSubgraph, 'mtls_replica', { env }),
      startTestSubgraph(policeSubgraph, 'mtls_replica', { env }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await line?.stop();
  });

  const signedRequest = async () => {
    const body = JSON.stringify({ query: '{ _service { sdl } }' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'test' };
    return {
      body,
      headers: { ...headers, [GATEWAY_SIGNATURE_HEADER]: await signAsGateway('police', body, headers) },
    };
  };
  const post = async (url: string, request: { body: string; headers: Record<string, string> }) => {
    const response = await fetch(url, { method: 'POST', ...request });
    return {
      status: response.status,
      body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] },
    };
  };

  it('refuses at the second replica a signature the first accepted', async () => {
    const request = await signedRequest();
    expect((await post(replicas[0]!.url, request)).status).toBe(200);
    const replay = await post(replicas[1]!.url, request);
    expect(replay.status).toBe(401);
    expect(replay.body.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses signed requests while Redis does not answer (503, saying why), and accepts them again once it does', async () => {
    await line.cut();
    try {
      const refused = await post(replicas[0]!.url, await signedRequest());
      expect(refused.status).toBe(503);
      expect(refused.body.errors![0]).toMatchObject({
        message: expect.stringContaining('Redis'),
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', field: 'X-Gateway-Signature' },
      });
    } finally {
      await line.restore();
    }
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await post(replicas[0]!.url, await signedRequest())).status;
      if (status !== 200) await sleep(250);
    }
    expect(status).toBe(200);
  }, 60_000);
});
