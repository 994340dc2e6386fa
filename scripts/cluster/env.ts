/**
 * The environment of the cluster's hub processes: what every one shares, and each subgraph
 * replica's and gateway's addresses, database and peers (every agency reached through the fault
 * proxy). Nothing of the caller's environment leaks in.
 */
import { SUBGRAPH_ENV_PREFIX, type SubgraphName } from '../../common/config/services.js';
import { tlsEnv } from './tls.js';
import {
  KEYS_DATA_DIR,
  PORTS,
  REDIS_URL,
  SUBGRAPH_NAMES,
  agencyUrl,
  host,
  replicaAddress,
  type GatewayHost,
} from './topology.js';

/** The environment every hub process of the cluster shares; nothing of the caller's leaks in. */
export function baseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    DATA_DIR: KEYS_DATA_DIR,
    LOG_LEVEL: 'warn',
    REDIS_URL,
    EXPLORER_DEV_TOKENS: 'false',
  };
}

export function subgraphEnv(name: SubgraphName, replica: number, tls: boolean): NodeJS.ProcessEnv {
  const prefix = SUBGRAPH_ENV_PREFIX[name];
  const own = replicaAddress(name, replica);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    ...(tls ? tlsEnv(name) : {}),
    [`${prefix}_HOST`]: own.host,
    [`${prefix}_PORT`]: String(own.port),
    [`${prefix}_MONGODB_URI`]: `mongodb://${host(name).address}:${PORTS.ferretdb}/`,
  };
  // the other agencies, whose access-log chain heads this one witnesses, through the fault proxy too
  for (const peer of SUBGRAPH_NAMES) {
    if (peer !== name) env[`${SUBGRAPH_ENV_PREFIX[peer]}_URL`] = agencyUrl(peer, tls);
  }
  return env;
}

export function gatewayEnv(name: GatewayHost, tls: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    ...(tls ? tlsEnv(name) : {}),
    GATEWAY_HOST: host(name).address,
    GATEWAY_PORT: String(PORTS.gateway),
  };
  for (const agency of SUBGRAPH_NAMES) env[`${SUBGRAPH_ENV_PREFIX[agency]}_URL`] = agencyUrl(agency, tls);
  return env;
}
