/**
 * Configuration of every hub process, parsed and validated once from the environment.
 * This is the only module that reads `process.env`; everything else receives typed config.
 * Every problem is listed at once, so an operator fixes a bad deployment in one pass.
 */
import path from 'node:path';
import { z } from 'zod';

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

const commonSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  LOG_LEVEL: logLevel.default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

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

export interface CommonConfig {
  dataDir: string;
  logLevel: z.infer<typeof logLevel>;
  env: 'development' | 'production' | 'test';
  auth: AuthConfig;
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
  database: DatabaseConfig;
}

export interface GatewayConfig extends CommonConfig {
  port: number;
  host: string;
  subgraphs: Record<SubgraphName, string>;
  /** Per-subgraph request timeout in milliseconds. */
  subgraphTimeoutMs: number;
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
}

function loadCommon(env: Env): CommonConfig {
  const c = parse(commonSchema.and(authSchema), env);
  return {
    dataDir: path.resolve(c.DATA_DIR),
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
  };
}

/** Default database name of a subgraph: `timpora_immigration`, `timpora_police`, `timpora_local_government`. */
export function defaultDbName(name: SubgraphName): string {
  return `timpora_${name.replace(/-/g, '_')}`;
}

function mongoUriFor(name: SubgraphName, env: Env): string | undefined {
  const prefix = SUBGRAPH_ENV_PREFIX[name];
  return env[`${prefix}_MONGODB_URI`] ?? env.MONGODB_URI;
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
  });
  const parsed = problems.collect(() => parse(own, env) as Record<string, unknown>);
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
  if (!common || !parsed) throw new ConfigError(['unreachable']);
  return {
    ...common,
    name,
    port: parsed[`${prefix}_PORT`] as number,
    host: parsed[`${prefix}_HOST`] as string,
    database: {
      mongoUri: mongo!,
      dbName: parsed[`${prefix}_DB_NAME`] as string,
    },
  };
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
    shape[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = httpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`);
  }
  const parsed = problems.collect(() => parse(z.object(shape), env) as Record<string, unknown>);
  problems.throwIfAny();
  if (!common || !parsed) throw new ConfigError(['unreachable']);
  return {
    ...common,
    port: parsed.GATEWAY_PORT as number,
    host: parsed.GATEWAY_HOST as string,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS as number,
    subgraphs: Object.fromEntries(
      SUBGRAPH_NAMES.map((n) => [n, parsed[`${SUBGRAPH_ENV_PREFIX[n]}_URL`] as string]),
    ) as Record<SubgraphName, string>,
  };
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
  problems.throwIfAny();
  if (!common || !parsed) throw new ConfigError(['unreachable']);
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
  };
}
