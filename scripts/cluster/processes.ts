/**
 * The cluster's processes one by one: started detached in a host's namespace (`ip netns exec`)
 * logging to `data/cluster/<host>.log`, probed until they serve, stopped with a grace period;
 * and `data/cluster/state.json`, which lists them for `status` and `restart`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetch } from 'undici';
import { isAlive } from '../../common/db/ferretdb.js';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { clusterDispatcher, trustClusterCa } from './tls.js';
import { STATE_DIR, host, type HostName } from './topology.js';

export { isAlive };

/** One process of the cluster, as `state.json` lists it. */
export interface ClusterProcess {
  host: HostName;
  /** e.g. `gateway`, `ferretdb`, `subgraph-1`, `haproxy`. */
  name: string;
  pid: number;
  /** What says it serves: an HTTP URL answering 2xx, or `tcp://address:port`. */
  probe: string;
}

/** What `state.json` holds, for `status` and `restart`. */
export interface ClusterState {
  lbUrl: string;
  tls: boolean;
  processes: ClusterProcess[];
}

export const START_TIMEOUT_MS = 120_000;
const STATE_FILE = path.join(STATE_DIR, 'state.json');

export function hostLog(name: HostName): string {
  return path.join(STATE_DIR, `${name}.log`);
}

/** The last lines of a host's log, for the message of a process that failed to start. */
export async function logTail(name: HostName, lines = 30): Promise<string> {
  const text = await fs.readFile(hostLog(name), 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Whether a probe answers: 2xx for an HTTP URL, an accepted connection for `tcp://`. */
export async function probe(target: string, timeoutMs = 1000): Promise<boolean> {
  if (target.startsWith('tcp://')) {
    const { hostname, port } = new URL(target);
    return new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port) });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }
  return fetch(target, { signal: AbortSignal.timeout(timeoutMs), dispatcher: clusterDispatcher() }).then(
    (r) => r.ok,
    () => false,
  );
}

/** A process just spawned, and why it ended if it already has (`null` while it runs). */
export interface Launched {
  entry: ClusterProcess;
  exited: () => string | null;
}

/** Spawns `command` detached in a host's namespace, appending its output to the host's log. */
export function launch(
  hostName: HostName,
  name: string,
  command: string,
  args: string[],
  target: string,
  env: NodeJS.ProcessEnv,
): Launched {
  const fd = openSync(hostLog(hostName), 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} starting ${name}: ${command} ${args.join(' ')}\n`);
  const child = spawn('ip', ['netns', 'exec', host(hostName).namespace, command, ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  child.unref();
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.once('error', (e) => (exit = `could not be run (${e.message})`));
  return { entry: { host: hostName, name, pid: child.pid ?? -1, probe: target }, exited: () => exit };
}

/** Returns once the process's probe answers; throws with its log's last lines if it ends or times out first. */
export async function untilServing({ entry, exited }: Launched): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await probe(entry.probe))) {
    const exit = exited();
    if (exit || Date.now() > deadline) {
      const why = exit ? `${exit} during start-up` : `did not answer at ${entry.probe} in ${START_TIMEOUT_MS / 1000} s`;
      throw new Error(
        `${entry.host}/${entry.name} ${why}. Last lines of ${hostLog(entry.host)}:\n${await logTail(entry.host)}`,
      );
    }
    await sleep(200);
  }
}

/** Sends `signal` to a process and waits until it has ended (SIGKILL after `graceMs`). */
export async function stopPid(pid: number, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (isAlive(pid)) process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await sleep(50);
  }
}

export async function writeState(state: ClusterState): Promise<void> {
  await fs.writeFile(STATE_FILE, JSON.stringify(state, null, 2));
}

/** The state of the running cluster (and, with TLS, this process trusts its CA), or null when none runs. */
export async function readState(): Promise<ClusterState | null> {
  const state = await fs.readFile(STATE_FILE, 'utf8').then(
    (t) => JSON.parse(t) as ClusterState,
    () => null,
  );
  if (state?.tls) await trustClusterCa();
  return state;
}
