/**
 * The local-government subgraph's data-access layer: residences (SKTT), employment and community
 * reports are read within the caller's jurisdiction, by their region
 * (common/db/jurisdiction-scope.ts). Services and loaders read through this, never the models.
 * Regions are reference data, visible to every caller (services/region-service.ts).
 */
import { RegionalCollection } from '../../../common/db/jurisdiction-scope.js';
import type { CommunityReportDoc, CommunityReportModels } from './models/community-report.js';
import type { EmploymentDoc, ForeignerModels, ResidenceDoc } from './models/foreigner.js';
import { RECORD_REGION_FIELDS } from './models/region.js';

export function localGovernmentData(models: ForeignerModels & CommunityReportModels) {
  return {
    residences: new RegionalCollection<ResidenceDoc>(models.Residence, RECORD_REGION_FIELDS),
    employment: new RegionalCollection<EmploymentDoc>(models.Employment, RECORD_REGION_FIELDS),
    communityReports: new RegionalCollection<CommunityReportDoc>(models.CommunityReport, RECORD_REGION_FIELDS),
  };
}

export type LocalGovernmentData = ReturnType<typeof localGovernmentData>;
