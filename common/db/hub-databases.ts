/**
 * Opens the three subgraph databases for a command that works on the hub's data (start,
 * seed, audit): the configured MongoDB, or else the embedded FerretDB — the one a running hub
 * already serves on DATA_DIR (found through its lock file), one the caller runs itself, or a new
 * instance for the duration of the command.
 */
import type { HubConfig } from '../config/hub.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../config/services.js';
import { connectDatabase, type Database } from './connection.js';
import { runningOn, startFerretDb, type FerretDbInstance } from './ferretdb.js';

export interface HubDatabases {
  databases: Record<SubgraphName, Database>;
  uris: Record<SubgraphName, string>;
  /** The FerretDB this command started, if it started one. */
  ferret: FerretDbInstance | null;
  /** Closes the connections (not the database a command started; see `ferret`). */
  close(): Promise<void>;
}

/** Whether some subgraph has no MongoDB URI configured, so that the embedded FerretDB serves it. */
export function needsEmbeddedDatabase(config: HubConfig): boolean {
  return SUBGRAPH_NAMES.some((name) => !config.mongoUris[name]);
}

export async function openHubDatabases(
  config: HubConfig,
  options: {
    useRunning: boolean;
    log: (message: string) => void;
    /** The URI of an embedded FerretDB the caller runs itself (`npm start` supervises its own). */
    embeddedUri?: string;
  },
): Promise<HubDatabases> {
  let ferret: FerretDbInstance | null = null;
  let embeddedUri: string | null = options.embeddedUri ?? null;
  if (!embeddedUri && needsEmbeddedDatabase(config)) {
    const running = options.useRunning ? await runningOn(config.ferretdb.dataDir) : null;
    if (running) {
      embeddedUri = `mongodb://127.0.0.1:${running.port}/`;
      options.log(`Using the embedded database already running on port ${running.port} (pid ${running.pid}).`);
    } else {
      options.log(`Starting the embedded database (FerretDB, data in ${config.ferretdb.dataDir})…`);
      ferret = await startFerretDb({ ...config.ferretdb, log: options.log });
      embeddedUri = ferret.uri;
    }
  }
  const uris = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, config.mongoUris[name] ?? embeddedUri!]),
  ) as Record<SubgraphName, string>;
  const opened: Partial<Record<SubgraphName, Database>> = {};
  const close = async () => {
    await Promise.allSettled(Object.values(opened).map((db) => db.close()));
  };
  try {
    for (const name of SUBGRAPH_NAMES) opened[name] = await connectDatabase(uris[name], config.dbNames[name]);
  } catch (e) {
    await close();
    await ferret?.stop();
    throw e;
  }
  return { databases: opened as Record<SubgraphName, Database>, uris, ferret, close };
}

/** The mongoose connections of the three databases, by subgraph. */
export function connectionsOf(hub: HubDatabases): Record<SubgraphName, Database['connection']> {
  return Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.databases[n].connection])) as Record<
    SubgraphName,
    Database['connection']
  >;
}
