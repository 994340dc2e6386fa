/**
 * Structured JSON logs (pino). Tokens and personal data are never logged: the
 * `Authorization` header is redacted and resolvers log ids, not values.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(service: string, level: string): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    redact: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token'],
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
