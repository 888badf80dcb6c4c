// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Conversation, IMClient } from '../../sdk/index.js';
import type { CachedConversation } from '../cache/chat-cache.js';
import { LcWidgetElement } from '../client/lc-widget-element.js';
import type { SharedClient, SharedClientEvents } from '../client/shared-client.js';
import { LcConversationSelectEvent, LcNewConversationEvent, LcUnreadChangeEvent } from '../events.js';
import { fromSdkMessage, type ChatMessage } from '../model/chat-message.js';
import { renderAvatar } from '../lc-chat/message-list.js';
import { chatIcon } from '../lc-chat/icons.js';
import { previewText } from '../renderers/preview.js';
import { formatDay, formatTime } from '../util/format.js';
import { styles } from './lc-conversation-list.styles.js';
import type { ListenerMap } from '../client/listen.js';
import { onSupportSaved, supportOf, type SupportInfo } from '../lc-support/support-info.js';
import { passesStatus, renderMention, renderStatusFilter, renderVisitorLine, STATUS_FILTERS, supportStyles, type StatusFilter } from './support-row.js';

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

/** Conversations per page, unless `page-size` says otherwise. */
const DEFAULT_PAGE_SIZE = 50;
/** The most one query may ask for (the server's limit). */
const MAX_QUERY_LIMIT = 1000;
/** How long the first network load waits for the cached list to be read. */
const CACHE_WAIT_MS = 500;

const plusIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M12 5v14M5 12h14"/></svg>`;
const searchIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><circle cx="11" cy="11" r="6.5"/><path d="m20 20-4.2-4.2"/></svg>`;

/**
 * The user's conversations, newest activity first: name (or the other
 * member), the last message's text form, its time and an unread badge.
 * Updates live, shows the cached list at once, and can drive an
 * `<lc-chat>` by id.
 *
 * The list loads `page-size` conversations at a time: the next page comes
 * when the user scrolls (or moves with the keyboard) near the end, or
 * presses "show more". Pages are skip/limit queries ordered by last
 * activity; a conversation already listed (say one that moved to the top
 * with a live message while the user was paging) is never listed twice.
 *
 * ```html
 * <lc-realtime server="wss://chat.example.com" app-id="…" client-id="alice">
 *   <lc-conversation-list for="chat"></lc-conversation-list>
 *   <lc-chat id="chat"></lc-chat>
 * </lc-realtime>
 * ```
 *
 * Event data is on the event (`event.count`) and, as with `CustomEvent`, in `event.detail` (`event.detail.count`).
 *
 * @summary An inbox: the user's conversations with previews and unread badges, live.
 *
 * @fires {LcConversationSelectEvent} lc-conversation-select - The user chose a conversation (`conversationId`, `conversation`).
 * @fires {LcUnreadChangeEvent} lc-unread-change - A conversation's unread count changed (`conversationId`, `count`, `total`).
 * @fires {LcNewConversationEvent} lc-new-conversation - The "new conversation" button was pressed; the page handles it.
 * @fires {LcErrorEvent} lc-error - Loading the conversations failed (`error`, `operation`).
 *
 * @attr {string} lang - Language of the element's strings (`en`, `zh-CN`).
 *
 * @slot header-actions - Buttons at the end of the header, before "new conversation".
 *
 * @csspart header - The header with the title and actions.
 * @csspart new-button - The "new conversation" button.
 * @csspart filter - The filter (search) input.
 * @csspart list - The list of conversations (`role="listbox"`).
 * @csspart item - One conversation.
 * @csspart badge - An unread badge.
 * @csspart empty - The empty state.
 * @csspart more - The end of the list while more conversations can be loaded: a "show more" button, or the loading indicator.
 * @csspart mention - The "@" beside the unread badge: the unread messages mention the user.
 * @csspart visitor - Support conversations: the visitor's email, page and browser in the row.
 * @csspart status - Support conversations: "Resolved" in the row.
 * @csspart status-filter - The All / Open / Resolved buttons (with `status`).
 *
 * @cssproperty --lc-color-bg - Background.
 * @cssproperty --lc-color-surface - Background of the filter box and of the hovered row.
 * @cssproperty --lc-color-text - Text color.
 * @cssproperty --lc-color-muted - Previews and times.
 * @cssproperty --lc-color-border - Separators.
 * @cssproperty --lc-color-accent - Selection, badges and focus rings.
 * @cssproperty --lc-color-accent-contrast - Text on the accent color.
 * @cssproperty --lc-radius - Corner radius.
 * @cssproperty --lc-font-family - Font stack.
 * @cssproperty --lc-font-size - Base font size.
 * @cssproperty --lc-spacing - Base spacing unit.
 */
export class LcConversationList extends LcWidgetElement {
  static override styles = [styles, supportStyles];

  static override properties = {
    for: { type: String },
    selected: { type: String, reflect: true },
    heading: { type: String },
    noFilter: { type: Boolean, attribute: 'no-filter' },
    noNew: { type: Boolean, attribute: 'no-new' },
    pageSize: { type: Number, attribute: 'page-size' },
    status: { type: String, reflect: true },
    _items: { state: true },
    _phase: { state: true },
    _query: { state: true },
    _hasMore: { state: true },
    _loadingMore: { state: true },
  };

  /** id of an `<lc-chat>` (in the same document or shadow root) that shows the chosen conversation. */
  declare for: string | undefined;
  /** The chosen conversation's id. */
  declare selected: string | undefined;
  /** Title in the header (default: localized "Conversations"). */
  declare heading: string | undefined;
  /** Hides the filter box. */
  declare noFilter: boolean;
  /** Hides the "new conversation" button. */
  declare noNew: boolean;
  /** Conversations loaded per page (1 to 1000, default 50); more load as the user scrolls to the end. */
  declare pageSize: number;
  /**
   * A support inbox: lists only `open` or `resolved` conversations (see
   * `<lc-support>`), or `all`, and shows All / Open / Resolved buttons that
   * change it. Without it: every conversation, no buttons.
   */
  declare status: StatusFilter | undefined;

  declare private _items: ConversationListItem[];
  declare private _phase: 'idle' | 'loading' | 'ready' | 'error';
  declare private _query: string;
  declare private _hasMore: boolean;
  declare private _loadingMore: boolean;

  #unsubscribeIm: (() => void) | undefined;
  #conversations = new Map<string, Conversation>();
  #total = 0;
  #loadToken = 0;
  #focusedId: string | undefined;
  /** Server rows consumed by the pages loaded so far: the next page's `skip`. */
  #offset = 0;
  /** The cached list's read: the first network load waits for it, to ask for at least as many. */
  #cacheRead: Promise<void> = Promise.resolve();
  #more: Promise<void> | undefined;
  #sentinel: IntersectionObserver | undefined;
  #stopSupport: (() => void) | undefined;

  constructor() {
    super();
    this.noFilter = false;
    this.noNew = false;
    this.pageSize = DEFAULT_PAGE_SIZE;
    this._items = [];
    this._phase = 'idle';
    this._query = '';
    this._hasMore = false;
    this._loadingMore = false;
  }

  /** The conversations, newest activity first (unfiltered). */
  get items(): readonly ConversationListItem[] {
    return this._items;
  }

  /** Unread messages across the listed conversations. */
  get unreadTotal(): number {
    return this._items.reduce((sum, item) => sum + item.unread, 0);
  }

  /** Whether the server has conversations beyond the pages loaded so far. */
  get hasMore(): boolean {
    return this._hasMore;
  }

  /** Loads the list from the server again (as many conversations as are loaded now). */
  refresh(): Promise<void> {
    return this.#load();
  }

  /**
   * Loads the next page of conversations, as scrolling to the end does.
   * Resolves when it is listed; does nothing when everything is loaded.
   */
  loadMore(): Promise<void> {
    this.#more ??= this.#loadMore().finally(() => (this.#more = undefined));
    return this.#more;
  }

  /**
   * Chooses a conversation as if the user had: fires
   * `lc-conversation-select`, drives the `for` chat and marks it read.
   */
  select(conversationId: string): void {
    this.selected = conversationId;
    this.#focusedId = conversationId;
    const conversation = this.#conversations.get(conversationId);
    this.dispatchEvent(new LcConversationSelectEvent(conversationId, conversation));
    if (this.for) {
      const root = this.getRootNode() as Document | ShadowRoot;
      const chat = root.getElementById?.(this.for) ?? document.getElementById(this.for);
      if (chat && 'conversationId' in chat) (chat as HTMLElement & { conversationId: string | undefined }).conversationId = conversationId;
    }
    this.#markRead(conversationId);
  }

  // ---- data ------------------------------------------------------------------

  protected override clientChanged(client: SharedClient | undefined): void {
    this.#unsubscribeIm?.();
    this.#unsubscribeIm = undefined;
    this.#conversations.clear();
    this._items = [];
    this._phase = 'idle';
    this.#offset = 0;
    this._hasMore = false;
    this._loadingMore = false;
    if (!client) return;
    this.#cacheRead = this.#loadCached(client);
    if (client.state === 'online') void this.#load();
    else this._phase = 'loading';
  }

  async #loadCached(client: SharedClient): Promise<void> {
    let cached: CachedConversation[] = [];
    try {
      cached = await (await client.cache).conversations();
    } catch {
      return;
    }
    // The network answered first, or the client changed: the cache is stale.
    if (this.client !== client || this._phase === 'ready') return;
    const known = new Set(this._items.map((item) => item.id));
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
    if (items.length) this.#setItems([...this._items, ...items]);
  }

  async #load(): Promise<void> {
    const client = this.client;
    const im = client?.imClient;
    if (!client || !im) return;
    const token = ++this.#loadToken;
    if (this._phase !== 'ready') this._phase = 'loading';
    // A page in flight belongs to the list this load replaces.
    this._loadingMore = false;
    this.#watchIm(im);
    // A local read, done in milliseconds: then the cached rows count below.
    // Not waited for long: a blocked IndexedDB must not hold the list back.
    await Promise.race([this.#cacheRead, new Promise((resolve) => setTimeout(resolve, CACHE_WAIT_MS))]);
    if (token !== this.#loadToken || this.client !== client) return;
    // Again as many as the user has paged through or the cache shows, at
    // least one page: the list does not shrink under the reader when the
    // network answers.
    const limit = Math.min(MAX_QUERY_LIMIT, Math.max(this.#pageSize(), this.#offset, this._items.length));
    let found: Conversation[];
    try {
      found = await this.#query(im, client.clientId, 0, limit);
    } catch (error) {
      if (token !== this.#loadToken) return;
      if (this._phase !== 'ready') this._phase = this._items.length ? 'ready' : 'error';
      this.emitError(error, 'conversations');
      return;
    }
    if (token !== this.#loadToken || this.client !== client) return;
    this.#offset = found.length;
    this._hasMore = found.length === limit;
    const items = found.filter((conversation) => !conversation.transient).map((conversation) => this.#fromConversation(conversation));
    const before = new Map(this._items.map((item) => [item.id, item.unread]));
    this._phase = 'ready';
    this.#setItems(items);
    void this.#persist(items);
    // What the page shows (its title, say) follows the server's counts from the start.
    for (const item of this._items) {
      if (item.unread !== (before.get(item.id) ?? 0)) this.dispatchEvent(new LcUnreadChangeEvent(item.id, item.unread, this.#total));
    }
  }

  #pageSize(): number {
    const size = Math.floor(this.pageSize);
    return Number.isFinite(size) && size >= 1 ? Math.min(MAX_QUERY_LIMIT, size) : DEFAULT_PAGE_SIZE;
  }

  /** One page of the user's conversations, newest activity first (the server breaks ties by id, so pages are stable). */
  #query(im: IMClient, clientId: string, skip: number, limit: number): Promise<Conversation[]> {
    return im.getQuery().containsMembers([clientId]).withLastMessagesRefreshed(true).addDescending('lm').skip(skip).limit(limit).find();
  }

  async #loadMore(): Promise<void> {
    const client = this.client;
    const im = client?.imClient;
    if (!client || !im || this._phase !== 'ready' || !this._hasMore) return;
    const token = this.#loadToken;
    const skip = this.#offset;
    const limit = this.#pageSize();
    this._loadingMore = true;
    let found: Conversation[];
    try {
      found = await this.#query(im, client.clientId, skip, limit);
    } catch (error) {
      if (token !== this.#loadToken) return;
      this._loadingMore = false;
      this.emitError(error, 'conversations');
      return;
    }
    if (token !== this.#loadToken || this.client !== client) return;
    this._loadingMore = false;
    // Kept relative: a conversation that left the list meanwhile moved the server's rows up (see `kicked`).
    this.#offset += found.length;
    this._hasMore = found.length === limit;
    // A conversation listed already (it moved up with a live message and so pushed rows into this page) keeps its row:
    // the live one is at least as new.
    const listed = new Map(this._items.map((item) => [item.id, item]));
    const before = new Map(this._items.map((item) => [item.id, item.unread]));
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
      if (item.unread !== (before.get(item.id) ?? 0)) this.dispatchEvent(new LcUnreadChangeEvent(item.id, item.unread, this.#total));
    }
  }

  /** Loads the next page when the end of the list is near (and no filter narrows it: then "show more" does). */
  #checkMore(): void {
    if (!this._hasMore || this._loadingMore || this._phase !== 'ready' || this._query.trim()) return;
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroll');
    if (!scroller || scroller.scrollHeight <= scroller.clientHeight) return;
    if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= Math.max(120, scroller.clientHeight / 2)) void this.loadMore();
  }

  /**
   * Watches the end of the list: it comes into view when the user scrolls
   * the list, or the page when the list is as tall as its content. Watched
   * afresh after every page, since an observer only reports changes.
   */
  #watchEnd(): void {
    this.#sentinel?.disconnect();
    const end = this.renderRoot.querySelector('.more');
    if (!end || !this._hasMore || this._loadingMore || this._phase !== 'ready') return;
    this.#sentinel ??= new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !this._query.trim()) void this.loadMore();
      },
      { rootMargin: '200px' },
    );
    this.#sentinel.observe(end);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const keys = changed as Map<PropertyKey, unknown>;
    if (keys.has('_items') || keys.has('_hasMore') || keys.has('_loadingMore') || keys.has('_phase') || keys.has('_query')) {
      this.#watchEnd();
      this.#checkMore();
    }
  }

  #fromConversation(conversation: Conversation): ConversationListItem {
    this.#conversations.set(conversation.id, conversation);
    const last = conversation.lastMessage ? fromSdkMessage(conversation.lastMessage, conversation.id) : undefined;
    const known = this.client?.unread(conversation.id) ?? 0;
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
    const client = this.client;
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
    this._items = [...items].sort((a, b) => b.lastMessageAt - a.lastMessageAt || a.id.localeCompare(b.id));
    const total = this.unreadTotal;
    this.#total = total;
  }

  /** Applies a change to one conversation (adding it when new), keeps the order and reports unread changes. */
  #patch(id: string, change: (item: ConversationListItem) => ConversationListItem, create?: () => ConversationListItem): void {
    const index = this._items.findIndex((item) => item.id === id);
    const before = index >= 0 ? this._items[index]! : create?.();
    if (!before) return;
    const after = change(before);
    const items = index >= 0 ? this._items.map((item, i) => (i === index ? after : item)) : [...this._items, after];
    const previousTotal = this.#total;
    this.#setItems(items);
    void this.#persist([after]);
    if (after.unread !== (index >= 0 ? before.unread : 0) || this.#total !== previousTotal) {
      this.dispatchEvent(new LcUnreadChangeEvent(id, after.unread, this.#total));
    }
  }

  #onMessage(message: ChatMessage, conversation: Conversation): void {
    if (conversation.transient) return;
    const own = message.from === this.client?.clientId;
    this.#patch(
      conversation.id,
      (item) => ({
        ...item,
        name: conversation.name ?? item.name,
        members: conversation.members.length ? [...conversation.members] : item.members,
        lastMessage: message,
        lastMessageAt: Math.max(item.lastMessageAt, message.timestamp),
        // The SDK keeps the count (and may have updated it before this event).
        unread: own || this.selected === conversation.id ? item.unread : conversation.unreadMessagesCount,
        mentioned: own || this.selected === conversation.id ? item.mentioned : conversation.unreadMessagesCount > 0 && conversation.unreadMessagesMentioned,
      }),
      () => this.#fromConversation(conversation),
    );
    // The conversation shown in the driven chat is read as it arrives.
    if (!own && this.selected === conversation.id && this.for) this.#markRead(conversation.id);
  }

  #markRead(id: string): void {
    const conversation = this.#conversations.get(id);
    if (conversation && this.client) this.client.markRead(conversation);
    this.#patch(id, (item) => ({ ...item, unread: 0, mentioned: false }));
  }

  protected override clientListeners(): ListenerMap<SharedClientEvents> {
    return {
      state: (state, previous) => {
        // A new login or a return after a drop: the list may have changed.
        if (state === 'online' && previous !== 'online') void this.#load();
      },
      message: (message, conversation) => this.#onMessage(message, conversation),
      sent: (message, conversation) => this.#onMessage(message, conversation),
      unread: (cid, count) =>
        this.#patch(cid, (item) => ({ ...item, unread: count, mentioned: count > 0 && (this.#conversations.get(cid)?.unreadMessagesMentioned ?? item.mentioned) })),
      update: (message, conversation) =>
        this.#patch(conversation.id, (item) => (item.lastMessage?.id === message.id ? { ...item, lastMessage: message } : item)),
    };
  }

  /** Member changes come straight from the IMClient (the shared client does not relay them). */
  #watchIm(im: IMClient): void {
    this.#unsubscribeIm?.();
    const members = (_payload: unknown, conversation: Conversation): void => {
      if (conversation.transient) return;
      this.#patch(
        conversation.id,
        (item) => ({ ...item, members: [...conversation.members], name: conversation.name ?? item.name, support: supportOf(conversation) }),
        () => this.#fromConversation(conversation),
      );
    };
    const kicked = (_payload: unknown, conversation: Conversation): void => {
      this.#conversations.delete(conversation.id);
      // The server's later rows move up one: the next page starts one earlier (a row seen twice is merged, none is skipped).
      if (this._items.some((item) => item.id === conversation.id) && this.#offset > 0) this.#offset -= 1;
      this.#setItems(this._items.filter((item) => item.id !== conversation.id));
      void this.client?.cache.then((cache) => cache.putConversation({ id: conversation.id, members: [], updatedAt: Date.now(), listed: false }));
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

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribeIm?.();
    this.#unsubscribeIm = undefined;
    this.#sentinel?.disconnect();
    this.#sentinel = undefined;
    this.#stopSupport?.();
    this.#stopSupport = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A status changed by a <lc-chat> on this page: the server tells only the other members.
    this.#stopSupport ??= onSupportSaved((cid) => {
      const conversation = this.#conversations.get(cid);
      if (conversation) this.#patch(cid, (item) => ({ ...item, support: supportOf(conversation) }));
    });
  }

  // ---- view ------------------------------------------------------------------

  /** The conversation's name, else the other members. */
  titleOf(item: ConversationListItem): string {
    if (item.name) return item.name;
    const me = this.client?.clientId;
    const visitor = item.support?.visitor;
    if (visitor?.name && visitor.id !== me) return visitor.name;
    const others = item.members.filter((member) => member !== me);
    if (others.length) return others.map((member) => this.displayName(member)).join(', ');
    return this.localize.value.t('conversation.untitled');
  }

  #visible(): ConversationListItem[] {
    const query = this._query.trim().toLocaleLowerCase();
    const status = this.#status();
    const items = status ? this._items.filter((item) => passesStatus(item.support, status)) : this._items;
    if (!query) return items;
    const { t } = this.localize.value;
    return items.filter((item) =>
      [this.titleOf(item), ...item.members, item.lastMessage ? previewText(item.lastMessage, t) : '', item.support?.visitor?.email ?? ''].some((text) =>
        text.toLocaleLowerCase().includes(query),
      ),
    );
  }

  /** The status filter in effect; an unknown value is ignored (with a warning), as no filter. */
  #status(): StatusFilter | undefined {
    const status = this.status;
    if (status === undefined || status === null) return undefined;
    if (STATUS_FILTERS.includes(status)) return status;
    if (this.#warnedStatus !== status) console.warn(`lc-chat: <lc-conversation-list> status takes all, open or resolved; ignored ${JSON.stringify(status)}`);
    this.#warnedStatus = status;
    return undefined;
  }
  #warnedStatus: string | undefined;

  /** The filter names one conversation exactly (its title or a member): what was looked for is found, more pages are noise. */
  #exactMatch(visible: readonly ConversationListItem[]): boolean {
    const query = this._query.trim().toLocaleLowerCase();
    if (!query) return false;
    return visible.some((item) => [this.titleOf(item), ...item.members].some((text) => text.toLocaleLowerCase() === query));
  }

  #onKeydown(event: KeyboardEvent): void {
    const visible = this.#visible();
    if (!visible.length) return;
    const index = visible.findIndex((item) => item.id === this.#focusedId);
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = index < 0 ? 0 : Math.min(visible.length - 1, index + 1);
        break;
      case 'ArrowUp':
        next = index < 0 ? 0 : Math.max(0, index - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = visible.length - 1;
        break;
      case 'Enter':
      case ' ':
        if (index >= 0 && !(event.target instanceof HTMLInputElement)) {
          event.preventDefault();
          this.select(visible[index]!.id);
        } else if (index < 0 && event.key === 'Enter' && event.target instanceof HTMLInputElement) {
          // Enter in the filter box opens the first match.
          event.preventDefault();
          this.select(visible[0]!.id);
        }
        return;
      default:
        return;
    }
    if (event.target instanceof HTMLInputElement && (event.key === 'Home' || event.key === 'End')) return;
    event.preventDefault();
    this.#focusedId = visible[next]!.id;
    // Reaching the last row loads the next page, as scrolling there does.
    if (next === visible.length - 1) void this.loadMore();
    this.requestUpdate();
    void this.updateComplete.then(() => {
      const row = this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(this.#focusedId ?? '')}"]`);
      row?.focus();
      row?.scrollIntoView({ block: 'nearest' });
    });
  }

  #time(timestamp: number, lang: string): string {
    if (!timestamp) return '';
    const { t } = this.localize.value;
    const day = formatDay(timestamp, lang, { today: '', yesterday: t('day.yesterday') });
    return day === '' ? formatTime(timestamp, lang) : day.length > 12 ? new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' }).format(timestamp) : day;
  }

  #renderItem(item: ConversationListItem, tabbable: boolean): TemplateResult {
    const { t, lang } = this.localize.value;
    const title = this.titleOf(item);
    const me = this.client?.clientId;
    const others = item.members.filter((member) => member !== me);
    const last = item.lastMessage;
    let preview = last ? previewText(last, t) : t('inbox.noMessages');
    if (last && last.from === me) preview = t('preview.you', { text: preview });
    else if (last && others.length > 1) preview = `${this.displayName(last.from)}: ${preview}`;
    const selected = item.id === this.selected;
    return html`<li
      part="item"
      class=${`item${selected ? ' selected' : ''}${item.unread ? ' unread' : ''}`}
      role="option"
      id=${`item-${item.id}`}
      data-id=${item.id}
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${tabbable ? '0' : '-1'}
      @click=${() => this.select(item.id)}
      @focus=${() => (this.#focusedId = item.id)}
    >
      ${renderAvatar(others.length === 1 ? others[0]! : item.id, title)}
      <div class="main">
        <div class="line">
          <span class="name">${title}</span>
          <time class="time" datetime=${item.lastMessageAt ? new Date(item.lastMessageAt).toISOString() : nothing}>${this.#time(item.lastMessageAt, lang)}</time>
        </div>
        <div class="line">
          <span class="preview" dir="auto">${preview}</span>
          ${renderMention(Boolean(item.mentioned && item.unread), this.localize.value)}
          ${item.unread
            ? html`<span class="badge" part="badge" aria-label=${t('inbox.unread', { count: item.unread })}>${item.unread > 99 ? '99+' : item.unread}</span>`
            : nothing}
        </div>
        ${renderVisitorLine(item.support, this.localize.value)}
      </div>
    </li>`;
  }

  #renderBody(visible: ConversationListItem[]): TemplateResult {
    const { t } = this.localize.value;
    if (!visible.length) {
      if (this._items.length) return html`<div class="empty" part="empty">${searchIcon}<strong>${t('inbox.noMatches')}</strong>${this.#renderMore(visible)}</div>`;
      if (this._phase === 'error') return html`<div class="empty" part="empty" role="alert"><strong>${t('inbox.loadError')}</strong><button type="button" class="link-button" @click=${() => this.refresh()}>${t('action.retry')}</button></div>`;
      if (this._phase !== 'ready') return html`<div class="empty" part="empty"><span class="spinner" aria-hidden="true"></span>${t('inbox.loading')}</div>`;
      return html`<div class="empty" part="empty">${chatIcon}<strong>${t('inbox.empty')}</strong><span>${t('inbox.emptyHint')}</span></div>`;
    }
    const focusable = visible.some((item) => item.id === this.#focusedId) ? this.#focusedId : (visible.find((item) => item.id === this.selected) ?? visible[0])!.id;
    return html`<ul class="list" part="list" role="listbox" aria-label=${t('inbox.label')} aria-busy=${this._loadingMore ? 'true' : 'false'} @keydown=${this.#onKeydown}>
        ${visible.map((item) => this.#renderItem(item, item.id === focusable))}
      </ul>
      ${this.#renderMore(visible)}`;
  }

  /** The end of the list while the server has more: a "show more" button, or the spinner while a page loads. */
  #renderMore(visible: readonly ConversationListItem[]): TemplateResult | typeof nothing {
    if (!this._hasMore || this._phase !== 'ready' || this.#exactMatch(visible)) return nothing;
    const { t } = this.localize.value;
    return html`<div class="more" part="more">
      ${this._loadingMore
        ? html`<span class="spinner" aria-hidden="true"></span><span role="status">${t('inbox.loadingMore')}</span>`
        : html`<button type="button" class="link-button" @click=${() => this.loadMore()}>${t('inbox.more')}</button>`}
    </div>`;
  }

  protected override render(): TemplateResult {
    const { t } = this.localize.value;
    const visible = this.#visible();
    const total = this.unreadTotal;
    return html`<div class="frame">
      <header part="header">
        <h2 class="heading">${this.heading ?? t('inbox.label')}${total ? html`<span class="total" aria-label=${t('inbox.unread', { count: total })}>${total > 99 ? '99+' : total}</span>` : nothing}</h2>
        <span class="dot" data-state=${this._state} title=${t(`state.${this._state}`)}></span>
        <slot name="header-actions"></slot>
        ${this.noNew
          ? nothing
          : html`<button type="button" class="icon-button" part="new-button" aria-label=${t('inbox.new')} title=${t('inbox.new')} @click=${() => this.dispatchEvent(new LcNewConversationEvent())}>
              ${plusIcon}
            </button>`}
      </header>
      ${this.noFilter
        ? nothing
        : html`<div class="filter">
            ${searchIcon}
            <input
              part="filter"
              type="search"
              placeholder=${t('inbox.filter')}
              aria-label=${t('inbox.filter')}
              .value=${this._query}
              @input=${(event: Event) => (this._query = (event.target as HTMLInputElement).value)}
              @keydown=${this.#onKeydown}
            />
          </div>`}
      ${this.#status() ? renderStatusFilter(this.#status()!, this.localize.value, (status) => (this.status = status)) : nothing}
      <div class="scroll" @scroll=${() => this.#checkMore()}>${this.#renderBody(visible)}</div>
    </div>`;
  }
}

defineElement('lc-conversation-list', LcConversationList);

declare global {
  interface HTMLElementTagNameMap {
    'lc-conversation-list': LcConversationList;
  }
}
