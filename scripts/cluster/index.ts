/**
 * The hub as agencies deploy it, on one machine (`npm run cluster -- up|down|status|token|restart`):
 * each agency a host of its own (network namespace) with its FerretDB, its subgraph replicas and
 * its own HAProxy in front of them; two stateless gateway replicas; a load balancer (HAProxy) in
 * front of the gateways; Redis for the state replicas share; and a fault proxy (Toxiproxy) on the
 * path from the gateways to every agency. See README, "Cluster", and docs/deployment.md.
 *
 * The processes run detached, each in its host's namespace (`ip netns exec`), logging to
 * `data/cluster/<host>.log`; `data/cluster/state.json` lists them for `status`. `down` ends every
 * process in a `tmp-` namespace and deletes the namespaces, veths and the state directory — also
 * what a killed `up` left behind, which is why `up` starts with it.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDevKeys } from '../../common/auth/tokens.js';
import { SUBGRAPH_ENV_PREFIX, defaultDbName, type SubgraphName } from '../../common/config/services.js';
import { connectDatabase } from '../../common/db/connection.js';
import { ensureFerretDbBinary, isAlive } from '../../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { HUB_ENTRY_POINTS as ENTRY_POINTS } from '../hub-processes.js';
import { demoToday } from '../seed/dates.js';
import { isDatabaseEmpty, seedDemoData } from '../seed/index.js';
import { BACKEND, agencyFrontConfig, haproxyCommand, loadBalancerConfig, serverStat } from './haproxy.js';
import { clusterNamespaces, createNetwork, pidsIn, removeNetwork } from './net.js';
import { fetch } from 'undici';
import {
  agencyFrontName,
  clusterDispatcher,
  issueClusterCertificates,
  tlsEnv,
  tlsFiles,
  trustClusterCa,
} from './tls.js';
import { ToxiproxyClient, ensureToxiproxyBinary } from './toxiproxy.js';
import {
  AGENCY_PUBLIC_PORTS,
  GATEWAYS,
  KEYS_DATA_DIR,
  PORTS,
  REDIS_URL,
  REPLICAS,
  STATE_DIR,
  SUBGRAPH_NAMES,
  TOXIPROXY_API,
  agencyUrl,
  gatewayUrl,
  host,
  lbUrl,
  replicaAddress,
  replicaUrl,
  tlsName,
  type GatewayHost,
  type HostName,
} from './topology.js';

type Log = (message: string) => void;

/** One process of the cluster, as `state.json` lists it. */
export interface ClusterProcess {
  host: HostName;
  /** e.g. `gateway`, `ferretdb`, `subgraph-1`, `haproxy`. */
  name: string;
  pid: number;
  /** What says it serves: an HTTP URL answering 2xx, or `tcp://address:port`. */
  probe: string;
}

const START_TIMEOUT_MS = 120_000;
const STATE_FILE = path.join(STATE_DIR, 'state.json');

export function hostLog(name: HostName): string {
  return path.join(STATE_DIR, `${name}.log`);
}

/** The last lines of a host's log, for the message of a process that failed to start. */
export async function logTail(name: HostName, lines = 30): Promise<string> {
  const text = await fs.readFile(hostLog(name), 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Whether a probe answers: 2xx for an HTTP URL, an accepted connection for `tcp://`. */
export async function probe(target: string, timeoutMs = 1000): Promise<boolean> {
  if (target.startsWith('tcp://')) {
    const { hostname, port } = new URL(target);
    return new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }
  return fetch(target, { signal: AbortSignal.timeout(timeoutMs), dispatcher: clusterDispatcher() }).then(
    (r) => r.ok,
    () => false,
  );
}

/** The environment every hub process of the cluster shares; nothing of the caller's leaks in. */
function baseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    DATA_DIR: KEYS_DATA_DIR,
    LOG_LEVEL: 'warn',
    REDIS_URL,
    EXPLORER_DEV_TOKENS: 'false',
  };
}

function subgraphEnv(name: SubgraphName, replica: number, tls: boolean): NodeJS.ProcessEnv {
  const prefix = SUBGRAPH_ENV_PREFIX[name];
  const own = replicaAddress(name, replica);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    ...(tls ? tlsEnv(name) : {}),
    [`${prefix}_HOST`]: own.host,
    [`${prefix}_PORT`]: String(own.port),
    [`${prefix}_MONGODB_URI`]: `mongodb://${host(name).address}:${PORTS.ferretdb}/`,
  };
  // the other agencies, whose access-log chain heads this one witnesses, through the fault proxy too
  for (const peer of SUBGRAPH_NAMES) {
    if (peer !== name) env[`${SUBGRAPH_ENV_PREFIX[peer]}_URL`] = agencyUrl(peer, tls);
  }
  return env;
}

