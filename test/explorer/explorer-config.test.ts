/**
 * `EXPLORER` and `EXPLORER_DEV_TOKENS`: served with development tokens in development, off in
 * production, and development tokens refused in production (listed with every other problem).
 */
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { problemsOf } from '../helpers/config.js';

/** The problems of a gateway configuration read from `env`. */
const gatewayProblems = (env: Record<string, string>) => problemsOf(() => loadGatewayConfig(env));

describe('explorer configuration', () => {
  it('serves the explorer with development tokens outside production', () => {
    expect(loadGatewayConfig({}).explorer).toEqual({ enabled: true, devTokens: true });
    expect(loadGatewayConfig({ NODE_ENV: 'test' }).explorer).toEqual({ enabled: true, devTokens: true });
  });

  it('turns both off in production by default, and allows the explorer without development tokens', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_DEV_KEYS: 'false',
      JWT_JWKS_URL: 'https://idp.example/jwks',
      GATEWAY_SIGNING_KEY_FILE: '/etc/timpora/gateway-signing.pem',
    };
    expect(loadGatewayConfig(production).explorer).toEqual({ enabled: false, devTokens: false });
    expect(loadGatewayConfig({ ...production, EXPLORER: 'enabled' }).explorer).toEqual({
      enabled: true,
      devTokens: false,
    });
  });

  it('refuses development tokens in production, listed with the other problems', () => {
    const problems = gatewayProblems({ NODE_ENV: 'production', EXPLORER_DEV_TOKENS: 'true', GATEWAY_PORT: 'x' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/EXPLORER_DEV_TOKENS: development tokens are refused when NODE_ENV=production/);
    expect(problems.join('\n')).toMatch(/GATEWAY_PORT/);
  });

  it('needs a signing key for development tokens, and only offers them when one is at hand', () => {
    const jwks = { JWT_JWKS_URL: 'https://idp.example/jwks' };
    expect(gatewayProblems({ ...jwks, EXPLORER_DEV_TOKENS: 'true' })).toEqual([
      expect.stringMatching(/EXPLORER_DEV_TOKENS: development tokens need a signing key/),
    ]);
    expect(loadGatewayConfig(jwks).explorer).toEqual({ enabled: true, devTokens: false });
  });

  it('has no development tokens when the explorer is disabled, and rejects unknown values', () => {
    expect(loadGatewayConfig({ EXPLORER: 'disabled' }).explorer).toEqual({ enabled: false, devTokens: false });
    expect(gatewayProblems({ EXPLORER: 'on', EXPLORER_DEV_TOKENS: 'yes' })).toEqual([
      expect.stringMatching(/^EXPLORER: .*"on"/),
      expect.stringMatching(/^EXPLORER_DEV_TOKENS: .*"yes"/),
    ]);
  });
});
