/**
 * Configuration of every hub process, parsed and validated once from the environment.
 * This is the only module that reads `process.env`; everything else receives typed config.
 * Every problem is listed at once, so an operator fixes a bad deployment in one pass.
 */
import path from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Language } from './i18n/labels.js';

export const SUBGRAPH_NAMES = ['immigration', 'police', 'local-government'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Environment-variable prefix of each subgraph (`IMMIGRATION_PORT`, `LOCAL_GOVERNMENT_URL`, …). */
export const SUBGRAPH_ENV_PREFIX: Record<SubgraphName, string> = {
  immigration: 'IMMIGRATION',
  police: 'POLICE',
  'local-government': 'LOCAL_GOVERNMENT',
};

export const DEFAULT_PORTS = {
  gateway: 4000,
  immigration: 4001,
  police: 4002,
  'local-government': 4003,
  ferretdb: 27027,
  ferretdbDebug: 27028,
} as const;

/** Raised when the environment does not describe a runnable service; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const port = z.coerce.number().int().min(0).max(65535);
const mongoUri = z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const dbName = (name: SubgraphName) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1 to 63 letters, digits, "_" or "-"')
    .default(defaultDbName(name));
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const authSchema = z
  .object({
    JWT_ISSUER: z.string().min(1).default('timpora-hub-dev'),
    JWT_AUDIENCE: z.string().min(1).default('timpora-hub'),
    /** PEM (SPKI) public key file used to verify tokens. */
    JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
    /** JWKS URL used to verify tokens (production identity provider). */
    JWT_JWKS_URL: httpUrl.optional(),
    /** PEM (PKCS#8) private key file used by `npm run token` to sign development tokens. */
    JWT_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    /** Allow generating a development key pair under DATA_DIR when no key is configured. */
    JWT_DEV_KEYS: z.enum(['true', 'false']).default('true'),
  })
  .refine((v) => !(v.JWT_PUBLIC_KEY_FILE && v.JWT_JWKS_URL), {
    message: 'set only one of JWT_PUBLIC_KEY_FILE and JWT_JWKS_URL',
    path: ['JWT_JWKS_URL'],
  })
  .refine((v) => v.JWT_DEV_KEYS === 'true' || v.JWT_PUBLIC_KEY_FILE || v.JWT_JWKS_URL, {
    message: 'JWT_DEV_KEYS=false needs JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL',
    path: ['JWT_DEV_KEYS'],
  });

/** The gateway's key pair: it signs every subgraph fetch (common/auth/gateway-signature.ts). */
const gatewayKeySchema = z.object({
  /** PEM (PKCS#8) private key the gateway signs subgraph requests with. */
  GATEWAY_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** PEM (SPKI) public key the subgraphs verify the gateway's signature with. */
  GATEWAY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
});

const commonSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  /** The language of messages when a request's Accept-Language names neither id nor en. */
  DEFAULT_LANGUAGE: z.enum(LANGUAGES, { error: 'must be id (Bahasa Indonesia) or en (English)' }).default('id'),
  LOG_LEVEL: logLevel.default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

/**
 * The hub's clock for demos and tests (common/clock.ts): `HUB_NOW` starts it at an instant,
 * e.g. `2026-12-07T16:30:00Z` (23:30 WIB), and time runs on from there. Refused with
 * NODE_ENV=production, where "today" must be the real day.
 */
const hubClockSchema = z
  .object({
    HUB_NOW: z.iso
      .datetime({
        offset: true,
        error: 'must be an ISO 8601 instant with its offset, e.g. 2026-12-07T16:30:00Z or 2026-12-07T23:30:00+07:00',
      })
      .optional(),
    NODE_ENV: z.string().optional(),
  })
  .refine((v) => !(v.HUB_NOW && v.NODE_ENV === 'production'), {
    message: 'a clock set for demos and tests cannot be used with NODE_ENV=production; unset HUB_NOW',
    path: ['HUB_NOW'],
  });

/** The instant `HUB_NOW` starts the hub's clock at, or null for the real time; a bad value is a ConfigError. */
export function loadHubNow(env: Env = process.env): Date | null {
  const c = parse(hubClockSchema, env);
  return c.HUB_NOW ? new Date(c.HUB_NOW) : null;
}

/** Operator endpoints and telemetry: `/ready`, `/metrics` and OpenTelemetry traces. */
const observabilitySchema = z.object({
  /** How long `/ready` waits for each dependency (database, subgraph) before calling it down. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
  /** `false` removes `/metrics`. */
  METRICS_ENABLED: z.enum(['true', 'false']).default('true'),
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** OTLP/HTTP base endpoint as the OpenTelemetry SDKs read it; traces go to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** Full OTLP/HTTP traces URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  /** `true` turns tracing off even when an endpoint is set (the OpenTelemetry convention). */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  /** Share of new traces recorded; a subgraph follows the sampling decision of its caller. */
  TRACING_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
});

