/**
 * The IndexedDB cache (through `idb`). Schema, by version:
 *
 * 1. `messages` (key `id`, index `by-time` on [cid, timestamp, id]),
 *    `outbox` (key `localId`, index `by-time` on [cid, createdAt]),
 *    `conversations` (key `id`, index `by-key` on `key`).
 *
 * A later version adds a step to `upgrade`; steps run in order from the
 * version the browser has, so every older database reaches the newest shape.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { reconcileMessage, type ChatMessage } from '../model/chat-message.js';
import type { CachedConversation, ChatCache, OutboxEntry } from './chat-cache.js';

export const SCHEMA_VERSION = 1;

interface CacheSchema extends DBSchema {
  messages: { key: string; value: ChatMessage; indexes: { 'by-time': [string, number, string] } };
  outbox: { key: string; value: OutboxEntry; indexes: { 'by-time': [string, number] } };
  conversations: { key: string; value: CachedConversation; indexes: { 'by-key': string } };
}

type Database = IDBPDatabase<CacheSchema>;

/** Lowest and highest possible strings, to bound [cid, time, id] ranges. */
const MIN_ID = '';
const MAX_ID = '\uffff';

export async function openIdbCache(name: string, limit: number): Promise<ChatCache> {
  const db: Database = await openDB<CacheSchema>(name, SCHEMA_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        const messages = database.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('by-time', ['cid', 'timestamp', 'id']);
        const outbox = database.createObjectStore('outbox', { keyPath: 'localId' });
        outbox.createIndex('by-time', ['cid', 'createdAt']);
        const conversations = database.createObjectStore('conversations', { keyPath: 'id' });
        conversations.createIndex('by-key', 'key');
      }
    },
    // Another tab opens a newer schema: step aside (this tab keeps working
    // from memory-less network loads until it is reloaded).
    blocking() {
      db.close();
    },
  });
  return new IdbCache(db, name, limit);
}

class IdbCache implements ChatCache {
  readonly persistent = true;
  readonly #db: Database;
  readonly #name: string;
  readonly #limit: number;

  constructor(db: Database, name: string, limit: number) {
    this.#db = db;
    this.#name = name;
    this.#limit = limit;
  }

  async latest(cid: string, limit: number): Promise<ChatMessage[]> {
    return this.#newestFirst(cid, IDBKeyRange.bound([cid, -Infinity, MIN_ID], [cid, Infinity, MAX_ID]), limit);
  }

  async before(cid: string, before: { timestamp: number; id: string }, limit: number): Promise<ChatMessage[]> {
    const range = IDBKeyRange.bound([cid, -Infinity, MIN_ID], [cid, before.timestamp, before.id], false, true);
    return this.#newestFirst(cid, range, limit);
  }

  async putMessages(messages: readonly ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const tx = this.#db.transaction('messages', 'readwrite');
    // A history page saying "sent" must not undo a stored "read": merge with
    // what is there, in the same transaction.
    const known = await Promise.all(messages.map((message) => tx.store.get(message.id)));
    messages.forEach((message, index) => {
      const previous = known[index];
      void tx.store.put(previous ? reconcileMessage(previous, message) : message);
    });
    // Evict in the same transaction: the cache never holds more than the limit.
    for (const cid of new Set(messages.map((message) => message.cid))) {
      const range = IDBKeyRange.bound([cid, -Infinity, MIN_ID], [cid, Infinity, MAX_ID]);
      let excess = (await tx.store.index('by-time').count(range)) - this.#limit;
      if (excess <= 0) continue;
      let cursor = await tx.store.index('by-time').openCursor(range);
      while (cursor && excess > 0) {
        void cursor.delete();
        excess -= 1;
        cursor = await cursor.continue();
      }
    }
    await tx.done;
  }

  async outbox(): Promise<OutboxEntry[]> {
    const entries = await this.#db.getAll('outbox');
    return entries.sort((a, b) => a.createdAt - b.createdAt);
  }

  async putOutbox(entry: OutboxEntry): Promise<void> {
    await this.#db.put('outbox', entry);
  }

  async deleteOutbox(localId: string): Promise<void> {
    await this.#db.delete('outbox', localId);
  }

  conversation(id: string): Promise<CachedConversation | undefined> {
    return this.#db.get('conversations', id);
  }

  conversationByKey(key: string): Promise<CachedConversation | undefined> {
    return this.#db.getFromIndex('conversations', 'by-key', key);
  }

  async putConversation(conversation: CachedConversation): Promise<void> {
    const tx = this.#db.transaction('conversations', 'readwrite');
    const existing = await tx.store.get(conversation.id);
    await tx.store.put({ ...existing, ...conversation });
    await tx.done;
  }

  conversations(): Promise<CachedConversation[]> {
    return this.#db.getAll('conversations');
  }

  async clear(): Promise<void> {
    this.#db.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(this.#name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
      // Another tab still has it open: it is deleted when that one closes.
      request.onblocked = () => resolve();
    });
  }

  close(): void {
    this.#db.close();
  }

  async #newestFirst(cid: string, range: IDBKeyRange, limit: number): Promise<ChatMessage[]> {
    const found: ChatMessage[] = [];
    let cursor = await this.#db.transaction('messages').store.index('by-time').openCursor(range, 'prev');
    while (cursor && found.length < limit) {
      if (cursor.value.cid === cid) found.push(cursor.value);
      cursor = await cursor.continue();
    }
    return found.reverse();
  }
}
