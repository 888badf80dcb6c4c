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

export class SendQueue {
  private items: QueuedFrame[] = [];
  /** Index of the first live item: shifting is O(1), compaction amortized. */
  private head = 0;
  private queuedBytes = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  /** The oldest frame, if any. */
  peek(): QueuedFrame | undefined {
    return this.items[this.head];
  }

  push(item: QueuedFrame): void {
    this.items.push(item);
    this.queuedBytes += item.bytes;
  }

  shift(): QueuedFrame | undefined {
    const item = this.items[this.head];
    if (!item) return undefined;
    this.head += 1;
    this.queuedBytes -= item.bytes;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
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
    const dropped = new Set<QueuedFrame>();
    for (const cls of ['low', 'normal'] as const) {
      for (let index = this.head; index < this.items.length && this.queuedBytes > limit; index++) {
        const item = this.items[index]!;
        if (item.cls !== cls) continue;
        dropped.add(item);
        this.queuedBytes -= item.bytes;
      }
    }
    if (dropped.size > 0) this.keep((item) => !dropped.has(item));
    return dropped.size;
  }

  /**
   * Drops droppable frames queued before `cutoff`. Returns how many, and
   * whether an undroppable frame is that old (the socket is too slow).
   */
  expire(cutoff: number): { dropped: number; stale: boolean } {
    let dropped = 0;
    let stale = false;
    for (let index = this.head; index < this.items.length; index++) {
      const item = this.items[index]!;
      // Frames are queued in time order: the rest are younger.
      if (item.queuedAt >= cutoff) break;
      if (isDroppable(item.cls)) dropped += 1;
      else stale = true;
    }
    if (dropped > 0) {
      this.keep((item) => item.queuedAt >= cutoff || !isDroppable(item.cls));
      this.queuedBytes = this.items.reduce((sum, item) => sum + item.bytes, 0);
    }
    return { dropped, stale };
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.queuedBytes = 0;
  }

  private keep(predicate: (item: QueuedFrame) => boolean): void {
    this.items = this.items.slice(this.head).filter(predicate);
    this.head = 0;
  }
}
