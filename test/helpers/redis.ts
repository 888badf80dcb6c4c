/**
 * Redis for tests (design.md §7): the machine's server at 127.0.0.1:6379,
 * each test under its own random key prefix, whose keys it deletes at the
 * end (never FLUSHDB: other runs share the server).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_HOST = process.env.LC_TEST_REDIS_HOST ?? '127.0.0.1';
export const REDIS_PORT = Number(process.env.LC_TEST_REDIS_PORT ?? 6379);
export const REDIS_URL = `redis://${REDIS_HOST}:${REDIS_PORT}`;

/** A prefix no other run uses, e.g. `lct-1a2b3c4d:`. */
export function testPrefix(): string {
  return `lct-${randomBytes(6).toString('hex')}:`;
}

/** A plain connection for a test to look at Redis directly. */
export function testRedis(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Deletes every key under the prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = testRedis();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Resolves once `check` holds, polling; rejects with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
