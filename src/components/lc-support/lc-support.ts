// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Conversation } from '../../sdk/index.js';
import { LcWidgetElement } from '../client/lc-widget-element.js';
import type { ListenerMap } from '../client/listen.js';
import type { SharedClient, SharedClientEvents } from '../client/shared-client.js';
import { LcErrorEvent, LcUnreadChangeEvent, type LcMessageEvent } from '../events.js';
import '../lc-chat/lc-chat.js';
import { renderAvatar } from '../lc-chat/message-list.js';
import { styles } from './lc-support.styles.js';
import { IDS, listConverter, toList, type ListInput } from '../util/list-property.js';
import { isOpen, nextOpening, parseOfficeHours, type OfficeHours } from './office-hours.js';
import { checkPrechat, PRECHAT_FIELDS, renderPrechat, type PrechatField, type PrechatValues } from './prechat-form.js';
import { LcPrechatSubmitEvent, LcStatusChangeEvent } from './support-events.js';
import { describeBrowser, isEmail, pageUrl, saveSupport, supportOf, type SupportInfo, type VisitorInfo } from './support-info.js';
import { TabAlert } from './tab-alert.js';
import { addEnglish } from '../i18n/localize.js';
import { enMore } from '../i18n/en-more.js';

addEnglish(enMore);

const chatBubbleIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M20 15a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2z"/></svg>`;
const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M6 6l12 12M18 6 6 18"/></svg>`;
const chevronIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><path d="m6 9 6 6 6-6"/></svg>`;


/** Agents' names and avatars by clientId. */
interface People {
  names: Record<string, string> | undefined;
  avatars: Record<string, string> | undefined;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // Sandboxed iframes and some private modes throw.
  }
}

/** A visitor id kept in local storage per app: `visitor-` and 16 random hex digits. */
export function visitorId(appId: string): string {
  const key = `lc-support:visitor:${appId}`;
  const store = storage();
  const known = store?.getItem(key);
  if (known) return known;
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const id = `visitor-${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  store?.setItem(key, id);
  return id;
}

/**
 * A customer-support launcher: a floating bubble with the unread count that
 * opens a panel with a conversation between the visitor and the agents.
 * The conversation is created `unique`, so a visitor always returns to the
 * same one. Without `client-id` the visitor gets an anonymous id kept in
 * local storage. The open or closed state survives reloads. On small
 * screens the panel fills the screen.
 *
 * ```html
 * <script src="/lc-chat.iife.js"></script>
 * <lc-support server="wss://chat.example.com" app-id="…" agents="support-1" greeting="Hi! How can we help?"></lc-support>
 * ```
 *
 * A support desk: it records who the visitor is on the conversation's
 * `lcSupport` attribute (the name and email from the optional pre-chat form
 * or the `visitor-name`/`visitor-email` attributes, the page's URL without
 * its query, the browser), which `<lc-conversation-list>` and `<lc-chat>`
 * show to the agents, together with an open/resolved status. Outside
 * `office-hours` the panel says the team is away and when it is back. While
 * the tab is hidden, new messages show in the page's title, and `sound`
 * plays a short chime (synthesized: nothing is fetched).
 *
 * ```html
 * <lc-support server="wss://chat.example.com" app-id="…" agents="support-1" prechat="name email"
 *   office-hours="Mon-Fri 09:00-18:00; Europe/Berlin" sound></lc-support>
 * ```
 *
 * Event data is on the event (`event.count`) and, as with `CustomEvent`, in `event.detail` (`event.detail.count`).
 *
 * @summary A floating support chat: bubble with unread badge, panel with the conversation, pre-chat form, office hours.
 *
 * @fires {LcUnreadChangeEvent} lc-unread-change - Unread messages from the agents changed (`conversationId`, `count`, `total`).
 * @fires {LcPrechatSubmitEvent} lc-prechat-submit - The visitor sent the pre-chat form (`name`, `email`, checked). Cancelable: the form stays.
 * @fires {LcStatusChangeEvent} lc-status-change - The visitor's message opens a resolved conversation again (`conversationId`, `status`, `previous`). Cancelable: it stays resolved.
 * @fires {LcErrorEvent} lc-error - `office-hours` cannot be read (`operation: 'config'`), or recording the visitor's details failed (`operation: 'support'`).
 *
 * @attr {string} lang - Language of the element's strings (`en`, `zh-CN`).
 *
 * @csspart launcher - The floating bubble button.
 * @csspart badge - The unread badge on the bubble.
 * @csspart greeting - The greeting callout next to the closed bubble.
 * @csspart panel - The panel holding the chat.
 * @csspart prechat - The pre-chat form.
 * @csspart prechat-input - A field of the pre-chat form.
 * @csspart prechat-submit - The pre-chat form's "Start chat" button.
 * @csspart away - The away message outside office hours.
 * @csspart push-toggle - With `push`: the chat's notifications button.
 *
 * @cssproperty --lc-color-accent - The bubble's color.
 * @cssproperty --lc-color-accent-contrast - The icon on the bubble.
 * @cssproperty --lc-support-offset - Distance from the viewport's edges (default 20px).
 * @cssproperty --lc-support-width - Width of the panel (default 380px).
 * @cssproperty --lc-support-height - Height of the panel (default 600px).
 */
