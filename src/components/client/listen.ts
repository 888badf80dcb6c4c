/**
 * Subscribes an element to a group of events at once, and gives back the
 * one function that unsubscribes them all (for `disconnectedCallback` or a
 * client swap).
 */
import type { EventEmitter, EventMap, Listener } from '../../sdk/index.js';

/** Some of an emitter's events, each with its listener. */
export type ListenerMap<E extends EventMap<E>> = { [K in keyof E]?: Listener<E, K> };

/**
 * `emitter.on(event, listener)` for each entry of `listeners`.
 * @returns what removes them again
 */
export function listen<E extends EventMap<E>>(emitter: EventEmitter<E>, listeners: ListenerMap<E>): () => void {
  // Object.entries loses the pairing of each key with its listener's type;
  // the map's own type guaranteed it when it was written.
  const entries = Object.entries(listeners) as [keyof E, Listener<E, keyof E>][];
  for (const [event, listener] of entries) emitter.on(event, listener);
  return () => {
    for (const [event, listener] of entries) emitter.off(event, listener);
  };
}
