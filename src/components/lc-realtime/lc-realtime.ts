// First: before Lit loads (see define-element.ts).
import { defineElement } from '../define-element.js';
import { ContextProvider } from '@lit/context';
import { css, html, type PropertyValues, type TemplateResult } from 'lit';
import { ClientController } from '../client/client-controller.js';
import { LcConnectedElement } from '../client/lc-connected-element.js';
import type { SharedClient } from '../client/shared-client.js';
import { realtimeContext } from '../context/realtime-context.js';

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
  // Its own attributes only: a provider inside another does not pass the outer one's client on.
  readonly #clients = new ClientController(this, (client) => this.#provider.setValue(client), false);

  /** The shared client, once `server`, `app-id` and `client-id` are set. */
  get client(): SharedClient | undefined {
    return this.#clients.client;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.size) this.#clients.sync();
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}

defineElement('lc-realtime', LcRealtime);

declare global {
  interface HTMLElementTagNameMap {
    'lc-realtime': LcRealtime;
  }
}
