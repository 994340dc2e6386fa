/** A subgraph's access log: the key that signs its records, and the witnessing of the other agencies' chains. */
import path from 'node:path';
import { z } from 'zod';
import type { CommonConfig } from './common.js';
import { ConfigError, parse, type Env } from './parse.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, type SubgraphName } from './services.js';
import { subgraphUrlSchema } from './shared-schemas.js';

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

/** Where `name`'s access-log key is: `<PREFIX>_ACCESS_LOG_KEY_FILE`, or development keys under DATA_DIR/keys/access-log/<name>. */
export function accessLogKeySource(name: SubgraphName, env: Env, common: CommonConfig): AccessLogKeySource {
  const keyFile = env[`${SUBGRAPH_ENV_PREFIX[name]}_ACCESS_LOG_KEY_FILE`] || undefined;
  return {
    keyFile,
    devKeyDir: common.auth.devKeyDir ? path.join(common.auth.devKeyDir, 'access-log', name) : null,
  };
}

/** `name`'s access-log key and witnessing; with JWT_DEV_KEYS=false, every key needed must be named. */
export function loadAccessLog(name: SubgraphName, env: Env, common: CommonConfig): AccessLogConfig {
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
