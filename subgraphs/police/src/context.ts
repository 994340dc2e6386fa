/**
 * The police subgraph's request context: who is asking (from the verified token), the
 * services, and fresh DataLoaders for this request only.
 */
import type { RequestInfo } from '../../../common/server/request-context.js';
import type { PoliceLoaders } from './loaders.js';
import type { IncidentService } from './services/incident-service.js';
import type { SelfReportService } from './services/self-report-service.js';

export interface PoliceContext extends RequestInfo {
  loaders: PoliceLoaders;
  incidents: IncidentService;
  selfReports: SelfReportService;
}
