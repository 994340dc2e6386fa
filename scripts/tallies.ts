/**
 * `npm run tallies -- check | repair`: the statistics' counters (foreigner_tallies,
 * subgraphs/immigration/src/services/foreigner-tallies.ts) against the foreigners' stamps and
 * the stamps against the foreigners. `check` lists the stale stamps and differing cells and
 * exits 1 when there is any; `repair` settles the stale stamps and moves each differing cell
 * by its difference, then checks again. Works against the running hub's database, or starts
 * the embedded one for the run.
 */
import { loadHubConfig } from '../common/config/hub.js';
import { ConfigError } from '../common/config/parse.js';
import { connectionsOf, openHubDatabases } from '../common/db/hub-databases.js';
import { immigrationData } from '../subgraphs/immigration/src/data.js';
import { foreignerModels } from '../subgraphs/immigration/src/models/foreigner.js';
import { tallyCommand } from '../subgraphs/immigration/src/services/foreigner-tallies.js';

const USAGE = 'Usage: npm run tallies -- check | repair';

const [command, ...rest] = process.argv.slice(2);
if ((command !== 'check' && command !== 'repair') || rest.length) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const hub = await openHubDatabases(loadHubConfig(), { useRunning: true, log: (m) => console.error(m) });
  try {
    const data = immigrationData(foreignerModels(connectionsOf(hub).immigration));
    process.exitCode = await tallyCommand(command, data.tallies, (line) => console.log(line));
  } finally {
    await hub.close();
    await hub.ferret?.stop();
  }
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `tallies failed: ${(e as Error).message}`);
  process.exit(1);
}
