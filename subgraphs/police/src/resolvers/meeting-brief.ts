/**
 * The police's part of a meeting brief: the incidents since the last meeting, and the ITAS/ITAP
 * holders without a valid SKLD (common/brief/section.ts).
 */
import { gapCounts, periodCounts } from '../../../../common/brief/section.js';
import { enumShortLabel } from '../../../../common/i18n/labels.js';
import type { Resolvers } from '../generated/resolvers-types.js';

export const meetingBriefResolvers: Resolvers = {
  MeetingBrief: {
    __resolveReference: (ref) => ref,
    incidentsSinceLastMeeting: (b, _, ctx) =>
      periodCounts(
        b,
        ctx,
        (regencies, from) => ctx.incidents.countByRegencyAndCategory({ occurredFrom: from }, regencies, ctx.caller),
        (category) => enumShortLabel('IncidentCategory', category),
      ),
    selfReportGaps: (b, _, ctx) => gapCounts(b, ctx, () => ctx.selfReports.validityInJurisdiction(ctx.caller)),
  },
};
