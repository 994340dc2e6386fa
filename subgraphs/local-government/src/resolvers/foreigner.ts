/**
 * Resolvers of the records local government adds to `Foreigner` (owned by immigration).
 * Nested lists read through the request's DataLoaders, so a page of foreigners costs one
 * query per kind of record.
 */
import { registrationCompliance, type RequiredPermitFacts } from '../../../../common/registration.js';
import type { LocalGovernmentContext } from '../context.js';
import type { EmploymentDoc } from '../models/foreigner.js';
import { currentResidence } from '../services/foreigner-service.js';
import { regionOf } from './region.js';

/**
 * A foreigner as this subgraph knows it: by id only (identity belongs to immigration), with
 * immigration's permit facts when the gateway passes them for `residenceCompliance` (`@requires`).
 */
export interface ForeignerRef extends RequiredPermitFacts {
  id: string;
}

export const foreignerResolvers = {
  Foreigner: {
    __resolveReference: (ref: ForeignerRef): ForeignerRef => ref,
    residence: async (f: ForeignerRef, _: unknown, ctx: LocalGovernmentContext) =>
      currentResidence(await ctx.loaders.residencesByForeigner.load(f.id)),
    employment: (f: ForeignerRef, _: unknown, ctx: LocalGovernmentContext) =>
      ctx.loaders.employmentByForeigner.load(f.id),
    communityReports: (f: ForeignerRef, _: unknown, ctx: LocalGovernmentContext) =>
      ctx.loaders.communityReportsByForeigner.load(f.id),
    residenceCompliance: async (f: ForeignerRef, _: unknown, ctx: LocalGovernmentContext) =>
      registrationCompliance(f, await ctx.loaders.residencesByForeigner.load(f.id)),
  },
  Residence: { region: regionOf },
  Employment: {
    id: (e: EmploymentDoc) => e._id,
    region: regionOf,
  },
};
