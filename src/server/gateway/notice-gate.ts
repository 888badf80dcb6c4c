/**
 * One session's view of the membership-event log (store `notification_*`):
 * how far it has been sent events, and, while the events it missed are
 * being replayed after a reconnect, the live ones held back so that the
 * client gets every event once and in `serverTs` order.
 *
 * A live event is recorded in the store before it is published, so one
 * published during the replay either was read by the replay (and is not
 * sent again) or has a later `serverTs` than anything the replay sent
 * (and goes out right after it).
 */
export class NoticeGate {
  /** Every event up to this `serverTs` was sent, or predates this login. */
  private coveredUpTo: number;
  /** Live events at or below this were sent by the replay already. */
  private replayedUpTo = 0;
  /** Live events that arrived during the replay; null when not replaying. */
  private held: { serverTs: number; bytes: Uint8Array }[] | null;
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
  admit(serverTs: number, bytes: Uint8Array): boolean {
    if (this.held) {
      this.held.push({ serverTs, bytes });
      return false;
    }
    return this.pass(serverTs);
  }

  /** Events up to `serverTs` are not this login's to be sent again (recorded before it began). */
  cover(serverTs: number): void {
    this.coveredUpTo = Math.max(this.coveredUpTo, serverTs);
  }

  /** The replay sent this event. */
  replayed(serverTs: number): void {
    this.replayedUpTo = Math.max(this.replayedUpTo, serverTs);
    this.coveredUpTo = Math.max(this.coveredUpTo, serverTs);
  }

  /** Ends the replay (also after it failed); returns the held live events still to send, in order. */
  endReplay(): Uint8Array[] {
    const held = this.held ?? [];
    this.held = null;
    // Published in the order recorded with a store that records in order;
    // sorted anyway, as the client must get them in serverTs order.
    held.sort((a, b) => a.serverTs - b.serverTs);
    return held.filter(({ serverTs }) => this.pass(serverTs)).map(({ bytes }) => bytes);
  }

  private pass(serverTs: number): boolean {
    if (serverTs <= this.replayedUpTo) return false;
    this.coveredUpTo = Math.max(this.coveredUpTo, serverTs);
    return true;
  }
}
