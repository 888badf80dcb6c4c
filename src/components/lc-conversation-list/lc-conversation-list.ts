// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { html, nothing, type TemplateResult } from 'lit';
import type { Conversation } from '../../sdk/index.js';
import { LcWidgetElement } from '../client/lc-widget-element.js';
import type { SharedClient, SharedClientEvents } from '../client/shared-client.js';
import { LcConversationSelectEvent, LcNewConversationEvent, LcUnreadChangeEvent } from '../events.js';
import type { ChatMessage } from '../model/chat-message.js';
import { renderAvatar } from '../lc-chat/message-list.js';
import { chatIcon } from '../lc-chat/icons.js';
import { previewText } from '../renderers/preview.js';
import { formatDay, formatTime } from '../util/format.js';
import { styles } from './lc-conversation-list.styles.js';
import type { ListenerMap } from '../client/listen.js';
import { onSupportSaved, supportOf } from '../lc-support/support-info.js';
import { passesStatus, renderMention, renderStatusFilter, renderVisitorLine, STATUS_FILTERS, supportStyles, type StatusFilter } from './support-row.js';
import { ListController, MAX_QUERY_LIMIT, type ConversationListItem } from './list-controller.js';
import { addEnglish } from '../i18n/localize.js';
import { enMore } from '../i18n/en-more.js';

addEnglish(enMore);

export type { ConversationListItem } from './list-controller.js';

