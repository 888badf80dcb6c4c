// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ProtocolError, type Conversation } from '../../sdk/index.js';
import { LcWidgetElement } from '../client/lc-widget-element.js';
import type { WidgetConnectionState, ConversationSpec, MembershipStatus, SharedClient, SharedClientEvents } from '../client/shared-client.js';
import {
  LcBeforeSendEvent,
  LcConflictEvent,
  LcConnectionChangeEvent,
  LcMessageEvent,
  LcReceiptEvent,
  LcUnreadChangeEvent,
} from '../events.js';
import type { ChatMessage } from '../model/chat-message.js';
import { rendererKey, richRenderersReady } from '../renderers/registry.js';
import type { MessageRenderer, RendererName } from '../renderers/types.js';
import { renderBanner, renderComposer, renderHeader, renderTypingBubble } from './chrome.js';
import { HistoryController } from './history-controller.js';
import { MessageActionsController } from './message-actions.js';
import { arrowDownIcon, arrowUpIcon, chatIcon } from './icons.js';
import { styles } from './lc-chat.styles.js';
import { renderMessages } from './message-list.js';
import { ReadController } from './read-controller.js';
import { ScrollAnchor } from './scroll-anchor.js';
import { TypingController } from './typing-controller.js';
import { ComposerController } from './composer-controller.js';
import type { ListenerMap } from '../client/listen.js';
import type { SupportHeader } from './support-header.js';
import { IDS, listConverter, toList, type ListInput } from '../util/list-property.js';

/** Older messages load when the reader scrolls this close to the top. */
const LOAD_OLDER_THRESHOLD_PX = 120;



