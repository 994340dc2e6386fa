// Apart from access-log.ts so that the checkpoints (access-log-checkpoint.ts), which the log
// itself uses, can name records without importing the log.

/**
 * A record's `_id`: its sequence number, zero-padded, so every chain step is a lookup by `_id`
 * however long the log grows, and the padding keeps `_id` order equal to sequence order.
 */
export function recordId(seq: number): string {
  return String(seq).padStart(12, '0');
}
