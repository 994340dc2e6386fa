/**
 * The gateway: `@apollo/gateway` serving the committed supergraph on `@apollo/server`.
 * It verifies the caller's token before planning anything (401 otherwise) and forwards
 * `Authorization`, `X-Purpose`, the request id and the language of messages (`Accept-Language`) to
 * every subgraph, which verify again; every
 * subgraph fetch is signed by the gateway (common/auth/gateway-signature.ts). A fetch whose
 * connection is lost before any answer is sent once more when that cannot write twice (`signedFetcher`).
 */
import fs from 'node:fs/promises';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { context as traceContext, propagation } from '@opentelemetry/api';
import { expressMiddleware } from '@as-integrations/express5';
import { getOperationAST, parse, type GraphQLFormattedError } from 'graphql';
import { createTokenVerifier, type TokenVerifier } from '../../common/auth/tokens.js';
import { disableVendorTelemetry, type GatewayConfig } from '../../common/config/gateway.js';
import {
  ErrorCode,
  PublicError,
  SubgraphUnavailableError,
  SubgraphWriteNotRetriedError,
  createFormatError,
} from '../../common/errors.js';
import { ACCEPT_LANGUAGE_HEADER, currentLanguage, message, requestLanguage } from '../../common/i18n/language.js';
import { createLogger, type LogDestination, type Logger } from '../../common/logger.js';
import { ServiceMetrics, SubgraphFetchMetrics, metricsRoute } from '../../common/observability/metrics.js';
import { operationMetricsPlugin } from '../../common/observability/operation-plugins.js';
import { startHttpService, type RunningService } from '../../common/server/http-service.js';
import {
  ServiceTls,
  tlsFailureReason,
  type ServiceFetch,
  type ServicePost,
  type ServiceResponse,
} from '../../common/server/tls.js';
import {
  IDEMPOTENCY_FINGERPRINT_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  isValidIdempotencyKey,
  requestFingerprint,
} from '../../common/server/idempotency.js';
import {
  OPERATION_NAME_HEADER,
  PURPOSE_HEADER,
  REQUEST_ID_HEADER,
  TRUSTED_OPERATION_HEADER,
  header,
  purposeOf,
  requestIdOf,
} from '../../common/server/request-headers.js';
import {
  GATEWAY_SIGNATURE_HEADER,
  createGatewaySigner,
  type GatewaySigner,
} from '../../common/auth/gateway-signature.js';
import { SUPERGRAPH_FILE } from '../../schema/subgraphs.js';
import { partnerDocuments } from '../../common/auth/trusted-documents.js';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import {
  idempotencyConflictStatusPlugin,
  operationLogPlugin,
  operationResolutionPlugin,
  partnerOperationsPlugin,
} from './plugins.js';
import { rateLimitStatusPlugin } from '../../common/server/rate-limit-status.js';
import {
  checkTokenLimit,
  limitValidationRules,
  limitedJsonBody,
  operationLimitPlugins,
  requestBodyOf,
} from '../../common/limits/index.js';
import type { GatewayContext } from './context.js';
import { EXPLORER_PATH, prepareExplorer } from './explorer/index.js';

/**
 * Subgraph fetches: the caller's headers and the trace context forwarded, bounded by the
 * configured timeout, counted and timed by subgraph (a fetch retried by `signedFetcher` counts as
 * one fetch, its retry apart).
 *
 * Sent as `RemoteGraphQLDataSource.process` sends them (a JSON POST of the query, variables and
 * operation name with the plan's headers; a non-2xx answer is its `errorFromResponse`), minus the
 * node-fetch `Headers` and `Request` it builds around every fetch and never uses with a fetcher
 * of its own, and minus what the gateway does not use (automatic persisted queries to the
 * subgraphs, their `Cache-Control`).
 */
