/**
 * Foreigners and the records immigration keeps about them: identity, stay permits, border
 * crossings, cekal entries and TAK. Region ancestry codes are stored beside the domicile code
 * so a region filter is an equality on one field.
 *
 * Indexes serve the reads the subgraph makes: a page of a region's foreigners (equality on one
 * ancestry field, in `_id` order) and a foreigner's records of each kind (`foreignerId` with
 * `$in`, in the order the schema promises), and a name search (`nameTrigrams`, a multikey index
 * of the name's trigrams, common/name-trigrams.ts).
 */
import { Schema, type Connection } from 'mongoose';
import type { RecordModel } from '../../../../common/db/connection.js';
import { nameTrigrams } from '../../../../common/name-trigrams.js';

export const SEXES = ['FEMALE', 'MALE'] as const;
export const PERMIT_TYPES = ['VISIT', 'LIMITED_STAY', 'PERMANENT_STAY', 'DIPLOMATIC', 'SERVICE'] as const;
export const PERMIT_STATUSES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;
export const STAY_PURPOSES = ['WORK', 'INVESTMENT', 'FAMILY', 'STUDY', 'TOURISM', 'RETIREMENT', 'DUTY'] as const;
export const SPONSOR_TYPES = ['COMPANY', 'INDIVIDUAL', 'INSTITUTION'] as const;
export const CROSSING_DIRECTIONS = ['ENTRY', 'EXIT'] as const;
export const WATCHLIST_TYPES = ['PREVENTION', 'DETERRENCE'] as const;
export const ACTION_TYPES = ['DEPORTATION', 'DETENTION', 'FINE', 'PERMIT_REVOCATION', 'ENTRY_BAN'] as const;

export type PermitType = (typeof PERMIT_TYPES)[number];
export type PermitStatus = (typeof PERMIT_STATUSES)[number];

/** The current permit, copied onto the foreigner for filters and statistics. */
export interface PermitSummary {
  number: string;
  type: PermitType;
  /** Stored status (ACTIVE or REVOKED); EXPIRED is derived from `expiresAt`. */
  status: PermitStatus;
  expiresAt: Date;
}

/**
 * The latest border crossing, copied onto the foreigner so that "overstaying" is a condition
 * on the foreigner alone (no join with the crossings, which FerretDB would scan).
 */
export interface CrossingSummary {
  direction: (typeof CROSSING_DIRECTIONS)[number];
  crossedAt: Date;
}

/** The migration that stores `lastCrossing` on foreigners written before foreigners carried it. */
export const LAST_CROSSING_MIGRATION = 'foreigner-last-crossing';

/** The migration that stores `nameTrigrams` on foreigners written before foreigners carried them. */
export const NAME_TRIGRAMS_MIGRATION = 'foreigner-name-trigrams';

export interface ForeignerDoc {
  _id: string;
  fullName: string;
  /**
   * The distinct trigrams of `fullName` folded for case (`nameFields`, common/name-trigrams.ts),
   * what a name search narrows by before its regex. Never read by the API.
   */
  nameTrigrams: string[];
  nationality: string;
  sex: (typeof SEXES)[number];
  dateOfBirth: Date;
  passportNumber: string;
  domicileRegionCode: string;
  domicileProvince: string;
  domicileRegency: string | null;
  domicileDistrict: string | null;
  currentPermit: PermitSummary | null;
  /** Derived from the border crossings; null when none is recorded. */
  lastCrossing: CrossingSummary | null;
  createdAt: Date;
  /**
   * The stamp of the tally cell the foreigner is counted in (models/foreigner-tally.ts,
   * services/foreigner-tallies.ts): the key of its DISTRICT-level cell (its REGENCY-level cell
   * follows from it), absent until the foreigner is first counted. Top-level fields, not a
   * subdocument: the engine's filter push-down (FerretDB patch 0003) serves top-level fields only.
   * Never read by the API.
   */
  tallyCell?: string;
  /** The last day (`YYYY-MM-DD`) the permit counted in `tallyCell` is in force; null when none is. */
  tallyUntil?: string | null;
  /**
   * Set beside the stamp by the tallies' migration, which stamps many foreigners at once, to find
   * which of its compare-and-sets it won (`ForeignerTallies.stampAll`); removed right after.
   */
  tallyBatch?: string;
}

