// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Conversation } from '../../sdk/index.js';
import { ClientController } from '../client/client-controller.js';
import { CONNECTION_KEYS, LcConnectedElement } from '../client/lc-connected-element.js';
import type { SharedClient } from '../client/shared-client.js';
import { LcUnreadChangeEvent } from '../events.js';
import { LocalizeController } from '../i18n/localize-controller.js';
import '../lc-chat/lc-chat.js';
import { styles } from './lc-support.styles.js';
import { IDS, listConverter, toList, type ListInput } from '../util/list-property.js';

const chatBubbleIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M20 15a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2z"/></svg>`;
const closeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M6 6l12 12M18 6 6 18"/></svg>`;
const chevronIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><path d="m6 9 6 6 6-6"/></svg>`;


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
 * Event data is on the event (`event.count`) and, as with `CustomEvent`, in `event.detail` (`event.detail.count`).
 *
 * @summary A floating support chat: bubble with unread badge, panel with the conversation.
 *
 * @fires {LcUnreadChangeEvent} lc-unread-change - Unread messages from the agents changed (`conversationId`, `count`, `total`).
 *
 * @attr {string} lang - Language of the element's strings (`en`, `zh-CN`).
 *
 * @csspart launcher - The floating bubble button.
 * @csspart badge - The unread badge on the bubble.
 * @csspart greeting - The greeting callout next to the closed bubble.
 * @csspart panel - The panel holding the chat.
 * @csspart push-toggle - With `push`: the chat's notifications button.
 *
 * @cssproperty --lc-color-accent - The bubble's color.
 * @cssproperty --lc-color-accent-contrast - The icon on the bubble.
 * @cssproperty --lc-support-offset - Distance from the viewport's edges (default 20px).
 * @cssproperty --lc-support-width - Width of the panel (default 380px).
 * @cssproperty --lc-support-height - Height of the panel (default 600px).
 */
export class LcSupport extends LcConnectedElement {
  static override styles = styles;

  static override properties = {
    agents: { converter: listConverter(IDS), noAccessor: true },
    greeting: { type: String },
    name: { type: String },
    open: { type: Boolean, reflect: true },
    position: { type: String, reflect: true },
    zIndex: { type: Number, attribute: 'z-index' },
    lang: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    names: { attribute: false },
    push: { type: String },
    _unread: { state: true },
    _greeted: { state: true },
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
  /** Color theme: `light` (default), `dark`, or `auto`. */
  declare theme: 'light' | 'dark' | 'auto';
  /** Display names by clientId. */
  declare names: Record<string, string> | undefined;
  /** Web Push: the service worker's URL, as `<lc-chat push>` takes it; the panel's header gets the notifications button. */
  declare push: string | undefined;

  declare private _unread: number;
  declare private _greeted: boolean;

  readonly #localize = new LocalizeController(this);
  readonly #clients = new ClientController(this, (client) => this.#setClient(client));
  #client: SharedClient | undefined;
  #conversation: Conversation | undefined;
  #unsubscribe: (() => void) | undefined;
  #restored = false;
  #focusWasInside = false;

  constructor() {
    super();
    this.agents = [];
    this.open = false;
    this.position = 'bottom-right';
    this.theme = 'light';
    this._unread = 0;
    this._greeted = false;
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
    }
    super.connectedCallback();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #key(what: string): string {
    return `lc-support:${what}:${this.appId ?? ''}:${this.clientId ?? ''}`;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('appId') && !this.clientId && this.appId) this.clientId = visitorId(this.appId);
    if (CONNECTION_KEYS.some((key) => changed.has(key))) this.#clients.sync();
    if (changed.has('agents')) void this.#resolve();
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
    if (!changed.has('open') || changed.get('open') === undefined) return;
    if (this.open) {
      // Into the composer, once the chat inside has rendered it: what the visitor types goes there.
      const chat = this.chat;
      void chat?.updateComplete.then(() => chat.focus());
    } else if (this.#focusWasInside) {
      // The panel took the focus with it: back to the launcher, not to <body>.
      this.renderRoot.querySelector<HTMLButtonElement>('.launcher')?.focus();
    }
  }

  #setClient(client: SharedClient | undefined): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#client = client;
    this.#conversation = undefined;
    if (!client) return;
    const unread = (cid: string, count: number): void => {
      if (cid !== this.#conversation?.id || count === this._unread) return;
      this._unread = count;
      this.dispatchEvent(new LcUnreadChangeEvent(cid, count, count));
    };
    client.on('unread', unread);
    this.#unsubscribe = () => client.off('unread', unread);
    void this.#resolve();
  }

  /** The visitor's conversation with the agents (the same one `<lc-chat>` opens). */
  async #resolve(): Promise<void> {
    const client = this.#client;
    if (!client || !this.agents.length) return;
    try {
      // No name: the agents tell visitors apart by the other member (`name` is only the panel's title).
      const conversation = await client.conversation({ members: this.agents, unique: true });
      if (client !== this.#client) return;
      this.#conversation = conversation;
      this.requestUpdate();
      const count = client.unread(conversation.id) || conversation.unreadMessagesCount;
      if (count !== this._unread) {
        this._unread = count;
        this.dispatchEvent(new LcUnreadChangeEvent(conversation.id, count, count));
      }
    } catch {
      // <lc-chat> shows (and reports) the failure when the panel opens.
    }
  }

  protected override render(): TemplateResult {
    const { t } = this.#localize.value;
    const unread = this.open ? 0 : this._unread;
    const names = this.agents.map((agent) => this.names?.[agent] ?? agent).join(', ');
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
            <lc-chat
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
              .names=${this.names}
              .push=${this.push}
              .theme=${this.theme}
              lang=${this.lang || nothing}
            >
              <button slot="header-actions" class="close" type="button" aria-label=${t('launcher.close')} title=${t('launcher.close')} @click=${() => this.hide()}>
                ${closeIcon}
              </button>
            </lc-chat>
          </div>`
        : this.greeting && !this._greeted
          ? html`<div class="greeting" part="greeting" @click=${() => this.show()}>${this.greeting}</div>`
          : nothing}`;
  }

  /** Escape closes the panel, unless something inside used it (the chat's list returns to its composer, the image viewer closes). */
  #onPanelKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    this.hide();
  }
}

defineElement('lc-support', LcSupport);

declare global {
  interface HTMLElementTagNameMap {
    'lc-support': LcSupport;
  }
}
