/**
 * The database restarted under load: while it is down, requests fail cleanly (an error code,
 * an HTTP answer, within a bound, no process lost), and once it is back on the same port they
 * succeed again by themselves — the subgraphs reconnect without being restarted. The hub runs
 * on a FerretDB instance of its own, which this test stops and starts.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import { DATABASE_HEARTBEAT_MS, DATABASE_TIMEOUT_MS } from '../../common/db/connection.js';
import { freePort, startFerretDb, type FerretDbInstance, type FerretDbOptions } from '../../common/db/ferretdb.js';
import { startLoad, type LoadSample } from '../helpers/faults.js';
import { recordFullForeigner, type FullForeigner } from '../helpers/fixtures.js';
import { graphql, tokenFor } from '../helpers/graphql.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

/*
 * Bounds, derived from the database settings (common/db/connection.ts) with a wide margin for a
 * CI machine at a load average above 10. The test waits for each phase by polling the load's
 * answers, so on a quick machine it takes about as long as the outage itself; the bounds only
 * decide when it gives up.
 */

/**
 * The gateway's per-subgraph timeout for this hub: far beyond any database wait, so that only the
 * database's own timeout cuts a request short and DATABASE_UNAVAILABLE is the only code expected.
 */
const GATEWAY_TIMEOUT_MS = 30_000;

/**
 * How long any request may take. Each database command gives up after DATABASE_TIMEOUT_MS; a
 * request may meet the outage a few times in a row (its reads in one subgraph, then another
 * subgraph's, or the access-log append queued behind others).
 */
const FAILURE_BOUND_MS = 3 * DATABASE_TIMEOUT_MS + 15_000;

/** Most requests while the database is down fail after one database timeout. */
const MEDIAN_FAILURE_BOUND_MS = DATABASE_TIMEOUT_MS + 5000;

/**
 * How long the outage lasts at least: every driver's monitor has probed the dead database more
 * than once, and requests have waited out the whole database timeout against it.
 */
const MIN_OUTAGE_MS = DATABASE_TIMEOUT_MS + 2 * DATABASE_HEARTBEAT_MS;

/**
 * From FerretDB listening again to the first request answered in full by all three subgraphs:
 * a monitor probe caught by the restart is given up after DATABASE_TIMEOUT_MS, the next comes a
 * heartbeat later and finds the database; requests waiting in server selection then proceed.
 */
const RECOVERY_BOUND_MS = DATABASE_TIMEOUT_MS + DATABASE_HEARTBEAT_MS + 20_000;

/** After the first full answer, a probe that was already under way has finished: all is well from then on. */
const SETTLE_MS = DATABASE_TIMEOUT_MS + DATABASE_HEARTBEAT_MS;

/** How long to wait for the load to produce the answers a phase needs (before, during, after). */
const PHASE_DEADLINE_MS = 60_000;

let options: FerretDbOptions;
let ferret: FerretDbInstance;
let hub: TestHub;
let fixture: FullForeigner;
let reader: string;
let writer: string;

beforeAll(async () => {
  options = {
    port: await freePort(),
    debugPort: await freePort(),
    dataDir: await fs.mkdtemp(path.join(os.tmpdir(), 'timpora-restart-')),
  };
  ferret = await startFerretDb(options);
  hub = await startTestHub('faults_db', {
    subgraphEnv: { MONGODB_URI: ferret.uri },
    gatewayEnv: { SUBGRAPH_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS) },
  });
  fixture = await recordFullForeigner(hub);
  reader = await tokenFor({
    agencyType: 'IMMIGRATION',
    agency: 'DITJENIM-PUSAT',
    jurisdiction: ['*'],
    scopes: SCOPE_NAMES,
  });
  writer = await tokenFor({ agencyType: 'LOCAL_GOVERNMENT', agency: 'KEMENDAGRI', jurisdiction: ['*'] });
}, 300_000);

afterAll(async () => {
  await hub?.stop();
  await ferret?.stop();
  if (options) await fs.rm(options.dataDir, { recursive: true, force: true });
}, 60_000);

const PROFILE = `query Profile($id: ID!) {
  foreigner(id: $id) { fullName currentPermit { number } incidents { category } residence { number } employment { employer } }
}`;
const REPORT = `mutation Report($input: SubmitCommunityReportInput!) { submitCommunityReport(input: $input) { communityReport { id } } }`;

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** Every third request of the load submits a community report; the others read the profile. */
const isReport = (n: number) => n % 3 === 2;

