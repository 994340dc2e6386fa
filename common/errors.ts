/**
 * The hub's error vocabulary. Expected failures are `PublicError`s that carry an
 * `extensions.code` (and, for bad input, the offending field); anything else is unexpected,
 * logged with the request id and masked before it reaches a caller. Messages are written in the
 * language of the request being served (`message()` of common/i18n/language.ts, catalogs in
 * common/i18n/messages.ts); codes and `extensions` are the same in every language.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDatabaseUnavailable } from './db/errors.js';
import { message as text } from './i18n/language.js';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PURPOSE_REQUIRED: 'PURPOSE_REQUIRED',
  OPERATION_NOT_ALLOWED: 'OPERATION_NOT_ALLOWED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** The operation exceeds an operation limit (depth, aliases, tokens, directives, cost, objects in the answer); nothing is answered. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The request body exceeds `MAX_REQUEST_BYTES` (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The gateway could not reach a subgraph; its fields are null, the others are served. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph did not answer within `SUBGRAPH_TIMEOUT_MS`; its fields are null, the others are served. */
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** A subgraph's database did not answer; retry shortly. */
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** An `Idempotency-Key` was reused with a different request. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The first request with this `Idempotency-Key` is still running; retry shortly. */
  IDEMPOTENCY_KEY_IN_PROGRESS: 'IDEMPOTENCY_KEY_IN_PROGRESS',
  /** Over a rate limit (stay-permit checks); `extensions.retryAfterSeconds` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The store of a rate limit (Redis) did not answer, so the limited operation is refused; retry shortly. */
  RATE_LIMIT_UNAVAILABLE: 'RATE_LIMIT_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  OPERATION_NOT_ALLOWED: 403,
  QUERY_TOO_COMPLEX: 400,
};

/** An expected failure whose message and code are safe to show to the caller. */
export class PublicError extends GraphQLError {
  constructor(
    message: string,
    readonly code: ErrorCode,
    extra: Record<string, unknown> = {},
  ) {
    const status = HTTP_STATUS[code];
    super(message, {
      extensions: { code, ...extra, ...(status ? { http: { status } } : {}) },
    });
    this.name = 'PublicError';
  }
}

/** The request carries no valid token; answered with HTTP 401 before any resolver runs. */
export class AuthenticationError extends PublicError {
  constructor(message = text('auth.tokenRequired')) {
    super(message, ErrorCode.UNAUTHENTICATED);
    this.name = 'AuthenticationError';
  }
}

/** The caller is known but the policy does not allow this. */
export class ForbiddenError extends PublicError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, ErrorCode.FORBIDDEN, extra);
    this.name = 'ForbiddenError';
  }
}

/** One input value is wrong; `field` is its path in the operation's arguments, e.g. `input.nationality`. */
/** Personal data was asked for without stating a purpose (`X-Purpose`). */
export class PurposeRequiredError extends PublicError {
  constructor() {
    super(text('purpose.required'), ErrorCode.PURPOSE_REQUIRED);
    this.name = 'PurposeRequiredError';
  }
}

/** A partner sent an operation that is not registered for it. */
export class OperationNotAllowedError extends PublicError {
  constructor(message: string) {
    super(message, ErrorCode.OPERATION_NOT_ALLOWED);
    this.name = 'OperationNotAllowedError';
  }
}

export class InputError extends PublicError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, ErrorCode.BAD_USER_INPUT, { field });
    this.name = 'InputError';
  }
}

export class NotFoundError extends PublicError {
  constructor(what: string, id: string, field?: string) {
    super(`${what} ${id} does not exist`, ErrorCode.NOT_FOUND, field ? { field } : {});
    this.name = 'NotFoundError';
  }
}

/** A write would break a uniqueness rule (e.g. a passport number registered twice). */
export class ConflictError extends PublicError {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, ErrorCode.CONFLICT, { field });
    this.name = 'ConflictError';
  }
}

/**
 * Which operation limit an operation exceeds (`extensions.limit`); `permitChecks`: `verifyStayPermit`
 * fields; `responseObjects`: objects in the answer, the one limit found while resolving.
 */
export type OperationLimit =
  'depth' | 'aliases' | 'tokens' | 'directives' | 'cost' | 'permitChecks' | 'responseObjects';

/** An operation over one of the operation limits (common/limits/); refused before any resolver runs. */
export class QueryTooComplexError extends PublicError {
  constructor(message: string, limit: OperationLimit, max: number) {
    super(message, ErrorCode.QUERY_TOO_COMPLEX, { limit, max });
    this.name = 'QueryTooComplexError';
  }
}

/** Which rate limit a request is over (`extensions.limit`). */
export type RateLimit = 'callerPerMinute' | 'callerPerHour' | 'permitPerDay';

