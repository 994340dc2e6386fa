/**
 * Assertions on configuration: the problems a `ConfigError` lists (common/config.ts lists every
 * problem at once).
 */
import { ConfigError } from '../../common/config/parse.js';

/** The problems `load` reports; fails when it reports none. */
export function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
