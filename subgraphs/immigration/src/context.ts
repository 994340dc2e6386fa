/**
 * The immigration subgraph's request context: who is asking (from the verified token), the
 * services, and fresh DataLoaders for this request only.
 */
import type { RequestInfo } from '../../../common/server/request-context.js';
import type { ImmigrationLoaders } from './loaders.js';
import type { CoordinationService } from './services/coordination-service.js';
import type { ForeignerQueries } from './services/foreigner-queries.js';
import type { ForeignerStatistics } from './services/foreigner-statistics.js';
import type { ForeignerWrites } from './services/foreigner-writes.js';
import type { PermitCheckService } from './services/permit-check-service.js';

export interface ImmigrationContext extends RequestInfo {
  loaders: ImmigrationLoaders;
  foreigners: ForeignerQueries;
  foreignerStatistics: ForeignerStatistics;
  foreignerWrites: ForeignerWrites;
  permitChecks: PermitCheckService;
  coordination: CoordinationService;
}
