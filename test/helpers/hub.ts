/**
 * The whole hub inside a test: the three agency subgraphs on databases of their own and the
 * gateway serving the committed supergraph, all on free ports, as a user reaches them.
 */
import type { SubgraphName } from '../../common/config.js';
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
}

export async function startTestHub(label: string, options: TestHubOptions = {}): Promise<TestHub> {
  const subgraphOptions = { env: options.subgraphEnv, logDestination: options.logDestination };
  const [immigration, police, localGovernment] = await Promise.all([
    startTestSubgraph(immigrationSubgraph, label, subgraphOptions),
    startTestSubgraph(policeSubgraph, label, subgraphOptions),
    startTestSubgraph(localGovernmentSubgraph, label, subgraphOptions),
  ]);
  const subgraphs = { immigration, police, 'local-government': localGovernment };
  const gateway = await startGateway(
    testGatewayConfig(
      { immigration: immigration.url, police: police.url, 'local-government': localGovernment.url },
      options.gatewayEnv,
    ),
    { logDestination: options.logDestination },
  );
  return {
    gatewayUrl: gateway.url,
    gateway,
    subgraphs,
    async stop() {
      await gateway.stop();
      await Promise.all(Object.values(subgraphs).map((s) => s.stop()));
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