export class LcSupport extends LcWidgetElement {
  static override styles = styles;

  static override properties = {
    agents: { converter: listConverter(IDS), noAccessor: true },
    greeting: { type: String },
    name: { type: String },
    open: { type: Boolean, reflect: true },
    position: { type: String, reflect: true },
    zIndex: { type: Number, attribute: 'z-index' },
    avatars: { attribute: false },
    prechat: { type: String },
    visitorName: { type: String, attribute: 'visitor-name' },
    visitorEmail: { type: String, attribute: 'visitor-email' },
    officeHours: { type: String, attribute: 'office-hours' },
    awayMessage: { type: String, attribute: 'away-message' },
    sound: { type: Boolean },
    noTitleBadge: { type: Boolean, attribute: 'no-title-badge' },
    noPageInfo: { type: Boolean, attribute: 'no-page-info' },
    push: { type: String },
    _unread: { state: true },
    _greeted: { state: true },
    _support: { state: true },
    _details: { state: true },
    _prechatError: { state: true },
    _awayDismissed: { state: true },
  };

  #agents: string[] = [];
  /** The agents' clientIds (an array, or comma- or space-separated): members of the visitor's conversation. */
  get agents(): string[] {
    return this.#agents;
  }
  set agents(value: ListInput) {
    const old = this.#agents;
    this.#agents = toList(value, IDS, '<lc-support>.agents');
    this.requestUpdate('agents', old);
  }
  /** Greeting shown next to the closed bubble until the visitor first opens the chat. */
  declare greeting: string | undefined;
  /** Title of the panel (default: the agents). Not the conversation's name: agents see visitors by their ids. */
  declare name: string | undefined;
  /** Whether the panel is open; remembered across reloads. */
  declare open: boolean;
  /** `bottom-right` (default) or `bottom-left`. */
  declare position: 'bottom-right' | 'bottom-left';
  /** Stacking order of the launcher and panel. */
  declare zIndex: number | undefined;
  /** Display names by clientId; they win over the names in the conversation's `lcSupport.agents`. */
  declare names: Record<string, string> | undefined;
  /** Avatar image URLs (http, https) by clientId; they win over the conversation's `lcSupport.agents`. */
  declare avatars: Record<string, string> | undefined;
  /**
   * The pre-chat form's fields, `name` and/or `email` (space- or
   * comma-separated); each is required, the email checked. Asked once: the
   * answers are kept on the conversation and in local storage.
   * Fields the page knows already (`visitor-name`, `visitor-email`) are not asked.
   */
  declare prechat: string | undefined;
  /** The visitor's name, when the page knows it (a signed-in user): shown to agents, not asked. */
  declare visitorName: string | undefined;
  /** The visitor's email, when the page knows it: shown to agents, not asked. */
  declare visitorEmail: string | undefined;
  /**
   * When the team answers: rules separated by `;`, each days then time
   * ranges, and the time zone (IANA) last, default UTC. E.g.
   * `Mon-Fri 09:00-12:30 13:30-18:00; Sat 10:00-14:00; Europe/Berlin`.
   * Days: `Mon`…`Sun`, ranges (`Mon-Fri`), lists (`Mon,Wed`) or `daily`;
   * times `HH:MM`, 24-hour, up to `24:00`. Outside them the panel shows the
   * away message and when the team is back. Without it: always open.
   */
  declare officeHours: string | undefined;
  /** Shown outside office hours (default: localized "We’re away right now…"). */
  declare awayMessage: string | undefined;
  /** Plays a short chime when a message arrives while the tab is hidden. */
  declare sound: boolean;
  /** Leaves the page's title alone (by default it shows the unread count while the tab is hidden). */
  declare noTitleBadge: boolean;
  /** Does not record the page's URL and the browser for the agents. */
  declare noPageInfo: boolean;
  /** Web Push: the service worker's URL, as `<lc-chat push>` takes it; the panel's header gets the notifications button. */
  declare push: string | undefined;

