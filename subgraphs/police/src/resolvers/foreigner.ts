/**
 * Resolvers of the police fields of `Foreigner` (owned by immigration) and of the SKLD.
 * The police hold no identity, so a foreigner here is only its `id` (a `ForeignerRef`, with
 * immigration's permit facts when the gateway passes them for `selfReportCompliance`); nested
 * lists read through the request's DataLoaders: one `$in` on the foreigner ids per kind of record.
 */
import { registrationCompliance } from '../../../../common/registration.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { reachedThrough } from '../services/incident-service.js';

export const foreignerResolvers: Resolvers = {
  Foreigner: {
    __resolveReference: (ref) => ref,
    selfReports: (f, _, ctx) => ctx.loaders.selfReportsByForeigner.load(f.id),
    incidents: async (f, _, ctx) =>
      (await ctx.loaders.incidentsByForeigner.load(f.id)).map((incident) => reachedThrough(incident, f.id)),
    selfReportCompliance: async (f, _, ctx) =>
      registrationCompliance(f, await ctx.loaders.selfReportsByForeigner.load(f.id)),
  },
  SelfReportCertificate: {
    foreigner: (c) => ({ id: c.foreignerId }),
  },
};
