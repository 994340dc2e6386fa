/** The local government subgraph's retention rules: residence registrations, employment and community reports. */
import type { Connection } from 'mongoose';
import { olderThan } from './ages.js';
import { PSEUDONYMISED, REDUCED, updateWhere } from './redaction.js';
import { ruleDoc } from './rule-docs.js';
import type { RetentionRule } from './rule.js';

/** Residence registrations that ended more than `years` ago lose their address; region and dates stay. */
export function residenceRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('residences', years),
    async apply(dryRun) {
      const filter = {
        ...(await olderThan('validUntil', years, 'date', 'regionProvince')),
        address: { $ne: PSEUDONYMISED },
      };
      return { changed: await updateWhere(db, 'residences', filter, { address: PSEUDONYMISED }, dryRun), held: 0 };
    },
  };
}

/** Employment that ended more than `years` ago loses its employer; sector, position, permit, region and dates stay. */
export function employmentRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('employments', years),
    async apply(dryRun) {
      const filter = {
        endedOn: { $ne: null },
        ...(await olderThan('endedOn', years, 'date', 'regionProvince')),
        employer: { $ne: PSEUDONYMISED },
      };
      return { changed: await updateWhere(db, 'employments', filter, { employer: PSEUDONYMISED }, dryRun), held: 0 };
    },
  };
}

/**
 * Closed community reports made more than `years` ago lose the reporter and the description
 * (one write per report, both together); category, region, date, status and foreigner stay.
 */
export function communityReportRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('community_reports', years),
    async apply(dryRun) {
      const old = {
        ...(await olderThan('reportedAt', years, 'instant', 'regionProvince')),
        description: { $ne: REDUCED },
      };
      const held = await db.collection('community_reports').countDocuments({ ...old, status: { $ne: 'CLOSED' } });
      const filter = { ...old, status: 'CLOSED' };
      const set = { description: REDUCED, reportedBy: PSEUDONYMISED };
      return { changed: await updateWhere(db, 'community_reports', filter, set, dryRun), held };
    },
  };
}
