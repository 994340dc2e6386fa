/**
 * The local-government record index: per foreigner, the ids of their residences (SKTT),
 * employment and community reports (see `common/db/record-index.ts`). A foreigner's records are
 * read through it by `_id`, the one filter FerretDB answers from an index.
 *
 * A community report may concern nobody identified yet (`foreignerId` null): it is listed
 * under no foreigner.
 */
import type { Connection } from 'mongoose';
import { RecordIndex } from '../../../../common/db/record-index.js';
import { communityReportModels, type CommunityReportDoc } from './community-report.js';
import { foreignerModels, type EmploymentDoc, type ResidenceDoc } from './foreigner.js';

export type LocalGovernmentRecordKind = 'residences' | 'employment' | 'communityReports';

/** The index over this connection's records (the models come from their factories, compiled once). */
export function localGovernmentRecordIndex(connection: Connection): RecordIndex<LocalGovernmentRecordKind> {
  const { Residence, Employment } = foreignerModels(connection);
  const { CommunityReport } = communityReportModels(connection);
  return new RecordIndex<LocalGovernmentRecordKind>(connection, {
    residences: { model: Residence, foreignerIds: (r: ResidenceDoc) => [r.foreignerId] },
    employment: { model: Employment, foreignerIds: (e: EmploymentDoc) => [e.foreignerId] },
    communityReports: {
      model: CommunityReport,
      foreignerIds: (r: CommunityReportDoc) => (r.foreignerId ? [r.foreignerId] : []),
    },
  });
}

export type LocalGovernmentRecordIndex = RecordIndex<LocalGovernmentRecordKind>;