function gatewayEnv(name: GatewayHost, tls: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    ...(tls ? tlsEnv(name) : {}),
    GATEWAY_HOST: host(name).address,
    GATEWAY_PORT: String(PORTS.gateway),
  };
  for (const agency of SUBGRAPH_NAMES) env[`${SUBGRAPH_ENV_PREFIX[agency]}_URL`] = agencyUrl(agency, tls);
  return env;
}

/** A running (or starting, or stopped) cluster: its processes, and how to start and stop them. */
export class Cluster {
  readonly processes: ClusterProcess[] = [];
  readonly toxiproxy = new ToxiproxyClient(TOXIPROXY_API);

  /** The load balancer's GraphQL endpoint (HTTPS with TLS on). */
  readonly lbUrl: string;

  constructor(
    private readonly log: Log,
    /** TLS between every pair of hosts, and from clients to the load balancer. */
    readonly tls: boolean,
  ) {
    this.lbUrl = lbUrl(tls);
  }

  private async save(): Promise<void> {
    const state: ClusterState = { lbUrl: this.lbUrl, tls: this.tls, processes: this.processes };
    await fs.writeFile(STATE_FILE, JSON.stringify(state, null, 2));
  }

  /** Spawns `command` in a host's namespace, logging to the host's log; returns once `probe` answers. */
  async spawn(
    hostName: HostName,
    name: string,
    command: string,
    args: string[],
    target: string,
    env: NodeJS.ProcessEnv = baseEnv(),
  ): Promise<ClusterProcess> {
    const fd = openSync(hostLog(hostName), 'a');
    writeSync(fd, `\n=== ${new Date().toISOString()} starting ${name}: ${command} ${args.join(' ')}\n`);
    const child = spawn('ip', ['netns', 'exec', host(hostName).namespace, command, ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    child.unref();
    let exit: string | null = null;
    child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`));
    child.once('error', (e) => (exit = `could not be run (${e.message})`));
    const entry: ClusterProcess = { host: hostName, name, pid: child.pid ?? -1, probe: target };
    this.processes.push(entry);
    await this.save();
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await probe(target))) {
      if (exit || Date.now() > deadline) {
        const why = exit ? `${exit} during start-up` : `did not answer at ${target} in ${START_TIMEOUT_MS / 1000} s`;
        throw new Error(`${hostName}/${name} ${why}. Last lines of ${hostLog(hostName)}:\n${await logTail(hostName)}`);
      }
      await sleep(200);
    }
    return entry;
  }

  find(hostName: HostName, name: string): ClusterProcess {
    const found = this.processes.find((p) => p.host === hostName && p.name === name);
    if (!found) throw new Error(`no process ${hostName}/${name} in the cluster`);
    return found;
  }

  /** Sends `signal` to a process and waits until it has ended (SIGKILL after `graceMs`). */
  async stopProcess(hostName: HostName, name: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
    const entry = this.find(hostName, name);
    if (isAlive(entry.pid)) process.kill(entry.pid, signal);
    const deadline = Date.now() + graceMs;
    while (isAlive(entry.pid)) {
      if (Date.now() > deadline) process.kill(entry.pid, 'SIGKILL');
      await sleep(50);
    }
    this.processes.splice(this.processes.indexOf(entry), 1);
    await this.save();
  }

  startGateway(name: GatewayHost): Promise<ClusterProcess> {
    return this.spawn(
      name,
      'gateway',
      process.execPath,
      ['--import', 'tsx', ENTRY_POINTS.gateway],
      new URL('/ready', gatewayUrl(name, this.tls)).href,
      gatewayEnv(name, this.tls),
    );
  }

  startSubgraph(name: SubgraphName, replica: number): Promise<ClusterProcess> {
    return this.spawn(
      name,
      `subgraph-${replica}`,
      process.execPath,
      ['--import', 'tsx', ENTRY_POINTS[name]],
      new URL('/ready', replicaUrl(name, replica, this.tls)).href,
      subgraphEnv(name, replica, this.tls),
    );
  }

  /** The runtime socket of an agency's HAProxy. */
  static agencySocket(name: SubgraphName): string {
    return path.join(STATE_DIR, `${name}-haproxy.sock`);
  }

  /**
   * Restarts an agency's subgraph replica by replica without failing a request: each replica is
   * set to drain (its HAProxy sends it nothing new), stopped once its last request is answered
   * (SIGTERM: the subgraph finishes what is in flight), started again, and put back once ready.
   */
  async rollingRestart(name: SubgraphName): Promise<void> {
    const socket = Cluster.agencySocket(name);
    for (let replica = 1; replica <= REPLICAS[name]; replica++) {
      const server = `r${replica}`;
      await haproxyCommand(socket, `set server ${BACKEND}/${server} state drain`);
      const deadline = Date.now() + 15_000;
      while ((await serverStat(socket, BACKEND, server)).current > 0 && Date.now() < deadline) await sleep(50);
      this.log(`  ${name}: replica ${replica} drained; restarting it`);
      await this.stopProcess(name, `subgraph-${replica}`, 'SIGTERM');
      await this.startSubgraph(name, replica);
      await haproxyCommand(socket, `set server ${BACKEND}/${server} state ready`);
      while ((await serverStat(socket, BACKEND, server)).status !== 'UP') {
        if (Date.now() > deadline + START_TIMEOUT_MS)
          throw new Error(`${name} replica ${replica} is not back in HAProxy`);
        await sleep(100);
      }
    }
  }

  /** Total resident memory of the cluster's processes (every process in its namespaces), in bytes. */
  static async residentMemory(): Promise<number> {
    let total = 0;
    for (const ns of await clusterNamespaces()) {
      for (const pid of await pidsIn(ns)) {
        const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
        total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      }
    }
    return total;
  }

  async start(options: { seedCount: number }): Promise<void> {
    const log = this.log;
    log('Network: namespaces and veths on bridge tmp-br0 (10.77.0.0/24)…');
    await createNetwork();
    if (this.tls) {
      log('TLS: a development CA and a certificate per host (npm run certs)…');
      await issueClusterCertificates();
      await trustClusterCa();
    }
    await fs.mkdir(KEYS_DATA_DIR, { recursive: true });
    // every key the services use, made once before they start (they share DATA_DIR)
    const keys = path.join(KEYS_DATA_DIR, 'keys');
    await ensureDevKeys(keys);
    await ensureDevKeys(path.join(keys, 'gateway'));
    for (const name of SUBGRAPH_NAMES) await ensureDevKeys(path.join(keys, 'access-log', name));

    const [ferretdb, toxiproxy] = await Promise.all([ensureFerretDbBinary(log), ensureToxiproxyBinary(log)]);
    const redisDir = path.join(STATE_DIR, 'redis');
    await fs.mkdir(redisDir, { recursive: true });
    const redis = host('redis').address;
    log('Databases: Redis and one FerretDB per agency…');
    await Promise.all([
      this.spawn(
        'redis',
        'redis-server',
        'redis-server',
        [
          '--bind',
          redis,
          '--port',
          String(PORTS.redis),
          '--protected-mode',
          'no',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          redisDir,
        ],
        `tcp://${redis}:${PORTS.redis}`,
      ),
      ...SUBGRAPH_NAMES.map(async (name) => {
        const dir = path.join(STATE_DIR, name, 'ferretdb');
        await fs.mkdir(path.join(dir, 'sqlite'), { recursive: true });
        await fs.mkdir(path.join(dir, 'state'), { recursive: true });
        const address = host(name).address;
        await this.spawn(
          name,
          'ferretdb',
          ferretdb,
          [
            '--handler=sqlite',
            `--sqlite-url=file:${dir}/sqlite/`,
            `--listen-addr=${address}:${PORTS.ferretdb}`,
            `--debug-addr=127.0.0.1:${PORTS.ferretdbDebug}`,
            `--state-dir=${dir}/state`,
            '--telemetry=disable',
            '--log-level=error',
            '--log-format=text',
          ],
          `tcp://${address}:${PORTS.ferretdb}`,
        );
      }),
    ]);

