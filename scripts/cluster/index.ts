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
 * what a killed `up` left behind, which is why `up` starts with it. Here is the topology, what
 * starts where and in which order; processes.ts starts, probes and stops one process, env.ts
 * makes its environment.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureDevKeys } from '../../common/auth/tokens.js';
import { defaultDbName, type SubgraphName } from '../../common/config/services.js';
import { connectDatabase } from '../../common/db/connection.js';
import { ensureFerretDbBinary } from '../../common/db/ferretdb-build.js';
import { isAlive } from '../../common/db/ferretdb.js';
import { HUB_ENTRY_POINTS as ENTRY_POINTS } from '../hub-processes.js';
import { SERVICE_LOADER } from '../service-loader.js';
import { demoToday } from '../seed/dates.js';
import { isDatabaseEmpty, seedDemoData } from '../seed/index.js';
import { baseEnv, gatewayEnv, subgraphEnv } from './env.js';
import { BACKEND, agencyFrontConfig, haproxyCommand, loadBalancerConfig, serverStat } from './haproxy.js';
import { clusterNamespaces, createNetwork, pidsIn, removeNetwork } from './net.js';
import { START_TIMEOUT_MS, launch, stopPid, untilServing, writeState, type ClusterProcess } from './processes.js';
import { agencyFrontName, issueClusterCertificates, tlsFiles, trustClusterCa } from './tls.js';
import { ToxiproxyClient, ensureToxiproxyBinary } from './toxiproxy.js';
import {
  AGENCY_PUBLIC_PORTS,
  GATEWAYS,
  KEYS_DATA_DIR,
  PORTS,
  REPLICAS,
  STATE_DIR,
  SUBGRAPH_NAMES,
  TOXIPROXY_API,
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

  private save(): Promise<void> {
    return writeState({ lbUrl: this.lbUrl, tls: this.tls, processes: this.processes });
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
    const launched = launch(hostName, name, command, args, target, env);
    this.processes.push(launched.entry);
    await this.save();
    await untilServing(launched);
    return launched.entry;
  }

  find(hostName: HostName, name: string): ClusterProcess {
    const found = this.processes.find((p) => p.host === hostName && p.name === name);
    if (!found) throw new Error(`no process ${hostName}/${name} in the cluster`);
    return found;
  }

  /** Sends `signal` to a process and waits until it has ended (SIGKILL after `graceMs`). */
  async stopProcess(hostName: HostName, name: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
    const entry = this.find(hostName, name);
    await stopPid(entry.pid, signal, graceMs);
    this.processes.splice(this.processes.indexOf(entry), 1);
    await this.save();
  }

  startGateway(name: GatewayHost): Promise<ClusterProcess> {
    return this.spawn(
      name,
      'gateway',
      process.execPath,
      [...SERVICE_LOADER, ENTRY_POINTS.gateway],
      new URL('/ready', gatewayUrl(name, this.tls)).href,
      gatewayEnv(name, this.tls),
    );
  }

  startSubgraph(name: SubgraphName, replica: number): Promise<ClusterProcess> {
    return this.spawn(
      name,
      `subgraph-${replica}`,
      process.execPath,
      [...SERVICE_LOADER, ENTRY_POINTS[name]],
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

  /** Brings every host up, in order: network, keys, databases (seeded once), agencies, fault proxy, gateways and LB. */
  async start(options: { seedCount: number }): Promise<void> {
    const log = this.log;
    log('Network: namespaces and veths on bridge tmp-br0 (10.77.0.0/24)…');
    await createNetwork();
    if (this.tls) {
      log('TLS: a development CA and a certificate per host (npm run certs)…');
      await issueClusterCertificates();
      await trustClusterCa();
    }
    await makeKeys();
    const [ferretdb, toxiproxy] = await Promise.all([ensureFerretDbBinary(log), ensureToxiproxyBinary(log)]);
    const redisDir = path.join(STATE_DIR, 'redis');
    await fs.mkdir(redisDir, { recursive: true });
    log('Databases: Redis and one FerretDB per agency…');
    await Promise.all([this.startRedis(redisDir), ...SUBGRAPH_NAMES.map((name) => this.startFerretDb(name, ferretdb))]);
    await this.seedIfEmpty(options.seedCount);

    log('Agencies: subgraph replicas and each agency’s HAProxy…');
    await Promise.all(
      SUBGRAPH_NAMES.flatMap((name) =>
        Array.from({ length: REPLICAS[name] }, (_, i) => this.startSubgraph(name, i + 1)),
      ),
    );
    for (const name of SUBGRAPH_NAMES) await this.startAgencyFront(name);

    log('Fault proxy: Toxiproxy between the gateways and every agency…');
    await this.startFaultProxy(toxiproxy);

    log('Gateways and the load balancer…');
    await Promise.all(GATEWAYS.map((g) => this.startGateway(g)));
    await this.startLoadBalancer();
  }

  private async startRedis(redisDir: string): Promise<void> {
    const redis = host('redis').address;
    await this.spawn(
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
    );
  }

  private async startFerretDb(name: SubgraphName, ferretdb: string): Promise<void> {
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
  }

  /** Seeds the agencies' databases with `count` fictional foreigners, unless they hold data already. */
  private async seedIfEmpty(count: number): Promise<void> {
    const connections = await Promise.all(
      SUBGRAPH_NAMES.map((n) => connectDatabase(`mongodb://${host(n).address}:${PORTS.ferretdb}/`, defaultDbName(n))),
    );
    try {
      const byName = Object.fromEntries(SUBGRAPH_NAMES.map((n, i) => [n, connections[i]!.connection])) as Record<
        SubgraphName,
        (typeof connections)[number]['connection']
      >;
      if (await isDatabaseEmpty(byName)) {
        this.log(`Seeding ${count.toLocaleString('en')} fictional foreigners into the agencies' databases…`);
        await seedDemoData({ connections: byName, count, referenceDate: demoToday() });
      }
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  }

  /** An agency's HAProxy, in front of its subgraph replicas. */
  private async startAgencyFront(name: SubgraphName): Promise<void> {
    const scheme = this.tls ? 'https' : 'http';
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

  /** Toxiproxy, with one proxy per agency on the agency's public port. */
  private async startFaultProxy(toxiproxy: string): Promise<void> {
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
  }

  /** The load balancer's HAProxy, in front of the gateways. */
  private async startLoadBalancer(): Promise<void> {
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

/** Every key the services use, made once before they start (they share DATA_DIR). */
async function makeKeys(): Promise<void> {
  await fs.mkdir(KEYS_DATA_DIR, { recursive: true });
  const keys = path.join(KEYS_DATA_DIR, 'keys');
  await ensureDevKeys(keys);
  await ensureDevKeys(path.join(keys, 'gateway'));
  for (const name of SUBGRAPH_NAMES) await ensureDevKeys(path.join(keys, 'access-log', name));
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
