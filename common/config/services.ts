/**
 * The hub's services and their defaults: the subgraphs' names and environment-variable
 * prefixes, default ports, default database names, and where a subgraph's database is.
 */
import type { Env } from './parse.js';

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

/** Default database name of a subgraph: `timpora_immigration`, `timpora_police`, `timpora_local_government`. */
export function defaultDbName(name: SubgraphName): string {
  return `timpora_${name.replace(/-/g, '_')}`;
}

/** A subgraph's MongoDB URI: `<PREFIX>_MONGODB_URI`, else `MONGODB_URI`. */
export function mongoUriFor(name: SubgraphName, env: Env): string | undefined {
  const prefix = SUBGRAPH_ENV_PREFIX[name];
  return env[`${prefix}_MONGODB_URI`] ?? env.MONGODB_URI;
}