  declare private _unread: number;
  declare private _greeted: boolean;
  declare private _support: SupportInfo | undefined;
  declare private _details: PrechatValues;
  declare private _prechatError: ReturnType<typeof checkPrechat>;
  declare private _awayDismissed: boolean;

  #conversation: Conversation | undefined;
  #restored = false;
  #focusWasInside = false;
  #fields: PrechatField[] = [];
  #hours: OfficeHours | undefined;
  #clock: ReturnType<typeof setInterval> | undefined;
  /** Writes of the visitor's details, one after another. */
  #recording: Promise<void> = Promise.resolve();
  #unfollow: (() => void) | undefined;
  readonly #alert = new TabAlert(() => ({ title: !this.noTitleBadge, sound: this.sound }));

  constructor() {
    super();
    this.agents = [];
    this.open = false;
    this.position = 'bottom-right';
    this._unread = 0;
    this._greeted = false;
    this.sound = false;
    this.noTitleBadge = false;
    this.noPageInfo = false;
    this._details = {};
    this._awayDismissed = false;
  }

  /** Whether the desk is outside its office hours now. */
  get away(): boolean {
    return this.#hours !== undefined && !isOpen(this.#hours, new Date());
  }

  /** The support info on the visitor's conversation, as last read or written (status, what agents see). */
  get support(): SupportInfo | undefined {
    return this._support;
  }

  /** Whether the panel shows the pre-chat form (fields asked that are not known yet) instead of the chat. */
  get needsPrechat(): boolean {
    const known = this.#known();
    return this.#fields.some((field) => !known[field]);
  }

  /** Unread messages from the agents. */
  get unread(): number {
    return this._unread;
  }

  /** The `<lc-chat>` inside the panel, while open. */
  get chat(): HTMLElementTagNameMap['lc-chat'] | null {
    return this.renderRoot?.querySelector('lc-chat') ?? null;
  }

  /** Opens the panel. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel. */
  hide(): void {
    this.open = false;
  }

  toggle(): void {
    this.open = !this.open;
  }

