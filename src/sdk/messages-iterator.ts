/**
 * Pages backwards through a conversation's history (guide: 聊天记录). Each
 * page is in ascending time order; the next page ends just before the
 * first message of the previous one (its time and id together, so messages
 * sharing a millisecond are neither skipped nor repeated).
 */
import type { Message } from './messages/message.js';

/** Options of `queryMessages` that the iterator pages with. */
export interface PageQuery {
  limit?: number | undefined;
  beforeTime?: Date | number | undefined;
  beforeMessageId?: string | undefined;
}

/** Options of `createMessagesIterator`. */
export interface MessagesIteratorOptions {
  /** Page size; the server's default (20) when absent. */
  limit?: number;
  /** Start before this time (now by default). */
  beforeTime?: Date | number;
  /** Start before this message; needs `beforeTime` (the message's timestamp). */
  beforeMessageId?: string;
}

/** A page: `done` is true on the last one, which may still carry messages. */
export interface MessagesPage {
  value: Message[];
  done: boolean;
}

/** Pages of a conversation's history, newest first; from `conversation.createMessagesIterator()`. */
export class MessagesIterator implements AsyncIterable<Message[]> {
  readonly #query: (options: PageQuery) => Promise<Message[]>;
  readonly #limit: number | undefined;
  #cursor: PageQuery;
  #finished = false;
  #last: Promise<unknown> = Promise.resolve();

  /** @internal Created by `Conversation#createMessagesIterator`. */
  constructor(query: (options: PageQuery) => Promise<Message[]>, options: MessagesIteratorOptions = {}) {
    this.#query = query;
    this.#limit = options.limit;
    this.#cursor = { beforeTime: options.beforeTime, beforeMessageId: options.beforeMessageId };
  }

  /**
   * Fetches the next (older) page. Calls made before the previous one
   * settled wait for it. A failed page does not advance the cursor: calling
   * again retries it.
   */
  next(): Promise<MessagesPage> {
    const page = this.#last.then(
      () => this.#fetch(),
      () => this.#fetch(),
    );
    this.#last = page;
    return page;
  }

  /** Yields the pages, last one included, for `for await`. */
  async *[Symbol.asyncIterator](): AsyncIterator<Message[]> {
    for (;;) {
      const { value, done } = await this.next();
      if (value.length > 0) yield value;
      if (done) return;
    }
  }

  async #fetch(): Promise<MessagesPage> {
    if (this.#finished) return { value: [], done: true };
    const messages = await this.#query({ ...this.#cursor, limit: this.#limit });
    // A short page is the last: the server had no more before the cursor.
    this.#finished = messages.length === 0 || (this.#limit !== undefined && messages.length < this.#limit);
    const oldest = messages[0];
    if (oldest) this.#cursor = { beforeTime: oldest.timestamp, beforeMessageId: oldest.id };
    return { value: messages, done: this.#finished };
  }
}
