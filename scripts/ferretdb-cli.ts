/**
 * `npm run ferretdb:build`: builds (once) and caches the embedded FerretDB binary, so a first
 * `npm start` or `npm test` does not pay for the Go build. `-- --released` builds FerretDB as
 * released, without the hub's patches, which the differential test (test/engine) compares against.
 */
import path from 'node:path';
import { EmbeddedDatabaseUnavailableError, ensureFerretDbBinary } from '../common/db/ferretdb.js';

const released = process.argv.includes('--released');

try {
  const binary = await ensureFerretDbBinary((m) => console.log(m), released ? { patches: [] } : undefined);
  console.log(`FerretDB binary: ${path.relative(process.cwd(), binary)}`);
} catch (e) {
  console.error(e instanceof EmbeddedDatabaseUnavailableError ? e.message : e);
  process.exit(1);
}
