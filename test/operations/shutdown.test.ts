/**
 * Stopping a service (what SIGTERM does through `runService`) lets the requests in flight
 * finish, refuses new connections, and only then closes the database.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { connectDatabase } from '../../common/db/connection.js';
import type { RunningService } from '../../common/server/http-service.js';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from '../../common/server/subgraph-server.js';
import { startGateway } from '../../gateway/src/server.js';
import type { ImmigrationContext } from '../../subgraphs/immigration/src/context.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { testGatewayConfig, testMongoUri, testSubgraphConfig, uniqueDbName } from '../helpers/env.js';
import { graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';

const DELAY_MS = 1500;
/** When the slow resolver last finished reading the database. */
let resolvedAt = 0;

/** The immigration subgraph whose `agencies` query waits before it reads the database. */
function slowImmigration(): SubgraphModule<ImmigrationContext> {
  type Resolver = (...args: unknown[]) => unknown;
  const query = immigrationSubgraph.resolvers.Query as Record<string, Resolver>;
  const agencies = query.agencies!;
  return {
    ...immigrationSubgraph,
    resolvers: {
      ...immigrationSubgraph.resolvers,
      Query: {
        ...query,
        agencies: async (...args: unknown[]) => {
          await sleep(DELAY_MS);
          const result = await agencies(...args);
          resolvedAt = Date.now();
          return result;
        },
      },
    } as GraphQLResolverMap<ImmigrationContext>,
  };
}

const SLOW_QUERY = 'query OpsSlowAgencies { agencies { code name } }';

let subgraph: RunningSubgraph;
let dbName: string;
let token: string;

beforeEach(async () => {
  resolvedAt = 0;
  dbName = uniqueDbName('ops_shutdown');
  subgraph = await startSubgraph(slowImmigration(), testSubgraphConfig('immigration', dbName));
  token = await tokenFor(IMMIGRATION_OKU);
}, 60_000);

afterEach(async () => {
  await subgraph.stop();
  const db = await connectDatabase(testMongoUri(), dbName);
  await db.connection.dropDatabase();
  await db.close();
});

describe('shutdown', () => {
  it('drains a slow subgraph request, refuses new ones, then closes the database', async () => {
    const response = graphql(subgraph.url, SLOW_QUERY, { token });
    await sleep(300); // the request is now waiting inside its resolver

    const stopped = subgraph.stop().then(() => Date.now());
    await sleep(100);
    await expect(graphql(subgraph.url, SLOW_QUERY, { token })).rejects.toThrow(); // no new connections
    expect(subgraph.db.connection.readyState).toBe(1); // the database is still open for the request

    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(Array.isArray(answer.data?.agencies)).toBe(true);

    expect(resolvedAt).toBeGreaterThan(0);
    expect(await stopped).toBeGreaterThanOrEqual(resolvedAt); // stopped only once the resolver had read
    expect(subgraph.db.connection.readyState).toBe(0); // disconnected
  });

  it('drains a request through the gateway while the gateway and the subgraph stop together', async () => {
    const url = subgraph.url;
    const gateway: RunningService = await startGateway(
      testGatewayConfig({ immigration: url, police: url, 'local-government': url }),
    );
    const response = graphql(gateway.url, SLOW_QUERY, { token });
    await sleep(300);

    await Promise.all([gateway.stop(), subgraph.stop()]);
    const stoppedAt = Date.now();

    const answer = await response;
    expect(answer.errors).toBeUndefined();
    expect(Array.isArray(answer.data?.agencies)).toBe(true);
    expect(resolvedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeGreaterThanOrEqual(resolvedAt);
    expect(subgraph.db.connection.readyState).toBe(0);
  });
});
