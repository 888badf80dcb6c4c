/**
 * The user's conversations as the list shows them: the cached list first
 * (instant, even offline), then the server's, a page at a time (skip/limit
 * by last activity, never a conversation twice), kept in order as messages,
 * counts and members change, and written back to the cache.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Conversation, IMClient } from '../../sdk/index.js';
import type { CachedConversation } from '../cache/chat-cache.js';
import type { SharedClient } from '../client/shared-client.js';
import { fromSdkMessage, type ChatMessage } from '../model/chat-message.js';
import { supportOf, type SupportInfo } from '../lc-support/support-info.js';

/** One row of the list. */
export interface ConversationListItem {
  id: string;
  /** The conversation's own name, if it has one. */
  name: string | undefined;
  members: string[];
  lastMessage: ChatMessage | undefined;
  /** Newest activity (ms): the last message, else creation. */
  lastMessageAt: number;
  unread: number;
  /** The unread messages mention the user (by id or as all). */
  mentioned?: boolean;
  /** Support conversations (see `<lc-support>`): the visitor and the status. */
  support?: SupportInfo | undefined;
}

/** idle: no client; loading: waiting for the server's first answer; ready; error: it failed with nothing to show. */
export type ListPhase = 'idle' | 'loading' | 'ready' | 'error';

/** The most one query may ask for (the server's limit). */
export const MAX_QUERY_LIMIT = 1000;
/** How long the first network load waits for the cached list to be read. */
const CACHE_WAIT_MS = 500;

export interface ListHost {
  /** Conversations per page: a whole number from 1 to `MAX_QUERY_LIMIT`. */
  pageSize(): number;
  /** What the filter box holds: while it narrows the list, only "show more" loads more. */
  query(): string;
  /** The element that scrolls the list. */
  scroller(): HTMLElement | null;
  /** The end of the list ("show more"), while more can be loaded. */
  end(): Element | null;
  /** Loading a page failed. */
  failed(error: unknown): void;
  /** A conversation's unread count is not what the list said before (`total`: across the list). */
  unreadChanged(conversationId: string, count: number, total: number): void;
}