/**
 * Retention (README, "Retention"; common/retention/): how many whole years each kind of record
 * is kept at full detail, 0 keeping it for ever; and how often each subgraph applies its rules.
 */
const retentionSchema = z.object({
  /** Access-log records older than this are summarised into a signed checkpoint. */
  RETENTION_ACCESS_LOG_YEARS: z.coerce.number().int().min(0).max(100).default(5),
  /**
   * Foreigners who left the country longer ago than this are pseudonymised; the same age for
   * their records that outlive a stay: crossings, ended cekal, TAK, SKLD, SKTT and employment.
   */
  RETENTION_FOREIGNER_YEARS: z.coerce.number().int().min(0).max(100).default(10),
  /** Stay permits expired longer ago than this are deleted. */
  RETENTION_PERMIT_YEARS: z.coerce.number().int().min(0).max(100).default(10),
  /** Closed incidents (resolved or transferred) and closed community reports older than this are reduced. */
  RETENTION_INCIDENT_YEARS: z.coerce.number().int().min(0).max(100).default(5),
  /** How often each subgraph applies its own rules, in hours; 0: only `npm run retention` applies them. */
  RETENTION_INTERVAL_H: z.coerce.number().int().min(0).max(8760).default(24),
});

export interface RetentionConfig {
  accessLogYears: number;
  foreignerYears: number;
  permitYears: number;
  incidentYears: number;
  /** 0: the scheduled job is off. */
  intervalMs: number;
}

export function loadRetentionConfig(env: Env = process.env): RetentionConfig {
  const c = parse(retentionSchema, env);
  return {
    accessLogYears: c.RETENTION_ACCESS_LOG_YEARS,
    foreignerYears: c.RETENTION_FOREIGNER_YEARS,
    permitYears: c.RETENTION_PERMIT_YEARS,
    incidentYears: c.RETENTION_INCIDENT_YEARS,
    intervalMs: c.RETENTION_INTERVAL_H * 3_600_000,
  };
}

/** Gathers the problems of several independent parse steps, so all are reported together. */
class ProblemList {
  private readonly problems: string[] = [];

  collect<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.problems.push(...e.problems);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      return `${key}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`;
    }),
  );
}

export interface AuthConfig {
  issuer: string;
  audience: string;
  publicKeyFile?: string;
  jwksUrl?: string;
  privateKeyFile?: string;
  /** Directory where development keys are generated on first use, or null when disabled. */
  devKeyDir: string | null;
}

/** Where the gateway's signing key pair is (see common/auth/gateway-signature.ts). */
export interface GatewayKeyConfig {
  privateKeyFile?: string;
  publicKeyFile?: string;
  /** Directory of a development key pair generated on first use, or null when development keys are off. */
  devKeyDir: string | null;
}

export interface CommonConfig {
  dataDir: string;
  /** Messages' language when a request's `Accept-Language` names neither `id` nor `en` (`DEFAULT_LANGUAGE`). */
  defaultLanguage: Language;
  logLevel: z.infer<typeof logLevel>;
  env: 'development' | 'production' | 'test';
  auth: AuthConfig;
  gatewayKey: GatewayKeyConfig;
  observability: ObservabilityConfig;
}

/** `/ready`, `/metrics` and traces of one service (see README, "Operating the hub"). */
export interface ObservabilityConfig {
  readyTimeoutMs: number;
  metrics: {
    enabled: boolean;
    /** Bearer token `/metrics` requires, or null when it is open. */
    token: string | null;
  };
  tracing: TracingConfig;
}

export interface TracingConfig {
  /** OTLP/HTTP traces URL, or null: tracing off and the OpenTelemetry SDK never loaded. */
  tracesUrl: string | null;
  sampleRatio: number;
}

export interface DatabaseConfig {
  /** MongoDB URI: an external MongoDB, or the embedded FerretDB that `npm start` runs. */
  mongoUri: string;
  /** Database name of this subgraph. */
  dbName: string;
}

