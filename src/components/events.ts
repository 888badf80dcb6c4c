/**
 * The DOM events of the `lc-*` elements. Each is its own Event subclass with
 * typed fields, `bubbles` and `composed` (they cross shadow roots, so a page
 * can listen on `document`), and is declared in `GlobalEventHandlersEventMap`
 * so `addEventListener('lc-message', e => e.message)` is typed.
 *
 * They fire for what users do and for what happens on the network, never for
 * properties the page set itself.
 *
 * The data is on the event itself (`event.state`, typed) and, as with a
 * `CustomEvent`, in `event.detail` too (`event.detail.state`): the same
 * values, for frameworks and code that read `detail`. In `lc-before-send`,
 * writing `detail.text` or `detail.attributes` writes the event's own.
 */
import type { Conversation } from '../sdk/index.js';
import type { WidgetConnectionState } from './client/shared-client.js';
import type { ChatMessage } from './model/chat-message.js';

const INIT: EventInit = { bubbles: true, composed: true };

/** `detail`: the event's data fields as a plain object, made once (they do not change). */
function detailOf<E extends Event, K extends keyof E>(event: E, keys: readonly K[]): Readonly<Pick<E, K>> {
  return Object.freeze(Object.fromEntries(keys.map((key) => [key, event[key]]))) as Readonly<Pick<E, K>>;
}

