/**
 * The immigration subgraph's per-request DataLoaders: one `$in` query per kind of record
 * per request, however many foreigners a page or an `_entities` batch holds.
 */
import { jurisdictionCondition } from '../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../common/auth/tokens.js';
import { byIdLoader, groupedLoader } from '../../../common/db/loaders.js';
import type { CoordinationModels } from './models/coordination.js';
import type { ForeignerModels } from './models/foreigner.js';
import { DOMICILE_FIELDS } from './services/foreigner-service.js';

/**
 * Foreigners outside the caller's jurisdiction (by domicile) do not resolve; the records
 * hung under a foreigner are reached only through a foreigner that did.
 */
export function createLoaders(models: ForeignerModels & CoordinationModels, caller: Caller) {
  return {
    foreignerById: byIdLoader(models.Foreigner, jurisdictionCondition(caller, DOMICILE_FIELDS)),
    permitsByForeigner: groupedLoader(models.StayPermit, 'foreignerId', { expiresAt: -1, _id: 1 }),
    crossingsByForeigner: groupedLoader(models.BorderCrossing, 'foreignerId', { crossedAt: -1, _id: 1 }),
    watchlistByForeigner: groupedLoader(models.WatchlistEntry, 'foreignerId', { since: -1, _id: 1 }),
    actionsByForeigner: groupedLoader(models.ImmigrationAction, 'foreignerId', { decidedAt: -1, _id: 1 }),
    agencyByCode: byIdLoader(models.Agency),
  };
}

export type ImmigrationLoaders = ReturnType<typeof createLoaders>;
