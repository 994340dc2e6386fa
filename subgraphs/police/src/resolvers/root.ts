/**
 * Root queries and mutations of the police subgraph: read the arguments and call a service
 * (who may call them is decided by the access policy, applied to the whole schema).
 */
import type { PageArgs } from '../../../../common/pagination.js';
import type { PoliceContext } from '../context.js';
import type { IncidentFilterInput } from '../services/incident-service.js';

type Input = { input: unknown };

export const rootResolvers = {
  Query: {
    incident: (_: unknown, args: { id: string }, ctx: PoliceContext) => ctx.loaders.incidentById.load(args.id),
    incidents: (_: unknown, args: PageArgs & { filter?: IncidentFilterInput | null }, ctx: PoliceContext) =>
      ctx.incidents.list(args.filter, args, ctx.caller),
  },
  Mutation: {
    fileIncident: async (_: unknown, { input }: Input, ctx: PoliceContext) => {
      return { incident: await ctx.incidents.file(input, ctx.caller) };
    },
    issueSelfReportCertificate: async (_: unknown, { input }: Input, ctx: PoliceContext) => {
      const certificate = await ctx.selfReports.issue(input, ctx.caller);
      return { selfReportCertificate: certificate, foreigner: { id: certificate.foreignerId } };
    },
  },
};
