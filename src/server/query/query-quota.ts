/**
 * Query time per client: each client may spend `perMinuteMs` of the
 * event loop on conversation queries per minute (a token bucket refilled
 * continuously, holding at most a minute's worth). A client over it is
 * refused at once, so one looping many distinct expensive queries (each
 * costing up to maxQueryMs) cannot keep the loop busy.
 */
import { ProtocolError } from '../../protocol/errors.js';

const MINUTE_MS = 60_000;
/** Above this many clients tracked, those with a full bucket are forgotten. */
const PRUNE_ABOVE = 10_000;

export class QueryQuota {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinuteMs: number) {}

  /** Throws CONVERSATION_QUERY_FAILED when `client` has spent its query time. */
  check(client: string): void {
    const bucket = this.refill(client);
    if (bucket.tokens > 0) return;
    const waitS = Math.ceil(((1 - bucket.tokens) * MINUTE_MS) / this.perMinuteMs / 1000);
    throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `over ${this.perMinuteMs} ms of query time per minute: retry in ${waitS} s`);
  }

  /** Charges `ms` of query time to `client`. */
  charge(client: string, ms: number): void {
    this.refill(client).tokens -= ms;
  }

  private refill(client: string): { tokens: number; at: number } {
    const now = Date.now();
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.prune(now);
      bucket = { tokens: this.perMinuteMs, at: now };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.perMinuteMs, bucket.tokens + ((now - bucket.at) * this.perMinuteMs) / MINUTE_MS);
    bucket.at = now;
    return bucket;
  }

  private prune(now: number): void {
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.perMinuteMs) / MINUTE_MS >= this.perMinuteMs) this.buckets.delete(client);
    }
  }
}

const quotas = new WeakMap<object, QueryQuota>();

/** The quota of one server (keyed by its context). */
export function queryQuotaOf(server: object, perMinuteMs: number): QueryQuota {
  let found = quotas.get(server);
  if (!found) quotas.set(server, (found = new QueryQuota(perMinuteMs)));
  return found;
}
