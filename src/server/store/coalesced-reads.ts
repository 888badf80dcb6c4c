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
import type { ConversationRecord, Store } from './types.js';

/** The reads coalesced: called once per message, same arguments within a burst. */
const COALESCED = ['getConversation', 'isShutup'] as const;
type CoalescedMethod = (typeof COALESCED)[number];

interface Pending {
  callers: { resolve: (value: unknown) => void; reject: (error: unknown) => void }[];
}

/**
 * A store that answers one turn's reads of several conversations (or of
 * several members' mutes) with one query, each answer as the single read
 * gives it, in the order asked. Without it each is a query of its own: on
 * PostgreSQL behind the in-process broker the direct path caches nothing,
 * and these reads were most of the statements of the persisted bench
 * (1,800 against 230 appends for 50,000 messages).
 */
export interface ManyReads {
  getConversations(keys: readonly { appId: string; cid: string }[]): Promise<(ConversationRecord | undefined)[]>;
  shutupOf(keys: readonly { appId: string; cid: string; clientId: string }[]): Promise<boolean[]>;
}

function manyReadsOf(store: Store): ManyReads | undefined {
  const candidate = store as Partial<ManyReads>;
  return typeof candidate.getConversations === 'function' && typeof candidate.shutupOf === 'function' ? (candidate as ManyReads) : undefined;
}

/** Every caller of one read gets the answer, the first as read, the others a copy each. */
function answer(pending: Pending, value: unknown): void {
  pending.callers.forEach((caller, k) => caller.resolve(k === 0 ? value : copyOf(value)));
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
      const asked = [...byArgs];
      const many = asked.length > 1 ? manyReadsOf(store) : undefined;
      if (many) {
        // Several conversations asked in one turn (a burst to several): one query for them all.
        const keys = asked.map(([key]) => JSON.parse(key) as string[]);
        const call: Promise<unknown[]> =
          method === 'getConversation'
            ? many.getConversations(keys.map(([appId, cid]) => ({ appId: appId!, cid: cid! })))
            : many.shutupOf(keys.map(([appId, cid, clientId]) => ({ appId: appId!, cid: cid!, clientId: clientId! })));
        call.then(
          (values) => asked.forEach(([, pending], k) => answer(pending, values[k])),
          (error: unknown) => asked.forEach(([, pending]) => pending.callers.forEach((caller) => caller.reject(error))),
        );
        continue;
      }
      for (const [key, pending] of asked) {
        const args = JSON.parse(key) as unknown[];
        const call = (store[method] as (...values: unknown[]) => Promise<unknown>).apply(store, args);
        call.then(
          (value) => answer(pending, value),
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
