import { z } from 'zod';
import { parse, type Env } from './parse.js';
import { DEFAULT_REDIS_KEY_PREFIX, type SharedStateConfig } from './shared-state.js';

/**
 * Limits of stay-permit checks (`Query.verifyStayPermit`), which would otherwise be an oracle
 * for passport numbers (README, "Permit checks"). Counters live in Redis when `REDIS_URL` is
 * set, so every replica of the immigration subgraph counts against the same limits; in the
 * process's memory otherwise.
 */
export interface PermitCheckConfig {
  /** `verifyStayPermit` fields (aliases) one operation may hold; more is refused before anything runs. */
  perOperation: number;
  /** Checks one caller (subject of one institution) may make in a minute. */
  perCallerPerMinute: number;
  /** Checks one caller may make in an hour. */
  perCallerPerHour: number;
  /** Checks of one permit number whose passport did not match, all callers together, in a day. */
  perPermitPerDay: number;
  /** Redis shared by the replicas (`redis://` or `rediss://`), or null: counters in memory. */
  redisUrl: string | null;
  /** Prefix of every Redis key the hub writes, so several hubs (or test runs) can share one Redis. */
  redisKeyPrefix: string;
}

const limit = (max: number) => z.coerce.number().int().min(1).max(max);

/** The permit-check limits; their counters live in `shared` (Redis) when it is set, read once with the rest of the subgraph's shared state. */
export function loadPermitChecks(env: Env, shared: SharedStateConfig | null): PermitCheckConfig {
  const c = parse(
    z.object({
      PERMIT_CHECKS_PER_OPERATION: limit(20).default(1),
      PERMIT_CHECKS_PER_CALLER_PER_MINUTE: limit(10_000).default(10),
      PERMIT_CHECKS_PER_CALLER_PER_HOUR: limit(100_000).default(100),
      PERMIT_CHECKS_PER_PERMIT_PER_DAY: limit(10_000).default(10),
    }),
    env,
  );
  return {
    perOperation: c.PERMIT_CHECKS_PER_OPERATION,
    perCallerPerMinute: c.PERMIT_CHECKS_PER_CALLER_PER_MINUTE,
    perCallerPerHour: c.PERMIT_CHECKS_PER_CALLER_PER_HOUR,
    perPermitPerDay: c.PERMIT_CHECKS_PER_PERMIT_PER_DAY,
    redisUrl: shared?.redisUrl ?? null,
    redisKeyPrefix: shared?.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX,
  };
}
