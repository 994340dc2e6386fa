/**
 * The processes of one data size: the hub's subgraphs and gateway, Hive Gateway in the hub
 * gateway's place, and the raw-read endpoint, on free ports of their own.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { freePort } from '../../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { HUB_ENTRY_POINTS, ServiceGroup, waitReady } from '../hub-processes.js';
import { REQUEST_TIMEOUT_SECONDS } from './requests.js';
import type { Target } from './results.js';

export const BENCH_DIR = path.join(PROJECT_ROOT, '.cache/bench');

export interface Endpoints {
  /** Where each target takes its POSTs. */
  targets: Record<Target, string>;
  subgraphs: Record<SubgraphName, string>;
  raw: string;
}

export interface Running {
  group: ServiceGroup;
  pids: Record<string, number>;
  endpoints: Endpoints;
}

/** Starts the size's processes on the FerretDB at `ferretUri`, each ready; stops them all if one fails. */
export async function startServices(
  size: number,
  ferretUri: string,
  dataDir: string,
  log: (m: string) => void,
): Promise<Running> {
  const logDir = path.join(BENCH_DIR, 'logs', `size-${size}`);
  await fs.rm(logDir, { recursive: true, force: true });
  const [gatewayPort, hivePort, rawPort] = await Promise.all([freePort(), freePort(), freePort()]);
  // the services' configuration, and nothing from the caller's shell: a MONGODB_URI or an
  // OTEL_EXPORTER_OTLP_ENDPOINT set there would change what is measured
  const group = new ServiceGroup(logDir, { DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'info' });
  let subgraphs: Record<SubgraphName, string>;
  try {
    log(`  starting the subgraphs (logs in ${path.relative(PROJECT_ROOT, logDir)}/)…`);
    subgraphs = await group.startSubgraphs(ferretUri);
    const gatewayEnv = { SUBGRAPH_TIMEOUT_MS: String(REQUEST_TIMEOUT_SECONDS * 1000), EXPLORER: 'disabled' };
    log('  starting the hub gateway, Hive Gateway and the raw-read endpoint…');
    await Promise.all([
      group.startGateway('gateway', HUB_ENTRY_POINTS.gateway, gatewayPort, subgraphs, gatewayEnv),
      group.startGateway('hive', 'scripts/bench/hive-gateway.ts', hivePort, subgraphs, gatewayEnv, '/readiness'),
      startRawEndpoint(group, rawPort, ferretUri),
    ]);
  } catch (e) {
    await group.stop();
    throw e;
  }
  return {
    group,
    pids: group.pids(),
    endpoints: {
      targets: {
        hub: `http://127.0.0.1:${gatewayPort}/graphql`,
        hive: `http://127.0.0.1:${hivePort}/graphql`,
        raw: `http://127.0.0.1:${rawPort}/read`,
      },
      subgraphs,
      raw: `http://127.0.0.1:${rawPort}/`,
    },
  };
}

async function startRawEndpoint(group: ServiceGroup, port: number, ferretUri: string): Promise<void> {
  const raw = await group.start('raw', 'scripts/bench/raw-server.ts', {}, [
    '--port',
    String(port),
    '--mongodb-uri',
    ferretUri,
  ]);
  await waitReady(raw, `http://127.0.0.1:${port}/ready`);
}

/** The processes whose CPU time a target's load spends. */
export function processesOf(target: Target, pids: Record<string, number>, ferretPid: number): Record<string, number> {
  const own: Record<string, number> =
    target === 'raw'
      ? { raw: pids.raw! }
      : {
          [target === 'hub' ? 'gateway' : 'hive']: pids[target === 'hub' ? 'gateway' : 'hive']!,
          ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, pids[n]!])),
        };
  return { ...own, ferretdb: ferretPid };
}
