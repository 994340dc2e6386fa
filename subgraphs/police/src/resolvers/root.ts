/**
 * Root queries and mutations of the police subgraph: read the arguments and call a service
 * (who may call them is decided by the access policy, applied to the whole schema).
 */
import type { Resolvers } from '../generated/resolvers-types.js';

export const rootResolvers: Resolvers = {
  Query: {
    incident: (_, args, ctx) => ctx.loaders.incidentById.load(args.id),
    incidents: (_, args, ctx) => ctx.incidents.list(args.filter, args, ctx.caller),
  },
  Mutation: {
    fileIncident: async (_, { input }, ctx) => {
      return { incident: await ctx.incidents.file(input, ctx.caller) };
    },
    issueSelfReportCertificate: async (_, { input }, ctx) => {
      const certificate = await ctx.selfReports.issue(input, ctx.caller);
      return { selfReportCertificate: certificate, foreigner: { id: certificate.foreignerId } };
    },
  },
};
