/**
 * Hub services as their own processes (`node --import tsx/esm <main.ts>`, as `npm start` runs
 * them), for tests of what only a real process shows: tracing patched in at start-up,
 * SIGTERM handling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../common/project-root.js';
import { SERVICE_LOADER } from '../../scripts/service-loader.js';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** What it wrote to stderr so far (start-up problems, the shutdown messages). */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  terminate(): Promise<number | null>;
}

/** The environment a service process starts from: nothing of the test runner's OTEL_* or NODE_OPTIONS. */
export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('OTEL_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return env;
}

export function spawnService(name: string, entryPoint: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [...SERVICE_LOADER, entryPoint], {
    cwd: PROJECT_ROOT,
    env: { ...inheritedEnv(), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    stderr: () => stderr,
    terminate() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until the service answers `/ready` (or fails with what it wrote to stderr). */
export async function waitUntilReady(service: ServiceProcess, graphqlUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode}): ${service.stderr()}`);
    }
    const ok = await fetch(new URL('/ready', graphqlUrl), { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service.name} was not ready after ${timeoutMs} ms: ${service.stderr()}`);
}
