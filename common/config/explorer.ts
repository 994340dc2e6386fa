import { z } from 'zod';
import { canSignTokens } from './auth.js';
import type { CommonConfig } from './common.js';
import { ConfigError, parse, type Env } from './parse.js';

/** The GraphiQL explorer the gateway serves at `/explorer` (`EXPLORER`, `EXPLORER_DEV_TOKENS`). */
export interface ExplorerConfig {
  /** Whether `/explorer` is served at all (404 otherwise). */
  enabled: boolean;
  /** Whether its role picker may mint development tokens (`POST /explorer/dev-token`); never in production. */
  devTokens: boolean;
}

/** Whether a listen address reaches only this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The explorer: served unless NODE_ENV=production, and minting development tokens only
 * outside production and only when a signing key is at hand. `EXPLORER=enabled` in
 * production serves the explorer for callers who bring their own token.
 */
export function loadExplorer(env: Env, common: CommonConfig | undefined, host: string): ExplorerConfig {
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
