/**
 * The police subgraph's per-request DataLoaders: one `$in` query per kind of record per
 * request, however many foreigners a page or an `_entities` batch holds.
 */
import { jurisdictionCondition } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { byIdLoader, groupedLoader } from '../../../common/db/loaders.js';
import { INCIDENT_REGION_FIELDS, type IncidentModels } from './models/incident.js';
import { SELF_REPORT_REGION_FIELDS, type SelfReportModels } from './models/self-report.js';

/** Incidents outside the caller's jurisdiction (by incident region) and SKLDs (by their region) do not load. */
export function createLoaders(models: IncidentModels & SelfReportModels, caller: Caller) {
  const incidentScope = jurisdictionCondition(caller, INCIDENT_REGION_FIELDS);
  return {
    incidentById: byIdLoader(models.Incident, incidentScope),
    incidentsByForeigner: groupedLoader(
      models.Incident,
      'foreignerIds',
      { occurredAt: -1, _id: 1 },
      { keysOf: (row) => row.foreignerIds, scope: incidentScope },
    ),
    selfReportsByForeigner: groupedLoader(
      models.SelfReportCertificate,
      'foreignerId',
      { issuedAt: -1, _id: 1 },
      { scope: jurisdictionCondition(caller, SELF_REPORT_REGION_FIELDS) },
    ),
  };
}

export type PoliceLoaders = ReturnType<typeof createLoaders>;
