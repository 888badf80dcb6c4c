import { ContextProvider } from '@lit/context';
import { css, html, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { clientKey, optionsFromAttributes } from '../client/client-options.js';
import { acquireClient, releaseClient } from '../client/client-registry.js';
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
 * @slot - The elements that use the client.
 */
export class LcRealtime extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  static override properties = {
    server: { type: String },
    appId: { type: String, attribute: 'app-id' },
    appKey: { type: String, attribute: 'app-key' },
    clientId: { type: String, attribute: 'client-id' },
    signatureUrl: { type: String, attribute: 'signature-url' },
    conversationSignatureUrl: { type: String, attribute: 'conversation-signature-url' },
    tag: { type: String },
    noBinary: { type: Boolean, attribute: 'no-binary' },
    cacheLimit: { type: Number, attribute: 'cache-limit' },
  };

  /** The lc-chat server: `wss://host` (or `https://host`). */
  declare server: string | undefined;
  /** The app id. */
  declare appId: string | undefined;
  /** The app key. */
  declare appKey: string | undefined;
  /** The user's clientId. */
  declare clientId: string | undefined;
  /** Endpoint that signs logins: `POST {clientId}` → `{signature, timestamp, nonce}`. */
  declare signatureUrl: string | undefined;
  /** Endpoint that signs conversation operations: `POST {conversationId, clientId, members, action}`. */
  declare conversationSignatureUrl: string | undefined;
  /** Device kind for single-device login; a newer login with the same tag takes over (conflict). */
  declare tag: string | undefined;
  /** Use text (base64) frames instead of binary ones. */
  declare noBinary: boolean;
  /** Messages kept per conversation in the browser's cache. */
  declare cacheLimit: number | undefined;

  readonly #provider = new ContextProvider(this, { context: realtimeContext });
  #client: SharedClient | undefined;

  constructor() {
    super();
    ensureContextRoot();
    this.noBinary = false;
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
    this.#set(options ? acquireClient(options) : undefined);
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

// Another copy of the bundle on the page may have defined it already.
if (!customElements.get('lc-realtime')) customElements.define('lc-realtime', LcRealtime);

declare global {
  interface HTMLElementTagNameMap {
    'lc-realtime': LcRealtime;
  }
}
