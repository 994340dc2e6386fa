import { loadHubNow } from './config/common.js';

/**
 * The hub's clock for calendar judgments (what "today" is, date windows, ages). `HUB_NOW`
 * (an ISO instant, refused with `NODE_ENV=production`) starts the clock at that instant when
 * the process starts, and time runs on from there: a demo or a test can play the hub at
 * 23:30 WIB at any hour of the real day. Security never reads this clock: token expiry,
 * signatures and replay windows use the real time.
 */
let offsetMs = 0;

/** Starts the clock at `instant` (tests and `HUB_NOW`); `null` goes back to the real time. */
export function setClock(instant: Date | null): void {
  offsetMs = instant ? instant.getTime() - Date.now() : 0;
}

/** The current instant on the hub's clock. */
export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

// validated by common/config/common.ts (a ConfigError naming HUB_NOW), so a process never runs on a
// clock it was not meant to have: a bad value or NODE_ENV=production stops it at start
const fromEnvironment = loadHubNow();
if (fromEnvironment) setClock(fromEnvironment);
