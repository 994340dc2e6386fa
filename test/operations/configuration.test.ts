/**
 * The operator settings — readiness timeout, metrics, tracing — are parsed with the rest of
 * the configuration, and tracing is off (nothing loaded) unless an endpoint is given.
 */
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { loadSubgraphConfig } from '../../common/config/subgraph.js';
import { startTracing } from '../../common/observability/tracing.js';
import { problemsOf } from '../helpers/config.js';

const SUBGRAPH_ENV = { MONGODB_URI: 'mongodb://127.0.0.1:27017' };

describe('operator configuration', () => {
  it('defaults to open metrics, a 2 s readiness timeout and no tracing', () => {
    expect(loadGatewayConfig({}).observability).toEqual({
      readyTimeoutMs: 2000,
      metrics: { enabled: true, token: null },
      tracing: { tracesUrl: null, sampleRatio: 1 },
    });
  });

  it('derives the traces URL from the OpenTelemetry variables', () => {
    const tracing = (env: Record<string, string>) =>
      loadSubgraphConfig('police', { ...SUBGRAPH_ENV, ...env }).observability.tracing;
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      tracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp/v1/traces',
      }).tracesUrl,
    ).toBe('https://traces.example/otlp/v1/traces');
    expect(
      tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracesUrl,
    ).toBeNull();
    expect(tracing({ TRACING_SAMPLE_RATIO: '0.25' }).sampleRatio).toBe(0.25);
  });

  it('lists every bad operator setting at once', () => {
    const problems = problemsOf(() =>
      loadGatewayConfig({
        READY_TIMEOUT_MS: '5',
        METRICS_ENABLED: 'yes',
        METRICS_TOKEN: 'short',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317',
        TRACING_SAMPLE_RATIO: '2',
      }),
    );
    expect(problems).toHaveLength(5);
    for (const key of [
      'READY_TIMEOUT_MS',
      'METRICS_ENABLED',
      'METRICS_TOKEN',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'TRACING_SAMPLE_RATIO',
    ]) {
      expect(problems.join('\n')).toContain(key);
    }
  });

  it('starts no tracing without an endpoint', async () => {
    await expect(startTracing('gateway', { tracesUrl: null, sampleRatio: 1 })).resolves.toBeNull();
  });
});
