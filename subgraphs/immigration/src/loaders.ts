/**
 * The immigration subgraph's per-request DataLoaders: one `$in` query per kind of record per
 * request — foreigners by `_id`, their records by `foreignerId` — however many foreigners a page
 * or an `_entities` batch holds.
 */
import type { Caller } from '../../../common/auth/tokens.js';
import { byIdLoader } from '../../../common/db/loaders.js';
import type { ImmigrationData } from './data.js';
import type { AgencyDoc, CoordinationModels } from './models/coordination.js';

/**
 * Foreigners outside the caller's jurisdiction (by domicile) do not resolve; the records
 * hung under a foreigner are reached only through a foreigner that did.
 */
export function createLoaders(data: ImmigrationData, models: CoordinationModels, caller: Caller) {
  return {
    foreignerById: data.foreigners.for(caller).byId(),
    permitsByForeigner: data.permits.byForeigner({ expiresAt: -1, _id: 1 }),
    crossingsByForeigner: data.crossings.byForeigner({ crossedAt: -1, _id: 1 }),
    watchlistByForeigner: data.watchlist.byForeigner({ since: -1, _id: 1 }),
    actionsByForeigner: data.actions.byForeigner({ decidedAt: -1, _id: 1 }),
    agencyByCode: byIdLoader<AgencyDoc>(models.Agency),
  };
}

export type ImmigrationLoaders = ReturnType<typeof createLoaders>;
