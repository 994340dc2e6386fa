/**
 * Entry point: runs the local-government subgraph as its own process. The server is imported only
 * after `runService` has started tracing (when configured), so OpenTelemetry can patch
 * `node:http` and the MongoDB driver as they load.
 */
import { loadSubgraphConfig } from '../../../common/config.js';
import { runService } from '../../../common/server/main.js';

await runService(
  'local-government',
  () => loadSubgraphConfig('local-government'),
  async (config) => {
    const [{ startSubgraph }, { localGovernmentSubgraph }] = await Promise.all([
      import('../../../common/server/subgraph-server.js'),
      import('./index.js'),
    ]);
    return startSubgraph(localGovernmentSubgraph, config);
  },
);
