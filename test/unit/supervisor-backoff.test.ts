/**
 * The supervisor of `npm start` (scripts/supervisor.ts) on small real processes: the restart
 * backoff, stopping a child whatever killed it, restarts after SIGKILL, failed restarts, and a
 * stop that cancels a pending restart and keeps its order. The whole hub under the supervisor is
 * tested in test/security/supervisor.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  RestartBackoff,
  Supervisor,
  describeExit,
  formatDuration,
  trackChild,
  type ServiceProcess,
  type ServiceSpec,
} from '../../scripts/supervisor.js';

/** A process that runs until it is killed, and the child process behind it. */
function idleProcess(): ServiceProcess & { child: ChildProcess } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000);'], { stdio: 'ignore' });
  return { ...trackChild(child, 500), child };
}

const hasEnded = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** A process that shrugs off SIGTERM; resolves once its handler is in place. */
async function stubbornProcess(): Promise<ServiceProcess> {
  const script = "process.on('SIGTERM', () => {}); process.stdout.write('ready'); setInterval(() => {}, 1000);";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  const tracked = trackChild(child, 500);
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return tracked;
}

async function until<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('RestartBackoff', () => {
  it('waits 0.5 s, then doubles up to 30 s while the service keeps dying soon after its start', () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 10 }, () => backoff.next(1000));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('starts over once the service has run for 60 s, and not before', () => {
    const backoff = new RestartBackoff();
    expect([backoff.next(0), backoff.next(0), backoff.next(59_999)]).toEqual([500, 1000, 2000]);
    expect([backoff.next(60_000), backoff.next(10)]).toEqual([500, 1000]);
  });

  it('follows another policy', () => {
    const backoff = new RestartBackoff({ initialMs: 100, maxMs: 250, resetAfterMs: 1000 });
    expect([0, 0, 0, 0, 5000].map((up) => backoff.next(up))).toEqual([100, 200, 250, 250, 100]);
  });
});

describe('how a death and a duration read', () => {
  it('names the signal or the exit code', () => {
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('was killed by SIGKILL');
    expect(describeExit({ code: 1, signal: null })).toBe('exited with code 1');
    expect(describeExit({ code: null, signal: null })).toBe('could not be run');
  });

  it('gives durations in units a person reads', () => {
    expect([500, 1000, 9_940, 42_400, 185_000, 7_500_000].map(formatDuration)).toEqual([
      '0.5 s',
      '1 s',
      '9.9 s',
      '42 s',
      '3 min 5 s',
      '2 h 5 min',
    ]);
  });
});

describe('trackChild', () => {
  it('stops at once a child that a signal already killed (exitCode stays null)', async () => {
    const child = idleProcess();
    process.kill(child.pid, 'SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const started = Date.now();
    await child.stop();
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('sends SIGKILL after the grace period to a child that ignores SIGTERM', async () => {
    const child = await stubbornProcess();
    const started = Date.now();
    await child.stop();
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });
});

describe('Supervisor', () => {
  const lines: string[] = [];
  const log = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(line) };
  const policy = { initialMs: 100, maxMs: 400, resetAfterMs: 60_000 };
  beforeEach(() => lines.splice(0));

  /** A service of idle processes; records its starts and the order of stops. */
  function idleService(
    name: string,
    stops: string[],
    failRestarts = 0,
  ): ServiceSpec & { pids: number[]; children: ChildProcess[] } {
    const pids: number[] = [];
    const children: ChildProcess[] = [];
    let failures = failRestarts;
    return {
      name,
      pids,
      children,
      async start({ restart }) {
        if (restart && failures-- > 0) throw new Error('port 4002 is taken');
        const child = idleProcess();
        pids.push(child.pid);
        children.push(child.child);
        return {
          ...child,
          stop: async () => {
            stops.push(name);
            await child.stop();
          },
        };
      },
    };
  }

  it('restarts a service killed with SIGKILL, doubling the delay; logs how it died and when it restarts', async () => {
    const supervisor = new Supervisor(log, policy);
    const police = idleService('police', []);
    await supervisor.start(police);
    expect(lines).toEqual([`police started (pid ${police.pids[0]}).`]);

    process.kill(police.pids[0]!, 'SIGKILL');
    const second = await until(() => police.pids[1]);
    expect(lines[1]).toMatch(
      new RegExp(
        `^police \\(pid ${police.pids[0]}\\) was killed by SIGKILL after [\\d.]+ s; restarting it in 0.1 s \\(restart 1\\)\\.$`,
      ),
    );
    await until(() => supervisor.running().police === second || undefined);
    expect(lines[2]).toMatch(
      new RegExp(`^police restarted \\(pid ${second}\\), serving [\\d.]+ s after its start\\.$`),
    );

    process.kill(second, 'SIGTERM');
    await until(() => police.pids[2]);
    expect(lines[3]).toMatch(/was killed by SIGTERM after [\d.]+ s; restarting it in 0.2 s \(restart 2\)\.$/);

    await supervisor.stopAll([['police']]);
    expect(police.children.every(hasEnded)).toBe(true);
  });

  it('tries again, with a longer delay, when a restart fails', async () => {
    const supervisor = new Supervisor(log, policy);
    const police = idleService('police', [], 2);
    await supervisor.start(police);
    process.kill(police.pids[0]!, 'SIGKILL');
    await until(() => police.pids[1]);
    expect(lines.slice(1, 4)).toEqual([
      expect.stringMatching(/restarting it in 0.1 s \(restart 1\)\.$/),
      'police could not be restarted: port 4002 is taken; restarting it in 0.2 s (restart 2).',
      'police could not be restarted: port 4002 is taken; restarting it in 0.4 s (restart 3).',
    ]);
    await supervisor.stopAll([['police']]);
  });

  it('stops in order, cancels a pending restart, and a second stop is the first one', async () => {
    const stops: string[] = [];
    const supervisor = new Supervisor(log, { ...policy, initialMs: 5000, maxMs: 10_000 });
    const services = ['FerretDB', 'police', 'immigration', 'gateway'].map((name) => idleService(name, stops));
    for (const service of services) await supervisor.start(service);
    const [ferret, police, immigration, gateway] = services;

    process.kill(police!.pids[0]!, 'SIGKILL');
    await until(() => (lines.some((l) => l.includes('restarting it in 5 s')) ? true : undefined));
    const stopped = supervisor.stopAll([['gateway'], ['immigration', 'police'], ['FerretDB']]);
    expect(supervisor.stopAll([])).toBe(stopped);
    const started = Date.now();
    await stopped;
    expect(Date.now() - started).toBeLessThan(3000);

    expect(stops).toEqual(['gateway', 'immigration', 'FerretDB']); // police was dead: nothing to stop
    expect(lines).toContain('police: restart cancelled, the hub is stopping.');
    expect(police!.pids).toHaveLength(1); // and it never came back
    expect([ferret, police, immigration, gateway].flatMap((s) => s!.children).every(hasEnded)).toBe(true);
    expect(supervisor.running()).toEqual({});
    await expect(supervisor.start(idleService('local-government', stops))).rejects.toThrow('the hub is stopping');
  });
});
