/**
 * The delivery state of a message. Values are strings rather than the
 * official SDK's Symbols so that messages can be serialized (caches, DOM
 * events); compare them with the constants, as with the official SDK.
 */
export const MessageStatus = Object.freeze({
  /** Unknown: neither sent by this client nor received. */
  NONE: 'none',
  /** Being sent; the server has not acknowledged it yet. */
  SENDING: 'sending',
  /** Acknowledged (stored) by the server, or received. */
  SENT: 'sent',
  /** The receiver acknowledged it (needs the `receipt` send option). */
  DELIVERED: 'delivered',
  /** Sending failed; sending the same instance again retries without duplicates. */
  FAILED: 'failed',
} as const);

/** One of the {@link MessageStatus} values. */
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/**
 * Priority of a chat-room (transient conversation) message: under load the
 * server drops LOW before NORMAL and keeps HIGH. Travels in
 * `GenericCommand.priority`. Ignored for normal conversations.
 */
export const MessagePriority = Object.freeze({
  HIGH: 1,
  NORMAL: 2,
  LOW: 3,
} as const);

/** One of the {@link MessagePriority} values. */
export type MessagePriority = (typeof MessagePriority)[keyof typeof MessagePriority];
