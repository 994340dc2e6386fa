/** The gateway's configuration: its listener, the subgraphs it calls, its limits and explorer, and its telemetry opt-out. */
import { z } from 'zod';
import { loadCommon, type CommonConfig } from './common.js';
import { loadExplorer, type ExplorerConfig } from './explorer.js';
import { loadOperationLimits, type OperationLimits } from './limits.js';
import { ConfigError, ProblemList, parse, type Env } from './parse.js';
import { DEFAULT_PORTS, SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES, type SubgraphName } from './services.js';
import { port, subgraphUrlSchema } from './shared-schemas.js';
import { loadTlsConfig, type TlsConfig } from './tls.js';

export interface GatewayConfig extends CommonConfig {
  port: number;
  host: string;
  subgraphs: Record<SubgraphName, string>;
  /** Per-subgraph request timeout in milliseconds. */
  subgraphTimeoutMs: number;
  explorer: ExplorerConfig;
  /** What one request may ask of the gateway (`MAX_QUERY_*`, `MAX_REQUEST_BYTES`, `MAX_RESPONSE_OBJECTS`). */
  limits: OperationLimits;
  /** Whether the schema may be introspected (`INTROSPECTION`); the explorer's docs need it. */
  introspection: boolean;
  /** HTTPS of the gateway's listener, and the client certificate and CAs of its subgraph fetches. */
  tls: TlsConfig;
}

/** Operation limits and introspection of the gateway; introspection is off by default in production. */
function loadLimits(env: Env, common: CommonConfig | undefined): { limits: OperationLimits; introspection: boolean } {
  const problems = new ProblemList();
  const limits = problems.collect(() => loadOperationLimits(env));
  const c = problems.collect(() => parse(z.object({ INTROSPECTION: z.enum(['enabled', 'disabled']).optional() }), env));
  problems.throwIfAny();
  if (!limits || !c) throw new ConfigError(['unreachable']);
  const production = (common?.env ?? env.NODE_ENV) === 'production';
  return { limits, introspection: c.INTROSPECTION ? c.INTROSPECTION === 'enabled' : !production };
}

/** Configuration of the gateway process. */
export function loadGatewayConfig(env: Env = process.env): GatewayConfig {
  const problems = new ProblemList();
  const common = problems.collect(() => loadCommon(env));
  const shape: Record<string, z.ZodType> = {
    GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway),
    GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  };
  for (const name of SUBGRAPH_NAMES) {
    shape[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = subgraphUrlSchema(name);
  }
  const parsed = problems.collect(() => parse(z.object(shape), env) as Record<string, unknown>);
  const explorer = problems.collect(() => loadExplorer(env, common, (parsed?.GATEWAY_HOST as string) ?? '127.0.0.1'));
  if (common && !common.gatewayKey.privateKeyFile && !common.gatewayKey.devKeyDir) {
    problems.collect(() => {
      throw new ConfigError([
        'GATEWAY_SIGNING_KEY_FILE: required with JWT_DEV_KEYS=false: the gateway signs every request to a subgraph',
      ]);
    });
  }
  const limits = problems.collect(() => loadLimits(env, common));
  const tls = problems.collect(() => loadTlsConfig(env, 'gateway'));
  problems.throwIfAny();
  if (!common || !parsed || !explorer || !limits || !tls) throw new ConfigError(['unreachable']);
  return {
    ...common,
    tls,
    port: parsed.GATEWAY_PORT as number,
    host: parsed.GATEWAY_HOST as string,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS as number,
    explorer,
    ...limits,
    subgraphs: Object.fromEntries(
      SUBGRAPH_NAMES.map((n) => [n, parsed[`${SUBGRAPH_ENV_PREFIX[n]}_URL`] as string]),
    ) as Record<SubgraphName, string>,
  };
}

/**
 * `@apollo/gateway` reports usage metrics to Apollo (usage-reporting.api.apollographql.com, after
 * probing cloud metadata endpoints) unless APOLLO_TELEMETRY_DISABLED is set. The hub sends nothing
 * to outside addresses, so the gateway turns it off unless an operator set the variable themselves.
 */
export function disableVendorTelemetry(env: Env = process.env): void {
  env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}
