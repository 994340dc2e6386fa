/**
 * The police's part of a meeting brief: the incidents since the last meeting, and the ITAS/ITAP
 * holders without a valid SKLD (common/brief/section.ts).
 */
import { gapCounts, periodCounts, type BriefEntity } from '../../../../common/brief/section.js';
import { enumShortLabel } from '../../../../common/i18n/labels.js';
import type { PoliceContext } from '../context.js';

export const meetingBriefResolvers = {
  MeetingBrief: {
    __resolveReference: (ref: BriefEntity): BriefEntity => ref,
    incidentsSinceLastMeeting: (b: BriefEntity, _: unknown, ctx: PoliceContext) =>
      periodCounts(
        b,
        ctx,
        (regencies, from) => ctx.incidents.countByRegencyAndCategory({ occurredFrom: from }, regencies, ctx.caller),
        (category) => enumShortLabel('IncidentCategory', category),
      ),
    selfReportGaps: (b: BriefEntity, _: unknown, ctx: PoliceContext) =>
      gapCounts(b, ctx, () => ctx.selfReports.validityInJurisdiction(ctx.caller)),
  },
};
