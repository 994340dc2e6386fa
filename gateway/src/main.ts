/**
 * Entry point: runs the gateway as its own process. The server is imported only after
 * `runService` has started tracing (when configured), so OpenTelemetry can patch
 * `node:http` as it loads.
 */
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { runService } from '../../common/server/main.js';

await runService('gateway', loadGatewayConfig, async (config) => {
  const { startGateway } = await import('./server.js');
  return startGateway(config);
});
