/**
 * The supervisor behind `npm start`: keeps each service of the hub running as a child process,
 * restarts one that dies — whatever ended it: an exit code, a signal, the kernel's OOM killer —
 * after an exponential backoff, and stops them all in a given order, cancelling pending restarts.
 * It knows processes, not the hub: `scripts/start.ts` says what each service is and how it starts.
 */
import type { ChildProcess } from 'node:child_process';

/** How a process ended: its exit code, or the signal that killed it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running service process as the supervisor sees it. */
export interface ServiceProcess {
  pid: number;
  /** Settles once the process has ended, however it ended; created at spawn, so it cannot miss the event. */
  exited: Promise<ExitStatus>;
  /** Asks the process to stop (SIGTERM, SIGKILL after a grace period); resolves once it has ended. */
  stop(): Promise<void>;
}

/** What a service's `start` is told. */
export interface StartContext {
  /** Aborted when the hub stops while this start is under way: stop what was spawned and reject. */
  signal: AbortSignal;
  /** False for the first start, true for a restart after the service died. */
  restart: boolean;
}

/** One service of the hub: its name in the log, and how to start it. */
export interface ServiceSpec {
  name: string;
  /** Resolves once the service serves; rejects (having stopped whatever it spawned) when it cannot. */
  start(context: StartContext): Promise<ServiceProcess>;
}

/** When to restart a service that died (see {@link RestartBackoff}). */
export interface BackoffPolicy {
  /** Delay before the first restart. */
  initialMs: number;
  /** The delay doubles with every restart that follows a short run, up to this. */
  maxMs: number;
  /** A run at least this long counts as healthy: the next delay starts over at `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/** How long `stop()` of a child process waits after SIGTERM before it sends SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/**
 * The delays before successive restarts of one service: `initialMs`, then doubling up to `maxMs`
 * while the service keeps dying (or failing to start) soon after each start; once it has run for
 * `resetAfterMs`, its next death is treated as the first again.
 */
export class RestartBackoff {
  private shortRuns = 0;

  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /** The delay before the next start, given how long the last run lasted (0 when it never started). */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.policy.resetAfterMs) this.shortRuns = 0;
    const delay = Math.min(this.policy.maxMs, this.policy.initialMs * 2 ** this.shortRuns);
    if (delay < this.policy.maxMs) this.shortRuns += 1;
    return delay;
  }
}

/** "was killed by SIGKILL", "exited with code 1". */
export function describeExit({ code, signal }: ExitStatus): string {
  if (signal) return `was killed by ${signal}`;
  if (code !== null) return `exited with code ${code}`;
  return 'could not be run';
}

/** "0.5 s", "42 s", "3 min 5 s", "2 h 7 min". */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/**
 * Wraps a child process just spawned (call it in the same tick as `spawn`). Its exit is tracked
 * from here on, so stopping a child that is already gone — killed by a signal, say, when
 * `exitCode` stays null — returns at once instead of waiting for an `exit` event that has fired.
 */
