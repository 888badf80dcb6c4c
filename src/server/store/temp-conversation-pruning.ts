import type { Store } from './types.js';

/** How often expired temporary conversations are deleted. */
export const TEMP_CONVERSATION_PRUNE_INTERVAL_MS = 60_000;
/** Conversations deleted per transaction, so one prune never holds the store long. */
const BATCH = 100;
/** Batches per run; what is left waits for the next run. */
const MAX_BATCHES = 50;

/**
 * Deletes expired temporary conversations (with their members and
 * messages) now and then every interval: they already read as absent, this
 * frees their rows. Returns the stop function.
 */
export function startTemporaryConversationPruning(store: Store, log: (line: string) => void, intervalMs = TEMP_CONVERSATION_PRUNE_INTERVAL_MS): () => void {
  let running = false;
  const prune = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        if ((await store.pruneExpiredConversations(Date.now(), BATCH)) < BATCH) break;
        // Let other work in between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      log(`pruning temporary conversations: ${String(error)}`);
    } finally {
      running = false;
    }
  };
  void prune();
  const timer = setInterval(() => void prune(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
