/** A subgraph's configuration: its own listener and database, and every concern it shares with the other services. */
import { z } from 'zod';
import { loadAccessLog, type AccessLogConfig } from './access-log.js';
import { loadCommon, type CommonConfig } from './common.js';
import { loadOperationLimits, type OperationLimits } from './limits.js';
import { ConfigError, ProblemList, parse, type Env } from './parse.js';
import { loadPermitChecks, type PermitCheckConfig } from './permit-checks.js';
import { loadRetentionConfig, type RetentionConfig } from './retention.js';
import { DEFAULT_PORTS, SUBGRAPH_ENV_PREFIX, defaultDbName, mongoUriFor, type SubgraphName } from './services.js';
import { mongoUri, port } from './shared-schemas.js';
import { loadSharedState, type SharedStateConfig } from './shared-state.js';
import { loadTlsConfig, type TlsConfig } from './tls.js';

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

/** Configuration of one subgraph process (`npm start` runs one per subgraph). */
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
