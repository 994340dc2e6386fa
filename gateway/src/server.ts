/**
 * The gateway: `@apollo/gateway` serving the committed supergraph on `@apollo/server`.
 * It verifies the caller's token before planning anything (401 otherwise) and forwards
 * `Authorization`, `X-Purpose` and the request id to every subgraph, which verify again.
 */
import fs from 'node:fs/promises';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createTokenVerifier, type Caller, type TokenVerifier } from '../../common/auth/tokens.js';
import type { GatewayConfig } from '../../common/config.js';
import { createFormatError } from '../../common/errors.js';
import { createLogger, type Logger } from '../../common/logger.js';
import { startHttpService, type RunningService } from '../../common/server/http-service.js';
import {
  OPERATION_NAME_HEADER,
  PURPOSE_HEADER,
  REQUEST_ID_HEADER,
  purposeOf,
  requestIdOf,
} from '../../common/server/subgraph-server.js';
import { SUPERGRAPH_FILE } from '../../schema/subgraphs.js';
import { partnerDocuments } from '../../common/auth/trusted-documents.js';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { operationLogPlugin, partnerOperationsPlugin } from './plugins.js';

export interface GatewayContext {
  caller: Caller;
  authorization: string;
  purpose: string | null;
  requestId: string;
  log: Logger;
}

/** Subgraph fetches: the caller's headers forwarded, bounded by the configured timeout. */
class AgencySubgraph extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { request, context } = options;
    const headers = request.http?.headers;
    if (!headers || !('caller' in context)) return;
    headers.set('authorization', context.authorization);
    headers.set(REQUEST_ID_HEADER, context.requestId);
    if (context.purpose) headers.set(PURPOSE_HEADER, context.purpose);
    // the client's operation name, for the access log (the planner renames subgraph operations)
    const operationName = 'incomingRequestContext' in options ? options.incomingRequestContext.operationName : null;
    if (operationName) headers.set(OPERATION_NAME_HEADER, operationName);
  }
}

type DataSourceFetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

export interface GatewayOptions {
  supergraphSdl?: string;
  verifyToken?: TokenVerifier;
}

export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningService> {
  const log = createLogger('gateway', config.logLevel);
  const verifyToken = options.verifyToken ?? (await createTokenVerifier(config.auth));
  const supergraphSdl = options.supergraphSdl ?? (await fs.readFile(SUPERGRAPH_FILE, 'utf8'));
  const timeoutMs = config.subgraphTimeoutMs;
  // Node's fetch (undici) keeps connections alive; each subgraph call is bounded by the timeout.
  const fetcher = ((url: string, init: RequestInit) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as unknown as DataSourceFetcher;

  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = config.subgraphs[name as keyof typeof config.subgraphs];
      return new AgencySubgraph({ url: configured ?? url, fetcher });
    },
    logger: {
      debug: (m) => log.debug(m),
      info: (m) => log.info(m),
      warn: (m) => log.warn(m),
      error: (m) => log.error(m),
    },
  });

  // trusted documents can be sent by hash alone (`extensions.persistedQuery.sha256Hash`)
  const trustedDocumentCache = new InMemoryLRUCache<string>();
  for (const d of partnerDocuments()) await trustedDocumentCache.set(`apq:${d.hash}`, d.text);

  let apollo: ApolloServer<GatewayContext> | undefined;
  const service = await startHttpService({
    host: config.host,
    port: config.port,
    ready: async () => {
      const checks = await Promise.all(
        Object.values(config.subgraphs).map((url) =>
          fetch(new URL('/ready', url), { signal: AbortSignal.timeout(2000) }).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      return checks.every(Boolean);
    },
    mount: async (app, httpServer) => {
      apollo = new ApolloServer<GatewayContext>({
        gateway,
        introspection: true,
        includeStacktraceInErrorResponses: false,
        formatError: createFormatError((error, formatted) =>
          log.error({ err: error, path: formatted.path }, 'unexpected error'),
        ),
        persistedQueries: { cache: trustedDocumentCache },
        plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), partnerOperationsPlugin(), operationLogPlugin()],
      });
      await apollo.start();
      app.use(
        '/graphql',
        express.json({ limit: '1mb' }),
        expressMiddleware(apollo, {
          context: async ({ req }) => {
            const requestId = requestIdOf(req.headers);
            const authorization = req.headers.authorization;
            const caller = await verifyToken(authorization);
            return {
              caller,
              authorization: authorization!,
              purpose: purposeOf(req.headers),
              requestId,
              log: log.child({ requestId, agency: caller.agency }),
            };
          },
        }),
      );
    },
    drain: async () => {
      await apollo?.stop();
    },
  });
  log.info({ url: service.url, subgraphs: config.subgraphs }, 'gateway ready');
  return service;
}
