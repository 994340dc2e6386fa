/**
 * Retention rules, per subgraph and collection (README, "Retention"): what is kept how long at
 * full detail, what becomes of it then, and what holds it back. Every rule is idempotent — a
 * record already changed is not selected again — and orders its writes so that a run stopped
 * midway leaves nothing half-done that a rerun does not finish (FerretDB has no transactions).
 *
 * Ages are whole years counted back from today on the hub's clock, in the time zone of the
 * record's region (WIB, WITA or WIT, `common/time-zones.ts`) where the record has one
 * (foreigners by domicile, incidents, SKLD, SKTT, employment, community reports): one `$or`
 * branch per zone on the record's province field (`olderThan`). Records without a region
 * (stay permits, crossings, cekal, TAK, the access log) take the strictest safe choice, the
 * earliest cutoff of the three zones (`yearsAgo`): nothing is aged before its day has turned
 * everywhere. Holds ("a permit in force", "a residence still valid") are judged likewise on the
 * earliest "today" of the three zones, so a record is held rather than released early. A
 * record whose province is in no zone of the official list is never selected by age.
 */
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AccessLog } from '../audit/access-log.js';
import type { AccessLogKeys } from '../audit/access-log-keys.js';
import type { RetentionConfig } from '../config/retention.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../config/services.js';
import { now } from '../clock.js';
import { nationalTimeZones } from '../regions.js';
import { TIME_ZONES, todayIn, type RegionTimeZone } from '../time-zones.js';
import { summariseAccessLog } from './access-log.js';
import type { RetentionRule, RuleOutcome } from './rule.js';

/** A rule without its work: what docs/privacy.md and the report say of it. */
export type RuleDoc = Omit<RetentionRule, 'apply'> & { setting: keyof typeof RULE_SETTINGS };

/** The configuration variable of each rule's age (README, "Configuration"). */
const RULE_SETTINGS = {
  RETENTION_ACCESS_LOG_YEARS: 'accessLogYears',
  RETENTION_FOREIGNER_YEARS: 'foreignerYears',
  RETENTION_PERMIT_YEARS: 'permitYears',
  RETENTION_INCIDENT_YEARS: 'incidentYears',
} as const satisfies Record<string, keyof RetentionConfig>;

type RuledCollection =
  | 'access_log'
  | 'foreigners'
  | 'stay_permits'
  | 'border_crossings'
  | 'watchlist_entries'
  | 'immigration_actions'
  | 'incidents'
  | 'self_report_certificates'
  | 'residences'
  | 'employments'
  | 'community_reports';

