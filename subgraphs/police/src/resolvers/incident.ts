/**
 * Resolvers of `Incident` and its parties.
 */
import type { PoliceContext } from '../context.js';
import type { IncidentPartyDoc } from '../models/incident.js';
import type { IncidentView } from '../services/incident-service.js';
import type { ForeignerRef } from './foreigner.js';

export const incidentResolvers = {
  Incident: {
    __resolveReference: (ref: { id: string }, ctx: PoliceContext) => ctx.loaders.incidentById.load(ref.id),
    id: (i: IncidentView) => i._id,
    involvement: (i: IncidentView) => i.involvement ?? null,
  },
  IncidentParty: {
    foreigner: (p: IncidentPartyDoc): ForeignerRef => ({ id: p.foreignerId }),
  },
};
