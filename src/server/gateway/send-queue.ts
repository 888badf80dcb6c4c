/**
 * A socket's frames waiting to be written, with what each may suffer when
 * the socket cannot keep up: chat-room messages by their priority, and
 * everything else (replies, persisted messages, events) never dropped.
 */

import type { FrameClass } from '../session/session-connection.js';

export type { FrameClass } from '../session/session-connection.js';

/** `GenericCommand.priority` of a chat-room message: 1 HIGH, 2 NORMAL (also the default), 3 LOW. */
export function roomFrameClass(priority: number | null | undefined): FrameClass {
  if (priority === 1) return 'high';
  if (priority === 3) return 'low';
  return 'normal';
}

export function isDroppable(cls: FrameClass): boolean {
  return cls === 'normal' || cls === 'low';
}

export interface QueuedFrame {
  /**
   * The command to send as one WebSocket frame; with a `tail`, the start of
   * a frame already built (header and shared body, see shared-frame.ts)
   * that the tail completes.
   */
  frame: Uint8Array | string;
  tail?: Buffer | undefined;
  bytes: number;
  cls: FrameClass;
  queuedAt: number;
  /** Called once the frame left for the kernel, or could not (the socket closed). */
  written?: (() => void) | undefined;
}

/** What became of a frame offered to a queue with a budget (`SendQueue.admit`). */
export interface Admission {
  /**
   * `queued`: it fits (older chat-room frames may have been dropped to make
   * room); `refused`: a chat-room frame that does not fit, dropped; `overflow`:
   * a frame that may not be dropped and does not fit even with every
   * chat-room frame gone: the queue is unchanged, the socket must go.
   */
  outcome: 'queued' | 'refused' | 'overflow';
  /** Chat-room frames dropped, the refused one included. */
  dropped: number;
}

/** The common outcome, shared: admit runs once per recipient of every push. */
const QUEUED: Admission = Object.freeze({ outcome: 'queued', dropped: 0 });

/**
 * A socket's frames in order, with the chat-room ones droppable by class.
 *
 * Dropping a frame leaves a hole that `shift` skips, and each droppable
 * class keeps a cursor before which it has no frame left: frames are
 * dropped oldest first within their class and queued at the end, so the
 * cursors only move forward and shedding costs O(1) per frame dropped,
 * amortized, however long the queue of a stalled socket.
 */
export class SendQueue {
  private items: (QueuedFrame | undefined)[] = [];
  /** Index of the first slot that may be live: shifting is O(1), compaction amortized. */
  private head = 0;
  private live = 0;
  private queuedBytes = 0;
  /** Bytes of live frames of each droppable class. */
  private readonly droppableBytes = { low: 0, normal: 0 };
  /** Per droppable class, an index before which no live frame of it is left. */
  private readonly cursor = { low: 0, normal: 0 };

