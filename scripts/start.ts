/**
 * `npm start`: the whole hub on one machine. Starts the embedded FerretDB (unless MONGODB_URI
 * points elsewhere), seeds demo data into empty databases, runs the three subgraphs and the
 * gateway as their own processes, and prints the gateway address and development tokens.
 * A supervisor (`scripts/supervisor.ts`) restarts any of these processes that dies, after a
 * backoff. Ctrl-C (or SIGTERM) stops everything: the gateway, the subgraphs, the database.
 * SIGHUP is passed on to the gateway and the subgraphs, which reload their TLS certificates
 * without a restart (certificate rotation; common/server/tls.ts).
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEVELOPMENT_ROLES } from '../common/auth/development-roles.js';
import { createTokenSigner } from '../common/auth/tokens.js';
import { loadGatewayConfig } from '../common/config/gateway.js';
import { loadHubConfig, type FerretDbConfig } from '../common/config/hub.js';
import { ConfigError } from '../common/config/parse.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, type SubgraphName } from '../common/config/services.js';
import { redactUri } from '../common/db/connection.js';
import { connectionsOf, needsEmbeddedDatabase, openHubDatabases } from '../common/db/hub-databases.js';
import { isPortInUse, startFerretDb } from '../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../common/project-root.js';
import { createLogger } from '../common/logger.js';
import { ServiceTls, type ServiceFetch } from '../common/server/tls.js';
import { USUAL_SEED_TIME, isDatabaseEmpty, seedDemoData, seedSummaryLines } from './seed/index.js';
import {
  Supervisor,
  describeExit,
  trackChild,
  type ExitStatus,
  type ServiceProcess,
  type ServiceSpec,
} from './supervisor.js';
import { HUB_ENTRY_POINTS as ENTRY_POINTS } from './hub-processes.js';
import { SERVICE_LOADER } from './service-loader.js';
import { demoToday } from './seed/dates.js';

const log = (message: string) => process.stdout.write(`${message}\n`);
const warn = (message: string) => process.stderr.write(`${message}\n`);
/** The supervisor's lines come while the hub runs, among the services' own log lines: they carry the time. */
const stamped = (write: (line: string) => void) => (line: string) => write(`${new Date().toISOString()} ${line}`);

const DATABASE = 'FerretDB';
/** The gateway first (no new requests reach the subgraphs), then the subgraphs together, the database last. */
const STOP_ORDER = [['gateway'], SUBGRAPH_NAMES, [DATABASE]];

/** How long a service may take to answer after it was spawned. */
const START_TIMEOUT_MS = 120_000;

