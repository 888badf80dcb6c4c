/**
 * The storage interface the server's handlers use. The store is the only
 * source of truth: a message exists once `appendMessage` resolved, and not
 * before. Implementations: sqlite/ (default, embedded); postgres/ later.
 */

export interface AppRecord {
  appId: string;
  appKey: string;
  /** Signs and verifies signatures; never sent to clients. */
  masterKey: string;
  /** Whether session open and conversation changes must be signed. */
  requireSignature: boolean;
  createdAt: number;
}

export interface LastMessage {
  id: string;
  from: string;
  data: string;
  timestamp: number;
  patchTimestamp: number | null;
}

export interface ConversationRecord {
  appId: string;
  /** `objectId`: 24 lower-case hex characters. */
  id: string;
  name: string | null;
  /** `c` */
  creator: string;
  /** `m`: current members, sorted. Empty for chat rooms. */
  members: string[];
  /** `mu` */
  mutedMembers: string[];
  /** `tr`: a chat room. */
  transient: boolean;
  /** `sys` */
  system: boolean;
  unique: boolean;
  uniqueId: string | null;
  /** Custom attributes: every top-level key the creator set besides the reserved ones. */
  attributes: Record<string, unknown>;
  /** ms since the epoch */
  createdAt: number;
  updatedAt: number;
  /** `lm`: time of the last persisted message, ms. */
  lastMessageAt: number | null;
  /** Sequence number of the last persisted message, 0 when none. */
  lastSeq: number;
  lastMessage: LastMessage | null;
}

export interface NewConversation {
  appId: string;
  creator: string;
  /** Sorted, without duplicates, creator included (chat rooms: empty). */
  members: string[];
  name: string | null;
  transient: boolean;
  system: boolean;
  /** Return the existing conversation with exactly these members, if any. */
  unique: boolean;
  attributes: Record<string, unknown>;
}

export interface MessageRecord {
  appId: string;
  cid: string;
  /** Server message id (`uid` in the ack, `id`/`msgId` elsewhere). */
  id: string;
  /** Per-conversation sequence number, from 1, without gaps. */
  seq: number;
  from: string;
  /** The payload, stored opaquely (JSON text for typed messages). */
  data: string;
  /** ms; non-decreasing in `seq` order within a conversation. */
  timestamp: number;
  /** The client's dedup token. */
  dt: string | null;
  /** The sender asked for a delivery receipt. */
  receipt: boolean;
  mentionPids: string[];
  mentionAll: boolean;
  patchTimestamp: number | null;
}

export interface NewMessage {
  appId: string;
  cid: string;
  from: string;
  data: string;
  /** Retries with the same (cid, from, dt) return the first message. */
  dt: string | null;
  receipt: boolean;
  mentionPids: string[];
  mentionAll: boolean;
}

export interface AppendResult {
  message: MessageRecord;
  /** True when `dt` matched an earlier message, which is returned unchanged. */
  duplicate: boolean;
}

/** A point in a conversation's history. */
export interface HistoryBound {
  timestamp: number;
  /** Breaks ties between messages of the same millisecond. */
  messageId?: string;
  /** Whether the bound itself is part of the range. */
  inclusive: boolean;
}

export interface HistoryQuery {
  appId: string;
  cid: string;
  /** 1..1000 */
  limit: number;
  /**
   * `old`: the newest `limit` messages before `start` (or before now), down
   * to `end`. `new`: the oldest `limit` messages after `start`, up to `end`.
   * Either way the result is in ascending (seq) order.
   */
  direction: 'old' | 'new';
  start?: HistoryBound;
  end?: HistoryBound;
  /** Only messages whose payload has this `_lctype`. */
  type?: number;
}

/**
 * A condition on conversations, already validated by query/where.ts.
 * `field` is a `_Conversation` column name (objectId, name, m, c, mu, tr,
 * sys, unique, uniqueId, lm, createdAt, updatedAt) or a custom attribute
 * path (`topic`, `attr.k`).
 */
export type Condition =
  | { op: 'and'; conditions: Condition[] }
  | { op: 'or'; conditions: Condition[] }
  | { op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; field: string; value: unknown }
  | { op: 'in' | 'nin'; field: string; values: unknown[] }
  | { op: 'exists'; field: string; exists: boolean }
  | { op: 'all'; field: string; values: unknown[] }
  | { op: 'size'; field: string; size: number }
  | { op: 'regex'; field: string; pattern: string; flags: string };

export interface SortKey {
  field: string;
  descending: boolean;
}

export interface ConversationQuery {
  appId: string;
  where: Condition | null;
  sort: SortKey[];
  limit: number;
  skip: number;
}

export interface Store {
  /** Releases resources after committing everything already accepted. */
  close(): Promise<void>;

  getApp(appId: string): Promise<AppRecord | undefined>;
  /** Creates or replaces an app. */
  putApp(app: AppRecord): Promise<void>;

  /** `created` is false when `unique` found an existing conversation. */
  createConversation(input: NewConversation): Promise<{ conversation: ConversationRecord; created: boolean }>;
  getConversation(appId: string, cid: string): Promise<ConversationRecord | undefined>;
  findConversations(query: ConversationQuery): Promise<ConversationRecord[]>;
  isMember(appId: string, cid: string, clientId: string): Promise<boolean>;

  /**
   * Persists a message with the next sequence number of its conversation.
   * Resolves only after the transaction holding it committed: the caller
   * acks then, and not before.
   */
  appendMessage(input: NewMessage): Promise<AppendResult>;
  /** Messages in ascending order; see `HistoryQuery`. */
  queryMessages(query: HistoryQuery): Promise<MessageRecord[]>;
  /** Records that `clientId` received the conversation's messages up to `timestamp` (ms). */
  recordDelivered(appId: string, cid: string, clientId: string, timestamp: number): Promise<void>;
}
