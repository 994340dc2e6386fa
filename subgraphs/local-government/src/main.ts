/** Entry point: runs the local-government subgraph as its own process. */
import { loadSubgraphConfig } from '../../../common/config.js';
import { runService } from '../../../common/server/main.js';
import { startSubgraph } from '../../../common/server/subgraph-server.js';
import { localGovernmentSubgraph } from './index.js';

await runService('local-government', () =>
  startSubgraph(localGovernmentSubgraph, loadSubgraphConfig('local-government')),
);
