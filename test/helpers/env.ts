/**
 * Configuration for services started inside a test: the run's FerretDB, free ports, a
 * per-file database name and development keys in the run's temporary directory.
 */
import { randomBytes } from 'node:crypto';
import { loadGatewayConfig, type GatewayConfig } from '../../common/config/gateway.js';
import { SUBGRAPH_ENV_PREFIX, type SubgraphName } from '../../common/config/services.js';
import { loadSubgraphConfig, type SubgraphConfig } from '../../common/config/subgraph.js';

export function testMongoUri(): string {
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests with `npm test`');
  return uri;
}

/** A database name no other test file uses: `t_<label>_<random>`. */
export function uniqueDbName(label: string): string {
  return `t_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

function baseEnv(): Record<string, string> {
  return {
    DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
  };
}

/** A subgraph's configuration in a test; `overrides` add variables, e.g. a fixed port or `METRICS_TOKEN`. */
export function testSubgraphConfig(
  name: SubgraphName,
  dbName: string,
  overrides: Record<string, string> = {},
): SubgraphConfig {
  const prefix = SUBGRAPH_ENV_PREFIX[name];
  return loadSubgraphConfig(name, {
    ...baseEnv(),
    MONGODB_URI: testMongoUri(),
    [`${prefix}_PORT`]: '0',
    [`${prefix}_DB_NAME`]: dbName,
    ...overrides,
  });
}

/**
 * The gateway's configuration in a test; the explorer is off unless `overrides` turn it on
 * (`EXPLORER: 'enabled'`), so other tests neither build nor serve its bundle.
 */
export function testGatewayConfig(
  subgraphUrls: Record<SubgraphName, string>,
  overrides: Record<string, string> = {},
): GatewayConfig {
  const env: Record<string, string> = {
    ...baseEnv(),
    GATEWAY_PORT: '0',
    SUBGRAPH_TIMEOUT_MS: '10000',
    EXPLORER: 'disabled',
    ...overrides,
  };
  for (const [name, url] of Object.entries(subgraphUrls)) {
    env[`${SUBGRAPH_ENV_PREFIX[name as SubgraphName]}_URL`] = url;
  }
  return loadGatewayConfig(env);
}
