/**
 * The benchmark's processes: spawned like `npm start` spawns the hub (`node --import tsx
 * <entry>` with its configuration in the environment), their readiness, their peak memory and
 * CPU time read from `/proc`, and their stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { PROJECT_ROOT } from '../../common/project-root.js';

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

export interface Service {
  name: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** What is running, so that an interrupted run stops it all (`stopEverything`). */
const running = new Set<{ stop(): Promise<void> }>();

/** Adds something to stop when the run is interrupted; returns the function that removes it. */
export function stopOnInterrupt(stoppable: { stop(): Promise<void> }): () => void {
  running.add(stoppable);
  return () => running.delete(stoppable);
}

/** Stops every service still running, the database (registered first) last. */
export async function stopEverything(): Promise<void> {
  const all = [...running].reverse();
  running.clear();
  for (const s of all) await s.stop().catch(() => {});
}

/**
 * Starts `entry` (a TypeScript file under the project) as its own Node.js process with exactly
 * `env` (no variable of the caller's shell leaks into a measurement), writing its output to
 * `logFile`.
 */
export async function spawnService(
  name: string,
  entry: string,
  env: Record<string, string>,
  logFile: string,
  args: string[] = [],
): Promise<Service> {
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  await once(log, 'open');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', log, log],
  });
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: Service = {
    name,
    pid: child.pid,
    process: child,
    async stop() {
      forget();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
  const forget = stopOnInterrupt(service);
  return service;
}

/** Waits until `url` answers 2xx, failing early when the process exits. */
export async function waitReady(service: Pick<Service, 'name' | 'process'>, url: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with code ${service.process.exitCode} during start-up (see its log)`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} was not ready at ${url} after ${timeoutMs / 1000} s`);
}

export interface ProcessSample {
  /** Peak resident memory since the process started (VmHWM), in bytes. */
  peakRss: number;
  /** Resident memory now (VmRSS), in bytes. */
  rss: number;
  /** User plus system CPU time consumed so far, in milliseconds. */
  cpuMs: number;
}

/** Memory and CPU time of a process from `/proc` (Linux); null where `/proc` is not available. */
export async function sampleProcess(pid: number): Promise<ProcessSample | null> {
  try {
    const [status, stat] = await Promise.all([
      fs.readFile(`/proc/${pid}/status`, 'utf8'),
      fs.readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    // the fields after the command name (which may hold spaces) end with ")"; utime and stime are fields 14 and 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { peakRss: kb('VmHWM'), rss: kb('VmRSS'), cpuMs: (ticks * 1000) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** CPU milliseconds of several processes, by name (0 where unknown). */
export async function cpuOf(pids: Record<string, number>): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(pids).map(async ([name, pid]) => [name, (await sampleProcess(pid))?.cpuMs ?? 0] as const),
  );
  return Object.fromEntries(entries);
}

/**
 * Waits until the processes are idle: together under a tenth of a core over half a second.
 * After a timed load, requests the load generator abandoned when it stopped are still being
 * served; the next measurement must not pay for them.
 */
export async function waitIdle(pids: number[], maxMs = 300_000): Promise<number> {
  const started = performance.now();
  const total = async () =>
    (await Promise.all(pids.map(async (pid) => (await sampleProcess(pid))?.cpuMs ?? 0))).reduce((s, v) => s + v, 0);
  let last = await total();
  while (performance.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await total();
    if (now - last < 50) break;
    last = now;
  }
  return (performance.now() - started) / 1000;
}
