/**
 * Structured JSON logs (pino). Tokens and personal data are never logged: the
 * `Authorization` header is redacted, operation variables are never passed to a logger
 * (and redacted if they were), resolvers log ids, not values, and database errors lose the
 * values they quote (a duplicate key's value may be a passport number).
 */
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };
/** Where log lines go: standard output, or a stream a test reads. */
export type LogDestination = DestinationStream;

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'token',
  'variables',
  '*.variables',
  'req.body',
];

/** Properties of driver errors that quote stored or submitted values. */
const VALUE_BEARING_ERROR_FIELDS = ['keyValue', 'errorResponse', 'errmsg', 'writeErrors', 'result', 'op', 'variables'];

function withoutQuotedValues(text: string): string {
  return text.replace(/dup key: \{.*?\}/g, 'dup key: { [redacted] }');
}

/** pino's error serializer, minus the values a database error may quote. */
function serializeError(error: Error): Record<string, unknown> {
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const field of VALUE_BEARING_ERROR_FIELDS) delete serialized[field];
  for (const field of ['message', 'stack'] as const) {
    if (typeof serialized[field] === 'string') serialized[field] = withoutQuotedValues(serialized[field]);
  }
  return serialized;
}

export function createLogger(service: string, level: string, destination?: LogDestination): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: REDACTED_PATHS,
    serializers: { err: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
