/** Recognises database errors that mean an expected conflict rather than a fault. */

/** A unique index refused a write (MongoDB and FerretDB both answer code 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
