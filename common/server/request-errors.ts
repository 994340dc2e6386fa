/**
 * Requests refused before they reach GraphQL — a body over the size limit, a body that is not
 * JSON — answered the way GraphQL errors are: a JSON body with `errors[].extensions.code`, the
 * right HTTP status, and never a stack trace (express's own error page shows one outside
 * production).
 */
import type { ErrorRequestHandler } from 'express';

interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  limit?: number;
}

/** The code and message of a refused request, by the body parser's error type. */
function describe(error: BodyParserError): { status: number; code: string; message: string } {
  switch (error.type) {
    case 'entity.too.large':
      return {
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than the limit of ${error.limit ?? '?'} bytes`,
      };
    case 'entity.parse.failed':
      return { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'BAD_REQUEST', message: 'The request body has an unsupported encoding or charset' };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, code: 'BAD_REQUEST', message: 'The request body could not be read' };
  }
  const status = error.status ?? error.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, code: 'BAD_REQUEST', message: 'The request could not be read' };
  }
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
}

/** Express error handler for everything mounted before it. */
export function requestErrorHandler(onUnexpected: (error: unknown) => void = () => {}): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, code, message } = describe((error ?? {}) as BodyParserError);
    if (status >= 500) onUnexpected(error);
    res
      .status(status)
      .set('cache-control', 'no-store')
      .json({ errors: [{ message, extensions: { code } }] });
  };
}
