/**
 * One process dying must not take the hub down (issue 10, failure 1: a subgraph killed by an
 * oversized query stopped every service, and `npm start` then hung). The real `npm start`
 * (scripts/start.ts) runs here on free ports with a temporary DATA_DIR and a small seed; the test
 * kills its processes with SIGKILL — a subgraph twice, the gateway, FerretDB — and checks that the
 * gateway answers partial data naming the dead subgraph meanwhile, that each comes back after its
 * backoff and full answers return, and that SIGINT then stops every process, in order, within a
 * bound — also with a restart pending and a second SIGINT on the way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCOPE_NAMES } from '../../common/auth/policy.js';
import { createTokenSigner } from '../../common/auth/tokens.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES } from '../../common/config/services.js';
import { freePort } from '../../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { graphql, type GraphQLResponse } from '../helpers/graphql.js';
import { inheritedEnv } from '../helpers/processes.js';

const SEED_COUNT = 40;
/** From SIGINT to the last process gone: the drains are instant here, so this is all margin for a loaded machine. */
const STOP_BOUND_MS = 30_000;
/** From a SIGKILL to the first whole answer: the backoff (≤ 1 s here) plus a service start under load. */
const RECOVERY_BOUND_MS = 60_000;

const PROFILES = `{
  foreigners(first: 3, filter: { regionCode: "16.01" }) {
    nodes { id fullName incidents { category } residence { region { name } } }
  }
}`;

interface Profiles {
  foreigners: {
    nodes: {
      id: string;
      fullName: string;
      incidents: { category: string }[] | null;
      residence: { region: { name: string } } | null;
    }[];
  };
}

let start: ChildProcess;
let output = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let dataDir: string;
let gatewayUrl: string;
let token: string;
/** Every pid `npm start` reported, of every incarnation of every service. */
const seenPids = new Set<number>();
/** Recovery and stop times measured, printed at the end. */
const timings: Record<string, number> = {};

/** The pid `npm start` last reported for a service ("police started (pid 123)", "… restarted (pid 456)"). */
function pidOf(service: string): number {
  const pattern = new RegExp(`^\\S+ ${service} (?:started|restarted) \\(pid (\\d+)\\)`, 'gm');
  const pids = [...output.matchAll(pattern)].map((m) => Number(m[1]));
  if (pids.length === 0) throw new Error(`npm start reported no pid for ${service}:\n${output}`);
  for (const pid of pids) seenPids.add(pid);
  return pids.at(-1)!;
}

/** Whether the process runs, as part of this hub (pids are reused: another process may hold it by now). */
function runsThisHub(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`DATA_DIR=${dataDir}`);
  } catch {
    return false;
  }
}

/** The children of a process, as `ps` sees them. */
async function childrenOf(pid: number): Promise<number[]> {
  const ps = spawn('ps', ['-o', 'pid=', '--ppid', String(pid)]);
  let text = '';
  ps.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await new Promise((resolve) => ps.once('close', resolve));
  return text.split(/\s+/).filter(Boolean).map(Number);
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms. npm start wrote:\n${output}`);
    await sleep(100);
  }
}

/** The profiles through the gateway, or null when the gateway does not answer at all. */
async function profiles(): Promise<GraphQLResponse<Profiles> | null> {
  return graphql<Profiles>(gatewayUrl, PROFILES, { token }).catch(() => null);
}

function isWhole(response: GraphQLResponse<Profiles> | null): boolean {
  const nodes = response?.data?.foreigners.nodes;
  return (
    response?.status === 200 &&
    response.errors === undefined &&
    nodes !== undefined &&
    nodes.length > 0 &&
    nodes.every((n) => Array.isArray(n.incidents))
  );
}

/** Polls the gateway from `since` until a whole answer; returns the answers on the way and the recovery time. */
async function recover(since: number): Promise<{ answers: (GraphQLResponse<Profiles> | null)[]; recoveryMs: number }> {
  const answers: (GraphQLResponse<Profiles> | null)[] = [];
  await until(
    'a whole answer again',
    async () => {
      const answer = await profiles();
      answers.push(answer);
      return isWhole(answer) ? true : undefined;
    },
    RECOVERY_BOUND_MS,
  );
  return { answers, recoveryMs: Date.now() - since };
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'timpora-supervisor-'));
  const gatewayPort = await freePort();
  gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  const env: Record<string, string> = {
    ...inheritedEnv(),
    DATA_DIR: dataDir,
    SEED_COUNT: String(SEED_COUNT),
    FERRETDB_PORT: String(await freePort()),
    FERRETDB_DEBUG_PORT: String(await freePort()),
    GATEWAY_PORT: String(gatewayPort),
    EXPLORER: 'disabled',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  for (const name of SUBGRAPH_NAMES) {
    const port = await freePort();
    env[`${SUBGRAPH_ENV_PREFIX[name]}_PORT`] = String(port);
    env[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = `http://127.0.0.1:${port}/graphql`;
  }
  // as `npm start` runs it (`tsx scripts/start.ts`), without npm and tsx's own processes in between
  start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exited = new Promise((resolve) => start.once('exit', (code, signal) => resolve({ code, signal })));
  await until(
    'npm start running',
    () => {
      if (start.exitCode !== null || start.signalCode !== null) throw new Error(`npm start ended:\n${output}`);
      return output.includes('TIMPORA Hub is running') && output.includes('Stop with Ctrl-C') ? true : undefined;
    },
    240_000,
  );
  const sign = await createTokenSigner(loadHubConfig({ DATA_DIR: dataDir }).auth);
  token = await sign({ agencyType: 'IMMIGRATION', agency: 'DITJENIM-PUSAT', jurisdiction: ['*'], scopes: SCOPE_NAMES });
}, 300_000);

