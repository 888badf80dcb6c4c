/**
 * The `serverTs` stamped on pushes. v4 resumes its notification fetch from
 * the last `serverTs` it saw (protocol.md §8), so no push may be stamped
 * before a membership event sent ahead of it; the store stamps events, and
 * may run a millisecond or so ahead of the clock to keep them strictly
 * increasing.
 */
export class PushClock {
  #latestEvent = 0;

  /** A membership event with this `serverTs` was sent. */
  noteEvent(serverTs: number): void {
    this.#latestEvent = Math.max(this.#latestEvent, serverTs);
  }

  /** The `serverTs` for a push sent now. */
  now(): number {
    return Math.max(Date.now(), this.#latestEvent);
  }
}
