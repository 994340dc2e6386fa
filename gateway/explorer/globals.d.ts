/**
 * Shared modules the page bundles (common/clock.ts through common/time-zones.ts) read
 * `process.env` when they load; the bundler replaces those reads with constants
 * (gateway/src/explorer/bundle.ts), so the page itself has no `process`.
 */
declare const process: { env: Record<string, string | undefined> };
