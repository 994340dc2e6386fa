/**
 * The hub's error vocabulary. Expected failures are `PublicError`s that carry an
 * `extensions.code` (and, for bad input, the offending field); anything else is unexpected,
 * logged with the request id and masked before it reaches a caller.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  PURPOSE_REQUIRED: 'PURPOSE_REQUIRED',
  OPERATION_NOT_ALLOWED: 'OPERATION_NOT_ALLOWED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  OPERATION_NOT_ALLOWED: 403,
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
  constructor(message = 'A valid bearer token is required') {
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
    super('Personal data needs a stated purpose: send the X-Purpose header', ErrorCode.PURPOSE_REQUIRED);
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
]);

export type ErrorLogger = (error: unknown, formatted: GraphQLFormattedError) => void;

/**
 * Apollo Server `formatError`: keeps public errors as they are, logs and masks the rest.
 * Stack traces never reach a caller.
 */
export function createFormatError(logUnexpected: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    const isPublic = original instanceof PublicError || (typeof code === 'string' && PASS_THROUGH_CODES.has(code));
    if (isPublic) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logUnexpected(original, formatted);
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