/**
 * A conversation: its messages, a composer and every connection state.
 * Drop it into a page with attributes, inside an `<lc-realtime>` or on its
 * own with `server`, `app-id` and `client-id`.
 *
 * ```html
 * <lc-chat server="wss://chat.example.com" app-id="…" client-id="alice" members="bob" unique></lc-chat>
 * ```
 *
 * Without `conversation-id` or `members` it shows "Select a conversation"
 * and no composer (an inbox before the first choice).
 *
 * Event data is on the event (`event.count`) and, as with `CustomEvent`, in `event.detail` (`event.detail.count`).
 *
 * @summary An embeddable chat: history from the cache then the network, an offline outbox, receipts, typing, themes and i18n.
 *
 * @fires {LcConnectionChangeEvent} lc-connection-change - The connection's state changed (`state`, `previous`).
 * @fires {LcMessageEvent} lc-message - A message arrived, or one the user sent was accepted (`message`, `conversation`, `outgoing`).
 * @fires {LcReceiptEvent} lc-receipt - A message the user sent was delivered or read (`message`, `status`). Statuses only move forward; it fires once per step, not again for a status already known (cached) on a later load.
 * @fires {LcConflictEvent} lc-conflict - Another device or tab took the session over (`reason`: the server's reason, else "Session taken over by another device"). Cancelable: a host that cancels shows its own UI.
 * @fires {LcUnreadChangeEvent} lc-unread-change - The conversation's unread count changed (`conversationId`, `count`, `total`). Only on a change: not while the reader is looking at the newest messages (those are read at once).
 * @fires {LcBeforeSendEvent} lc-before-send - The user is sending (`text`, `attributes`, both writable); with attached files too, `text` being the first file's caption. Cancelable: the text (and the files) stay in the composer.
 * @fires {LcAttachEvent} lc-attach - A file is being attached (`file`, `source`: `picker`, `paste` or `drop`). Cancelable: the file is not added.
 * @fires {LcStatusChangeEvent} lc-status-change - An agent is marking a support conversation `resolved` or `open` (`conversationId`, `status`, `previous`). Cancelable: the status stays.
 * @fires {LcMessageReplyEvent} lc-message-reply - The user chose Reply on a message (`message`). Cancelable: no "Replying to" bar opens.
 * @fires {LcMessageCopyEvent} lc-message-copy - The user chose Copy text (`message`). Cancelable: nothing is copied.
 * @fires {LcMessageEditEvent} lc-message-edit - The user saved an edit of their text message (`message`, `text`: the new text, writable). Cancelable: the message stays as it was.
 * @fires {LcMessageRecallEvent} lc-message-recall - The user chose Recall on their message (`message`). Cancelable: it is not recalled.
 * @fires {LcMessageRetryEvent} lc-message-retry - The user chose Retry on a failed message (`message`). Cancelable: it is not sent again.
 * @fires {LcMessageDeleteEvent} lc-message-delete - The user chose Delete on a failed message (`message`). Cancelable: it stays.
 * @fires {LcPushChangeEvent} lc-push-change - With `push`: the user is turning browser notifications on or off (`enabled`). Cancelable: nothing changes.
 * @fires {LcErrorEvent} lc-error - Signing in, loading or sending failed (`error`, `operation`). With `operation: 'membership'`: the user was muted (4563 `SILIENCED`), removed (4317 `CONVERSATION_MEMBERSHIP_REQUIRED`) or blocked (4315 `CONVERSATION_BLACKLISTED`) in this conversation.
 *
 * @attr {string} lang - Language of the widget's own strings (`en`, `zh-CN`); default: the nearest `lang` up the tree, else the browser's.
 *
 * @slot header-actions - Buttons at the end of the header (close, menu…).
 *
 * @csspart header - The header: avatar, title, connection state or typing.
 * @csspart banner - The connection banner (offline, reconnecting, conflict, errors).
 * @csspart list - The scrolling message list (`role="log"`).
 * @csspart message - One message row.
 * @csspart bubble - A message bubble.
 * @csspart link - A link inside a message.
 * @csspart image - An image message's button (opens the lightbox).
 * @csspart file - A file message's download link.
 * @csspart location - A location message's map link.
 * @csspart actions-button - The "Message actions" button beside a message (shown on hover and focus).
 * @csspart menu - A message's action menu (`role="menu"`).
 * @csspart editor - The inline editor of a message being edited.
 * @csspart quote - The quote above a reply (a button: it scrolls to the original).
 * @csspart edited - "(edited)" under an edited message.
 * @csspart reply-bar - "Replying to …" above the composer, with its cancel button.
 * @csspart composer - The composer form.
 * @csspart composer-note - "You have been muted in this conversation", above the disabled composer.
 * @csspart removed-note - "You were removed from this conversation" (or blocked), in place of the composer.
 * @csspart input - The message textarea.
 * @csspart send-button - The send button.
 * @csspart attach-button - The attach button (uploads use the app key if given, else the session token).
 * @csspart progress - An upload's progress bar.
 * @csspart attachments - The files staged above the composer (thumbnails or names, each with a remove button).
 * @csspart drop-zone - What covers the chat while files are dragged over it.
 * @csspart emoji-button - The button that opens the emoji picker.
 * @csspart emoji-panel - The emoji picker.
 * @csspart mentions - The @-mention suggestions.
 * @csspart latest-button - "Scroll to latest" (with the count of new messages), shown while the reader is away from the bottom.
 * @csspart lightbox - The image viewer dialog.
 * @csspart visitor - Support conversations, agent side: the visitor's details and status under the header.
 * @csspart visitor-email - The visitor's email (a `mailto:` link).
 * @csspart visitor-url - The page the visitor is on (a link).
 * @csspart visitor-browser - The visitor's browser and system.
 * @csspart status - The conversation's status (open or resolved).
 * @csspart status-button - "Mark resolved" / "Reopen".
 * @csspart push-toggle - With `push`: the notifications button in the header.
 *
 * @cssproperty --lc-color-bg - Background of the widget.
 * @cssproperty --lc-color-surface - Background of the input field.
 * @cssproperty --lc-color-surface-2 - Placeholders behind media.
 * @cssproperty --lc-color-text - Text color.
 * @cssproperty --lc-color-muted - Secondary text (times, senders, hints).
 * @cssproperty --lc-color-border - Borders and separators.
 * @cssproperty --lc-color-accent - Accent: send button, links, focus rings, unread separator.
 * @cssproperty --lc-color-accent-contrast - Text on the accent color.
 * @cssproperty --lc-color-danger - Failed messages and errors.
 * @cssproperty --lc-color-notice-bg - Background of the connection banner.
 * @cssproperty --lc-color-notice - Text of the connection banner.
 * @cssproperty --lc-bubble-own-bg - The user's bubbles.
 * @cssproperty --lc-bubble-own-color - Text in the user's bubbles.
 * @cssproperty --lc-bubble-other-bg - Other people's bubbles.
 * @cssproperty --lc-bubble-other-color - Text in other people's bubbles.
 * @cssproperty --lc-radius - Corner radius of the widget.
 * @cssproperty --lc-bubble-radius - Corner radius of bubbles.
 * @cssproperty --lc-font-family - Font stack.
 * @cssproperty --lc-font-size - Base font size.
 * @cssproperty --lc-spacing - Base spacing unit.
 * @cssproperty --lc-shadow - Shadow around the widget.
 */
export class LcChat extends LcWidgetElement {
  static override styles = styles;

