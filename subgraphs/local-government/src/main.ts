/**
 * Entry point: runs the local-government subgraph as its own process (common/server/main.ts). Its module
 * is imported only after tracing has started (when configured), so OpenTelemetry can patch
 * `node:http` and the MongoDB driver as they load.
 */
import { runSubgraph } from '../../../common/server/main.js';

await runSubgraph('local-government', async () => (await import('./index.js')).localGovernmentSubgraph);