/** Waits until `url` answers 2xx; fails when the process ends first, the start is aborted or it takes too long. */
async function waitAnswering(
  url: URL,
  service: ServiceProcess,
  name: string,
  signal: AbortSignal,
  fetch: ServiceFetch,
): Promise<void> {
  const ended: { status?: ExitStatus } = {};
  void service.exited.then((status) => (ended.status = status));
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (ended.status) throw new Error(`${name} ${describeExit(ended.status)} during start-up`);
    if (signal.aborted) throw new Error(`${name}: start cancelled, the hub is stopping`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer at ${url} after ${START_TIMEOUT_MS / 1000} s`);
    const ok = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(1000)]) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
}

/**
 * A subgraph or the gateway, run as `node --import tsx/esm <main.ts>`; `fetch` asks whether it
 * answers (with the gateway's client certificate when the services speak mutual TLS).
 */
function nodeService(
  name: SubgraphName | 'gateway',
  graphqlUrl: string,
  env: NodeJS.ProcessEnv,
  fetch: ServiceFetch,
): ServiceSpec {
  return {
    name,
    async start({ signal, restart }) {
      const child = spawn(process.execPath, [...SERVICE_LOADER, ENTRY_POINTS[name]], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
        // a session of its own: a Ctrl-C in the terminal reaches only this process, which stops the services in order
        detached: true,
      });
      const service = trackChild(child);
      try {
        // The first start waits until the service is ready, so that the hub comes up whole; a restart
        // only until it answers, since what it depends on (a subgraph, the database) may be what is down.
        await waitAnswering(new URL(restart ? '/health' : '/ready', graphqlUrl), service, name, signal, fetch);
        return service;
      } catch (e) {
        await service.stop();
        throw e;
      }
    },
  };
}

/** The embedded FerretDB; the subgraphs reconnect by themselves once it is back on its port. */
function embeddedDatabase(options: FerretDbConfig): ServiceSpec {
  return {
    name: DATABASE,
    async start() {
      const ferret = await startFerretDb({ ...options, log, detached: true });
      return { pid: ferret.process.pid!, exited: ferret.exited, stop: () => ferret.stop() };
    },
  };
}

async function main(): Promise<void> {
  const config = loadHubConfig();
  const gatewayConfig = loadGatewayConfig();
  const supervisor = new Supervisor({ info: stamped(log), warn: stamped(warn) });
  // start-up checks reach the services as the gateway does: its client certificate, its CAs
  const tls = await ServiceTls.load(gatewayConfig.tls, createLogger('hub', 'silent')).catch((e: Error) => {
    warn(e.message);
    process.exit(1);
  });

  const stopHub = async (code: number) => {
    await supervisor.stopAll(STOP_ORDER);
    process.exit(code);
  };
  // SIGHUP: every Node service reloads its TLS certificate, key and CAs (rotation), none restarts
  process.on('SIGHUP', () => {
    if (supervisor.isStopping) return;
    const services = Object.entries(supervisor.running()).filter(([name]) => name !== DATABASE);
    log(`SIGHUP: ${services.map(([name]) => name).join(', ')} reload their TLS certificates.`);
    for (const [, pid] of services) {
      try {
        process.kill(pid, 'SIGHUP');
      } catch {
        // it has just died; the supervisor restarts it with the files as they are now
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // `on`, not `once`: a second signal must neither start a second stop nor end this process
    // while the services stop (they would outlive it)
    process.on(signal, () => {
      if (supervisor.isStopping) {
        const left = Object.entries(supervisor.running()).map(([name, pid]) => `${name} (pid ${pid})`);
        warn(`${signal}: already stopping${left.length ? `; waiting for ${left.join(', ')}` : ''}.`);
        return;
      }
      log(`\n${signal}: stopping the gateway, then the subgraphs, then the database…`);
      void stopHub(0);
    });
  }
  // however else this process ends (an uncaught error), its services do not outlive it
  process.on('exit', () => supervisor.killAll());

  try {
    // fail before starting anything when a port is taken (another hub, most likely)
    const ports: [string, string][] = [
      ['GATEWAY_PORT', String(gatewayConfig.port)],
      ...SUBGRAPH_NAMES.map((n): [string, string] => [
        `${SUBGRAPH_ENV_PREFIX[n]}_PORT`,
        new URL(gatewayConfig.subgraphs[n]).port,
      ]),
    ];
    for (const [variable, port] of ports) {
      if (port && (await isPortInUse(Number(port)))) {
        throw new Error(`Port ${port} is already in use (is another hub running?); set ${variable} to a free port.`);
      }
    }
    const embedded = needsEmbeddedDatabase(config);
    if (embedded) {
      log(`Starting the embedded database (FerretDB, data in ${config.ferretdb.dataDir})…`);
      await supervisor.start(embeddedDatabase(config.ferretdb));
    }
    const embeddedUri = embedded ? `mongodb://127.0.0.1:${config.ferretdb.port}/` : undefined;
    const hub = await openHubDatabases(config, { useRunning: false, log, embeddedUri });
    const { uris } = hub;
    try {
      const connections = connectionsOf(hub);
      if (await isDatabaseEmpty(connections)) {
        log(
          `Empty databases: loading ${config.seedCount.toLocaleString('en')} fictional foreigners of OKU Raya ` +
            `(first start only; ${USUAL_SEED_TIME})…`,
        );
        const seeding = performance.now();
        const summary = await seedDemoData({ connections, count: config.seedCount, referenceDate: demoToday(), log });
        for (const line of seedSummaryLines(summary, (performance.now() - seeding) / 1000)) log(line);
      }
    } finally {
      await hub.close();
    }

    await Promise.all(
      SUBGRAPH_NAMES.map((name) =>
        supervisor.start(
          nodeService(
            name,
            gatewayConfig.subgraphs[name],
            { [`${SUBGRAPH_ENV_PREFIX[name]}_MONGODB_URI`]: uris[name] },
            tls.fetch,
          ),
        ),
      ),
    );
    const scheme = gatewayConfig.tls.identity ? 'https' : 'http';
    const gatewayUrl = `${scheme}://${gatewayConfig.host === '0.0.0.0' ? '127.0.0.1' : gatewayConfig.host}:${gatewayConfig.port}/graphql`;
    await supervisor.start(nodeService('gateway', gatewayUrl, {}, tls.fetch));

    log('');
    log(`TIMPORA Hub is running. Gateway: ${gatewayUrl}`);
    if (gatewayConfig.explorer.enabled) log(`Explorer: ${new URL('/explorer', gatewayUrl).href}`);
    log(
      `Database: ${embedded ? `embedded FerretDB on 127.0.0.1:${config.ferretdb.port}` : SUBGRAPH_NAMES.map((n) => redactUri(uris[n]!)).join(', ')}`,
    );
    const sign = await createTokenSigner(config.auth).catch((e: Error) => {
      log(`No development tokens: ${e.message} (tokens come from your identity provider).`);
      return null;
    });
    if (sign) {
      log('Development tokens (8 hours; `npm run token -- --help` makes others):');
      // one per typical role of OKU Raya (the explorer's role picker offers the same)
      for (const { label, ...request } of DEVELOPMENT_ROLES) {
        log(`\n  ${label} — ${request.agencyType}, ${request.agency}, jurisdiction ${request.jurisdiction.join(',')}`);
        log(`  ${await sign(request)}`);
      }
    }
    log('\nTry:');
    log(
      `  curl -s ${gatewayUrl} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" ` +
        `-H 'x-purpose: demo' -d '{"query":"{ foreigners(first: 3, filter: {regionCode: \\"16.01\\"}) { totalCount nodes { fullName nationality currentPermit { type expiresAt } selfReports { number } residence { region { name } } } } }"}'`,
    );
    log('\nA service that dies is restarted by itself. Stop with Ctrl-C.');
  } catch (e) {
    // a stop under way makes the starts fail: that is no error of its own
    if (!supervisor.isStopping) warn(`\n${e instanceof ConfigError ? e.message : (e as Error).message}`);
    await stopHub(1);
  }
}

await main();