export interface SponsorDoc {
  name: string;
  type: (typeof SPONSOR_TYPES)[number];
  address?: string | null;
}

export interface StayPermitDoc {
  /** The permit number. */
  _id: string;
  foreignerId: string;
  type: PermitType;
  purpose: (typeof STAY_PURPOSES)[number];
  issuedAt: Date;
  expiresAt: Date;
  status: 'ACTIVE' | 'REVOKED';
  issuingOffice: string;
  sponsor: SponsorDoc | null;
}

export interface BorderCrossingDoc {
  _id: string;
  foreignerId: string;
  direction: (typeof CROSSING_DIRECTIONS)[number];
  checkpointCode: string;
  checkpointName: string;
  crossedAt: Date;
  carrier: string | null;
}

export interface WatchlistEntryDoc {
  _id: string;
  foreignerId: string;
  type: (typeof WATCHLIST_TYPES)[number];
  reason: string;
  since: Date;
  until: Date | null;
  requestedBy: string;
}

export interface ImmigrationActionDoc {
  _id: string;
  foreignerId: string;
  type: (typeof ACTION_TYPES)[number];
  decidedAt: Date;
  reason: string;
  office: string;
}

const permitSummarySchema = new Schema<PermitSummary>(
  {
    number: { type: String, required: true },
    type: { type: String, enum: PERMIT_TYPES, required: true },
    status: { type: String, enum: PERMIT_STATUSES, required: true },
    expiresAt: { type: Date, required: true },
  },
  { _id: false },
);

const crossingSummarySchema = new Schema<CrossingSummary>(
  {
    direction: { type: String, enum: CROSSING_DIRECTIONS, required: true },
    crossedAt: { type: Date, required: true },
  },
  { _id: false },
);

const foreignerSchema = new Schema<ForeignerDoc>(
  {
    _id: { type: String, required: true },
    fullName: { type: String, required: true },
    // a multikey index: FerretDB's patch 0017 serves equality on its items from a side table
    nameTrigrams: { type: [String], index: true },
    nationality: { type: String, required: true, index: true },
    sex: { type: String, enum: SEXES, required: true },
    dateOfBirth: { type: Date, required: true },
    passportNumber: { type: String, required: true, unique: true },
    domicileRegionCode: { type: String, required: true },
    domicileProvince: { type: String, required: true },
    domicileRegency: { type: String, default: null },
    domicileDistrict: { type: String, default: null },
    currentPermit: { type: permitSummarySchema, default: null },
    lastCrossing: { type: crossingSummarySchema, default: null },
    createdAt: { type: Date, required: true },
    // no default: a foreigner not yet counted has none (what the tallies' migration looks for)
    tallyCell: { type: String, required: false },
    tallyUntil: { type: String, required: false },
    tallyBatch: { type: String, required: false },
  },
  { versionKey: false, collection: 'foreigners' },
);
// the stamps whose permit ended on one of the days since the last settling (an `$in` of days)
foreignerSchema.index({ tallyUntil: 1 });
/** Whether `stored` holds exactly the trigrams of `fullName` (in the order `nameTrigrams` gives them). */
function sameTrigrams(stored: readonly string[] | undefined, fullName: string | undefined): boolean {
  if (typeof fullName !== 'string' || !stored) return false;
  const expected = nameTrigrams(fullName);
  return stored.length === expected.length && stored.every((t, i) => t === expected[i]);
}

