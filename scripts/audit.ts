/**
 * `npm run audit -- verify`: checks every subgraph's access-log chain from its first record
 * and names the first broken one (edited, deleted or reordered). Exits 1 when any is broken.
 * Works against the running hub's database, or starts the embedded one for the check.
 */
import { ConfigError, SUBGRAPH_NAMES, loadHubConfig } from '../common/config.js';
import { AccessLog } from '../common/audit/access-log.js';
import { openHubDatabases } from '../common/db/hub-databases.js';

const USAGE = 'Usage: npm run audit -- verify';

async function verify(): Promise<boolean> {
  const config = loadHubConfig();
  const hub = await openHubDatabases(config, { useRunning: true, log: (m) => console.error(m) });
  let intact = true;
  try {
    for (const name of SUBGRAPH_NAMES) {
      const result = await new AccessLog(hub.databases[name].connection).verify();
      if (result.ok) {
        console.log(`${name}: ${result.records} records, chain intact`);
      } else {
        intact = false;
        console.log(`${name}: chain BROKEN at record ${result.broken!.seq}: ${result.broken!.reason}`);
      }
    }
  } finally {
    await hub.close();
    await hub.ferret?.stop();
  }
  return intact;
}

const command = process.argv[2];
if (command !== 'verify') {
  console.error(USAGE);
  process.exit(2);
}
try {
  process.exit((await verify()) ? 0 : 1);
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `audit failed: ${(e as Error).message}`);
  process.exit(1);
}
