/**
 * A conversation's messages as the list shows them: the newest page from
 * the cache first (instant, even offline), then from the server, reconciled
 * by message id; older pages on demand; the user's pending messages from
 * the outbox; delivery and read marks from the receipt times.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ClientErrorName, ProtocolError, isTransientError, type Conversation, type IMClient } from '../../sdk/index.js';
import type { ConversationSpec, ReceiptTimes, SharedClient } from '../client/shared-client.js';
import { mergeMessages, statusAfter, type ChatMessage } from '../model/chat-message.js';

/** idle: nothing to show; loading: the first page is on its way; ready; error: nothing could be shown. */
export type HistoryPhase = 'idle' | 'loading' | 'ready' | 'error';
/**
 * The older pages: `end` is the beginning of the conversation; `waiting`:
 * the cache ran out before the server could be asked (catching up asks).
 */
export type OlderState = 'idle' | 'loading' | 'error' | 'end' | 'waiting';

export interface HistoryHost {
  /** Messages per page. */
  pageSize(): number;
  /** Older messages are about to be prepended: keep the reader's place. */
  beforePrepend(): void;
  /** Older messages were prepended (before they render). */
  prepended(): void;
  /** More than a page was missed: the list restarts at the newest page. */
  restarted(): void;
  failed(error: unknown, operation: 'conversation' | 'history'): void;
  /** Own messages shown before whose status moved forward (to delivered or read). */
  receipts(messages: readonly ChatMessage[]): void;
}

