/**
 * How an `lc-*` element gets its shared client: from
 * its own connection attributes (through the page-wide registry), else from
 * the nearest `<lc-realtime>` (unless `fromContext` is false: `<lc-realtime>`
 * itself). Calls `changed` when the client changes.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import { ensureContextRoot, realtimeContext } from '../context/realtime-context.js';
import { clientKey, optionsFromAttributes, type ConnectionAttributes } from './client-options.js';
import { LcErrorEvent } from '../events.js';
import { acquireClient, releaseClient } from './client-registry.js';
import { partialAttributes, type SetupError } from './setup-error.js';
import type { SharedClient } from './shared-client.js';

type Host = ReactiveElement & ConnectionAttributes;

export class ClientController implements ReactiveController {
  readonly #host: Host;
  readonly #changed: (client: SharedClient | undefined) => void;
  #contextClient: SharedClient | undefined;
  #ownClient: SharedClient | undefined;
  #client: SharedClient | undefined;
  #setupError: SetupError | undefined;

  constructor(host: Host, changed: (client: SharedClient | undefined) => void, fromContext = true) {
    this.#host = host;
    this.#changed = changed;
    ensureContextRoot();
    host.addController(this);
    if (!fromContext) return;
    new ContextConsumer(host, {
      context: realtimeContext,
      subscribe: true,
      callback: (client) => {
        this.#contextClient = client;
        this.sync();
      },
    });
  }

  get client(): SharedClient | undefined {
    return this.#client;
  }

  /** The element names some connection attributes but not all (or misspells one): it cannot connect. */
  get setupError(): SetupError | undefined {
    return this.#setupError;
  }

  hostConnected(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.#set(undefined);
    if (this.#ownClient) releaseClient(this.#ownClient);
    this.#ownClient = undefined;
  }

  /** Call when a connection attribute changed. */
  sync(): void {
    if (!this.#host.isConnected) return;
    const options = optionsFromAttributes(this.#host);
    if (options) {
      if (!this.#ownClient || this.#ownClient.key !== clientKey(options)) {
        const previous = this.#ownClient;
        this.#ownClient = acquireClient(options);
        if (previous) releaseClient(previous);
      }
    } else if (this.#ownClient) {
      releaseClient(this.#ownClient);
      this.#ownClient = undefined;
    }
    this.setupChecking = undefined;
    if (options || !partialAttributes(this.#host)) this.#checkSetup(undefined);
    else this.#checkMissing();
    this.#set(this.#ownClient ?? this.#contextClient);
  }

  /**
   * Set while setup-check.ts loads to say which attribute is missing:
   * hosts wait for it before they render, so such an element never shows
   * "Connecting…" first.
   */
  setupChecking: Promise<void> | undefined;

  #checkMissing(): void {
    const check: Promise<void> = (this.setupChecking = import('./setup-check.js').then(
      ({ missingAttributeError }) => {
        if (this.setupChecking !== check) return;
        this.setupChecking = undefined;
        this.#checkSetup(missingAttributeError(this.#host));
      },
      () => {
        if (this.setupChecking === check) this.setupChecking = undefined;
      },
    ));
  }

  #checkSetup(error: SetupError | undefined): void {
    if (error?.message === this.#setupError?.message) return;
    this.#setupError = error;
    this.#host.requestUpdate();
    if (!error) return;
    const host = this.#host;
    console.warn(`${host.localName}: ${error.message}`, host);
    // After the first render: a page adds its listeners right after adding the element.
    void host.updateComplete.then(() => {
      if (this.#setupError === error) host.dispatchEvent(new LcErrorEvent(error, 'config'));
    });
  }

  #set(client: SharedClient | undefined): void {
    if (client === this.#client) return;
    this.#client = client;
    this.#changed(client);
  }
}
