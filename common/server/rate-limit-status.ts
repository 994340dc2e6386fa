/**
 * An answer without data because a rate limit refused it is HTTP 429 with `Retry-After`, as HTTP
 * clients expect; the GraphQL error carries the same wait in `extensions.retryAfterSeconds`.
 * Used by the gateway and every subgraph, so the status is the same whichever one answers.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '../errors.js';

export function rateLimitStatusPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || response.body.singleResult.data) return;
          const waits = (response.body.singleResult.errors ?? [])
            .filter((e) => e.extensions?.code === ErrorCode.RATE_LIMITED)
            .map((e) => Number(e.extensions?.retryAfterSeconds))
            .filter((s) => Number.isFinite(s) && s > 0);
          if (waits.length === 0) return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(Math.max(...waits)));
        },
      };
    },
  };
}
