/**
 * Readiness: every dependency of a service checked in parallel, each bounded by a short
 * timeout, and an answer that names the ones that are down — so an operator (or a load
 * balancer's log) sees "police: unreachable" rather than a bare 503.
 */

/** Resolves when the dependency can serve; throws (or is aborted by `signal`) when it cannot. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown>;

export interface DependencyStatus {
  status: 'up' | 'down';
  durationMs: number;
  /** Why it is down: a short reason, never a stack trace. */
  error?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'unavailable' | 'stopping';
  /** Names of the dependencies that are down. */
  down: string[];
  checks: Record<string, DependencyStatus>;
}

/** The reason for a failed check, short and without internals (no stack, no URI credentials). */
function reasonOf(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e?.cause?.code) return `unreachable (${e.cause.code})`;
  return (e?.message ?? String(error))
    .replace(/\/\/[^@/\s]+@/g, '//***@')
    .split('\n')[0]!
    .slice(0, 200);
}

async function check(run: ReadinessCheck, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await new Promise((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      run(signal).then(resolve, reject);
    });
    return { status: 'up', durationMs: elapsed() };
  } catch (e) {
    return { status: 'down', durationMs: elapsed(), error: reasonOf(e, timeoutMs) };
  }
}

/** Runs every check at once; ready when all are up. */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, run]) => [name, await check(run, timeoutMs)] as const),
  );
  const down = results.filter(([, r]) => r.status === 'down').map(([name]) => name);
  return { status: down.length === 0 ? 'ready' : 'unavailable', down, checks: Object.fromEntries(results) };
}