/** Conversations per page, unless `page-size` says otherwise. */
const DEFAULT_PAGE_SIZE = 50;

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
    _query: { state: true },
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

  declare private _query: string;

  readonly #list = new ListController(this, {
    pageSize: () => {
      const size = Math.floor(this.pageSize);
      return Number.isFinite(size) && size >= 1 ? Math.min(MAX_QUERY_LIMIT, size) : DEFAULT_PAGE_SIZE;
    },
    query: () => this._query,
    scroller: () => this.renderRoot?.querySelector<HTMLElement>('.scroll') ?? null,
    end: () => this.renderRoot?.querySelector('.more') ?? null,
    failed: (error) => this.emitError(error, 'conversations'),
    unreadChanged: (id, count, total) => this.dispatchEvent(new LcUnreadChangeEvent(id, count, total)),
  });
  #focusedId: string | undefined;
  #stopSupport: (() => void) | undefined;

  constructor() {
    super();
    this.noFilter = false;
    this.noNew = false;
    this.pageSize = DEFAULT_PAGE_SIZE;
    this._query = '';
  }

  /** The conversations, newest activity first (unfiltered). */
  get items(): readonly ConversationListItem[] {
    return this.#list.items;
  }

  /** Unread messages across the listed conversations. */
  get unreadTotal(): number {
    return this.#list.items.reduce((sum, item) => sum + item.unread, 0);
  }

  /** Whether the server has conversations beyond the pages loaded so far. */
  get hasMore(): boolean {
    return this.#list.hasMore;
  }

  /** Loads the list from the server again (as many conversations as are loaded now). */
  refresh(): Promise<void> {
    return this.#list.load();
  }

  /**
   * Loads the next page of conversations, as scrolling to the end does.
   * Resolves when it is listed; does nothing when everything is loaded.
   */
  loadMore(): Promise<void> {
    return this.#list.loadMore();
  }

  /**
   * Chooses a conversation as if the user had: fires
   * `lc-conversation-select`, drives the `for` chat and marks it read.
   */
  select(conversationId: string): void {
    this.selected = conversationId;
    this.#focusedId = conversationId;
    const conversation = this.#list.conversation(conversationId);
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
    this.#list.setClient(client);
  }

  #onMessage(message: ChatMessage, conversation: Conversation): void {
    if (conversation.transient) return;
    const own = message.from === this.client?.clientId;
    this.#list.patch(
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
      conversation,
    );
    // The conversation shown in the driven chat is read as it arrives.
    if (!own && this.selected === conversation.id && this.for) this.#markRead(conversation.id);
  }

  #markRead(id: string): void {
    const conversation = this.#list.conversation(id);
    if (conversation && this.client) this.client.markRead(conversation);
    this.#list.patch(id, (item) => ({ ...item, unread: 0, mentioned: false }));
  }

  protected override clientListeners(): ListenerMap<SharedClientEvents> {
    return {
      state: (state, previous) => {
        // A new login or a return after a drop: the list may have changed.
        if (state === 'online' && previous !== 'online') void this.#list.load();
      },
      message: (message, conversation) => this.#onMessage(message, conversation),
      sent: (message, conversation) => this.#onMessage(message, conversation),
      unread: (cid, count) =>
        this.#list.patch(cid, (item) => ({ ...item, unread: count, mentioned: count > 0 && (this.#list.conversation(cid)?.unreadMessagesMentioned ?? item.mentioned) })),
      update: (message, conversation) =>
        this.#list.patch(conversation.id, (item) => (item.lastMessage?.id === message.id ? { ...item, lastMessage: message } : item)),
    };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopSupport?.();
    this.#stopSupport = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A status changed by a <lc-chat> on this page: the server tells only the other members.
    this.#stopSupport ??= onSupportSaved((cid) => {
      const conversation = this.#list.conversation(cid);
      if (conversation) this.#list.patch(cid, (item) => ({ ...item, support: supportOf(conversation) }));
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

  #visible(): readonly ConversationListItem[] {
    const query = this._query.trim().toLocaleLowerCase();
    const status = this.#status();
    const items = status ? this.#list.items.filter((item) => passesStatus(item.support, status)) : this.#list.items;
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

  #renderBody(visible: readonly ConversationListItem[]): TemplateResult {
    const { t } = this.localize.value;
    if (!visible.length) {
      if (this.#list.items.length) return html`<div class="empty" part="empty">${searchIcon}<strong>${t('inbox.noMatches')}</strong>${this.#renderMore(visible)}</div>`;
      if (this.#list.phase === 'error') return html`<div class="empty" part="empty" role="alert"><strong>${t('inbox.loadError')}</strong><button type="button" class="link-button" @click=${() => this.refresh()}>${t('action.retry')}</button></div>`;
      if (this.#list.phase !== 'ready') return html`<div class="empty" part="empty"><span class="spinner" aria-hidden="true"></span>${t('inbox.loading')}</div>`;
      return html`<div class="empty" part="empty">${chatIcon}<strong>${t('inbox.empty')}</strong><span>${t('inbox.emptyHint')}</span></div>`;
    }
    const focusable = visible.some((item) => item.id === this.#focusedId) ? this.#focusedId : (visible.find((item) => item.id === this.selected) ?? visible[0])!.id;
    return html`<ul class="list" part="list" role="listbox" aria-label=${t('inbox.label')} aria-busy=${this.#list.loadingMore ? 'true' : 'false'} @keydown=${this.#onKeydown}>
        ${visible.map((item) => this.#renderItem(item, item.id === focusable))}
      </ul>
      ${this.#renderMore(visible)}`;
  }

  /** The end of the list while the server has more: a "show more" button, or the spinner while a page loads. */
  #renderMore(visible: readonly ConversationListItem[]): TemplateResult | typeof nothing {
    if (!this.#list.hasMore || this.#list.phase !== 'ready' || this.#exactMatch(visible)) return nothing;
    const { t } = this.localize.value;
    return html`<div class="more" part="more">
      ${this.#list.loadingMore
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
      <div class="scroll" @scroll=${() => this.#list.checkMore()}>${this.#renderBody(visible)}</div>
    </div>`;
  }
}

defineElement('lc-conversation-list', LcConversationList);

declare global {
  interface HTMLElementTagNameMap {
    'lc-conversation-list': LcConversationList;
  }
}
