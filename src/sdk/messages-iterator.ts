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
  /** Page size, 1–1000; default 20. */
  limit?: number;
  /** Start before this time (now by default). */
  beforeTime?: Date | number;
  /** Start before this message; needs `beforeTime` (the message's timestamp). */
  beforeMessageId?: string;
}

/** The server's page size when no limit is given. */
const DEFAULT_PAGE_SIZE = 20;
/** The largest page `queryMessages` accepts. */
const MAX_PAGE_SIZE = 1000;

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

  /**
   * @internal Created by `Conversation#createMessagesIterator`.
   * @throws RangeError if `limit` is not an integer from 1 to 1000
   */
  constructor(query: (options: PageQuery) => Promise<Message[]>, options: MessagesIteratorOptions = {}) {
    const { limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${String(limit)}`);
    }
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
    const pageSize = this.#limit ?? DEFAULT_PAGE_SIZE;
    // One message more than a page tells whether an older page exists, so
    // `done` is true on the page with the oldest message, never on an extra
    // empty one (a short page alone cannot tell when the history is an
    // exact multiple of the page size, nor when the server capped the page
    // by bytes).
    const lookahead = pageSize < MAX_PAGE_SIZE;
    const fetched = await this.#query({ ...this.#cursor, limit: lookahead ? pageSize + 1 : pageSize });
    const page = fetched.length > pageSize ? fetched.slice(fetched.length - pageSize) : fetched;
    const oldest = page[0];
    let more = fetched.length > pageSize;
    if (!more && oldest) {
      // Without the lookahead's extra message: a full page of the largest
      // size, or a short page, which the server also sends when the page
      // would pass its byte limit. Probe for one older message.
      more = (await this.#query({ beforeTime: oldest.timestamp, beforeMessageId: oldest.id, limit: 1 })).length > 0;
    }
    if (oldest) this.#cursor = { beforeTime: oldest.timestamp, beforeMessageId: oldest.id };
    this.#finished = !more;
    return { value: page, done: this.#finished };
  }
}
