/**
 * Entry point: runs the police subgraph as its own process. The server is imported only
 * after `runService` has started tracing (when configured), so OpenTelemetry can patch
 * `node:http` and the MongoDB driver as they load.
 */
import { loadSubgraphConfig } from '../../../common/config.js';
import { runService } from '../../../common/server/main.js';

await runService(
  'police',
  () => loadSubgraphConfig('police'),
  async (config) => {
    const [{ startSubgraph }, { policeSubgraph }] = await Promise.all([
      import('../../../common/server/subgraph-server.js'),
      import('./index.js'),
    ]);
    return startSubgraph(policeSubgraph, config);
  },
);