export interface SubgraphConfig extends CommonConfig {
  name: SubgraphName;
  port: number;
  host: string;
  /**
   * Who may introspect the subgraph and ask it for `_service` (`SUBGRAPH_INTROSPECTION`): only
   * requests the gateway signed (`gateway`, the default), or every verified caller (`enabled`).
   */
  introspection: 'gateway' | 'enabled';
  database: DatabaseConfig;
  /** Limits of `Query.verifyStayPermit`: set for the immigration subgraph, which serves it; null for the others. */
  permitChecks: PermitCheckConfig | null;
  /** The gateway's operation limits, from the same variables: a subgraph enforces them on every request too. */
  limits: OperationLimits;
  /**
   * Smallest count shown to callers without the personal-data scope of the rows counted
   * (`STATS_MIN_CELL`, default 5): smaller cells are suppressed (docs/statistical-disclosure.md).
   */
  statsMinCell: number;
  /** The access log's key and the witnessing of the other agencies' chains (common/audit/witness.ts). */
  accessLog: AccessLogConfig;
  /** The retention rules and how often this subgraph applies its own. */
  retention: RetentionConfig;
  /** HTTPS (and mutual TLS) of the subgraph's listener, and the client certificate of its calls to its peers. */
  tls: TlsConfig;
  /** Redis shared by the subgraph's replicas (the gateway signatures already used), or null: in memory. */
  sharedState: SharedStateConfig | null;
}

/**
 * Where an agency's access-log key is (`<PREFIX>_ACCESS_LOG_KEY_FILE`): a PEM file whose first
 * key signs the agency's records (a PKCS#8 ES256 private key) and whose further keys (public
 * or private) are earlier keys, kept to verify older records after a rotation. The other
 * agencies' subgraphs and `npm run audit` only need the public keys.
 */
export interface AccessLogKeySource {
  keyFile?: string;
  /** Directory of a development key pair generated on first use, or null when development keys are off. */
  devKeyDir: string | null;
}

/** A subgraph's access log: its own key, and the peers whose chain heads it witnesses. */
export interface AccessLogConfig {
  key: AccessLogKeySource;
  /** How often the other agencies' chain heads are fetched and countersigned, in ms; 0: witnessing is off. */
  witnessIntervalMs: number;
  /** The other agencies' subgraphs: where they answer, and their keys (public keys suffice). */
  peers: Partial<Record<SubgraphName, { url: string; key: AccessLogKeySource }>>;
}

/**
 * Limits of stay-permit checks (`Query.verifyStayPermit`), which would otherwise be an oracle
 * for passport numbers (README, "Permit checks"). Counters live in Redis when `REDIS_URL` is
 * set, so every replica of the immigration subgraph counts against the same limits; in the
 * process's memory otherwise.
 */
export interface PermitCheckConfig {
  /** `verifyStayPermit` fields (aliases) one operation may hold; more is refused before anything runs. */
  perOperation: number;
  /** Checks one caller (subject of one institution) may make in a minute. */
  perCallerPerMinute: number;
  /** Checks one caller may make in an hour. */
  perCallerPerHour: number;
  /** Checks of one permit number whose passport did not match, all callers together, in a day. */
  perPermitPerDay: number;
  /** Redis shared by the replicas (`redis://` or `rediss://`), or null: counters in memory. */
  redisUrl: string | null;
  /** Prefix of every Redis key the hub writes, so several hubs (or test runs) can share one Redis. */
  redisKeyPrefix: string;
}

/**
 * TLS of one service (README, "TLS between hosts"): its own certificate, which it listens with
 * (HTTPS) and presents to the services it calls (mutual TLS), and the CAs it trusts for its peers.
 * The files are read at start-up and again on SIGHUP (common/server/tls.ts), so a certificate is
 * rotated without a restart.
 */
export interface TlsConfig {
  /** PEM certificate (chain) and private key (`TLS_CERT_FILE`, `TLS_KEY_FILE`); null: plain HTTP, and no client certificate. */
  identity: { certFile: string; keyFile: string } | null;
  /** PEM bundle of the CAs trusted for peers (`TLS_CA_FILE`); null: Node's default CAs. */
  caFile: string | null;
  /**
   * Whether the listener refuses, at the TLS handshake, a client without a certificate signed by
   * `caFile` (`TLS_CLIENT_AUTH`): `require` by default on a subgraph with a CA, `none` on the gateway.
   */
  clientAuth: 'require' | 'none';
}

/** The Redis every replica of a service shares (`REDIS_URL`), or null: state stays in the process. */
export interface SharedStateConfig {
  /** `redis://` or `rediss://`. */
  redisUrl: string;
  /** Prefix of every Redis key the hub writes (`REDIS_KEY_PREFIX`). */
  keyPrefix: string;
}

export interface GatewayConfig extends CommonConfig {
  port: number;
  host: string;
  subgraphs: Record<SubgraphName, string>;
  /** Per-subgraph request timeout in milliseconds. */
  subgraphTimeoutMs: number;
  explorer: ExplorerConfig;
  /** What one request may ask of the gateway (`MAX_QUERY_*`, `MAX_REQUEST_BYTES`, `MAX_RESPONSE_OBJECTS`). */
  limits: OperationLimits;
  /** Whether the schema may be introspected (`INTROSPECTION`); the explorer's docs need it. */
  introspection: boolean;
  /** HTTPS of the gateway's listener, and the client certificate and CAs of its subgraph fetches. */
  tls: TlsConfig;
}

