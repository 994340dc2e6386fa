/** Entry point: runs the police subgraph as its own process. */
import { loadSubgraphConfig } from '../../../common/config.js';
import { runService } from '../../../common/server/main.js';
import { startSubgraph } from '../../../common/server/subgraph-server.js';
import { policeSubgraph } from './index.js';

await runService('police', () => startSubgraph(policeSubgraph, loadSubgraphConfig('police')));
