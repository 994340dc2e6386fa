/**
 * Resolvers of the records local government adds to `Foreigner` (owned by immigration), known
 * here by id only (a `ForeignerRef`, with immigration's permit facts when the gateway passes them
 * for `residenceCompliance`). Nested lists read through the request's DataLoaders, so a page of
 * foreigners costs one query per kind of record.
 */
import { registrationCompliance } from '../../../../common/registration.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { currentResidence } from '../services/foreigner-service.js';
import { regionOf } from './region.js';

export const foreignerResolvers: Resolvers = {
  Foreigner: {
    __resolveReference: (ref) => ref,
    residence: async (f, _, ctx) => currentResidence(await ctx.loaders.residencesByForeigner.load(f.id)),
    employment: (f, _, ctx) => ctx.loaders.employmentByForeigner.load(f.id),
    communityReports: (f, _, ctx) => ctx.loaders.communityReportsByForeigner.load(f.id),
    residenceCompliance: async (f, _, ctx) =>
      registrationCompliance(f, await ctx.loaders.residencesByForeigner.load(f.id)),
  },
  Residence: { region: regionOf },
  Employment: {
    id: (e) => e._id,
    region: regionOf,
  },
};
