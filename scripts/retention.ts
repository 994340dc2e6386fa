/**
 * `npm run retention -- [--dry-run]`: applies every retention rule of the hub (README,
 * "Retention"; common/retention/rules.ts) to the three databases and prints, per agency and
 * collection, how many records were summarised, pseudonymised, deleted or reduced, and how
 * many a hold kept; with `--dry-run`, what would change, changing nothing. Needs each
 * agency's access-log private key (a summary is a checkpoint signed with it). Works against
 * the running hub's database, or starts the embedded one for the run.
 */
import { AccessLogKeys } from '../common/audit/access-log-keys.js';
import { loadHubConfig } from '../common/config/hub.js';
import { ConfigError } from '../common/config/parse.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../common/config/services.js';
import { connectionsOf, openHubDatabases } from '../common/db/hub-databases.js';
import { applyRules, formatOutcomes, hubRules } from '../common/retention/rules.js';

const USAGE = 'Usage: npm run retention -- [--dry-run]';

async function run(dryRun: boolean): Promise<void> {
  const config = loadHubConfig();
  const keys = Object.fromEntries(
    await Promise.all(
      SUBGRAPH_NAMES.map(
        async (n) => [n, await AccessLogKeys.load(n, config.accessLogKeys[n], { sign: true })] as const,
      ),
    ),
  ) as Record<SubgraphName, AccessLogKeys>;
  const hub = await openHubDatabases(config, { useRunning: true, log: (m) => console.error(m) });
  try {
    const started = Date.now();
    const outcomes = await applyRules(hubRules(connectionsOf(hub), keys, config.retention), dryRun);
    for (const line of formatOutcomes(outcomes, dryRun)) console.log(line);
    console.log(`${dryRun ? 'dry run: nothing changed' : 'done'} in ${Date.now() - started} ms`);
  } finally {
    await hub.close();
    await hub.ferret?.stop();
  }
}

const flags = process.argv.slice(2);
if (flags.some((f) => f !== '--dry-run')) {
  console.error(USAGE);
  process.exit(2);
}
try {
  await run(flags.includes('--dry-run'));
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : `retention failed: ${(e as Error).message}`);
  process.exit(1);
}
