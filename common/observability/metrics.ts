/**
 * Prometheus metrics of one service instance (prom-client). Each service owns a registry,
 * so several services in one process (the tests) never share a series; the process metrics
 * (CPU, memory, event loop, GC) are collected once per process and served by every one.
 * Labels are operation names, subgraph names, collection names and error codes only:
 * never variables, arguments or anything a caller typed as data.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommandEvent } from '../db/connection.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Distinct operation names one service labels before it folds new ones into `other`. */
const MAX_OPERATION_NAMES = 500;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,49}$/;

let processRegistry: Registry | undefined;

/** The process's default metrics, registered once however many services the process runs. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** An error code fit for a label: the hub's codes pass, anything else is `OTHER`. */
export function errorCodeLabel(code: unknown): string {
  if (code === undefined || code === null) return 'UNKNOWN';
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER';
}

/** What a finished GraphQL request contributes to the metrics. */
export interface OperationObservation {
  /** The operation's name; null when anonymous; undefined when it never resolved (parse or validation failure, no token). */
  operationName: string | null | undefined;
  /** `query`, `mutation`, `subscription`, or undefined when unresolved. */
  operationType: string | undefined;
  /** Seconds from the request's start, or undefined when it was refused before it started. */
  durationSeconds: number | undefined;
  /** The error codes of the response (each counted once per request). */
  errorCodes: Iterable<unknown>;
}

/** The metrics every hub service exposes at `/metrics`; the gateway and subgraphs add their own. */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly requests: Counter<'operation' | 'type'>;
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly errors: Counter<'operation' | 'code'>;
  private readonly resolverCalls: Counter;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'timpora_graphql_requests_total',
      help: 'GraphQL requests by operation name and type (unknown: refused before the operation resolved)',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'timpora_graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name and type, from the request to its response',
      labelNames: ['operation', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: 'timpora_graphql_errors_total',
      help: 'GraphQL responses carrying errors, by operation name and error code (each code once per response)',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.resolverCalls = new Counter({
      name: 'timpora_resolver_calls_total',
      help: 'Field resolvers run (subgraphs); an operation refused by a limit runs none',
      registers,
    });
  }

  /** Adds the resolver calls of one executed operation. */
  countResolverCalls(count: number): void {
    this.resolverCalls.inc(count);
  }

  /** Records one finished (or refused) GraphQL request. */
  observeOperation(observation: OperationObservation): void {
    const operation = this.operationLabel(observation.operationName);
    const type = observation.operationType ?? 'unknown';
    this.requests.inc({ operation, type });
    if (observation.durationSeconds !== undefined) {
      this.duration.observe({ operation, type }, observation.durationSeconds);
    }
    for (const code of new Set([...observation.errorCodes].map(errorCodeLabel))) {
      this.errors.inc({ operation, code });
    }
  }

  /** Prometheus text format: this service's series, then the process's. */
  async render(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The label of an operation: its name (GraphQL names are `[_A-Za-z][_0-9A-Za-z]*` once parsed),
   * `anonymous`, or `unknown` when it never resolved. A client inventing names cannot grow the
   * series without bound: past MAX_OPERATION_NAMES distinct names, new ones count as `other`.
   */
  private operationLabel(name: string | null | undefined): string {
    if (name === undefined) return 'unknown';
    if (name === null) return 'anonymous';
    const label = name.slice(0, 100);
    if (this.operationNames.has(label)) return label;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(label);
    return label;
  }
}

/** The gateway's fetches from its subgraphs: count, latency, failures and retries by subgraph. */
export class SubgraphFetchMetrics {
  private readonly fetches: Counter<'subgraph'>;
  private readonly duration: Histogram<'subgraph'>;
  private readonly errors: Counter<'subgraph' | 'code'>;
  private readonly retries: Counter<'subgraph'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.fetches = new Counter({
      name: 'timpora_subgraph_fetches_total',
      help: 'Fetches the gateway sent to a subgraph',
      labelNames: ['subgraph'],
      registers,
    });
    this.duration = new Histogram({
      name: 'timpora_subgraph_fetch_duration_seconds',
      help: 'Latency of the gateway’s fetches to a subgraph, until the response is parsed',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errors = new Counter({
      name: 'timpora_subgraph_fetch_errors_total',
      help:
        'Subgraph fetches that failed (code TIMEOUT, UNREACHABLE or HTTP_<status>) or answered errors ' +
        '(their GraphQL error code, each code once per fetch)',
      labelNames: ['subgraph', 'code'],
      registers,
    });
    this.retries = new Counter({
      name: 'timpora_subgraph_fetch_retries_total',
      help:
        'Subgraph fetches sent a second time, on a new connection, after the first lost its connection ' +
        'before any answer (a query, or a mutation with an Idempotency-Key)',
      labelNames: ['subgraph'],
      registers,
    });
  }

  /** Counts one retry of a fetch to `subgraph` (the fetch itself is counted once, by `start`). */
  retried(subgraph: string): void {
    this.retries.inc({ subgraph });
  }

  /** Starts timing one fetch; the returned function ends it with the codes of its errors (none: success). */
  start(subgraph: string): (errorCodes: Iterable<unknown>) => void {
    const end = this.duration.startTimer({ subgraph });
    return (errorCodes) => {
      end();
      this.fetches.inc({ subgraph });
      for (const code of new Set([...errorCodes].map(errorCodeLabel))) this.errors.inc({ subgraph, code });
    };
  }
}

/** A subgraph's database commands by collection and command name, from the driver's monitoring events. */
export class DatabaseMetrics {
  private readonly commands: Counter<'subgraph' | 'collection' | 'command'>;
  private readonly failures: Counter<'subgraph' | 'collection' | 'command'>;
  private readonly duration: Histogram<'subgraph' | 'command'>;

  constructor(
    metrics: ServiceMetrics,
    private readonly subgraph: string,
  ) {
    const registers = [metrics.registry];
    this.commands = new Counter({
      name: 'timpora_db_commands_total',
      help: 'Database commands a subgraph sent, by collection and command (driver housekeeping excluded)',
      labelNames: ['subgraph', 'collection', 'command'],
      registers,
    });
    this.failures = new Counter({
      name: 'timpora_db_command_failures_total',
      help: 'Database commands that failed, by collection and command',
      labelNames: ['subgraph', 'collection', 'command'],
      registers,
    });
    this.duration = new Histogram({
      name: 'timpora_db_command_duration_seconds',
      help: 'Database command latency by command',
      labelNames: ['subgraph', 'command'],
      buckets: DB_LATENCY_BUCKETS,
      registers,
    });
  }

  /** The `onCommand` listener of `connectDatabase`. */
  readonly record = (event: CommandEvent): void => {
    const labels = { subgraph: this.subgraph, collection: event.collection ?? 'none', command: event.commandName };
    this.commands.inc(labels);
    if (event.failed) this.failures.inc(labels);
    this.duration.observe({ subgraph: this.subgraph, command: event.commandName }, event.durationMs / 1000);
  };
}

/** `GET /metrics`: the Prometheus text, behind a bearer token when one is configured. */
export function metricsRoute(metrics: ServiceMetrics, token: string | null): RequestHandler {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return async (req, res) => {
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.status(401).set('www-authenticate', 'Bearer').json({ error: 'metrics need the configured bearer token' });
        return;
      }
    }
    res
      .set('content-type', metrics.contentType)
      .set('cache-control', 'no-store')
      .send(await metrics.render());
  };
}