/** Reads the profile, or submits a community report. */
async function request(n: number): Promise<{ status: number; codes: string[] }> {
  const response = isReport(n)
    ? await graphql(hub.gatewayUrl, REPORT, {
        token: writer,
        variables: {
          input: {
            category: 'OTHER',
            regionCode: '16.01.14.1001',
            reportedAt: '2026-01-01T00:00:00Z',
            description: `Load test report ${n}`,
            reportedBy: 'Kepala Desa',
          },
        },
      })
    : await graphql(hub.gatewayUrl, PROFILE, { token: reader, variables: { id: fixture.foreignerId } });
  const errors = response.errors ?? [];
  // a stack trace in a message counts as a code of its own, which no assertion below allows
  const codes = errors.map((e) => (STACK_FRAME.test(e.message) ? 'STACK_TRACE' : String(e.extensions?.code)));
  return { status: response.status, codes: [...new Set(codes)] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ok = (s: LoadSample) => s.status === 200 && s.codes.length === 0;

/** Polls `condition` until it holds or `deadlineMs` have passed; whether it held. */
async function until(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

it(
  'fails cleanly while the database is down and recovers on its own when it is back',
  async () => {
    const load = startLoad(4, request);
    const reached = { before: false, down: false, recovered: false, after: false };
    let stoppedAt = Infinity;
    let exitedAt = Infinity;
    let restartedAt = Infinity;
    let backAt = Infinity;
    let recoveredAt: number | null = null;
    const startedAfter = (t: number) => load.samples.filter((s) => s.at > t);
    try {
      // before: the load is served
      reached.before = await until(() => load.samples.filter(ok).length >= 8, PHASE_DEADLINE_MS);
      stoppedAt = Date.now();
      await ferret.stop(); // FerretDB finishes what it is doing, closes its connections and exits
      exitedAt = Date.now();
      // down: a while, and long enough for several requests to meet the outage from start to end
      reached.down = await until(
        () => Date.now() - exitedAt >= MIN_OUTAGE_MS && startedAfter(exitedAt).length >= 8,
        PHASE_DEADLINE_MS,
      );
      restartedAt = Date.now();
      ferret = await startFerretDb(options); // resolves once it accepts connections
      backAt = Date.now();
      // recovered: a profile, which every subgraph's database serves, answered in full again
      const firstFullProfile = () => startedAfter(backAt).find((s) => !isReport(s.n) && ok(s));
      reached.recovered = await until(() => firstFullProfile() !== undefined, RECOVERY_BOUND_MS);
      recoveredAt = firstFullProfile()?.at ?? null;
      // after: requests keep succeeding
      if (recoveredAt !== null) {
        const settledAt = recoveredAt + SETTLE_MS;
        reached.after = await until(() => startedAfter(settledAt).length >= 12, PHASE_DEADLINE_MS);
      }
    } finally {
      await load.stop();
    }
    const samples = load.samples;

    const before = samples.filter((s) => s.at + s.durationMs < stoppedAt);
    // in flight when the database process went away: cut off mid-command
    const cutOff = samples.filter((s) => s.at <= exitedAt && s.at + s.durationMs >= stoppedAt);
    const down = samples.filter((s) => s.at > exitedAt && s.at + s.durationMs < restartedAt);
    const after = samples.filter((s) => recoveredAt !== null && s.at > recoveredAt + SETTLE_MS);
    const durations = down.map((s) => s.durationMs).sort((a, b) => a - b);
    const summary = {
      reached,
      requests: samples.length,
      before: before.length,
      down: down.length,
      after: after.length,
      codesWhileDown: [...new Set(down.flatMap((s) => s.codes))].sort(),
      codesCutOff: [...new Set(cutOff.flatMap((s) => s.codes))].sort(),
      codes: [...new Set(samples.flatMap((s) => s.codes))].sort(),
      statuses: [...new Set(samples.map((s) => s.status))].sort(),
      outageMs: restartedAt - exitedAt,
      medianFailureMs: durations[Math.floor(durations.length / 2)] ?? null,
      slowestMs: Math.max(...samples.map((s) => s.durationMs)),
      recoveryMs: recoveredAt === null ? null : recoveredAt - backAt,
    };
    process.stdout.write(`database restart under load: ${JSON.stringify(summary)}\n`);

    // each phase was seen (the load answered before, during and after the outage)
    expect(reached).toEqual({ before: true, down: true, recovered: true, after: true });
    // every request got an HTTP answer (no crash, no dropped connection), none a 5xx, none beyond the bound
    expect(samples.filter((s) => s.failed)).toEqual([]);
    expect(summary.statuses).toEqual([200]);
    expect(summary.slowestMs).toBeLessThan(FAILURE_BOUND_MS);
    // the only failure is the retryable one: never a masked internal error, never the gateway's timeout
    expect(summary.codes).toEqual(['DATABASE_UNAVAILABLE']);
    // before: all well
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((s) => !ok(s))).toEqual([]);
    // while down: every request fails, after about the database timeout, with the retryable code
    expect(down.length).toBeGreaterThan(0);
    expect(down.filter(ok)).toEqual([]);
    expect(summary.codesWhileDown).toEqual(['DATABASE_UNAVAILABLE']);
    expect(summary.medianFailureMs).toBeLessThan(MEDIAN_FAILURE_BOUND_MS);
    // a request cut off mid-command by the exit has an answer with an error code too (see the report)
    for (const s of cutOff) expect(ok(s) || s.codes.length > 0).toBe(true);
    // after: recovered, with nothing restarted but the database, and all well since
    expect(summary.recoveryMs).not.toBeNull();
    expect(summary.recoveryMs!).toBeLessThan(RECOVERY_BOUND_MS);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => !ok(s))).toEqual([]);
    for (const subgraph of Object.values(hub.subgraphs)) {
      expect((await fetch(new URL('/ready', subgraph.url))).status).toBe(200);
    }
  },
  5 * PHASE_DEADLINE_MS,
);