class AgencySubgraph extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    url: string,
    private readonly post: SignedPost,
    private readonly subgraph: string,
    private readonly fetchMetrics: SubgraphFetchMetrics,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {
    super({ url });
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const done = this.fetchMetrics.start(this.subgraph);
    try {
      const response = await this.send(options);
      done((response.errors ?? []).map((e) => e.extensions?.code));
      return response;
    } catch (e) {
      const code = fetchFailureCode(e);
      done([code]);
      // unreachable or too slow: only this subgraph's fields are missing, with an error that says so
      if (code === 'TIMEOUT') throw new SubgraphUnavailableError(this.subgraph, this.timeoutMs);
      // a write that may have run, not resent: the caller is told so, and how to make it retriable
      if (e instanceof WriteNotResentError) throw new SubgraphWriteNotRetriedError(this.subgraph);
      if (code === 'UNREACHABLE') {
        // a failed handshake is a configuration fault (certificates, TLS_CA_FILE), not a network one: say which
        const tls = tlsFailureReason(e);
        if (tls) this.log.error({ subgraph: this.subgraph, url: this.url, reason: tls }, `${this.subgraph}: ${tls}`);
        throw new SubgraphUnavailableError(this.subgraph);
      }
      // a 4xx GraphQL answer (a variable the subgraph's scalar refuses, which the gateway passes on
      // unchecked): its errors, with their codes, rather than a bare "400: Bad Request"
      const refused = graphqlErrorsOf(e);
      if (refused) return { errors: refused };
      throw e;
    }
  }

  /** One fetch: the body and headers the subgraph gets, signed and sent; its JSON answer. */
  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { http: plan, ...request } = options.request;
    if (!request.query) throw new Error('Missing query');
    const headers: Record<string, string> = {};
    // what the plan sets (the trace request of federated tracing, when asked for)
    if (plan?.headers) for (const [name, value] of plan.headers) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    this.forwardedHeaders(options, headers);
    const response = await this.post(this.url!, headers, JSON.stringify(request));
    const fetcherResponse = response as unknown as FetcherResponse;
    if (!response.ok) throw await this.errorFromResponse(fetcherResponse);
    const body = await this.parseBody(fetcherResponse);
    if (typeof body !== 'object' || body === null) {
      throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    }
    return body as GatewayGraphQLResponse;
  }

  /** The headers every subgraph fetch carries besides the plan's, set on `headers` (lower-case names). */
  private forwardedHeaders(options: GraphQLDataSourceProcessOptions<GatewayContext>, headers: Record<string, string>) {
    const { context } = options;
    // W3C traceparent of the gateway's fetch span (a no-op unless tracing is on): the subgraph's spans join the trace
    propagation.inject(traceContext.active(), headers);
    if (!('caller' in context)) return;
    headers.authorization = context.authorization;
    headers[REQUEST_ID_HEADER] = context.requestId;
    // the subgraphs word their errors in the language the gateway chose (signed with the other headers)
    headers[ACCEPT_LANGUAGE_HEADER] = context.language;
    if (context.purpose && context.purposeHeader) headers[PURPOSE_HEADER] = context.purposeHeader;
    if (context.trustedOperation) headers[TRUSTED_OPERATION_HEADER] = context.trustedOperation;
    if (context.idempotency) {
      headers[IDEMPOTENCY_KEY_HEADER] = context.idempotency.key;
      headers[IDEMPOTENCY_FINGERPRINT_HEADER] = context.idempotency.fingerprint;
    }
    // the client's operation name, for the access log (the planner renames subgraph operations)
    const operationName = 'incomingRequestContext' in options ? options.incomingRequestContext.operationName : null;
    if (operationName) headers[OPERATION_NAME_HEADER] = operationName;
  }
}

