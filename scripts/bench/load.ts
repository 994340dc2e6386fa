/**
 * Load from autocannon on loopback at a fixed number of connections (one request in flight on
 * each). Latency is timed per request here, to the microsecond (autocannon's own histogram
 * keeps whole milliseconds), from the moment a request is built to its response.
 */
import autocannon from 'autocannon';
import { requestBody, type Workload } from './workloads.js';

export interface LoadOptions {
  connections: number;
  /** Seconds of load; ignored when `amount` is given. */
  duration: number;
  /** Send exactly this many requests and wait for every answer (a burst of one per connection, for slow requests). */
  amount?: number;
  /** Seconds a request may take before autocannon counts a timeout. */
  timeout: number;
  /** Send no `X-Request-Id`, so that identical requests are indistinguishable. */
  sameRequests?: boolean;
}

export interface LoadResult {
  /** Responses with status 2xx per second. */
  rps: number;
  /** Latency percentiles of 2xx responses, in milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  /** Responses received. */
  responses: number;
  /** Requests sent (some may still have been in flight at the end). */
  sent: number;
  non2xx: number;
  /** Transport errors, timeouts included. */
  errors: number;
  /** 2xx responses whose body carried GraphQL errors. */
  graphqlErrors: number;
  durationSeconds: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** One load's answers as sent and received, before they are summarised (loads in rounds are merged). */
export interface LoadRun {
  /** Latency of every 2xx response, in milliseconds, in the order they came. */
  latencies: number[];
  sent: number;
  non2xx: number;
  errors: number;
  graphqlErrors: number;
  /** Wall time of the load, in seconds. */
  seconds: number;
}

/** Percentiles and rates of one load, or of several taken in rounds (their wall times added). */
export function summarizeLoad(runs: readonly LoadRun[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const sum = (f: (r: LoadRun) => number) => runs.reduce((s, r) => s + f(r), 0);
  const seconds = sum((r) => r.seconds);
  const non2xx = sum((r) => r.non2xx);
  return {
    rps: seconds > 0 ? latencies.length / seconds : 0,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.length ? latencies.reduce((s, v) => s + v, 0) / latencies.length : 0,
    responses: latencies.length + non2xx,
    sent: sum((r) => r.sent),
    non2xx,
    errors: sum((r) => r.errors),
    graphqlErrors: sum((r) => r.graphqlErrors),
    durationSeconds: seconds,
  };
}

export async function runLoad(
  url: string,
  headers: Record<string, string>,
  workload: Workload,
  options: LoadOptions,
  firstRequest = 0,
): Promise<LoadRun> {
  let n = firstRequest;
  const latencies: number[] = [];
  let graphqlErrors = 0;
  let non2xx = 0;
  const started = performance.now();
  const result = await autocannon({
    url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration }),
    timeout: options.timeout,
    pipelining: 1,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (request, context) => {
          context.started = performance.now();
          const i = n++;
          // a request id of its own, as the hub's clients send (see the report: Hive Gateway would
          // otherwise merge identical concurrent requests into one subgraph request)
          const id: Record<string, string> = options.sameRequests ? {} : { 'x-request-id': `bench-${i}` };
          return { ...request, headers: { ...request.headers, ...id }, body: requestBody(workload, i) };
        },
        onResponse: (status, body, context) => {
          if (status < 200 || status > 299) {
            non2xx += 1;
            return;
          }
          latencies.push(performance.now() - (context.started as number));
          // a GraphQL error anywhere in the answer; the answers of these workloads carry none
          if (body.includes('"errors":')) graphqlErrors += 1;
        },
      },
    ],
  });
  return {
    latencies,
    sent: result.requests.sent,
    non2xx: Math.max(non2xx, result.non2xx),
    errors: result.errors,
    graphqlErrors,
    // wall time: autocannon reports whole seconds
    seconds: (performance.now() - started) / 1000,
  };
}
