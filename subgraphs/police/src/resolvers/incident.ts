/**
 * Resolvers of `Incident` and its parties.
 */
import type { Resolvers } from '../generated/resolvers-types.js';

export const incidentResolvers: Resolvers = {
  Incident: {
    __resolveReference: (ref, ctx) => ctx.loaders.incidentById.load(ref.id),
    id: (i) => i._id,
    involvement: (i) => i.involvement ?? null,
  },
  IncidentParty: {
    foreigner: (p) => ({ id: p.foreignerId }),
  },
};
