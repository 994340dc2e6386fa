/**
 * Counters of foreigners ("tallies") that the exact statistics read instead of every foreigner
 * of a region (docs/architecture.md, "Data design"): one document per cell — a region at the
 * PROVINCE, REGENCY or DISTRICT level, a nationality (or `*`, every nationality: a roll-up), the type
 * of the permit in force (null: none) and a state (present, abroad with a permit in force, no
 * permit in force) — holding how many foreigners are in it. Each foreigner is counted in two
 * cells of each level, its nationality's and the roll-up; its stamp
 * (`tallyCell`, `tallyUntil` in models/foreigner.ts) names the cell it is counted in
 * (services/foreigner-tallies.ts).
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';
import type { PermitType } from './foreigner.js';

export const TALLY_LEVELS = ['PROVINCE', 'REGENCY', 'DISTRICT'] as const;
export type TallyLevel = (typeof TALLY_LEVELS)[number];

/**
 * PRESENT: a permit in force today and the last crossing not an exit (population.ts
 * `isPresent`); ABROAD: a permit in force, the last crossing an exit; NONE: no permit in force.
 */
export const TALLY_STATES = ['PRESENT', 'ABROAD', 'NONE'] as const;
export type TallyState = (typeof TALLY_STATES)[number];

/** The migration that stamps and counts the foreigners written before the tallies existed. */
export const TALLIES_MIGRATION = 'foreigner-tallies';
/**
 * The migration that adds the roll-up cells of every nationality (`ALL_NATIONALITIES`) to the
 * counters of a database counted before they existed: the cells are mended to the stamps.
 */
export const TALLY_ROLLUPS_MIGRATION = 'foreigner-tally-rollups';

export interface ForeignerTallyDoc {
  /** The cell's key (`tallyCells`). */
  _id: string;
  level: TallyLevel;
  province: string;
  /** Null at the PROVINCE level. */
  regency: string | null;
  /** Null at the PROVINCE and REGENCY levels. */
  district: string | null;
  /** `*` in the roll-up cells of every nationality (`ALL_NATIONALITIES`). */
  nationality: string;
  /** The type of the permit in force; null when none is. */
  permitType: PermitType | null;
  state: TallyState;
  count: number;
}

/**
 * Through which day the stamps of one time zone's foreigners were settled (`_id`: `day:WIB`,
 * `day:WITA`, `day:WIT`; `day`: `YYYY-MM-DD`): a permit expires with the calendar, without a
 * write, so the first statistics read of a new day settles the stamps that expired since.
 */
export interface TallyDayDoc {
  _id: string;
  day: string;
}

const tallySchema = new Schema<ForeignerTallyDoc>(
  {
    _id: { type: String, required: true },
    level: { type: String, enum: TALLY_LEVELS, required: true },
    province: { type: String, required: true },
    regency: { type: String, default: null },
    district: { type: String, default: null },
    nationality: { type: String, required: true },
    permitType: { type: String, default: null },
    state: { type: String, enum: TALLY_STATES, required: true },
    count: { type: Number, required: true },
  },
  { versionKey: false, collection: 'foreigner_tallies' },
);
// national asks read PROVINCE cells, province asks PROVINCE or REGENCY cells of a province, regency
// asks REGENCY or DISTRICT cells of a regency; an ask not grouped by nationality only the roll-ups
// (nationality `*`), which the third field finds without reading the nationalities' cells
tallySchema.index({ level: 1, province: 1, nationality: 1 });
tallySchema.index({ level: 1, regency: 1, nationality: 1 });

const tallyDaySchema = new Schema<TallyDayDoc>(
  { _id: { type: String, required: true }, day: { type: String, required: true } },
  { versionKey: false, collection: 'foreigner_tally_days' },
);

export interface TallyModels {
  ForeignerTally: RecordModel<ForeignerTallyDoc>;
  TallyDay: RecordModel<TallyDayDoc>;
}

/** The models on `connection`, compiled on the first call (the subgraph, the seed and tests may each ask). */
export function tallyModels(connection: Connection): TallyModels {
  return {
    ForeignerTally:
      (connection.models.ForeignerTally as RecordModel<ForeignerTallyDoc> | undefined) ??
      connection.model('ForeignerTally', tallySchema),
    TallyDay:
      (connection.models.TallyDay as RecordModel<TallyDayDoc> | undefined) ??
      connection.model('TallyDay', tallyDaySchema),
  };
}
