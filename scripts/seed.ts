/**
 * `npm run seed -- --count 20000 [--reset]`: writes the OKU Raya demo data into the three
 * subgraph databases. Uses the MongoDB given by MONGODB_URI (or <SUBGRAPH>_MONGODB_URI), or
 * else the embedded FerretDB: the one a running hub serves, or one started for the command.
 */
import { parseArgs } from 'node:util';
import { loadHubConfig } from '../common/config/hub.js';
import { ConfigError } from '../common/config/parse.js';
import { SUBGRAPH_NAMES } from '../common/config/services.js';
import { redactUri } from '../common/db/connection.js';
import { connectionsOf, openHubDatabases } from '../common/db/hub-databases.js';
import { MAX_SEED_COUNT, seedDemoData, seedSummaryLines } from './seed/index.js';
import { demoToday } from './seed/dates.js';

const USAGE = `Usage: npm run seed -- [--count N] [--reset] [--reference-date YYYY-MM-DD]

  --count N                 number of foreigners, 1 to ${MAX_SEED_COUNT.toLocaleString('en-US')} (default: SEED_COUNT or 3000)
  --reset                   drop the three subgraph databases first
  --reference-date DATE     "today" of the demo data (default: today, so permits expire around now;
                            the same count and date always give the same data)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        count: { type: 'string' },
        reset: { type: 'boolean', default: false },
        'reference-date': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n\n${USAGE}`);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }

  let config;
  try {
    config = loadHubConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }

  const count = args.count === undefined ? config.seedCount : Number(args.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEED_COUNT) {
    fail(`--count must be a whole number from 1 to ${MAX_SEED_COUNT} (got "${args.count}").\n\n${USAGE}`);
  }
  let referenceDate = demoToday();
  if (args['reference-date'] !== undefined) {
    const value = args['reference-date'];
    referenceDate = new Date(`${value}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(referenceDate.getTime())) {
      fail(`--reference-date must be a date such as 2026-11-29 (got "${value}").`);
    }
  }

  const started = performance.now();
  const log = (message: string) => console.log(message);
  const hub = await openHubDatabases(config, { useRunning: true, log });
  const cleanup = async () => {
    await hub.close();
    await hub.ferret?.stop();
  };
  process.once('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });

  try {
    for (const name of SUBGRAPH_NAMES) log(`  ${name}: ${redactUri(hub.uris[name])} database ${config.dbNames[name]}`);
    const connections = connectionsOf(hub);

    if (args.reset) {
      log('Dropping the three subgraph databases (--reset)…');
      for (const name of SUBGRAPH_NAMES) await connections[name].dropDatabase();
    }

    const summary = await seedDemoData({ connections, count, referenceDate, log });
    console.log(['', ...seedSummaryLines(summary, (performance.now() - started) / 1000)].join('\n'));
  } finally {
    await cleanup();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`Seeding failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
