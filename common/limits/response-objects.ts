/**
 * The cap on the objects one answer may hold (`MAX_RESPONSE_OBJECTS`), for what the estimates
 * miss: the cost limit assumes ten items in a list without a page size, and a region has up to
 * a few hundred children.
 *
 * - While resolving (subgraphs): every object a resolver returns is counted as it arrives; past
 *   the cap, every further field that would return an object is refused, so the answer stops
 *   growing there and memory stays bounded by the cap.
 * - Before sending (every service, the gateway included): the objects of the answer are counted,
 *   stopping at the cap.
 *
 * An answer over the cap is never sent in part: it is replaced by one `QUERY_TOO_COMPLEX` error
 * (`extensions.limit: "responseObjects"`, HTTP 400) without data. So is an answer that carries a
 * `QUERY_TOO_COMPLEX` of a subgraph the gateway asked: refused means refused.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import { getNamedType, isCompositeType, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, QueryTooComplexError } from '../errors.js';

/** How many objects a resolver's result holds: one, none, or the objects of a (nested) list. */
function objectsIn(result: unknown): number {
  if (result === null || result === undefined) return 0;
  if (!Array.isArray(result)) return 1;
  let count = 0;
  for (const item of result) count += objectsIn(item);
  return count;
}

/** Whether `data` holds more than `max` objects; stops counting past `max`. */
export function holdsMoreObjectsThan(data: unknown, max: number): boolean {
  let count = 0;
  const pending: unknown[] = [data];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    if (!Array.isArray(value)) {
      count += 1;
      if (count > max) return true;
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child !== null && typeof child === 'object') pending.push(child);
    }
  }
  return false;
}

function refusal(max: number): QueryTooComplexError {
  return new QueryTooComplexError(
    `Response object limit of ${max.toLocaleString('en')} exceeded: ask for fewer items per page (first), ` +
      'fewer aliases or fewer nested lists. Nothing was returned.',
    'responseObjects',
    max,
  );
}

/** The hub's refusals of an operation over a limit, among a response's errors. */
function limitRefusals(errors: readonly GraphQLFormattedError[] | undefined): GraphQLFormattedError[] {
  return (errors ?? []).filter((e) => e.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX);
}

/** Replaces an answer by the refusals alone: no data, HTTP 400. */
function refuse(response: GraphQLResponse, errors: GraphQLFormattedError[]): void {
  response.body = { kind: 'single', singleResult: { errors } };
  response.http.status = 400;
}

export interface ResponseObjectsOptions {
  max: number;
  /** Called once per executed operation with the number of resolver calls it made (a metric). */
  onResolverCalls?: (count: number) => void;
}

export function responseObjectsPlugin(options: ResponseObjectsOptions): ApolloServerPlugin<BaseContext> {
  const { max } = options;
  return {
    async requestDidStart() {
      let objects = 0;
      let resolverCalls = 0;
      let over = false;
      return {
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              resolverCalls += 1;
              if (!isCompositeType(getNamedType(info.returnType))) return;
              // past the cap, no field returns another object: the answer stops growing here
              if (over) throw refusal(max);
              return (error, result) => {
                if (error) return;
                objects += objectsIn(result);
                if (objects > max) over = true;
              };
            },
            async executionDidEnd() {
              options.onResolverCalls?.(resolverCalls);
            },
          };
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (over || holdsMoreObjectsThan(data, max)) {
            const { extensions, message } = refusal(max);
            const { http: _http, ...rest } = extensions;
            refuse(response, [{ message, extensions: rest }]);
            return;
          }
          // a subgraph refused its part (the gateway passes the refusal on): no partial answer
          const refusals = limitRefusals(errors);
          if (refusals.length > 0 && data) refuse(response, refusals);
        },
      };
    },
  };
}
