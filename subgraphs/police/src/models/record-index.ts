/**
 * The police subgraph's per-foreigner record index (`common/db/record-index.ts`): the SKLDs
 * issued to a foreigner and the incidents naming them as a party, found by one `_id` lookup of
 * the foreigner's entry instead of a `foreignerId`/`foreignerIds` query (a whole-collection
 * scan on FerretDB).
 */
import type { Connection } from 'mongoose';
import { RecordIndex } from '../../../../common/db/record-index.js';
import { incidentModels, type IncidentDoc } from './incident.js';
import { selfReportModels, type SelfReportCertificateDoc } from './self-report.js';

/** The kinds of police record listed under a foreigner. */
export type PoliceRecordKind = 'selfReports' | 'incidents';

export type PoliceRecordIndex = RecordIndex<PoliceRecordKind>;

/** The index over this connection's SKLDs and incidents (the models are compiled once per connection). */
export function policeRecordIndex(connection: Connection): PoliceRecordIndex {
  return new RecordIndex<PoliceRecordKind>(connection, {
    selfReports: {
      model: selfReportModels(connection).SelfReportCertificate,
      foreignerIds: (r: SelfReportCertificateDoc) => [r.foreignerId],
    },
    incidents: {
      model: incidentModels(connection).Incident,
      foreignerIds: (r: IncidentDoc) => r.foreignerIds,
    },
  });
}
