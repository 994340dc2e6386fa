/**
 * `npm run explorer:build`: bundles the explorer page (`gateway/explorer/`) into
 * `.cache/explorer/`. The gateway does this by itself on start when the bundle is missing or
 * older than its sources; this builds it ahead, e.g. in an image build.
 */
import { EXPLORER_BUILD_DIR, buildExplorer } from '../gateway/src/explorer/bundle.js';

const started = Date.now();
const files = await buildExplorer();
process.stdout.write(`Explorer bundle built in ${Date.now() - started} ms into ${EXPLORER_BUILD_DIR}:\n`);
for (const [name, contents] of files) {
  process.stdout.write(`  ${name.padEnd(20)} ${(contents.byteLength / 1024).toFixed(1).padStart(8)} KiB\n`);
}
