/**
 * Events of the support desk (`<lc-support>`, and `<lc-chat>` on the agent
 * side). Declared as in `events.ts`, in their own module so that pages
 * without a support desk do not load them.
 */

const INIT: EventInit = { bubbles: true, composed: true, cancelable: true };

/**
 * The visitor submitted the pre-chat form (valid). Cancel it
 * (`preventDefault()`) to keep the form open: the page checks the details
 * its own way, then sets `visitorName`/`visitorEmail` itself.
 */
export class LcPrechatSubmitEvent extends Event {
  static readonly eventName = 'lc-prechat-submit';
  constructor(
    readonly name: string | undefined,
    readonly email: string | undefined,
  ) {
    super(LcPrechatSubmitEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcPrechatSubmitEvent, 'name' | 'email'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { name, email }. */
  get detail(): Readonly<Pick<LcPrechatSubmitEvent, 'name' | 'email'>> {
    return (this.#detail ??= Object.freeze({ name: this.name, email: this.email }));
  }
}

/**
 * An agent is changing a support conversation's status (`open` or
 * `resolved`), or a visitor's message is opening a resolved one again.
 * Cancel it to keep the status as it is.
 */
export class LcStatusChangeEvent extends Event {
  static readonly eventName = 'lc-status-change';
  constructor(
    readonly conversationId: string,
    readonly status: 'open' | 'resolved',
    readonly previous: 'open' | 'resolved',
  ) {
    super(LcStatusChangeEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcStatusChangeEvent, 'conversationId' | 'status' | 'previous'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { conversationId, status, previous }. */
  get detail(): Readonly<Pick<LcStatusChangeEvent, 'conversationId' | 'status' | 'previous'>> {
    return (this.#detail ??= Object.freeze({ conversationId: this.conversationId, status: this.status, previous: this.previous }));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-prechat-submit': LcPrechatSubmitEvent;
    'lc-status-change': LcStatusChangeEvent;
  }
}