/** Over a rate limit: nothing was done, and `retryAfterSeconds` says when the limit allows it again. */
export class RateLimitedError extends PublicError {
  constructor(message: string, limit: RateLimit, retryAfterSeconds: number) {
    super(message, ErrorCode.RATE_LIMITED, { limit, retryAfterSeconds });
    this.name = 'RateLimitedError';
  }
}

/** A rate limit could not be checked (its store is down); the operation it guards is refused, not let through. */
export class RateLimitUnavailableError extends PublicError {
  constructor(message: string) {
    super(message, ErrorCode.RATE_LIMIT_UNAVAILABLE);
    this.name = 'RateLimitUnavailableError';
  }
}

/** A subgraph could not be reached or did not answer in time: only its own fields are missing. */
export class SubgraphUnavailableError extends PublicError {
  constructor(serviceName: string, timedOutAfterMs?: number) {
    super(
      timedOutAfterMs === undefined
        ? text('subgraph.unavailable', { name: serviceName })
        : text('subgraph.timeout', { name: serviceName, ms: timedOutAfterMs }),
      timedOutAfterMs === undefined ? ErrorCode.SUBGRAPH_UNAVAILABLE : ErrorCode.SUBGRAPH_TIMEOUT,
      { serviceName },
    );
    this.name = 'SubgraphUnavailableError';
  }
}

/**
 * A mutation whose connection to its subgraph was lost before any answer, which the gateway did
 * not send again because the request has no `Idempotency-Key` (it may have run): SUBGRAPH_UNAVAILABLE,
 * naming the subgraph and the header that would have let the gateway retry it.
 */
export class SubgraphWriteNotRetriedError extends PublicError {
  constructor(serviceName: string) {
    super(text('subgraph.writeNotRetried', { name: serviceName }), ErrorCode.SUBGRAPH_UNAVAILABLE, {
      serviceName,
      field: 'Idempotency-Key',
    });
    this.name = 'SubgraphWriteNotRetriedError';
  }
}

/** Codes produced by GraphQL itself or Apollo Server for malformed operations; safe to pass on. */
const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PURPOSE_REQUIRED',
  'OPERATION_NOT_ALLOWED',
  'QUERY_TOO_COMPLEX',
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'DATABASE_UNAVAILABLE',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_PROGRESS',
  'RATE_LIMITED',
  'RATE_LIMIT_UNAVAILABLE',
]);

/** A GraphQLError without a code that its raiser marked with a 4xx HTTP status (a refused request). */
function isUncodedRequestError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export type ErrorLogger = (error: unknown, formatted: GraphQLFormattedError) => void;

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * An error message without its suggestions ("Did you mean …"): they name fields, arguments, types
 * and enum values a caller did not ask for — a map of the schema for someone refused introspection.
 * No service of the hub makes them (graphql-armor's blockFieldSuggestions, for Apollo Server).
 */
export function withoutSuggestions(message: string): string {
  return message.includes('Did you mean') ? message.replace(SUGGESTION, '') : message;
}

/**
 * Apollo Server `formatError`: keeps public errors as they are, logs and masks the rest.
 * Stack traces and field suggestions never reach a caller.
 */
export function createFormatError(logUnexpected: ErrorLogger) {
  const format = formatPublicErrors(logUnexpected);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    const message = withoutSuggestions(result.message);
    return message === result.message ? result : { ...result, message };
  };
}

function formatPublicErrors(logUnexpected: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // a PublicError raised by a validation rule (an operation limit) arrives wrapped as GRAPHQL_VALIDATION_FAILED
    const raisedInValidation = original instanceof GraphQLError ? original.originalError : undefined;
    if (raisedInValidation instanceof PublicError && !(original instanceof PublicError)) {
      const { http: _http, ...extensions } = raisedInValidation.extensions;
      return { message: raisedInValidation.message, locations: formatted.locations, extensions };
    }
    if (isDatabaseUnavailable(original)) {
      logUnexpected(original, formatted);
      return {
        message: text('database.unavailable'),
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.DATABASE_UNAVAILABLE },
      };
    }
    // Apollo Server's own refusals of a malformed request (an unsupported `persistedQuery` version,
    // a hash that does not match the document) carry a 4xx status but no code: the caller's mistake
    if (isUncodedRequestError(original)) {
      return { message: original.message, locations: formatted.locations, extensions: { code: 'BAD_REQUEST' } };
    }
    const code = formatted.extensions?.code;
    const isPublic = original instanceof PublicError || (typeof code === 'string' && PASS_THROUGH_CODES.has(code));
    if (isPublic) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logUnexpected(original, formatted);
    return {
      message: text('internal'),
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
