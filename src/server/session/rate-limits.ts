/**
 * Per-key token buckets: `perMinute` actions per minute per key, in bursts
 * of up to `perMinute` (or, made with `RateLimiter.perSecond`, so many per
 * second in bursts of one second's worth). Keys are e.g. `<app>\0<client>`; counters live in
 * this process's memory, so with several nodes each node counts its own.
 *
 * Memory is bounded: at most `maxKeys` buckets, the least recently used
 * going first (a forgotten bucket starts full again, which only someone
 * holding that many identities at once could exploit).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
    /** How many actions a bucket holds: a burst. A minute's worth unless given. */
    private readonly burst = perMinute,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** `perSecond` actions per second per key, in bursts of up to `perSecond`. */
  static perSecond(perSecond: number, maxKeys = 100_000, now: () => number = Date.now): RateLimiter {
    return new RateLimiter(perSecond * 60, maxKeys, now, perSecond);
  }

  /**
   * Takes one action for `key`. Resolves nothing: returns 0 when allowed,
   * else how many ms until one would be (nothing is taken then).
   */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs) : this.burst;
    if (bucket) this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.ceil((1 - tokens) / this.perMs);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }
}

/** The per-client rate limits of the WebSocket commands. */
export interface ClientQuotas {
  /** conv/start, per `<app>\0<client>`. */
  readonly conversationCreates: RateLimiter;
  /** session/open, per `<app>\0<client>`: each login costs store reads and writes, and a logout a revocation row. */
  readonly logins: RateLimiter;
  /** direct (messages sent), per `<app>\0<client>`, or null when unlimited. */
  readonly messages?: RateLimiter | null;
  /** New WebSocket connections, per remote address, or null when unlimited. */
  readonly connections?: RateLimiter | null;
}
