/**
 * Requests refused before they reach GraphQL — a body over the size limit, a body that is not
 * JSON — answered the way GraphQL errors are: a JSON body with `errors[].extensions.code`, the
 * right HTTP status, and never a stack trace (express's own error page shows one outside
 * production). The message is in the language the request asks for (`Accept-Language`).
 */
import type { ErrorRequestHandler } from 'express';
import { languageOf, translate, type Language, type MessageKey } from '../i18n/language.js';

interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
}

interface Refusal {
  status: number;
  code: string;
  message: MessageKey;
  values?: Record<string, unknown>;
}

/** The code and message of a refused request, by the body parser's error type. */
function describe(error: BodyParserError): Refusal {
  switch (error.type) {
    case 'entity.too.large':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'request.tooLarge',
        values: { limit: error.limit ?? '?' },
      };
    case 'entity.parse.failed':
      return { status: 400, code: 'BAD_REQUEST', message: 'request.notJson' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'BAD_REQUEST', message: 'request.unsupportedEncoding' };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, code: 'BAD_REQUEST', message: 'request.bodyUnreadable' };
  }
  const status = error.status ?? error.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, code: 'BAD_REQUEST', message: 'request.unreadable' };
  }
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'internal' };
}

/** Express error handler for everything mounted before it; `defaultLanguage` when the request names no language. */
export function requestErrorHandler(
  defaultLanguage: Language,
  onUnexpected: (error: unknown) => void = () => {},
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, code, message, values } = describe((error ?? {}) as BodyParserError);
    if (status >= 500) onUnexpected(error);
    res
      .status(status)
      .set('cache-control', 'no-store')
      .json({
        errors: [{ message: translate(languageOf(req, defaultLanguage), message, values), extensions: { code } }],
      });
  };
}
