/**
 * The explorer as the gateway mounts it: nothing when `EXPLORER=disabled`; otherwise the
 * bundle (built now when stale) and, when `EXPLORER_DEV_TOKENS` allows, a token signer for
 * the role picker.
 */
import type { Express } from 'express';
import { createTokenSigner } from '../../../common/auth/tokens.js';
import type { GatewayConfig } from '../../../common/config.js';
import type { Logger } from '../../../common/logger.js';
import { loadExplorerBundle } from './bundle.js';
import { EXPLORER_PATH, mountExplorer } from './routes.js';

export { EXPLORER_PATH };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Returns what mounts the explorer on the gateway's app, or null when it is disabled. */
export async function prepareExplorer(
  config: GatewayConfig,
  log: Logger,
  graphqlPath = '/graphql',
): Promise<((app: Express) => void) | null> {
  if (!config.explorer.enabled) return null;
  const started = Date.now();
  const bundle = await loadExplorerBundle();
  log.info(
    { built: bundle.built, ms: Date.now() - started, devTokens: config.explorer.devTokens },
    bundle.built ? 'explorer bundle built' : 'explorer bundle current',
  );
  const signToken = config.explorer.devTokens ? await createTokenSigner(config.auth) : undefined;
  if (signToken && !LOOPBACK.has(config.host)) {
    log.warn(
      { host: config.host },
      'the explorer mints development tokens for anyone who reaches this gateway; set EXPLORER_DEV_TOKENS=false ' +
        'unless this network is a development one',
    );
  }
  return (app) => mountExplorer(app, { bundle, signToken, graphqlPath, log });
}