  override connectedCallback(): void {
    // Before the client is chosen: the visitor id and the remembered state.
    if (!this.clientId && this.appId) this.clientId = visitorId(this.appId);
    if (!this.#restored && this.appId) {
      this.#restored = true;
      const store = storage();
      const saved = store?.getItem(this.#key('open'));
      if (saved !== null && saved !== undefined) this.open = saved === '1';
      this._greeted = store?.getItem(this.#key('greeted')) === '1';
      this._details = readDetails(store?.getItem(this.#key('visitor')));
    }
    super.connectedCallback();
    this.#alert.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#alert.stop();
    this.#unfollow?.();
    this.#unfollow = undefined;
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  #key(what: string): string {
    return `lc-support:${what}:${this.appId ?? ''}:${this.clientId ?? ''}`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('appId') && !this.clientId && this.appId) this.clientId = visitorId(this.appId);
    super.willUpdate(changed);
    if (changed.has('agents')) void this.#resolve();
    if (changed.has('prechat')) {
      const asked = (this.prechat ?? '').split(/[\s,]+/).filter(Boolean);
      const unknown = asked.filter((field) => !PRECHAT_FIELDS.includes(field as PrechatField));
      if (unknown.length) console.warn(`lc-chat: <lc-support> prechat takes "name" and "email"; ignored ${unknown.join(', ')}`);
      this.#fields = PRECHAT_FIELDS.filter((field) => asked.includes(field));
    }
    if (changed.has('officeHours')) this.#readHours();
    if ((changed.has('visitorName') || changed.has('visitorEmail') || changed.has('noPageInfo')) && this.#conversation) this.#record(this.#conversation);
    if (changed.has('zIndex')) {
      if (this.zIndex === undefined || this.zIndex === null) this.style.removeProperty('--_z');
      else this.style.setProperty('--_z', String(this.zIndex));
    }
    // Before the panel goes away with the focus in it.
    if (changed.has('open')) this.#focusWasInside = !this.open && this.matches(':focus-within');
    if (changed.has('open') && this.#restored) {
      storage()?.setItem(this.#key('open'), this.open ? '1' : '0');
      if (this.open && !this._greeted) {
        this._greeted = true;
        storage()?.setItem(this.#key('greeted'), '1');
      }
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // While the panel shows office hours, they are checked again every minute.
    const ticking = this.open && this.#hours !== undefined;
    if (ticking && !this.#clock) this.#clock = setInterval(() => this.requestUpdate(), 60_000);
    if (!ticking && this.#clock) {
      clearInterval(this.#clock);
      this.#clock = undefined;
    }
    if (!changed.has('open') || changed.get('open') === undefined) return;
    if (this.open) {
      // Into the composer (or the form's first field), once rendered: what the visitor types goes there.
      const chat = this.chat;
      if (chat) void chat.updateComplete.then(() => chat.focus());
      else this.renderRoot.querySelector<HTMLInputElement>('.prechat input')?.focus();
    } else if (this.#focusWasInside) {
      // The panel took the focus with it: back to the launcher, not to <body>.
      this.renderRoot.querySelector<HTMLButtonElement>('.launcher')?.focus();
    }
  }

  protected override clientListeners(): ListenerMap<SharedClientEvents> {
    return {
      unread: (cid, count) => {
        if (cid !== this.#conversation?.id || count === this._unread) return;
        this._unread = count;
        this.#alert.update(count);
        this.dispatchEvent(new LcUnreadChangeEvent(cid, count, count));
      },
    };
  }

  protected override clientChanged(client: SharedClient | undefined): void {
    this.#conversation = undefined;
    if (client) void this.#resolve();
  }

  /** The visitor's conversation with the agents (the same one `<lc-chat>` opens). */
  async #resolve(): Promise<void> {
    const client = this.client;
    if (!client || !this.agents.length) return;
    try {
      // No name: the agents tell visitors apart by the other member (`name` is only the panel's title).
      const conversation = await client.conversation({ members: this.agents, unique: true });
      if (client !== this.client) return;
      this.#conversation = conversation;
      this.#follow(conversation);
      this.requestUpdate();
      const count = client.unread(conversation.id) || conversation.unreadMessagesCount;
      if (count !== this._unread) {
        this._unread = count;
        this.#alert.update(count);
        this.dispatchEvent(new LcUnreadChangeEvent(conversation.id, count, count));
      }
      this.#record(conversation);
    } catch {
      // <lc-chat> shows (and reports) the failure when the panel opens.
    }
  }

  /** Keeps the support info current: agents change the status, a page of the visitor's on another tab the details. */
  #follow(conversation: Conversation): void {
    this.#unfollow?.();
    const changed = (): void => {
      if (conversation === this.#conversation) this._support = supportOf(conversation);
    };
    conversation.on('infoupdated', changed);
    this.#unfollow = () => conversation.off('infoupdated', changed);
    changed();
  }

  #readHours(): void {
    this.#hours = undefined;
    if (!this.officeHours?.trim()) return;
    try {
      this.#hours = parseOfficeHours(this.officeHours);
    } catch (error) {
      // Always open then: a typo must not tell visitors nobody is there.
      console.warn(`lc-chat: <lc-support> ${(error as Error).message}`);
      this.dispatchEvent(new LcErrorEvent(error as Error, 'config'));
    }
  }

  /** The visitor's name and email as far as known: from the page, the form, or the conversation. */
  #known(): PrechatValues {
    const visitor = this._support?.visitor;
    const name = this.visitorName?.trim() || this._details.name || visitor?.name;
    const email = [this.visitorEmail?.trim(), this._details.email, visitor?.email].find((value) => value && isEmail(value));
    return { ...(name ? { name: name.slice(0, 100) } : {}), ...(email ? { email } : {}) };
  }

  /**
   * Writes who the visitor is on the conversation, the fields that changed
   * only (the first time also `status: open`), so agents see it. One write
   * at a time; a page view that changed nothing writes nothing.
   */
  #record(conversation: Conversation): void {
    this.#recording = this.#recording.then(async () => {
      const client = this.client;
      if (!client || conversation !== this.#conversation) return;
      const current = supportOf(conversation);
      this._support = current;
      const want: VisitorInfo = { id: client.clientId, ...this.#known() };
      if (!this.noPageInfo) {
        want.url = pageUrl(location);
        want.browser = describeBrowser(navigator.userAgent).slice(0, 100);
      }
      const changes: Record<string, unknown> = {};
      if (!current?.visitor) changes.visitor = want;
      else for (const [key, value] of Object.entries(want)) if (current.visitor[key as keyof VisitorInfo] !== value) changes[`visitor.${key}`] = value;
      if (!current) changes.status = 'open';
      if (!Object.keys(changes).length) return;
      try {
        await saveSupport(conversation, changes);
      } catch (error) {
        this.emitError(error, 'support');
      }
      if (conversation === this.#conversation) this._support = supportOf(conversation);
    });
  }

  #submitPrechat(values: PrechatValues): void {
    const error = checkPrechat(this.#fields, { ...this.#known(), ...values });
    this._prechatError = error;
    if (error) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#prechat-${error.field}`)?.focus());
      return;
    }
    const event = new LcPrechatSubmitEvent(values.name, values.email);
    this.dispatchEvent(event);
    if (event.defaultPrevented) return;
    this._details = { ...this._details, ...values };
    storage()?.setItem(this.#key('visitor'), JSON.stringify(this._details));
    if (this.#conversation) this.#record(this.#conversation);
    void this.updateComplete.then(() => {
      const chat = this.chat;
      void chat?.updateComplete.then(() => chat.focus());
    });
  }

  /** The visitor wrote: a resolved conversation is open again (unless the page cancels it). */
  #onMessage(event: LcMessageEvent): void {
    const conversation = this.#conversation;
    if (!event.outgoing || !conversation || event.conversation.id !== conversation.id) return;
    this._awayDismissed = true;
    if (supportOf(conversation)?.status !== 'resolved') return;
    const change = new LcStatusChangeEvent(conversation.id, 'open', 'resolved');
    this.dispatchEvent(change);
    if (change.defaultPrevented) return;
    this.#recording = this.#recording.then(() =>
      saveSupport(conversation, { status: 'open' }).then(
        () => void (this._support = supportOf(conversation)),
        (error: unknown) => this.emitError(error, 'support'),
      ),
    );
  }

  /** Agents' names and avatars: the page's properties over the conversation's `lcSupport.agents`. */
  #people(): People {
    const agents = Object.entries(this._support?.agents ?? {});
    const pick = (key: 'name' | 'avatar', own: Record<string, string> | undefined) => {
      const from = Object.fromEntries(agents.flatMap(([id, agent]) => (agent[key] ? [[id, agent[key]]] : [])));
      return agents.length ? { ...from, ...own } : own;
    };
    return { names: pick('name', this.names), avatars: pick('avatar', this.avatars) };
  }

  /** The away notice, when outside office hours: the message and when the team is back. */
  #renderAway(dismissible: boolean): TemplateResult | typeof nothing {
    const hours = this.#hours;
    const now = new Date();
    if (!hours || isOpen(hours, now) || (dismissible && this._awayDismissed)) return nothing;
    const { t, lang } = this.localize.value;
    const back = nextOpening(hours, now);
    const when = back
      ? new Intl.DateTimeFormat(lang, { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(back)
      : undefined;
    return html`<div class="away" part="away" role="status">
      <p>${this.awayMessage ?? t('support.away')}${when ? html` <strong>${t('support.back', { time: when })}</strong>` : nothing}</p>
      ${dismissible
        ? html`<button type="button" class="close" aria-label=${t('image.close')} title=${t('image.close')} @click=${() => (this._awayDismissed = true)}>${closeIcon}</button>`
        : nothing}
    </div>`;
  }

  protected override render(): TemplateResult {
    const { t } = this.localize.value;
    const unread = this.open ? 0 : this._unread;
    const people = this.#people();
    const names = this.agents.map((agent) => people.names?.[agent] ?? agent).join(', ');
    // The launcher comes first in the DOM (both are positioned): Tab goes
    // from it into the panel it opened, as the eye goes, not out of the widget.
    return html`<button
        class="launcher"
        part="launcher"
        type="button"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="panel"
        aria-label=${this.open ? t('launcher.close') : unread ? `${t('launcher.open')} (${t('inbox.unread', { count: unread })})` : t('launcher.open')}
        @click=${() => this.toggle()}
      >
        ${this.open ? chevronIcon : chatBubbleIcon}${unread ? html`<span class="badge" part="badge">${unread > 99 ? '99+' : unread}</span>` : nothing}
      </button>
      ${this.open
        ? html`<div class="panel" id="panel" part="panel" role="dialog" aria-label=${this.name ?? names} @keydown=${this.#onPanelKeydown}>
            ${this.needsPrechat ? this.#renderIntro(this.name ?? names, people) : this.#renderChat(people)}
          </div>`
        : this.greeting && !this._greeted
          ? html`<div class="greeting" part="greeting" @click=${() => this.show()}>${this.greeting}</div>`
          : nothing}`;
  }

  /** Before the chat: the panel's own header, the away notice and the pre-chat form. */
  #renderIntro(title: string, people: People): TemplateResult {
    const localizer = this.localize.value;
    const { t } = localizer;
    // Who will answer, as the chat's header shows them once it opens.
    const agent = this.agents.length === 1 ? this.agents[0]! : undefined;
    return html`<div class="intro">
      <div class="intro-header">
        ${agent ? renderAvatar(agent, people.names?.[agent] ?? title, false, people.avatars?.[agent]) : nothing}
        <h2>${title}</h2>
        <button class="close" type="button" aria-label=${t('launcher.close')} title=${t('launcher.close')} @click=${() => this.hide()}>${closeIcon}</button>
      </div>
      ${this.#renderAway(false)}
      ${renderPrechat({ fields: this.#fields, values: this.#known(), error: this._prechatError, localizer, submit: (values) => this.#submitPrechat(values) })}
    </div>`;
  }


  #renderChat(people: People): TemplateResult {
    const { t } = this.localize.value;
    return html`<lc-chat
      exportparts="header, list, composer, input, send-button, push-toggle"
      .server=${this.server}
      .appId=${this.appId}
      .appKey=${this.appKey}
      .clientId=${this.clientId}
      .signatureUrl=${this.signatureUrl}
      .conversationSignatureUrl=${this.conversationSignatureUrl}
      .tag=${this.tag}
      .noBinary=${this.noBinary}
      .conversationId=${this.#conversation?.id}
      .members=${this.#conversation ? [] : this.agents}
      .unique=${true}
      .name=${this.#conversation ? this.name : undefined}
      .names=${people.names}
      .push=${this.push}
      .avatars=${people.avatars}
      .theme=${this.theme}
      lang=${this.lang || nothing}
      @lc-message=${this.#onMessage}
            >
      <button slot="header-actions" class="close" type="button" aria-label=${t('launcher.close')} title=${t('launcher.close')} @click=${() => this.hide()}>
        ${closeIcon}
      </button>
            </lc-chat>${this.#renderAway(true)}`;
  }

  /** Escape closes the panel, unless something inside used it (the chat's list returns to its composer, the image viewer closes). */
  #onPanelKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    this.hide();
  }
}

/** The pre-chat answers kept in local storage, read defensively (another script may have written the key). */
function readDetails(raw: string | null | undefined): PrechatValues {
  try {
    const value: unknown = raw ? JSON.parse(raw) : undefined;
    if (typeof value !== 'object' || value === null) return {};
    const { name, email } = value as Record<string, unknown>;
    return {
      ...(typeof name === 'string' && name.trim() ? { name: name.trim().slice(0, 100) } : {}),
      ...(typeof email === 'string' && isEmail(email) ? { email } : {}),
    };
  } catch {
    return {};
  }
}

defineElement('lc-support', LcSupport);

declare global {
  interface HTMLElementTagNameMap {
    'lc-support': LcSupport;
  }
}
