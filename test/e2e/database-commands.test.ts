/**
 * DataLoaders keep a page's cost from growing with its size: a cross-subgraph page of 200
 * foreigners costs each subgraph at most one query per collection, and no more commands than a
 * page of 2. (On FerretDB a small batch is asked one `_id` at a time, which there costs less
 * than one `$in` that reads the whole collection, so the page of 2 may cost more commands than
 * the page of 200; on MongoDB both cost the same. See `common/db/loaders.ts`.)
 */
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { countCommands, startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub('db_commands');
  const connections = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].db.connection]),
  ) as Record<SubgraphName, TestHub['subgraphs'][SubgraphName]['db']['connection']>;
  await seedDemoData({ connections, count: 400, referenceDate: new Date('2026-11-29T00:00:00Z') });
  token = await tokenFor({ ...IMMIGRATION_OKU, jurisdiction: ['*'] });
}, 120_000);
afterAll(() => hub?.stop());

const PAGE = /* GraphQL */ `
  query Page($first: Int!) {
    foreigners(first: $first) {
      nodes {
        fullName
        stayPermits {
          number
          sponsor {
            name
          }
        }
        borderCrossings {
          direction
        }
        watchlist {
          type
        }
        immigrationActions {
          type
        }
        selfReports {
          number
        }
        incidents {
          category
          parties {
            involvement
          }
        }
        residence {
          number
          region {
            name
            parent {
              name
            }
          }
        }
        employment {
          employer
          region {
            name
          }
        }
        communityReports {
          category
        }
      }
    }
  }
`;

async function commandsFor(
  first: number,
): Promise<{ total: Record<SubgraphName, number>; byCollection: Record<SubgraphName, Record<string, number>> }> {
  const read = countCommands(hub);
  const data = expectNoErrors(await graphql(hub.gatewayUrl, PAGE, { token, variables: { first } }));
  expect(data.foreigners.nodes).toHaveLength(first);
  const total = read();
  const byCollection = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].db.commands.snapshot()]),
  ) as Record<SubgraphName, Record<string, number>>;
  return { total, byCollection };
}

it('costs each subgraph one query per collection for 200 foreigners, and no more than for 2', async () => {
  // steady state: the first requests also read each collection's size (cached for a minute)
  await commandsFor(2);
  await commandsFor(200);
  const small = await commandsFor(2);
  const large = await commandsFor(200);
  process.stdout.write(
    `database commands per subgraph: page of 2 ${JSON.stringify(small.total)}, page of 200 ${JSON.stringify(large.total)}\n` +
      `page of 200 by command and collection: ${JSON.stringify(large.byCollection)}\n`,
  );
  for (const name of SUBGRAPH_NAMES) {
    expect(large.total[name]).toBeLessThanOrEqual(small.total[name]);
    // the access log's append aside (a few `_id` commands), one read per collection, never one per foreigner
    for (const [key, count] of Object.entries(large.byCollection[name])) {
      if (key.includes('access_log')) continue;
      expect([key, count]).toEqual([key, 1]);
    }
  }
});
