/**
 * The shape of a retention rule and of what it reports, apart from the rules themselves
 * (rules.ts) so that a rule's implementation (e.g. access-log.ts) can name its result without
 * importing the list of rules that imports it.
 */
import type { SubgraphName } from '../config/services.js';

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
