/**
 * One client's conversation queries run one at a time, in the order they
 * arrived, on a store whose queries are asynchronous (PostgreSQL).
 *
 * The official SDKs fetch an unknown conversation with one `conv query`
 * per message that names it and emit each message when its query is
 * answered: three offline messages of one conversation are three queries,
 * and if the third is answered first the SDK shows the third message
 * first. On SQLite every query finishes inside its call, so replies keep
 * the order of the requests; on PostgreSQL they would finish in any order.
 * In order per client, they again do. It also bounds what one client
 * holds of the connection pool to one query.
 */
import type { ConversationQuery, ConversationRecord, Store } from './types.js';

/** A view of `store` whose findConversations runs each viewer's queries in arrival order. */
export function orderQueriesPerClient<S extends Store>(store: S): S {
  /** The last query queued per client; the next starts when it settles. */
  const tails = new Map<string, Promise<unknown>>();
  const find = (query: ConversationQuery): Promise<ConversationRecord[]> => {
    // The server's own queries have no viewer: nothing to keep in order with.
    if (!query.viewer) return store.findConversations(query);
    const client = `${query.appId}/${query.viewer.clientId}`;
    const previous = tails.get(client) ?? Promise.resolve();
    const result = previous.then(
      () => store.findConversations(query),
      () => store.findConversations(query),
    );
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(client, tail);
    // The map holds only clients with a query in flight.
    void tail.then(() => {
      if (tails.get(client) === tail) tails.delete(client);
    });
    return result;
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'findConversations') return find;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...values: unknown[]) => unknown).bind(target) : value;
    },
  });
}
