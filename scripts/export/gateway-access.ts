/**
 * How the command-line tools that read through the gateway (`npm run export`,
 * `npm run subject-access`) find it and sign in: the gateway's URL from --gateway or the hub's
 * configuration, and the caller's token from --token or, in development, signed from
 * --agency-type/--agency/--jurisdiction [--scope] as `npm run token` does.
 */
import { AGENCY_TYPES, isScope, type AgencyType } from '../../common/auth/policy.js';
import { createTokenSigner } from '../../common/auth/tokens.js';
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { DEFAULT_PORTS } from '../../common/config/services.js';

/** The token options every such tool takes (parseArgs values). */
export interface TokenOptions {
  token?: string;
  'agency-type'?: string;
  agency?: string;
  jurisdiction?: string;
  scope?: string;
}

export const TOKEN_PARSE_OPTIONS = {
  token: { type: 'string' },
  'agency-type': { type: 'string' },
  agency: { type: 'string' },
  jurisdiction: { type: 'string' },
  scope: { type: 'string' },
  gateway: { type: 'string' },
} as const;

/** The gateway's GraphQL URL: `given`, else the configured gateway's, else the default port on this machine. */
export function gatewayUrl(given?: string): string {
  if (given) return given;
  try {
    const config = loadGatewayConfig();
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    return `http://${host}:${config.port}/graphql`;
  } catch {
    return `http://127.0.0.1:${DEFAULT_PORTS.gateway}/graphql`;
  }
}

/** The caller's token: --token, or a development token signed with the hub's keys. */
export async function callerToken(values: TokenOptions, fail: (message: string) => never): Promise<string> {
  if (values.token) return values.token;
  const agencyType = values['agency-type']?.toUpperCase();
  if (!agencyType) fail('give --token, or --agency-type, --agency and --jurisdiction for a development token');
  if (!(AGENCY_TYPES as readonly string[]).includes(agencyType)) {
    fail(`--agency-type must be one of ${AGENCY_TYPES.join(', ')}`);
  }
  if (!values.agency || !values.jurisdiction) fail('--agency and --jurisdiction are required with --agency-type');
  const scopes = values.scope?.split(/[\s,]+/).filter(Boolean);
  const unknown = scopes?.filter((s) => !isScope(s));
  if (unknown?.length) fail(`unknown scope ${unknown.join(', ')}`);
  const sign = await createTokenSigner(loadHubConfig().auth);
  return sign({
    agencyType: agencyType as AgencyType,
    agency: values.agency,
    jurisdiction: values.jurisdiction
      .split(',')
      .map((j) => j.trim())
      .filter(Boolean),
    scopes: scopes?.filter(isScope),
    lifetimeSeconds: 3600,
  });
}
