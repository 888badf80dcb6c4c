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
}

export interface Broker {
  publish(delivery: Delivery): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(handler: (delivery: Delivery) => void): () => void;
  close(): Promise<void>;
}
