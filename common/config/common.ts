/**
 * What every process of the hub reads: its data directory, language, log level and NODE_ENV,
 * token verification and the gateway's key pair (auth.ts), its operator endpoints and traces
 * (observability.ts), and the hub's clock for demos and tests (`HUB_NOW`), in one parse.
 */
import path from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../i18n/labels.js';
import { authSchema, gatewayKeySchema, type AuthConfig, type GatewayKeyConfig } from './auth.js';
import { observabilityOf, observabilitySchema, type ObservabilityConfig } from './observability.js';
import { parse, type Env } from './parse.js';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const commonSchema = z.object({
  DATA_DIR: z.string().min(1).default('data'),
  /** The language of messages when a request's Accept-Language names neither id nor en. */
  DEFAULT_LANGUAGE: z.enum(LANGUAGES, { error: 'must be id (Bahasa Indonesia) or en (English)' }).default('id'),
  LOG_LEVEL: logLevel.default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

/**
 * The hub's clock for demos and tests (common/clock.ts): `HUB_NOW` starts it at an instant,
 * e.g. `2026-12-07T16:30:00Z` (23:30 WIB), and time runs on from there. Refused with
 * NODE_ENV=production, where "today" must be the real day.
 */
const hubClockSchema = z
  .object({
    HUB_NOW: z.iso
      .datetime({
        offset: true,
        error: 'must be an ISO 8601 instant with its offset, e.g. 2026-12-07T16:30:00Z or 2026-12-07T23:30:00+07:00',
      })
      .optional(),
    NODE_ENV: z.string().optional(),
  })
  .refine((v) => !(v.HUB_NOW && v.NODE_ENV === 'production'), {
    message: 'a clock set for demos and tests cannot be used with NODE_ENV=production; unset HUB_NOW',
    path: ['HUB_NOW'],
  });

/** The instant `HUB_NOW` starts the hub's clock at, or null for the real time; a bad value is a ConfigError. */
export function loadHubNow(env: Env = process.env): Date | null {
  const c = parse(hubClockSchema, env);
  return c.HUB_NOW ? new Date(c.HUB_NOW) : null;
}

export interface CommonConfig {
  dataDir: string;
  /** Messages' language when a request's `Accept-Language` names neither `id` nor `en` (`DEFAULT_LANGUAGE`). */
  defaultLanguage: Language;
  logLevel: z.infer<typeof logLevel>;
  env: 'development' | 'production' | 'test';
  auth: AuthConfig;
  gatewayKey: GatewayKeyConfig;
  observability: ObservabilityConfig;
}

/** The settings every service shares; a ConfigError lists every problem among them. */
export function loadCommon(env: Env): CommonConfig {
  const c = parse(commonSchema.and(authSchema).and(observabilitySchema).and(gatewayKeySchema).and(hubClockSchema), env);
  return {
    dataDir: path.resolve(c.DATA_DIR),
    defaultLanguage: c.DEFAULT_LANGUAGE,
    logLevel: c.LOG_LEVEL,
    env: c.NODE_ENV,
    auth: {
      issuer: c.JWT_ISSUER,
      audience: c.JWT_AUDIENCE,
      publicKeyFile: c.JWT_PUBLIC_KEY_FILE,
      jwksUrl: c.JWT_JWKS_URL,
      privateKeyFile: c.JWT_PRIVATE_KEY_FILE,
      devKeyDir: c.JWT_DEV_KEYS === 'true' ? path.resolve(c.DATA_DIR, 'keys') : null,
    },
    gatewayKey: {
      privateKeyFile: c.GATEWAY_SIGNING_KEY_FILE,
      publicKeyFile: c.GATEWAY_PUBLIC_KEY_FILE,
      devKeyDir: c.JWT_DEV_KEYS === 'true' ? path.resolve(c.DATA_DIR, 'keys', 'gateway') : null,
    },
    observability: observabilityOf(c),
  };
}
