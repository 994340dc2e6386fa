/** Recognises database errors that mean an expected conflict rather than a fault. */

/** A unique index refused a write (MongoDB and FerretDB both answer code 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** Driver errors that mean the database cannot be reached right now (down, restarting, network). */
const UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

/**
 * Node's own errors of a socket that failed under a command. The driver wraps most in a
 * MongoNetworkError, but not all: one raised while it waits to write a command to a socket the
 * database is closing (`write EPIPE`, `ECONNRESET`) reaches the caller as it is.
 */
const SOCKET_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/** What an error wraps: its `cause`, a GraphQL error's `originalError`, or what graphql-js found thrown that was no Error. */
function wrapped(error: object): unknown {
  const e = error as { cause?: unknown; originalError?: unknown; thrownValue?: unknown };
  return e.cause ?? e.originalError ?? e.thrownValue;
}

/**
 * The database is unreachable (rather than the request wrong): a failed server selection, a
 * dropped connection, or mongoose giving up on a command it buffered while disconnected — also
 * when wrapped (`cause`, a GraphQL error's `originalError`, graphql-js's `thrownValue`).
 * Recognised by name and code, never by class: under Jest, errors of Node itself come from
 * another realm than the driver's. Answered as DATABASE_UNAVAILABLE, which a client may retry.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = wrapped(e), depth++) {
    const { name, message, code } = e as { name?: unknown; message?: unknown; code?: unknown };
    if (typeof name === 'string' && UNAVAILABLE_ERRORS.has(name)) return true;
    if (typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) return true;
    if (name === 'MongooseError' && typeof message === 'string' && /buffering timed out/.test(message)) return true;
    // a bulk write (insertMany) the driver gave up on for a network error: it copies that error's
    // fields (`beforeHandshake` is a network error's) instead of keeping it as the cause
    if (name === 'MongoBulkWriteError' && typeof (e as { beforeHandshake?: unknown }).beforeHandshake === 'boolean') {
      return true;
    }
    // … or for a failed server selection (the database down when the insert is the request's
    // first command): `reason` is that error's topology description, naming the servers it tried
    const reason = (e as { reason?: unknown }).reason;
    if (name === 'MongoBulkWriteError' && typeof reason === 'object' && reason !== null && 'servers' in reason) {
      return true;
    }
  }
  return false;
}
