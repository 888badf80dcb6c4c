/**
 * Delivery acknowledgements for received messages: collected per
 * conversation and sent at most once a second as one
 * `{cmd: ack, ackMessage: {cid, fromts, tots}}` per conversation (no `i`,
 * no reply), instead of one frame per message.
 */
import { CommandType, type Command } from '../protocol/index.js';

interface Range {
  from: number;
  to: number;
}

/** The delivery acks of one IMClient, batched per conversation. */
export class DeliveryAcks {
  readonly #post: (command: Command) => boolean;
  readonly #delay: number;
  #ranges = new Map<string, Range>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param post sends a command without a reply; returns false if it could not be sent
   * @param delay how long acks are collected before sending, ms
   */
  constructor(post: (command: Command) => boolean, delay = 1_000) {
    this.#post = post;
    this.#delay = delay;
  }

  /** Queues the ack of a message of conversation `cid` with server timestamp `timestamp`. */
  add(cid: string, timestamp: number): void {
    const range = this.#ranges.get(cid);
    if (range) {
      range.from = Math.min(range.from, timestamp);
      range.to = Math.max(range.to, timestamp);
    } else {
      this.#ranges.set(cid, { from: timestamp, to: timestamp });
    }
    this.#timer ??= setTimeout(() => this.flush(), this.#delay);
  }

  /** Sends what is queued now. Ranges that cannot be sent (disconnected) stay queued for the next flush. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [cid, { from, to }] of this.#ranges) {
      if (!this.#post({ cmd: CommandType.ack, ackMessage: { cid, fromts: from, tots: to } })) return;
      this.#ranges.delete(cid);
    }
  }

  /** Drops everything queued. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ranges.clear();
  }
}
