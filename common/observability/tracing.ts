/**
 * OpenTelemetry traces, exported over OTLP/HTTP (JSON) when an endpoint is configured.
 * Off by default, at no cost: without an endpoint this module loads nothing, and the
 * `@opentelemetry/api` calls elsewhere in the hub are no-ops.
 *
 * What is traced (measured by test/operations/tracing.test.ts):
 * - incoming HTTP requests of every service (`@opentelemetry/instrumentation-http`), which also
 *   continue a trace from the caller's `traceparent` header;
 * - the gateway's own spans (`gateway.request`, `gateway.plan`, `gateway.execute`, `gateway.fetch`, …),
 *   which `@apollo/gateway` emits through `@opentelemetry/api`;
 * - the gateway → subgraph hop: the gateway calls subgraphs with `fetch`, which the HTTP
 *   instrumentation does not see, so `AgencySubgraph` injects the `traceparent` itself;
 * - database commands (`@opentelemetry/instrumentation-mongodb`), with values in the statement
 *   replaced by `?`.
 *
 * The instrumentations patch `node:http` and the MongoDB driver when they are first `require`d
 * (mongoose and express are CommonJS, so they are), which is why each service's `main.ts`
 * starts tracing before it imports the server: see `runService`.
 */
import type { TracingConfig } from '../config/observability.js';

/** A started tracer; `shutdown` flushes the spans not yet exported. */
export interface Tracing {
  shutdown(): Promise<void>;
}

/** Starts tracing for one service process when an endpoint is configured; null (and nothing loaded) otherwise. */
export async function startTracing(service: string, config: TracingConfig): Promise<Tracing | null> {
  if (!config.tracesUrl) return null;
  const [{ NodeSDK, tracing }, { OTLPTraceExporter }, { HttpInstrumentation }, { MongoDBInstrumentation }] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/instrumentation-mongodb'),
    ]);
  const sdk = new NodeSDK({
    serviceName: `timpora-${service}`,
    traceExporter: new OTLPTraceExporter({ url: config.tracesUrl }),
    sampler: new tracing.ParentBasedSampler({ root: new tracing.TraceIdRatioBasedSampler(config.sampleRatio) }),
    instrumentations: [
      new HttpInstrumentation({
        // probes and scrapes are not requests worth a trace
        ignoreIncomingRequestHook: (request) => !request.url?.startsWith('/graphql'),
      }),
      new MongoDBInstrumentation(),
    ],
    // traces only: without these the SDK would also start OTLP metric and log exporters
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
