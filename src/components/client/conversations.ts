/**
 * Which SDK conversation a widget shows: looked up by id, or created (or
 * found again, when `unique`) by members; one promise per spec while the
 * session lasts; the members-to-id mapping cached so a page can show a
 * conversation offline; receipts watched once per conversation.
 */
import { ProtocolError, type Conversation, type IMClient } from '../../sdk/index.js';
import type { ChatCache } from '../cache/chat-cache.js';
import { fromSdkMessage, type ChatMessage } from '../model/chat-message.js';

/** Which conversation a widget shows: by id, or by members (created if needed). */
export type ConversationSpec = { id: string } | { members: string[]; unique: boolean; name?: string };

/** How far the other member of a one-to-one conversation got, in ms. */
export interface ReceiptTimes {
  deliveredAt: number | undefined;
  readAt: number | undefined;
}

/** What {@link Conversations} needs from the shared client. */
export interface ConversationsHost {
  readonly clientId: string;
  readonly cache: Promise<ChatCache>;
  /** The IMClient once logged in. */
  ready(): Promise<IMClient>;
  /** Writes to the cache; a failure is reported, not thrown. */
  withCache(write: (cache: ChatCache) => Promise<void>): Promise<void>;
  /** A conversation was resolved (first time or again after a new login). */
  resolved(conversation: Conversation): void;
  /** The other member's delivered/read times moved. */
  receipts(cid: string, times: ReceiptTimes): void;
  /** A message of ours was delivered. */
  receipt(message: ChatMessage): void;
}

/** When the other member of a one-to-one conversation last received and read it. */
export function receiptTimes(conversation: Conversation): ReceiptTimes {
  return { deliveredAt: conversation.lastDeliveredAt?.getTime(), readAt: conversation.lastReadAt?.getTime() };
}

/** The cache key of a conversation opened by members (only unique ones can be found again). */
export function membersKey(members: readonly string[], clientId: string, unique: boolean): string | undefined {
  if (!unique) return undefined;
  return `unique:${[...new Set([...members, clientId])].sort().join(',')}`;
}

/** The conversations the widgets of one shared client show. */
export class Conversations {
  readonly #host: ConversationsHost;
  #resolving = new Map<string, Promise<Conversation>>();
  #watched = new WeakSet<Conversation>();

  constructor(host: ConversationsHost) {
    this.#host = host;
  }

  /** Resolves the conversation a widget shows; the same promise while the session lasts. */
  get(spec: ConversationSpec): Promise<Conversation> {
    const key = 'id' in spec ? `id:${spec.id}` : `members:${spec.unique ? 'u' : ''}:${[...spec.members].sort().join(',')}`;
    let found = this.#resolving.get(key);
    if (!found) {
      found = this.#resolve(spec);
      this.#resolving.set(key, found);
      found.catch(() => this.#resolving.delete(key));
    }
    return found;
  }

  /** Forgets what was resolved: a new login resolves again. */
  clear(): void {
    this.#resolving.clear();
  }

  /** The id cached for a members conversation, so it can be shown offline. */
  async cachedId(spec: ConversationSpec): Promise<string | undefined> {
    if ('id' in spec) return spec.id;
    const key = membersKey(spec.members, this.#host.clientId, spec.unique);
    if (!key) return undefined;
    const cache = await this.#host.cache;
    return (await cache.conversationByKey(key).catch(() => undefined))?.id;
  }

  async #resolve(spec: ConversationSpec): Promise<Conversation> {
    const host = this.#host;
    const client = await host.ready();
    let conversation: Conversation | null;
    if ('id' in spec) {
      conversation = await client.getConversation(spec.id);
      if (!conversation) throw new ProtocolError(4401, { name: 'CONVERSATION_NOT_FOUND', message: `no conversation ${spec.id}` });
    } else {
      const created = await client.createConversation({
        members: spec.members.filter((member) => member !== host.clientId),
        unique: spec.unique,
        ...(spec.name ? { name: spec.name } : {}),
      });
      conversation = created;
      const key = membersKey(spec.members, host.clientId, spec.unique);
      void host.withCache((cache) =>
        cache.putConversation({
          id: created.id,
          members: created.members,
          ...(created.name ? { name: created.name } : {}),
          ...(key ? { key } : {}),
          updatedAt: Date.now(),
        }),
      );
    }
    this.#watch(conversation);
    host.resolved(conversation);
    return conversation;
  }

  #watch(conversation: Conversation): void {
    if (this.#watched.has(conversation)) return;
    this.#watched.add(conversation);
    const host = this.#host;
    const times = (): void => host.receipts(conversation.id, receiptTimes(conversation));
    conversation.on('lastdeliveredatupdate', times);
    conversation.on('lastreadatupdate', times);
    // Where the other member got to while this page was away.
    if (conversation.members.length === 2) conversation.fetchReceiptTimestamps().catch(() => {});
    conversation.on('receipt', ({ message }) => {
      const record: ChatMessage = { ...fromSdkMessage(message, conversation.id, host.clientId), status: 'delivered' };
      void host.withCache((cache) => cache.putMessages([record]));
      host.receipt(record);
    });
  }
}
