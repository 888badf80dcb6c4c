import { compareMessages, reconcileMessage, type ChatMessage } from '../model/chat-message.js';
import type { CachedConversation, ChatCache, OutboxEntry } from './chat-cache.js';

/** The cache when IndexedDB is unavailable: same behaviour, gone with the page. */
export class MemoryCache implements ChatCache {
  readonly persistent = false;
  readonly #limit: number;
  #messages = new Map<string, Map<string, ChatMessage>>();
  #outbox = new Map<string, OutboxEntry>();
  #conversations = new Map<string, CachedConversation>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  async latest(cid: string, limit: number): Promise<ChatMessage[]> {
    return this.#sorted(cid).slice(-limit);
  }

  async before(cid: string, before: { timestamp: number; id: string }, limit: number): Promise<ChatMessage[]> {
    return this.#sorted(cid)
      .filter((message) => compareMessages(message, before) < 0)
      .slice(-limit);
  }

  async putMessages(messages: readonly ChatMessage[]): Promise<void> {
    const touched = new Set<string>();
    for (const message of messages) {
      let conversation = this.#messages.get(message.cid);
      if (!conversation) this.#messages.set(message.cid, (conversation = new Map()));
      // A history page saying "sent" must not undo a stored "read".
      const known = conversation.get(message.id);
      conversation.set(message.id, structuredClone(known ? reconcileMessage(known, message) : message));
      touched.add(message.cid);
    }
    for (const cid of touched) {
      const sorted = this.#sorted(cid);
      const conversation = this.#messages.get(cid)!;
      for (const old of sorted.slice(0, Math.max(0, sorted.length - this.#limit))) conversation.delete(old.id);
    }
  }

  async outbox(): Promise<OutboxEntry[]> {
    return [...this.#outbox.values()].sort((a, b) => a.createdAt - b.createdAt).map((entry) => structuredClone(entry));
  }

  async putOutbox(entry: OutboxEntry): Promise<void> {
    this.#outbox.set(entry.localId, structuredClone(entry));
  }

  async deleteOutbox(localId: string): Promise<void> {
    this.#outbox.delete(localId);
  }

  async conversation(id: string): Promise<CachedConversation | undefined> {
    return this.#conversations.get(id);
  }

  async conversationByKey(key: string): Promise<CachedConversation | undefined> {
    for (const conversation of this.#conversations.values()) if (conversation.key === key) return conversation;
    return undefined;
  }

  async putConversation(conversation: CachedConversation): Promise<void> {
    this.#conversations.set(conversation.id, structuredClone({ ...this.#conversations.get(conversation.id), ...conversation }));
  }

  async conversations(): Promise<CachedConversation[]> {
    return [...this.#conversations.values()].map((conversation) => structuredClone(conversation));
  }

  async clear(): Promise<void> {
    this.#messages.clear();
    this.#outbox.clear();
    this.#conversations.clear();
  }

  close(): void {}

  #sorted(cid: string): ChatMessage[] {
    return [...(this.#messages.get(cid)?.values() ?? [])].sort(compareMessages).map((message) => structuredClone(message));
  }
}