/** The connection's state changed. */
export class LcConnectionChangeEvent extends Event {
  static readonly eventName = 'lc-connection-change';
  constructor(
    readonly state: WidgetConnectionState,
    readonly previous: WidgetConnectionState,
  ) {
    super(LcConnectionChangeEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcConnectionChangeEvent, 'state' | 'previous'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { state, previous }. */
  get detail(): Readonly<Pick<LcConnectionChangeEvent, 'state' | 'previous'>> {
    return (this.#detail ??= detailOf(this, ['state', 'previous']));
  }
}

/** A message arrived (`outgoing` false), or one the user sent was accepted by the server (`outgoing` true). */
export class LcMessageEvent extends Event {
  static readonly eventName = 'lc-message';
  constructor(
    readonly message: ChatMessage,
    readonly conversation: Conversation,
    readonly outgoing: boolean,
  ) {
    super(LcMessageEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcMessageEvent, 'message' | 'conversation' | 'outgoing'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { message, conversation, outgoing }. */
  get detail(): Readonly<Pick<LcMessageEvent, 'message' | 'conversation' | 'outgoing'>> {
    return (this.#detail ??= detailOf(this, ['message', 'conversation', 'outgoing']));
  }
}

/** A message the user sent was delivered to (or read by) the others. */
export class LcReceiptEvent extends Event {
  static readonly eventName = 'lc-receipt';
  constructor(
    readonly message: ChatMessage,
    readonly status: 'delivered' | 'read',
  ) {
    super(LcReceiptEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcReceiptEvent, 'message' | 'status'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { message, status }. */
  get detail(): Readonly<Pick<LcReceiptEvent, 'message' | 'status'>> {
    return (this.#detail ??= detailOf(this, ['message', 'status']));
  }
}

/**
 * The session was taken over by another device or tab with the same tag.
 * Cancel it (`preventDefault()`) to handle it yourself: the element then
 * shows no banner of its own.
 */
export class LcConflictEvent extends Event {
  static readonly eventName = 'lc-conflict';
  /** @param reason the server's reason, else "Session taken over by another device" */
  constructor(readonly reason: string) {
    super(LcConflictEvent.eventName, { ...INIT, cancelable: true });
  }

  #detail: Readonly<Pick<LcConflictEvent, 'reason'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { reason }. */
  get detail(): Readonly<Pick<LcConflictEvent, 'reason'>> {
    return (this.#detail ??= detailOf(this, ['reason']));
  }
}

/** The unread count of the conversation changed; `total` is the user's unread count across conversations known on this page. */
export class LcUnreadChangeEvent extends Event {
  static readonly eventName = 'lc-unread-change';
  constructor(
    readonly conversationId: string,
    readonly count: number,
    readonly total: number,
  ) {
    super(LcUnreadChangeEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcUnreadChangeEvent, 'conversationId' | 'count' | 'total'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { conversationId, count, total }. */
  get detail(): Readonly<Pick<LcUnreadChangeEvent, 'conversationId' | 'count' | 'total'>> {
    return (this.#detail ??= detailOf(this, ['conversationId', 'count', 'total']));
  }
}

/**
 * The user is sending a message. Change `text` or `attributes` to change
 * what is sent; cancel (`preventDefault()`) to keep it from being sent (the
 * text stays in the composer).
 */
export class LcBeforeSendEvent extends Event {
  static readonly eventName = 'lc-before-send';
  constructor(
    public text: string,
    public attributes: Record<string, unknown> | undefined,
    readonly conversationId: string,
  ) {
    super(LcBeforeSendEvent.eventName, { ...INIT, cancelable: true });
  }

  #detail: { text: string; attributes: Record<string, unknown> | undefined; readonly conversationId: string } | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it; `text` and `attributes` write through to the event. */
  get detail(): { text: string; attributes: Record<string, unknown> | undefined; readonly conversationId: string } {
    const event = this;
    return (this.#detail ??= {
      get text() {
        return event.text;
      },
      set text(text: string) {
        event.text = text;
      },
      get attributes() {
        return event.attributes;
      },
      set attributes(attributes: Record<string, unknown> | undefined) {
        event.attributes = attributes;
      },
      get conversationId() {
        return event.conversationId;
      },
    });
  }
}

/** Something failed: signing in, loading, sending. The element shows it too. */
export class LcErrorEvent extends Event {
  static readonly eventName = 'lc-error';
  constructor(
    readonly error: Error,
    /**
     * What was being done: `config` (the element's attributes are incomplete),
     * `login`, `signature`, `conversation`, `history`, `send`, `upload`, `cache`,
     * `membership` (the user was muted, removed or blocked in the conversation),
     * `push` (turning browser notifications on or off).
     * A setup mistake (unknown app id, missing signature endpoint…) comes as a
     * `SetupError` whose `attribute` names what to fix.
     */
    readonly operation: string,
  ) {
    super(LcErrorEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcErrorEvent, 'error' | 'operation'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { error, operation }. */
  get detail(): Readonly<Pick<LcErrorEvent, 'error' | 'operation'>> {
    return (this.#detail ??= detailOf(this, ['error', 'operation']));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-connection-change': LcConnectionChangeEvent;
    'lc-message': LcMessageEvent;
    'lc-receipt': LcReceiptEvent;
    'lc-conflict': LcConflictEvent;
    'lc-unread-change': LcUnreadChangeEvent;
    'lc-before-send': LcBeforeSendEvent;
    'lc-error': LcErrorEvent;
  }
}

/** The user chose a conversation in `<lc-conversation-list>`. */
export class LcConversationSelectEvent extends Event {
  static readonly eventName = 'lc-conversation-select';
  constructor(
    readonly conversationId: string,
    /** The SDK conversation, when the list has it from the network (not only from the cache). */
    readonly conversation: Conversation | undefined,
  ) {
    super(LcConversationSelectEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcConversationSelectEvent, 'conversationId' | 'conversation'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { conversationId, conversation }. */
  get detail(): Readonly<Pick<LcConversationSelectEvent, 'conversationId' | 'conversation'>> {
    return (this.#detail ??= detailOf(this, ['conversationId', 'conversation']));
  }
}

/**
 * The user asked for a new conversation in `<lc-conversation-list>`. The
 * list does nothing else: the page opens its own picker (or hides the
 * button with `no-new`).
 */
export class LcNewConversationEvent extends Event {
  static readonly eventName = 'lc-new-conversation';
  constructor() {
    super(LcNewConversationEvent.eventName, INIT);
  }
}

/** A danmaku comment, as `<lc-live-room>` reports it. */
export interface DanmakuInfo {
  readonly id: string;
  readonly from: string;
  readonly text: string;
  readonly mode: 'scroll' | 'top' | 'bottom';
  /** 1 HIGH, 2 NORMAL, 3 LOW (`MessagePriority`). */
  readonly priority: number;
  readonly own: boolean;
}

/** A comment started showing on the overlay. */
export class LcDanmakuStartEvent extends Event {
  static readonly eventName = 'lc-danmaku-start';
  constructor(readonly danmaku: DanmakuInfo) {
    super(LcDanmakuStartEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcDanmakuStartEvent, 'danmaku'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { danmaku }. */
  get detail(): Readonly<Pick<LcDanmakuStartEvent, 'danmaku'>> {
    return (this.#detail ??= detailOf(this, ['danmaku']));
  }
}

/** A comment left the overlay. */
export class LcDanmakuEndEvent extends Event {
  static readonly eventName = 'lc-danmaku-end';
  constructor(readonly danmaku: DanmakuInfo) {
    super(LcDanmakuEndEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcDanmakuEndEvent, 'danmaku'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { danmaku }. */
  get detail(): Readonly<Pick<LcDanmakuEndEvent, 'danmaku'>> {
    return (this.#detail ??= detailOf(this, ['danmaku']));
  }
}

/** A comment was not shown: `density` (over `max-on-screen` or no free lane), or `filter` (keyword filter). */
export class LcDanmakuDropEvent extends Event {
  static readonly eventName = 'lc-danmaku-drop';
  constructor(
    readonly danmaku: DanmakuInfo,
    readonly reason: 'density' | 'filter',
  ) {
    super(LcDanmakuDropEvent.eventName, INIT);
  }

  #detail: Readonly<Pick<LcDanmakuDropEvent, 'danmaku' | 'reason'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { danmaku, reason }. */
  get detail(): Readonly<Pick<LcDanmakuDropEvent, 'danmaku' | 'reason'>> {
    return (this.#detail ??= detailOf(this, ['danmaku', 'reason']));
  }
}

/** The user is turning browser notifications (Web Push) on or off. Cancelable: nothing changes. */
export class LcPushChangeEvent extends Event {
  static readonly eventName = 'lc-push-change';
  constructor(readonly enabled: boolean) {
    super(LcPushChangeEvent.eventName, { ...INIT, cancelable: true });
  }

  #detail: Readonly<Pick<LcPushChangeEvent, 'enabled'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { enabled }. */
  get detail(): Readonly<Pick<LcPushChangeEvent, 'enabled'>> {
    return (this.#detail ??= detailOf(this, ['enabled']));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-conversation-select': LcConversationSelectEvent;
    'lc-new-conversation': LcNewConversationEvent;
    'lc-danmaku-start': LcDanmakuStartEvent;
    'lc-danmaku-end': LcDanmakuEndEvent;
    'lc-danmaku-drop': LcDanmakuDropEvent;
    'lc-push-change': LcPushChangeEvent;
  }
}

/**
 * The user is attaching a file to the composer of `<lc-chat>` (`source`:
 * the attach button, a paste or a drop). Cancel it to refuse the file (it
 * is not added); the page may say why itself.
 */
export class LcAttachEvent extends Event {
  static readonly eventName = 'lc-attach';
  constructor(
    readonly file: File,
    readonly source: 'picker' | 'paste' | 'drop',
  ) {
    super(LcAttachEvent.eventName, { ...INIT, cancelable: true });
  }

  #detail: Readonly<Pick<LcAttachEvent, 'file' | 'source'>> | undefined;
  /** The same data as the fields, as `CustomEvent` code expects it: { file, source }. */
  get detail(): Readonly<Pick<LcAttachEvent, 'file' | 'source'>> {
    return (this.#detail ??= detailOf(this, ['file', 'source']));
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-attach': LcAttachEvent;
  }
}
