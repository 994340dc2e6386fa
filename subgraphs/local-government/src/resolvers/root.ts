/**
 * Root queries and mutations of the local-government subgraph: read the arguments and call a
 * service (who may call them is decided by the access policy, applied to the whole schema).
 */
import type { Resolvers } from '../generated/resolvers-types.js';

export const rootResolvers: Resolvers = {
  Query: {
    region: (_, args, ctx) => ctx.loaders.regionByCode.load(args.code),
    regions: (_, args, ctx) => ctx.regions.list(args),
    communityReports: (_, args, ctx) => ctx.communityReports.list(args.filter, args, ctx.caller),
    communityReportStatistics: (_, args, ctx) => ctx.communityReports.statistics(args, ctx.caller),
  },
  Mutation: {
    registerResidence: async (_, { input }, ctx) => {
      const residence = await ctx.foreigners.registerResidence(input, ctx.caller);
      return { residence, foreigner: { id: residence.foreignerId } };
    },
    recordEmployment: async (_, { input }, ctx) => {
      const employment = await ctx.foreigners.recordEmployment(input, ctx.caller);
      return { employment, foreigner: { id: employment.foreignerId } };
    },
    submitCommunityReport: async (_, { input }, ctx) => {
      return { communityReport: await ctx.communityReports.submit(input, ctx.caller) };
    },
  },
};
