/**
 * Immigration's record index: per foreigner, the ids of their stay permits, border crossings,
 * cekal/TAK entries and immigration actions (see `common/db/record-index.ts`).
 */
import type { Connection } from 'mongoose';
import { RecordIndex } from '../../../../common/db/record-index.js';
import type { ForeignerModels } from './foreigner.js';

export type ImmigrationRecordKind = 'stayPermits' | 'borderCrossings' | 'watchlist' | 'immigrationActions';

export type ImmigrationRecordIndex = RecordIndex<ImmigrationRecordKind>;

const byForeigner = (row: { foreignerId: string }) => [row.foreignerId];

export function immigrationRecordIndex(
  connection: Connection,
  models: Omit<ForeignerModels, 'Foreigner'>,
): ImmigrationRecordIndex {
  return new RecordIndex(connection, {
    stayPermits: { model: models.StayPermit, foreignerIds: byForeigner },
    borderCrossings: { model: models.BorderCrossing, foreignerIds: byForeigner },
    watchlist: { model: models.WatchlistEntry, foreignerIds: byForeigner },
    immigrationActions: { model: models.ImmigrationAction, foreignerIds: byForeigner },
  });
}
