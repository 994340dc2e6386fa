/**
 * Retention rules, per subgraph and collection (README, "Retention"): what is kept how long at
 * full detail, what becomes of it then, and what holds it back. Every rule is idempotent — a
 * record already changed is not selected again — and orders its writes so that a run stopped
 * midway leaves nothing half-done that a rerun does not finish (FerretDB has no transactions).
 *
 * Ages are whole years counted back from today's date in UTC (`startOfTodayUtc`): the hub has
 * no per-province time-zone helper, and for rules measured in years the few hours between WIB,
 * WITA and WIT and UTC move a record by at most one day.
 */
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AccessLog } from '../audit/access-log.js';
import type { AccessLogKeys } from '../audit/access-log-keys.js';
import { SUBGRAPH_NAMES, type RetentionConfig, type SubgraphName } from '../config.js';
import { startOfTodayUtc } from '../dates.js';
import { summariseAccessLog } from './access-log.js';

/** What a rule changed (or would change) and how many records it held back. */
export interface RuleResult {
  changed: number;
  held: number;
}

export interface RetentionRule {
  subgraph: SubgraphName;
  collection: string;
  /** What becomes of a record: summarised, pseudonymised, deleted, reduced. */
  action: string;
  /** The rule in words, for the report and docs/privacy.md. */
  describe: string;
  /** The holds in words. */
  holds: string;
  apply(dryRun: boolean): Promise<RuleResult>;
}

export interface RuleOutcome extends RuleResult {
  subgraph: SubgraphName;
  collection: string;
  action: string;
}

/** A rule without its work: what docs/privacy.md and the report say of it. */
export type RuleDoc = Omit<RetentionRule, 'apply'> & { setting: keyof typeof RULE_SETTINGS };

/** The configuration variable of each rule's age (README, "Configuration"). */
const RULE_SETTINGS = {
  RETENTION_ACCESS_LOG_YEARS: 'accessLogYears',
  RETENTION_FOREIGNER_YEARS: 'foreignerYears',
  RETENTION_PERMIT_YEARS: 'permitYears',
  RETENTION_INCIDENT_YEARS: 'incidentYears',
} as const satisfies Record<string, keyof RetentionConfig>;

type RuledCollection = 'access_log' | 'foreigners' | 'stay_permits' | 'incidents' | 'residences';

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
    case 'incidents':
      return {
        subgraph: 'police',
        collection,
        setting: 'RETENTION_INCIDENT_YEARS',
        action: 'reduced',
        describe: `closed (resolved or transferred) and occurred more than ${years} years ago: the summary is replaced; category, date, region, status and parties stay`,
        holds: 'an incident still reported or under investigation',
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
  }
}

/** Every rule of the hub as `config` sets it (a rule of 0 years is off, and left out). */
export function describeRules(config: RetentionConfig): RuleDoc[] {
  const docs: RuleDoc[] = SUBGRAPH_NAMES.map((n) => ruleDoc('access_log', config.accessLogYears, n));
  docs.push(
    ruleDoc('foreigners', config.foreignerYears),
    ruleDoc('stay_permits', config.permitYears),
    ruleDoc('incidents', config.incidentYears),
    ruleDoc('residences', config.foreignerYears),
  );
  return docs.filter((d) => config[RULE_SETTINGS[d.setting]] > 0);
}

/** What replaces a pseudonymised or reduced text. */
export const PSEUDONYMISED = '[dipseudonimkan]';
export const REDUCED = '[diringkas: retensi]';

/** Foreigners (by id) held by another agency's open case: an incident under way, a valid residence. */
export type ForeignerHold = (foreignerIds: string[]) => Promise<Set<string>>;

