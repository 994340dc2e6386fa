/**
 * Kemendagri region codes by their shape alone (`16`, `16.01`, `16.01.14`, `16.01.14.1001`):
 * the level a code denotes and the codes of its ancestors. No region list is needed, so the
 * explorer page (a browser bundle) can use it too; `common/regions.ts` re-exports it.
 */
export const REGION_LEVELS = ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

const CODE_PATTERN = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

/** The level a code denotes by its shape: `16`, `16.01`, `16.01.14`, `16.01.14.1001`. */
export function regionLevelOf(code: string): RegionLevel | null {
  if (!CODE_PATTERN.test(code)) return null;
  return REGION_LEVELS[code.split('.').length - 1] ?? null;
}

/**
 * The codes of a region and its ancestors, keyed by level: `16.01.14` gives
 * `{ province: '16', regency: '16.01', district: '16.01.14' }`. Stored beside region codes so
 * that a prefix filter becomes an equality on one field.
 */
export function regionAncestry(code: string): {
  province: string;
  regency: string | null;
  district: string | null;
} {
  const parts = code.split('.');
  return {
    province: parts[0]!,
    regency: parts.length > 1 ? parts.slice(0, 2).join('.') : null,
    district: parts.length > 2 ? parts.slice(0, 3).join('.') : null,
  };
}
