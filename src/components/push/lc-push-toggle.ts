// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { css, html, nothing, svg, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import type { SharedClient } from '../client/shared-client.js';
import { LcErrorEvent, LcPushChangeEvent } from '../events.js';
import { LocalizeController } from '../i18n/localize-controller.js';
import { pushStatus, subscribePush, unsubscribePush, type PushStatus } from './push-subscription.js';
import { addEnglish } from '../i18n/localize.js';
import { enMore } from '../i18n/en-more.js';

addEnglish(enMore);

const bellIcon = svg`<path d="M12 3a6 6 0 0 0-6 6v3.5L4.5 15v1h15v-1L18 12.5V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>`;
const bellOffIcon = svg`<path d="M12 3a6 6 0 0 0-6 6v3.5L4.5 15v1h15v-1L18 12.5V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0M4 4l16 16" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" stroke-linecap="round"/>`;

/**
 * The notifications button `<lc-chat push="…">` puts in its header: turns
 * browser notifications for new messages on and off for this browser and
 * the logged-in client. Once on (permission given), each later visit
 * renews the subscription without asking. Loaded on demand, only by pages
 * that set `push`. Internal: `<lc-chat>` documents what a page sees of it
 * (`push`, `lc-push-change`, `::part(push-toggle)`).
 *
 * @internal
 *
 * @summary Turns Web Push notifications on or off for this browser.
 *
 * @fires {LcPushChangeEvent} lc-push-change - The user is turning notifications on or off (`enabled`). Cancelable: nothing changes.
 * @fires {LcErrorEvent} lc-error - Subscribing or unsubscribing failed (`operation: 'push'`).
 *
 * @csspart button - The button.
 *
 * @cssproperty --lc-color-muted - The bell while notifications are off.
 * @cssproperty --lc-color-accent - The bell while they are on, and the focus ring.
 */
export class LcPushToggle extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
    }
    button {
      display: inline-grid;
      place-items: center;
      inline-size: 36px;
      block-size: 36px;
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: none;
      /* The chat's resolved theme tokens (themes/tokens.ts), inherited from its host. */
      color: var(--_muted, var(--lc-color-muted, #6b7280));
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      color: var(--_accent, var(--lc-color-accent, #4f46e5));
    }
    button:disabled {
      cursor: not-allowed;
      opacity: 0.6;
    }
    button:focus-visible {
      outline: 2px solid var(--_accent, var(--lc-color-accent, #4f46e5));
      outline-offset: 1px;
    }
    svg {
      inline-size: 20px;
      block-size: 20px;
    }
  `;

  static override properties = {
    client: { attribute: false },
    worker: { type: String },
    lang: { type: String },
    _status: { state: true },
    _busy: { state: true },
  };

  /** The logged-in client whose notifications these are. */
  declare client: SharedClient | undefined;
  /** URL of the service worker to register (the one shipped as `lc-chat-sw.js`, served from the page's origin). */
  declare worker: string | undefined;
  /** Language of the label and of the server's generic notification text. */
  declare lang: string;
  declare private _status: PushStatus;
  declare private _busy: boolean;

  readonly #localize = new LocalizeController(this);
  /** The client and worker the silent renewal last ran for. */
  #renewed = '';

  constructor() {
    super();
    this.lang = '';
    this._status = 'unsupported';
    this._busy = false;
  }

  /** Whether notifications are on for this browser. */
  get status(): PushStatus {
    return this._status;
  }

  /** Renders once the strings of its language are loaded (see `LocalizeController.ready`). */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const strings = this.#localize.ready();
    return strings ? strings.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('client') && !changed.has('worker')) return;
    const { client, worker } = this;
    const key = client && worker ? `${client.key}\n${worker}` : '';
    if (!key || key === this.#renewed) return;
    this.#renewed = key;
    void this.#renew(client!, worker!);
  }

  /**
   * Turned on at an earlier visit: registers this browser's subscription for
   * the client logged in now, without asking (a shared computer's browser
   * then notifies only whoever uses it now). Turned off, it stays off.
   */
  async #renew(client: SharedClient, worker: string): Promise<void> {
    try {
      this._status = await pushStatus(worker);
      if (this._status === 'on') this._status = await subscribePush(client, worker, this.#localize.value.lang, false);
    } catch (error) {
      this.#failed(error);
    }
  }

  async #toggle(): Promise<void> {
    const { client, worker } = this;
    if (!client || !worker || this._busy) return;
    const enabled = this._status !== 'on';
    if (!this.dispatchEvent(new LcPushChangeEvent(enabled))) return;
    this._busy = true;
    try {
      this._status = enabled ? await subscribePush(client, worker, this.#localize.value.lang, true) : await unsubscribePush(client, worker);
    } catch (error) {
      this.#failed(error);
    } finally {
      this._busy = false;
    }
  }

  #failed(error: unknown): void {
    this.dispatchEvent(new LcErrorEvent(error instanceof Error ? error : new Error(String(error)), 'push'));
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this._status === 'unsupported') return nothing;
    const { t } = this.#localize.value;
    const on = this._status === 'on';
    const blocked = this._status === 'blocked';
    const label = blocked ? t('push.blocked') : on ? t('push.disable') : t('push.enable');
    return html`<button
      part="button"
      type="button"
      aria-pressed=${on ? 'true' : 'false'}
      aria-label=${label}
      title=${label}
      ?disabled=${blocked || this._busy || !this.client}
      @click=${() => void this.#toggle()}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true">${on ? bellIcon : bellOffIcon}</svg>
    </button>`;
  }
}

defineElement('lc-push-toggle', LcPushToggle);

declare global {
  interface HTMLElementTagNameMap {
    'lc-push-toggle': LcPushToggle;
  }
}
