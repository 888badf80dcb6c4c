/**
 * What every `lc-*` widget (`<lc-chat>`, `<lc-conversation-list>`,
 * `<lc-live-room>`, `<lc-support>`) has besides its own view, declared
 * once: the connection attributes (from `LcConnectedElement`), `lang`,
 * `theme` and `names`, the shared client (its own or the nearest
 * `<lc-realtime>`'s) with the element's listeners on it, and the
 * connection state it shows. A widget says what it listens to
 * (`clientListeners`) and what a new client means for it (`clientChanged`).
 */
import type { PropertyDeclarations, PropertyValues } from 'lit';
import { LcErrorEvent } from '../events.js';
import { LocalizeController } from '../i18n/localize-controller.js';
import { ClientController } from './client-controller.js';
import { CONNECTION_KEYS, LcConnectedElement } from './lc-connected-element.js';
import { listen, type ListenerMap } from './listen.js';
import type { SetupError } from './setup-error.js';
import { asError, type SharedClient, type SharedClientEvents, type WidgetConnectionState } from './shared-client.js';

export class LcWidgetElement extends LcConnectedElement {
  // Lit merges these with LcConnectedElement's and each subclass's own.
  static override properties: PropertyDeclarations = {
    lang: { type: String, reflect: true },
    theme: { type: String, reflect: true },
    names: { attribute: false },
    _state: { state: true },
  };

  /** Color theme: `light` (default), `dark`, or `auto` (follows the system). */
  declare theme: 'light' | 'dark' | 'auto';
  /** Display names by clientId (default: the clientId). */
  declare names: Record<string, string> | undefined;
  /** The shared client's state, as the element shows it. */
  declare protected _state: WidgetConnectionState;

  /** The element's strings, in its `lang` (else the document's). */
  protected readonly localize = new LocalizeController(this);
  readonly #clients = new ClientController(this, (client) => this.#setClient(client));
  #client: SharedClient | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.theme = 'light';
    this._state = 'connecting';
  }

  /** The shared client this element uses (from `<lc-realtime>` or its own attributes). */
  get client(): SharedClient | undefined {
    return this.#client;
  }

  /** A setup mistake of the page's, from the attributes or from the login. */
  protected get setupError(): SetupError | undefined {
    return this.#clients.setupError ?? this.#client?.setupError;
  }

  /** A person as the element names them: `names`, else the clientId. */
  protected displayName(clientId: string): string {
    return this.names?.[clientId] ?? clientId;
  }

  /** Fires `lc-error` for a failed `operation` (whatever was thrown, as an Error). */
  protected emitError(error: unknown, operation: string): void {
    this.dispatchEvent(new LcErrorEvent(asError(error), operation));
  }

  /** The client's events the element follows while it uses the client (`state` is already kept in `_state`, first). */
  protected clientListeners(_client: SharedClient): ListenerMap<SharedClientEvents> {
    return {};
  }

  /** The element uses another client (or none: removed from the page, or its attributes incomplete); listeners are on it already. */
  protected clientChanged(_client: SharedClient | undefined, _previous: SharedClient | undefined): void {}

  /**
   * Renders once the strings of the element's language are loaded (see
   * `LocalizeController.ready`) and, with some connection attributes but
   * not all, once it knows which is missing (`ClientController.setupChecking`).
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const strings = this.localize.ready();
    const setup = this.#clients.setupChecking;
    const wait = strings && setup ? Promise.all([strings, setup]) : (strings ?? setup);
    return wait ? wait.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (CONNECTION_KEYS.some((key) => changed.has(key))) this.#clients.sync();
  }

  #setClient(client: SharedClient | undefined): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const previous = this.#client;
    this.#client = client;
    if (client) {
      this._state = client.state;
      const listeners = this.clientListeners(client);
      const onState = listeners.state;
      this.#unsubscribe = listen(client, {
        ...listeners,
        // `_state` first: the element's own listener sees it current.
        state: (state, previous) => {
          this._state = state;
          onState?.(state, previous);
        },
      });
    }
    this.clientChanged(client, previous);
  }
}
