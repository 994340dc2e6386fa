/**
 * The immigration subgraph's data-access layer: foreigners are read within the caller's
 * jurisdiction (by domicile), their records through the foreigners the caller could resolve
 * (common/db/jurisdiction-scope.ts). Services and loaders read through this, never the models.
 */
import { ForeignerRecords, RegionalCollection } from '../../../common/db/jurisdiction-scope.js';
import type {
  BorderCrossingDoc,
  ForeignerDoc,
  ForeignerModels,
  ImmigrationActionDoc,
  StayPermitDoc,
  WatchlistEntryDoc,
} from './models/foreigner.js';
import { DOMICILE_FIELDS, NameTrigramReadiness } from './services/foreigner-filters.js';

export function immigrationData(models: ForeignerModels) {
  return {
    foreigners: new RegionalCollection<ForeignerDoc>(models.Foreigner, DOMICILE_FIELDS),
    permits: new ForeignerRecords<StayPermitDoc>(models.StayPermit),
    crossings: new ForeignerRecords<BorderCrossingDoc>(models.BorderCrossing),
    watchlist: new ForeignerRecords<WatchlistEntryDoc>(models.WatchlistEntry),
    actions: new ForeignerRecords<ImmigrationActionDoc>(models.ImmigrationAction),
    /** Set once every foreigner carries its name's trigrams (index.ts, the name-trigram backfill). */
    nameTrigrams: new NameTrigramReadiness(),
  };
}

export type ImmigrationData = ReturnType<typeof immigrationData>;