function ruleDoc(collection: RuledCollection, years: number, subgraph: SubgraphName = 'immigration'): RuleDoc {
  switch (collection) {
    case 'access_log':
      return {
        subgraph,
        collection,
        setting: 'RETENTION_ACCESS_LOG_YEARS',
        action: 'summarised',
        describe: `records older than ${years} years: summarised into a checkpoint signed with the agency's access-log key (counts per agency, purpose, outcome and month), then deleted`,
        holds:
          'every record from the first one younger than the rule on; a chain that does not verify is not summarised',
      };
    case 'foreigners':
      return {
        subgraph: 'immigration',
        collection,
        setting: 'RETENTION_FOREIGNER_YEARS',
        action: 'pseudonymised',
        describe: `left the country (last crossing an exit) more than ${years} years ago: name and passport number replaced, date of birth kept as its year, the permits' sponsors removed; id, nationality, sex, domicile, permit summary and last crossing stay`,
        holds:
          'a permit not yet expired, a current cekal entry, an open incident (police), a residence registration still valid (local government)',
      };
    case 'stay_permits':
      return {
        subgraph: 'immigration',
        collection,
        setting: 'RETENTION_PERMIT_YEARS',
        action: 'deleted',
        describe: `expired more than ${years} years ago: deleted`,
        holds: "the foreigner's current permit (what the foreigner's permit summary names)",
      };
    case 'border_crossings':
      return {
        subgraph: 'immigration',
        collection,
        setting: 'RETENTION_FOREIGNER_YEARS',
        action: 'reduced',
        describe: `of a pseudonymised foreigner and more than ${years} years old: the carrier (airline, ship, flight) is removed; date, direction and checkpoint stay (the foreigner's last crossing is derived from them)`,
        holds: 'the crossings of a foreigner not pseudonymised (the foreigner rule and its holds decide)',
      };
    case 'watchlist_entries':
      return {
        subgraph: 'immigration',
        collection,
        setting: 'RETENTION_FOREIGNER_YEARS',
        action: 'deleted',
        describe: `ended (its \`until\` passed) more than ${years} years ago: deleted`,
        holds: 'none beyond the age: a current entry (no end, or an end not yet passed) is never selected',
      };
    case 'immigration_actions':
      return {
        subgraph: 'immigration',
        collection,
        setting: 'RETENTION_FOREIGNER_YEARS',
        action: 'reduced',
        describe: `decided more than ${years} years ago: the reason (free text) is replaced; type, date and office stay`,
        holds: 'a foreigner still in the country (last crossing not an exit), an open incident (police)',
      };
    case 'incidents':
      return {
        subgraph: 'police',
        collection,
        setting: 'RETENTION_INCIDENT_YEARS',
        action: 'reduced',
        describe: `closed (resolved or transferred) and occurred more than ${years} years ago: the summary is replaced; category, date, region, status and parties stay`,
        holds: 'an incident still reported or under investigation',
      };
    case 'self_report_certificates':
      return {
        subgraph: 'police',
        collection,
        setting: 'RETENTION_FOREIGNER_YEARS',
        action: 'pseudonymised',
        describe: `valid until more than ${years} years ago: the reported address is replaced; number, dates, issuing unit and region stay`,
        holds: "a foreigner's latest SKLD while the foreigner is still in the country (immigration)",
      };
    case 'residences':
      return {
        subgraph: 'local-government',
        collection,
        setting: 'RETENTION_FOREIGNER_YEARS',
        action: 'pseudonymised',
        describe: `valid until more than ${years} years ago: the address is replaced; region and dates stay`,
        holds: 'none beyond the age: a registration still valid is younger than the rule',
      };
    case 'employments':
      return {
        subgraph: 'local-government',
        collection,
        setting: 'RETENTION_FOREIGNER_YEARS',
        action: 'pseudonymised',
        describe: `ended more than ${years} years ago: the employer (a company or a person) is replaced; sector, position, work permit number, region and dates stay`,
        holds: 'none beyond the age: an employment not ended is never selected',
      };
    case 'community_reports':
      return {
        subgraph: 'local-government',
        collection,
        setting: 'RETENTION_INCIDENT_YEARS',
        action: 'reduced',
        describe: `closed and reported more than ${years} years ago: the reporter and the description (free text) are replaced; category, region, date, status and foreigner stay`,
        holds: 'a report not closed (received, verified, or forwarded to another agency)',
      };
  }
}

/** Every rule of the hub as `config` sets it (a rule of 0 years is off, and left out). */
export function describeRules(config: RetentionConfig): RuleDoc[] {
  const docs: RuleDoc[] = SUBGRAPH_NAMES.map((n) => ruleDoc('access_log', config.accessLogYears, n));
  docs.push(
    ruleDoc('foreigners', config.foreignerYears),
    ruleDoc('stay_permits', config.permitYears),
    ruleDoc('border_crossings', config.foreignerYears),
    ruleDoc('watchlist_entries', config.foreignerYears),
    ruleDoc('immigration_actions', config.foreignerYears),
    ruleDoc('incidents', config.incidentYears),
    ruleDoc('self_report_certificates', config.foreignerYears),
    ruleDoc('residences', config.foreignerYears),
    ruleDoc('employments', config.foreignerYears),
    ruleDoc('community_reports', config.incidentYears),
  );
  return docs.filter((d) => config[RULE_SETTINGS[d.setting]] > 0);
}

/** What replaces a pseudonymised or reduced text. */
export const PSEUDONYMISED = '[dipseudonimkan]';
export const REDUCED = '[diringkas: retensi]';

/** Foreigners (by id) held by another agency's open case: an incident under way, a valid residence. */
export type ForeignerHold = (foreignerIds: string[]) => Promise<Set<string>>;

/** Whether a rule's age field holds a calendar date (stored as UTC midnight) or an instant. */
export type AgeField = 'date' | 'instant';

/**
 * The cutoff `years` whole years before today in `zone`: the calendar date (UTC midnight, how
 * dates are stored), or for an instant field the instant that date begins in the zone.
 */
export function cutoffIn(zone: RegionTimeZone, years: number, kind: AgeField, at: Date = now()): Date {
  const date = todayIn(zone, at);
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return kind === 'date' ? date : new Date(date.getTime() - zone.utcOffsetHours * 3_600_000);
}

