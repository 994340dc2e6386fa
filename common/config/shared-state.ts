import { z } from 'zod';
import { parse, type Env } from './parse.js';

/** The Redis every replica of a service shares (`REDIS_URL`), or null: state stays in the process. */
export interface SharedStateConfig {
  /** `redis://` or `rediss://`. */
  redisUrl: string;
  /** Prefix of every Redis key the hub writes (`REDIS_KEY_PREFIX`). */
  keyPrefix: string;
}

/** The prefix of the hub's Redis keys when `REDIS_KEY_PREFIX` is not set. */
export const DEFAULT_REDIS_KEY_PREFIX = 'timpora';

const redisShape = {
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits, "_", ".", ":" or "-"')
    .default(DEFAULT_REDIS_KEY_PREFIX),
};

/** `REDIS_URL` and `REDIS_KEY_PREFIX`: the Redis the replicas share, or null when none is set. */
export function loadSharedState(env: Env): SharedStateConfig | null {
  const c = parse(z.object(redisShape), env);
  return c.REDIS_URL ? { redisUrl: c.REDIS_URL, keyPrefix: c.REDIS_KEY_PREFIX } : null;
}
