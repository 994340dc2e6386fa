/**
 * The benchmark's processes (started by `../hub-processes.ts`): their peak memory and CPU time
 * read from `/proc`, and whether they are idle.
 */
import fs from 'node:fs/promises';

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

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
