/**
 * The local government's part of a meeting brief: the community reports since the last meeting,
 * and the ITAS/ITAP holders without a valid SKTT (common/brief/section.ts).
 */
import { gapCounts, periodCounts, type BriefEntity } from '../../../../common/brief/section.js';
import { enumShortLabel } from '../../../../common/i18n/labels.js';
import type { LocalGovernmentContext } from '../context.js';

export const meetingBriefResolvers = {
  MeetingBrief: {
    __resolveReference: (ref: BriefEntity): BriefEntity => ref,
    communityReportsSinceLastMeeting: (b: BriefEntity, _: unknown, ctx: LocalGovernmentContext) =>
      periodCounts(
        b,
        ctx,
        (regencies, from) =>
          ctx.communityReports.countByRegencyAndCategory({ reportedFrom: from }, regencies, ctx.caller),
        (category) => enumShortLabel('CommunityReportCategory', category),
      ),
    residenceGaps: (b: BriefEntity, _: unknown, ctx: LocalGovernmentContext) =>
      gapCounts(b, ctx, () => ctx.foreigners.validityInJurisdiction(ctx.caller)),
  },
};
