/**
 * Limits of stay-permit checks (`Query.verifyStayPermit`), which would otherwise let a caller
 * who knows a permit number and a masked passport number (`U0****74`) try candidates until one
 * matches:
 *
 * - per operation: at most `perOperation` `verifyStayPermit` fields (aliases), refused by a
 *   validation rule before anything runs;
 * - per caller (subject of one institution): `perCallerPerMinute` and `perCallerPerHour`;
 * - per permit number, all callers together: `perPermitPerDay` checks whose passport did not
 *   match. Every check counts when it starts and a match gives its point back, so whether a
 *   check is refused never depends on whether it would have matched (which would be an oracle).
 *
 * Counters are rate-limiter-flexible's: in Redis when `REDIS_URL` is set (shared by every
 * replica), in memory otherwise. When Redis does not answer, checks are refused
 * (`RATE_LIMIT_UNAVAILABLE`), never let through uncounted.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Caller } from '../../../../common/auth/tokens.js';
import type { PermitCheckConfig } from '../../../../common/config/permit-checks.js';
import {
  QueryTooComplexError,
  RateLimitUnavailableError,
  RateLimitedError,
  type RateLimit,
} from '../../../../common/errors.js';
import { message } from '../../../../common/i18n/language.js';
import type { Logger } from '../../../../common/logger.js';

/** The root field these limits guard. */
export const PERMIT_CHECK_FIELD = 'verifyStayPermit';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A key that names no one in Redis: the SHA-256 of the parts (permit numbers, subjects). */
function hashedKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** A check admitted by the limits; `matched()` gives back its point of the permit's count. */
export interface AdmittedCheck {
  matched(): Promise<void>;
}

export class PermitCheckLimits {
  private readonly callerPerMinute: RateLimiterAbstract;
  private readonly callerPerHour: RateLimiterAbstract;
  private readonly permitPerDay: RateLimiterAbstract;

  constructor(
    private readonly config: PermitCheckConfig,
    redis: Redis | null,
    private readonly log: Logger,
  ) {
    const limiter = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const options: IRateLimiterOptions = {
        keyPrefix: `${config.redisKeyPrefix}:permit-checks:${name}`,
        points,
        duration,
      };
      // rejectIfRedisNotReady: while the connection is down, refuse at once instead of waiting
      return redis
        ? new RateLimiterRedis({ ...options, storeClient: redis, rejectIfRedisNotReady: true })
        : new RateLimiterMemory(options);
    };
    this.callerPerMinute = limiter('caller-minute', config.perCallerPerMinute, MINUTE);
    this.callerPerHour = limiter('caller-hour', config.perCallerPerHour, HOUR);
    this.permitPerDay = limiter('permit-day', config.perPermitPerDay, DAY);
  }

  /**
   * Counts one check of `permitNumber` by `caller`, or throws `RATE_LIMITED` (with
   * `retryAfterSeconds`) or `RATE_LIMIT_UNAVAILABLE`. The caller's limits are counted first, so a
   * caller over its own limit does not use up the permit's.
   */
  async admit(caller: Caller, permitNumber: string): Promise<AdmittedCheck> {
    const callerKey = hashedKey(caller.agency, caller.subject);
    const outcomes = await Promise.all([
      this.consume(this.callerPerMinute, callerKey, 'callerPerMinute'),
      this.consume(this.callerPerHour, callerKey, 'callerPerHour'),
    ]);
    const refusals = outcomes.filter((o): o is RateLimitedError => o !== null);
    // both over: the later one says when a check can succeed again
    refusals.sort((a, b) => Number(b.extensions.retryAfterSeconds) - Number(a.extensions.retryAfterSeconds));
    if (refusals[0]) throw refusals[0];
    const permitKey = hashedKey(permitNumber);
    const permitRefusal = await this.consume(this.permitPerDay, permitKey, 'permitPerDay');
    if (permitRefusal) throw permitRefusal;
    return {
      matched: async () => {
        try {
          await this.permitPerDay.reward(permitKey, 1);
        } catch (e) {
          // the permit's count stays one higher than it should: stricter, never looser
          this.log.warn({ err: e }, 'could not give back the point of a matching permit check');
        }
      },
    };
  }

  /** Takes a point; the refusal when over the limit, null when admitted. */
  private async consume(limiter: RateLimiterAbstract, key: string, limit: RateLimit): Promise<RateLimitedError | null> {
    try {
      await limiter.consume(key);
      return null;
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        return new RateLimitedError(this.describe(limit, retryAfterSeconds), limit, retryAfterSeconds);
      }
      this.log.error({ err: e, limit }, 'the rate limits of permit checks cannot be counted; refusing checks');
      throw new RateLimitUnavailableError(message('rateLimit.unavailable'));
    }
  }

  private describe(limit: RateLimit, retryAfterSeconds: number): string {
    const max = {
      callerPerMinute: this.config.perCallerPerMinute,
      callerPerHour: this.config.perCallerPerHour,
      permitPerDay: this.config.perPermitPerDay,
    }[limit];
    return message(`rateLimit.${limit}`, { max, retryAfterSeconds });
  }
}

/**
 * At most `max` `verifyStayPermit` fields in one operation (counted by response key: a field
 * repeated under the same key runs once), fragments on `Query` included. Over it, the operation
 * is refused with `QUERY_TOO_COMPLEX` (`extensions.limit: "permitChecks"`) before any resolver runs.
 */
export function permitChecksPerOperationRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const responseKeys = new Set<string>();
      const visitedFragments = new Set<string>();
      const collect = (selectionSet: SelectionSetNode) => {
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) {
            if (selection.name.value === PERMIT_CHECK_FIELD)
              responseKeys.add((selection.alias ?? selection.name).value);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            collect(selection.selectionSet);
          } else if (!visitedFragments.has(selection.name.value)) {
            visitedFragments.add(selection.name.value);
            const fragment = context.getFragment(selection.name.value);
            if (fragment) collect(fragment.selectionSet);
          }
        }
      };
      collect(operation.selectionSet);
      if (responseKeys.size <= max) return;
      context.reportError(
        new QueryTooComplexError(
          message('limits.permitChecks', { max, count: responseKeys.size }),
          'permitChecks',
          max,
        ),
      );
    },
  });
}