/** The date `years` whole years before today (UTC). */
export function yearsAgo(years: number, now = new Date()): Date {
  const today = startOfTodayUtc(now);
  today.setUTCFullYear(today.getUTCFullYear() - years);
  return today;
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
      const today = startOfTodayUtc();
      const candidates = await db
        .collection<ForeignerRow>('foreigners')
        .find(
          {
            fullName: { $ne: PSEUDONYMISED },
            'lastCrossing.direction': 'EXIT',
            'lastCrossing.crossedAt': { $lt: yearsAgo(years) },
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

/** Closed incidents older than `years` keep what statistics need; their summary (free text) goes. */
function incidentRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('incidents', years),
    async apply(dryRun) {
      const old = { occurredAt: { $lt: yearsAgo(years) }, summary: { $ne: REDUCED } };
      const incidents = db.collection('incidents');
      const held = await incidents.countDocuments({ ...old, status: { $in: OPEN_INCIDENT } });
      const filter = { ...old, status: { $in: CLOSED_INCIDENT } };
      const changed = dryRun
        ? await incidents.countDocuments(filter)
        : (await incidents.updateMany(filter, { $set: { summary: REDUCED } })).modifiedCount;
      return { changed, held };
    },
  };
}

/** Residence registrations that ended more than `years` ago lose their address; region and dates stay. */
function residenceRule(db: Connection, years: number): RetentionRule {
  return {
    ...ruleDoc('residences', years),
    async apply(dryRun) {
      const filter = { validUntil: { $lt: yearsAgo(years) }, address: { $ne: PSEUDONYMISED } };
      const residences = db.collection('residences');
      const changed = dryRun
        ? await residences.countDocuments(filter)
        : (await residences.updateMany(filter, { $set: { address: PSEUDONYMISED } })).modifiedCount;
      return { changed, held: 0 };
    },
  };
}

function accessLogRule(subgraph: SubgraphName, log: AccessLog, years: number): RetentionRule {
  return {
    ...ruleDoc('access_log', years, subgraph),
    apply: (dryRun) => summariseAccessLog(log, yearsAgo(years), dryRun),
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
          .distinct('foreignerId', { foreignerId: { $in: ids }, validUntil: { $gte: startOfTodayUtc() } })
      ).map(String),
    );
}

/**
 * The rules of one subgraph over its own database. `foreignerHolds`: the other agencies' holds
 * on foreigners; without both (a subgraph's scheduled job sees only its own database), the
 * foreigner rule is left to `npm run retention`, which never pseudonymises a foreigner an open
 * case elsewhere still needs. A rule of 0 years is off.
 */
export function subgraphRules(
  subgraph: SubgraphName,
  db: Connection,
  log: AccessLog,
  config: RetentionConfig,
  foreignerHolds: ForeignerHold[] | null = null,
): RetentionRule[] {
  const rules: [number, () => RetentionRule][] = [
    [config.accessLogYears, () => accessLogRule(subgraph, log, config.accessLogYears)],
  ];
  if (subgraph === 'immigration') {
    if (foreignerHolds)
      rules.push([config.foreignerYears, () => foreignerRule(db, config.foreignerYears, foreignerHolds)]);
    rules.push([config.permitYears, () => permitRule(db, config.permitYears)]);
  }
  if (subgraph === 'police') rules.push([config.incidentYears, () => incidentRule(db, config.incidentYears)]);
  if (subgraph === 'local-government')
    rules.push([config.foreignerYears, () => residenceRule(db, config.foreignerYears)]);
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
      `${o.subgraph.padEnd(16)} ${o.collection.padEnd(13)} ${dryRun ? 'would be ' : ''}${o.action}: ${o.changed}` +
      (o.held > 0 ? ` (held: ${o.held})` : ''),
  );
}

/**
 * Every rule of the hub over the three databases (`npm run retention`): the foreigner rule with
 * the police's and the local government's holds. `keys`: each agency's access-log keys, with
 * the private key (a checkpoint is signed).
 */
export function hubRules(
  connections: Record<SubgraphName, Connection>,
  keys: Record<SubgraphName, AccessLogKeys>,
  config: RetentionConfig,
): RetentionRule[] {
  const holds = [policeHold(connections.police), localGovernmentHold(connections['local-government'])];
  return SUBGRAPH_NAMES.flatMap((name) =>
    subgraphRules(name, connections[name], new AccessLog(connections[name], keys[name]), config, holds),
  );
}
