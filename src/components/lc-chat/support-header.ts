/**
 * The agent's view of a support conversation in `<lc-chat>`: who the
 * visitor is (name in the title; email, page and browser under the header)
 * and the open/resolved control. Loaded on demand, only for conversations
 * that carry the `lcSupport` attribute (see `lc-support/support-info.ts`),
 * so `<lc-chat>`'s first load does not grow with it.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Conversation } from '../../sdk/index.js';
import { LcErrorEvent } from '../events.js';
import type { Localizer } from '../i18n/localize.js';
import { LcStatusChangeEvent } from '../lc-support/support-events.js';
import { onSupportSaved, saveSupport, supportOf, type SupportInfo, type SupportStatus } from '../lc-support/support-info.js';
import { safeUrl } from '../renderers/safe-url.js';
import { addEnglish } from '../i18n/localize.js';
import { enMore } from '../i18n/en-more.js';

addEnglish(enMore);

/** What the controller needs from `<lc-chat>`. */
export interface SupportHeaderHost {
  conversation(): Conversation | undefined;
  clientId(): string | undefined;
}

/** Static: no user data in it. Inside the template, as this module's styles are not the element's. */
const style = html`<style>
  .support {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.25);
    border-block-end: 1px solid var(--_border);
    font-size: 0.8em;
    color: var(--_muted);
  }
  .support .fact {
    min-inline-size: 0;
    max-inline-size: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .support a {
    color: inherit;
  }
  .support .chip {
    border-radius: 999px;
    padding: 1px 8px;
    font-weight: 600;
    border: 1px solid currentColor;
  }
  .support .chip[data-status='open'] {
    color: var(--_accent);
  }
  .support .status {
    margin-inline-start: auto;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .support button {
    font: inherit;
    font-weight: 600;
    color: var(--_accent);
    background: none;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 2px 10px;
    cursor: pointer;
  }
  .support button:disabled {
    opacity: 0.6;
    cursor: default;
  }
</style>`;

/** `<lc-chat>`'s controller for support conversations, agent side. */
export class SupportHeader implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #view: SupportHeaderHost;
  #conversation: Conversation | undefined;
  #unsubscribe: (() => void) | undefined;
  #saving = false;

  constructor(host: ReactiveControllerHost & HTMLElement, view: SupportHeaderHost) {
    this.#host = host;
    this.#view = view;
    host.addController(this);
    this.#follow();
  }

  hostUpdate(): void {
    this.#follow();
  }

  hostConnected(): void {
    this.#conversation = undefined;
    this.#follow();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Listens to the shown conversation's attribute changes (another member's, or this page's). */
  #follow(): void {
    const conversation = this.#view.conversation();
    if (conversation === this.#conversation && this.#unsubscribe) return;
    this.#unsubscribe?.();
    this.#conversation = conversation;
    this.#saving = false;
    if (!conversation) {
      this.#unsubscribe = undefined;
      return;
    }
    const changed = (): void => this.#host.requestUpdate();
    conversation.on('infoupdated', changed);
    const stop = onSupportSaved((cid) => {
      if (cid === conversation.id) changed();
    });
    this.#unsubscribe = () => {
      conversation.off('infoupdated', changed);
      stop();
    };
  }

  /** The support info, when the user is not the visitor (an agent's view). */
  #info(): SupportInfo | undefined {
    const info = supportOf(this.#view.conversation());
    return info?.visitor && info.visitor.id !== this.#view.clientId() ? info : undefined;
  }

  /** The visitor's name, for the header's title. */
  title(): string | undefined {
    return this.#info()?.visitor?.name;
  }

  /** The visitor's name for their clientId (their messages' avatars and senders), agent side. */
  nameOf(clientId: string): string | undefined {
    const visitor = this.#info()?.visitor;
    return visitor?.id === clientId ? visitor.name : undefined;
  }

  /** The details row under the header, or nothing for a visitor or a conversation without support info. */
  render({ t }: Localizer, options: { details: boolean; status: boolean }): TemplateResult | typeof nothing {
    const info = this.#info();
    const visitor = info?.visitor;
    if (!info || !visitor || (!options.details && !options.status)) return nothing;
    const url = visitor.url && /^https?:/i.test(visitor.url) ? safeUrl(visitor.url) : undefined;
    const next: SupportStatus = info.status === 'open' ? 'resolved' : 'open';
    return html`${style}<div class="support" part="visitor" role="group" aria-label=${t('support.visitor')}>
      ${options.details
        ? html`${visitor.email ? html`<a class="fact" part="visitor-email" href=${`mailto:${visitor.email}`}>${visitor.email}</a>` : nothing}
          ${url
            ? html`<a class="fact" part="visitor-url" href=${url} target="_blank" rel="noopener noreferrer" title=${url}>${url.replace(/^https?:\/\//i, '')}</a>`
            : nothing}
          ${visitor.browser ? html`<span class="fact" part="visitor-browser">${visitor.browser}</span>` : nothing}`
        : nothing}
      ${options.status
        ? html`<span class="status">
            <span class="chip" part="status" data-status=${info.status}>${t(info.status === 'open' ? 'support.open' : 'support.resolved')}</span>
            <button type="button" part="status-button" ?disabled=${this.#saving} @click=${() => this.setStatus(next)}>
              ${t(next === 'resolved' ? 'support.resolve' : 'support.reopen')}
            </button>
          </span>`
        : nothing}
    </div>`;
  }

  /** Marks the conversation open or resolved, unless `lc-status-change` is cancelled. */
  async setStatus(status: SupportStatus): Promise<void> {
    const conversation = this.#view.conversation();
    const info = supportOf(conversation);
    if (!conversation || !info || info.status === status || this.#saving) return;
    const event = new LcStatusChangeEvent(conversation.id, status, info.status);
    this.#host.dispatchEvent(event);
    if (event.defaultPrevented) return;
    this.#saving = true;
    this.#host.requestUpdate();
    try {
      await saveSupport(conversation, { status });
    } catch (error) {
      this.#host.dispatchEvent(new LcErrorEvent(error instanceof Error ? error : new Error(String(error)), 'status'));
    } finally {
      if (this.#conversation === conversation) this.#saving = false;
      this.#host.requestUpdate();
    }
  }
}
