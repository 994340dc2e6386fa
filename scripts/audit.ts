/**
 * `npm run audit -- verify`: checks every agency's access log — its chain with the agency's
 * keys, then against every head the other agencies witnessed (common/audit/verify-hub.ts) —
 * and prints, per agency, its records, the last witnessed head and a verdict. Exits 1 when any
 * log is broken, or holds records written before records were signed (unless
 * `--accept-unkeyed`: they are then reported, not failed). Works against the running hub's
 * database, or starts the embedded one for the check.
 */
import { loadHubConfig } from '../common/config/hub.js';
import { ConfigError } from '../common/config/parse.js';
import { SUBGRAPH_NAMES } from '../common/config/services.js';
import { formatVerification, loadVerifyingKeys, verifyHub } from '../common/audit/verify-hub.js';
import { connectionsOf, openHubDatabases } from '../common/db/hub-databases.js';

const USAGE = 'Usage: npm run audit -- verify [--accept-unkeyed]';

async function verify(acceptUnkeyed: boolean): Promise<boolean> {
  const config = loadHubConfig();
  const missing = SUBGRAPH_NAMES.filter((n) => !config.accessLogKeys[n].keyFile && !config.accessLogKeys[n].devKeyDir);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map(
        (n) =>
          `${n}: its access-log key file (<PREFIX>_ACCESS_LOG_KEY_FILE, the public key suffices) is required to verify`,
      ),
    );
  }
  const keys = await loadVerifyingKeys(config.accessLogKeys);
  const hub = await openHubDatabases(config, { useRunning: true, log: (m) => console.error(m) });
  try {
    const results = await verifyHub(connectionsOf(hub), keys);
    for (const line of formatVerification(results)) console.log(line);
    return results.every((r) => r.verdict === 'INTACT' || (acceptUnkeyed && r.verdict === 'UNKEYED'));
  } finally {
    await hub.close();
    await hub.ferret?.stop();
  }
}

const [command, ...flags] = process.argv.slice(2);
if (command !== 'verify' || flags.some((f) => f !== '--accept-unkeyed')) {
  console.error(USAGE);
  process.exit(2);
}
try {
  process.exit((await verify(flags.includes('--accept-unkeyed'))) ? 0 : 1);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `audit failed: ${(e as Error).message}`);
  process.exit(1);
}
