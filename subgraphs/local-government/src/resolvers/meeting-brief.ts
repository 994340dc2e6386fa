/**
 * The local government's part of a meeting brief: the community reports since the last meeting,
 * and the ITAS/ITAP holders without a valid SKTT (common/brief/section.ts).
 */
import { gapCounts, periodCounts } from '../../../../common/brief/section.js';
import { enumShortLabel } from '../../../../common/i18n/labels.js';
import type { Resolvers } from '../generated/resolvers-types.js';

export const meetingBriefResolvers: Resolvers = {
  MeetingBrief: {
    __resolveReference: (ref) => ref,
    communityReportsSinceLastMeeting: (b, _, ctx) =>
      periodCounts(
        b,
        ctx,
        (regencies, from) =>
          ctx.communityReports.countByRegencyAndCategory({ reportedFrom: from }, regencies, ctx.caller),
        (category) => enumShortLabel('CommunityReportCategory', category),
      ),
    residenceGaps: (b, _, ctx) => gapCounts(b, ctx, () => ctx.foreigners.validityInJurisdiction(ctx.caller)),
  },
};
