/** The police subgraph's retention rules: incidents and SKLD. */
import type { Connection } from 'mongoose';
import { olderThan } from './ages.js';
import { OPEN_INCIDENT, type ForeignerHold } from './holds.js';
import { PSEUDONYMISED, REDUCED, updateWhere } from './redaction.js';
import { ruleDoc } from './rule-docs.js';
import type { RetentionRule } from './rule.js';

const CLOSED_INCIDENT = ['RESOLVED', 'TRANSFERRED'];

/** Closed incidents older than `years` keep what statistics need; their summary (free text) goes. */
export function incidentRule(db: Connection, years: number): RetentionRule {
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

/**
 * SKLD valid until more than `years` ago lose the reported address; number, dates, unit and
 * region stay. A foreigner's latest SKLD is held while the foreigner is still in the country
 * (immigration's record): it is where the police last knew them to live.
 */
export function selfReportRule(db: Connection, years: number, present: ForeignerHold): RetentionRule {
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
