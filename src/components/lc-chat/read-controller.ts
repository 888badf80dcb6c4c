/**
 * Read tracking: the conversation is marked read when the reader is looking
 * at its newest messages (page visible, list at the bottom); the unread
 * separator marks where the messages that came while they were away begin;
 * messages arriving while they scroll back count as "new".
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SharedClient } from '../client/shared-client.js';
import type { ChatMessage } from '../model/chat-message.js';
import type { HistoryController } from './history-controller.js';

export interface ReadHost {
  client(): SharedClient | undefined;
  readonly history: HistoryController;
  /** The list is scrolled to its newest message. */
  atBottom(): boolean;
}

export class ReadController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #read: ReadHost;
  #firstUnreadId: string | undefined;
  #newCount = 0;
  /** An unread count whose first message is not loaded yet. */
  #mark: { count: number; until: number } | undefined;
  /**
   * Time of the newest message when the conversation opened: unread
   * messages up to it came while the reader was away (the separator goes
   * before them); later ones arrived live. Cleared once used.
   */
  #openedAt: number | undefined;

  constructor(host: ReactiveControllerHost, read: ReadHost) {
    this.#host = host;
    this.#read = read;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** The message the unread separator goes before. */
  get firstUnreadId(): string | undefined {
    return this.#firstUnreadId;
  }

  /** Messages that arrived while the reader was scrolled away from the bottom. */
  get newCount(): number {
    return this.#newCount;
  }

  reset(): void {
    this.#firstUnreadId = undefined;
    this.#newCount = 0;
    this.#mark = undefined;
    this.#openedAt = undefined;
    this.#host.requestUpdate();
  }

  /** The newest page from the server is shown. */
  opened(): void {
    this.#openedAt = this.#read.history.messages.at(-1)?.timestamp;
    this.markIfReading();
  }

  /** A message from someone else arrived: count it if the reader is not looking. */
  arrived(message: ChatMessage): void {
    if (this.#reading()) {
      this.markIfReading();
      return;
    }
    if (!this.#read.atBottom()) this.#newCount += 1;
    this.#firstUnreadId ??= message.id;
    this.#host.requestUpdate();
  }

  /** The reader is back at the bottom (scrolled, or jumped there). */
  seenNewest(): void {
    if (this.#newCount) {
      this.#newCount = 0;
      this.#host.requestUpdate();
    }
    this.markIfReading();
  }

  /** The user sent a message: they have caught up with everything. */
  answered(): void {
    this.#firstUnreadId = undefined;
    this.#newCount = 0;
    this.#host.requestUpdate();
  }

  /** Older messages were loaded: the separator may find its place now. */
  olderLoaded(): void {
    this.#place();
  }

  /**
   * Marks the conversation read if the reader is looking at its newest messages.
   * @returns whether it did (there was something unread and the reader is looking)
   */
  markIfReading(): boolean {
    const client = this.#read.client();
    const history = this.#read.history;
    const conversation = history.conversation;
    // Not before the newest page from the server is in: unread counts are counted from it.
    if (!client || !conversation || !history.caughtUp || !this.#reading()) return false;
    const unread = Math.max(client.unread(conversation.id), conversation.unreadMessagesCount);
    if (unread <= 0) return false;
    // Before they count as read, remember where the ones that came while the
    // reader was away begin (those that arrived live since do not count).
    const openedAt = this.#openedAt;
    if (openedAt !== undefined) {
      this.#openedAt = undefined;
      const live = history.messages.filter((message) => message.from !== client.clientId && message.timestamp > openedAt).length;
      if (unread - live > 0 && !this.#firstUnreadId) {
        this.#mark = { count: unread - live, until: openedAt };
        this.#place();
      }
    }
    client.markRead(conversation);
    return true;
  }

  #reading(): boolean {
    return document.visibilityState === 'visible' && this.#read.atBottom();
  }

  /** The separator goes before the first of `count` messages from others up to `until`, once that one is loaded. */
  #place(): void {
    const mark = this.#mark;
    if (!mark) return;
    const me = this.#read.client()?.clientId;
    const history = this.#read.history;
    const others = history.messages.filter((message) => message.from !== me && message.timestamp <= mark.until);
    if (others.length >= mark.count || (history.older === 'end' && others.length)) {
      this.#firstUnreadId = others[Math.max(0, others.length - mark.count)]!.id;
      this.#mark = undefined;
      this.#host.requestUpdate();
    }
  }

  readonly #onVisibility = (): void => void this.markIfReading();
}
