/**
 * `npm start`: the whole hub on one machine. Starts the embedded FerretDB (unless MONGODB_URI
 * points elsewhere), seeds demo data into empty databases, runs the three subgraphs and the
 * gateway as their own processes, and prints the gateway address and development tokens.
 * Ctrl-C (or SIGTERM) stops everything, the database last.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DEVELOPMENT_ROLES } from '../common/auth/development-roles.js';
import { createTokenSigner } from '../common/auth/tokens.js';
import {
  ConfigError,
  SUBGRAPH_ENV_PREFIX,
  SUBGRAPH_NAMES,
  loadGatewayConfig,
  loadHubConfig,
  type SubgraphName,
} from '../common/config.js';
import { startOfTodayUtc } from '../common/dates.js';
import { redactUri } from '../common/db/connection.js';
import { connectionsOf, openHubDatabases } from '../common/db/hub-databases.js';
import { PROJECT_ROOT, isPortInUse, type FerretDbInstance } from '../common/db/ferretdb.js';
import { isDatabaseEmpty, seedDemoData } from './seed/index.js';

const log = (message: string) => process.stdout.write(`${message}\n`);

const ENTRY_POINTS: Record<SubgraphName | 'gateway', string> = {
  immigration: 'subgraphs/immigration/src/main.ts',
  police: 'subgraphs/police/src/main.ts',
  'local-government': 'subgraphs/local-government/src/main.ts',
  gateway: 'gateway/src/main.ts',
};

async function waitReady(url: string, child: ChildProcess, name: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const readyUrl = new URL('/ready', url);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} during start-up`);
    const ok = await fetch(readyUrl, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} was not ready at ${readyUrl} after ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  const config = loadHubConfig();
  const gatewayConfig = loadGatewayConfig();
  const children: { name: string; process: ChildProcess }[] = [];
  let ferret: FerretDbInstance | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const stopChild = async (child: ChildProcess) => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    };
    // the gateway first (no new requests reach the subgraphs), then the subgraphs together
    const gatewayChild = children.find((c) => c.name === 'gateway');
    if (gatewayChild) await stopChild(gatewayChild.process);
    await Promise.all(children.filter((c) => c !== gatewayChild).map((c) => stopChild(c.process)));
    await ferret?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

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
    const hub = await openHubDatabases(config, { useRunning: false, log });
    ferret = hub.ferret ?? undefined;
    const { uris } = hub;
    try {
      const connections = connectionsOf(hub);
      if (await isDatabaseEmpty(connections)) {
        log(`Empty databases: loading ${config.seedCount.toLocaleString('en')} fictional foreigners of OKU Raya…`);
        await seedDemoData({ connections, count: config.seedCount, referenceDate: startOfTodayUtc(), log });
      }
    } finally {
      await hub.close();
    }

    const spawnService = (name: SubgraphName | 'gateway', env: NodeJS.ProcessEnv) => {
      const child = spawn(process.execPath, ['--import', 'tsx', ENTRY_POINTS[name]], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.once('exit', (code) => {
        if (!stopping) {
          process.stderr.write(`${name} stopped unexpectedly (exit code ${code}); stopping the hub.\n`);
          void stopAll(1);
        }
      });
      children.push({ name, process: child });
      return child;
    };

    await Promise.all(
      SUBGRAPH_NAMES.map(async (name) => {
        const child = spawnService(name, { [`${SUBGRAPH_ENV_PREFIX[name]}_MONGODB_URI`]: uris[name] });
        await waitReady(gatewayConfig.subgraphs[name], child, name);
      }),
    );
    const gateway = spawnService('gateway', {});
    const gatewayUrl = `http://${gatewayConfig.host === '0.0.0.0' ? '127.0.0.1' : gatewayConfig.host}:${gatewayConfig.port}/graphql`;
    await waitReady(gatewayUrl, gateway, 'gateway');

    log('');
    log(`TIMPORA Hub is running. Gateway: ${gatewayUrl}`);
    if (gatewayConfig.explorer.enabled) log(`Explorer: ${new URL('/explorer', gatewayUrl).href}`);
    log(
      `Database: ${ferret ? `embedded FerretDB on 127.0.0.1:${ferret.port}` : SUBGRAPH_NAMES.map((n) => redactUri(uris[n]!)).join(', ')}`,
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
    log('\nStop with Ctrl-C.');
  } catch (e) {
    process.stderr.write(`\n${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
    await stopAll(1);
  }
}

await main();