/** The errors of a subgraph's GraphQL answer with a 4xx (or 503) status, or null when it was something else. */
function graphqlErrorsOf(error: unknown): GraphQLFormattedError[] | null {
  const response = (error as { extensions?: { response?: { status?: unknown; body?: unknown } } })?.extensions
    ?.response;
  const status = typeof response?.status === 'number' ? response.status : 0;
  const errors = (response?.body as { errors?: unknown } | undefined)?.errors;
  // 503: a subgraph that cannot check the gateway's signature now (its shared store is down) says why
  if (status < 400 || (status >= 500 && status !== 503) || !Array.isArray(errors) || errors.length === 0) return null;
  return errors.every((e) => typeof (e as { message?: unknown })?.message === 'string')
    ? (errors as GraphQLFormattedError[])
    : null;
}

/** Why a subgraph fetch failed, as a metric label. */
function fetchFailureCode(error: unknown): string {
  const e = error as { name?: string; extensions?: { response?: { status?: number } } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'TIMEOUT';
  const status = e?.extensions?.response?.status;
  return status ? `HTTP_${status}` : 'UNREACHABLE';
}

/** A subgraph's `/ready`, answered within the readiness timeout; its own down list when it is not ready. */
async function subgraphReady(fetch: ServiceFetch, graphqlUrl: string, signal: AbortSignal): Promise<void> {
  const response = await fetch(new URL('/ready', graphqlUrl), { signal }).catch((e: unknown) => {
    const tls = tlsFailureReason(e);
    throw tls ? new Error(`${tls} at ${new URL(graphqlUrl).host}`) : e;
  });
  if (response.ok) return;
  const body = (await response.json().catch(() => null)) as { down?: unknown } | null;
  const down = Array.isArray(body?.down) ? body.down.map(String).join(', ') : '';
  throw new Error(down ? `not ready (${down} down)` : `not ready (HTTP ${response.status})`);
}

/** The client's `Idempotency-Key` (checked here, so a malformed one reaches no subgraph) and its request's fingerprint. */
function idempotencyOf(
  header: string | string[] | undefined,
  body: Record<string, unknown> | undefined,
): GatewayContext['idempotency'] {
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return null;
  if (!isValidIdempotencyKey(key)) {
    throw new PublicError(message('idempotency.keyInvalid'), ErrorCode.BAD_USER_INPUT, {
      field: 'Idempotency-Key',
      http: { status: 400 },
    });
  }
  const persisted = (body?.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  const document = typeof body?.query === 'string' ? body.query : String(persisted?.sha256Hash ?? '');
  return { key, fingerprint: requestFingerprint(document, body?.operationName, body?.variables) };
}

/** A subgraph's answer, as the gateway's query plan takes it. */
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
/** The response `RemoteGraphQLDataSource` reads a subgraph's answer from (the part of fetch's it reads: ServiceResponse). */
type FetcherResponse = Parameters<RemoteGraphQLDataSource['parseBody']>[0];

/** A subgraph fetch as `signedFetcher` sends it: a POST of `body` with `headers` (lower-case names). */
type SignedPost = (url: string, headers: Record<string, string>, body: string) => Promise<ServiceResponse>;

/**
 * What undici reports for a connection lost before the response's head arrived: reset by the
 * peer (`ECONNRESET`, also a reset during the TLS handshake), written after the peer closed it
 * (`EPIPE`), closed by the peer (`UND_ERR_SOCKET`, "other side closed": a keep-alive connection
 * the subgraph closed as it was reused, a replica that stopped). Not `ECONNREFUSED`: undici
 * connects with Node's `autoSelectFamily`, which already tries every address a name resolves to,
 * so a refusal that reaches the gateway is every replica's (an `AggregateError`), and not a stale
 * connection a new one would cure. Not a timeout, a TLS verification failure or any HTTP
 * response (a 5xx included): those are answers, not lost connections.
 */
const LOST_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** The code of a connection lost before any answer (undici's `fetch failed` and its causes), or null for any other failure. */
function lostConnectionCode(error: unknown): string | null {
  if (tlsFailureReason(error)) return null;
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth += 1, e = e.cause as typeof e) {
    if (typeof e.code === 'string' && LOST_CONNECTION_CODES.has(e.code)) return e.code;
  }
  return null;
}

/** Whether a subgraph request body (JSON with the planner's document) is a mutation; parsed only after a failure. */
function isMutation(body: string): boolean {
  try {
    const { query, operationName } = JSON.parse(body) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') return true; // unknown: treated as a write, never resent
    const operation = getOperationAST(parse(query), typeof operationName === 'string' ? operationName : undefined);
    return operation?.operation !== 'query';
  } catch {
    return true;
  }
}

/** The fetch of one subgraph that lost its connection: a mutation without `Idempotency-Key`, which the gateway did not resend. */
class WriteNotResentError extends Error {
  constructor(cause: unknown) {
    super('mutation not resent after its connection was lost', { cause });
    this.name = 'WriteNotResentError';
  }
}

/** Where the fetcher reports its retries: the fetch metrics and the gateway's log. */
interface RetryReporting {
  metrics: SubgraphFetchMetrics;
  log: Logger;
}

/**
 * The fetch of one subgraph: signed by the gateway over the body and headers exactly as sent
 * (X-Gateway-Signature), bounded by the configured timeout, over the gateway's TLS agent (its
 * client certificate, the CAs of TLS_CA_FILE, keep-alive connections; rotated by SIGHUP), with
 * undici's `request` rather than `fetch` ({@link ServiceTls.post}).
 *
 * A fetch whose connection is lost before any answer ({@link lostConnectionCode}) is sent once
 * more, on a new connection, when that cannot write twice: a query, or a mutation with the
 * client's `Idempotency-Key` (the subgraph runs it at most once under the key and answers a
 * repeat from the first answer, common/server/idempotency.ts). A mutation without one may have run
 * before the connection went, so it is not resent, and its error says so. The retry is signed
 * anew (a subgraph accepts a signature's `jti` once: the first one may have reached it), counted
 * (`timpora_subgraph_fetch_retries_total`) and logged; both attempts together stay within
 * `timeoutMs`.
 */
function signedFetcher(
  subgraph: string,
  sign: GatewaySigner,
  timeoutMs: number,
  tls: Pick<ServiceTls, 'post' | 'postOnNewConnection'>,
  report: RetryReporting,
): SignedPost {
  return async (url, headers, body) => {
    // a timer cleared once the answer is read, rather than AbortSignal.timeout's: that one lives
    // (and holds its signal) until it fires, three per request for the whole timeout, and cost
    // 2 % of the gateway's CPU time under load
    const timeout = new AbortController();
    const { signal } = timeout;
    const timer = setTimeout(
      () => timeout.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    const send = async (post: ServicePost) => {
      const signature = await sign(subgraph, body, (name) => headers[name]);
      const signed = { ...headers, [GATEWAY_SIGNATURE_HEADER]: signature };
      return post(url, { headers: signed, body, signal });
    };
    try {
      return await send(tls.post);
    } catch (e) {
      const code = lostConnectionCode(e);
      if (!code || signal.aborted) throw e;
      const requestId = headers[REQUEST_ID_HEADER] ?? null;
      if (!headers[IDEMPOTENCY_KEY_HEADER] && isMutation(body)) {
        report.log.warn(
          { subgraph, code, requestId, retried: false },
          `${subgraph}: connection lost before an answer (${code}); a mutation without Idempotency-Key is not sent again`,
        );
        throw new WriteNotResentError(e);
      }
      report.metrics.retried(subgraph);
      report.log.warn(
        { subgraph, code, requestId, retried: true },
        `${subgraph}: connection lost before an answer (${code}); sending the fetch once more on a new connection`,
      );
      return await send(tls.postOnNewConnection);
    } finally {
      clearTimeout(timer);
    }
  };
}

export interface GatewayOptions {
  supergraphSdl?: string;
  verifyToken?: TokenVerifier;
  /** Where log lines go (standard output by default); tests pass a stream they read. */
  logDestination?: LogDestination;
}

export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningService> {
  const log = createLogger('gateway', config.logLevel, options.logDestination);
  const metrics = new ServiceMetrics('gateway');
  const fetchMetrics = new SubgraphFetchMetrics(metrics);
  const verifyToken = options.verifyToken ?? (await createTokenVerifier(config.auth));
  const supergraphSdl = options.supergraphSdl ?? (await fs.readFile(SUPERGRAPH_FILE, 'utf8'));
  const timeoutMs = config.subgraphTimeoutMs;
  const sign = await createGatewaySigner(config.gatewayKey);
  const tls = await ServiceTls.load(config.tls, log);

  disableVendorTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = config.subgraphs[name as keyof typeof config.subgraphs];
      const post = signedFetcher(name, sign, timeoutMs, tls, { metrics: fetchMetrics, log });
      return new AgencySubgraph(configured ?? url!, post, name, fetchMetrics, timeoutMs, log);
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

  // the GraphiQL explorer at /explorer (null when disabled); its bundle is built now when stale
  const mountExplorer = await prepareExplorer(config, log, verifyToken);

  let apollo: ApolloServer<GatewayContext> | undefined;
  const service = await startHttpService({
    host: config.host,
    port: config.port,
    defaultLanguage: config.defaultLanguage,
    readiness: Object.fromEntries(
      Object.entries(config.subgraphs).map(([name, url]) => [name, (signal) => subgraphReady(tls.fetch, url, signal)]),
    ),
    tls,
    readyTimeoutMs: config.observability.readyTimeoutMs,
    metrics: config.observability.metrics.enabled
      ? metricsRoute(metrics, config.observability.metrics.token)
      : undefined,
    mount: async (app, httpServer) => {
      if (mountExplorer) {
        // the explorer's own answers (a refused token when listing saved operations) in the page's language
        app.use(EXPLORER_PATH, requestLanguage(config.defaultLanguage));
        mountExplorer(app);
      }
      apollo = new ApolloServer<GatewayContext>({
        gateway,
        introspection: config.introspection,
        includeStacktraceInErrorResponses: false,
        // SIGTERM and SIGINT are runService's (common/server/main.ts): Apollo's own handler would stop
        // Apollo alone and re-raise the signal, ending the process before the drain and the database close
        stopOnTerminationSignals: false,
        validationRules: limitValidationRules(config.limits),
        formatError: createFormatError((error, formatted) =>
          log.error({ err: error, path: formatted.path }, 'unexpected error'),
        ),
        persistedQueries: { cache: trustedDocumentCache },
        plugins: [
          ApolloServerPluginDrainHttpServer({ httpServer }),
          operationResolutionPlugin(),
          partnerOperationsPlugin(),
          ...operationLimitPlugins(config.limits),
          idempotencyConflictStatusPlugin(),
          rateLimitStatusPlugin(),
          operationLogPlugin(),
          operationMetricsPlugin(metrics),
        ],
      });
      await apollo.start();
      app.use(
        '/graphql',
        limitedJsonBody(config.limits),
        // every message from here on is in the request's language (`Accept-Language`, else DEFAULT_LANGUAGE)
        requestLanguage(config.defaultLanguage),
        expressMiddleware(apollo, {
          context: async ({ req }) => {
            const requestId = requestIdOf(req.headers);
            const authorization = req.headers.authorization;
            const caller = await verifyToken(authorization);
            const body = requestBodyOf(req);
            checkTokenLimit(body?.query, config.limits.maxTokens);
            return {
              caller,
              authorization: authorization!,
              purpose: purposeOf(req.headers),
              purposeHeader: header(req.headers, PURPOSE_HEADER) ?? null,
              requestId,
              log: log.child({ requestId, agency: caller.agency }),
              idempotency: idempotencyOf(req.headers[IDEMPOTENCY_KEY_HEADER], body),
              language: currentLanguage(),
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