/** The earliest of a date in the three zones: the strictest safe choice for a record without a region. */
function earliest(of: (zone: RegionTimeZone) => Date): Date {
  return new Date(Math.min(...Object.values(TIME_ZONES).map((zone) => of(zone).getTime())));
}

/**
 * The cutoff `years` whole years before today for a record without a region: the earliest of
 * the three zones (see the module's note).
 */
export function yearsAgo(years: number, at: Date = now(), kind: AgeField = 'date'): Date {
  return earliest((zone) => cutoffIn(zone, years, kind, at));
}

/** "Today" for a hold on a record without a region: the earliest of the three zones' todays. */
function holdToday(at: Date = now()): Date {
  return earliest((zone) => todayIn(zone, at));
}

/**
 * The condition "`field` is more than `years` whole years old", judged in the zone of each
 * record's region (its province field `provinceField`): one `$or` branch per zone.
 */
export async function olderThan(
  field: string,
  years: number,
  kind: AgeField,
  provinceField: string,
  at: Date = now(),
): Promise<Record<string, unknown>> {
  const zones = await nationalTimeZones();
  return {
    $or: [...zones].map(([zone, provinces]) => ({
      [provinceField]: { $in: provinces },
      [field]: { $lt: cutoffIn(zone, years, kind, at) },
    })),
  };
}

const OPEN_INCIDENT = ['REPORTED', 'UNDER_INVESTIGATION'];
const CLOSED_INCIDENT = ['RESOLVED', 'TRANSFERRED'];

interface ForeignerRow {
  _id: string;
  currentPermit: { status: string; expiresAt: Date } | null;
}

/** Foreigners of `ids` whose own immigration records hold them: a valid permit or a current cekal entry. */
async function immigrationHolds(db: Connection, ids: string[], today: Date): Promise<Set<string>> {
  const [permits, watchlist] = await Promise.all([
    db
      .collection('stay_permits')
      .distinct('foreignerId', { foreignerId: { $in: ids }, status: 'ACTIVE', expiresAt: { $gte: today } }),
    db
      .collection('watchlist_entries')
      .distinct('foreignerId', { foreignerId: { $in: ids }, $or: [{ until: null }, { until: { $gte: today } }] }),
  ]);
  return new Set([...permits, ...watchlist].map(String));
}

/**
 * Foreigners who left the country more than `years` ago (their last crossing an exit) lose
 * their name and passport number, and their date of birth keeps only its year; the id,
 * nationality, sex, domicile, permit summary and last crossing stay, so statistics stay right.
 */
