/**
 * Protected tables by caller population (jurisdiction), kept for a short while: building one
 * reads the whole population and runs the suppression, while every statistics field of every
 * request of the same population answers from the same table. A write through the service
 * drops them all; another replica's writes show within `ttlMs` (statistics are a snapshot of at
 * most that age, which also keeps successive answers from moving with each single record).
 * Ages are read on the hub's clock, since a table counts "in force today": a clock set back
 * (`setClock`, a test playing another hour) makes every table stale.
 */
import type { Caller } from '../auth/tokens.js';
import { now as clockNow } from '../clock.js';
import type { ProtectedTable } from './disclosure-control.js';

export const TABLE_TTL_MS = 60_000;

export class ProtectedTableCache {
  private readonly tables = new Map<string, { builtAt: number; table: Promise<ProtectedTable> }>();

  constructor(private readonly ttlMs = TABLE_TTL_MS) {}

  /**
   * The table of the caller's population, built by `build` when there is none fresh. `variant`
   * tells tables of the same population apart (the day presence is judged on, say).
   */
  get(caller: Caller, build: () => Promise<ProtectedTable>, variant = ''): Promise<ProtectedTable> {
    const key = `${[...new Set(caller.jurisdiction)].sort().join(',')}@${variant}`;
    const now = clockNow().getTime();
    const cached = this.tables.get(key);
    if (cached && now >= cached.builtAt && now - cached.builtAt < this.ttlMs) return cached.table;
    const table = build();
    this.tables.set(key, { builtAt: now, table });
    // a failed build is not kept: the next request tries again
    table.catch(() => {
      if (this.tables.get(key)?.table === table) this.tables.delete(key);
    });
    return table;
  }

  /** Forgets every table (after a write that changes what they count). */
  clear(): void {
    this.tables.clear();
  }
}
