/**
 * The HTTP shell every hub service shares: an express app with the GraphQL endpoint,
 * `/health` and `/ready`, listening on a configured port (0 picks a free one in tests),
 * and a stop that drains in-flight requests before closing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';

/** A started service: where it listens and how to stop it. */
export interface RunningService {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface HttpServiceOptions {
  host: string;
  port: number;
  /** Answers whether the service can serve requests (its database, its subgraphs). */
  ready: () => Promise<boolean>;
  mount: (app: Express, httpServer: http.Server) => Promise<void>;
  /** Drains in-flight requests (Apollo's drain plugin closes the server itself). */
  drain?: () => Promise<void>;
  /** Releases what the service holds once no request is in flight (database connections). */
  onStop?: () => Promise<void>;
}

export async function startHttpService(options: HttpServiceOptions): Promise<RunningService> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    const ready = await options.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  await options.mount(app, httpServer);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://${options.host}:${port}/graphql`,
    stop() {
      stopping ??= (async () => {
        await options.drain?.();
        if (httpServer.listening) {
          await new Promise<void>((resolve) => {
            httpServer.close(() => resolve());
            httpServer.closeIdleConnections();
          });
        }
        await options.onStop?.();
      })();
      return stopping;
    },
  };
}
