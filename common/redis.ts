/**
 * The Redis connection of a service (`REDIS_URL`): state that every replica must share, such as
 * the gateway signatures already used and the counters of rate limits. It is reached once at start-up — a configured Redis that does not
 * answer stops the service with a readable message — and afterwards fails fast: while Redis is
 * down, commands are refused at once (no offline queue) or after `COMMAND_TIMEOUT_MS`, and the
 * client reconnects in the background.
 */
import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/** How long a command may take before it fails (a Redis that hangs must not hang a request). */
const COMMAND_TIMEOUT_MS = 1000;
/** How long the first connection may take at start-up. */
const CONNECT_TIMEOUT_MS = 3000;

/** Where a Redis URL points, without its credentials (for messages and logs). */
export function redisAddress(url: string): string {
  const { protocol, hostname, port } = new URL(url);
  return `${protocol}//${hostname}:${port || '6379'}`;
}

/** Raised when Redis is configured but cannot be used at start-up. */
export class RedisUnavailableError extends Error {
  constructor(url: string, cause: string) {
    super(
      `REDIS_URL ${redisAddress(url)}: Redis cannot be reached (${cause}); start it, or unset REDIS_URL ` +
        "to keep what replicas share (gateway signatures already used, rate-limit counters) in this process's " +
        'memory instead (one replica only)',
    );
    this.name = 'RedisUnavailableError';
  }
}

/**
 * Connects to Redis and checks that it answers (`PING`); throws `RedisUnavailableError` naming
 * the address and the cause otherwise. Connection losses later are logged once each (not at
 * every reconnection attempt) and the client keeps reconnecting, at most every 2 s.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  let lastError: Error | null = null;
  let ready = false;
  let lost = false;
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // without a listener, ioredis prints every failed reconnection attempt to the console
  client.on('error', (e: Error) => {
    lastError = e;
  });
  // 'reconnecting' follows a loss the client did not ask for (never `quit()`)
  client.on('reconnecting', () => {
    if (!ready) return;
    ready = false;
    lost = true;
    log.error({ err: lastError, redis: redisAddress(url) }, 'Redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (lost) log.info({ redis: redisAddress(url) }, 'Redis connection restored');
    ready = true;
    lost = false;
    lastError = null;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    const cause = ((lastError as Error | null) ?? (e as Error)).message;
    throw new RedisUnavailableError(url, cause);
  }
  return client;
}
