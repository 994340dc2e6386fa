/**
 * Root queries and mutations of the immigration subgraph: read the arguments and call a
 * service (who may call them is decided by the access policy, applied to the whole schema).
 */
import { present } from '../../../../common/server/resolvers.js';
import type { ImmigrationContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';

/** The foreigner a write was just made for (the write checked the caller may reach them). */
async function holder(foreignerId: string, ctx: ImmigrationContext) {
  return present(await ctx.loaders.foreignerById.load(foreignerId), `foreigner ${foreignerId}`);
}

export const rootResolvers: Resolvers = {
  Query: {
    accessLog: (_, args) => ({ foreignerId: args.foreignerId }),
    foreigner: (_, args, ctx) => ctx.loaders.foreignerById.load(args.id),
    foreigners: (_, args, ctx) => ctx.foreigners.list(args.filter, args, ctx.caller),
    verifyStayPermit: (_, args, ctx) =>
      ctx.permitChecks.verify(args.permitNumber, args.passportNumber, ctx.caller, ctx.disclosures),
    foreignerStatistics: (_, args, ctx) =>
      ctx.foreignerStatistics.statistics(
        args.regionCode,
        args.groupBy ?? [],
        ctx.caller,
        args.population ?? 'REGISTERED',
      ),
    agency: (_, args, ctx) => ctx.loaders.agencyByCode.load(args.code),
    agencies: (_, args, ctx) => ctx.coordination.agencies(args.type, args.regionCode),
    coordinationMeetings: (_, args, ctx) => ctx.coordination.meetings(args.regionCode),
    jointOperations: (_, args, ctx) => ctx.coordination.operations(args.regionCode),
  },
  Mutation: {
    registerForeigner: async (_, { input }, ctx) => {
      return { foreigner: await ctx.foreignerWrites.register(input, ctx.caller) };
    },
    issueStayPermit: async (_, { input }, ctx) => {
      const { permit, foreignerId } = await ctx.foreignerWrites.issuePermit(input, ctx.caller);
      return { stayPermit: permit, foreigner: await holder(foreignerId, ctx) };
    },
    recordBorderCrossing: async (_, { input }, ctx) => {
      const crossing = await ctx.foreignerWrites.recordCrossing(input, ctx.caller);
      return { borderCrossing: crossing, foreigner: await holder(crossing.foreignerId, ctx) };
    },
    recordImmigrationAction: async (_, { input }, ctx) => {
      const action = await ctx.foreignerWrites.recordAction(input, ctx.caller);
      return { immigrationAction: action, foreigner: await holder(action.foreignerId, ctx) };
    },
    recordCoordinationMeeting: async (_, { input }, ctx) => {
      return { coordinationMeeting: await ctx.coordination.recordMeeting(input, ctx.caller) };
    },
    recordJointOperation: async (_, { input }, ctx) => {
      return { jointOperation: await ctx.coordination.recordOperation(input, ctx.caller) };
    },
  },
};
