/**
 * The police subgraph's per-request DataLoaders: one `$in` query per kind of record per
 * request, however many foreigners a page or an `_entities` batch holds.
 */
import { byIdLoader, groupedLoader } from '../../../common/db/loaders.js';
import type { IncidentModels } from './models/incident.js';
import type { SelfReportModels } from './models/self-report.js';

export function createLoaders(models: IncidentModels & SelfReportModels) {
  return {
    incidentById: byIdLoader(models.Incident),
    incidentsByForeigner: groupedLoader(
      models.Incident,
      'foreignerIds',
      { occurredAt: -1, _id: 1 },
      (row) => row.foreignerIds,
    ),
    selfReportsByForeigner: groupedLoader(models.SelfReportCertificate, 'foreignerId', { issuedAt: -1, _id: 1 }),
  };
}

export type PoliceLoaders = ReturnType<typeof createLoaders>;
