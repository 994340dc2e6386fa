/**
 * Field middleware that passes a resolver's result on: graphql-js takes a value or a promise from
 * a resolver, and most fields of an answer (a row's scalars and nested objects) resolve to a
 * value. Passing it on as a value, rather than from an `async` function, spares each such field a
 * promise and a microtask.
 */

/** `then` applied to what a resolver returned: at once to a value, once settled to a promise. */
export function afterResolved(value: unknown, then: (value: unknown) => unknown): unknown {
  const thenable = value as PromiseLike<unknown> | null | undefined;
  return typeof thenable?.then === 'function' ? thenable.then(then) : then(value);
}
