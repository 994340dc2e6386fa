/**
 * What the subgraphs' field middleware (graphql-middleware: permissions, masks, disclosure notes,
 * the response-objects cap) share. graphql-js takes a value or a promise from a resolver, and
 * most fields of an answer (a row's scalars and nested objects) resolve to a value: passing it on
 * as a value, rather than from an `async` function, spares each such field a promise and a
 * microtask.
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';

/** A field middleware as graphql-middleware calls it, over a context `C`. */
export type FieldMiddleware<C, R = unknown> = (
  resolve: GraphQLFieldResolver<unknown, C>,
  parent: unknown,
  args: Record<string, unknown>,
  context: C,
  info: GraphQLResolveInfo,
) => R;

/** `then` applied to what a resolver returned: at once to a value, once settled to a promise. */
export function afterResolved(value: unknown, then: (value: unknown) => unknown): unknown {
  const thenable = value as PromiseLike<unknown> | null | undefined;
  return typeof thenable?.then === 'function' ? thenable.then(then) : then(value);
}
