/**
 * Fan-out between server nodes. A broker is lossy (at-most-once): anything a
 * node misses is repaired from the store by sequence, so a Redis broker can
 * replace the in-process one without touching the handlers.
 */
export interface Delivery {
  appId: string;
  /** Client ids whose online sessions get the push. */
  clientIds: string[];
  /** A `GenericCommand` encoded once, without `peerId` (each node appends it per recipient). */
  payload: Uint8Array;
  /** The session that caused the push, which must not get it back. */
  excludeSessionId?: string;
  /**
   * A chat-room message: every node delivers it to its sessions in this
   * room (chat rooms keep no member list), and `clientIds` is ignored.
   */
  roomId?: string;
  /**
   * A membership event from the store's log: its `seq`. A session
   * replaying missed events holds it back, or skips it if the replay sent it.
   */
  notificationSeq?: number;
  /** `GenericCommand.priority` of a chat-room message (1 HIGH, 2 NORMAL, 3 LOW): what a slow socket may drop. */
  priority?: number;
  /**
   * Single-device login: deliver only to the recipients' sessions with this
   * tag from another device, and log those sessions out after the push.
   */
  takeover?: { tag: string; deviceId: string | null };
  /**
   * Not a push: the members, mutes or attributes of this conversation
   * changed, and every node drops what it cached of it
   * (handlers/membership-cache.ts). A broker delivers it to every node,
   * whatever sessions they hold; `clientIds` is empty and `payload` too.
   */
  conversationChanged?: string;
}

export interface Broker {
  publish(delivery: Delivery): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(handler: (delivery: Delivery) => void): () => void;
  close(): Promise<void>;
}
