/**
 * Root queries and mutations of the local-government subgraph: read the arguments and call a
 * service (who may call them is decided by the access policy, applied to the whole schema).
 */
import type { PageArgs } from '../../../../common/pagination.js';
import type { LocalGovernmentContext } from '../context.js';
import type {
  CommunityReportFilterInput,
  CommunityReportStatisticsArgs,
} from '../services/community-report-service.js';
import type { RegionListArgs } from '../services/region-service.js';
import type { ForeignerRef } from './foreigner.js';

type Input = { input: unknown };

const foreignerRef = (id: string): ForeignerRef => ({ id });

export const rootResolvers = {
  Query: {
    region: (_: unknown, args: { code: string }, ctx: LocalGovernmentContext) =>
      ctx.loaders.regionByCode.load(args.code),
    regions: (_: unknown, args: RegionListArgs, ctx: LocalGovernmentContext) => ctx.regions.list(args),
    communityReports: (
      _: unknown,
      args: PageArgs & { filter?: CommunityReportFilterInput | null },
      ctx: LocalGovernmentContext,
    ) => ctx.communityReports.list(args.filter, args, ctx.caller),
    communityReportStatistics: (_: unknown, args: CommunityReportStatisticsArgs, ctx: LocalGovernmentContext) =>
      ctx.communityReports.statistics(args, ctx.caller),
  },
  Mutation: {
    registerResidence: async (_: unknown, { input }: Input, ctx: LocalGovernmentContext) => {
      const residence = await ctx.foreigners.registerResidence(input, ctx.caller);
      return { residence, foreigner: foreignerRef(residence.foreignerId) };
    },
    recordEmployment: async (_: unknown, { input }: Input, ctx: LocalGovernmentContext) => {
      const employment = await ctx.foreigners.recordEmployment(input, ctx.caller);
      return { employment, foreigner: foreignerRef(employment.foreignerId) };
    },
    submitCommunityReport: async (_: unknown, { input }: Input, ctx: LocalGovernmentContext) => {
      return { communityReport: await ctx.communityReports.submit(input, ctx.caller) };
    },
  },
};