  static override properties = {
    conversationId: { type: String, attribute: 'conversation-id', reflect: true },
    members: { converter: listConverter(IDS), noAccessor: true },
    unique: { type: Boolean },
    name: { type: String },
    placeholder: { type: String },
    readOnly: { type: Boolean, attribute: 'readonly', reflect: true },
    pageSize: { type: Number, attribute: 'page-size' },
    renderers: { attribute: false },
    avatars: { attribute: false },
    noVisitorDetails: { type: Boolean, attribute: 'no-visitor-details' },
    noStatus: { type: Boolean, attribute: 'no-status' },
    noAttachments: { type: Boolean, attribute: 'no-attachments' },
    noEmoji: { type: Boolean, attribute: 'no-emoji' },
    noMentions: { type: Boolean, attribute: 'no-mentions' },
    _away: { state: true },
    actions: { type: String },
    recallWindow: { type: Number, attribute: 'recall-window' },
    push: { type: String },
    _showJump: { state: true },
    _conflictHandled: { state: true },
    _canSend: { state: true },
    _lightbox: { state: true },
  };

  /** The conversation to show. */
  declare conversationId: string | undefined;
  #members: string[] = [];
  /** Members of the conversation to open (or create) when there is no `conversation-id`: clientIds, as an array or comma- or space-separated. */
  get members(): string[] {
    return this.#members;
  }
  set members(value: ListInput) {
    const old = this.#members;
    this.#members = toList(value, IDS, '<lc-chat>.members');
    this.requestUpdate('members', old);
  }
  /** With `members`: reuse the conversation with exactly these members instead of creating a new one each time. */
  declare unique: boolean;
  /** Title shown in the header (default: the conversation's name, else the other members). Also the name of a conversation created from `members`. */
  declare name: string | undefined;
  /** Composer placeholder (default: localized "Write a message…"). */
  declare placeholder: string | undefined;
  /** Shows the conversation without a composer. */
  declare readOnly: boolean;
  /** Messages per history page. */
  declare pageSize: number;
  /** Renderers for this element only, by `_lctype` or built-in name; they win over `registerRenderer`. */
  declare renderers: Partial<Record<number | RendererName, MessageRenderer>> | undefined;
  /** Avatar image URLs by clientId (http, https or blob; default: the initial on a color of the id). */
  declare avatars: Record<string, string> | undefined;
  /** Support conversations (see `<lc-support>`): hides the visitor's email, page and browser under the header. */
  declare noVisitorDetails: boolean;
  /** Support conversations: hides the open/resolved status and its "Mark resolved" / "Reopen" button. */
  declare noStatus: boolean;
  /** No attachments: no attach button, and pasted or dropped files are left to the page. */
  declare noAttachments: boolean;
  /** No emoji picker button. */
  declare noEmoji: boolean;
  /** No @-mention suggestions (group conversations have them otherwise). */
  declare noMentions: boolean;
  declare private _away: boolean;
  /**
   * The message actions offered, space- or comma-separated, from `reply`,
   * `copy`, `edit`, `recall`, `retry`, `delete`; unset: all of them;
   * `actions=""`: none (no menu; failed messages then show no Retry or
   * Delete either). A reply carries `attributes.lcReply` =
   * `{ id, timestamp, from, text? }` (the original's id, server time in ms,
   * sender and at most 200 characters of its text).
   */
  declare actions: string | undefined;
  /** Seconds after sending during which the user may recall a message; 0 (default): no limit. */
  declare recallWindow: number;
  /**
   * Web Push: the URL of the service worker shipped as `lc-chat-sw.js`,
   * served from the page's own origin (e.g. `/lc-chat-sw.js`). The header
   * then has a button that turns browser notifications for new messages on,
   * so a visitor who closed the tab is notified. Unset: no button, nothing loaded.
   */
  declare push: string | undefined;

  declare private _showJump: boolean;
  declare private _conflictHandled: boolean;
  declare private _canSend: boolean;
  declare private _lightbox: { src: string; alt: string } | undefined;

