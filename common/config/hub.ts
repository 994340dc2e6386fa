/** The configuration of `npm start` and of the command-line tools that manage the hub's data. */
import path from 'node:path';
import { z } from 'zod';
import { accessLogKeySource, type AccessLogKeySource } from './access-log.js';
import { loadCommon, type CommonConfig } from './common.js';
import { ConfigError, ProblemList, parse, type Env } from './parse.js';
import { loadRetentionConfig, type RetentionConfig } from './retention.js';
import { DEFAULT_PORTS, SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, mongoUriFor, type SubgraphName } from './services.js';
import { dbName, mongoUri, port } from './shared-schemas.js';

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
