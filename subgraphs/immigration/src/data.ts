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
import { tallyModels, type TallyModels } from './models/foreigner-tally.js';
import { DOMICILE_FIELDS, NameTrigramReadiness } from './services/foreigner-filters.js';
import { ForeignerTallies } from './services/foreigner-tallies.js';

/**
 * The data-access layer over `models`; the statistics' counters (`tallies`) over `tallies`,
 * by default on the foreigners' connection.
 */
export function immigrationData(models: ForeignerModels, tallies: TallyModels = tallyModels(models.Foreigner.db)) {
  const foreigners = new RegionalCollection<ForeignerDoc>(models.Foreigner, DOMICILE_FIELDS);
  return {
    foreigners,
    /** The statistics' counters (services/foreigner-tallies.ts); `ready` once every foreigner is counted. */
    tallies: new ForeignerTallies(foreigners, tallies),
    permits: new ForeignerRecords<StayPermitDoc>(models.StayPermit),
    crossings: new ForeignerRecords<BorderCrossingDoc>(models.BorderCrossing),
    watchlist: new ForeignerRecords<WatchlistEntryDoc>(models.WatchlistEntry),
    actions: new ForeignerRecords<ImmigrationActionDoc>(models.ImmigrationAction),
    /** Set once every foreigner carries its name's trigrams (index.ts, the name-trigram backfill). */
    nameTrigrams: new NameTrigramReadiness(),
  };
}

export type ImmigrationData = ReturnType<typeof immigrationData>;