    const connections = await Promise.all(
      SUBGRAPH_NAMES.map((n) => connectDatabase(`mongodb://${host(n).address}:${PORTS.ferretdb}/`, defaultDbName(n))),
    );
    try {
      const byName = Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, connections[i]!.connection])) as Record<
        SubgraphName,
        (typeof connections)[number]['connection']
      >;
      if (await isDatabaseEmpty(byName)) {
        log(`Seeding ${options.seedCount.toLocaleString('en')} fictional foreigners into the agencies' databases…`);
        await seedDemoData({ connections: byName, count: options.seedCount, referenceDate: demoToday() });
      }
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }

    log('Agencies: subgraph replicas and each agency’s HAProxy…');
    await Promise.all(
      SUBGRAPH_NAMES.flatMap((name) =>
        Array.from({ length: REPLICAS[name] }, (_, i) => this.startSubgraph(name, i + 1)),
      ),
    );
    const scheme = this.tls ? 'https' : 'http';
    for (const name of SUBGRAPH_NAMES) {
      const address = host(name).address;
      const file = path.join(STATE_DIR, `${name}-haproxy.cfg`);
      const front = tlsFiles(agencyFrontName(name));
      await fs.writeFile(
        file,
        agencyFrontConfig({
          bind: `${address}:${PORTS.agencyFront}`,
          socket: Cluster.agencySocket(name),
          replicas: Array.from({ length: REPLICAS[name] }, (_, i) => ({
            name: `r${i + 1}`,
            address,
            port: replicaAddress(name, i + 1).port,
          })),
          tls: this.tls ? { bundle: front.bundle, ca: front.ca, serverName: () => tlsName(name) } : null,
        }),
      );
      await this.spawn(
        name,
        'haproxy',
        'haproxy',
        ['-db', '-f', file],
        `${scheme}://${address}:${PORTS.agencyFront}/ready`,
      );
    }

    log('Fault proxy: Toxiproxy between the gateways and every agency…');
    const faults = host('faults').address;
    await this.spawn(
      'faults',
      'toxiproxy',
      toxiproxy,
      ['-host', faults, '-port', String(PORTS.toxiproxyApi)],
      `${TOXIPROXY_API}/version`,
    );
    for (const name of SUBGRAPH_NAMES) {
      await this.toxiproxy.createProxy(
        name,
        `${faults}:${AGENCY_PUBLIC_PORTS[name]}`,
        `${host(name).address}:${PORTS.agencyFront}`,
      );
    }

    log('Gateways and the load balancer…');
    await Promise.all(GATEWAYS.map((g) => this.startGateway(g)));
    const lbConfig = path.join(STATE_DIR, 'lb-haproxy.cfg');
    const lb = tlsFiles('lb');
    await fs.writeFile(
      lbConfig,
      loadBalancerConfig({
        bind: `${host('lb').address}:${this.tls ? PORTS.lbTls : PORTS.lb}`,
        socket: path.join(STATE_DIR, 'lb-haproxy.sock'),
        gateways: GATEWAYS.map((g) => ({ name: g, address: host(g).address, port: PORTS.gateway })),
        tls: this.tls ? { bundle: lb.bundle, ca: lb.ca, serverName: (s) => tlsName(s.name) } : null,
      }),
    );
    await this.spawn('lb', 'haproxy', 'haproxy', ['-db', '-f', lbConfig], new URL('/ready', this.lbUrl).href);
  }
}

