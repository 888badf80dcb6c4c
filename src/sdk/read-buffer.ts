/**
 * `read` commands (protocol.md §4.3): conversations marked read are sent
 * at the end of the task, then at most once per interval as one batched
 * `{cmd: read, readMessage: {convs: [...]}}` (no `i`, no reply), the way
 * the official SDK throttles them. A UI that marks a conversation read on
 * every incoming message thus costs one frame a second, not one per message.
 */
import { CommandType, type Command } from '../protocol/index.js';

/** One conversation's read position. */
export interface ReadTuple {
  cid: string;
  /** Read up to this server time (ms). */
  timestamp: number;
  /** The last message read, when it came from someone else. */
  mid?: string;
}

/** What the buffer needs of a conversation: its position, computed when the command is sent. */
export interface Readable {
  readonly id: string;
  readTuple(): ReadTuple;
}

/** The throttled `read` commands of one IMClient. */
export class ReadBuffer {
  readonly #post: (command: Command) => boolean;
  readonly #interval: number;
  readonly #queued = new Map<string, Readable>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushScheduled = false;

  /**
   * @param post sends a command without a reply; returns false if it could not be sent
   * @param interval the least time between two `read` commands, ms
   */
  constructor(post: (command: Command) => boolean, interval = 1_000) {
    this.#post = post;
    this.#interval = interval;
  }

  /**
   * Queues a conversation. Sent at the end of the current task (so the
   * reads of one `markAllAsRead` share a command), or, if a command went
   * out less than an interval ago, when the interval ends.
   */
  add(conversation: Readable): void {
    this.#queued.set(conversation.id, conversation);
    if (this.#timer !== undefined || this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      if (!this.#flushScheduled) return; // flushed or cleared meanwhile
      this.flush();
    });
  }

  /**
   * Sends what is queued now and starts a new interval. If it cannot be
   * sent (disconnected), it stays queued for the next flush (after reconnect).
   */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushScheduled = false;
    if (this.#queued.size === 0) return;
    const convs = [...this.#queued.values()].map((conversation) => conversation.readTuple());
    if (!this.#post({ cmd: CommandType.read, readMessage: { convs } })) return;
    this.#queued.clear();
    // Later reads within the interval wait for this timer, then go together.
    this.#timer = setTimeout(() => this.flush(), this.#interval);
  }

  /** Drops everything queued. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushScheduled = false;
    this.#queued.clear();
  }
}
