/**
 * The whole hub inside a test: the three agency subgraphs on databases of their own and the
 * gateway serving the committed supergraph, all on free ports, as a user reaches them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Agent, type Dispatcher } from 'undici';
import type { SubgraphName } from '../../common/config/services.js';
import type { LogDestination } from '../../common/logger.js';
import type { RunningService } from '../../common/server/http-service.js';
import { startGateway } from '../../gateway/src/server.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { localGovernmentSubgraph } from '../../subgraphs/local-government/src/index.js';
import { policeSubgraph } from '../../subgraphs/police/src/index.js';
import { testGatewayConfig } from './env.js';
import { startTestSubgraph, type TestSubgraph } from './subgraph.js';

export interface TestHub {
  gatewayUrl: string;
  /** How a client reaches the gateway: undici's agent trusting the test CA when the hub runs with `tlsDir`. */
  dispatcher?: Dispatcher;
  gateway: RunningService;
  subgraphs: Record<SubgraphName, TestSubgraph>;
  stop(): Promise<void>;
}

export interface TestHubOptions {
  /** Gateway environment variables over the test defaults, e.g. `{ EXPLORER: 'enabled' }`. */
  gatewayEnv?: Record<string, string>;
  /** Environment variables of every subgraph over the test defaults, e.g. `{ LOG_LEVEL: 'info' }`. */
  subgraphEnv?: Record<string, string>;
  /** Where every service's log lines go (tests are silent unless an env sets LOG_LEVEL). */
  logDestination?: LogDestination;
  /**
   * A directory made by `npm run certs` (ca.crt, and `<service>.crt`/`.key` for gateway,
   * immigration, police and local-government): every service listens with HTTPS, the subgraphs
   * require client certificates from that CA, and the gateway presents its own to them.
   */
  tlsDir?: string;
}

/** The TLS variables of one service whose certificate `npm run certs` wrote to `dir`. */
export function tlsEnv(dir: string | undefined, service: string): Record<string, string> {
  if (!dir) return {};
  return {
    TLS_CERT_FILE: path.join(dir, `${service}.crt`),
    TLS_KEY_FILE: path.join(dir, `${service}.key`),
    TLS_CA_FILE: path.join(dir, 'ca.crt'),
  };
}

export async function startTestHub(label: string, options: TestHubOptions = {}): Promise<TestHub> {
  const subgraphOptions = (name: SubgraphName) => ({
    env: { ...options.subgraphEnv, ...tlsEnv(options.tlsDir, name) },
    logDestination: options.logDestination,
  });
  const [immigration, police, localGovernment] = await Promise.all([
    startTestSubgraph(immigrationSubgraph, label, subgraphOptions('immigration')),
    startTestSubgraph(policeSubgraph, label, subgraphOptions('police')),
    startTestSubgraph(localGovernmentSubgraph, label, subgraphOptions('local-government')),
  ]);
  const subgraphs = { immigration, police, 'local-government': localGovernment };
  const gateway = await startGateway(
    testGatewayConfig(
      { immigration: immigration.url, police: police.url, 'local-government': localGovernment.url },
      { ...tlsEnv(options.tlsDir, 'gateway'), ...options.gatewayEnv },
    ),
    { logDestination: options.logDestination },
  );
  const dispatcher = options.tlsDir
    ? new Agent({ connect: { ca: fs.readFileSync(path.join(options.tlsDir, 'ca.crt'), 'utf8') } })
    : undefined;
  return {
    gatewayUrl: gateway.url,
    dispatcher,
    gateway,
    subgraphs,
    async stop() {
      await gateway.stop();
      await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
      await dispatcher?.close();
    },
  };
}

/** Resets every subgraph's database-command counter and returns a reader of the counts since. */
export function countCommands(hub: TestHub): () => Record<SubgraphName, number> {
  for (const s of Object.values(hub.subgraphs)) s.db.commands.reset();
  return () =>
    Object.fromEntries(Object.entries(hub.subgraphs).map(([name, s]) => [name, s.db.commands.count])) as Record<
      SubgraphName,
      number
    >;
}