function foreignerRule(db: Connection, years: number, externalHolds: ForeignerHold[]): RetentionRule {
  return {
    ...ruleDoc('foreigners', years),
    async apply(dryRun) {
      const today = holdToday();
      const candidates = await db
        .collection<ForeignerRow>('foreigners')
        .find(
          {
            fullName: { $ne: PSEUDONYMISED },
            'lastCrossing.direction': 'EXIT',
            ...(await olderThan('lastCrossing.crossedAt', years, 'instant', 'domicileProvince')),
          },
          { projection: { _id: 1, currentPermit: 1 } },
        )
        .toArray();
      const ids = candidates.map((c) => c._id);
      const held = new Set<string>();
      for (const hold of [(i: string[]) => immigrationHolds(db, i, today), ...externalHolds]) {
        for (const id of await hold(ids)) held.add(id);
      }
      for (const c of candidates) {
        const permit = c.currentPermit;
        if (permit && permit.status === 'ACTIVE' && new Date(permit.expiresAt) >= today) held.add(c._id);
      }
      const chosen = ids.filter((id) => !held.has(id));
      if (!dryRun) {
        for (const id of chosen) {
          const pseudonym = `PSEUDONIM-${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
          const row = await db.collection<{ dateOfBirth: Date }>('foreigners').findOne({ _id: id as never });
          const birthYear = row ? new Date(row.dateOfBirth).getUTCFullYear() : 1900;
          // the sponsor of a permit names a person or company beside the foreigner: it goes first,
          // so the foreigner's own marker (what a rerun skips on) is written last
          await db.collection('stay_permits').updateMany({ foreignerId: id }, { $set: { sponsor: null } });
          await db.collection('foreigners').updateOne(
            { _id: id as never },
            {
              $set: {
                fullName: PSEUDONYMISED,
                passportNumber: pseudonym,
                dateOfBirth: new Date(Date.UTC(birthYear, 0, 1)),
              },
            },
          );
        }
      }
      return { changed: chosen.length, held: held.size };
    },
  };
}

/** Stay permits expired more than `years` ago are deleted, unless a foreigner's current permit. */
function permitRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('stay_permits', years),
    async apply(dryRun) {
      const filter = { expiresAt: { $lt: yearsAgo(years) } };
      const expired = await db.collection('stay_permits').distinct('_id', filter);
      const current = new Set(
        (
          await db
            .collection('foreigners')
            .distinct('currentPermit.number', { 'currentPermit.number': { $in: expired } })
        ).map(String),
      );
      const chosen = expired.map(String).filter((id) => !current.has(id));
      if (!dryRun && chosen.length > 0) {
        await db.collection('stay_permits').deleteMany({ _id: { $in: chosen as never[] }, ...filter });
      }
      return { changed: chosen.length, held: current.size };
    },
  };
}

/** Sets `set` on the records `filter` selects (with `dryRun`, only counts them): how many it changed. */
async function updateWhere(
  db: Connection,
  collection: RuledCollection,
  filter: Record<string, unknown>,
  set: Record<string, unknown>,
  dryRun: boolean,
): Promise<number> {
  const records = db.collection(collection);
  return dryRun ? records.countDocuments(filter) : (await records.updateMany(filter, { $set: set })).modifiedCount;
}

/** Closed incidents older than `years` keep what statistics need; their summary (free text) goes. */
function incidentRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('incidents', years),
    async apply(dryRun) {
      const old = {
        ...(await olderThan('occurredAt', years, 'instant', 'regionProvince')),
        summary: { $ne: REDUCED },
      };
      const held = await db.collection('incidents').countDocuments({ ...old, status: { $in: OPEN_INCIDENT } });
      const filter = { ...old, status: { $in: CLOSED_INCIDENT } };
      return { changed: await updateWhere(db, 'incidents', filter, { summary: REDUCED }, dryRun), held };
    },
  };
}

/** Residence registrations that ended more than `years` ago lose their address; region and dates stay. */
function residenceRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('residences', years),
    async apply(dryRun) {
      const filter = {
        ...(await olderThan('validUntil', years, 'date', 'regionProvince')),
        address: { $ne: PSEUDONYMISED },
      };
      return { changed: await updateWhere(db, 'residences', filter, { address: PSEUDONYMISED }, dryRun), held: 0 };
    },
  };
}

/**
 * Border crossings more than `years` old of a foreigner already pseudonymised (the foreigner
 * rule and its holds decided) lose their carrier; date, direction and checkpoint stay, since the
 * foreigner's last crossing, and with it the overstay condition and the statistics, is derived
 * from them (`refreshCrossingSummary`). Deleting them would make a foreigner who left look present.
 */
function crossingRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('border_crossings', years),
    async apply(dryRun) {
      const old = { crossedAt: { $lt: yearsAgo(years, now(), 'instant') }, carrier: { $ne: null } };
      const pseudonymised = await db.collection('foreigners').distinct('_id', { fullName: PSEUDONYMISED });
      const held = await db
        .collection('border_crossings')
        .countDocuments({ ...old, foreignerId: { $nin: pseudonymised } });
      const filter = { ...old, foreignerId: { $in: pseudonymised } };
      return { changed: await updateWhere(db, 'border_crossings', filter, { carrier: null }, dryRun), held };
    },
  };
}

/** Cekal entries that ended more than `years` ago are deleted; a current one is never selected. */
function watchlistRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('watchlist_entries', years),
    async apply(dryRun) {
      const filter = { until: { $ne: null, $lt: yearsAgo(years) } };
      const entries = db.collection('watchlist_entries');
      const changed = dryRun ? await entries.countDocuments(filter) : (await entries.deleteMany(filter)).deletedCount;
      return { changed, held: 0 };
    },
  };
}

/** Records (by id) whose foreigner a hold keeps, among `rows`: each hold asked once for all their foreigners. */
async function heldByForeigner(
  rows: { _id: unknown; foreignerId: string }[],
  holds: ForeignerHold[],
): Promise<Set<string>> {
  const ids = [...new Set(rows.map((r) => r.foreignerId))];
  const kept = new Set<string>();
  for (const hold of holds) for (const id of await hold(ids)) kept.add(id);
  return new Set(rows.filter((r) => kept.has(r.foreignerId)).map((r) => String(r._id)));
}

/**
 * TAK decided more than `years` ago lose their reason (free text); type, date and office stay.
 * Held while the foreigner is still in the country, or an incident about them is open (police).
 */
function actionRule(db: Connection, years: number, openIncident: ForeignerHold): RetentionRule {
  return {
    ...ruleDoc('immigration_actions', years),
    async apply(dryRun) {
      const old = { decidedAt: { $lt: yearsAgo(years, now(), 'instant') }, reason: { $ne: REDUCED } };
      const rows = await db
        .collection<{ _id: string; foreignerId: string }>('immigration_actions')
        .find(old, { projection: { _id: 1, foreignerId: 1 } })
        .toArray();
      const held = await heldByForeigner(rows, [presenceHold(db), openIncident]);
      const chosen = rows.map((r) => r._id).filter((id) => !held.has(id));
      const filter = { ...old, _id: { $in: chosen } };
      return {
        changed: await updateWhere(db, 'immigration_actions', filter, { reason: REDUCED }, dryRun),
        held: held.size,
      };
    },
  };
}

/**
 * SKLD valid until more than `years` ago lose the reported address; number, dates, unit and
 * region stay. A foreigner's latest SKLD is held while the foreigner is still in the country
 * (immigration's record): it is where the police last knew them to live.
 */
function selfReportRule(db: Connection, years: number, present: ForeignerHold): RetentionRule {
  return {
    ...ruleDoc('self_report_certificates', years),
    async apply(dryRun) {
      const old = {
        ...(await olderThan('validUntil', years, 'date', 'regionProvince')),
        address: { $ne: PSEUDONYMISED },
      };
      const certificates = db.collection<{ _id: string; foreignerId: string }>('self_report_certificates');
      const rows = await certificates.find(old, { projection: { _id: 1, foreignerId: 1 } }).toArray();
      const stillHere = await present([...new Set(rows.map((r) => r.foreignerId))]);
      const latest = new Map<string, string>();
      const theirs = await certificates
        .find({ foreignerId: { $in: [...stillHere] } }, { projection: { _id: 1, foreignerId: 1 } })
        .sort({ issuedAt: -1, _id: 1 })
        .toArray();
      for (const c of theirs) if (!latest.has(c.foreignerId)) latest.set(c.foreignerId, c._id);
      const held = new Set(latest.values());
      const chosen = rows.map((r) => r._id).filter((id) => !held.has(id));
      const filter = { ...old, _id: { $in: chosen } };
      const changed = await updateWhere(db, 'self_report_certificates', filter, { address: PSEUDONYMISED }, dryRun);
      return { changed, held: rows.length - chosen.length };
    },
  };
}

/** Employment that ended more than `years` ago loses its employer; sector, position, permit, region and dates stay. */
function employmentRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('employments', years),
    async apply(dryRun) {
      const filter = {
        endedOn: { $ne: null },
        ...(await olderThan('endedOn', years, 'date', 'regionProvince')),
        employer: { $ne: PSEUDONYMISED },
      };
      return { changed: await updateWhere(db, 'employments', filter, { employer: PSEUDONYMISED }, dryRun), held: 0 };
    },
  };
}

/**
 * Closed community reports made more than `years` ago lose the reporter and the description
 * (one write per report, both together); category, region, date, status and foreigner stay.
 */
function communityReportRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('community_reports', years),
    async apply(dryRun) {
      const old = {
        ...(await olderThan('reportedAt', years, 'instant', 'regionProvince')),
        description: { $ne: REDUCED },
      };
      const held = await db.collection('community_reports').countDocuments({ ...old, status: { $ne: 'CLOSED' } });
      const filter = { ...old, status: 'CLOSED' };
      const set = { description: REDUCED, reportedBy: PSEUDONYMISED };
      return { changed: await updateWhere(db, 'community_reports', filter, set, dryRun), held };
    },
  };
}

function accessLogRule(subgraph: SubgraphName, log: AccessLog, years: number): RetentionRule {
  return {
    ...ruleDoc('access_log', years, subgraph),
    apply: (dryRun) => summariseAccessLog(log, yearsAgo(years, now(), 'instant'), dryRun),
  };
}

/** The holds another agency's database gives on immigration's foreigners. */
export function policeHold(police: Connection): ForeignerHold {
  return async (ids) =>
    new Set(
      (
        await police.collection('incidents').distinct('foreignerIds', {
          foreignerIds: { $in: ids },
          status: { $in: OPEN_INCIDENT },
        })
      ).map(String),
    );
}

export function localGovernmentHold(localGovernment: Connection): ForeignerHold {
  return async (ids) =>
    new Set(
      (
        await localGovernment
          .collection('residences')
          .distinct('foreignerId', { foreignerId: { $in: ids }, validUntil: { $gte: holdToday() } })
      ).map(String),
    );
}

/** Foreigners of `ids` still in the country by immigration's record: their last crossing is not an exit (or none). */
export function presenceHold(immigration: Connection): ForeignerHold {
  return async (ids) =>
    new Set(
      (
        await immigration
          .collection('foreigners')
          .distinct('_id', { _id: { $in: ids as never[] }, 'lastCrossing.direction': { $ne: 'EXIT' } })
      ).map(String),
    );
}

/** The holds on foreigners that lie in another agency's database, which only `npm run retention` sees. */
export interface AgencyHolds {
  /** An incident still reported or under investigation (police). */
  openIncident: ForeignerHold;
  /** A residence registration still valid (local government). */
  validResidence: ForeignerHold;
  /** Still in the country (immigration). */
  present: ForeignerHold;
}

/**
 * The rules of one subgraph over its own database. `holds`: the other agencies' holds on
 * foreigners; without them (a subgraph's scheduled job sees only its own database), the rules
 * that need them — foreigners, TAK, SKLD — are left to `npm run retention`, which never changes
 * what an open case elsewhere still needs. A rule of 0 years is off.
 */
export function subgraphRules(
  subgraph: SubgraphName,
  db: Connection,
  log: AccessLog,
  config: RetentionConfig,
  holds: AgencyHolds | null = null,
): RetentionRule[] {
  const { foreignerYears: foreigner, permitYears: permit, incidentYears: incident } = config;
  const rules: [number, () => RetentionRule][] = [
    [config.accessLogYears, () => accessLogRule(subgraph, log, config.accessLogYears)],
  ];
  if (subgraph === 'immigration') {
    // the foreigner rule first: the crossings of those it pseudonymises are reduced in the same run
    if (holds) rules.push([foreigner, () => foreignerRule(db, foreigner, [holds.openIncident, holds.validResidence])]);
    rules.push([permit, () => permitRule(db, permit)]);
    rules.push([foreigner, () => crossingRule(db, foreigner)]);
    rules.push([foreigner, () => watchlistRule(db, foreigner)]);
    if (holds) rules.push([foreigner, () => actionRule(db, foreigner, holds.openIncident)]);
  }
  if (subgraph === 'police') {
    rules.push([incident, () => incidentRule(db, incident)]);
    if (holds) rules.push([foreigner, () => selfReportRule(db, foreigner, holds.present)]);
  }
  if (subgraph === 'local-government') {
    rules.push([foreigner, () => residenceRule(db, foreigner)]);
    rules.push([foreigner, () => employmentRule(db, foreigner)]);
    rules.push([incident, () => communityReportRule(db, incident)]);
  }
  return rules.filter(([years]) => years > 0).map(([, make]) => make());
}

/** Applies rules in order; one that fails stops the run (its own writes are safe to redo). */
export async function applyRules(rules: RetentionRule[], dryRun: boolean): Promise<RuleOutcome[]> {
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    const result = await rule.apply(dryRun);
    outcomes.push({ subgraph: rule.subgraph, collection: rule.collection, action: rule.action, ...result });
  }
  return outcomes;
}

/** The report's lines: per agency and collection, what changed (or would) and what was held. */
export function formatOutcomes(outcomes: RuleOutcome[], dryRun: boolean): string[] {
  return outcomes.map(
    (o) =>
      `${o.subgraph.padEnd(16)} ${o.collection.padEnd(24)} ${dryRun ? 'would be ' : ''}${o.action}: ${o.changed}` +
      (o.held > 0 ? ` (held: ${o.held})` : ''),
  );
}

/**
 * Every rule of the hub over the three databases (`npm run retention`): the rules on
 * foreigners, TAK and SKLD with the other agencies' holds. `keys`: each agency's access-log keys, with
 * the private key (a checkpoint is signed).
 */
export function hubRules(
  connections: Record<SubgraphName, Connection>,
  keys: Record<SubgraphName, AccessLogKeys>,
  config: RetentionConfig,
): RetentionRule[] {
  const holds: AgencyHolds = {
    openIncident: policeHold(connections.police),
    validResidence: localGovernmentHold(connections['local-government']),
    present: presenceHold(connections.immigration),
  };
  return SUBGRAPH_NAMES.flatMap((name) =>
    subgraphRules(name, connections[name], new AccessLog(connections[name], keys[name]), config, holds),
  );
}
