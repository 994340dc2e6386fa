/**
 * The cap on the objects one answer may hold (`MAX_RESPONSE_OBJECTS`), for what the estimates
 * miss: the cost limit assumes ten items in a list without a page size, and a province has up
 * to 38 regencies.
 *
 * - While resolving (subgraphs, `responseObjectsMiddleware` around every resolver): the objects
 *   each resolver returns are counted before GraphQL goes on into them. The result that takes the
 *   count over the cap is refused instead of returned, and so is every later field that would
 *   return an object: the answer stops growing there, and memory stays bounded by the cap —
 *   even when a batch of lists (a DataLoader's) arrives at once.
 * - Before sending (every service, the gateway included; `responseObjectsPlugin`): the objects of
 *   the answer are counted, stopping at the cap.
 *
 * An answer over the cap is never sent in part: it is replaced by one `QUERY_TOO_COMPLEX` error
 * (`extensions.limit: "responseObjects"`, HTTP 400) without data. So is an answer that carries a
 * `QUERY_TOO_COMPLEX` of a subgraph the gateway asked: refused means refused.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLResponse } from '@apollo/server';
import { getNamedType, isCompositeType, type GraphQLFieldResolver, type GraphQLFormattedError } from 'graphql';
import { afterResolved } from '../field-middleware.js';
import { ErrorCode, QueryTooComplexError } from '../errors.js';
import { message } from '../i18n/language.js';

/** What one request has resolved so far, by its context object. */
interface Tally {
  objects: number;
  resolverCalls: number;
  over: boolean;
  refusal?: QueryTooComplexError;
}

const tallies = new WeakMap<object, Tally>();

function tallyOf(context: object): Tally {
  let tally = tallies.get(context);
  if (!tally) {
    tally = { objects: 0, resolverCalls: 0, over: false };
    tallies.set(context, tally);
  }
  return tally;
}

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
  return new QueryTooComplexError(message('limits.responseObjects', { max }), 'responseObjects', max);
}

/**
 * graphql-middleware around every resolver of a subgraph: counts resolver calls and the objects
 * they return, and past `max` refuses every field that would return an object.
 */
export function responseObjectsMiddleware(max: number) {
  /**
   * The objects a composite field's result holds, counted once it is there: at once when the
   * resolver returned it (a row's nested object, most often), else when its promise settles.
   */
  const counted = (tally: Tally, pending: unknown): unknown =>
    afterResolved(pending, (result) => {
      tally.objects += objectsIn(result);
      if (tally.objects > max) {
        tally.over = true;
        throw (tally.refusal ??= refusal(max));
      }
      return result;
    });
  // not `async`: a scalar field (most of an answer's fields) is passed through as it resolves,
  // without a promise and a microtask of its own (graphql-middleware's type says a promise;
  // graphql-middleware and graphql-js take a value as well)
  return (
    resolve: GraphQLFieldResolver<unknown, object>,
    parent: unknown,
    args: Record<string, unknown>,
    context: object,
    info: Parameters<GraphQLFieldResolver<unknown, object>>[3],
  ): Promise<unknown> => {
    const tally = tallyOf(context);
    tally.resolverCalls += 1;
    if (!isCompositeType(getNamedType(info.returnType)))
      return resolve(parent, args, context, info) as Promise<unknown>;
    // one refusal per request, thrown at every field refused: no stack trace captured for each
    if (tally.over) return Promise.reject((tally.refusal ??= refusal(max)));
    return counted(tally, resolve(parent, args, context, info)) as Promise<unknown>;
  };
}

/** Whether a response carries a refusal of an operation over a limit (a subgraph's, at the gateway). */
function isRefused(errors: readonly GraphQLFormattedError[] | undefined): boolean {
  return (errors ?? []).some((e) => e.extensions?.code === ErrorCode.QUERY_TOO_COMPLEX);
}

/** Replaces an answer by its errors alone: no data, HTTP 400. */
function refuse(response: GraphQLResponse, errors: readonly GraphQLFormattedError[]): void {
  response.body = { kind: 'single', singleResult: { errors } };
  response.http.status = 400;
}

export interface ResponseObjectsOptions {
  max: number;
  /** Called once per executed operation with the number of resolver calls it made (a metric). */
  onResolverCalls?: (count: number) => void;
}

/** Refuses an answer over the cap, or one a subgraph refused in part; reports the resolver calls of each request. */
export function responseObjectsPlugin(options: ResponseObjectsOptions): ApolloServerPlugin<BaseContext> {
  const { max } = options;
  return {
    async requestDidStart({ contextValue }) {
      return {
        async executionDidStart() {
          return {
            async executionDidEnd() {
              options.onResolverCalls?.(tallies.get(contextValue)?.resolverCalls ?? 0);
            },
          };
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (tallies.get(contextValue)?.over || holdsMoreObjectsThan(data, max)) {
            const { extensions, message } = refusal(max);
            const { http: _http, ...rest } = extensions;
            refuse(response, [{ message, extensions: rest }]);
            return;
          }
          // a subgraph refused its part (the gateway passes the refusal on): no partial answer
          if (errors && isRefused(errors)) refuse(response, errors);
        },
      };
    },
  };
}
