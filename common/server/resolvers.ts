/**
 * Merges resolver maps type by type. Unlike an object spread, a second `Query` map adds to
 * the first instead of replacing it, and a field defined twice is an error at start-up.
 */

type ResolverMap = Record<string, Record<string, unknown> | object>;

export function mergeResolvers<C>(...maps: ResolverMap[]): Record<string, Record<string, unknown>> & C {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
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
  return merged as Record<string, Record<string, unknown>> & C;
}
