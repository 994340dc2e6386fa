/**
 * DataLoaders make a page's cost independent of its size: a cross-subgraph page of 200
 * foreigners costs each subgraph the same number of database commands as a page of 2.
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

async function commandsFor(first: number): Promise<Record<SubgraphName, number>> {
  const read = countCommands(hub);
  const data = expectNoErrors(await graphql(hub.gatewayUrl, PAGE, { token, variables: { first } }));
  expect(data.foreigners.nodes).toHaveLength(first);
  return read();
}

it('costs each subgraph the same number of database commands for 200 foreigners as for 2', async () => {
  const small = await commandsFor(2);
  const large = await commandsFor(200);
  process.stdout.write(
    `database commands per subgraph: page of 2 ${JSON.stringify(small)}, page of 200 ${JSON.stringify(large)}\n`,
  );
  expect(large).toEqual(small);
  // one find per kind of record (plus one access-log append), never one per foreigner
  expect(large.immigration).toBeLessThan(12);
  expect(large.police).toBeLessThan(8);
  expect(large['local-government']).toBeLessThan(8);
});