/**
 * Ends every process in the cluster's namespaces (SIGTERM, SIGKILL after 10 s), deletes the
 * namespaces, veths and bridge, and the state directory. Safe to run at any time.
 */
export async function teardown(log: Log = () => {}): Promise<void> {
  const namespaces = await clusterNamespaces();
  const pids = (await Promise.all(namespaces.map(pidsIn))).flat();
  if (pids.length) log(`Stopping ${pids.length} processes…`);
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (pids.some(isAlive)) await sleep(50);
  await removeNetwork();
  await fs.rm(STATE_DIR, { recursive: true, force: true });
}

/** Cleans up whatever an earlier run left, then brings the cluster up; on failure, cleans up again. */
export async function up(options: { seedCount: number; tls: boolean; log?: Log }): Promise<Cluster> {
  const log = options.log ?? (() => {});
  await teardown(log);
  await fs.mkdir(STATE_DIR, { recursive: true });
  const cluster = new Cluster(log, options.tls);
  try {
    await cluster.start(options);
  } catch (e) {
    await teardown(log);
    throw e;
  }
  return cluster;
}

/** What `state.json` holds, for `status` and `restart`. */
export interface ClusterState {
  lbUrl: string;
  tls: boolean;
  processes: ClusterProcess[];
}

/** The state of the running cluster (and, with TLS, this process trusts its CA), or null when none runs. */
export async function readState(): Promise<ClusterState | null> {
  const state = await fs.readFile(STATE_FILE, 'utf8').then(
    (t) => JSON.parse(t) as ClusterState,
    () => null,
  );
  if (state?.tls) await trustClusterCa();
  return state;
}

export { isAlive };