export class ListController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #list: ListHost;
  #client: SharedClient | undefined;
  #items: ConversationListItem[] = [];
  #phase: ListPhase = 'idle';
  #hasMore = false;
  #loadingMore = false;
  #conversations = new Map<string, Conversation>();
  #total = 0;
  #loadToken = 0;
  /** Server rows consumed by the pages loaded so far: the next page's `skip`. */
  #offset = 0;
  /** The cached list's read: the first network load waits for it, to ask for at least as many. */
  #cacheRead: Promise<void> = Promise.resolve();
  #more: Promise<void> | undefined;
  #sentinel: IntersectionObserver | undefined;
  #unsubscribeIm: (() => void) | undefined;
  /** What the end of the list was last checked for: a change looks again. */
  #checked: readonly unknown[] | undefined;

  constructor(host: ReactiveControllerHost, list: ListHost) {
    this.#host = host;
    this.#list = list;
    host.addController(this);
  }

  /** The conversations, newest activity first. */
  get items(): readonly ConversationListItem[] {
    return this.#items;
  }

  get phase(): ListPhase {
    return this.#phase;
  }

  /** Whether the server has conversations beyond the pages loaded so far. */
  get hasMore(): boolean {
    return this.#hasMore;
  }

  /** A page beyond the first is on its way. */
  get loadingMore(): boolean {
    return this.#loadingMore;
  }

  /** The SDK's conversation behind a row, once the server listed it. */
  conversation(id: string): Conversation | undefined {
    return this.#conversations.get(id);
  }

  hostUpdated(): void {
    const view = [this.#items, this.#hasMore, this.#loadingMore, this.#phase, this.#list.query()];
    if (this.#checked?.every((value, i) => value === view[i])) return;
    this.#checked = view;
    this.#watchEnd();
    this.checkMore();
  }

  hostDisconnected(): void {
    this.#unsubscribeIm?.();
    this.#unsubscribeIm = undefined;
    this.#sentinel?.disconnect();
    this.#sentinel = undefined;
  }

  /** Starts over with another client (or none): its cached list, then the server's once online. */
  setClient(client: SharedClient | undefined): void {
    this.#unsubscribeIm?.();
    this.#unsubscribeIm = undefined;
    this.#client = client;
    this.#conversations.clear();
    this.#items = [];
    this.#phase = 'idle';
    this.#offset = 0;
    this.#hasMore = false;
    this.#loadingMore = false;
    this.#host.requestUpdate();
    if (!client) return;
    this.#cacheRead = this.#loadCached(client);
    if (client.state === 'online') void this.load();
    else this.#phase = 'loading';
  }

  /** Loads the list from the server again (as many conversations as are loaded now). */
  async load(): Promise<void> {
    const client = this.#client;
    const im = client?.imClient;
    if (!client || !im) return;
    const token = ++this.#loadToken;
    if (this.#phase !== 'ready') this.#set(() => (this.#phase = 'loading'));
    // A page in flight belongs to the list this load replaces.
    this.#set(() => (this.#loadingMore = false));
    this.#watchIm(im);
    // A local read, done in milliseconds: then the cached rows count below.
    // Not waited for long: a blocked IndexedDB must not hold the list back.
    await Promise.race([this.#cacheRead, new Promise((resolve) => setTimeout(resolve, CACHE_WAIT_MS))]);
    if (token !== this.#loadToken || this.#client !== client) return;
    // Again as many as the user has paged through or the cache shows, at
    // least one page: the list does not shrink under the reader when the
    // network answers.
    const limit = Math.min(MAX_QUERY_LIMIT, Math.max(this.#list.pageSize(), this.#offset, this.#items.length));
    let found: Conversation[];
    try {
      found = await this.#query(im, client.clientId, 0, limit);
    } catch (error) {
      if (token !== this.#loadToken) return;
      if (this.#phase !== 'ready') this.#set(() => (this.#phase = this.#items.length ? 'ready' : 'error'));
      this.#list.failed(error);
      return;
    }
    if (token !== this.#loadToken || this.#client !== client) return;
    this.#offset = found.length;
    this.#hasMore = found.length === limit;
    const items = found.filter((conversation) => !conversation.transient).map((conversation) => this.#fromConversation(conversation));
    const before = new Map(this.#items.map((item) => [item.id, item.unread]));
    this.#phase = 'ready';
    this.#setItems(items);
    void this.#persist(items);
    // What the page shows (its title, say) follows the server's counts from the start.
    for (const item of this.#items) {
      if (item.unread !== (before.get(item.id) ?? 0)) this.#list.unreadChanged(item.id, item.unread, this.#total);
    }
  }

  /**
   * Loads the next page of conversations. Resolves when it is listed; does
   * nothing when everything is loaded. Calls while a page loads share it.
   */
  loadMore(): Promise<void> {
    this.#more ??= this.#loadMore().finally(() => (this.#more = undefined));
    return this.#more;
  }

  /** Loads the next page when the end of the list is near (and no filter narrows it: then "show more" does). */
  checkMore(): void {
    if (!this.#hasMore || this.#loadingMore || this.#phase !== 'ready' || this.#list.query().trim()) return;
    const scroller = this.#list.scroller();
    if (!scroller || scroller.scrollHeight <= scroller.clientHeight) return;
    if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= Math.max(120, scroller.clientHeight / 2)) void this.loadMore();
  }

  /**
   * Applies a change to one conversation, keeps the order, writes it to the
   * cache and reports an unread change. A conversation not listed is added
   * when `add` gives it, else left alone.
   */
  patch(id: string, change: (item: ConversationListItem) => ConversationListItem, add?: Conversation): void {
    const index = this.#items.findIndex((item) => item.id === id);
    const before = index >= 0 ? this.#items[index]! : add && this.#fromConversation(add);
    if (!before) return;
    const after = change(before);
    const items = index >= 0 ? this.#items.map((item, i) => (i === index ? after : item)) : [...this.#items, after];
    const previousTotal = this.#total;
    this.#setItems(items);
    void this.#persist([after]);
    if (after.unread !== (index >= 0 ? before.unread : 0) || this.#total !== previousTotal) {
      this.#list.unreadChanged(id, after.unread, this.#total);
    }
  }

  /** A state change the element renders. */
  #set(change: () => void): void {
    change();
    this.#host.requestUpdate();
  }

  async #loadCached(client: SharedClient): Promise<void> {
    let cached: CachedConversation[] = [];
    try {
      cached = await (await client.cache).conversations();
    } catch {
      return;
    }
    // The network answered first, or the client changed: the cache is stale.
    if (this.#client !== client || this.#phase === 'ready') return;
    const known = new Set(this.#items.map((item) => item.id));
    const items = cached
      .filter((entry) => entry.listed && !known.has(entry.id))
      .map<ConversationListItem>((entry) => ({
        id: entry.id,
        name: entry.name,
        members: entry.members,
        lastMessage: entry.lastMessage,
        lastMessageAt: entry.lastMessageAt ?? entry.updatedAt,
        unread: entry.unread ?? 0,
      }));
    if (items.length) this.#setItems([...this.#items, ...items]);
  }

  /** One page of the user's conversations, newest activity first (the server breaks ties by id, so pages are stable). */
  #query(im: IMClient, clientId: string, skip: number, limit: number): Promise<Conversation[]> {
    return im.getQuery().containsMembers([clientId]).withLastMessagesRefreshed(true).addDescending('lm').skip(skip).limit(limit).find();
  }

  async #loadMore(): Promise<void> {
    const client = this.#client;
    const im = client?.imClient;
    if (!client || !im || this.#phase !== 'ready' || !this.#hasMore) return;
    const token = this.#loadToken;
    const skip = this.#offset;
    const limit = this.#list.pageSize();
    this.#set(() => (this.#loadingMore = true));
    let found: Conversation[];
    try {
      found = await this.#query(im, client.clientId, skip, limit);
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.#set(() => (this.#loadingMore = false));
      this.#list.failed(error);
      return;
    }
    if (token !== this.#loadToken || this.#client !== client) return;
    this.#set(() => (this.#loadingMore = false));
    // Kept relative: a conversation that left the list meanwhile moved the server's rows up (see `kicked`).
    this.#offset += found.length;
    this.#hasMore = found.length === limit;
    // A conversation listed already (it moved up with a live message and so pushed rows into this page) keeps its row:
    // the live one is at least as new.
    const listed = new Map(this.#items.map((item) => [item.id, item]));
    const before = new Map(this.#items.map((item) => [item.id, item.unread]));
    const added: ConversationListItem[] = [];
    for (const conversation of found) {
      if (conversation.transient) continue;
      const known = listed.get(conversation.id);
      if (known && known.lastMessageAt >= (conversation.lastMessageAt?.getTime() ?? 0)) continue;
      const item = this.#fromConversation(conversation);
      listed.set(item.id, item);
      added.push(item);
    }
    if (!added.length) return;
    this.#setItems([...listed.values()]);
    void this.#persist(added);
    for (const item of added) {
      if (item.unread !== (before.get(item.id) ?? 0)) this.#list.unreadChanged(item.id, item.unread, this.#total);
    }
  }

  /**
   * Watches the end of the list: it comes into view when the user scrolls
   * the list, or the page when the list is as tall as its content. Watched
   * afresh after every page, since an observer only reports changes.
   */
  #watchEnd(): void {
    this.#sentinel?.disconnect();
    const end = this.#list.end();
    if (!end || !this.#hasMore || this.#loadingMore || this.#phase !== 'ready') return;
    this.#sentinel ??= new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !this.#list.query().trim()) void this.loadMore();
      },
      { rootMargin: '200px' },
    );
    this.#sentinel.observe(end);
  }

  #fromConversation(conversation: Conversation): ConversationListItem {
    this.#conversations.set(conversation.id, conversation);
    const last = conversation.lastMessage ? fromSdkMessage(conversation.lastMessage, conversation.id) : undefined;
    const known = this.#client?.unread(conversation.id) ?? 0;
    const unread = Math.max(conversation.unreadMessagesCount, known);
    return {
      id: conversation.id,
      name: conversation.name,
      members: [...conversation.members],
      lastMessage: last,
      lastMessageAt: Math.max(last?.timestamp ?? 0, conversation.lastMessageAt?.getTime() ?? 0, last ? 0 : (conversation.createdAt?.getTime() ?? 0)),
      unread,
      mentioned: unread > 0 && conversation.unreadMessagesMentioned,
      support: supportOf(conversation),
    };
  }

  async #persist(items: readonly ConversationListItem[]): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      const cache = await client.cache;
      await Promise.all(
        items.map((item) =>
          cache.putConversation({
            id: item.id,
            ...(item.name ? { name: item.name } : {}),
            members: item.members,
            updatedAt: Date.now(),
            ...(item.lastMessage ? { lastMessage: item.lastMessage } : {}),
            lastMessageAt: item.lastMessageAt,
            unread: item.unread,
            listed: true,
          }),
        ),
      );
    } catch {
      // The cache only speeds up the next visit.
    }
  }

  #setItems(items: ConversationListItem[]): void {
    this.#items = [...items].sort((a, b) => b.lastMessageAt - a.lastMessageAt || a.id.localeCompare(b.id));
    this.#total = this.#items.reduce((sum, item) => sum + item.unread, 0);
    this.#host.requestUpdate();
  }

  /** Member changes come straight from the IMClient (the shared client does not relay them). */
  #watchIm(im: IMClient): void {
    this.#unsubscribeIm?.();
    const members = (_payload: unknown, conversation: Conversation): void => {
      if (conversation.transient) return;
      this.patch(conversation.id, (item) => ({ ...item, members: [...conversation.members], name: conversation.name ?? item.name, support: supportOf(conversation) }), conversation);
    };
    const kicked = (_payload: unknown, conversation: Conversation): void => {
      this.#conversations.delete(conversation.id);
      // The server's later rows move up one: the next page starts one earlier (a row seen twice is merged, none is skipped).
      if (this.#items.some((item) => item.id === conversation.id) && this.#offset > 0) this.#offset -= 1;
      this.#setItems(this.#items.filter((item) => item.id !== conversation.id));
      void this.#client?.cache.then((cache) => cache.putConversation({ id: conversation.id, members: [], updatedAt: Date.now(), listed: false }));
    };
    const updated = (_payload: unknown, conversation: Conversation): void => members(_payload, conversation);
    im.on('membersjoined', members);
    im.on('membersleft', members);
    im.on('invited', members);
    im.on('kicked', kicked);
    im.on('conversationinfoupdated', updated);
    this.#unsubscribeIm = () => {
      im.off('membersjoined', members);
      im.off('membersleft', members);
      im.off('invited', members);
      im.off('kicked', kicked);
      im.off('conversationinfoupdated', updated);
    };
  }
}
