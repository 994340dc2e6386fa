/**
 * The police subgraph's per-request DataLoaders. Every record is read by `_id` (the one lookup
 * FerretDB searches an index for): an incident directly, a foreigner's SKLDs and incidents
 * through the foreigner's entry in the record index, one entry read per foreigner shared by both
 * kinds. Jurisdiction is tested on the rows read, not added to the query.
 */
import { jurisdictionPredicate } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { byIdLoader } from '../../../common/db/loaders.js';
import { INCIDENT_REGION_FIELDS, type IncidentDoc, type IncidentModels } from './models/incident.js';
import type { PoliceRecordIndex } from './models/record-index.js';
import { SELF_REPORT_REGION_FIELDS, type SelfReportCertificateDoc } from './models/self-report.js';

/** Incidents outside the caller's jurisdiction (by incident region) and SKLDs (by their region) do not load. */
export function createLoaders(models: IncidentModels, index: PoliceRecordIndex, caller: Caller) {
  const incidentAllowed = jurisdictionPredicate(caller, INCIDENT_REGION_FIELDS);
  const entries = index.entryLoader();
  return {
    incidentById: byIdLoader(models.Incident, incidentAllowed),
    incidentsByForeigner: index.recordsLoader<IncidentDoc>(entries, 'incidents', {
      sort: { occurredAt: -1, _id: 1 },
      allow: incidentAllowed,
    }),
    selfReportsByForeigner: index.recordsLoader<SelfReportCertificateDoc>(entries, 'selfReports', {
      sort: { issuedAt: -1, _id: 1 },
      allow: jurisdictionPredicate(caller, SELF_REPORT_REGION_FIELDS),
    }),
  };
}

export type PoliceLoaders = ReturnType<typeof createLoaders>;
