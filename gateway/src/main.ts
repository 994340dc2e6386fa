/** Entry point: runs the gateway as its own process. */
import { loadGatewayConfig } from '../../common/config.js';
import { runService } from '../../common/server/main.js';
import { startGateway } from './server.js';

await runService('gateway', () => startGateway(loadGatewayConfig()));