afterAll(async () => {
  // whatever went wrong above, nothing of this hub outlives the test: its services run in sessions
  // of their own, so they are stopped through npm start, and then by every pid it reported
  if (start?.pid && runsThisHub(start.pid)) {
    for (const pid of await childrenOf(start.pid)) seenPids.add(pid);
    start.kill('SIGTERM');
    await Promise.race([exited, sleep(STOP_BOUND_MS, undefined, { ref: false })]);
  }
  for (const name of ['FerretDB', ...SUBGRAPH_NAMES, 'gateway']) {
    if (output.includes(`${name} started`)) pidOf(name);
  }
  for (const pid of [start?.pid, ...seenPids]) {
    if (pid && runsThisHub(pid)) process.kill(pid, 'SIGKILL');
  }
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  process.stderr.write(
    `supervisor test, from SIGKILL to the first whole answer (and from SIGINT to exit): ${Object.entries(timings)
      .map(([what, ms]) => `${what} ${ms} ms`)
      .join(', ')}\n`,
  );
});

it('runs every service as a child process of npm start, and answers whole', async () => {
  const pids = ['FerretDB', ...SUBGRAPH_NAMES, 'gateway'].map(pidOf);
  expect(new Set(pids).size).toBe(5);
  expect(await childrenOf(start.pid!)).toEqual(expect.arrayContaining(pids));
  expect(isWhole(await profiles())).toBe(true);
});

it('restarts a subgraph killed with SIGKILL; meanwhile the gateway serves the rest with SUBGRAPH_UNAVAILABLE', async () => {
  const police = pidOf('police');
  const killedAt = Date.now();
  process.kill(police, 'SIGKILL');
  const { answers, recoveryMs } = await recover(killedAt);
  timings['police (1st)'] = recoveryMs;

  const partial = answers.filter((a) => a && !isWhole(a));
  expect(partial.length).toBeGreaterThan(0);
  for (const answer of partial) {
    expect(answer!.status).toBe(200);
    expect(answer!.errors).toEqual([
      {
        message: 'Subgraph police tidak dapat dihubungi; datanya tidak ada dalam jawaban ini',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'police' },
      },
    ]);
    // the other agencies' fields are there (some foreigners have no residence); only the police's are missing
    const nodes = answer!.data!.foreigners.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node).toMatchObject({ id: expect.any(String), fullName: expect.any(String), incidents: null });
    }
    expect(nodes.some((n) => typeof n.residence?.region.name === 'string')).toBe(true);
  }
  expect(output).toMatch(
    new RegExp(`police \\(pid ${police}\\) was killed by SIGKILL after [^;]+; restarting it in 0.5 s \\(restart 1\\)`),
  );
  // the gateway may answer whole a moment before the supervisor's readiness poll logs the restart
  await until('police restarted', () => (pidOf('police') !== police ? true : undefined), RECOVERY_BOUND_MS);
  expect(runsThisHub(police)).toBe(false);
  expect(output).toMatch(/police restarted \(pid \d+\), serving [\d.]+ s after its start/);
}, 90_000);

it('backs off further when the subgraph dies again soon after its restart', async () => {
  const police = pidOf('police');
  const killedAt = Date.now();
  process.kill(police, 'SIGKILL');
  const { recoveryMs } = await recover(killedAt);
  timings['police (2nd)'] = recoveryMs;
  expect(output).toMatch(
    new RegExp(`police \\(pid ${police}\\) was killed by SIGKILL after [^;]+; restarting it in 1 s \\(restart 2\\)`),
  );
  expect(recoveryMs).toBeGreaterThanOrEqual(1000);
}, 90_000);

