/**
 * Starts one real subgraph on a free port over its own database in the test run's FerretDB.
 */
import type { SubgraphName } from '../../common/config.js';
import {
  startSubgraph,
  type RequestInfo,
  type RunningSubgraph,
  type SubgraphModule,
} from '../../common/server/subgraph-server.js';
import { testSubgraphConfig, uniqueDbName } from './env.js';

export interface TestSubgraph extends RunningSubgraph {
  dbName: string;
}

export async function startTestSubgraph<C extends RequestInfo>(
  module: SubgraphModule<C>,
  label: string,
): Promise<TestSubgraph> {
  const dbName = uniqueDbName(`${label}_${module.name as SubgraphName}`);
  const running = await startSubgraph(module, testSubgraphConfig(module.name, dbName));
  return {
    ...running,
    dbName,
    stop: async () => {
      await running.db.connection.dropDatabase().catch(() => {});
      await running.stop();
    },
  };
}