/**
 * Operation limits, enforced from the same code (common/limits/) and the same variables by the
 * gateway, before it plans anything, and by every subgraph, before any resolver runs — whether
 * the request came through the gateway or straight to the subgraph's port (README, "Limits and faults").
 */
export interface OperationLimits {
  /** Deepest field nesting, the root field counting 1 (fragments do not add a level). */
  maxDepth: number;
  /** Aliased fields in one operation. */
  maxAliases: number;
  /** Lexical tokens in the document, counted before it is parsed. */
  maxTokens: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Estimated objects in the answer, page sizes taken from the variables (see `common/limits/cost.ts`). */
  maxCost: number;
  /** Largest request body, in bytes (413 beyond it); at a subgraph, of every request the gateway did not sign. */
  maxRequestBytes: number;
  /**
   * Largest body of a request whose gateway signature verifies (before the body is read), at a
   * subgraph: the entity references of a page of 1,000 run past `maxRequestBytes`.
   */
  maxSignedRequestBytes: number;
  /** Objects one answer may hold, counted while resolving (subgraphs) and before sending (everywhere). */
  maxResponseObjects: number;
}

/** The GraphiQL explorer the gateway serves at `/explorer` (`EXPLORER`, `EXPLORER_DEV_TOKENS`). */
export interface ExplorerConfig {
  /** Whether `/explorer` is served at all (404 otherwise). */
  enabled: boolean;
  /** Whether its role picker may mint development tokens (`POST /explorer/dev-token`); never in production. */
  devTokens: boolean;
}

export interface FerretDbConfig {
  port: number;
  debugPort: number;
  dataDir: string;
}

export interface HubConfig extends CommonConfig {
  /** URIs given for an external MongoDB, per subgraph (absent: embedded FerretDB). */
  mongoUris: Partial<Record<SubgraphName, string>>;
  /** Database name of each subgraph, as the subgraph itself reads it (`<PREFIX>_DB_NAME`). */
  dbNames: Record<SubgraphName, string>;
  ferretdb: FerretDbConfig;
  seedCount: number;
  /** Each agency's access-log key (`npm run audit -- verify` needs the public keys). */
  accessLogKeys: Record<SubgraphName, AccessLogKeySource>;
  /** The retention rules `npm run retention` applies. */
  retention: RetentionConfig;
}

function loadCommon(env: Env): CommonConfig {
  const c = parse(commonSchema.and(authSchema).and(observabilitySchema).and(gatewayKeySchema).and(hubClockSchema), env);
  return {
    dataDir: path.resolve(c.DATA_DIR),
    defaultLanguage: c.DEFAULT_LANGUAGE,
    logLevel: c.LOG_LEVEL,
    env: c.NODE_ENV,
    auth: {
      issuer: c.JWT_ISSUER,
      audience: c.JWT_AUDIENCE,
      publicKeyFile: c.JWT_PUBLIC_KEY_FILE,
      jwksUrl: c.JWT_JWKS_URL,
      privateKeyFile: c.JWT_PRIVATE_KEY_FILE,
      devKeyDir: c.JWT_DEV_KEYS === 'true' ? path.resolve(c.DATA_DIR, 'keys') : null,
    },
    gatewayKey: {
      privateKeyFile: c.GATEWAY_SIGNING_KEY_FILE,
      publicKeyFile: c.GATEWAY_PUBLIC_KEY_FILE,
      devKeyDir: c.JWT_DEV_KEYS === 'true' ? path.resolve(c.DATA_DIR, 'keys', 'gateway') : null,
    },
    observability: {
      readyTimeoutMs: c.READY_TIMEOUT_MS,
      metrics: { enabled: c.METRICS_ENABLED === 'true', token: c.METRICS_TOKEN ?? null },
      tracing: { tracesUrl: tracesUrlOf(c), sampleRatio: c.TRACING_SAMPLE_RATIO },
    },
  };
}

