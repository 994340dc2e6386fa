/**
 * Resolvers of community reports.
 */
import type { CommunityReportDoc } from '../models/community-report.js';
import type { ForeignerRef } from './foreigner.js';
import { regionOf } from './region.js';

export const communityReportResolvers = {
  CommunityReport: {
    id: (r: CommunityReportDoc) => r._id,
    region: regionOf,
    foreigner: (r: CommunityReportDoc): ForeignerRef | null => (r.foreignerId ? { id: r.foreignerId } : null),
  },
};
