/**
 * Resolvers of the police fields of `Foreigner` (owned by immigration) and of the SKLD.
 * The police hold no identity, so a foreigner here is only its `id`; nested lists read
 * through the request's DataLoaders: one `$in` on the foreigner ids per kind of record.
 */
import { registrationCompliance, type RequiredPermitFacts } from '../../../../common/registration.js';
import type { PoliceContext } from '../context.js';
import type { SelfReportCertificateDoc } from '../models/self-report.js';
import { reachedThrough } from '../services/incident-service.js';

/**
 * A foreigner as the police know it: a reference to immigration's record, with immigration's
 * permit facts when the gateway passes them for `selfReportCompliance` (`@requires`).
 */
export interface ForeignerRef extends RequiredPermitFacts {
  id: string;
}

export const foreignerResolvers = {
  Foreigner: {
    __resolveReference: (ref: ForeignerRef): ForeignerRef => ref,
    selfReports: (f: ForeignerRef, _: unknown, ctx: PoliceContext) => ctx.loaders.selfReportsByForeigner.load(f.id),
    incidents: async (f: ForeignerRef, _: unknown, ctx: PoliceContext) =>
      (await ctx.loaders.incidentsByForeigner.load(f.id)).map((incident) => reachedThrough(incident, f.id)),
    selfReportCompliance: async (f: ForeignerRef, _: unknown, ctx: PoliceContext) =>
      registrationCompliance(f, await ctx.loaders.selfReportsByForeigner.load(f.id)),
  },
  SelfReportCertificate: {
    foreigner: (c: SelfReportCertificateDoc): ForeignerRef => ({ id: c.foreignerId }),
  },
};
