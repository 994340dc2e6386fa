/**
 * `npm run audit -- verify` run as an operator runs it, against a test hub's databases and
 * the development keys its subgraphs sign with.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES } from '../../common/config/services.js';
import { testMongoUri } from './env.js';
import type { TestHub } from './hub.js';

const run = promisify(execFile);

/** Where the test run's development keys are (the subgraphs' access-log keys among them). */
export const TEST_DATA_DIR = process.env.TEST_DATA_DIR ?? 'data/test';

export function runAuditVerify(hub: TestHub): Promise<{ code: number; stdout: string }> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    MONGODB_URI: testMongoUri(),
    LOG_LEVEL: 'silent',
    DATA_DIR: TEST_DATA_DIR,
  };
  for (const name of SUBGRAPH_NAMES) env[`${SUBGRAPH_ENV_PREFIX[name]}_DB_NAME`] = hub.subgraphs[name].dbName;
  return run(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', 'verify'], { env }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}
