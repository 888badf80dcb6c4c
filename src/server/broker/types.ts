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
   * Log every recipient session out after the push (REST kick): on every
   * node that holds one, not only the node that was asked.
   */
  endSessions?: boolean;
  /**
   * Not a push: the members, mutes or attributes of this conversation
   * changed, and every node drops what it cached of it
   * (handlers/membership-cache.ts). A broker delivers it to every node,
   * whatever sessions they hold; `clientIds` is empty and `payload` too.
   */
  conversationChanged?: string;
}

/**
 * What a node follows: a client it holds sessions of, or a chat room it
 * holds viewers in. A broker that routes between nodes (Redis) sends a node
 * only the deliveries of what it follows, plus `conversationChanged`, which
 * every node gets.
 */
export type Topic = { kind: 'client'; appId: string; id: string } | { kind: 'room'; appId: string; id: string };

export interface Broker {
  publish(delivery: Delivery): Promise<void>;
  /**
   * `handler` gets deliveries in publishing order, several at a time when
   * they arrived together (a Redis broker's publication holds one sending
   * node's turn), so that a run to the same recipients can be handed out in
   * one pass. Returns the unsubscribe function.
   */
  subscribe(handler: (deliveries: readonly Delivery[]) => void): () => void;
  /**
   * This node holds a session of the client, or a viewer in the room, from
   * now on. Called once when the first arrives (not per session); the
   * in-process broker ignores it.
   */
  follow(topic: Topic): void;
  /** This node's last session of the client, or last viewer in the room, is gone. */
  unfollow(topic: Topic): void;
  /**
   * Resolves once every `follow` called so far has taken effect: whatever
   * another node publishes from then on for those topics reaches this one.
   * A login awaits it before it is acknowledged, so that a message sent to
   * a client known to be online is never published before its node is
   * found. Never rejects (a registration that failed is a gap, repaired
   * through `onGap`); the in-process broker resolves at once.
   */
  settled(): Promise<void>;
  /**
   * Called when deliveries may have been lost (the broker's link to the
   * other nodes was down and is back): the node's sessions must catch up
   * from the store. The in-process broker never calls it.
   */
  onGap(handler: () => void): () => void;
  close(): Promise<void>;
}
