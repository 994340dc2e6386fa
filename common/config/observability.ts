/** Operator endpoints and telemetry of every service. */
import { z } from 'zod';
import { httpUrl } from './shared-schemas.js';

/** Operator endpoints and telemetry: `/ready`, `/metrics` and OpenTelemetry traces. */
export const observabilitySchema = z.object({
  /** How long `/ready` waits for each dependency (database, subgraph) before calling it down. */
  READY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
  /** `false` removes `/metrics`. */
  METRICS_ENABLED: z.enum(['true', 'false']).default('true'),
  /** When set, `/metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** OTLP/HTTP base endpoint as the OpenTelemetry SDKs read it; traces go to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** Full OTLP/HTTP traces URL; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  /** `true` turns tracing off even when an endpoint is set (the OpenTelemetry convention). */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  /** Share of new traces recorded; a subgraph follows the sampling decision of its caller. */
  TRACING_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
});

/** `/ready`, `/metrics` and traces of one service (see README, "Operating the hub"). */
export interface ObservabilityConfig {
  readyTimeoutMs: number;
  metrics: {
    enabled: boolean;
    /** Bearer token `/metrics` requires, or null when it is open. */
    token: string | null;
  };
  tracing: TracingConfig;
}

export interface TracingConfig {
  /** OTLP/HTTP traces URL, or null: tracing off and the OpenTelemetry SDK never loaded. */
  tracesUrl: string | null;
  sampleRatio: number;
}

/** The observability settings of a parsed environment. */
export function observabilityOf(c: z.infer<typeof observabilitySchema>): ObservabilityConfig {
  return {
    readyTimeoutMs: c.READY_TIMEOUT_MS,
    metrics: { enabled: c.METRICS_ENABLED === 'true', token: c.METRICS_TOKEN ?? null },
    tracing: { tracesUrl: tracesUrlOf(c), sampleRatio: c.TRACING_SAMPLE_RATIO },
  };
}

/** The OTLP/HTTP traces URL the OpenTelemetry conventions derive from the environment, or null. */
function tracesUrlOf(c: z.infer<typeof observabilitySchema>): string | null {
  if (c.OTEL_SDK_DISABLED === 'true') return null;
  if (c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (c.OTEL_EXPORTER_OTLP_ENDPOINT) return `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return null;
}
