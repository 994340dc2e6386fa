/**
 * Canonical JSON: one text for one value whatever the order its keys were set in, so a hash or
 * signature over it covers every field generically. Object keys are sorted, `undefined`
 * members are left out (as JSON does), and dates are ISO strings.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) {
      if (source[key] !== undefined) sorted[key] = canonical(source[key]);
    }
    return sorted;
  }
  return value;
}
