/**
 * The local-government subgraph's request context: who is asking (from the verified token),
 * the services, and fresh DataLoaders for this request only.
 */
import type { RequestInfo } from '../../../common/server/request-context.js';
import type { LocalGovernmentLoaders } from './loaders.js';
import type { CommunityReportService } from './services/community-report-service.js';
import type { ForeignerService } from './services/foreigner-service.js';
import type { RegionService } from './services/region-service.js';

export interface LocalGovernmentContext extends RequestInfo {
  loaders: LocalGovernmentLoaders;
  regions: RegionService;
  foreigners: ForeignerService;
  communityReports: CommunityReportService;
}
