/**
 * Resolvers of `Foreigner` and the records hung under it. Nested lists read through the
 * request's DataLoaders, so a page of foreigners costs one query per kind of record.
 */
import { startOfTodayUtc } from '../../../../common/dates.js';
import type { ImmigrationContext } from '../context.js';
import type { ForeignerDoc, StayPermitDoc, WatchlistEntryDoc } from '../models/foreigner.js';
import { permitStatusToday } from '../services/foreigner-service.js';
import { overstayOf, summarizeCrossings } from '../services/overstay.js';

function entryInForce(entries: WatchlistEntryDoc[], today = startOfTodayUtc()): WatchlistEntryDoc | null {
  return entries.find((e) => e.since <= today && (!e.until || e.until >= today)) ?? null;
}

export const foreignerResolvers = {
  Foreigner: {
    __resolveReference: (ref: { id: string }, ctx: ImmigrationContext) => ctx.loaders.foreignerById.load(ref.id),
    id: (f: ForeignerDoc) => f._id,
    stayPermits: (f: ForeignerDoc, _: unknown, ctx: ImmigrationContext) => ctx.loaders.permitsByForeigner.load(f._id),
    currentPermit: async (f: ForeignerDoc, _: unknown, ctx: ImmigrationContext) => {
      const permits = await ctx.loaders.permitsByForeigner.load(f._id);
      // permits are ordered by expiry, latest first
      return permits.find((p) => permitStatusToday(p) === 'ACTIVE') ?? null;
    },
    borderCrossings: (f: ForeignerDoc, _: unknown, ctx: ImmigrationContext) =>
      ctx.loaders.crossingsByForeigner.load(f._id),
    watchlist: async (f: ForeignerDoc, _: unknown, ctx: ImmigrationContext) =>
      entryInForce(await ctx.loaders.watchlistByForeigner.load(f._id)),
    immigrationActions: (f: ForeignerDoc, _: unknown, ctx: ImmigrationContext) =>
      ctx.loaders.actionsByForeigner.load(f._id),
    overstay: async (f: ForeignerDoc, _: unknown, ctx: ImmigrationContext) =>
      // a foreigner written before the crossing summary was stored (until the start-up backfill reaches it)
      f.lastCrossing === undefined
        ? overstayOf({ ...f, lastCrossing: summarizeCrossings(await ctx.loaders.crossingsByForeigner.load(f._id)) })
        : overstayOf(f),
  },
  StayPermit: {
    number: (p: StayPermitDoc) => p._id,
    status: (p: StayPermitDoc) => permitStatusToday(p),
  },
  BorderCrossing: { id: (c: { _id: string }) => c._id },
  ImmigrationAction: { id: (a: { _id: string }) => a._id },
};
