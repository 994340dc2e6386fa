/**
 * Resolvers of member institutions, coordination meetings and joint operations.
 */
import { present } from '../../../../common/server/resolvers.js';
import type { ImmigrationContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { AgencyDoc } from '../models/coordination.js';

async function agenciesOf(codes: string[], ctx: ImmigrationContext): Promise<AgencyDoc[]> {
  const agencies = await ctx.loaders.agencyByCode.loadMany(codes);
  return agencies.filter((a): a is AgencyDoc => a !== null && !(a instanceof Error));
}

export const coordinationResolvers: Resolvers = {
  Agency: {
    __resolveReference: (ref, ctx) => ctx.loaders.agencyByCode.load(ref.code),
    code: (a) => a._id,
  },
  CoordinationMeeting: {
    id: (m) => m._id,
    chair: async (m, _, ctx) => present(await ctx.loaders.agencyByCode.load(m.chairCode), `agency ${m.chairCode}`),
    attendees: (m, _, ctx) => agenciesOf(m.attendeeCodes, ctx),
  },
  JointOperation: {
    id: (o) => o._id,
    agencies: (o, _, ctx) => agenciesOf(o.agencyCodes, ctx),
  },
};
