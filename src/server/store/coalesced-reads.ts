/**
 * Identical reads asked for in one turn of the event loop become one
 * database query. Every `direct` reads its conversation and the sender's
 * mute before appending: a client with 50 messages in flight to one
 * conversation asks the same two questions 50 times at once, which on a
 * networked store is 100 round trips and backend work for two answers.
 *
 * The query is sent at the end of the turn, after the last caller asked,
 * so it sees every write that committed before any of them asked: a
 * caller never gets an answer older than its own call. Each caller gets
 * its own copy of the answer, so no handler sees another's changes to it.
 */
import type { Store } from './types.js';

/** The reads coalesced: called once per message, same arguments within a burst. */
const COALESCED = ['getConversation', 'isShutup'] as const;
type CoalescedMethod = (typeof COALESCED)[number];

interface Pending {
  callers: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[];
}

/** A view of `store` whose getConversation and isShutup coalesce per event-loop turn. */
export function coalesceReads<S extends Store>(store: S): S {
  const turns = new Map<CoalescedMethod, Map<string, Pending>>();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = [...turns];
    turns.clear();
    for (const [method, byArgs] of batch) {
      for (const [key, pending] of byArgs) {
        const args = JSON.parse(key) as unknown[];
        const call = (store[method] as (...values: unknown[]) => Promise<unknown>).apply(store, args);
        call.then(
          (value) => pending.callers.forEach((caller, k) => caller.resolve(k === 0 ? value : copyOf(value))),
          (error: unknown) => pending.callers.forEach((caller) => caller.reject(error)),
        );
      }
    }
  };

  const coalesced = (method: CoalescedMethod) =>
    (...args: unknown[]): Promise<unknown> =>
      new Promise((resolve, reject) => {
        let byArgs = turns.get(method);
        if (!byArgs) turns.set(method, (byArgs = new Map()));
        const key = JSON.stringify(args);
        let pending = byArgs.get(key);
        if (!pending) byArgs.set(key, (pending = { callers: [] }));
        pending.callers.push({ resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });

  const replaced = new Map<PropertyKey, unknown>(COALESCED.map((method) => [method, coalesced(method)]));
  return new Proxy(store, {
    get(target, property, receiver) {
      if (replaced.has(property)) return replaced.get(property);
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...values: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A deep copy of a read's answer (plain objects, arrays and primitives, as
 * rows map to records), anything else by structuredClone. In the persisted
 * path's profile structuredClone of a conversation record per waiting
 * caller was the largest entry after GC (4.7 % of the server's samples).
 */
export function copyOf<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  // Own keys only: a plain object's prototype is Object.prototype, which has no enumerable keys.
  for (const key in source) copy[key] = copyOf(source[key]);
  return copy as T;
}
