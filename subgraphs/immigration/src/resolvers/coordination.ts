/**
 * Resolvers of member institutions, coordination meetings and joint operations.
 */
import type { ImmigrationContext } from '../context.js';
import type { AgencyDoc, CoordinationMeetingDoc, JointOperationDoc } from '../models/coordination.js';

async function agenciesOf(codes: string[], ctx: ImmigrationContext): Promise<AgencyDoc[]> {
  const agencies = await ctx.loaders.agencyByCode.loadMany(codes);
  return agencies.filter((a): a is AgencyDoc => a !== null && !(a instanceof Error));
}

export const coordinationResolvers = {
  Agency: {
    __resolveReference: (ref: { code: string }, ctx: ImmigrationContext) => ctx.loaders.agencyByCode.load(ref.code),
    code: (a: AgencyDoc) => a._id,
  },
  CoordinationMeeting: {
    id: (m: CoordinationMeetingDoc) => m._id,
    chair: (m: CoordinationMeetingDoc, _: unknown, ctx: ImmigrationContext) =>
      ctx.loaders.agencyByCode.load(m.chairCode),
    attendees: (m: CoordinationMeetingDoc, _: unknown, ctx: ImmigrationContext) => agenciesOf(m.attendeeCodes, ctx),
  },
  JointOperation: {
    id: (o: JointOperationDoc) => o._id,
    agencies: (o: JointOperationDoc, _: unknown, ctx: ImmigrationContext) => agenciesOf(o.agencyCodes, ctx),
  },
};