it('restarts the gateway killed with SIGKILL', async () => {
  const gateway = pidOf('gateway');
  const killedAt = Date.now();
  process.kill(gateway, 'SIGKILL');
  const { answers, recoveryMs } = await recover(killedAt);
  timings.gateway = recoveryMs;
  expect(answers).toContain(null); // it did not answer at all for a while
  expect(output).toMatch(
    new RegExp(
      `gateway \\(pid ${gateway}\\) was killed by SIGKILL after [^;]+; restarting it in 0.5 s \\(restart 1\\)`,
    ),
  );
  await until('gateway restarted', () => (pidOf('gateway') !== gateway ? true : undefined), RECOVERY_BOUND_MS);
}, 90_000);

it('restarts FerretDB killed with SIGKILL; the subgraphs reconnect by themselves', async () => {
  const ferret = pidOf('FerretDB');
  const subgraphs = SUBGRAPH_NAMES.map(pidOf);
  const killedAt = Date.now();
  process.kill(ferret, 'SIGKILL');
  await until('FerretDB restarted', () => (/FerretDB restarted \(pid \d+\)/.test(output) ? true : undefined), 30_000);
  const { recoveryMs } = await recover(killedAt);
  timings.FerretDB = recoveryMs;
  expect(output).toMatch(
    new RegExp(
      `FerretDB \\(pid ${ferret}\\) was killed by SIGKILL after [^;]+; restarting it in 0.5 s \\(restart 1\\)`,
    ),
  );
  expect(SUBGRAPH_NAMES.map(pidOf)).toEqual(subgraphs); // no subgraph was restarted
}, 90_000);

it('stops everything on SIGINT, gateway first and the database last, cancelling a pending restart; a second SIGINT starts no second stop', async () => {
  // police dies twice within a minute: the second restart waits 1 s or more, and SIGINT comes meanwhile
  const police = pidOf('police');
  process.kill(police, 'SIGKILL');
  await until('police restarted', () => (pidOf('police') !== police ? true : undefined), RECOVERY_BOUND_MS);
  const mark = output.length;
  let signalledAt = 0;
  let signalledAgain = false;
  const interrupt = () => {
    if (!signalledAt && output.slice(mark).includes('restarting it in')) {
      signalledAt = Date.now();
      start.kill('SIGINT');
    } else if (signalledAt && !signalledAgain && output.slice(mark).includes('SIGINT: stopping')) {
      // Ctrl-C pressed again while the stop is under way
      signalledAgain = true;
      start.kill('SIGINT');
    }
  };
  // at once from the output events (`output` has been appended to first), not from a poll
  start.stdout!.on('data', interrupt);
  start.stderr!.on('data', interrupt);
  process.kill(pidOf('police'), 'SIGKILL');
  await until('SIGINT sent', () => (signalledAt ? true : undefined), 10_000);
  expect(output.slice(mark)).toMatch(/was killed by SIGKILL after [^;]+; restarting it in [124] s \(restart \d+\)/);
  const pids = [...seenPids, ...(await childrenOf(start.pid!))];

  const { code } = await exited;
  const stopMs = Date.now() - signalledAt;
  timings['(stop on SIGINT)'] = stopMs;
  expect(code).toBe(0);
  expect(stopMs).toBeLessThan(STOP_BOUND_MS);
  await until('every process gone', () => (pids.some(runsThisHub) ? undefined : true), 5000);

  expect(output).toContain('police: restart cancelled, the hub is stopping.');
  expect(output.match(/SIGINT: stopping the gateway, then the subgraphs, then the database/g)).toHaveLength(1);
  expect(output).toMatch(/SIGINT: already stopping/);
  expect(output.slice(output.indexOf('SIGINT: stopping'))).not.toContain('police restarted');
  // the gateway had exited before the subgraphs were asked to stop, and the database after them; each exited cleanly
  const exitLine = (name: string) =>
    output.search(new RegExp(`^\\S+ ${name} \\(pid \\d+\\) exited with code 0\\.$`, 'm'));
  const gatewayExited = exitLine('gateway');
  expect(gatewayExited).toBeGreaterThan(output.indexOf('SIGINT: stopping'));
  for (const name of ['immigration', 'local-government']) {
    expect(output.indexOf(`${name}: SIGTERM received`)).toBeGreaterThan(gatewayExited);
    expect(output).toContain(`${name}: stopped`); // drained and closed its database
    expect(exitLine('FerretDB')).toBeGreaterThan(exitLine(name));
  }
  expect(output).not.toContain('police: SIGTERM received'); // it was dead, and stayed so
}, 60_000);
