/**
 * Configuration is validated once at start-up and every problem is listed together.
 */
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { loadSubgraphConfig } from '../../common/config/subgraph.js';
import { problemsOf } from '../helpers/config.js';

describe('configuration', () => {
  it('gives working defaults for the gateway', () => {
    const config = loadGatewayConfig({});
    expect(config.port).toBe(4000);
    expect(config.subgraphs.police).toBe('http://127.0.0.1:4002/graphql');
  });

  it('lists every problem of a bad gateway configuration at once', () => {
    const problems = problemsOf(() =>
      loadGatewayConfig({
        GATEWAY_PORT: 'eighty',
        POLICE_URL: 'not a url',
        LOG_LEVEL: 'loud',
        JWT_JWKS_URL: 'ftp://x',
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/GATEWAY_PORT.*"eighty"/);
    expect(problems.join('\n')).toMatch(/POLICE_URL/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/JWT_JWKS_URL/);
  });

  it('requires a database URI for a subgraph run on its own and names the variables', () => {
    const problems = problemsOf(() => loadSubgraphConfig('police', {}));
    expect(problems).toEqual([expect.stringMatching(/MONGODB_URI \(or POLICE_MONGODB_URI\)/)]);
  });

  it('prefers the per-subgraph database URI over MONGODB_URI', () => {
    const config = loadSubgraphConfig('local-government', {
      MONGODB_URI: 'mongodb://shared:27017',
      LOCAL_GOVERNMENT_MONGODB_URI: 'mongodb://own:27017',
    });
    expect(config.database).toEqual({ mongoUri: 'mongodb://own:27017', dbName: 'timpora_local_government' });
  });

  it('limits permit checks by default, in memory unless REDIS_URL is set, and lists bad limits', () => {
    const env = { MONGODB_URI: 'mongodb://127.0.0.1:27017' };
    expect(loadSubgraphConfig('immigration', env).permitChecks).toEqual({
      perOperation: 1,
      perCallerPerMinute: 10,
      perCallerPerHour: 100,
      perPermitPerDay: 10,
      redisUrl: null,
      redisKeyPrefix: 'timpora',
    });
    expect(loadSubgraphConfig('police', env).permitChecks).toBeNull();
    expect(
      loadSubgraphConfig('immigration', { ...env, REDIS_URL: 'redis://redis.internal:6379/2' }).permitChecks?.redisUrl,
    ).toBe('redis://redis.internal:6379/2');
    const problems = problemsOf(() =>
      loadSubgraphConfig('immigration', {
        ...env,
        PERMIT_CHECKS_PER_OPERATION: '0',
        PERMIT_CHECKS_PER_CALLER_PER_MINUTE: 'ten',
        PERMIT_CHECKS_PER_PERMIT_PER_DAY: '-1',
        REDIS_URL: 'http://redis:6379',
        REDIS_KEY_PREFIX: 'with space',
      }),
    );
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PERMIT_CHECKS_PER_OPERATION.*"0"/);
    expect(problems.join('\n')).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('rejects conflicting or missing token keys', () => {
    expect(problemsOf(() => loadHubConfig({ JWT_PUBLIC_KEY_FILE: 'k.pem', JWT_JWKS_URL: 'https://idp/jwks' }))).toEqual(
      [expect.stringMatching(/only one of JWT_PUBLIC_KEY_FILE and JWT_JWKS_URL/)],
    );
    expect(problemsOf(() => loadHubConfig({ JWT_DEV_KEYS: 'false' }))).toEqual([
      expect.stringMatching(/JWT_DEV_KEYS=false needs/),
    ]);
  });

  it("needs the gateway's keys when development keys are off: the gateway signs, the subgraphs verify", () => {
    const keys = { JWT_DEV_KEYS: 'false', JWT_PUBLIC_KEY_FILE: 'token.pem' };
    expect(problemsOf(() => loadGatewayConfig(keys))).toEqual([
      expect.stringMatching(/^GATEWAY_SIGNING_KEY_FILE: required/),
    ]);
    const accessLogKeys = {
      POLICE_ACCESS_LOG_KEY_FILE: 'police-access-log.pem',
      IMMIGRATION_ACCESS_LOG_KEY_FILE: 'immigration-access-log.pub.pem',
      LOCAL_GOVERNMENT_ACCESS_LOG_KEY_FILE: 'local-government-access-log.pub.pem',
    };
    expect(
      problemsOf(() => loadSubgraphConfig('police', { ...keys, ...accessLogKeys, MONGODB_URI: 'mongodb://db' })),
    ).toEqual([expect.stringMatching(/^GATEWAY_PUBLIC_KEY_FILE: required/)]);
    const subgraph = loadSubgraphConfig('police', {
      ...keys,
      ...accessLogKeys,
      MONGODB_URI: 'mongodb://db',
      GATEWAY_PUBLIC_KEY_FILE: 'gateway.pem',
    });
    expect([subgraph.gatewayKey.publicKeyFile, subgraph.introspection]).toEqual(['gateway.pem', 'gateway']);
  });

  it('needs the access-log keys when development keys are off: its own to sign, the peers’ to witness them', () => {
    const env = {
      JWT_DEV_KEYS: 'false',
      JWT_PUBLIC_KEY_FILE: 'token.pem',
      GATEWAY_PUBLIC_KEY_FILE: 'gateway.pem',
      MONGODB_URI: 'mongodb://db',
    };
    expect(problemsOf(() => loadSubgraphConfig('police', env))).toEqual([
      expect.stringMatching(/^POLICE_ACCESS_LOG_KEY_FILE: required with JWT_DEV_KEYS=false: the police subgraph signs/),
      expect.stringMatching(
        /^IMMIGRATION_ACCESS_LOG_KEY_FILE: required with JWT_DEV_KEYS=false while witnessing is on/,
      ),
      expect.stringMatching(/^LOCAL_GOVERNMENT_ACCESS_LOG_KEY_FILE: required/),
    ]);
    // witnessing off: only its own key
    const alone = loadSubgraphConfig('police', {
      ...env,
      ACCESS_LOG_WITNESS_INTERVAL_S: '0',
      POLICE_ACCESS_LOG_KEY_FILE: 'police.pem',
    });
    expect(alone.accessLog).toEqual({
      key: { keyFile: 'police.pem', devKeyDir: null },
      witnessIntervalMs: 0,
      peers: {},
    });
    // development keys: generated under DATA_DIR/keys/access-log/<name>, peers found at their URLs
    const dev = loadSubgraphConfig('police', {
      MONGODB_URI: 'mongodb://db',
      DATA_DIR: '/srv/hub',
      IMMIGRATION_URL: 'http://immigration.internal:4001/graphql',
    });
    expect(dev.accessLog.witnessIntervalMs).toBe(60_000);
    expect(dev.accessLog.key.devKeyDir).toBe('/srv/hub/keys/access-log/police');
    expect(dev.accessLog.peers.immigration?.url).toBe('http://immigration.internal:4001/graphql');
    expect(dev.accessLog.peers['local-government']?.url).toBe('http://127.0.0.1:4003/graphql');
    expect(
      problemsOf(() =>
        loadSubgraphConfig('police', { MONGODB_URI: 'mongodb://db', ACCESS_LOG_WITNESS_INTERVAL_S: '-1' }),
      ),
    ).toEqual([expect.stringMatching(/^ACCESS_LOG_WITNESS_INTERVAL_S/)]);
  });

  it('bounds the seed size', () => {
    expect(problemsOf(() => loadHubConfig({ SEED_COUNT: '500000' }))).toEqual([expect.stringMatching(/SEED_COUNT/)]);
  });
});
