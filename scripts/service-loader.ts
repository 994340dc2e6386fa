/**
 * How Node runs a hub service's TypeScript: `node --import tsx/esm <main.ts>` (scripts/hub-processes.ts,
 * scripts/start.ts, scripts/cluster/, the tests' own processes; deploy/systemd/ writes the same).
 * The services are ES modules, so tsx's ESM loader is all they need; `--import tsx` also hooks
 * every CommonJS `require` at run time, which Apollo makes on every request
 * (`@apollo/utils.createhash` requires `crypto` for each hash it makes: 31 µs a hash with the
 * hook, 3 µs without, two hashes a gateway request).
 */
export const SERVICE_LOADER = ['--import', 'tsx/esm'] as const;
