// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { ContextProvider } from '@lit/context';
import { css, html, type PropertyValues, type TemplateResult } from 'lit';
import { clientKey, optionsFromAttributes } from '../client/client-options.js';
import { acquireClient, releaseClient } from '../client/client-registry.js';
import { missingAttributeError } from '../client/setup-error.js';
import { LcErrorEvent } from '../events.js';
import { LcConnectedElement } from '../client/lc-connected-element.js';
import type { SharedClient } from '../client/shared-client.js';
import { ensureContextRoot, realtimeContext } from '../context/realtime-context.js';

/**
 * Opens one connection and one client for a user and shares it with every
 * `lc-*` element inside. Elements inside need no connection attributes of
 * their own; ones that upgrade before this element still get the client.
 *
 * ```html
 * <lc-realtime server="wss://chat.example.com" app-id="…" client-id="alice" signature-url="/chat/sign">
 *   <lc-chat members="bob" unique></lc-chat>
 * </lc-realtime>
 * ```
 *
 * The client is shared page-wide by (server, app-id, client-id): another
 * provider or standalone element naming the same user uses the same
 * connection, with the options of whichever created it first.
 *
 * @summary Provides a shared realtime client to the `lc-*` elements inside it.
 *
 * @fires {LcErrorEvent} lc-error - `operation: 'config'`: `server`, `app-id` or `client-id` is missing (a `SetupError` naming the attribute).
 *
 * @slot - The elements that use the client.
 */
export class LcRealtime extends LcConnectedElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  readonly #provider = new ContextProvider(this, { context: realtimeContext });
  #client: SharedClient | undefined;

  constructor() {
    super();
    ensureContextRoot();
  }

  /** The shared client, once `server`, `app-id` and `client-id` are set. */
  get client(): SharedClient | undefined {
    return this.#client;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#sync();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#set(undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.size) this.#sync();
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }

  #sync(): void {
    if (!this.isConnected) return;
    const options = optionsFromAttributes(this);
    if (options && this.#client?.key === clientKey(options)) return;
    if (!options) this.#warnSetup();
    this.#set(options ? acquireClient(options) : undefined);
  }

  #warned = '';

  /** The elements inside would wait forever for a client: say which attribute is missing, once. */
  #warnSetup(): void {
    const error = missingAttributeError(this);
    if (!error || error.message === this.#warned) return;
    this.#warned = error.message;
    console.warn(`lc-realtime: ${error.message}`, this);
    void this.updateComplete.then(() => this.dispatchEvent(new LcErrorEvent(error, 'config')));
  }

  #set(client: SharedClient | undefined): void {
    const previous = this.#client;
    if (client === previous) {
      // acquireClient counted one more user of the same client: give it back.
      if (client) releaseClient(client);
      return;
    }
    this.#client = client;
    this.#provider.setValue(client);
    if (previous) releaseClient(previous);
  }
}

defineElement('lc-realtime', LcRealtime);

declare global {
  interface HTMLElementTagNameMap {
    'lc-realtime': LcRealtime;
  }
}
