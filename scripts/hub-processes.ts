/**
 * A hub of its own for a measurement (`npm run bench`, `npm run soak`): a fresh embedded FerretDB
 * on free ports with demo data seeded into it, and the hub's services spawned like `npm start`
 * spawns them (`node --import tsx/esm <entry>` with their configuration in the environment), each
 * writing to a log file of its own, waited for until ready, and stopped in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { loadHubConfig, type HubConfig } from '../common/config/hub.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, type SubgraphName } from '../common/config/services.js';
import { freePort, type FerretDbInstance } from '../common/db/ferretdb.js';
import { connectionsOf, openHubDatabases, type HubDatabases } from '../common/db/hub-databases.js';
import { PROJECT_ROOT } from '../common/project-root.js';
import { SERVICE_LOADER } from './service-loader.js';
import { demoToday } from './seed/dates.js';
import { seedDemoData, type SeedSummary } from './seed/index.js';

type Log = (message: string) => void;

/** The hub's services and the files `node --import tsx/esm` runs for them. */
export const HUB_ENTRY_POINTS: Record<SubgraphName | 'gateway', string> = {
  immigration: 'subgraphs/immigration/src/main.ts',
  police: 'subgraphs/police/src/main.ts',
  'local-government': 'subgraphs/local-government/src/main.ts',
  gateway: 'gateway/src/main.ts',
};

export interface Service {
  name: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** What is running, so that an interrupted run stops it all (`stopEverything`). */
const running = new Set<{ stop(): Promise<void> }>();

/** Adds something to stop when the run is interrupted; returns the function that removes it. */
export function stopOnInterrupt(stoppable: { stop(): Promise<void> }): () => void {
  running.add(stoppable);
  return () => running.delete(stoppable);
}

/** Stops every service still running, the database (registered first) last. */
export async function stopEverything(): Promise<void> {
  const all = [...running].reverse();
  running.clear();
  for (const s of all) await s.stop().catch(() => {});
}

/**
 * Starts `entry` (a TypeScript file under the project) as its own Node.js process with exactly
 * `env` (no variable of the caller's shell leaks into a measurement), writing its output to
 * `logFile`.
 */
export async function spawnService(
  name: string,
  entry: string,
  env: Record<string, string>,
  logFile: string,
  args: string[] = [],
): Promise<Service> {
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  await once(log, 'open');
  const child = spawn(process.execPath, [...SERVICE_LOADER, entry, ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: Service = {
    name,
    pid: child.pid,
    process: child,
    async stop() {
      forget();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
  const forget = stopOnInterrupt(service);
  return service;
}

/** Waits until `url` answers 2xx, failing early when the process exits. */
export async function waitReady(service: Pick<Service, 'name' | 'process'>, url: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with code ${service.process.exitCode} during start-up (see its log)`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} was not ready at ${url} after ${timeoutMs / 1000} s`);
}

export interface SeededDatabase {
  config: HubConfig;
  ferret: FerretDbInstance;
  /** The connections to the three databases, still open. */
  hub: HubDatabases;
  summary: SeedSummary;
  seedSeconds: number;
  /** Closes the connections and stops FerretDB. */
  stop(): Promise<void>;
}

/**
 * A new embedded FerretDB in `dataDir` (whatever data was there is removed) on free ports, with
 * `count` demo foreigners seeded into it; stopped by `stopEverything` too.
 */
export async function startSeededDatabase(
  dataDir: string,
  seed: { count: number; bulk?: boolean; progress?: Log },
  log: Log,
): Promise<SeededDatabase> {
  await fs.rm(path.join(dataDir, 'ferretdb'), { recursive: true, force: true });
  const [ferretPort, ferretDebugPort] = await Promise.all([freePort(), freePort()]);
  const config = loadHubConfig({
    DATA_DIR: dataDir,
    FERRETDB_PORT: String(ferretPort),
    FERRETDB_DEBUG_PORT: String(ferretDebugPort),
  });
  const hub = await openHubDatabases(config, { useRunning: false, log });
  const ferret = hub.ferret!;
  const forgetFerret = stopOnInterrupt(ferret);
  const stop = async () => {
    await hub.close().catch(() => {});
    forgetFerret();
    await ferret.stop();
  };
  try {
    log(`seeding ${seed.count.toLocaleString('en-US')} foreigners…`);
    const seedStarted = performance.now();
    const summary = await seedDemoData({
      connections: connectionsOf(hub),
      count: seed.count,
      referenceDate: demoToday(),
      bulk: seed.bulk,
      log: seed.progress ?? (() => {}),
    });
    return { config, ferret, hub, summary, seedSeconds: (performance.now() - seedStarted) / 1000, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Services started with one base environment, each logging to `<logDir>/<name>.log`; stopped
 * together, the gateways first.
 */
export class ServiceGroup {
  readonly services: Service[] = [];
  private readonly gateways = new Set<Service>();

  constructor(
    private readonly logDir: string,
    private readonly base: Record<string, string>,
  ) {}

  async start(name: string, entry: string, env: Record<string, string>, args: string[] = []): Promise<Service> {
    const service = await spawnService(
      name,
      entry,
      { ...this.base, ...env },
      path.join(this.logDir, `${name}.log`),
      args,
    );
    this.services.push(service);
    return service;
  }

  /** The three subgraphs on free ports, on the database at `mongoUri`, each ready; their GraphQL URLs. */
  async startSubgraphs(mongoUri: string): Promise<Record<SubgraphName, string>> {
    const ports = await Promise.all(SUBGRAPH_NAMES.map(() => freePort()));
    const urls = Object.fromEntries(
      SUBGRAPH_NAMES.map((n, i) => [n, `http://127.0.0.1:${ports[i]}/graphql`]),
    ) as Record<SubgraphName, string>;
    await Promise.all(
      SUBGRAPH_NAMES.map(async (name) => {
        const service = await this.start(name, HUB_ENTRY_POINTS[name], {
          MONGODB_URI: mongoUri,
          [`${SUBGRAPH_ENV_PREFIX[name]}_PORT`]: new URL(urls[name]).port,
        });
        await waitReady(service, new URL('/ready', urls[name]).href);
      }),
    );
    return urls;
  }

  /**
   * A gateway (the hub's, or another in its place) on `port` in front of `subgraphs`; ready once
   * `readyPath` answers.
   */
  async startGateway(
    name: string,
    entry: string,
    port: number,
    subgraphs: Record<SubgraphName, string>,
    env: Record<string, string>,
    readyPath = '/ready',
  ): Promise<Service> {
    const gatewayEnv: Record<string, string> = { ...env, GATEWAY_PORT: String(port) };
    for (const n of SUBGRAPH_NAMES) gatewayEnv[`${SUBGRAPH_ENV_PREFIX[n]}_URL`] = subgraphs[n];
    const service = await this.start(name, entry, gatewayEnv);
    this.gateways.add(service);
    await waitReady(service, `http://127.0.0.1:${port}${readyPath}`);
    return service;
  }

  pids(): Record<string, number> {
    return Object.fromEntries(this.services.map((s) => [s.name, s.pid]));
  }

  /** The gateways first (no new requests reach the rest), then the others. */
  async stop(): Promise<void> {
    await Promise.all([...this.gateways].map((s) => s.stop()));
    await Promise.all(this.services.filter((s) => !this.gateways.has(s)).map((s) => s.stop()));
  }
}
