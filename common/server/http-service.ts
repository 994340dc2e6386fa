/**
 * The HTTP shell every hub service shares: an express app with the GraphQL endpoint,
 * `/health` (alive), `/ready` (its dependencies, by name) and `/metrics` (Prometheus) on
 * the same port — a configured one, or 0 for a free one in tests — and a stop that
 * drains in-flight requests before closing. With a TLS certificate configured it listens with
 * HTTPS (mutual TLS when client certificates are required; common/server/tls.ts), and
 * `reloadTls()` swaps in a rotated certificate without closing a connection.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import { checkReadiness, type ReadinessCheck } from './readiness.js';
import type { Language } from '../i18n/language.js';
import { requestErrorHandler } from './request-errors.js';
import type { ServiceTls, TlsReload } from './tls.js';

/** A started service: where it listens and how to stop it. */
export interface RunningService {
  url: string;
  port: number;
  /** Reads the TLS certificate, key and CA files again and swaps them in (SIGHUP); the old ones stay on a bad file. */
  reloadTls(): Promise<TlsReload>;
  stop(): Promise<void>;
}

export interface HttpServiceOptions {
  host: string;
  port: number;
  /** What `/ready` checks, by name: the database of a subgraph, every subgraph of the gateway. */
  readiness: Record<string, ReadinessCheck>;
  /** The language of messages to a request whose `Accept-Language` names neither `id` nor `en`. */
  defaultLanguage: Language;
  /** How long `/ready` waits for each dependency. */
  readyTimeoutMs: number;
  /** `GET /metrics`, when metrics are enabled. */
  metrics?: RequestHandler;
  /** The service's TLS: HTTPS when it has a certificate; closed (outbound connections) after `onStop`. */
  tls: ServiceTls;
  mount: (app: Express, httpServer: http.Server) => Promise<void>;
  /** Drains in-flight requests (Apollo's drain plugin closes the server itself). */
  drain?: () => Promise<void>;
  /** Releases what the service holds once no request is in flight (database connections). */
  onStop?: () => Promise<void>;
}

export async function startHttpService(options: HttpServiceOptions): Promise<RunningService> {
  const app = express();
  app.disable('x-powered-by');
  const { tls } = options;
  const httpServer = tls.enabled ? https.createServer(tls.serverOptions(), app) : http.createServer(app);
  if (httpServer instanceof https.Server) tls.attach(httpServer);
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  let stopping: Promise<void> | undefined;
  app.get('/ready', async (_req, res) => {
    const report = stopping
      ? { status: 'stopping' as const, down: [], checks: {} }
      : await checkReadiness(options.readiness, options.readyTimeoutMs);
    res
      .status(report.status === 'ready' ? 200 : 503)
      .set('cache-control', 'no-store')
      .json(report);
  });
  if (options.metrics) app.get('/metrics', options.metrics);
  await options.mount(app, httpServer);
  // a body too large or not JSON: a JSON error with its status, never express's page with a stack trace
  app.use(requestErrorHandler(options.defaultLanguage));
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    port,
    url: `${tls.enabled ? 'https' : 'http'}://${options.host}:${port}/graphql`,
    reloadTls: () => tls.reload(),
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
        await tls.close();
      })();
      return stopping;
    },
  };
}
