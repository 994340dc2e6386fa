/**
 * Faults on the cluster's network (`npm run cluster`; scripts/cluster/): the hub in network
 * namespaces, each agency a host of its own, two gateways behind HAProxy, and Toxiproxy between
 * the gateways and every agency. Every scenario reports its figures (p50/p99 latency, failed
 * requests, recovery time) on standard output and in test-output/cluster-figures.json.
 *
 * Needs root and `ip netns` (CI runs as root); skipped with a message otherwise. The cluster is
 * the machine's only one: a cluster already up (`npm run cluster -- up`) is replaced and removed.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fetch } from 'undici';
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import { createTokenSigner, type TokenRequest } from '../../common/auth/tokens.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { connectDatabase, type Database } from '../../common/db/connection.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { BACKEND, serverStat } from '../../scripts/cluster/haproxy.js';
import { Cluster, teardown, up } from '../../scripts/cluster/index.js';
import { clusterUnavailableReason } from '../../scripts/cluster/net.js';
import { clusterDispatcher } from '../../scripts/cluster/tls.js';
import { DEFAULT_TLS, KEYS_DATA_DIR, PORTS, STATE_DIR, agencyUrl, host } from '../../scripts/cluster/topology.js';
import { NATIONAL_WRITERS } from '../helpers/fixtures.js';
import { graphql, type GraphQLResponse } from '../helpers/graphql.js';
import { loadFigures, percentile, recordFigures, resetFigures, startLoad, type LoadResult } from './load.js';

const unavailable = await clusterUnavailableReason();
if (unavailable) process.stdout.write(`test/cluster skipped: ${unavailable}\n`);
const describeCluster = unavailable ? describe.skip : describe;

/** The gateway's default SUBGRAPH_TIMEOUT_MS, which the cluster's gateways keep. */
const SUBGRAPH_TIMEOUT_MS = 10_000;
const SEED_COUNT = 200;
const LOG_COPY = path.join(PROJECT_ROOT, 'test-output/cluster-logs');

const PROFILES = `query Profiles {
  foreigners(first: 5, filter: { regionCode: "16.01" }) {
    totalCount
    nodes { id fullName currentPermit { number } selfReports { number } incidents { category } residence { number } }
  }
}`;

const REPORT = `mutation Report($input: SubmitCommunityReportInput!) {
  submitCommunityReport(input: $input) { communityReport { id description } }
}`;

type Profiles = {
  foreigners: {
    totalCount: number;
    nodes: { selfReports: unknown; incidents: unknown; residence: unknown }[];
  };
};

let cluster: Cluster;
let reader: string;
let writer: string;
let baseline: GraphQLResponse<Profiles>;
let localGovernmentDb: Database;

async function sign(request: TokenRequest): Promise<string> {
  return (await createTokenSigner(loadHubConfig({ DATA_DIR: KEYS_DATA_DIR }).auth))(request);
}

/**
 * TLS between every pair of hosts and to the load balancer, as `npm run cluster -- up` runs
 * (DEFAULT_TLS); `CLUSTER_TLS=off` runs the same faults over plain HTTP. The tests' own requests
 * present the operator's certificate through `clusterDispatcher()` (scripts/cluster/tls.ts).
 */
const TLS = process.env.CLUSTER_TLS !== 'off' && DEFAULT_TLS;
let LB_URL: string;

const profiles = () => graphql<Profiles>(LB_URL, PROFILES, { token: reader, dispatcher: clusterDispatcher() });

