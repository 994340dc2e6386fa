/**
 * Retention rules, per subgraph and collection (README, "Retention"): what is kept how long at
 * full detail, what becomes of it then, and what holds it back. Every rule is idempotent — a
 * record already changed is not selected again — and orders its writes so that a run stopped
 * midway leaves nothing half-done that a rerun does not finish (FerretDB has no transactions).
 * How a record's age is judged, in the time zone of its region, is in ages.ts; the rules of each
 * agency are in immigration-rules.ts, police-rules.ts and local-government-rules.ts.
 */
import type { Connection } from 'mongoose';
import { AccessLog } from '../audit/access-log.js';
import type { AccessLogKeys } from '../audit/access-log-keys.js';
import type { RetentionConfig } from '../config/retention.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../config/services.js';
import { now } from '../clock.js';
import { summariseAccessLog } from './access-log.js';
import { yearsAgo } from './ages.js';
import { localGovernmentHold, policeHold, presenceHold, type AgencyHolds } from './holds.js';
import { actionRule, crossingRule, foreignerRule, permitRule, watchlistRule } from './immigration-rules.js';
import { communityReportRule, employmentRule, residenceRule } from './local-government-rules.js';
import { incidentRule, selfReportRule } from './police-rules.js';
import { ruleDoc } from './rule-docs.js';
import type { RetentionRule, RuleOutcome } from './rule.js';

/** The access log's rule: its old records summarised into a signed checkpoint (access-log.ts). */
function accessLogRule(subgraph: SubgraphName, log: AccessLog, years: number): RetentionRule {
  return {
    ...ruleDoc('access_log', years, subgraph),
    apply: (dryRun) => summariseAccessLog(log, yearsAgo(years, now(), 'instant'), dryRun),
  };
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
