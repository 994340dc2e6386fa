/**
 * Resolvers of community reports.
 */
import type { Resolvers } from '../generated/resolvers-types.js';
import { regionOf } from './region.js';

export const communityReportResolvers: Resolvers = {
  CommunityReport: {
    id: (r) => r._id,
    region: regionOf,
    foreigner: (r) => (r.foreignerId ? { id: r.foreignerId } : null),
  },
};