  get length(): number {
    return this.live;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  /** The oldest frame, if any. */
  peek(): QueuedFrame | undefined {
    while (this.head < this.items.length && this.items[this.head] === undefined) this.head += 1;
    return this.items[this.head];
  }

  /** Queues a frame whatever its size (frames the send budget does not count: bulk replies). */
  push(item: QueuedFrame): void {
    this.items.push(item);
    this.live += 1;
    this.queuedBytes += item.bytes;
    if (item.cls === 'low' || item.cls === 'normal') this.droppableBytes[item.cls] += item.bytes;
  }

  /**
   * Queues `item` only if the queue then holds at most `limit` bytes,
   * decided before it is queued and counting it. To make room, chat-room
   * frames are dropped in the slow-consumer policy's order, every LOW
   * before any NORMAL and the oldest first within each, `item` itself in
   * its turn (a new LOW frame goes before an older NORMAL one; a new
   * NORMAL frame pushes out older NORMAL ones, the freshest being worth
   * most to a viewer who fell behind). A HIGH or reliable frame is never
   * dropped: if even dropping every chat-room frame leaves no room for it,
   * nothing changes and the outcome is `overflow`.
   */
  admit(item: QueuedFrame, limit: number): Admission {
    const over = this.queuedBytes + item.bytes - limit;
    if (over <= 0) {
      this.push(item);
      return QUEUED;
    }
    // What may go before `item` does, in the policy's order.
    const before = item.cls === 'low' ? this.droppableBytes.low : this.droppableBytes.low + this.droppableBytes.normal;
    if (before >= over) {
      const dropped = this.dropAtLeast(over, item.cls === 'low' ? ['low'] : ['low', 'normal']);
      this.push(item);
      return { outcome: 'queued', dropped };
    }
    if (isDroppable(item.cls)) {
      // `item` is the one to go. The queue fits without it, unless the limit
      // shrank meanwhile (the socket's own buffer grew): then shed as usual.
      const dropped = 1 + this.shed(limit);
      return { outcome: this.queuedBytes > limit ? 'overflow' : 'refused', dropped };
    }
    return { outcome: 'overflow', dropped: 0 };
  }

  shift(): QueuedFrame | undefined {
    const item = this.peek();
    if (!item) return undefined;
    this.items[this.head] = undefined;
    this.head += 1;
    this.forget(item);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.cursor.low = Math.max(0, this.cursor.low - this.head);
      this.cursor.normal = Math.max(0, this.cursor.normal - this.head);
      this.head = 0;
    }
    return item;
  }

  /**
   * Drops droppable frames, every LOW before any NORMAL and the oldest
   * first within each, until `bytes` is at most `limit`. Returns how many
   * were dropped; the queue may still be over the limit with only
   * undroppable frames left.
   */
  shed(limit: number): number {
    if (this.queuedBytes <= limit) return 0;
    return this.dropAtLeast(this.queuedBytes - limit, ['low', 'normal']);
  }

  /**
   * Drops droppable frames queued before `cutoff`. Returns how many, and
   * whether an undroppable frame is that old (the socket is too slow).
   */
  expire(cutoff: number): { dropped: number; stale: boolean } {
    let dropped = 0;
    let stale = false;
    for (let index = this.head; index < this.items.length; index++) {
      const item = this.items[index];
      if (!item) continue;
      // Frames are queued in time order: the rest are younger.
      if (item.queuedAt >= cutoff) break;
      if (isDroppable(item.cls)) {
        this.items[index] = undefined;
        this.forget(item);
        dropped += 1;
      } else stale = true;
    }
    return { dropped, stale };
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.live = 0;
    this.queuedBytes = 0;
    this.droppableBytes.low = this.droppableBytes.normal = 0;
    this.cursor.low = this.cursor.normal = 0;
  }

  /** Drops the oldest frames of `classes`, one class after the other, until `bytes` are freed or none is left; returns how many. */
  private dropAtLeast(bytes: number, classes: readonly ('low' | 'normal')[]): number {
    let freed = 0;
    let dropped = 0;
    for (const cls of classes) {
      while (freed < bytes && this.droppableBytes[cls] > 0) {
        const item = this.dropOldest(cls);
        if (!item) break;
        freed += item.bytes;
        dropped += 1;
      }
    }
    return dropped;
  }

  private dropOldest(cls: 'low' | 'normal'): QueuedFrame | undefined {
    let index = Math.max(this.cursor[cls], this.head);
    for (; index < this.items.length; index++) {
      const item = this.items[index];
      if (item?.cls !== cls) continue;
      this.items[index] = undefined;
      this.cursor[cls] = index + 1;
      this.forget(item);
      return item;
    }
    this.cursor[cls] = index;
    return undefined;
  }

  /** Takes a frame that left the queue (written or dropped) out of the counts. */
  private forget(item: QueuedFrame): void {
    this.live -= 1;
    this.queuedBytes -= item.bytes;
    if (item.cls === 'low' || item.cls === 'normal') this.droppableBytes[item.cls] -= item.bytes;
  }
}
