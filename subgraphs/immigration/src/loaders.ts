/**
 * The immigration subgraph's per-request DataLoaders. Every record is read by `_id`: foreigners
 * directly, the records hung under a foreigner through the foreigner's record index (one
 * lookup per foreigner, shared by every kind of record), however many a page or an
 * `_entities` batch holds.
 */
import { jurisdictionPredicate } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { byIdLoader } from '../../../common/db/loaders.js';
import type { CoordinationModels } from './models/coordination.js';
import type {
  BorderCrossingDoc,
  ForeignerModels,
  ImmigrationActionDoc,
  StayPermitDoc,
  WatchlistEntryDoc,
} from './models/foreigner.js';
import type { ImmigrationRecordIndex } from './models/record-index.js';
import { DOMICILE_FIELDS } from './services/foreigner-service.js';

/**
 * Foreigners outside the caller's jurisdiction (by domicile) do not resolve; the records
 * hung under a foreigner are reached only through a foreigner that did.
 */
export function createLoaders(
  models: ForeignerModels & CoordinationModels,
  index: ImmigrationRecordIndex,
  caller: Caller,
) {
  const entries = index.entryLoader();
  return {
    foreignerById: byIdLoader(models.Foreigner, jurisdictionPredicate(caller, DOMICILE_FIELDS)),
    permitsByForeigner: index.recordsLoader<StayPermitDoc>(entries, 'stayPermits', { sort: { expiresAt: -1, _id: 1 } }),
    crossingsByForeigner: index.recordsLoader<BorderCrossingDoc>(entries, 'borderCrossings', {
      sort: { crossedAt: -1, _id: 1 },
    }),
    watchlistByForeigner: index.recordsLoader<WatchlistEntryDoc>(entries, 'watchlist', { sort: { since: -1, _id: 1 } }),
    actionsByForeigner: index.recordsLoader<ImmigrationActionDoc>(entries, 'immigrationActions', {
      sort: { decidedAt: -1, _id: 1 },
    }),
    agencyByCode: byIdLoader(models.Agency),
  };
}

export type ImmigrationLoaders = ReturnType<typeof createLoaders>;