  readonly #anchor = new ScrollAnchor('article.row', () => this.#onScroll());
  readonly #history: HistoryController = new HistoryController(this, {
    pageSize: () => this.pageSize,
    beforePrepend: () => this.#anchor.capturePrepend(),
    prepended: () => this.#read.olderLoaded(),
    restarted: () => this.#anchor.pin(),
    failed: (error, operation) => this.emitError(error, operation),
    receipts: (messages) => {
      for (const message of messages) this.dispatchEvent(new LcReceiptEvent(message, message.status === 'read' ? 'read' : 'delivered'));
    },
  });
  readonly #read: ReadController = new ReadController(this, {
    client: () => this.client,
    history: this.#history,
    atBottom: () => this.#anchor.atBottom,
  });
  readonly #typing = new TypingController(this);
  readonly #composer: ComposerController = new ComposerController({
    element: this,
    canAttach: () => this.#attach() === 'enabled',
    mentionable: () => (this.noMentions || this.#others().length < 2 || this.#history.conversation?.transient ? [] : this.#others()),
    displayName: (id) => this.displayName(id),
    textarea: () => this.#textarea,
    localizer: () => this.localize.value,
    changed: () => this.#updateCanSend(),
  });
  readonly #actions: MessageActionsController = new MessageActionsController(this, {
    client: () => this.client,
    conversation: () => this.#history.conversation,
    items: () => this.#history.items(),
    merge: (messages) => {
      this.#history.merge(messages);
      this.client?.cacheMessages(messages);
    },
    loadOlder: async () => {
      await this.#history.loadOlder();
      return this.#history.older === 'idle';
    },
    displayName: (id) => this.displayName(id),
    localizer: () => this.localize.value,
    focusComposer: () => this.focus(),
    failed: (error, operation) => this.emitError(error, operation),
  });
  #sessionKey = '';
  /** The count the last lc-unread-change said: it fires for changes only. */
  #unreadShown = 0;
  #overrides: Map<number | 'fallback', MessageRenderer> | undefined;
  /** Loaded with the first conversation that has support info (the `lcSupport` attribute). */
  #support: SupportHeader | undefined;

  constructor() {
    super();
    this.members = [];
    this.unique = false;
    this.readOnly = false;
    this.noVisitorDetails = false;
    this.noStatus = false;
    this.pageSize = 20;
    this.noAttachments = false;
    this.noEmoji = false;
    this.noMentions = false;
    this._away = false;
    this.recallWindow = 0;
    this._showJump = false;
    this._conflictHandled = false;
    this._canSend = false;
  }

  /** The conversation, once opened. */
  get conversation(): Conversation | undefined {
    return this.#history.conversation;
  }

  /**
   * The user's standing in the conversation, as learnt from the server:
   * `member`, `muted` (the composer is disabled and says so), `removed`
   * or `blocked` (no composer; a message says so).
   */
  get membership(): MembershipStatus {
    const cid = this.#history.cid;
    return cid && this.client ? this.client.membership(cid) : 'member';
  }

  /** The connection state shown. */
  get connectionState(): WidgetConnectionState {
    return this._state;
  }

  /** The messages shown, oldest first, pending ones last. */
  get messages(): readonly ChatMessage[] {
    return this.#history.items();
  }

  /**
   * Sends a text as the user, without `lc-before-send` (the page itself is
   * sending). Queued while offline.
   * @returns the pending message, or undefined without a conversation
   */
  async send(text: string, attributes?: Record<string, unknown>): Promise<ChatMessage | undefined> {
    const client = this.client;
    const cid = this.#history.cid;
    if (!client || !cid || !text.trim()) return undefined;
    this.#anchor.pin();
    return client.sendText(cid, { text, ...(attributes ? { attributes } : {}) });
  }

  /** Reconnects now (after a lost connection, a conflict or a failed login). */
  retry(): void {
    this.client?.retry();
  }

  /** Scrolls to the newest message. */
  scrollToBottom(): void {
    this.#anchor.pin();
    this._away = false;
    this.#read.seenNewest();
  }

  /**
   * Logs the user out: closes the shared client for every element using it.
   * `clearCache` also deletes the cached messages and outbox.
   */
  async logout(options: { clearCache?: boolean } = {}): Promise<void> {
    await this.client?.close(options);
  }

  /** Focuses the composer. */
  override focus(options?: FocusOptions): void {
    this.#textarea?.focus(options);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The banner tells "you're offline" from "the server is down" by the browser's network.
    window.addEventListener('online', this.#onNetworkChange);
    window.addEventListener('offline', this.#onNetworkChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#anchor.detach();
    window.removeEventListener('online', this.#onNetworkChange);
    window.removeEventListener('offline', this.#onNetworkChange);
  }

  readonly #onNetworkChange = (): void => this.requestUpdate();

  /** Renders once the strings (see the base class) and the renderers the messages need are loaded: an image never shows as "can't be shown" first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const rich = richRenderersReady(() => this.#history.items());
    return rich ? rich.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('conversationId') || changed.has('members') || changed.has('unique')) this.#ensureSession();
    // On demand: pages without push never load it.
    if (changed.has('push') && this.push) void import('../push/lc-push-toggle.js');
    if (changed.has('renderers')) {
      this.#overrides = this.renderers
        ? new Map(Object.entries(this.renderers).map(([type, render]) => [rendererKey(/^-?\d+$/.test(type) ? Number(type) : (type as RendererName)), render!]))
        : undefined;
    }
    this.#updateCanSend();
  }

  protected override updated(): void {
    const list = this.renderRoot.querySelector<HTMLElement>('.list');
    const content = this.renderRoot.querySelector('.list-content');
    if (list && content) this.#anchor.attach(list, content);
    this.#anchor.restore();
    const dialog = this.renderRoot.querySelector('dialog');
    if (this._lightbox && dialog && !dialog.open && this.isConnected) dialog.showModal();
    // After this update, not inside it: loading changes state again.
    requestAnimationFrame(() => this.#fillViewport());
    if (!this.#support && this.#history.conversation?.get('lcSupport') !== undefined) {
      void import('./support-header.js').then(({ SupportHeader }) => {
        this.#support ??= new SupportHeader(this, { conversation: () => this.#history.conversation, clientId: () => this.client?.clientId });
        this.requestUpdate();
      });
    }
  }

  // ---- client and conversation ---------------------------------------------

  protected override clientChanged(): void {
    this.#ensureSession();
  }

  #spec(): ConversationSpec | undefined {
    if (this.conversationId) return { id: this.conversationId };
    if (this.members.length) return { members: this.members, unique: this.unique, ...(this.name ? { name: this.name } : {}) };
    return undefined;
  }

  /** (Re)opens the conversation when the client or the conversation changed (or `force`: after a new login). */
  #ensureSession(force = false): void {
    const client = this.client;
    const spec = this.#spec();
    const key = client && spec ? `${client.key}|${JSON.stringify(spec)}` : '';
    if (key === this.#sessionKey && !force) return;
    this.#sessionKey = key;
    this.#unreadShown = 0;
    this.#read.reset();
    this.#typing.clear();
    this.#composer.clear();
    this.#actions.reset();
    if (!client || !spec) {
      this.#history.reset(false);
      return;
    }
    void this.#history.open(client, spec).then(() => this.#afterOpen(key));
  }

  /** If the first page does not fill the list, there is nothing to scroll: load more until it does. */
  #fillViewport(): void {
    const list = this.renderRoot.querySelector<HTMLElement>('.list');
    if (!list || this.#history.phase !== 'ready' || this.#history.older !== 'idle' || !this.#history.messages.length) return;
    if (list.scrollHeight <= list.clientHeight) void this.#history.loadOlder();
  }

  // ---- client events --------------------------------------------------------

  protected override clientListeners(client: SharedClient): ListenerMap<SharedClientEvents> {
    const here = (cid: string) => cid === this.#history.cid;
    return {
      state: (state, previous) => this.#onState(state, previous),
      message: (message, conversation) => {
        if (!here(conversation.id)) return;
        this.#history.merge([message]);
        this.#typing.stop(message.from);
        const own = message.from === client.clientId;
        if (!own) this.#read.arrived(message);
        this.dispatchEvent(new LcMessageEvent(message, conversation, own));
      },
      sent: (message, conversation) => {
        if (!here(conversation.id)) return;
        this.#history.merge([message]);
        this.#history.refreshPending();
        this.dispatchEvent(new LcMessageEvent(message, conversation, true));
      },
      outbox: (cid) => {
        if (here(cid)) this.#history.refreshPending();
      },
      // lc-receipt comes from the history (only for statuses that moved forward).
      receipt: (message) => {
        if (here(message.cid)) this.#history.merge([message]);
      },
      receipts: (cid, times) => {
        if (here(cid)) this.#history.applyReceiptTimes(times);
      },
      update: (message, conversation) => {
        if (here(conversation.id)) this.#history.merge([message]);
      },
      typing: (cid, from, typing) => {
        if (!here(cid)) return;
        if (typing) this.#typing.start(from);
        else this.#typing.stop(from);
      },
      unread: (cid, count) => {
        if (!here(cid)) return;
        // Read at once (visible, at the bottom): for the reader the count never changed.
        if (count > 0 && this.#read.markIfReading()) return;
        if (count === this.#unreadShown) return;
        this.#unreadShown = count;
        this.dispatchEvent(new LcUnreadChangeEvent(cid, count, client.unreadTotal));
      },
      error: (error, operation) => this.emitError(error, operation),
      membership: (cid, status) => {
        if (!here(cid)) return;
        this.#updateCanSend();
        this.requestUpdate();
        if (status === 'member') return;
        const name = status === 'muted' ? 'SILIENCED' : status === 'blocked' ? 'CONVERSATION_BLACKLISTED' : 'CONVERSATION_MEMBERSHIP_REQUIRED';
        this.emitError(ProtocolError.of(name, `${status} in ${cid}`), 'membership');
      },
      schedule: () => this.requestUpdate(),
    };
  }

  #onState(state: WidgetConnectionState, previous: WidgetConnectionState): void {
    this.dispatchEvent(new LcConnectionChangeEvent(state, previous));
    if (state === 'conflict') {
      const event = new LcConflictEvent(this.client?.lastError?.message ?? 'Session taken over by another device');
      this.dispatchEvent(event);
      this._conflictHandled = event.defaultPrevented;
    } else {
      this._conflictHandled = false;
    }
    const client = this.client;
    const history = this.#history;
    if (state !== 'online' || !client || (!history.conversation && !history.waiting)) return;
    if (history.conversation && history.imClient !== client.imClient) {
      // A new login (after a conflict or a logout): conversations belong to the old one.
      this.#ensureSession(true);
    } else {
      // Back after a drop: go on opening, or fetch what was missed.
      const key = this.#sessionKey;
      const wasCaughtUp = history.caughtUp;
      void history.resume().then(() => this.#afterOpen(key, wasCaughtUp));
      if (history.older === 'error') history.retryOlder();
    }
  }

  /** The newest page from the server is in for the first time: read tracking starts. */
  async #afterOpen(key: string, wasCaughtUp = false): Promise<void> {
    if (this.#sessionKey !== key || wasCaughtUp || !this.#history.caughtUp) return;
    await this.updateComplete;
    this.#read.opened();
  }

  // ---- scrolling ------------------------------------------------------------

  #onScroll(): void {
    if (this.#anchor.atBottom) this.#read.seenNewest();
    this._away = !this.#anchor.atBottom;
    if (this.#anchor.scrollTop < LOAD_OLDER_THRESHOLD_PX && this.#history.older === 'idle' && this.#history.phase === 'ready') void this.#history.loadOlder();
    const separator = this.renderRoot.querySelector<HTMLElement>('#unread-separator');
    const list = this.renderRoot.querySelector<HTMLElement>('.list');
    this._showJump = Boolean(separator && list && separator.offsetTop < list.scrollTop);
  }

  #jumpToUnread(): void {
    this.renderRoot.querySelector('#unread-separator')?.scrollIntoView({ block: 'center' });
  }

  // ---- composer -------------------------------------------------------------

  get #textarea(): HTMLTextAreaElement | null {
    return this.renderRoot?.querySelector('textarea') ?? null;
  }

  #updateCanSend(): void {
    const text = this.#textarea?.value ?? '';
    const blocked = this._state === 'conflict' || this._state === 'closed' || this._state === 'error' || Boolean(this.setupError);
    const canSend = Boolean((text.trim() || this.#composer.files.length) && this.#history.cid && !blocked && !this.readOnly && this.membership === 'member');
    if (canSend !== this._canSend) this._canSend = canSend;
  }

  #onInput(event: Event): void {
    const textarea = event.target as HTMLTextAreaElement;
    this.#autosize(textarea);
    this.#updateCanSend();
    this.#composer.track();
    const client = this.client;
    const conversation = this.#history.conversation;
    if (client && conversation) this.#typing.draftChanged(textarea.value.trim() !== '', (typing) => client.sendTyping(conversation, typing));
  }

  #onComposerKeydown(event: KeyboardEvent): void {
    if (this.#composer.keydown(event)) return;
    // IME: Enter confirms the composition, it does not send (keyCode 229 covers Safari).
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    void this.#submit();
  }

  async #submit(event?: Event): Promise<void> {
    event?.preventDefault();
    const textarea = this.#textarea;
    const client = this.client;
    const cid = this.#history.cid;
    this.#updateCanSend();
    if (!textarea || !client || !cid || !this._canSend) return;
    const files = this.#composer.files;
    const before = new LcBeforeSendEvent(textarea.value.trim(), undefined, cid);
    this.dispatchEvent(before);
    if (before.defaultPrevented || (!before.text.trim() && !files.length)) return;
    const mentions = this.#composer.mentionsIn(before.text);
    textarea.value = '';
    this.#composer.sent();
    this.#composer.clear();
    this.#autosize(textarea);
    this.#updateCanSend();
    this.#typing.sent();
    this.#read.answered();
    this.#anchor.pin();
    const draft = { text: before.text, ...(before.attributes ? { attributes: before.attributes } : {}), ...(mentions ? { mentions } : {}) };
    if (!files.length) {
      await client.sendText(cid, draft);
      return;
    }
    // The text is the first file's caption; each file is its own message, in order.
    for (const [index, file] of files.entries()) {
      try {
        await client.sendAttachment(cid, file, index === 0 ? draft : {});
      } catch (error) {
        // OutboxFullError, by name: its module loads with the first attachment only.
        if (!(error instanceof Error && error.name === 'OUTBOX_FULL')) throw error;
        this.#composer.refused(files.slice(index));
        this.emitError(error, 'upload');
        return;
      }
    }
  }

  /** Attachments: shown when the client can upload, enabled when there is a conversation to send to (queued while offline). */
  #attach(): 'hidden' | 'disabled' | 'enabled' {
    if (!this.client || this.noAttachments || this.readOnly) return 'hidden';
    return this.#history.cid && this.membership === 'member' && !this.setupError ? 'enabled' : 'disabled';
  }

  #autosize(textarea: HTMLTextAreaElement): void {
    if (CSS.supports('field-sizing', 'content')) return;
    textarea.style.blockSize = 'auto';
    textarea.style.blockSize = `${Math.min(textarea.scrollHeight, 160)}px`;
  }

  #onFilesChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.#composer.add([...(input.files ?? [])], 'picker');
    input.value = '';
  }

  // ---- list keyboard --------------------------------------------------------

  #onListKeydown(event: KeyboardEvent): void {
    const rows = [...this.renderRoot.querySelectorAll<HTMLElement>('article.row')];
    if (!rows.length) return;
    const active = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | null;
    const index = active ? rows.indexOf(active) : -1;
    let next: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowUp':
        next = rows[index < 0 ? rows.length - 1 : Math.max(0, index - 1)];
        break;
      case 'ArrowDown':
        next = rows[index < 0 ? rows.length - 1 : Math.min(rows.length - 1, index + 1)];
        break;
      case 'Home':
        next = rows[0];
        break;
      case 'End':
        next = rows[rows.length - 1];
        break;
      case 'Escape':
        this.focus();
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    next?.focus();
    next?.scrollIntoView({ block: 'nearest' });
  }

  // ---- rendering ------------------------------------------------------------

  /** `names`, else a support conversation's agent name, else the clientId. */
  protected override displayName(clientId: string): string {
    return this.names?.[clientId] ?? this.#support?.nameOf(clientId) ?? clientId;
  }

  /** The members besides the user, as far as known. */
  #others(): string[] {
    const me = this.client?.clientId;
    const conversation = this.#history.conversation;
    const members = conversation?.members.length ? conversation.members : this.members;
    return members.filter((member) => member !== me);
  }

  #title(): string {
    if (this.name) return this.name;
    const named = this.#history.conversation?.name ?? this.#support?.title();
    if (named) return named;
    const others = this.#others();
    if (others.length) return others.map((member) => this.displayName(member)).join(', ');
    return this.localize.value.t('conversation.untitled');
  }

  /** In a one-to-one conversation the header shows the other person (in the same color as in the list). */
  #avatarId(title: string): string {
    const others = this.#others();
    return others.length === 1 ? others[0]! : (this.#history.cid ?? title);
  }

  #renderListBody(items: ChatMessage[]): TemplateResult {
    const { t } = this.localize.value;
    const history = this.#history;
    if (history.phase === 'error') {
      const notFound = history.loadError === 'not-found';
      return html`<div class="empty" role="alert">
        <strong>${notFound ? t('list.notFound') : t('list.loadError')}</strong>
        ${notFound || this._state !== 'online'
          ? nothing
          : html`<button type="button" class="link-button" @click=${() => this.#ensureSession(true)}>${t('action.retry')}</button>`}
      </div>`;
    }
    if (!items.length) {
      // Nothing will load: the banner says why, and a spinner would say the opposite.
      if (this.setupError) return html`<div class="empty"></div>`;
      if (history.phase !== 'ready') {
        // Not connected yet (or any more): the header and banner say so, with the one Retry; the list only waits.
        if (this._state !== 'online' && this._state !== 'connecting') return html`<div class="empty waiting"><span>${t('list.waiting')}</span></div>`;
        return html`<div class="empty"><span class="spinner" aria-hidden="true"></span><span>${t('list.loading')}</span></div>`;
      }
      return html`<div class="empty">${chatIcon}<strong>${t('list.empty')}</strong><span>${t('list.emptyHint')}</span></div>`;
    }
    // The row above the messages always takes its space: a spinner appearing
    // there must not push what the reader is looking at down.
    const older = html`<div class="status-row older" aria-live="off">
      ${history.older === 'loading'
        ? html`<span class="spinner" aria-hidden="true"></span>${t('list.loading')}`
        : history.older === 'end'
          ? t('list.beginning')
          : history.older === 'error' && this._state === 'online'
            ? html`${t('list.loadError')} <button type="button" class="link-button" @click=${() => history.retryOlder()}>${t('action.retry')}</button>`
            : nothing}
    </div>`;
    return html`${older}${renderMessages({
      messages: items,
      clientId: this.client?.clientId ?? '',
      firstUnreadId: this.#read.firstUnreadId,
      showSenders: this.#others().length !== 1,
      localizer: this.localize.value,
      overrides: this.#overrides,
      displayName: (id) => this.displayName(id),
      avatarOf: (id) => this.avatars?.[id],
      openImage: (src, alt) => (this._lightbox = { src, alt }),
      retry: (localId) => this.#actions.call('retry', localId),
      discard: (localId) => this.#actions.call('discard', localId),
      pendingUpload: (message) =>
        this.#composer.pendingUpload(message, { retry: (localId) => this.#actions.call('retry', localId), discard: (localId) => this.#actions.call('discard', localId) }),
      actions: this.#actions,
    })}`;
  }

  /** With `push`: the notifications button (lc-push-toggle, loaded on demand) for the header. */
  #pushToggle(): TemplateResult | typeof nothing {
    return this.push ? html`<lc-push-toggle part="push-toggle" .client=${this.client} worker=${this.push}></lc-push-toggle>` : nothing;
  }

  protected override render(): TemplateResult {
    const localizer = this.localize.value;
    const { t } = localizer;
    if (!this.#spec()) {
      // No conversation chosen (an inbox before the first click): nothing to title, load or write to.
      return html`<div class="chat">
        <div class="body">
          <div class="empty none-selected" role="status">${chatIcon}<strong>${t('list.noneSelected')}</strong><span>${t('list.noneSelectedHint')}</span></div>
        </div>
      </div>`;
    }
    const items = this.#history.items();
    const busy = this.#history.phase === 'loading' || this.#history.older === 'loading';
    const title = this.#title();
    const client = this.client;
    const typing = this.#typing.typing;
    const newCount = this.#read.newCount;
    const setupError = this.setupError;
    const state = setupError ? 'error' : this._state;
    const membership = this.membership;
    // "You're offline" only when the browser says so; otherwise it is the server that is down.
    const serverUnreachable = state === 'offline' && navigator.onLine !== false;
    // Direction is inherited from the page (or the element's own dir), and logical CSS follows it.
    return html`<div class="chat">
      ${renderHeader({ title, avatarId: this.#avatarId(title), state, serverUnreachable, typing: typing.map((id) => this.displayName(id)), localizer, avatars: this.avatars, actions: this.#pushToggle() })}
      ${this.#support?.render(localizer, { details: !this.noVisitorDetails, status: !this.noStatus }) ?? nothing}
      ${renderBanner({
        state,
        setupError,
        serverUnreachable,
        nextAttemptAt: client?.nextAttemptAt,
        conflictHandled: this._conflictHandled,
        errorDetail: client?.lastError?.message,
        localizer,
        retry: () => this.retry(),
      })}
      <div class="body">
        ${this._showJump && this.#read.firstUnreadId
          ? html`<button type="button" class="pill jump" @click=${this.#jumpToUnread}>${arrowUpIcon}${t('list.jumpToUnread')}</button>`
          : nothing}
        <div
          class="list"
          part="list"
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-label=${t('list.label')}
          aria-busy=${busy ? 'true' : 'false'}
          tabindex="0"
          @keydown=${this.#onListKeydown}
        >
          <div class="list-content">
            ${this.#renderListBody(items)}
            ${this.#history.phase === 'ready' ? renderTypingBubble(typing[0], this.displayName(typing[0] ?? '')) : nothing}
          </div>
        </div>
        ${newCount > 0 || (this._away && items.length)
          ? html`<button type="button" class="pill new" part="latest-button" @click=${() => this.#toLatest()}>
              ${arrowDownIcon}${newCount > 0 ? t('list.newMessages', { count: newCount }) : t('list.latest')}
            </button>`
          : nothing}
        ${this.#composer.renderDropZone()}
      </div>
      ${this.readOnly || membership !== 'member' ? nothing : this.#actions.replyBar()}
      ${membership === 'removed' || membership === 'blocked'
        ? html`<div class="removed-note" part="removed-note" role="alert">${t(membership === 'blocked' ? 'membership.blocked' : 'membership.removed')}</div>`
        : renderComposer({
          readOnly: this.readOnly,
          placeholder: this.placeholder,
          canSend: this._canSend,
          muted: membership === 'muted',
          attach: this.#attach(),
          tray: this.#composer.renderTray(),
          tools: html`${this.noEmoji ? nothing : this.#composer.renderEmoji()}${this.#composer.renderMentions()}`,
          localizer,
          submit: (event) => void this.#submit(event),
          input: (event) => this.#onInput(event),
          keydown: (event) => this.#onComposerKeydown(event),
          filesChosen: (event) => this.#onFilesChosen(event),
        })}
      <dialog part="lightbox" aria-label=${this._lightbox?.alt ?? t('image.label')} @close=${() => (this._lightbox = undefined)} @click=${this.#closeLightbox}>
        ${this._lightbox ? html`<img src=${this._lightbox.src} alt=${this._lightbox.alt} /><button type="button">${t('image.close')}</button>` : nothing}
      </dialog>
    </div>`;
  }

  /** From the button: the list goes to the newest and focus to the composer (the button goes away under it). */
  #toLatest(): void {
    this.scrollToBottom();
    this.focus();
  }

  #closeLightbox(event: Event): void {
    (event.currentTarget as HTMLDialogElement).close();
  }
}

defineElement('lc-chat', LcChat);

declare global {
  interface HTMLElementTagNameMap {
    'lc-chat': LcChat;
  }
}
