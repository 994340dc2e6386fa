/** Entry point: runs the immigration subgraph as its own process. */
import { loadSubgraphConfig } from '../../../common/config.js';
import { runService } from '../../../common/server/main.js';
import { startSubgraph } from '../../../common/server/subgraph-server.js';
import { immigrationSubgraph } from './index.js';

await runService('immigration', () => startSubgraph(immigrationSubgraph, loadSubgraphConfig('immigration')));
