/**
 * Root queries and mutations of the local-government subgraph: read the arguments, check the
 * caller may write, call a service.
 */
import { requireScope } from '../../../../common/auth/guards.js';
import type { PageArgs } from '../../../../common/pagination.js';
import type { LocalGovernmentContext } from '../context.js';
import type { CommunityReportFilterInput } from '../services/community-report-service.js';
import type { RegionListArgs } from '../services/region-service.js';
import type { ForeignerRef } from './foreigner.js';

type Input = { input: unknown };

function writer(ctx: LocalGovernmentContext): void {
  requireScope(ctx.caller, 'localgov:write');
}

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
    ) => ctx.communityReports.list(args.filter, args),
  },
  Mutation: {
    registerResidence: async (_: unknown, { input }: Input, ctx: LocalGovernmentContext) => {
      writer(ctx);
      const residence = await ctx.foreigners.registerResidence(input);
      return { residence, foreigner: foreignerRef(residence.foreignerId) };
    },
    recordEmployment: async (_: unknown, { input }: Input, ctx: LocalGovernmentContext) => {
      writer(ctx);
      const employment = await ctx.foreigners.recordEmployment(input);
      return { employment, foreigner: foreignerRef(employment.foreignerId) };
    },
    submitCommunityReport: async (_: unknown, { input }: Input, ctx: LocalGovernmentContext) => {
      writer(ctx);
      return { communityReport: await ctx.communityReports.submit(input) };
    },
  },
};
