/**
 * `npm run ferretdb:build`: builds (once) and caches the embedded FerretDB binary, so a first
 * `npm start` or `npm test` does not pay for the Go build.
 *
 * `-- --test` also runs `go test` on the patched FerretDB source (the patches' own tests and
 * those of the packages they touch); CI runs it right after the build. `-- --released` builds
 * FerretDB as released, without the hub's patches, which the differential test (test/engine)
 * compares against.
 */
import path from 'node:path';
import {
  EmbeddedDatabaseUnavailableError,
  ensureFerretDbBinary,
  testFerretDbPatches,
} from '../common/db/ferretdb-build.js';

const released = process.argv.includes('--released');

try {
  const binary = await ensureFerretDbBinary((m) => console.log(m), released ? { patches: [] } : undefined);
  console.log(`FerretDB binary: ${path.relative(process.cwd(), binary)}`);
  if (process.argv.includes('--test')) {
    await testFerretDbPatches((m) => console.log(m));
  }
} catch (e) {
  console.error(e instanceof EmbeddedDatabaseUnavailableError ? e.message : e);
  process.exit(1);
}
