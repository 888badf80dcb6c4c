import type { Store } from './types.js';

/** How often old membership events are pruned at most; shorter retentions prune more often. */
const MAX_PRUNE_INTERVAL_MS = 3600_000;

/**
 * Keeps the membership-event log bounded: every interval, events (and
 * per-login cursors) older than `retentionMs` are deleted. Returns the stop
 * function. The log grows by one row per event plus one per recipient.
 */
export function startNotificationPruning(store: Store, retentionMs: number, log: (line: string) => void): () => void {
  const prune = (): void => {
    store.pruneNotifications(Date.now() - retentionMs).catch((error: unknown) => log(`pruning notifications: ${String(error)}`));
  };
  prune();
  const timer = setInterval(prune, Math.min(retentionMs, MAX_PRUNE_INTERVAL_MS));
  timer.unref();
  return () => clearInterval(timer);
}