function profileLoad(concurrency: number, check = sameAsBaseline) {
  return startLoad({
    url: LB_URL,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}`, 'x-purpose': 'test' },
    body: JSON.stringify({ query: PROFILES }),
    concurrency,
    check,
  });
}

function sameAsBaseline(status: number, body: unknown): string | null {
  if (status !== 200) return `HTTP ${status}: ${JSON.stringify(body).slice(0, 200)}`;
  const { data, errors } = body as Omit<GraphQLResponse<Profiles>, 'status'>;
  if (errors?.length) return `errors: ${JSON.stringify(errors).slice(0, 300)}`;
  return JSON.stringify(data) === JSON.stringify(baseline.data) ? null : 'an answer other than the baseline';
}

/** Median time of the police's /health through the fault proxy, on a fresh connection each time. */
async function policeHealthMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    const response = await fetch(new URL('/health', agencyUrl('police', TLS)), {
      headers: { connection: 'close' },
      dispatcher: clusterDispatcher(),
    });
    await response.text();
    times.push(performance.now() - started);
  }
  return Math.round(percentile(times, 50));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeCluster('the hub across a network of namespaces', () => {
  beforeAll(async () => {
    await resetFigures();
    const started = Date.now();
    cluster = await up({ seedCount: SEED_COUNT, tls: TLS, log: (m) => process.stdout.write(`cluster: ${m}\n`) });
    const startMs = Date.now() - started;
    LB_URL = cluster.lbUrl;
    await recordFigures('cluster', {
      startSeconds: Math.round(startMs / 100) / 10,
      residentMemoryMB: Math.round((await Cluster.residentMemory()) / 1024 / 1024),
      seedCount: SEED_COUNT,
      processes: cluster.processes.length,
      tls: TLS ? 'on' : 'off',
    });
    reader = await sign({
      agencyType: 'IMMIGRATION',
      agency: 'DITJENIM-PUSAT',
      jurisdiction: ['*'],
      scopes: SCOPE_NAMES,
    });
    writer = await sign(NATIONAL_WRITERS.localgov);
    localGovernmentDb = await connectDatabase(
      `mongodb://${host('local-government').address}:${PORTS.ferretdb}/`,
      'timpora_local_government',
    );
    baseline = await profiles();
    expect(baseline.errors).toBeUndefined();
    expect(baseline.data!.foreigners.nodes).toHaveLength(5);
  }, 300_000);

  afterAll(async () => {
    await localGovernmentDb?.close();
    // the hosts' logs outlive the cluster, for a failure in CI
    await fs.mkdir(LOG_COPY, { recursive: true });
    for (const file of await fs.readdir(STATE_DIR).catch(() => [])) {
      if (file.endsWith('.log')) await fs.copyFile(path.join(STATE_DIR, file), path.join(LOG_COPY, file));
    }
    await teardown();
  }, 60_000);

  afterEach(() => cluster?.toxiproxy.reset());

  it('answers through the load balancer as on one machine, with 40 ms RTT and jitter to the police', async () => {
    const quiet = await (async () => {
      const load = profileLoad(4);
      await sleep(5000);
      return load.stop();
    })();
    const directHealthMs = await policeHealthMs();
    await cluster.toxiproxy.addRoundTripLatency('police', 40, 10);
    const delayedHealthMs = await policeHealthMs();
    const slowed = await (async () => {
      const load = profileLoad(4);
      await sleep(8000);
      return load.stop();
    })();
    await recordFigures('a. latency 40 ms RTT ± 10 ms jitter, gateways → police', {
      baseline: loadFigures(quiet),
      withLatency: loadFigures(slowed),
      policeHealthThroughProxyMs: { before: directHealthMs, withLatency: delayedHealthMs },
    });
    expect(quiet.failures).toEqual([]);
    expect(slowed.failures).toEqual([]);
    expect(slowed.requests).toBeGreaterThan(10);
    // every answer within the per-subgraph timeout, and the added latency is felt
    expect(Math.max(...slowed.latenciesMs)).toBeLessThan(SUBGRAPH_TIMEOUT_MS);
    // the proxy adds the round trip: the police's /health through it, without the CPU noise of a whole query
    expect(delayedHealthMs - directHealthMs).toBeGreaterThan(30);
  }, 60_000);

  it('with connections to the police reset, answers are the baseline or name the police; none is wrong', async () => {
    await cluster.toxiproxy.addRoundTripLatency('police', 40, 10);
    // half the connections from the gateways to the police are reset 1.5 s after they open (or after
    // the toxic arrives), whatever they carry then: a request in flight on one loses its answer
    await cluster.toxiproxy.addToxic(
      'police',
      'reset',
      'upstream',
      { type: 'reset_peer', attributes: { timeout: 1500 } },
      0.5,
    );
    let partial = 0;
    const load = profileLoad(4, (status, body) => {
      const full = sameAsBaseline(status, body);
      if (!full) return null;
      const { data, errors } = body as Omit<GraphQLResponse<Profiles>, 'status'>;
      const namesPolice =
        status === 200 &&
        errors?.length === 1 &&
        errors[0]!.extensions?.code === 'SUBGRAPH_UNAVAILABLE' &&
        errors[0]!.extensions?.serviceName === 'police';
      // the police's fields alone are missing; the other agencies' are the baseline's
      const restIntact = data?.foreigners.nodes.every(
        (n, i) =>
          n.selfReports === null &&
          n.incidents === null &&
          JSON.stringify(n.residence) === JSON.stringify(baseline.data!.foreigners.nodes[i]!.residence),
      );
      if (namesPolice && restIntact) {
        partial += 1;
        return null;
      }
      return full;
    });
    await sleep(8000);
    const result = await load.stop();
    await recordFigures(
      'a. connection resets (reset_peer 1.5 s after opening, 50 % of connections) + 40 ms RTT, gateways → police',
      {
        ...loadFigures(result),
        partialAnswersNamingPolice: partial,
        fullAnswers: result.requests - result.failed - partial,
      },
    );
    expect(result.failures).toEqual([]);
    expect(Math.max(...result.latenciesMs)).toBeLessThan(SUBGRAPH_TIMEOUT_MS);
  }, 60_000);

  describe('local government partitioned', () => {
    it('answers the other agencies’ data with an error naming it, and everything within seconds of healing', async () => {
      await cluster.toxiproxy.partition('local-government');
      const started = Date.now();
      const partial = await profiles();
      const partialMs = Date.now() - started;
      expect(partial.status).toBe(200);
      expect(partial.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'local-government' } }),
      ]);
      partial.data!.foreigners.nodes.forEach((n, i) => {
        expect(n.residence).toBeNull();
        expect(n.incidents).toEqual(baseline.data!.foreigners.nodes[i]!.incidents);
      });

      await cluster.toxiproxy.heal('local-government');
      const healed = Date.now();
      for (;;) {
        const answer = await profiles();
        if (!answer.errors && JSON.stringify(answer.data) === JSON.stringify(baseline.data)) break;
        expect(Date.now() - healed).toBeLessThan(10_000);
        await sleep(100);
      }
      const recoveryMs = Date.now() - healed;
      await recordFigures('b. local government partitioned', { partialAnswerMs: partialMs, recoveryMs });
      expect(partialMs).toBeLessThan(2000);
      expect(recoveryMs).toBeLessThan(5000);
    }, 60_000);

    const submit = (description: string, key: string) =>
      graphql(LB_URL, REPORT, {
        token: writer,
        dispatcher: clusterDispatcher(),
        headers: { 'idempotency-key': key },
        variables: {
          input: {
            category: 'OTHER',
            regionCode: '16.01.14.1001',
            reportedAt: '2026-03-04T05:06:07Z',
            description,
            reportedBy: 'Kepala Desa Baturaja Lama',
          },
        },
      });
    const stored = (description: string) =>
      localGovernmentDb.connection.collection('community_reports').countDocuments({ description });

    it('a write retried through the partition with its Idempotency-Key is stored once', async () => {
      const description = `partition ${randomUUID()}`;
      const key = randomUUID();
      await cluster.toxiproxy.partition('local-government');
      const healing = sleep(3000).then(() => cluster.toxiproxy.heal('local-government'));
      let attempts = 0;
      let answer: GraphQLResponse;
      const started = Date.now();
      for (;;) {
        attempts += 1;
        answer = await submit(description, key);
        if (!answer.errors) break;
        expect(answer.errors.map((e) => e.extensions)).toEqual([
          { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'local-government' },
        ]);
        expect(Date.now() - started).toBeLessThan(20_000);
        await sleep(250);
      }
      await healing;
      const replay = await submit(description, key);
      expect(replay).toEqual(answer);
      expect(await stored(description)).toBe(1);
      await recordFigures('b. write retried through the partition', {
        attempts,
        writtenAfterMs: Date.now() - started,
        recordsStored: await stored(description),
      });
    }, 60_000);

    it('a write whose answer is lost on the way back runs once: the retry gets the stored answer', async () => {
      const description = `lost answer ${randomUUID()}`;
      const key = randomUUID();
      // the request reaches the agency, its answer never comes back
      await cluster.toxiproxy.addToxic('local-government', 'black-hole', 'downstream', {
        type: 'timeout',
        attributes: { timeout: 0 },
      });
      const started = Date.now();
      const lost = await submit(description, key);
      const timedOutMs = Date.now() - started;
      expect(lost.errors?.map((e) => e.extensions)).toEqual([
        { code: 'SUBGRAPH_TIMEOUT', serviceName: 'local-government' },
      ]);
      await cluster.toxiproxy.removeToxic('local-government', 'black-hole');
      const retried = await submit(description, key);
      expect(retried.errors).toBeUndefined();
      expect(await stored(description)).toBe(1);
      await recordFigures('b. write whose answer was lost (downstream black hole)', {
        timedOutAfterMs: timedOutMs,
        recordsStoredAfterRetry: await stored(description),
      });
    }, 60_000);
  });

  it('restarts the police subgraph replica by replica under load without a failed request', async () => {
    const load = profileLoad(4);
    await sleep(1000);
    const started = Date.now();
    await cluster.rollingRestart('police');
    const restartMs = Date.now() - started;
    await sleep(1000);
    const result: LoadResult = await load.stop();
    await recordFigures('d. rolling restart of the police subgraph (2 replicas) under load', {
      ...loadFigures(result),
      restartSeconds: Math.round(restartMs / 100) / 10,
    });
    expect(result.failures).toEqual([]);
    expect(result.requests).toBeGreaterThan(20);
  }, 180_000);

  it('loses no request beyond those in flight on a gateway killed under load', async () => {
    const concurrency = 8;
    const load = profileLoad(concurrency);
    await sleep(2000);
    const socket = `${STATE_DIR}/lb-haproxy.sock`;
    const killed = Date.now();
    await cluster.stopProcess('gateway-1', 'gateway', 'SIGKILL');
    while ((await serverStat(socket, BACKEND, 'gateway-1')).status.startsWith('UP')) await sleep(50);
    const markedDownMs = Date.now() - killed;
    await sleep(4000);
    const result = await load.stop();
    await recordFigures('c. gateway-1 killed (SIGKILL) under load', {
      ...loadFigures(result),
      concurrency,
      markedDownAfterMs: markedDownMs,
    });
    // at most the requests in flight on gateway-1 when it died: no more than the clients
    expect(result.failed).toBeLessThanOrEqual(concurrency);
    expect(result.requests).toBeGreaterThan(2 * concurrency);
  }, 60_000);
});
