/**
 * The scheduled retention job of a subgraph: every `RETENTION_INTERVAL_H` hours (0: off) it
 * applies the subgraph's own rules to its own database (common/retention/rules.ts). The rules
 * on foreigners, TAK and SKLD need the other agencies' holds, which only `npm run retention`
 * sees: a subgraph's job never applies them. A run that fails is logged and tried again next time; its
 * writes are safe to redo.
 */
import type { Connection } from 'mongoose';
import type { AccessLog } from '../audit/access-log.js';
import type { RetentionConfig } from '../config/retention.js';
import type { SubgraphName } from '../config/services.js';
import type { Logger } from '../logger.js';
import type { RuleOutcome } from './rule.js';
import { applyRules, subgraphRules } from './rules.js';

export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RuleOutcome[] | null> | null = null;

  constructor(
    private readonly subgraph: SubgraphName,
    private readonly db: Connection,
    private readonly accessLog: AccessLog,
    private readonly config: RetentionConfig,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.config.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.run(), this.config.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Applies the rules once (not twice at once); never throws: null when the run failed. */
  run(): Promise<RuleOutcome[] | null> {
    this.running ??= applyRules(subgraphRules(this.subgraph, this.db, this.accessLog, this.config), false)
      .then((outcomes) => {
        this.log.info({ retention: outcomes }, 'retention applied');
        return outcomes;
      })
      .catch((e: unknown) => {
        this.log.error({ err: e }, 'retention failed; retrying at the next run');
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
