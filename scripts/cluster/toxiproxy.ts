/**
 * Toxiproxy, the fault proxy between the gateways and the agencies: built from its Go module
 * (pinned in `scripts/cluster/toxiproxy/go.mod`) like FerretDB, cached under `.cache/toxiproxy/`,
 * and driven through its HTTP API — latency with jitter, connection resets, timeouts, bandwidth,
 * and partitions (a disabled proxy refuses connections and cuts the open ones).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../common/project-root.js';

const run = promisify(execFile);

export const TOXIPROXY_MODULE = 'github.com/Shopify/toxiproxy/v2';
export const TOXIPROXY_VERSION = 'v2.5.0';
const PIN_DIR = path.join(PROJECT_ROOT, 'scripts/cluster/toxiproxy');
export const TOXIPROXY_BINARY = path.join(PROJECT_ROOT, `.cache/toxiproxy/toxiproxy-server-${TOXIPROXY_VERSION}`);

/** Returns the server binary, building it on first use (about 40 s on two cores). */
export async function ensureToxiproxyBinary(log: (m: string) => void = () => {}): Promise<string> {
  if (
    await fs.access(TOXIPROXY_BINARY).then(
      () => true,
      () => false,
    )
  ) {
    return TOXIPROXY_BINARY;
  }
  log(`Building Toxiproxy ${TOXIPROXY_VERSION} from its Go module (first run only)…`);
  await fs.mkdir(path.dirname(TOXIPROXY_BINARY), { recursive: true });
  const tmp = `${TOXIPROXY_BINARY}.${process.pid}.tmp`;
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
  try {
    await run('go', ['build', '-trimpath', '-o', tmp, `${TOXIPROXY_MODULE}/cmd/server`], {
      cwd: PIN_DIR,
      env,
      maxBuffer: 16 << 20,
    });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(
      `Building Toxiproxy failed (it needs Go 1.24 or newer on PATH): ${err.stderr?.trim() || err.message}`,
    );
  }
  await fs.rename(tmp, TOXIPROXY_BINARY);
  return TOXIPROXY_BINARY;
}

export type ToxicStream = 'upstream' | 'downstream';

/** The toxics the cluster uses, with Toxiproxy's attribute names. */
export type Toxic =
  | { type: 'latency'; attributes: { latency: number; jitter?: number } }
  | { type: 'reset_peer'; attributes: { timeout: number } }
  | { type: 'timeout'; attributes: { timeout: number } }
  | { type: 'bandwidth'; attributes: { rate: number } };

/** A client of one Toxiproxy server's HTTP API. */
export class ToxiproxyClient {
  constructor(readonly apiUrl: string) {}

  private async call(method: string, route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(route, this.apiUrl), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Toxiproxy ${method} ${route}: HTTP ${response.status} ${text.trim()}`);
    return text ? JSON.parse(text) : null;
  }

  createProxy(name: string, listen: string, upstream: string): Promise<unknown> {
    return this.call('POST', '/proxies', { name, listen, upstream, enabled: true });
  }

  /** Cuts the agency off: the listener closes, open connections are dropped. */
  partition(proxy: string): Promise<unknown> {
    return this.call('POST', `/proxies/${proxy}`, { enabled: false });
  }

  heal(proxy: string): Promise<unknown> {
    return this.call('POST', `/proxies/${proxy}`, { enabled: true });
  }

  /** Adds a toxic; `toxicity` is the share of connections it applies to (1: all). */
  addToxic(proxy: string, name: string, stream: ToxicStream, toxic: Toxic, toxicity = 1): Promise<unknown> {
    return this.call('POST', `/proxies/${proxy}/toxics`, { name, stream, toxicity, ...toxic });
  }

  removeToxic(proxy: string, name: string): Promise<unknown> {
    return this.call('DELETE', `/proxies/${proxy}/toxics/${name}`);
  }

  /** Re-enables every proxy and removes every toxic. */
  reset(): Promise<unknown> {
    return this.call('POST', '/reset');
  }

  /** Latency both ways: `rttMs` round trip, each direction ± `jitterMs`. */
  async addRoundTripLatency(proxy: string, rttMs: number, jitterMs: number): Promise<void> {
    for (const stream of ['upstream', 'downstream'] as const) {
      await this.addToxic(proxy, `latency-${stream}`, stream, {
        type: 'latency',
        attributes: { latency: rttMs / 2, jitter: jitterMs },
      });
    }
  }
}
