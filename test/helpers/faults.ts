/**
 * Faults on demand for tests: a subgraph that can be stopped and started again on the same
 * port over the same database, a stand-in that delays every request on its way to a real
 * subgraph, a TCP stand-in for a dependency (Redis) whose line can be cut, a TCP stand-in for a
 * subgraph that resets or closes connections as requests arrive or instead of their answers, and a
 * steady load that records every answer.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { SUBGRAPH_ENV_PREFIX, type SubgraphName } from '../../common/config/services.js';
import type { RunningService } from '../../common/server/http-service.js';
import type { RequestInfo } from '../../common/server/request-context.js';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from '../../common/server/subgraph-server.js';
import { testSubgraphConfig, uniqueDbName } from './env.js';

/** A real subgraph that survives its own stop: `start()` brings it back on the same port and database. */
export interface RestartableSubgraph {
  readonly url: string;
  readonly port: number;
  readonly dbName: string;
  /** The running instance (null while stopped). */
  current: RunningSubgraph | null;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (if running) and drops its database. */
  dispose(): Promise<void>;
}

export async function startRestartableSubgraph<C extends RequestInfo>(
  module: SubgraphModule<C>,
  label: string,
  env: Record<string, string> = {},
): Promise<RestartableSubgraph> {
  const dbName = uniqueDbName(`${label}_${module.name}`);
  const first = await startSubgraph(module, testSubgraphConfig(module.name, dbName, env));
  const portVariable = `${SUBGRAPH_ENV_PREFIX[module.name as SubgraphName]}_PORT`;
  const subgraph: RestartableSubgraph = {
    url: first.url,
    port: first.port,
    dbName,
    current: first,
    async stop() {
      const running = subgraph.current;
      subgraph.current = null;
      await running?.stop();
    },
    async start() {
      subgraph.current = await startSubgraph(
        module,
        testSubgraphConfig(module.name, dbName, { ...env, [portVariable]: String(subgraph.port) }),
      );
    },
    async dispose() {
      if (!subgraph.current) await subgraph.start();
      await subgraph.current!.db.connection.dropDatabase().catch(() => {});
      await subgraph.stop();
    },
  };
  return subgraph;
}

/** A stand-in for a subgraph that forwards every request to it after `delayMs`. */
export interface DelayingProxy extends Pick<RunningService, 'url' | 'port'> {
  /** The delay of requests from now on. */
  delayMs: number;
  /** Requests waiting out their delay right now. */
  readonly waiting: number;
  /** Requests forwarded to the subgraph so far. */
  readonly forwarded: number;
  /** Requests whose caller hung up (the gateway's timeout) before they were forwarded; never forwarded. */
  readonly abandoned: number;
  /** Forwards every waiting request now. */
  release(): void;
  stop(): Promise<void>;
}

