/**
 * The widgets' local cache, one per (server, app, clientId): recent
 * messages per conversation (for an instant first paint), conversations,
 * and the outbox of messages not yet acknowledged by the server.
 *
 * IndexedDB when the browser has it, else memory (private browsing, tests,
 * sandboxed iframes): same interface, only `persistent` differs.
 */
import type { ChatMessage } from '../model/chat-message.js';
import { MemoryCache } from './memory-cache.js';

/** A message written here and not yet acknowledged by the server. */
export interface OutboxEntry {
  /** The local id (the message's `dt` token). */
  localId: string;
  cid: string;
  from: string;
  /** The payload to send, as the SDK encodes it. */
  payload: unknown;
  /** When it was written (ms); the outbox is sent in this order. */
  createdAt: number;
  /** `sending` is in flight or waiting for the connection; `failed` was refused and waits for a retry. */
  state: 'sending' | 'failed';
  /** The server's reason for a refusal. */
  error?: string;
  /** Why it failed, when the widget can say it in the user's language (and whether retrying can help). */
  failure?: SendFailure;
  /**
   * An attachment not uploaded yet: its bytes wait here (in IndexedDB, as a
   * Blob) until the connection is back; `payload` is then replaced by the
   * typed message that points at the uploaded file.
   */
  file?: OutboxFile;
  /** Whom the message mentions (`mentionList`, `mentionedAll`): not in the payload, so kept beside it. */
  mentions?: { list: string[]; all: boolean };
}

/** The bytes of an attachment waiting in the outbox, with what the message says of it. */
export interface OutboxFile {
  blob: Blob;
  name: string;
  /** The caption (`_lctext`), if any. */
  caption?: string;
  attributes?: Record<string, unknown>;
}

/**
 * A failure the widgets explain: `too-large` is over the server's message
 * limit (`bytes` against `limit`); `muted`, the sender is muted in the
 * conversation (4563 SILIENCED). Sending it again cannot succeed.
 */
export type SendFailure = { reason: 'too-large'; bytes: number; limit: number } | { reason: 'muted' } | UploadFailure;

/**
 * Why an attachment's upload failed, as the user is told: `too-large`,
 * `type`, `quota` and `denied` are permanent (the same file cannot pass);
 * `rate`, `network` and `other` may pass on a retry.
 */
export type UploadFailure = {
  reason: 'upload';
  cause: 'too-large' | 'type' | 'quota' | 'rate' | 'denied' | 'network' | 'other';
  /** The server's upload limit (bytes), for `too-large` when known. */
  limit?: number;
  /** The family the file claimed (`image`, `audio`, `video`), for `type`. */
  family?: string;
};

/** What is remembered of a conversation. */
export interface CachedConversation {
  id: string;
  name?: string;
  members: string[];
  /** For conversations opened by members: `unique:a,b` (sorted), to find the id again offline. */
  key?: string;
  updatedAt: number;
  /** The newest message known (for `<lc-conversation-list>`'s preview). */
  lastMessage?: ChatMessage;
  /** Time of the newest activity (ms), for ordering the list. */
  lastMessageAt?: number;
  /** Unread messages as last known. */
  unread?: number;
  /** Whether it came from a query of the user's conversations (shown by `<lc-conversation-list>` offline). */
  listed?: boolean;
}

export interface ChatCache {
  /** false for the in-memory fallback. */
  readonly persistent: boolean;
  /** The newest `limit` messages of a conversation, ascending. */
  latest(cid: string, limit: number): Promise<ChatMessage[]>;
  /** The `limit` messages just before `before` (by time, then id), ascending. */
  before(cid: string, before: { timestamp: number; id: string }, limit: number): Promise<ChatMessage[]>;
  /** Stores (or updates) messages; evicts the oldest beyond the per-conversation limit. */
  putMessages(messages: readonly ChatMessage[]): Promise<void>;
  outbox(): Promise<OutboxEntry[]>;
  putOutbox(entry: OutboxEntry): Promise<void>;
  deleteOutbox(localId: string): Promise<void>;
  conversation(id: string): Promise<CachedConversation | undefined>;
  conversationByKey(key: string): Promise<CachedConversation | undefined>;
  /** Stores a conversation; fields it leaves out keep their cached values. */
  putConversation(conversation: CachedConversation): Promise<void>;
  /** Every cached conversation. */
  conversations(): Promise<CachedConversation[]>;
  /** Forgets everything (logging out). */
  clear(): Promise<void>;
  close(): void;
}

export interface ChatCacheOptions {
  server: string;
  appId: string;
  clientId: string;
  /** Messages kept per conversation; the oldest are evicted. Default 500. */
  maxMessagesPerConversation?: number;
  /** `memory` skips IndexedDB (nothing is kept across page loads). Default `auto`. */
  storage?: 'auto' | 'memory';
}

export const DEFAULT_MAX_MESSAGES = 500;

/** The cache's database name: one database per (server, app, clientId). */
export function cacheName(options: Pick<ChatCacheOptions, 'server' | 'appId' | 'clientId'>): string {
  return `lc-chat:${options.appId}:${options.clientId}@${options.server}`;
}

/**
 * Opens the cache: IndexedDB when available and working, else memory.
 * Never rejects: a cache that cannot open must not keep anyone from chatting.
 * The IndexedDB cache (with `idb`) is imported here, not with this module:
 * it is not needed before the cache opens, which everything awaits anyway,
 * so the ES build loads it beside the connection rather than before the
 * elements upgrade. If it cannot load, the memory cache serves.
 */
export async function openChatCache(options: ChatCacheOptions): Promise<ChatCache> {
  const limit = Math.max(1, Math.floor(options.maxMessagesPerConversation ?? DEFAULT_MAX_MESSAGES));
  if (options.storage !== 'memory' && typeof indexedDB !== 'undefined' && indexedDB) {
    try {
      const { openIdbCache } = await import('./idb-cache.js');
      return await openIdbCache(cacheName(options), limit);
    } catch {
      // Private mode, blocked storage, a broken database: fall through.
    }
  }
  return new MemoryCache(limit);
}
