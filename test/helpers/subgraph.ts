/**
 * Starts one real subgraph on a free port over its own database in the test run's FerretDB.
 */
import type { SubgraphName } from '../../common/config/services.js';
import type { LogDestination } from '../../common/logger.js';
import type { RequestInfo } from '../../common/server/request-context.js';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from '../../common/server/subgraph-server.js';
import { testSubgraphConfig, uniqueDbName } from './env.js';
import { graphql } from './graphql.js';

export interface TestSubgraph extends RunningSubgraph {
  dbName: string;
}

export interface TestSubgraphOptions {
  /** Environment variables over the test defaults, e.g. `{ POLICE_PORT: '4123' }`. */
  env?: Record<string, string>;
  /** Where its log lines go (with `env: { LOG_LEVEL: 'info' }`, since tests are silent by default). */
  logDestination?: LogDestination;
}

export async function startTestSubgraph<C extends RequestInfo>(
  module: SubgraphModule<C>,
  label: string,
  options: TestSubgraphOptions = {},
): Promise<TestSubgraph> {
  const dbName = uniqueDbName(`${label}_${module.name as SubgraphName}`);
  const running = await startSubgraph(module, testSubgraphConfig(module.name, dbName, options.env), {
    logDestination: options.logDestination,
  });
  return {
    ...running,
    dbName,
    stop: async () => {
      await running.db.connection.dropDatabase().catch(() => {});
      await running.stop();
    },
  };
}

/** Sends `query` to a test subgraph as `token`, signed as the gateway when `asGateway` (`_entities`). */
export function askSubgraph(
  subgraph: TestSubgraph,
  query: string,
  token: string,
  variables: Record<string, unknown> = {},
  asGateway?: SubgraphName,
) {
  return graphql(subgraph.url, query, { token, variables, asGateway });
}

/**
 * The `ask` of a suite that talks to one subgraph: sends `query` to `subgraph()` (read when asked,
 * so it may be started in `beforeAll`) as `token`, with `purpose` (the helper's default when
 * omitted), signed as the gateway when `asGateway` (`_entities`).
 */
export function subgraphAsker(subgraph: () => TestSubgraph, name: SubgraphName, purpose?: string) {
  return (query: string, token: string, variables: Record<string, unknown> = {}, asGateway = false) =>
    graphql(subgraph().url, query, { token, variables, purpose, asGateway: asGateway ? name : undefined });
}
