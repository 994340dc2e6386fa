/**
 * The immigration subgraph's per-request DataLoaders: one `$in` query per kind of record per
 * request — foreigners by `_id`, their records by `foreignerId` — however many foreigners a page
 * or an `_entities` batch holds.
 */
import { jurisdictionPredicate } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { byIdLoader, byKeyLoader } from '../../../common/db/loaders.js';
import type { CoordinationModels } from './models/coordination.js';
import type {
  BorderCrossingDoc,
  ForeignerModels,
  ImmigrationActionDoc,
  StayPermitDoc,
  WatchlistEntryDoc,
} from './models/foreigner.js';
import { DOMICILE_FIELDS } from './services/foreigner-filters.js';

/**
 * Foreigners outside the caller's jurisdiction (by domicile) do not resolve; the records
 * hung under a foreigner are reached only through a foreigner that did.
 */
export function createLoaders(models: ForeignerModels & CoordinationModels, caller: Caller) {
  return {
    foreignerById: byIdLoader(models.Foreigner, jurisdictionPredicate(caller, DOMICILE_FIELDS)),
    permitsByForeigner: byKeyLoader<StayPermitDoc>(models.StayPermit, 'foreignerId', {
      sort: { expiresAt: -1, _id: 1 },
    }),
    crossingsByForeigner: byKeyLoader<BorderCrossingDoc>(models.BorderCrossing, 'foreignerId', {
      sort: { crossedAt: -1, _id: 1 },
    }),
    watchlistByForeigner: byKeyLoader<WatchlistEntryDoc>(models.WatchlistEntry, 'foreignerId', {
      sort: { since: -1, _id: 1 },
    }),
    actionsByForeigner: byKeyLoader<ImmigrationActionDoc>(models.ImmigrationAction, 'foreignerId', {
      sort: { decidedAt: -1, _id: 1 },
    }),
    agencyByCode: byIdLoader(models.Agency),
  };
}

export type ImmigrationLoaders = ReturnType<typeof createLoaders>;
