import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';

/**
 * Merges resolver maps type by type. Unlike an object spread, a second `Query` map adds to
 * the first instead of replacing it, and a field defined twice is an error at start-up.
 * `R` is the subgraph's generated `Resolvers` (subgraphs/<name>/src/generated/), so every map
 * merged is checked against the subgraph's SDL. The result is Apollo's `GraphQLResolverMap`, what
 * `buildSubgraphSchema` takes: its one field-resolver signature cannot describe
 * `__resolveReference(reference, context, info)`, which the generated types check instead.
 */
export function mergeResolvers<R extends object, C>(...maps: R[]): GraphQLResolverMap<C> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map) as [string, object][]) {
      const target = (merged[type] ??= {});
      if (Object.getPrototypeOf(fields) !== Object.prototype) {
        // a scalar (GraphQLScalarType) is taken whole
        if (Object.keys(target).length > 0) throw new Error(`Resolver for ${type} is defined twice`);
        merged[type] = fields as Record<string, unknown>;
        continue;
      }
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`Resolver ${type}.${field} is defined twice`);
        target[field] = resolver;
      }
    }
  }
  return merged as GraphQLResolverMap<C>;
}

/**
 * A value the SDL declares non-null that the data should always hold (an agency a meeting names,
 * the foreigner a write was just made for). Were it missing, an unexpected error — logged with the
 * request id and masked, as graphql-js's own non-null violation would be — rather than a `null`
 * the types do not allow.
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`${what} is missing`);
  return value;
}