/** The later of two receipt times: they only move forward (a late or partial answer must not undo a read). */
function later(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

export class HistoryController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #history: HistoryHost;
  #messages: ChatMessage[] = [];
  #pending: ChatMessage[] = [];
  #phase: HistoryPhase = 'idle';
  #loadError: 'not-found' | 'failed' | undefined;
  #older: OlderState = 'idle';
  #client: SharedClient | undefined;
  #conversation: Conversation | undefined;
  #imClient: IMClient | undefined;
  #cid: string | undefined;
  #caughtUp = false;
  #spec: ConversationSpec | undefined;
  #waiting = false;
  #receiptTimes: ReceiptTimes = { deliveredAt: undefined, readAt: undefined };
  // Bumped on every reset: late results of an earlier conversation are dropped.
  #session = 0;
  #olderRequest: Promise<void> | undefined;

  constructor(host: ReactiveControllerHost, history: HistoryHost) {
    this.#host = host;
    this.#history = history;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Acknowledged messages, oldest first. */
  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  get phase(): HistoryPhase {
    return this.#phase;
  }

  get loadError(): 'not-found' | 'failed' | undefined {
    return this.#loadError;
  }

  get older(): OlderState {
    return this.#older;
  }

  /** The conversation, once the server has it. */
  get conversation(): Conversation | undefined {
    return this.#conversation;
  }

  /** The IMClient the conversation belongs to (a new login needs a new one). */
  get imClient(): IMClient | undefined {
    return this.#imClient;
  }

  /** The conversation id, known from the cache even before the server answers. */
  get cid(): string | undefined {
    return this.#cid;
  }

  /** The newest page from the server is in. */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** What the list shows: acknowledged messages (with receipt marks), then pending ones. */
  items(): ChatMessage[] {
    const sent = new Set(this.#messages.map((message) => message.localId).filter(Boolean));
    return [...this.#messages, ...this.#pending.filter((message) => !sent.has(message.localId))];
  }

  /** Forgets everything: another client or conversation. */
  reset(loading: boolean): void {
    this.#session += 1;
    this.#client = undefined;
    this.#conversation = undefined;
    this.#imClient = undefined;
    this.#cid = undefined;
    this.#messages = [];
    this.#pending = [];
    this.#older = 'idle';
    this.#loadError = undefined;
    this.#caughtUp = false;
    this.#spec = undefined;
    this.#waiting = false;
    this.#receiptTimes = { deliveredAt: undefined, readAt: undefined };
    this.#phase = loading ? 'loading' : 'idle';
    this.#host.requestUpdate();
  }

  /**
   * Opens a conversation: cache, then server. Resolves when the newest page
   * from the server is in, or opening failed (see `phase`), or the
   * connection dropped on the way (`resume()` goes on once it is back).
   */
  async open(client: SharedClient, spec: ConversationSpec): Promise<void> {
    this.reset(true);
    const session = this.#session;
    const current = () => session === this.#session;
    this.#client = client;
    this.#spec = spec;
    // 1. The cache: instant, even offline.
    const cachedCid = await client.cachedConversationId(spec);
    if (!current()) return;
    if (cachedCid) {
      this.#cid = cachedCid;
      const cached = await client.cachedHistory(cachedCid, this.#history.pageSize());
      if (!current()) return;
      this.#set(mergeMessages(this.#messages, cached));
      this.#pending = client.pending(cachedCid);
      if (this.#messages.length || this.#pending.length) this.#phase = 'ready';
      this.#host.requestUpdate();
    }
    // 2. The server (waits for the login).
    await this.#connect();
  }

  /**
   * The connection is back: goes on where a dropped connection stopped
   * opening, or fetches what was missed. Resolves like `open`.
   */
  async resume(): Promise<void> {
    if (!this.#client) return;
    if (this.#conversation) await this.catchUp();
    else if (this.#waiting) await this.#connect();
  }

  /** Whether a dropped connection interrupted opening or catching up (nothing failed for good). */
  get waiting(): boolean {
    return this.#waiting;
  }

  async #connect(): Promise<void> {
    const client = this.#client;
    const spec = this.#spec;
    if (!client || !spec) return;
    const session = this.#session;
    const current = () => session === this.#session;
    this.#waiting = false;
    let conversation: Conversation;
    try {
      conversation = await client.conversation(spec);
    } catch (error) {
      if (!current()) return;
      if (this.#interrupted(error)) return;
      const notFound = (error as { name?: string }).name === 'CONVERSATION_NOT_FOUND';
      this.#loadError = notFound ? 'not-found' : 'failed';
      if (this.#phase !== 'ready' || notFound) this.#phase = 'error';
      this.#host.requestUpdate();
      this.#history.failed(error, 'conversation');
      return;
    }
    if (!current()) return;
    this.#conversation = conversation;
    this.#imClient = client.imClient;
    this.#cid = conversation.id;
    this.#applyTimes(client.receiptTimes(conversation));
    this.#pending = client.pending(conversation.id);
    await this.catchUp();
  }

  /**
   * A request that failed because the connection dropped (or was not up
   * yet) is not a failure to show: the connection state says it, and the
   * request is made again when it is back. Returns whether that was it.
   */
  #interrupted(error: unknown): boolean {
    const client = this.#client;
    if (!client || !isTransientError(error)) return false;
    // A timeout while the client is still online by its account is a real failure. The connection's
    // own errors are not, even in the moment before the client hears that its socket is closing.
    if ((error as ProtocolError).name === ClientErrorName.COMMAND_TIMEOUT && client.state === 'online') return false;
    this.#waiting = true;
    this.#host.requestUpdate();
    return true;
  }

  /** Fetches the newest page and reconciles it with what is shown (after opening, after a reconnect). */
  async catchUp(): Promise<void> {
    const client = this.#client;
    const conversation = this.#conversation;
    if (!client || !conversation) return;
    const session = this.#session;
    const pageSize = this.#history.pageSize();
    this.#waiting = false;
    let page: ChatMessage[];
    try {
      page = await client.history(conversation, pageSize);
    } catch (error) {
      if (session !== this.#session) return;
      if (this.#interrupted(error)) return;
      this.#loadError = 'failed';
      if (!this.#messages.length && this.#phase !== 'ready') this.#phase = 'error';
      this.#host.requestUpdate();
      this.#history.failed(error, 'history');
      return;
    }
    if (session !== this.#session) return;
    this.#loadError = undefined;
    const newestShown = this.#messages.at(-1);
    const oldestFetched = page[0];
    if (page.length >= pageSize && newestShown && oldestFetched && oldestFetched.timestamp > newestShown.timestamp) {
      // More than a page is missing between what we had and now: show the
      // newest page and page back from it, rather than a list with a hole.
      this.#set(page);
      this.#history.restarted();
    } else {
      this.#set(mergeMessages(this.#messages, page));
    }
    if (this.#older !== 'loading') this.#older = page.length < pageSize ? 'end' : 'idle';
    this.#phase = 'ready';
    this.#caughtUp = true;
    this.#host.requestUpdate();
  }

  /**
   * Loads the page before the oldest message shown: from the server, or the
   * cache while offline. While a page is on its way, resolves when it is in
   * (it is not asked for twice).
   */
  loadOlder(): Promise<void> {
    if (this.#older !== 'loading' || !this.#olderRequest) this.#olderRequest = this.#loadOlder();
    return this.#olderRequest;
  }

  async #loadOlder(): Promise<void> {
    const client = this.#client;
    const oldest = this.#messages[0];
    const cid = this.#cid;
    if (!client || !cid || !oldest || this.#older === 'loading' || this.#older === 'end') return;
    if (this.#older === 'waiting' && !(client.state === 'online' && this.#conversation)) return;
    const session = this.#session;
    const pageSize = this.#history.pageSize();
    this.#older = 'loading';
    this.#host.requestUpdate();
    const before = { timestamp: oldest.timestamp, id: oldest.id };
    try {
      const conversation = client.state === 'online' ? this.#conversation : undefined;
      const page = conversation ? await client.history(conversation, pageSize, before) : await client.cachedHistory(cid, pageSize, before);
      if (session !== this.#session) return;
      this.#history.beforePrepend();
      this.#set(mergeMessages(this.#messages, page, { older: true }));
      // Before the server answers, a short page only means the cache ran out: not an error, ask the server later.
      this.#older = page.length < pageSize ? (conversation ? 'end' : 'waiting') : 'idle';
      this.#history.prepended();
    } catch (error) {
      if (session !== this.#session) return;
      // Dropped on the way: the reader scrolling, or the connection coming back, tries again.
      if (this.#interrupted(error)) this.#older = 'waiting';
      else {
        this.#older = 'error';
        this.#history.failed(error, 'history');
      }
    }
    this.#host.requestUpdate();
  }

  /** After a failed older page: allow (and start) another try. */
  retryOlder(): void {
    if (this.#older === 'error') this.#older = 'idle';
    void this.loadOlder();
  }

  /** Adds or updates messages (received, sent, receipts, edits). */
  merge(messages: readonly ChatMessage[]): void {
    this.#set(mergeMessages(this.#messages, messages));
    this.#host.requestUpdate();
  }

  /** The outbox changed. */
  refreshPending(): void {
    if (!this.#client || !this.#cid) return;
    this.#pending = this.#client.pending(this.#cid);
    this.#host.requestUpdate();
  }

  /**
   * The other member got this far: own messages up to those times become
   * delivered or read (`receipts` tells the host which moved).
   */
  applyReceiptTimes(times: ReceiptTimes): void {
    this.#applyTimes(times);
    this.#host.requestUpdate();
  }

  #applyTimes(times: ReceiptTimes): void {
    this.#receiptTimes = {
      deliveredAt: later(this.#receiptTimes.deliveredAt, times.deliveredAt),
      readAt: later(this.#receiptTimes.readAt, times.readAt),
    };
    this.#set(this.#messages);
  }

  /**
   * Replaces the acknowledged messages, with the status the receipt times
   * give them. Statuses the times moved are cached (a reload shows them at
   * once); messages that were already shown and moved are reported. Those
   * appearing for the first time (from the cache, a page) are not news.
   */
  #set(next: ChatMessage[]): void {
    const shown = new Map(this.#messages.map((message) => [message.id, message.status]));
    const settled = this.#withReceipts(next);
    this.#messages = settled;
    const raised = settled.filter((message, index) => message !== next[index]);
    if (raised.length) this.#client?.cacheMessages(raised);
    const moved = settled.filter((message) => {
      const was = shown.get(message.id);
      return was !== undefined && (message.status === 'delivered' || message.status === 'read') && statusAfter(message.status, was);
    });
    if (moved.length) this.#history.receipts(moved);
  }

  /** Own acknowledged messages with the status the receipt times give them (history pages only say "sent"). */
  #withReceipts(messages: ChatMessage[]): ChatMessage[] {
    const { deliveredAt, readAt } = this.#receiptTimes;
    const me = this.#client?.clientId;
    if (deliveredAt === undefined && readAt === undefined) return messages;
    return messages.map((message) => {
      if (message.from !== me || (message.status !== 'sent' && message.status !== 'delivered')) return message;
      if (readAt !== undefined && message.timestamp <= readAt) return { ...message, status: 'read' };
      if (message.status === 'sent' && deliveredAt !== undefined && message.timestamp <= deliveredAt) return { ...message, status: 'delivered' };
      return message;
    });
  }
}
