/**
 * Resolvers of `Region`, served from the in-memory region directory through the request's
 * loaders (no database command).
 */
import type { RegionRecord } from '../../../../common/regions.js';
import { timeZoneOfRegion } from '../../../../common/time-zones.js';
import type { LocalGovernmentContext } from '../context.js';

/** `region` of a record that stores a `regionCode` (residence, employment, community report). */
export const regionOf = (record: { regionCode: string }, _: unknown, ctx: LocalGovernmentContext) =>
  ctx.loaders.regionByCode.load(record.regionCode);

export const regionResolvers = {
  Region: {
    __resolveReference: (ref: { code: string }, ctx: LocalGovernmentContext) => ctx.loaders.regionByCode.load(ref.code),
    parent: (r: RegionRecord, _: unknown, ctx: LocalGovernmentContext) =>
      r.parentCode ? ctx.loaders.regionByCode.load(r.parentCode) : null,
    children: (r: RegionRecord, _: unknown, ctx: LocalGovernmentContext) => ctx.loaders.regionChildren.load(r.code),
    timeZone: (r: RegionRecord) => timeZoneOfRegion(r.code).abbreviation,
  },
};
