/**
 * Immigration's indexes (see `common/db/record-index.ts`): per foreigner, the ids of their stay
 * permits, border crossings, cekal/TAK entries and immigration actions; per region, the
 * foreigners domiciled in it.
 */
import type { Connection } from 'mongoose';
import { RecordIndex } from '../../../../common/db/record-index.js';
import type { ForeignerDoc, ForeignerModels } from './foreigner.js';

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

export type RegionMembersIndex = RecordIndex<'foreigners'>;

/**
 * Per region code (province, regency, district and village alike), the ids of the foreigners
 * domiciled in it: a page of a region's foreigners reads one entry and the page's foreigners by
 * `_id`, where a filter on the region reads every foreigner on FerretDB.
 */
export function regionMembersIndex(connection: Connection, models: Pick<ForeignerModels, 'Foreigner'>) {
  return new RecordIndex(
    connection,
    { foreigners: { model: models.Foreigner, foreignerIds: domicileRegions } },
    { collection: 'region_members', modelName: 'RegionMembersIndex', migration: 'region-members-index' },
  );
}

/** The regions a foreigner is domiciled in, from the province down to the village. */
export function domicileRegions(f: ForeignerDoc): string[] {
  return [f.domicileProvince, f.domicileRegency, f.domicileDistrict, f.domicileRegionCode].filter(
    (code): code is string => typeof code === 'string',
  );
}
