/** The scalars every subgraph declares: calendar `Date` and `DateTime` (graphql-scalars). */
import { DateResolver, DateTimeResolver } from 'graphql-scalars';

export const scalarResolvers = { Date: DateResolver, DateTime: DateTimeResolver };