export async function startDelayingProxy(targetGraphqlUrl: string, delayMs: number): Promise<DelayingProxy> {
  const target = new URL(targetGraphqlUrl);
  const waiting = new Set<() => void>();
  let forwarded = 0;
  let abandoned = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = () => {
        clearTimeout(timer);
        if (!waiting.delete(forward) || res.destroyed) return;
        forwarded += 1;
        const upstream = http.request(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      waiting.add(forward);
      const timer = setTimeout(forward, proxy.delayMs);
      // the caller gave up (the gateway's timeout): nothing is forwarded
      res.on('close', () => {
        if (!waiting.delete(forward)) return;
        clearTimeout(timer);
        abandoned += 1;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: DelayingProxy = {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    port,
    delayMs,
    get waiting() {
      return waiting.size;
    },
    get forwarded() {
      return forwarded;
    },
    get abandoned() {
      return abandoned;
    },
    release() {
      for (const forward of [...waiting]) forward();
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}

/** A TCP stand-in in front of a server (Redis): `cut()` drops every connection and refuses new ones until `restore()`. */
export interface CuttableLine {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

/** The open sockets of a TCP stand-in: `track` each one, destroyed on error, forgotten once closed. */
function socketTracker(): { sockets: Set<net.Socket>; track: (socket: net.Socket) => void } {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  return { sockets, track };
}

export async function startCuttableLine(targetHost: string, targetPort: number): Promise<CuttableLine> {
  const { sockets, track } = socketTracker();
  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  };
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return { port, cut: close, restore: () => listen(port), stop: close };
}

/**
 * What the stand-in does with the POST requests it is told to break: `reset` the connection (TCP
 * RST) as the request arrives, `close` it (FIN) as the request arrives, or pass the request on and
 * reset the connection when the subgraph's answer comes back (`resetAnswer`: it ran, the gateway
 * never sees its answer).
 */
export type Breakage = 'reset' | 'close' | 'resetAnswer';

/** A TCP stand-in in front of a subgraph that breaks the next `breakNext` POST requests. */
export interface ResettingLine {
  readonly url: string;
  breakage: Breakage;
  /** How many of the coming POST requests it breaks (Infinity: all). */
  breakNext: number;
  /**
   * Breaks every POST request sent on a connection that carried one before, as if the subgraph
   * had closed all its idle keep-alive connections (a replica restarting) just as they were reused.
   */
  staleConnections: boolean;
  /** POST requests that reached it, whether it broke them or not. */
  readonly requests: number;
  /** Of those, the ones that were the first request on their connection (a new connection). */
  readonly firstOnConnection: number;
  stop(): Promise<void>;
}

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/1\.1\r\n/;

export async function startResettingLine(targetGraphqlUrl: string): Promise<ResettingLine> {
  const target = new URL(targetGraphqlUrl);
  const { sockets, track } = socketTracker();
  let requests = 0;
  let firstOnConnection = 0;
  const server = net.createServer((client) => {
    track(client);
    const upstream = net.connect(Number(target.port), target.hostname);
    track(upstream);
    let served = 0;
    /** Set while a request passed on is to lose its answer. */
    let loseAnswer = false;
    client.on('data', (chunk: Buffer) => {
      const start = chunk.toString('latin1', 0, 200);
      if (REQUEST_LINE.test(start) && start.startsWith('POST ')) {
        requests += 1;
        if (served === 0) firstOnConnection += 1;
        served += 1;
        const stale = line.staleConnections && served > 1;
        if (line.breakNext > 0 || stale) {
          if (!stale) line.breakNext -= 1;
          if (line.breakage === 'reset') return void (client.resetAndDestroy(), upstream.destroy());
          if (line.breakage === 'close') return void (client.destroy(), upstream.destroy());
          loseAnswer = true;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (loseAnswer) return void (client.resetAndDestroy(), upstream.destroy());
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const line: ResettingLine = {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    breakage: 'reset',
    breakNext: 0,
    staleConnections: false,
    get requests() {
      return requests;
    },
    get firstOnConnection() {
      return firstOnConnection;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return line;
}

/** One answer of a load: when it was sent, how long it took, its HTTP status and error codes. */
export interface LoadSample {
  /** Which request of the load it was: the `n` that `request(n)` was called with. */
  n: number;
  at: number;
  durationMs: number;
  status: number;
  codes: string[];
  /** The transport failed (no HTTP answer at all). */
  failed?: string;
}

/** `workers` loops that each send `request()` one after another until `stop()` resolves. */
export function startLoad(
  workers: number,
  request: (n: number) => Promise<{ status: number; codes: string[] }>,
): { samples: LoadSample[]; stop(): Promise<LoadSample[]> } {
  const samples: LoadSample[] = [];
  let running = true;
  let n = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const at = Date.now();
      const current = n++;
      try {
        const { status, codes } = await request(current);
        samples.push({ n: current, at, durationMs: Date.now() - at, status, codes });
      } catch (e) {
        samples.push({
          n: current,
          at,
          durationMs: Date.now() - at,
          status: 0,
          codes: [],
          failed: (e as Error).message,
        });
      }
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms until it holds, failing after `waitMs` with `what` was not reached. */
export async function waitFor(what: string, condition: () => boolean, waitMs = 30_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${waitMs} ms: ${what}`);
    await sleep(20);
  }
}
