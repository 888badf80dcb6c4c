/**
 * The events of `<lc-chat>`'s message actions (recall, edit, reply, copy,
 * retry, delete). Each fires on the element before the action is done and
 * is cancelable: a host that calls `preventDefault()` stops the action (and
 * may do it its own way). Like the other `lc-*` events they bubble out of
 * shadow roots, and carry their data on the event and in `detail`.
 */
import type { ChatMessage } from './model/chat-message.js';

/** What every message action event carries. */
export abstract class LcMessageActionEvent extends Event {
  constructor(
    name: string,
    /** The message acted on. */
    readonly message: ChatMessage,
  ) {
    super(name, { bubbles: true, composed: true, cancelable: true });
  }

  /** The same data as the fields, as `CustomEvent` code expects it: { message }. */
  get detail(): { readonly message: ChatMessage } {
    return { message: this.message };
  }
}

/** The user is recalling one of their messages (everyone then sees "This message was recalled"). */
export class LcMessageRecallEvent extends LcMessageActionEvent {
  static readonly eventName = 'lc-message-recall';
  constructor(message: ChatMessage) {
    super(LcMessageRecallEvent.eventName, message);
  }
}

/**
 * The user saved an edit of one of their text messages. `text` is the new
 * text and is writable (what is sent is what it holds after the listeners).
 */
export class LcMessageEditEvent extends LcMessageActionEvent {
  static readonly eventName = 'lc-message-edit';
  constructor(
    message: ChatMessage,
    /** The new text. */
    public text: string,
  ) {
    super(LcMessageEditEvent.eventName, message);
  }

  /** The same data as the fields: { message, text }; `text` writes through to the event. */
  override get detail(): { readonly message: ChatMessage; text: string } {
    const event = this;
    return {
      message: this.message,
      get text() {
        return event.text;
      },
      set text(text: string) {
        event.text = text;
      },
    };
  }
}

/** The user chose to reply to a message (the "Replying to …" bar opens unless canceled). */
export class LcMessageReplyEvent extends LcMessageActionEvent {
  static readonly eventName = 'lc-message-reply';
  constructor(message: ChatMessage) {
    super(LcMessageReplyEvent.eventName, message);
  }
}

/** The user is copying a message's text to the clipboard. */
export class LcMessageCopyEvent extends LcMessageActionEvent {
  static readonly eventName = 'lc-message-copy';
  constructor(message: ChatMessage) {
    super(LcMessageCopyEvent.eventName, message);
  }
}

/** The user is sending a failed message again. */
export class LcMessageRetryEvent extends LcMessageActionEvent {
  static readonly eventName = 'lc-message-retry';
  constructor(message: ChatMessage) {
    super(LcMessageRetryEvent.eventName, message);
  }
}

/** The user is deleting a failed (never sent) message from this device. */
export class LcMessageDeleteEvent extends LcMessageActionEvent {
  static readonly eventName = 'lc-message-delete';
  constructor(message: ChatMessage) {
    super(LcMessageDeleteEvent.eventName, message);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'lc-message-recall': LcMessageRecallEvent;
    'lc-message-edit': LcMessageEditEvent;
    'lc-message-reply': LcMessageReplyEvent;
    'lc-message-copy': LcMessageCopyEvent;
    'lc-message-retry': LcMessageRetryEvent;
    'lc-message-delete': LcMessageDeleteEvent;
  }
}
