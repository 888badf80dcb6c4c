/**
 * What a client missed while it was disconnected (issue 4; design §4:
 * "resume after reconnect with nothing lost"). After a login in the default
 * unread-count mode the server reports only counts, so after a reconnect
 * the client itself fetches the history of each conversation it holds,
 * from the oldest of the recent messages it had (so a push lost between
 * two it got is found too, issue 17), and delivers what it lacks as
 * ordinary `message` events. The official SDKs leave this to the app (v4 only refreshes
 * counts and, over REST, membership notifications); the guide's
 * `message` event promises every message, so we keep that promise.
 *
 * This module knows which of each conversation's recent messages were
 * delivered and fetches from before them; PushHandler skips those it has,
 * orders and delivers the rest.
 */
import type { Conversation } from './conversation.js';
import type { Message } from './messages/message.js';

/** Messages per history query while catching up. */
export const CATCH_UP_PAGE_SIZE = 100;
/**
 * Queries per conversation: at most the newest 500 missed messages are
 * delivered. Older ones stay in the history (and in the unread count); a
 * longer absence is the app's to page through, not a burst of events.
 */
export const CATCH_UP_MAX_PAGES = 5;
/** Conversations fetched at once, so a client holding hundreds does not flood the connection. */
const CATCH_UP_CONCURRENCY = 4;
/**
 * Message ids remembered per conversation as delivered. A server re-pushes
 * a message whose receipt it never got (the ack is batched, and the socket
 * can drop first): those re-pushes are among the newest messages. And with
 * several server nodes a push can be lost in the middle of a stream (a
 * node's link to the others broke while it went on delivering its own
 * senders' messages): the catch-up then fills the holes among these, not
 * only what came after the newest.
 */
export const RECENT_IDS = 256;

/** A message the client has (or only its time): catching up starts after it. */
export interface MessagePosition {
  readonly id: string | undefined;
  readonly timestamp: Date;
}

/** Where delivered messages end: after a message, or before a conversation's first message. */
export type Position = MessagePosition | 'start';

export class MissedMessages {
  readonly #delivered = new Map<string, Position>();
  readonly #caughtUp = new Map<string, Set<string>>();
  readonly #recent = new Map<string, Map<string, MessagePosition>>();
  /**
   * Per conversation, a position such that every message after it that was
   * delivered here is in `#recent`: the first message delivered, moved up
   * to each one `#recent` forgets. A catch-up starts there, so a message
   * lost between two delivered ones is found too.
   */
  readonly #floor = new Map<string, MessagePosition>();
  readonly #slots = new Slots(CATCH_UP_CONCURRENCY);

  /** A message was delivered here (a `message` event) or sent from here. */
  delivered(cid: string, message: Message): void {
    const position = { id: message.id, timestamp: message.timestamp };
    this.#delivered.set(cid, newer(this.#delivered.get(cid), position) ?? position);
    let recent = this.#recent.get(cid);
    if (!recent) this.#recent.set(cid, (recent = new Map()));
    if (!this.#floor.has(cid)) this.#floor.set(cid, position);
    recent.set(message.id, position);
    if (recent.size > RECENT_IDS) {
      // A Map iterates in insertion order: the first entry is the oldest.
      const [id, forgotten] = recent.entries().next().value!;
      recent.delete(id);
      this.#floor.set(cid, newer(this.#floor.get(cid), forgotten) as MessagePosition);
    }
  }

  /** Whether this message was delivered here already (by a push or a catch-up), among the recent ones. */
  wasDelivered(cid: string, id: string): boolean {
    return this.#recent.get(cid)?.has(id) ?? false;
  }

  /**
   * Where to catch up from: after the newest message the client has (the
   * last delivered or sent, or `lastMessage` as the server reported it),
   * else after `lastMessageAt`; from the start if the server's data says
   * the conversation had no message (e.g. just created). Undefined for a
   * stand-in the client knows nothing of: it cannot tell missed messages
   * from old history there.
   *
   * Taken before the session re-opens: the `unread` push that follows the
   * re-open moves `lastMessage` to the newest missed message.
   */
  startOf(conversation: Conversation): Position | undefined {
    const lastAt = conversation.lastMessageAt;
    const known = newer(newer(this.#delivered.get(conversation.id), conversation.lastMessage), lastAt && { id: undefined, timestamp: lastAt });
    if (known) return known;
    return conversation.createdAt ? 'start' : undefined;
  }

  /**
   * Where the catch-up fetches from: the floor of what was delivered here,
   * if anything was (older than `from`: the fetch also finds messages lost
   * between delivered ones, and the delivered ones are skipped); else
   * `from`, or a message delivered since (a push that was still queued
   * when `from` was taken).
   */
  resume(cid: string, from: Position): Position {
    return this.#floor.get(cid) ?? newer(from, this.#delivered.get(cid)) ?? from;
  }

  /** Whether the latest catch-up delivered this message: a live push of it is then a duplicate. */
  caughtUp(cid: string, id: string): boolean {
    return this.#caughtUp.get(cid)?.has(id) ?? false;
  }

  /** Remembers the ids a catch-up is about to deliver (only the latest catch-up's: live duplicates arrive right after it). */
  remember(cid: string, messages: readonly Message[]): void {
    this.#caughtUp.set(cid, new Set(messages.map((message) => message.id)));
  }

  /**
   * The conversation's messages after `from`, oldest first: the newest
   * {@link CATCH_UP_PAGE_SIZE} × {@link CATCH_UP_MAX_PAGES} of them,
   * fetched newest page first so a long absence yields the recent ones.
   */
  fetch(conversation: Conversation, from: Position): Promise<Message[]> {
    return this.#slots.run(async () => {
      const after = from === 'start' ? {} : { afterTime: from.timestamp, ...(from.id ? { afterMessageId: from.id } : {}) };
      const pages: Message[][] = [];
      let before: { beforeTime: Date; beforeMessageId: string } | undefined;
      for (let page = 0; page < CATCH_UP_MAX_PAGES; page += 1) {
        const messages = await conversation.queryMessages({ ...after, ...before, limit: CATCH_UP_PAGE_SIZE });
        pages.unshift(messages);
        const oldest = messages[0];
        if (!oldest || messages.length < CATCH_UP_PAGE_SIZE) break;
        before = { beforeTime: oldest.timestamp, beforeMessageId: oldest.id };
      }
      return pages.flat();
    });
  }
}

/** The later of two positions (a message beats `'start'`; on equal times, `a`). */
function newer(a: Position | undefined, b: Position | undefined): Position | undefined {
  if (!a || a === 'start') return b && b !== 'start' ? { id: b.id, timestamp: b.timestamp } : (b ?? a);
  if (!b || b === 'start') return a;
  return b.timestamp > a.timestamp ? { id: b.id, timestamp: b.timestamp } : a;
}

/** Runs at most `size` tasks at a time, the rest in call order. */
class Slots {
  readonly #waiting: (() => void)[] = [];
  #free: number;

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}