/** The OTLP/HTTP traces URL the OpenTelemetry conventions derive from the environment, or null. */
function tracesUrlOf(c: z.infer<typeof observabilitySchema>): string | null {
  if (c.OTEL_SDK_DISABLED === 'true') return null;
  if (c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (c.OTEL_EXPORTER_OTLP_ENDPOINT) return `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}

/** Default database name of a subgraph: `timpora_immigration`, `timpora_police`, `timpora_local_government`. */
export function defaultDbName(name: SubgraphName): string {
  return `timpora_${name.replace(/-/g, '_')}`;
}

const limit = (max: number) => z.coerce.number().int().min(1).max(max);

const redisShape = {
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits, "_", ".", ":" or "-"')
    .default('timpora'),
};

function loadSharedState(env: Env): SharedStateConfig | null {
  const c = parse(z.object(redisShape), env);
  return c.REDIS_URL ? { redisUrl: c.REDIS_URL, keyPrefix: c.REDIS_KEY_PREFIX } : null;
}

/**
 * `TLS_CERT_FILE` and `TLS_KEY_FILE` (both or neither), `TLS_CA_FILE` and `TLS_CLIENT_AUTH`.
 * `role` sets the default of `TLS_CLIENT_AUTH`: a subgraph with a CA requires client
 * certificates; the gateway, which clients and the load balancer reach, does not.
 */
export function loadTlsConfig(env: Env, role: 'gateway' | 'subgraph'): TlsConfig {
  const file = z.string().min(1, 'must be a file path (PEM)').optional();
  const shape = {
    TLS_CERT_FILE: file,
    TLS_KEY_FILE: file,
    TLS_CA_FILE: file,
    TLS_CLIENT_AUTH: z.enum(['require', 'none'], { error: 'must be require or none' }).optional(),
  };
  // a variable set to nothing (`TLS_CA_FILE=` in an env file) counts as unset
  const set = Object.fromEntries(Object.keys(shape).map((k) => [k, env[k] || undefined]));
  const c = parse(z.object(shape), set);
  const problems: string[] = [];
  if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
    const [set, missing] = c.TLS_CERT_FILE ? ['TLS_CERT_FILE', 'TLS_KEY_FILE'] : ['TLS_KEY_FILE', 'TLS_CERT_FILE'];
    problems.push(
      `${missing}: required with ${set}: a service listens with HTTPS only with both its certificate and its private key ` +
        `(${set} is "${env[set]}")`,
    );
  }
  const identity = c.TLS_CERT_FILE && c.TLS_KEY_FILE ? { certFile: c.TLS_CERT_FILE, keyFile: c.TLS_KEY_FILE } : null;
  const clientAuth = c.TLS_CLIENT_AUTH ?? (role === 'subgraph' && identity && c.TLS_CA_FILE ? 'require' : 'none');
  if (clientAuth === 'require' && !c.TLS_CA_FILE) {
    problems.push(
      'TLS_CLIENT_AUTH: require needs TLS_CA_FILE, the CA that signs the certificates of the clients let in (got "require")',
    );
  }
  if (clientAuth === 'require' && !c.TLS_CERT_FILE && !c.TLS_KEY_FILE) {
    problems.push('TLS_CLIENT_AUTH: require needs TLS_CERT_FILE and TLS_KEY_FILE: the service must listen with HTTPS');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { identity, caFile: c.TLS_CA_FILE ?? null, clientAuth };
}

/** The permit-check limits; their counters live in `shared` (Redis) when it is set, read once with the rest of the subgraph's shared state. */
function loadPermitChecks(env: Env, shared: SharedStateConfig | null): PermitCheckConfig {
  const c = parse(
    z.object({
      PERMIT_CHECKS_PER_OPERATION: limit(20).default(1),
      PERMIT_CHECKS_PER_CALLER_PER_MINUTE: limit(10_000).default(10),
      PERMIT_CHECKS_PER_CALLER_PER_HOUR: limit(100_000).default(100),
      PERMIT_CHECKS_PER_PERMIT_PER_DAY: limit(10_000).default(10),
    }),
    env,
  );
  return {
    perOperation: c.PERMIT_CHECKS_PER_OPERATION,
    perCallerPerMinute: c.PERMIT_CHECKS_PER_CALLER_PER_MINUTE,
    perCallerPerHour: c.PERMIT_CHECKS_PER_CALLER_PER_HOUR,
    perPermitPerDay: c.PERMIT_CHECKS_PER_PERMIT_PER_DAY,
    redisUrl: shared?.redisUrl ?? null,
    redisKeyPrefix: shared?.keyPrefix ?? parse(z.object(redisShape), {}).REDIS_KEY_PREFIX,
  };
}

function mongoUriFor(name: SubgraphName, env: Env): string | undefined {
  const prefix = SUBGRAPH_ENV_PREFIX[name];
  return env[`${prefix}_MONGODB_URI`] ?? env.MONGODB_URI;
}

/** Where `name`'s access-log key is: `<PREFIX>_ACCESS_LOG_KEY_FILE`, or development keys under DATA_DIR/keys/access-log/<name>. */
function accessLogKeySource(name: SubgraphName, env: Env, common: CommonConfig): AccessLogKeySource {
  const keyFile = env[`${SUBGRAPH_ENV_PREFIX[name]}_ACCESS_LOG_KEY_FILE`] || undefined;
  return {
    keyFile,
    devKeyDir: common.auth.devKeyDir ? path.join(common.auth.devKeyDir, 'access-log', name) : null,
  };
}

/** The default address of a subgraph's GraphQL endpoint (`<PREFIX>_URL`), as the gateway reads it too. */
function subgraphUrlSchema(name: SubgraphName) {
  return httpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`);
}