// A document's name and its trigrams are written together (`nameFields`)
foreignerSchema.pre('validate', function () {
  if (!sameTrigrams(this.nameTrigrams, this.fullName)) {
    throw new Error("a foreigner's nameTrigrams must be the trigrams of its fullName: write both with nameFields()");
  }
});
// An update that sets the name must set its trigrams with it (`nameFields`): update validators
// do not run by default, so the check is here, for every kind of update mongoose sends.
for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'] as const) {
  foreignerSchema.pre(op, function () {
    const update = this.getUpdate() as Record<string, unknown> | null;
    if (!update) return;
    const set = { ...update, ...((update.$set as Record<string, unknown> | undefined) ?? {}) };
    if (!('fullName' in set) && !('nameTrigrams' in set)) return;
    if (!sameTrigrams(set.nameTrigrams as string[] | undefined, set.fullName as string | undefined)) {
      throw new Error("an update of a foreigner's fullName must set its nameTrigrams: use nameFields()");
    }
  });
}
// a region's page: equality on the field of the region's level, then keyset on `_id`
for (const field of ['domicileProvince', 'domicileRegency', 'domicileDistrict', 'domicileRegionCode']) {
  foreignerSchema.index({ [field]: 1, _id: 1 });
}

const sponsorSchema = new Schema<SponsorDoc>(
  {
    name: { type: String, required: true },
    type: { type: String, enum: SPONSOR_TYPES, required: true },
    address: { type: String, default: null },
  },
  { _id: false },
);

const stayPermitSchema = new Schema<StayPermitDoc>(
  {
    _id: { type: String, required: true },
    foreignerId: { type: String, required: true },
    type: { type: String, enum: PERMIT_TYPES, required: true },
    purpose: { type: String, enum: STAY_PURPOSES, required: true },
    issuedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    status: { type: String, enum: ['ACTIVE', 'REVOKED'], required: true },
    issuingOffice: { type: String, required: true },
    sponsor: { type: sponsorSchema, default: null },
  },
  { versionKey: false, collection: 'stay_permits' },
);
stayPermitSchema.index({ foreignerId: 1, expiresAt: -1, _id: 1 });

const borderCrossingSchema = new Schema<BorderCrossingDoc>(
  {
    _id: { type: String, required: true },
    foreignerId: { type: String, required: true },
    direction: { type: String, enum: CROSSING_DIRECTIONS, required: true },
    checkpointCode: { type: String, required: true },
    checkpointName: { type: String, required: true },
    crossedAt: { type: Date, required: true },
    carrier: { type: String, default: null },
  },
  { versionKey: false, collection: 'border_crossings' },
);
borderCrossingSchema.index({ foreignerId: 1, crossedAt: -1, _id: 1 });

const watchlistEntrySchema = new Schema<WatchlistEntryDoc>(
  {
    _id: { type: String, required: true },
    foreignerId: { type: String, required: true },
    type: { type: String, enum: WATCHLIST_TYPES, required: true },
    reason: { type: String, required: true },
    since: { type: Date, required: true },
    until: { type: Date, default: null },
    requestedBy: { type: String, required: true },
  },
  { versionKey: false, collection: 'watchlist_entries' },
);
watchlistEntrySchema.index({ foreignerId: 1, since: -1, _id: 1 });

const immigrationActionSchema = new Schema<ImmigrationActionDoc>(
  {
    _id: { type: String, required: true },
    foreignerId: { type: String, required: true },
    type: { type: String, enum: ACTION_TYPES, required: true },
    decidedAt: { type: Date, required: true },
    reason: { type: String, required: true },
    office: { type: String, required: true },
  },
  { versionKey: false, collection: 'immigration_actions' },
);
immigrationActionSchema.index({ foreignerId: 1, decidedAt: -1, _id: 1 });

export interface ForeignerModels {
  Foreigner: RecordModel<ForeignerDoc>;
  StayPermit: RecordModel<StayPermitDoc>;
  BorderCrossing: RecordModel<BorderCrossingDoc>;
  WatchlistEntry: RecordModel<WatchlistEntryDoc>;
  ImmigrationAction: RecordModel<ImmigrationActionDoc>;
}

export function foreignerModels(connection: Connection): ForeignerModels {
  return {
    Foreigner: connection.model('Foreigner', foreignerSchema),
    StayPermit: connection.model('StayPermit', stayPermitSchema),
    BorderCrossing: connection.model('BorderCrossing', borderCrossingSchema),
    WatchlistEntry: connection.model('WatchlistEntry', watchlistEntrySchema),
    ImmigrationAction: connection.model('ImmigrationAction', immigrationActionSchema),
  };
}
