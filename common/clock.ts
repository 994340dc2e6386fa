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

const fromEnvironment = process.env.HUB_NOW;
if (fromEnvironment) {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('HUB_NOW (a clock set for demos and tests) cannot be used with NODE_ENV=production');
  }
  const instant = new Date(fromEnvironment);
  if (Number.isNaN(instant.getTime())) {
    throw new Error(
      `HUB_NOW must be an ISO 8601 instant, e.g. 2026-12-07T16:30:00Z; got ${JSON.stringify(fromEnvironment)}`,
    );
  }
  setClock(instant);
}
