/**
 * The explorer as the gateway mounts it: nothing when `EXPLORER=disabled`; otherwise the
 * bundle (built now when stale) and, when `EXPLORER_DEV_TOKENS` allows (never beyond loopback),
 * a token signer for the role picker.
 */
import type { Express } from 'express';
import { createTokenSigner, type TokenVerifier } from '../../../common/auth/tokens.js';
import type { GatewayConfig } from '../../../common/config/gateway.js';
import type { Logger } from '../../../common/logger.js';
import { loadExplorerBundle } from './bundle.js';
import { EXPLORER_PATH, mountExplorer } from './routes.js';

export { EXPLORER_PATH };

/** Returns what mounts the explorer on the gateway's app, or null when it is disabled. */
export async function prepareExplorer(
  config: GatewayConfig,
  log: Logger,
  verifyToken: TokenVerifier,
  graphqlPath = '/graphql',
): Promise<((app: Express) => void) | null> {
  if (!config.explorer.enabled) return null;
  const started = Date.now();
  const bundle = await loadExplorerBundle();
  log.info(
    { built: bundle.built, ms: Date.now() - started, devTokens: config.explorer.devTokens },
    bundle.built ? 'explorer bundle built' : 'explorer bundle current',
  );
  // the configuration allows development tokens only while the gateway listens on loopback
  const signToken = config.explorer.devTokens ? await createTokenSigner(config.auth) : undefined;
  return (app) => mountExplorer(app, { bundle, signToken, verifyToken, graphqlPath, log });
}
