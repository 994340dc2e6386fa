/**
 * The police subgraph's data-access layer: incidents (by where they happened) and SKLDs (by
 * their region) are read within the caller's jurisdiction (common/db/jurisdiction-scope.ts).
 * Services and loaders read through this, never the models.
 */
import { RegionalCollection } from '../../../common/db/jurisdiction-scope.js';
import { INCIDENT_REGION_FIELDS, type IncidentDoc, type IncidentModels } from './models/incident.js';
import {
  SELF_REPORT_REGION_FIELDS,
  type SelfReportCertificateDoc,
  type SelfReportModels,
} from './models/self-report.js';

export function policeData(models: IncidentModels & SelfReportModels) {
  return {
    incidents: new RegionalCollection<IncidentDoc>(models.Incident, INCIDENT_REGION_FIELDS),
    selfReports: new RegionalCollection<SelfReportCertificateDoc>(
      models.SelfReportCertificate,
      SELF_REPORT_REGION_FIELDS,
    ),
  };
}

export type PoliceData = ReturnType<typeof policeData>;
