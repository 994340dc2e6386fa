/**
 * DataLoaders keep a page's cost from growing with its size: a cross-subgraph page of 1,000
 * foreigners costs each subgraph exactly the database commands a page of 10 does — one query
 * per collection, each a single `$in` on the foreigners' ids — and a gateway `_entities` batch
 * is one `{ _id: { $in } }` query, its nested lists one `{ foreignerId: { $in } }` each.
 */
import type { mongo } from 'mongoose';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { seedDemoData } from '../../scripts/seed/index.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { countCommands, startTestHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let token: string;

beforeAll(async () => {
  // a page of 1,000 with every cross-agency list costs more than a caller may ask by default;
  // the gateway and the subgraphs read the same limits, as in a deployment. What is counted here
  // is commands, not time: the page takes 3-4 s in this one process (gateway and subgraphs, with
  // graphql-js's development checks), more on a CI machine running other suites beside it, so the
  // gateway waits longer for a subgraph than the 10 s it allows by default
  const limits = { MAX_QUERY_COST: '1000000' };
  hub = await startTestHub('db_commands', {
    gatewayEnv: { ...limits, SUBGRAPH_TIMEOUT_MS: '60000' },
    subgraphEnv: limits,
  });
  const connections = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, hub.subgraphs[name].db.connection]),
  ) as Record<SubgraphName, TestHub['subgraphs'][SubgraphName]['db']['connection']>;
  await seedDemoData({ connections, count: 1000, referenceDate: new Date('2026-11-29T00:00:00Z') });
  token = await tokenFor({ ...IMMIGRATION_OKU, jurisdiction: ['*'] });
}, 300_000);
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

/** The commands of one subgraph's request other than its access log's. */
function dataCommands(
  commands: { byCollection: Record<SubgraphName, Record<string, number>> },
  name: SubgraphName,
): number {
  return Object.entries(commands.byCollection[name])
    .filter(([key]) => !key.includes('access_log'))
    .reduce((sum, [, count]) => sum + count, 0);
}

it('costs each subgraph the same commands for 1,000 foreigners as for 10: one query per collection', async () => {
  // warm-up: the first requests of a subgraph may open connections or write its access-log head
  await commandsFor(10);
  const small = await commandsFor(10);
  const large = await commandsFor(1000);
  process.stdout.write(
    `database commands per subgraph: page of 10 ${JSON.stringify(small.total)}, page of 1,000 ${JSON.stringify(large.total)}\n` +
      `page of 1,000 by command and collection: ${JSON.stringify(large.byCollection)}\n`,
  );
  for (const name of SUBGRAPH_NAMES) {
    expect([name, dataCommands(large, name)]).toEqual([name, dataCommands(small, name)]);
    // the access log's append: its insert and the head's update, and, when the head this process
    // knew is older than 10 s (a slow page of 1,000 on a loaded machine), a read of the head
    // document and of the records after it: never more, whatever the page size
    expect(large.total[name] - dataCommands(large, name)).toBeLessThanOrEqual(4);
    expect(small.total[name] - dataCommands(small, name)).toBeLessThanOrEqual(4);
    // one read per collection, never one per foreigner
    for (const [key, count] of Object.entries(large.byCollection[name])) {
      if (key.includes('access_log')) continue;
      expect([name, key, count]).toEqual([name, key, 1]);
    }
  }
  // every kind of record of the page, read (one `find` of each collection)
  expect(Object.keys(large.byCollection.immigration)).toEqual(
    expect.arrayContaining([
      'find:foreigners',
      'find:stay_permits',
      'find:border_crossings',
      'find:watchlist_entries',
      'find:immigration_actions',
    ]),
  );
  expect(Object.keys(large.byCollection.police)).toEqual(
    expect.arrayContaining(['find:self_report_certificates', 'find:incidents']),
  );
  expect(Object.keys(large.byCollection['local-government'])).toEqual(
    expect.arrayContaining(['find:residences', 'find:employments', 'find:community_reports']),
  );
});

it('answers an `_entities` batch with one `$in` query per collection (the access log aside)', async () => {
  const immigration = hub.subgraphs.immigration;
  const ids = (
    await immigration.db.connection
      .collection('foreigners')
      .find({}, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .limit(50)
      .toArray()
  ).map((d) => String(d._id));
  const finds: { collection: string; filter: mongo.Document }[] = [];
  const client = immigration.db.connection.getClient();
  const record = (event: mongo.CommandStartedEvent) => {
    if (event.commandName === 'find' && !String(event.command.find).startsWith('access_log'))
      finds.push({ collection: event.command.find, filter: event.command.filter });
  };
  client.on('commandStarted', record);
  try {
    const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Foreigner { id stayPermits { number } borderCrossings { direction } } } }`;
    const data = expectNoErrors(
      await graphql(immigration.url, q, {
        token,
        variables: { r: ids.map((id) => ({ __typename: 'Foreigner', id })) },
        asGateway: 'immigration',
      }),
    );
    expect(data._entities.map((e: { id: string }) => e.id)).toEqual(ids);
  } finally {
    client.off('commandStarted', record);
  }
  const sorted = (values: unknown) => [...(values as string[])].sort();
  expect(finds.map((f) => f.collection).sort()).toEqual(['border_crossings', 'foreigners', 'stay_permits']);
  for (const { collection, filter } of finds) {
    const [field, condition] = Object.entries(filter)[0]!;
    expect([collection, field, Object.keys(filter).length, sorted(condition.$in)]).toEqual([
      collection,
      collection === 'foreigners' ? '_id' : 'foreignerId',
      1,
      ids,
    ]);
  }
});
