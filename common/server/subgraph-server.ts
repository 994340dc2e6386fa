/**
 * Starts one agency subgraph: its database, its schema (`@apollo/subgraph`), token
 * verification before any resolver, and a per-request context built by the subgraph.
 * All three subgraphs run through this one function, so they share one skeleton.
 */
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import type { DocumentNode, ValidationRule } from 'graphql';
import { AccessLog } from '../audit/access-log.js';
import { AccessLogKeys } from '../audit/access-log-keys.js';
import { accessLogPlugin } from '../audit/access-log-plugin.js';
import { RetentionJob } from '../retention/job.js';
import { HEAD_ROUTE, Witness, WitnessStore, acceptHeadRoute, headRoute, type WitnessPeer } from '../audit/witness.js';
import { disclosedQueriesMiddleware } from '../audit/disclosed-queries.js';
import {
  GATEWAY_SIGNATURE_HEADER,
  createGatewaySignatureVerifier,
  redisReplayGuard,
} from '../auth/gateway-signature.js';
import { DisclosureCollector, protectSchema } from '../auth/permissions.js';
import { createTokenVerifier, type TokenVerifier } from '../auth/tokens.js';
import type { SubgraphName } from '../config/services.js';
import type { SubgraphConfig } from '../config/subgraph.js';
import { connectDatabase, type Database } from '../db/connection.js';
import { createFormatError } from '../errors.js';
import { requestLanguage } from '../i18n/language.js';
import {
  checkTokenLimit,
  limitValidationRules,
  limitedJsonBody,
  operationLimitPlugins,
  requestBodyOf,
  responseObjectsMiddleware,
} from '../limits/index.js';
import { createLogger, type LogDestination, type Logger } from '../logger.js';
import type { Redis } from 'ioredis';
import { connectRedis } from '../redis.js';
import { DatabaseMetrics, ServiceMetrics, metricsRoute } from '../observability/metrics.js';
import { operationMetricsPlugin, subgraphOperationLogPlugin } from '../observability/operation-plugins.js';
import { gatewayOnlyPlugin, gatewayTrust, keepRawBody, type GatewayTrustLocals } from './gateway-trust.js';
import { startHttpService, type RunningService } from './http-service.js';
import { ServiceTls } from './tls.js';
import { idempotencyPlugin } from './idempotency.js';
import type { RequestInfo } from './request-context.js';
import { OPERATION_NAME_HEADER, header, purposeOf, requestIdOf } from './request-headers.js';
import { rateLimitStatusPlugin } from './rate-limit-status.js';

/** How long a stopping subgraph spends advancing its access-log head document and handing its last head to its peers. */
const ANNOUNCE_DEADLINE_MS = 2000;

/** A subgraph's data layer, opened once per process on its database. */
export interface SubgraphRuntime<C extends RequestInfo> {
  createContext(request: RequestInfo): C;
  /** The subgraph's own validation rules, run before any resolver (e.g. immigration's cap on permit checks). */
  validationRules?: ValidationRule[];
  /** Closes what `open` opened beside the database (e.g. a Redis connection); called when the service stops. */
  close?(): Promise<void>;
}

/** Services every subgraph gets from the shared server, beside its own data layer. */
export interface SubgraphServices {
  accessLog: AccessLog;
  config: SubgraphConfig;
  /** The Redis every replica shares (`REDIS_URL`), or null; the subgraph server owns and closes it. */
  redis: Redis | null;
}

/** What a subgraph contributes: its SDL, its resolvers and how to open its data layer. */
export interface SubgraphModule<C extends RequestInfo> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<C>;
  open(db: Database, log: Logger, services: SubgraphServices): Promise<SubgraphRuntime<C>>;
}

export interface RunningSubgraph extends RunningService {
  db: Database;
  accessLog: AccessLog;
  /** Countersigns the other agencies' chain heads (on a timer; `round()` runs one now). */
  witness: Witness;
  /** Applies this subgraph's retention rules (on a timer; `run()` applies them now). */
  retention: RetentionJob;
}

