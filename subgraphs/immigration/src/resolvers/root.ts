/**
 * Root queries and mutations of the immigration subgraph: read the arguments and call a
 * service (who may call them is decided by the access policy, applied to the whole schema).
 */
import type { AgencyType } from '../../../../common/auth/policy.js';
import type { PageArgs } from '../../../../common/pagination.js';
import type { ImmigrationContext } from '../context.js';
import type { ForeignerFilterInput } from '../services/foreigner-filters.js';
import type { StatisticsDimension } from '../services/foreigner-statistics.js';
import type { Population } from '../services/population.js';

type Input = { input: unknown };

export const rootResolvers = {
  Query: {
    accessLog: (_: unknown, args: { foreignerId: string }) => ({ foreignerId: args.foreignerId }),
    foreigner: (_: unknown, args: { id: string }, ctx: ImmigrationContext) => ctx.loaders.foreignerById.load(args.id),
    foreigners: (_: unknown, args: PageArgs & { filter?: ForeignerFilterInput | null }, ctx: ImmigrationContext) =>
      ctx.foreigners.list(args.filter, args, ctx.caller),
    verifyStayPermit: (_: unknown, args: { permitNumber: string; passportNumber: string }, ctx: ImmigrationContext) =>
      ctx.permitChecks.verify(args.permitNumber, args.passportNumber, ctx.caller, ctx.disclosures),
    foreignerStatistics: (
      _: unknown,
      args: { regionCode?: string | null; groupBy?: StatisticsDimension[] | null; population?: Population | null },
      ctx: ImmigrationContext,
    ) =>
      ctx.foreignerStatistics.statistics(
        args.regionCode,
        args.groupBy ?? [],
        ctx.caller,
        args.population ?? 'REGISTERED',
      ),
    agency: (_: unknown, args: { code: string }, ctx: ImmigrationContext) => ctx.loaders.agencyByCode.load(args.code),
    agencies: (_: unknown, args: { type?: AgencyType | null; regionCode?: string | null }, ctx: ImmigrationContext) =>
      ctx.coordination.agencies(args.type, args.regionCode),
    coordinationMeetings: (_: unknown, args: { regionCode?: string | null }, ctx: ImmigrationContext) =>
      ctx.coordination.meetings(args.regionCode),
    jointOperations: (_: unknown, args: { regionCode?: string | null }, ctx: ImmigrationContext) =>
      ctx.coordination.operations(args.regionCode),
  },
  Mutation: {
    registerForeigner: async (_: unknown, { input }: Input, ctx: ImmigrationContext) => {
      return { foreigner: await ctx.foreignerWrites.register(input, ctx.caller) };
    },
    issueStayPermit: async (_: unknown, { input }: Input, ctx: ImmigrationContext) => {
      const { permit, foreignerId } = await ctx.foreignerWrites.issuePermit(input, ctx.caller);
      return { stayPermit: permit, foreigner: await ctx.loaders.foreignerById.load(foreignerId) };
    },
    recordBorderCrossing: async (_: unknown, { input }: Input, ctx: ImmigrationContext) => {
      const crossing = await ctx.foreignerWrites.recordCrossing(input, ctx.caller);
      return { borderCrossing: crossing, foreigner: await ctx.loaders.foreignerById.load(crossing.foreignerId) };
    },
    recordImmigrationAction: async (_: unknown, { input }: Input, ctx: ImmigrationContext) => {
      const action = await ctx.foreignerWrites.recordAction(input, ctx.caller);
      return { immigrationAction: action, foreigner: await ctx.loaders.foreignerById.load(action.foreignerId) };
    },
    recordCoordinationMeeting: async (_: unknown, { input }: Input, ctx: ImmigrationContext) => {
      return { coordinationMeeting: await ctx.coordination.recordMeeting(input) };
    },
    recordJointOperation: async (_: unknown, { input }: Input, ctx: ImmigrationContext) => {
      return { jointOperation: await ctx.coordination.recordOperation(input) };
    },
  },
};
