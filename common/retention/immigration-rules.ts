/** The immigration subgraph's retention rules: foreigners, stay permits, border crossings, cekal and TAK. */
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { now } from '../clock.js';
import { nameFields } from '../name-trigrams.js';
import { holdToday, olderThan, yearsAgo } from './ages.js';
import { heldByForeigner, immigrationHolds, presenceHold, type ForeignerHold } from './holds.js';
import { PSEUDONYMISED, REDUCED, updateWhere } from './redaction.js';
import { ruleDoc } from './rule-docs.js';
import type { RetentionRule } from './rule.js';

interface ForeignerRow {
  _id: string;
  currentPermit: { status: string; expiresAt: Date } | null;
}

/**
 * Foreigners who left the country more than `years` ago (their last crossing an exit) lose
 * their name and passport number, and their date of birth keeps only its year; the id,
 * nationality, sex, domicile, permit summary and last crossing stay, so statistics stay right.
 */
export function foreignerRule(db: Connection, years: number, externalHolds: ForeignerHold[]): RetentionRule {
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
                // the trigrams of the name go with it (they spell it out)
                ...nameFields(PSEUDONYMISED),
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
export function permitRule(db: Connection, years: number): RetentionRule {
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

/**
 * Border crossings more than `years` old of a foreigner already pseudonymised (the foreigner
 * rule and its holds decided) lose their carrier; date, direction and checkpoint stay, since the
 * foreigner's last crossing, and with it the overstay condition and the statistics, is derived
 * from them (`refreshCrossingSummary`). Deleting them would make a foreigner who left look present.
 */
export function crossingRule(db: Connection, years: number): RetentionRule {
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
export function watchlistRule(db: Connection, years: number): RetentionRule {
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

/**
 * TAK decided more than `years` ago lose their reason (free text); type, date and office stay.
 * Held while the foreigner is still in the country, or an incident about them is open (police).
 */
export function actionRule(db: Connection, years: number, openIncident: ForeignerHold): RetentionRule {
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
