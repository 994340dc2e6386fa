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
 * The database is unreachable (rather than the request wrong): a failed server selection, a
 * dropped connection, or mongoose giving up on a command it buffered while disconnected — also
 * when wrapped (`cause`, or a GraphQL error's `originalError`).
 * Answered as DATABASE_UNAVAILABLE, which a client may retry.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 5;
    e = (e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError,
      depth++
  ) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && UNAVAILABLE_ERRORS.has(name)) return true;
    if (name === 'MongooseError' && typeof message === 'string' && /buffering timed out/.test(message)) return true;
    // a bulk write (insertMany) the driver gave up on for a network error: it copies that error's
    // fields (`beforeHandshake` is a network error's) instead of keeping it as the cause
    if (name === 'MongoBulkWriteError' && typeof (e as { beforeHandshake?: unknown }).beforeHandshake === 'boolean') {
      return true;
    }
  }
  return false;
}
