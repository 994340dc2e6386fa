/**
 * Resolvers of `Region`, served from the in-memory region directory through the request's
 * loaders (no database command).
 */
import { present } from '../../../../common/server/resolvers.js';
import { timeZoneOfRegion } from '../../../../common/time-zones.js';
import type { LocalGovernmentContext } from '../context.js';
import type { Resolver, Resolvers, ResolversTypes } from '../generated/resolvers-types.js';

/**
 * `region` of a record that stores a `regionCode` (residence, employment, community report).
 * A record's region was checked against the official list when it was written.
 */
export const regionOf: Resolver<ResolversTypes['Region'], { regionCode: string }, LocalGovernmentContext> = async (
  record,
  _,
  ctx,
) => present(await ctx.loaders.regionByCode.load(record.regionCode), `region ${record.regionCode}`);

export const regionResolvers: Resolvers = {
  Region: {
    __resolveReference: (ref, ctx) => ctx.loaders.regionByCode.load(ref.code),
    parent: (r, _, ctx) => (r.parentCode ? ctx.loaders.regionByCode.load(r.parentCode) : null),
    // the directory's lists are read-only; the SDL's list is a copy of one
    children: async (r, _, ctx) => [...(await ctx.loaders.regionChildren.load(r.code))],
    timeZone: (r) => timeZoneOfRegion(r.code).abbreviation,
  },
};
