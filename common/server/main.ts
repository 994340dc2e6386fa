/**
 * Runs one service as its own process: parse configuration (exit with every problem listed
 * when it is wrong), start tracing when configured, start, and on SIGTERM or SIGINT drain
 * in-flight requests, close the database, flush the traces and exit. SIGHUP reloads the TLS
 * certificate, key and CAs (certificate rotation, common/server/tls.ts).
 */
import type { CommonConfig } from '../config/common.js';
import { ConfigError } from '../config/parse.js';
import type { SubgraphName } from '../config/services.js';
import { loadSubgraphConfig } from '../config/subgraph.js';
import { startTracing, type Tracing } from '../observability/tracing.js';
import type { RunningService } from './http-service.js';
import type { RequestInfo } from './request-context.js';
import type { SubgraphModule } from './subgraph-server.js';

/** How long a stop may take (the drain allows in-flight requests 10 s) before the process gives up. */
const STOP_DEADLINE_MS = 30_000;

/**
 * `start` should import the service's modules itself (`await import(…)`), after this has
 * started tracing: OpenTelemetry patches `node:http` and the MongoDB driver when they load.
 */
export async function runService<C extends CommonConfig>(
  name: string,
  loadConfig: () => C,
  start: (config: C) => Promise<RunningService>,
): Promise<void> {
  let service: RunningService;
  let tracing: Tracing | null = null;
  try {
    const config = loadConfig();
    tracing = await startTracing(name, config.observability.tracing);
    service = await start(config);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${name}: ${e.message}\n`);
    } else {
      process.stderr.write(`${name} failed to start: ${(e as Error).message}\n`);
    }
    await tracing?.shutdown().catch(() => {});
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    // a Ctrl-C in a terminal reaches every process of its group, and a supervisor may send SIGTERM
    // too: the drain under way goes on (`npm start` runs each service in a session of its own)
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${name}: ${signal} received, draining requests…\n`);
    setTimeout(() => {
      process.stderr.write(`${name}: stop took longer than ${STOP_DEADLINE_MS / 1000} s; exiting\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    service
      .stop()
      .then(() => tracing?.shutdown())
      .then(
        () => {
          process.stderr.write(`${name}: stopped\n`);
          process.exit(0);
        },
        (e: Error) => {
          process.stderr.write(`${name}: stop failed: ${e.message}\n`);
          process.exit(1);
        },
      );
  };
  // SIGHUP: the TLS certificate, key and CAs are read again and swapped in, without a restart
  // (a bad file is logged by the service and the current certificate kept)
  process.on('SIGHUP', () => {
    if (stopping) return;
    process.stderr.write(`${name}: SIGHUP received, reloading the TLS certificate…\n`);
    void service.reloadTls();
  });
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/**
 * Runs a subgraph as its own process (each `subgraphs/<name>/src/main.ts` is this one call):
 * `subgraph` imports the subgraph's module, after tracing has started, like the server itself.
 */
export async function runSubgraph<C extends RequestInfo>(
  name: SubgraphName,
  subgraph: () => Promise<SubgraphModule<C>>,
): Promise<void> {
  await runService(
    name,
    () => loadSubgraphConfig(name),
    async (config) => {
      const [{ startSubgraph }, module] = await Promise.all([import('./subgraph-server.js'), subgraph()]);
      return startSubgraph(module, config);
    },
  );
}