function loadAccessLog(name: SubgraphName, env: Env, common: CommonConfig): AccessLogConfig {
  const peerNames = SUBGRAPH_NAMES.filter((n) => n !== name);
  const shape: Record<string, z.ZodType> = {
    ACCESS_LOG_WITNESS_INTERVAL_S: z.coerce.number().int().min(0).max(86_400).default(60),
  };
  for (const peer of peerNames) shape[`${SUBGRAPH_ENV_PREFIX[peer]}_URL`] = subgraphUrlSchema(peer);
  const c = parse(z.object(shape), env) as Record<string, unknown>;
  const witnessIntervalMs = (c.ACCESS_LOG_WITNESS_INTERVAL_S as number) * 1000;
  const key = accessLogKeySource(name, env, common);
  const problems: string[] = [];
  const missing = (source: AccessLogKeySource) => !source.keyFile && !source.devKeyDir;
  if (missing(key)) {
    problems.push(
      `${SUBGRAPH_ENV_PREFIX[name]}_ACCESS_LOG_KEY_FILE: required with JWT_DEV_KEYS=false: the ${name} subgraph ` +
        'signs its access-log records with a key its database does not hold',
    );
  }
  const peers: AccessLogConfig['peers'] = {};
  if (witnessIntervalMs > 0) {
    for (const peer of peerNames) {
      const peerKey = accessLogKeySource(peer, env, common);
      if (missing(peerKey)) {
        problems.push(
          `${SUBGRAPH_ENV_PREFIX[peer]}_ACCESS_LOG_KEY_FILE: required with JWT_DEV_KEYS=false while witnessing is on ` +
            `(the ${peer} subgraph's public key authenticates its chain head); or ACCESS_LOG_WITNESS_INTERVAL_S=0`,
        );
      }
      peers[peer] = { url: c[`${SUBGRAPH_ENV_PREFIX[peer]}_URL`] as string, key: peerKey };
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { key, witnessIntervalMs, peers };
}

export function loadSubgraphConfig(name: SubgraphName, env: Env = process.env): SubgraphConfig {
  const prefix = SUBGRAPH_ENV_PREFIX[name];
  const problems = new ProblemList();
  const common = problems.collect(() => loadCommon(env));
  const own = z.object({
    [`${prefix}_PORT`]: port.default(DEFAULT_PORTS[name]),
    [`${prefix}_HOST`]: z.string().min(1).default('127.0.0.1'),
    [`${prefix}_DB_NAME`]: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/)
      .default(defaultDbName(name)),
    [`${prefix}_MONGODB_URI`]: mongoUri.optional(),
    MONGODB_URI: mongoUri.optional(),
    SUBGRAPH_INTROSPECTION: z.enum(['gateway', 'enabled']).default('gateway'),
    // 1 would publish cells of one person; above 100 hardly any figure of a regency survives
    STATS_MIN_CELL: z.coerce.number().int().min(2).max(100).default(5),
  });
  const parsed = problems.collect(() => parse(own, env) as Record<string, unknown>);
  if (common && !common.gatewayKey.publicKeyFile && !common.gatewayKey.devKeyDir) {
    problems.collect(() => {
      throw new ConfigError([
        'GATEWAY_PUBLIC_KEY_FILE: required with JWT_DEV_KEYS=false: a subgraph verifies that requests come from the gateway',
      ]);
    });
  }
  const sharedState = problems.collect(() => loadSharedState(env));
  const permitChecks =
    name === 'immigration' ? problems.collect(() => loadPermitChecks(env, sharedState ?? null)) : null;
  const limits = problems.collect(() => loadOperationLimits(env));
  const accessLog = common ? problems.collect(() => loadAccessLog(name, env, common)) : undefined;
  const retention = problems.collect(() => loadRetentionConfig(env));
  const tls = problems.collect(() => loadTlsConfig(env, 'subgraph'));
  const mongo = mongoUriFor(name, env);
  if (!mongo) {
    problems.collect(() => {
      throw new ConfigError([
        `MONGODB_URI (or ${prefix}_MONGODB_URI): required to run the ${name} subgraph on its own; ` +
          '`npm start` sets it to the embedded FerretDB',
      ]);
    });
  }
  problems.throwIfAny();
  if (!common || !parsed || permitChecks === undefined || !limits || !accessLog || !retention || !tls) {
    throw new ConfigError(['unreachable']);
  }
  return {
    ...common,
    name,
    tls,
    sharedState: sharedState ?? null,
    retention,
    permitChecks,
    limits,
    accessLog,
    port: parsed[`${prefix}_PORT`] as number,
    host: parsed[`${prefix}_HOST`] as string,
    introspection: parsed.SUBGRAPH_INTROSPECTION as SubgraphConfig['introspection'],
    statsMinCell: parsed.STATS_MIN_CELL as number,
    database: {
      mongoUri: mongo!,
      dbName: parsed[`${prefix}_DB_NAME`] as string,
    },
  };
}

/** Whether `createTokenSigner` has a private key: a configured one, or development keys when no other key is set. */
function canSignTokens(auth: AuthConfig): boolean {
  if (auth.publicKeyFile) return Boolean(auth.privateKeyFile);
  return !auth.jwksUrl && auth.devKeyDir !== null;
}

const MIB = 1024 * 1024;

/** Operation limits of every service (gateway and subgraphs read the same variables). */
function loadOperationLimits(env: Env): OperationLimits {
  const c = parse(
    z.object({
      MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
      MAX_QUERY_ALIASES: z.coerce.number().int().min(0).max(1000).default(20),
      MAX_QUERY_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2000),
      MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(10),
      MAX_QUERY_COST: z.coerce.number().int().min(100).max(100_000_000).default(50_000),
      MAX_REQUEST_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .max(100 * MIB)
        .default(100 * 1024),
      MAX_SIGNED_REQUEST_BYTES: z.coerce
        .number()
        .int()
        .min(1024)
        .max(100 * MIB)
        .default(8 * MIB),
      MAX_RESPONSE_OBJECTS: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
    }),
    env,
  );
  return {
    maxDepth: c.MAX_QUERY_DEPTH,
    maxAliases: c.MAX_QUERY_ALIASES,
    maxTokens: c.MAX_QUERY_TOKENS,
    maxDirectives: c.MAX_QUERY_DIRECTIVES,
    maxCost: c.MAX_QUERY_COST,
    maxRequestBytes: c.MAX_REQUEST_BYTES,
    maxSignedRequestBytes: c.MAX_SIGNED_REQUEST_BYTES,
    maxResponseObjects: c.MAX_RESPONSE_OBJECTS,
  };
}

