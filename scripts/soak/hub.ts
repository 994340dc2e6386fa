/**
 * The soak's hub: started by the launcher the benchmark uses (`../hub-processes.ts`), on free
 * ports and a temporary DATA_DIR of its own, its embedded FerretDB seeded with demo data.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HubConfig } from '../../common/config/hub.js';
import { freePort } from '../../common/db/ferretdb.js';
import { HUB_ENTRY_POINTS, ServiceGroup, startSeededDatabase } from '../hub-processes.js';
import type { ServiceName } from './memory.js';

export interface SoakHub {
  dataDir: string;
  config: HubConfig;
  /** The GraphQL URL of the gateway and of each subgraph. */
  urls: Record<ServiceName, string>;
  mongoUri: string;
  stop(): Promise<void>;
}

export async function startHub(seedCount: number, log: (message: string) => void): Promise<SoakHub> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'timpora-soak-'));
  const logDir = path.join(dataDir, 'logs');
  log(`Starting a hub in ${dataDir} (${seedCount} WNA; logs in ${logDir}/)…`);
  const database = await startSeededDatabase(dataDir, { count: seedCount }, log);
  await database.hub.close();
  const group = new ServiceGroup(logDir, { DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'warn' });
  const stop = async () => {
    await group.stop();
    await database.stop();
  };
  try {
    const subgraphs = await group.startSubgraphs(database.ferret.uri);
    const gatewayPort = await freePort();
    await group.startGateway('gateway', HUB_ENTRY_POINTS.gateway, gatewayPort, subgraphs, { EXPLORER: 'disabled' });
    return {
      dataDir,
      config: database.config,
      urls: { gateway: `http://127.0.0.1:${gatewayPort}/graphql`, ...subgraphs },
      mongoUri: database.ferret.uri,
      stop,
    };
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}; see the logs in ${logDir} (kept)`);
  }
}
