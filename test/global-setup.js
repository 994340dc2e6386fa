/**
 * One FerretDB instance for the whole test run (built on first use, about a minute), on free
 * ports with its own data directory, so tests never collide with a running hub. Each test
 * file then works in databases of its own on this instance.
 *
 * Plain JavaScript: Jest loads global setup outside its transform pipeline; the TypeScript
 * module is imported through tsx, which `npm test` registers with --import tsx.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup() {
  if (process.env.TEST_MONGODB_URI) return; // a real MongoDB given by the caller
  const { freePort, startFerretDb } = await import('../common/db/ferretdb.ts');
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'timpora-test-'));
  const instance = await startFerretDb({
    port: await freePort(),
    debugPort: await freePort(),
    dataDir,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  globalThis.__TIMPORA_FERRETDB__ = instance;
  process.env.TEST_MONGODB_URI = instance.uri;
  process.env.TEST_DATA_DIR = dataDir;
}
