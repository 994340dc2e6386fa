/**
 * Resolvers of the police fields of `Foreigner` (owned by immigration) and of the SKLD.
 * The police hold no identity, so a foreigner here is only its `id`; nested lists read
 * through the request's DataLoaders, so a page of foreigners costs one query per kind of record.
 */
import type { PoliceContext } from '../context.js';
import type { SelfReportCertificateDoc } from '../models/self-report.js';
import { reachedThrough } from '../services/incident-service.js';

/** A foreigner as the police know it: a reference to immigration's record. */
export interface ForeignerRef {
  id: string;
}

export const foreignerResolvers = {
  Foreigner: {
    __resolveReference: (ref: ForeignerRef): ForeignerRef => ({ id: ref.id }),
    selfReports: (f: ForeignerRef, _: unknown, ctx: PoliceContext) => ctx.loaders.selfReportsByForeigner.load(f.id),
    incidents: async (f: ForeignerRef, _: unknown, ctx: PoliceContext) =>
      (await ctx.loaders.incidentsByForeigner.load(f.id)).map((incident) => reachedThrough(incident, f.id)),
  },
  SelfReportCertificate: {
    foreigner: (c: SelfReportCertificateDoc): ForeignerRef => ({ id: c.foreignerId }),
  },
};
