/**
 * The `serverTs` stamped on pushes. v4 resumes its notification fetch from
 * the last `serverTs` it saw (protocol.md §8), so no push may be stamped
 * before a membership event sent ahead of it. The store stamps events with
 * the wall clock (held, not advanced, if the clock steps back), so this is
 * the clock too, never ahead of it by more than such a step.
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
