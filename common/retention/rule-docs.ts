/**
 * What each retention rule says of itself, apart from its work: the words docs/privacy.md and
 * the report print, the configuration variable of its age, and what holds a record back.
 */
import { SUBGRAPH_NAMES, type SubgraphName } from '../config/services.js';
import type { RetentionConfig } from '../config/retention.js';
import type { RetentionRule } from './rule.js';

/** A rule without its work: what docs/privacy.md and the report say of it. */
export type RuleDoc = Omit<RetentionRule, 'apply'> & { setting: keyof typeof RULE_SETTINGS };

/** The configuration variable of each rule's age (README, "Configuration"). */
const RULE_SETTINGS = {
  RETENTION_ACCESS_LOG_YEARS: 'accessLogYears',
  RETENTION_FOREIGNER_YEARS: 'foreignerYears',
  RETENTION_PERMIT_YEARS: 'permitYears',
  RETENTION_INCIDENT_YEARS: 'incidentYears',
} as const satisfies Record<string, keyof RetentionConfig>;

export type RuledCollection =
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

export function ruleDoc(collection: RuledCollection, years: number, subgraph: SubgraphName = 'immigration'): RuleDoc {
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