/** Operation limits and introspection of the gateway; introspection is off by default in production. */
function loadLimits(env: Env, common: CommonConfig | undefined): { limits: OperationLimits; introspection: boolean } {
  const problems = new ProblemList();
  const limits = problems.collect(() => loadOperationLimits(env));
  const c = problems.collect(() => parse(z.object({ INTROSPECTION: z.enum(['enabled', 'disabled']).optional() }), env));
  problems.throwIfAny();
  if (!limits || !c) throw new ConfigError(['unreachable']);
  const production = (common?.env ?? env.NODE_ENV) === 'production';
  return { limits, introspection: c.INTROSPECTION ? c.INTROSPECTION === 'enabled' : !production };
}

/**
 * The explorer: served unless NODE_ENV=production, and minting development tokens only
 * outside production and only when a signing key is at hand. `EXPLORER=enabled` in
 * production serves the explorer for callers who bring their own token.
 */
/** Whether a listen address reaches only this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function loadExplorer(env: Env, common: CommonConfig | undefined, host: string): ExplorerConfig {
  const c = parse(
    z.object({
      EXPLORER: z.enum(['enabled', 'disabled']).optional(),
      EXPLORER_DEV_TOKENS: z.enum(['true', 'false']).optional(),
    }),
    env,
  );
  const production = (common?.env ?? env.NODE_ENV) === 'production';
  const canSign = common ? canSignTokens(common.auth) : true;
  if (c.EXPLORER_DEV_TOKENS === 'true') {
    const problems: string[] = [];
    if (production) {
      problems.push('EXPLORER_DEV_TOKENS: development tokens are refused when NODE_ENV=production (got "true")');
    }
    if (!isLoopbackHost(host)) {
      problems.push(
        `EXPLORER_DEV_TOKENS: development tokens are minted only while the gateway listens on loopback ` +
          `(127.0.0.1, ::1 or localhost), where only this machine can ask for one; GATEWAY_HOST is "${host}". ` +
          'Set EXPLORER_DEV_TOKENS=false, or GATEWAY_HOST=127.0.0.1 (got "true")',
      );
    }
    if (!canSign) {
      problems.push(
        'EXPLORER_DEV_TOKENS: development tokens need a signing key: JWT_PRIVATE_KEY_FILE with ' +
          'JWT_PUBLIC_KEY_FILE, or development keys (JWT_DEV_KEYS=true without JWT_JWKS_URL) (got "true")',
      );
    }
    if (problems.length > 0) throw new ConfigError(problems);
  }
  const enabled = c.EXPLORER ? c.EXPLORER === 'enabled' : !production;
  const devTokens = c.EXPLORER_DEV_TOKENS
    ? c.EXPLORER_DEV_TOKENS === 'true'
    : !production && canSign && isLoopbackHost(host);
  return { enabled, devTokens: enabled && devTokens };
}

export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const problems = new ProblemList();
  const common = problems.collect(() => loadCommon(env));
  const shape: Record<string, z.ZodType> = {
    GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway),
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  };
  for (const name of SUBGRAPH_NAMES) {
    shape[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = subgraphUrlSchema(name);
  }
  const parsed = problems.collect(() => parse(z.object(shape), env) as Record<string, unknown>);
  const explorer = problems.collect(() => loadExplorer(env, common, (parsed?.GATEWAY_HOST as string) ?? '127.0.0.1'));
  if (common && !common.gatewayKey.privateKeyFile && !common.gatewayKey.devKeyDir) {
    problems.collect(() => {
      throw new ConfigError([
        'GATEWAY_SIGNING_KEY_FILE: required with JWT_DEV_KEYS=false: the gateway signs every request to a subgraph',
      ]);
    });
  }
  const limits = problems.collect(() => loadLimits(env, common));
  const tls = problems.collect(() => loadTlsConfig(env, 'gateway'));
  problems.throwIfAny();
  if (!common || !parsed || !explorer || !limits || !tls) throw new ConfigError(['unreachable']);
  return {
    ...common,
    tls,
    port: parsed.GATEWAY_PORT as number,
    host: parsed.GATEWAY_HOST as string,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS as number,
    explorer,
    ...limits,
    subgraphs: Object.fromEntries(
      SUBGRAPH_NAMES.map((n) => [n, parsed[`${SUBGRAPH_ENV_PREFIX[n]}_URL`] as string]),
    ) as Record<SubgraphName, string>,
  };
}

/**
 * `@apollo/gateway` reports usage metrics to Apollo (usage-reporting.api.apollographql.com, after
 * probing cloud metadata endpoints) unless APOLLO_TELEMETRY_DISABLED is set. The hub sends nothing
 * to outside addresses, so the gateway turns it off unless an operator set the variable themselves.
 */
