/**
 * Apollo Server plugins that observe each GraphQL request: metrics by operation name and
 * error code, the operation on the current trace span, and (in subgraphs) one log line per
 * request. They read the operation's name, type and error codes only — never its variables.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import type { Logger } from '../logger.js';
import type { ServiceMetrics } from './metrics.js';

/** The `extensions.code` of each error a response carries. */
export function errorCodesOf(response: GraphQLResponse): string[] {
  const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
  return [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
}

/** Request count, latency and error codes by operation; names the operation on the HTTP span when tracing. */
export function operationMetricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin<BaseContext> {
  return {
    // a request refused while its context was built (no valid token) never reaches requestDidStart
    async contextCreationDidFail({ error }) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      metrics.observeOperation({
        operationName: undefined,
        operationType: undefined,
        durationSeconds: undefined,
        errorCodes: [code ?? 'INTERNAL_SERVER_ERROR'],
      });
    },
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation({ operationName, operation }) {
          // a no-op unless tracing is on: the span of this HTTP request says which operation it served
          trace.getActiveSpan()?.setAttributes({
            'graphql.operation.name': operationName ?? '',
            'graphql.operation.type': operation?.operation ?? '',
          });
        },
        async willSendResponse({ operation, operationName, response }) {
          metrics.observeOperation({
            operationName: operation ? (operationName ?? null) : undefined,
            operationType: operation?.operation,
            durationSeconds: (performance.now() - started) / 1000,
            errorCodes: errorCodesOf(response),
          });
        },
      };
    },
  };
}

/** What the subgraph log line needs from a request's context. */
interface LoggedContext extends BaseContext {
  log: Logger;
  clientOperationName: string | null;
}

/**
 * One `operation` log line per subgraph request: the operation the gateway sent, the client's
 * operation it belongs to, how long it took and its error codes. The request id and agency
 * come with the request's logger.
 */
export function subgraphOperationLogPlugin(): ApolloServerPlugin<LoggedContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response }) {
          contextValue.log.info(
            {
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              clientOperationName: contextValue.clientOperationName,
              durationMs: Math.round(performance.now() - started),
              errorCodes: errorCodesOf(response),
            },
            'operation',
          );
        },
      };
    },
  };
}
