/**
 * Root queries and mutations of the police subgraph: read the arguments, check the caller
 * may write, call a service.
 */
import { requireScope } from '../../../../common/auth/guards.js';
import type { PageArgs } from '../../../../common/pagination.js';
import type { PoliceContext } from '../context.js';
import type { IncidentFilterInput } from '../services/incident-service.js';

type Input = { input: unknown };

function writer(ctx: PoliceContext): void {
  requireScope(ctx.caller, 'police:write');
}

export const rootResolvers = {
  Query: {
    incident: (_: unknown, args: { id: string }, ctx: PoliceContext) => ctx.loaders.incidentById.load(args.id),
    incidents: (_: unknown, args: PageArgs & { filter?: IncidentFilterInput | null }, ctx: PoliceContext) =>
      ctx.incidents.list(args.filter, args),
  },
  Mutation: {
    fileIncident: async (_: unknown, { input }: Input, ctx: PoliceContext) => {
      writer(ctx);
      return { incident: await ctx.incidents.file(input) };
    },
    issueSelfReportCertificate: async (_: unknown, { input }: Input, ctx: PoliceContext) => {
      writer(ctx);
      const certificate = await ctx.selfReports.issue(input);
      return { selfReportCertificate: certificate, foreigner: { id: certificate.foreignerId } };
    },
  },
};