/** This subgraph's access-log keys (to sign) and its peers' (public keys, to authenticate their heads). */
async function loadAccessLogKeys(config: SubgraphConfig): Promise<{ own: AccessLogKeys; peers: WitnessPeer[] }> {
  const own = await AccessLogKeys.load(config.name, config.accessLog.key, { sign: true });
  const peers = await Promise.all(
    Object.entries(config.accessLog.peers).map(async ([name, peer]) => ({
      name: name as SubgraphName,
      url: peer.url,
      keys: await AccessLogKeys.load(name, peer.key, { sign: false }),
    })),
  );
  return { own, peers };
}

export async function startSubgraph<C extends RequestInfo>(
  module: SubgraphModule<C>,
  config: SubgraphConfig,
  options: { verifyToken?: TokenVerifier; logDestination?: LogDestination } = {},
): Promise<RunningSubgraph> {
  const log = createLogger(module.name, config.logLevel, options.logDestination);
  const verifyToken = options.verifyToken ?? (await createTokenVerifier(config.auth));
  const keys = await loadAccessLogKeys(config);
  const tls = await ServiceTls.load(config.tls, log);
  // the gateway signatures already used, shared by every replica of this subgraph when REDIS_URL is set
  const redis = config.sharedState ? await connectRedis(config.sharedState.redisUrl, log) : null;
  const verifyGatewaySignature = await createGatewaySignatureVerifier(
    config.gatewayKey,
    module.name,
    redis && config.sharedState ? redisReplayGuard(redis, config.sharedState.keyPrefix, module.name) : undefined,
  );
  const metrics = new ServiceMetrics(module.name);
  const closeShared = async () => {
    await redis?.quit().catch(() => redis.disconnect());
    await tls.close();
  };
  const db = await connectDatabase(config.database.mongoUri, config.database.dbName, {
    onCommand: new DatabaseMetrics(metrics, module.name).record,
  }).catch(async (e: unknown) => {
    await closeShared();
    throw e;
  });
  let runtime: SubgraphRuntime<C> | undefined;
  try {
    const accessLog = new AccessLog(db.connection, keys.own, { log });
    await accessLog.init();
    const witnessStore = new WitnessStore(db.connection, keys.own);
    await witnessStore.model.init();
    const witness = new Witness(witnessStore, keys.peers, config.accessLog.witnessIntervalMs, log, tls.fetch);
    const retention = new RetentionJob(config.name, db.connection, accessLog, config.retention, log);
    const opened = await module.open(db, log, { accessLog, config, redis });
    runtime = opened;
    const subgraphSchema = buildSubgraphSchema({
      typeDefs: module.typeDefs,
      resolvers: module.resolvers as GraphQLResolverMap<unknown>,
    });
    // what a request disclosed is noted by a middleware on the few fields concerned, not by a
    // plugin's `willResolveField`, which makes Apollo Server wrap every field of the schema (no
    // plugin of a subgraph has one: see ApolloServerPluginCacheControlDisabled below)
    const schema = protectSchema(
      subgraphSchema,
      disclosedQueriesMiddleware(subgraphSchema),
      responseObjectsMiddleware(config.limits.maxResponseObjects),
    );
    let apollo: ApolloServer<C> | undefined;
    const service = await startHttpService({
      host: config.host,
      port: config.port,
      defaultLanguage: config.defaultLanguage,
      readiness: {
        database: async () => {
          if (!db.connection.db) throw new Error('not connected');
          await db.connection.db.command({ ping: 1 });
        },
        // without it no request the gateway signed is accepted
        ...(redis ? { redis: async () => redis.ping() } : {}),
      },
      readyTimeoutMs: config.observability.readyTimeoutMs,
      tls,
      metrics: config.observability.metrics.enabled
        ? metricsRoute(metrics, config.observability.metrics.token)
        : undefined,
      mount: async (app, httpServer) => {
        const peerKeys = new Map(keys.peers.map((p) => [p.name, p.keys]));
        app.get(HEAD_ROUTE, headRoute(accessLog, peerKeys, log));
        app.post(HEAD_ROUTE, express.json({ limit: '16kb' }), acceptHeadRoute(witnessStore, peerKeys, log));
        apollo = new ApolloServer<C>({
          schema,
          introspection: true,
          includeStacktraceInErrorResponses: false,
          // the subgraph's own rules (the more specific refusal comes first), then the operation limits
          // of the gateway, from the same configuration
          validationRules: [...(opened.validationRules ?? []), ...limitValidationRules(config.limits)],
          // SIGTERM and SIGINT are runService's (common/server/main.ts): Apollo's own handler would stop
          // Apollo alone and re-raise the signal, ending the process before the drain and the database close
          stopOnTerminationSignals: false,
          formatError: createFormatError((error, formatted) =>
            log.error({ err: error, path: formatted.path }, 'unexpected error'),
          ),
          plugins: [
            ApolloServerPluginDrainHttpServer({ httpServer }),
            ApolloServerPluginInlineTraceDisabled(),
            // Apollo's default cache-control plugin wraps every field of the schema to gather cache
            // hints the hub never gives (a subgraph's answers are never cacheable: \`no-store\` below)
            ApolloServerPluginCacheControlDisabled(),
            gatewayOnlyPlugin({ introspection: config.introspection === 'enabled' }),
            ...operationLimitPlugins(config.limits, { onResolverCalls: (n) => metrics.countResolverCalls(n) }),
            rateLimitStatusPlugin(),
            accessLogPlugin(accessLog),
            idempotencyPlugin(db.connection),
            operationMetricsPlugin(metrics),
            subgraphOperationLogPlugin(),
          ],
        });
        await apollo.start();
        app.use(
          '/graphql',
          // a direct request may carry MAX_REQUEST_BYTES, as at the gateway; one the gateway signed more
          limitedJsonBody(config.limits, {
            verify: keepRawBody,
            signedByGateway: async (req) => {
              const signature = header(req.headers, GATEWAY_SIGNATURE_HEADER);
              return signature !== undefined && (await verifyGatewaySignature.isGenuine(signature));
            },
          }),
          // every message from here on is in the request's language (the gateway's choice, when it signed the request)
          requestLanguage(config.defaultLanguage),
          // personal data: no answer of a subgraph is stored by a cache on the way
          (_req: express.Request, res: express.Response, next: express.NextFunction) => {
            res.set('cache-control', 'no-store');
            next();
          },
          gatewayTrust(verifyGatewaySignature, log),
          expressMiddleware(apollo, {
            context: async ({ req, res }) => {
              const requestId = requestIdOf(req.headers);
              const caller = await verifyToken(header(req.headers, 'authorization'));
              checkTokenLimit(requestBodyOf(req)?.query, config.limits.maxTokens);
              return opened.createContext({
                caller,
                purpose: purposeOf(req.headers),
                requestId,
                log: log.child({ requestId, agency: caller.agency }),
                disclosures: new DisclosureCollector(),
                accessLog,
                witnesses: witnessStore,
                // dropped by gatewayTrust unless the gateway signed the request
                clientOperationName: header(req.headers, OPERATION_NAME_HEADER)?.slice(0, 200) ?? null,
                viaGateway: (res.locals as GatewayTrustLocals).viaGateway === true,
              });
            },
          }),
        );
      },
      drain: async () => {
        witness.stop();
        retention.stop();
        await apollo?.stop();
        // every request has ended: the head document catches up with the last append, and the peers
        // witness the last head now, not after a restart; a database or peer that does not answer
        // holds the stop up by two seconds at most
        const flushed = accessLog
          .flush()
          .catch((e: unknown) => log.warn({ err: e }, 'the access-log head document was not advanced'));
        const announced = accessLog
          .chainHead()
          .then((head) => witness.announce(head))
          .catch((e: unknown) => log.warn({ err: e }, 'the last access-log head was not announced'));
        await Promise.race([Promise.all([flushed, announced]), sleep(ANNOUNCE_DEADLINE_MS, undefined, { ref: false })]);
      },
      onStop: async () => {
        await opened.close?.();
        await db.close();
        await redis?.quit().catch(() => redis.disconnect());
      },
    });
    witness.start();
    retention.start();
    log.info({ url: service.url, database: config.database.dbName }, 'subgraph ready');
    return { ...service, db, accessLog, witness, retention };
  } catch (e) {
    await runtime?.close?.();
    await db.close();
    await closeShared();
    throw e;
  }
}

export type { BaseContext };
