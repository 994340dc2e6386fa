/**
 * Resolvers of `Foreigner` and the records hung under it. Nested lists read through the
 * request's DataLoaders, so a page of foreigners costs one query per kind of record.
 */
import { TIME_ZONES, todayIn, todayInRegion } from '../../../../common/time-zones.js';
import type { ImmigrationContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { StayPermitDoc, WatchlistEntryDoc } from '../models/foreigner.js';
import { permitStatusToday } from '../services/foreigner-filters.js';
import { overstayOf, summarizeCrossings } from '../services/overstay.js';

function entryInForce(entries: WatchlistEntryDoc[], today: Date): WatchlistEntryDoc | null {
  return entries.find((e) => e.since <= today && (!e.until || e.until >= today)) ?? null;
}

/**
 * Today where the holder of a permit lives. A permit is reached through its holder (the
 * foreigner's lists, a write about the foreigner), so the holder resolves for the caller; were
 * it not found, WIT, where the day turns first, so a permit is never called in force on a day
 * it has already ended somewhere.
 */
async function todayOfHolder(p: StayPermitDoc, ctx: ImmigrationContext): Promise<Date> {
  const holder = await ctx.loaders.foreignerById.load(p.foreignerId);
  return holder ? todayInRegion(holder.domicileRegionCode) : todayIn(TIME_ZONES.WIT);
}

export const foreignerResolvers: Resolvers = {
  Foreigner: {
    __resolveReference: (ref, ctx) => ctx.loaders.foreignerById.load(ref.id),
    id: (f) => f._id,
    stayPermits: (f, _, ctx) => ctx.loaders.permitsByForeigner.load(f._id),
    currentPermit: async (f, _, ctx) => {
      const permits = await ctx.loaders.permitsByForeigner.load(f._id);
      // permits are ordered by expiry, latest first
      const today = todayInRegion(f.domicileRegionCode);
      return permits.find((p) => permitStatusToday(p, today) === 'ACTIVE') ?? null;
    },
    borderCrossings: (f, _, ctx) => ctx.loaders.crossingsByForeigner.load(f._id),
    watchlist: async (f, _, ctx) =>
      entryInForce(await ctx.loaders.watchlistByForeigner.load(f._id), todayInRegion(f.domicileRegionCode)),
    immigrationActions: (f, _, ctx) => ctx.loaders.actionsByForeigner.load(f._id),
    overstay: async (f, _, ctx) =>
      // a foreigner written before the crossing summary was stored (until the start-up backfill reaches it)
      f.lastCrossing === undefined
        ? overstayOf(
            { ...f, lastCrossing: summarizeCrossings(await ctx.loaders.crossingsByForeigner.load(f._id)) },
            todayInRegion(f.domicileRegionCode),
          )
        : overstayOf(f, todayInRegion(f.domicileRegionCode)),
  },
  StayPermit: {
    number: (p) => p._id,
    status: async (p, _, ctx) => permitStatusToday(p, await todayOfHolder(p, ctx)),
  },
  BorderCrossing: { id: (c) => c._id },
  ImmigrationAction: { id: (a) => a._id },
};