export function trackChild(child: ChildProcess, graceMs = DEFAULT_STOP_GRACE_MS): ServiceProcess {
  let status: ExitStatus | null =
    child.exitCode !== null || child.signalCode !== null ? { code: child.exitCode, signal: child.signalCode } : null;
  const exited = new Promise<ExitStatus>((resolve) => {
    if (status) resolve(status);
    child.once('exit', (code, signal) => resolve((status = { code, signal })));
    // spawning failed (no pid): there will be no `exit`; later errors (a failed kill) change nothing
    child.on('error', () => {
      if (child.pid === undefined) resolve((status = { code: null, signal: null }));
    });
  });
  return {
    pid: child.pid ?? -1,
    exited,
    async stop() {
      if (status) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Where the supervisor writes: progress (starts, restarts) and trouble (deaths, failed restarts). */
export interface SupervisorLog {
  info(line: string): void;
  warn(line: string): void;
}

/** One service under supervision: its current process, and its restart after a death. */
class SupervisedService {
  private process: ServiceProcess | null = null;
  private startedAt = 0;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  /** A start under way (the first, or a restart); settles once it is over, whatever its outcome. */
  private starting: Promise<unknown> | null = null;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly backoff: RestartBackoff;

  constructor(
    private readonly spec: ServiceSpec,
    policy: BackoffPolicy,
    private readonly log: SupervisorLog,
  ) {
    this.backoff = new RestartBackoff(policy);
  }

  get name(): string {
    return this.spec.name;
  }

  /** The pid of the running process, if one runs. */
  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  firstStart(): Promise<ServiceProcess> {
    const started = this.launch(false);
    this.track(started);
    return started;
  }

  /** No restart from now on: cancels a pending one and aborts a start under way. */
  cancelRestarts(): void {
    this.stopped = true;
    this.abort.abort();
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
      this.log.info(`${this.name}: restart cancelled, the hub is stopping.`);
    }
  }

  /** Cancels restarts, waits for a start under way to give up, stops the process; resolves once it has ended. */
  async stop(): Promise<void> {
    this.cancelRestarts();
    await this.starting;
    const running = this.process;
    if (!running) return;
    await running.stop();
    this.log.info(`${this.name} (pid ${running.pid}) ${describeExit(await running.exited)}.`);
  }

  /** Last resort when the supervisor itself exits: SIGKILL, without waiting. */
  kill(): void {
    this.cancelRestarts();
    if (!this.process || this.process.pid <= 0) return; // never signal -1 (every process) or 0 (the group)
    try {
      process.kill(this.process.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Starts a process and watches it; one that comes up after the hub began stopping is stopped again. */
  private async launch(restart: boolean): Promise<ServiceProcess> {
    const began = Date.now();
    const started = await this.spec.start({ signal: this.abort.signal, restart });
    if (this.stopped) {
      await started.stop();
      throw new Error(`${this.name}: start cancelled, the hub is stopping`);
    }
    this.process = started;
    this.startedAt = Date.now();
    void started.exited.then((status) => this.died(started, status));
    this.log.info(
      restart
        ? `${this.name} restarted (pid ${started.pid}), serving ${formatDuration(this.startedAt - began)} after its start.`
        : `${this.name} started (pid ${started.pid}).`,
    );
    return started;
  }

  private track(start: Promise<unknown>): void {
    const settled = start.then(
      () => {},
      () => {},
    );
    this.starting = settled;
    void settled.then(() => {
      if (this.starting === settled) this.starting = null;
    });
  }

  private died(process: ServiceProcess, status: ExitStatus): void {
    if (this.process === process) this.process = null;
    if (this.stopped) return;
    const uptime = Date.now() - this.startedAt;
    this.scheduleRestart(
      `${this.name} (pid ${process.pid}) ${describeExit(status)} after ${formatDuration(uptime)}`,
      uptime,
    );
  }

  private scheduleRestart(what: string, uptimeMs: number): void {
    const delay = this.backoff.next(uptimeMs);
    this.restarts += 1;
    this.log.warn(`${what}; restarting it in ${formatDuration(delay)} (restart ${this.restarts}).`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      const restarted = this.launch(true);
      this.track(restarted);
      restarted.catch((e: Error) => {
        if (!this.stopped) this.scheduleRestart(`${this.name} could not be restarted: ${e.message}`, 0);
      });
    }, delay);
  }
}

/**
 * Runs services and keeps them running. `start` starts one (a failure there is the caller's to
 * handle: the hub does not come up); from then on a death is logged and followed by a restart
 * after the service's backoff, until `stopAll`.
 */
export class Supervisor {
  private readonly services = new Map<string, SupervisedService>();
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly log: SupervisorLog,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** Whether `stopAll` has been called. */
  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Starts a service for the first time; rejects when it cannot start or the hub is already stopping. */
  async start(spec: ServiceSpec): Promise<ServiceProcess> {
    if (this.stopping) throw new Error(`${spec.name} not started: the hub is stopping`);
    if (this.services.has(spec.name)) throw new Error(`${spec.name} is already supervised`);
    const service = new SupervisedService(spec, this.backoff, this.log);
    // registered before it has started, so that a stop meanwhile aborts the start
    this.services.set(spec.name, service);
    return service.firstStart();
  }

  /** The services with a running process, and their pids. */
  running(): Record<string, number> {
    const pids: Record<string, number> = {};
    for (const service of this.services.values()) if (service.pid !== null) pids[service.name] = service.pid;
    return pids;
  }

  /**
   * Stops every service: none restarts from now on and pending restarts are cancelled; then the
   * groups of `order` in turn (the services of one group together), then any service not named.
   * A second call returns the first call's promise.
   */
  stopAll(order: readonly (readonly string[])[]): Promise<void> {
    this.stopping ??= (async () => {
      const services = [...this.services.values()];
      // nothing restarts while the others are being stopped
      for (const service of services) service.cancelRestarts();
      const named = new Set(order.flat());
      for (const group of [...order, services.map((s) => s.name).filter((n) => !named.has(n))]) {
        await Promise.all(
          group.map((name) =>
            this.services
              .get(name)
              ?.stop()
              .catch((e: Error) => this.log.warn(`${name}: stop failed: ${e.message}`)),
          ),
        );
      }
    })();
    return this.stopping;
  }

  /** SIGKILL to every process still running, without waiting: for when the supervisor exits regardless. */
  killAll(): void {
    for (const service of this.services.values()) service.kill();
  }
}
