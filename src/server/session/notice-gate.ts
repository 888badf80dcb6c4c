/**
 * One session's view of the membership-event log (store `notification_*`):
 * how far it has been sent events, and, while the events it missed are
 * being replayed after a reconnect, the live ones held back so that the
 * client gets every event once and in the log's order (`seq`, the
 * store's strictly increasing event number; `serverTs` is only a time).
 *
 * A live event is recorded in the store before it is published, so one
 * published during the replay either was read by the replay (and is not
 * sent again) or has a later `seq` than anything the replay sent
 * (and goes out right after it).
 */
export class NoticeGate {
  /** Every event up to this `seq` was sent, or predates this login. */
  private coveredUpTo: number;
  /** Live events at or below this were sent by the replay already. */
  private replayedUpTo = 0;
  /** Live events that arrived during the replay; null when not replaying. */
  private held: { seq: number; bytes: Uint8Array }[] | null;
  /** The cursor a replay starts from. */
  private readonly since: number;

  private constructor(
    coveredUpTo: number,
    replaying: boolean,
    /** Whether a cursor is saved for this login when its connection drops (not for clients that fetch over REST). */
    readonly keepsCursor: boolean,
  ) {
    this.coveredUpTo = coveredUpTo;
    this.since = coveredUpTo;
    this.held = replaying ? [] : null;
  }

  /** A session that is sent live events only; `cover` then marks what predates it. */
  static live(keepsCursor: boolean): NoticeGate {
    return new NoticeGate(0, false, keepsCursor);
  }

  /** A reconnected session that will be sent what was recorded for it after `since`, before any live event. */
  static replaying(since: number): NoticeGate {
    return new NoticeGate(since, true, true);
  }

  /** Where a replay starts: the cursor it was created with; undefined when not replaying. */
  get replayFrom(): number | undefined {
    return this.held ? this.since : undefined;
  }

  /** What a reconnect of this login has no need to be sent again. */
  get cursor(): number {
    return this.coveredUpTo;
  }

  /**
   * A live event for this session. True: send `bytes` now. False: held
   * until the replay ends, or already sent by it.
   */
  admit(seq: number, bytes: Uint8Array): boolean {
    if (this.held) {
      this.held.push({ seq, bytes });
      return false;
    }
    return this.pass(seq);
  }

  /** Events up to `seq` are not this login's to be sent again (recorded before it began). */
  cover(seq: number): void {
    this.coveredUpTo = Math.max(this.coveredUpTo, seq);
  }

  /** The replay sent this event. */
  replayed(seq: number): void {
    this.replayedUpTo = Math.max(this.replayedUpTo, seq);
    this.coveredUpTo = Math.max(this.coveredUpTo, seq);
  }

  /** Ends the replay (also after it failed); returns the held live events still to send, in order. */
  endReplay(): Uint8Array[] {
    const held = this.held ?? [];
    this.held = null;
    // Published in the order recorded with a store that records in order;
    // sorted anyway, as the client must get them in seq order.
    held.sort((a, b) => a.seq - b.seq);
    return held.filter(({ seq }) => this.pass(seq)).map(({ bytes }) => bytes);
  }

  private pass(seq: number): boolean {
    if (seq <= this.replayedUpTo) return false;
    this.coveredUpTo = Math.max(this.coveredUpTo, seq);
    return true;
  }
}
