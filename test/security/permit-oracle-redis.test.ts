/**
 * Attack class: `verifyStayPermit` as an oracle for passport numbers (issue 10, failure 2).
 * Knowing a permit number and the masked passport number (`P1****67`, what a caller without
 * `passport:read` sees), an attacker tries candidates until one matches. Before: 100 aliases per
 * request, no rate limit, nothing logged — about 10 requests recovered a passport number.
 *
 * Limits shared by two replicas of the immigration subgraph through Redis: run against the
 * Redis of the machine (`TEST_REDIS_URL`, default redis://127.0.0.1:6379) under a key prefix of
 * their own. The attacks at the gateway and at one subgraph: permit-oracle.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from '../../common/db/ferretdb.js';
import { startSubgraph, type RunningSubgraph } from '../../common/server/subgraph-server.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { testMongoUri, testSubgraphConfig, uniqueDbName } from '../helpers/env.js';
import { startCuttableLine, type CuttableLine } from '../helpers/faults.js';
import { expectError, expectNoErrors } from '../helpers/graphql.js';
import { TEST_REDIS_URL } from '../helpers/machine.js';
import { attempt, attempts, caller, permitCheckTools } from '../helpers/permit-checks.js';
import { spawnService } from '../helpers/processes.js';

// no hub: the checks go to the replicas themselves
const { check } = permitCheckTools(() => undefined);

afterAll(() => {
  process.stderr.write(`permit-oracle attempts per class: ${JSON.stringify(attempts)}\n`);
});

describe('with Redis (REDIS_URL): two replicas of the immigration subgraph', () => {
  const redisUrl = TEST_REDIS_URL;
  const prefix = `t_permit_${randomBytes(4).toString('hex')}`;
  const dbName = uniqueDbName('permit_oracle_redis_immigration');
  const limits = {
    PERMIT_CHECKS_PER_CALLER_PER_MINUTE: '100',
    PERMIT_CHECKS_PER_CALLER_PER_HOUR: '5',
    PERMIT_CHECKS_PER_PERMIT_PER_DAY: '3',
  };
  let line: CuttableLine;
  let redis: Redis;
  const replicas: RunningSubgraph[] = [];

  beforeAll(async () => {
    redis = new Redis(redisUrl.toString(), { lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect().catch((e: Error) => {
      throw new Error(`These tests need Redis at ${redisUrl} (set TEST_REDIS_URL): ${e.message}`);
    });
    line = await startCuttableLine(redisUrl.hostname, Number(redisUrl.port || 6379));
    const env = { ...limits, REDIS_URL: `redis://127.0.0.1:${line.port}`, REDIS_KEY_PREFIX: prefix };
    for (let i = 0; i < 2; i += 1) {
      replicas.push(await startSubgraph(immigrationSubgraph, testSubgraphConfig('immigration', dbName, env)));
    }
  });
  afterAll(async () => {
    await replicas[0]?.db.connection.dropDatabase().catch(() => {});
    await Promise.all(replicas.map((r) => r.stop()));
    await line?.stop();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('count a caller across replicas, per hour as configured', async () => {
    const { token } = await caller('member', 'replicas-hour');
    // a permit number of its own each time: only the caller's count is at stake
    for (let i = 0; i < 5; i += 1) {
      attempt('rate limit per caller');
      expectNoErrors(await check(replicas[i % 2]!.url, token, `ITAS-H-${i}`, 'P5000000'));
    }
    for (const replica of replicas) {
      attempt('rate limit per caller');
      const error = expectError(await check(replica.url, token, 'ITAS-H-9', 'P5000000'), 'RATE_LIMITED');
      expect(error.extensions).toMatchObject({ limit: 'callerPerHour' });
      expect(error.extensions!.retryAfterSeconds).toBeGreaterThan(3500);
    }
  });

  it('count a permit number across replicas, and keep neither permit numbers nor subjects in Redis', async () => {
    for (let i = 0; i < 3; i += 1) {
      const { token } = await caller('member', 'replicas-permit');
      attempt('rate limit per permit');
      expectNoErrors(await check(replicas[i % 2]!.url, token, 'ITAS-R-0002', `P${6_000_000 + i}`));
    }
    const { token, subject } = await caller('member', 'replicas-permit');
    attempt('rate limit per permit');
    const error = expectError(await check(replicas[1]!.url, token, 'ITAS-R-0002', 'P6000009'), 'RATE_LIMITED');
    expect(error.extensions).toMatchObject({ limit: 'permitPerDay' });
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/ITAS|replicas-permit|DUKCAPIL/);
    expect(keys.join(' ')).not.toContain(subject);
  });

  it('refuse checks (fail closed) while Redis is unreachable, and serve them again once it is back', async () => {
    const { token } = await caller('member', 'redis-down');
    expectNoErrors(await check(replicas[0]!.url, token, 'ITAS-R-0003', 'P7000000'));
    await line.cut();
    for (const replica of replicas) {
      attempt('rate limit store down');
      const started = Date.now();
      const response = await check(replica.url, token, 'ITAS-R-0003', 'P7000000');
      expect(Date.now() - started).toBeLessThan(2000);
      const error = expectError(response, 'RATE_LIMIT_UNAVAILABLE');
      expect(error.message).toMatch(/Pemeriksaan izin tinggal dihentikan sementara/);
      expect(response.data ?? null).toBeNull();
    }
    await line.restore();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const response = await check(replicas[1]!.url, token, 'ITAS-R-0003', 'P7000000');
      if (!response.errors) break;
      expect(response.errors[0]?.extensions?.code).toBe('RATE_LIMIT_UNAVAILABLE');
      if (Date.now() > deadline) throw new Error('checks did not come back within 10 s of Redis');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  it('stop the immigration subgraph at start-up with a readable message when REDIS_URL does not answer', async () => {
    const port = await freePort(); // nothing listens there
    const service = spawnService('immigration', 'subgraphs/immigration/src/main.ts', {
      MONGODB_URI: testMongoUri(),
      IMMIGRATION_PORT: '0',
      IMMIGRATION_DB_NAME: uniqueDbName('permit_oracle_no_redis'),
      DATA_DIR: process.env.TEST_DATA_DIR ?? 'data/test',
      LOG_LEVEL: 'silent',
      REDIS_URL: `redis://:secret@127.0.0.1:${port}`,
    });
    const code = await new Promise<number | null>((resolve) => service.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(service.stderr()).toContain(
      `immigration failed to start: REDIS_URL redis://127.0.0.1:${port}: Redis cannot be reached (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(service.stderr()).not.toContain('secret');
  }, 60_000);
});
