/** Stops the test run's FerretDB and removes its data directory. */
import fs from 'node:fs/promises';

export default async function globalTeardown() {
  await globalThis.__TIMPORA_FERRETDB__?.stop();
  if (process.env.TEST_DATA_DIR) await fs.rm(process.env.TEST_DATA_DIR, { recursive: true, force: true });
}