export function disableVendorTelemetry(env: Env = process.env): void {
  env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}

/** Configuration of `npm start` and the scripts that manage data (seed, database). */
export function loadHubConfig(env: Env = process.env): HubConfig {
  const problems = new ProblemList();
  const common = problems.collect(() => loadCommon(env));
  const shape: Record<string, z.ZodType> = {
    FERRETDB_PORT: port.default(DEFAULT_PORTS.ferretdb),
    FERRETDB_DEBUG_PORT: port.default(DEFAULT_PORTS.ferretdbDebug),
    SEED_COUNT: z.coerce.number().int().min(1).max(200_000).default(3000),
    MONGODB_URI: mongoUri.optional(),
  };
  for (const name of SUBGRAPH_NAMES) {
    shape[`${SUBGRAPH_ENV_PREFIX[name]}_MONGODB_URI`] = mongoUri.optional();
    shape[`${SUBGRAPH_ENV_PREFIX[name]}_DB_NAME`] = dbName(name);
  }
  const parsed = problems.collect(() => parse(z.object(shape), env) as Record<string, unknown>);
  const retention = problems.collect(() => loadRetentionConfig(env));
  problems.throwIfAny();
  if (!common || !parsed || !retention) throw new ConfigError(['unreachable']);
  const mongoUris: Partial<Record<SubgraphName, string>> = {};
  for (const name of SUBGRAPH_NAMES) {
    const uri = mongoUriFor(name, env);
    if (uri) mongoUris[name] = uri;
  }
  return {
    ...common,
    mongoUris,
    dbNames: Object.fromEntries(
      SUBGRAPH_NAMES.map((n) => [n, parsed[`${SUBGRAPH_ENV_PREFIX[n]}_DB_NAME`] as string]),
    ) as Record<SubgraphName, string>,
    ferretdb: {
      port: parsed.FERRETDB_PORT as number,
      debugPort: parsed.FERRETDB_DEBUG_PORT as number,
      dataDir: path.join(common.dataDir, 'ferretdb'),
    },
    seedCount: parsed.SEED_COUNT as number,
    retention,
    accessLogKeys: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, accessLogKeySource(n, env, common)])) as Record<
      SubgraphName,
      AccessLogKeySource
    >,
  };
}

/**
 * The directory a command-line tool was run from: npm runs scripts in the package's directory
 * and passes the caller's in `INIT_CWD`, against which relative paths given by the caller resolve.
 */
export function invocationDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}
