/**
 * The police subgraph's per-request DataLoaders: incidents by `_id`, a foreigner's SKLDs by
 * `foreignerId` and their incidents by `foreignerIds` (the incident's parties), one `$in` query
 * per kind per request. Jurisdiction is tested on the rows read, not added to the query.
 */
import { jurisdictionPredicate } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { byIdLoader, byKeyLoader } from '../../../common/db/loaders.js';
import { INCIDENT_REGION_FIELDS, type IncidentDoc, type IncidentModels } from './models/incident.js';
import {
  SELF_REPORT_REGION_FIELDS,
  type SelfReportCertificateDoc,
  type SelfReportModels,
} from './models/self-report.js';

/** Incidents outside the caller's jurisdiction (by incident region) and SKLDs (by their region) do not load. */
export function createLoaders(models: IncidentModels & SelfReportModels, caller: Caller) {
  const incidentAllowed = jurisdictionPredicate(caller, INCIDENT_REGION_FIELDS);
  return {
    incidentById: byIdLoader(models.Incident, incidentAllowed),
    incidentsByForeigner: byKeyLoader<IncidentDoc>(models.Incident, 'foreignerIds', {
      sort: { occurredAt: -1, _id: 1 },
      allow: incidentAllowed,
    }),
    selfReportsByForeigner: byKeyLoader<SelfReportCertificateDoc>(models.SelfReportCertificate, 'foreignerId', {
      sort: { issuedAt: -1, _id: 1 },
      allow: jurisdictionPredicate(caller, SELF_REPORT_REGION_FIELDS),
    }),
  };
}

export type PoliceLoaders = ReturnType<typeof createLoaders>;
