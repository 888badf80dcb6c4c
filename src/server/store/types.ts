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
  /** A binary message: `data` is its bytes in base64. */
  binary?: boolean;
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
  /** A temporary conversation (id `_tmp:…`): when it expires (ms). */
  expiresAt?: number;
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
  /** A temporary conversation (id `_tmp:…`, never unique) expiring then (ms). */
  expiresAt?: number;
}

export interface CreatedConversation {
  conversation: ConversationRecord;
  created: boolean;
  notifications: RecordedNotification[];
}

export interface MessageRecord {
  appId: string;
  cid: string;
  /** Server message id (`uid` in the ack, `id`/`msgId` elsewhere). */
  id: string;
  /** Per-conversation sequence number, from 1, without gaps. */
  seq: number;
  from: string;
  /** The payload, stored opaquely (JSON text for typed messages; base64 for binary ones). */
  data: string;
  /** A binary message (v4 `binaryMsg`): `data` is its bytes in base64. */
  binary?: boolean;
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
  /** An id handed out before the message was stored (a will message's ack); a new one by default. */
  id?: string;
  from: string;
  data: string;
  /** `data` is the base64 of a binary message's bytes. */
  binary?: boolean;
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

/** What one append of a committed batch comes to: its result, or its own error (CONVERSATION_NOT_FOUND). */
export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

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
  /** Whose query it is; absent for the server's own queries, which see everything. */
  viewer?: QueryViewer;
  /** Cost bounds; absent: unbounded (the server's own queries). */
  budget?: QueryBudget;
}

/**
 * A client's view of conversations (README "Security model"): it finds the
 * conversations it is a member of, chat rooms, and the ids its `where` pins
 * (a conversation id is a capability); with `open`, every conversation. In
 * rows it is not a member of, `m`, `mu` and private attributes read as
 * missing, and unless the row is a chat room or the app is open, so do
 * custom attributes and `lm`.
 */
export interface QueryViewer {
  clientId: string;
  open: boolean;
  /** Top-level attribute names only members may see or query by. */
  privateAttributes: readonly string[];
}

/** Exceeding either refuses the query with CONVERSATION_QUERY_FAILED. */
export interface QueryBudget {
  /** Conversation rows a query may examine. */
  maxRows: number;
  /** Wall time a query may run, in ms. */
  maxMs: number;
  /**
   * Told, once the query ran (answered or refused), the time the store
   * spent on it in ms: its own work, not the wait for its turn or for a
   * connection, which is where a per-client quota charges it.
   */
  spent?(ms: number): void;
}

export interface MemberChange {
  conversation: ConversationRecord;
  /** The ids whose membership changed; ids that already were (or were not) members are left out. */
  changed: string[];
  /** The events recorded with the change, in order, for the caller to push. */
  notifications: RecordedNotification[];
}

/** The outcome of blocking clients in a conversation. */
export interface BlockChange {
  /** After the blocked members were removed. */
  conversation: ConversationRecord;
  /** Newly blocked (already blocked ids are left out). */
  blocked: string[];
  /** Blocked ids that were members and were removed. */
  removed: string[];
  /** The events recorded with the change, in order. */
  notifications: RecordedNotification[];
}

export interface UnblockChange {
  conversation: ConversationRecord;
  /** Ids that were blocked and no longer are. */
  unblocked: string[];
  notifications: RecordedNotification[];
}

/** The events of a block (members kicked first) or an unblock, recorded in its transaction. */
export interface BlockEvents {
  /** For the blocked members removed, as a kick: `left`, `members_left`. */
  removed: MemberEvents;
  /** For the blocked or unblocked ids: `blocked`/`members_blocked` or `unblocked`/`members_unblocked`. */
  listed: MemberEvents;
}

/** A membership event to record, for these recipients. */
export interface PlannedNotification {
  recipients: string[];
  event: MembershipEvent;
}

export interface RecordedNotification extends PlannedNotification, NotificationStamp {}

/**
 * The events a member change causes, decided from its outcome (who actually
 * joined or left, who remains) and recorded in the same transaction as the
 * change: a crash keeps both or neither. Recipients without any id are skipped.
 */
export type MemberEvents = (change: Omit<MemberChange, 'notifications'>) => PlannedNotification[];

/** One custom attribute to set: `attr.k` arrives as the path `['attr', 'k']`. */
export interface AttributeSet {
  path: string[];
  value: unknown;
}

export interface ConversationUpdate {
  /** The new name; undefined leaves it unchanged. */
  name?: string | null;
  attributes: AttributeSet[];
  /**
   * Checked on the result inside the write (CONVERSATION_UPDATE_FAILED when
   * broken), so concurrent updates cannot together exceed them. A
   * conversation already over them (stored before they existed) may still
   * shrink.
   */
  limits?: AttributeLimits;
}

/** See store/attributes.ts. */
export interface AttributeLimits {
  maxBytes: number;
  maxDepth: number;
}

/** How far a member has read. */
export interface ReadPosition {
  /** Up to and including this message, if given and found in the conversation… */
  messageId?: string;
  /** …else up to every message at or before this time (ms); neither means "everything". */
  timestamp?: number;
}

export interface ReadResult {
  /** Messages still unread after this read. */
  unread: number;
  /** Timestamp (ms) of the newest message now read; 0 when none. */
  readTimestamp: number;
  /** Whether the member's read position moved forward. */
  advanced: boolean;
  lastMessage: LastMessage | null;
  /** Whether a message still unread mentions the member (by id, or all). */
  mentioned: boolean;
}

export interface UnreadState {
  cid: string;
  /** `last_seq - read_seq`: the member's own messages count as read. */
  unread: number;
  lastMessage: LastMessage | null;
  /** Whether an unread message mentions the member (by id, or all). */
  mentioned?: boolean;
}

/** The newest messages a member has not acknowledged, for the offline-push mode. */
export interface UndeliveredBatch {
  cid: string;
  /** Ascending. */
  messages: MessageRecord[];
  /** More undelivered messages exist before the first one. */
  hasMore: boolean;
}

/** A conversation with messages its member has not acknowledged after `deliveredTs`. */
export interface UndeliveredConversation {
  cid: string;
  deliveredTs: number;
}

/** A member's receipt timestamps (ms, 0 for never). */
export interface MemberReceipts {
  clientId: string;
  /** Newest message timestamp the member acknowledged receiving. */
  deliveredTs: number;
  /** Newest message timestamp the member marked read. */
  readTs: number;
}

/** A recall (`data: null`) or an edit of a message. */
export interface MessagePatch {
  appId: string;
  cid: string;
  id: string;
  /** Who asks; only the sender may patch (4403). */
  from: string;
  data: string | null;
  /** `data` is the base64 of new bytes (v4 binaryMsg). */
  binary?: boolean;
  mentionPids: string[];
  mentionAll: boolean;
}

/**
 * The membership events a client is told about (protocol.md §4.2): `joined`
 * (invited, or added at creation), `left` (kicked, or quit), and
 * `members_joined` / `members_left` (about others, carrying `m`).
 */
export type MembershipOp =
  | 'joined' | 'members_joined' | 'left' | 'members_left'
  // v4 blocklists: to the blocked (unblocked) client, and about it to the members.
  | 'blocked' | 'members_blocked' | 'unblocked' | 'members_unblocked'
  // v4 muted members (shutup): to the muted (unmuted) client, and about it to the members.
  | 'shutuped' | 'members_shutuped' | 'unshutuped' | 'members_unshutuped'
  // v4 roles: a member's role changed, to the members.
  | 'member_info_changed';

export interface MembershipEvent {
  op: MembershipOp;
  cid: string;
  initBy: string;
  /** The members who joined, left, were blocked or unblocked: set for the `members_*` ops only. */
  members?: string[];
  /** `member_info_changed` only: the member and its new role. */
  info?: { pid: string; role: string };
}

/** Where an event stands in the log. */
export interface NotificationStamp {
  /** Strictly increasing from one event to the next across the store: the order, and every cursor. */
  seq: number;
  /**
   * When it was recorded: the wall clock in ms, never decreasing with `seq`
   * but shared by events of one millisecond. It is the event's
   * `GenericCommand.serverTs`, live or replayed, and v4's `start_ts` pages by it.
   */
  serverTs: number;
}

/** A membership event as recorded for one of its recipients. */
export interface StoredNotification extends MembershipEvent, NotificationStamp {}

/** A page of events by time (v4's fetch): it never ends inside a millisecond. */
export interface NotificationPage {
  notifications: StoredNotification[];
  /** More events follow, after the last one's `serverTs`. */
  hasMore: boolean;
}

/** The payload stored for a recalled message: a `RecalledMessage` to both SDKs. */
export const RECALLED_PAYLOAD = '{"_lctype":-127}';

/** v4 member roles: `Owner` is the creator and never stored. */
export type MemberRole = 'Owner' | 'Manager' | 'Member';
export type StoredMemberRole = Exclude<MemberRole, 'Owner'>;
export interface MemberRoleRecord {
  clientId: string;
  role: StoredMemberRole;
}

/**
 * A browser's Web Push subscription (`PushSubscription.toJSON()`, keys in
 * base64url), held for one client of one app. Checked before it reaches
 * the store (push/subscriptions.ts): the store keeps it as given.
 */
export interface PushSubscriptionRecord {
  appId: string;
  clientId: string;
  /** The push service URL; at most one client holds an endpoint, deployment-wide. */
  endpoint: string;
  /** The browser's P-256 public key. */
  p256dh: string;
  /** The browser's 16-byte secret. */
  auth: string;
  /** The page's language (BCP 47), for the generic text. */
  lang?: string;
  /** ms since the epoch */
  createdAt: number;
}

/** The bounds `addPushSubscription` keeps. */
export interface PushSubscriptionLimits {
  /** Per client (a person's browsers): past it, the client's oldest goes. */
  perClient: number;
  /** In the whole deployment (every app): past it, new endpoints are refused. */
  total: number;
}

/**
 * What `addPushSubscription` did: stored it (the client then holds
 * `clientCount`), refused it because the deployment holds `total`, or,
 * asked not to take endpoints over, left an endpoint someone already holds.
 */
export type PushSubscriptionOutcome = { kind: 'stored'; clientCount: number } | { kind: 'full' } | { kind: 'held' };

/**
 * The deployment's VAPID key pair (RFC 8292), base64url: push services
 * accept a push only when it is signed with the key the browser subscribed
 * with, so every node signs with this one pair.
 */
export interface VapidKeyPair {
  /** 65-byte uncompressed P-256 point. */
  publicKey: string;
  /** 32-byte scalar: whoever has it can push to every subscriber. */
  privateKey: string;
}

/**
 * A node's broker backlog: publications for the other nodes that the node
 * acked to their senders but could not hand to Redis (its link was down),
 * recorded so that they are not lost with the node (broker/redis/backlog-ledger.ts).
 * Times are the store's clock (PostgreSQL's, not the nodes'), so nodes
 * whose clocks disagree still agree on which rows are stale.
 */
export interface BrokerBacklog {
  nodeId: string;
  /** When the node began holding them (ms). */
  since: number;
  /** The node's last word that it is alive and still holds them (ms). */
  beatAt: number;
}

export interface Store {
  /**
   * Whether other server processes may change the same data (PostgreSQL):
   * what one process keeps in memory of it is then only sound if their
   * changes reach it (a broker they share).
   */
  readonly sharedWithOtherProcesses: boolean;
  /** Releases resources after committing everything already accepted. */
  close(): Promise<void>;

  getApp(appId: string): Promise<AppRecord | undefined>;
  /** Creates or replaces an app. */
  putApp(app: AppRecord): Promise<void>;

  /**
   * `created` is false when `unique` found an existing conversation. `events`
   * (the creator's invitations) are recorded with a new conversation only.
   */
  createConversation(input: NewConversation, events?: MemberEvents): Promise<CreatedConversation>;
  getConversation(appId: string, cid: string): Promise<ConversationRecord | undefined>;
  findConversations(query: ConversationQuery): Promise<ConversationRecord[]>;
  isMember(appId: string, cid: string, clientId: string): Promise<boolean>;

  /**
   * Persists a message with the next sequence number of its conversation.
   * Resolves only after the transaction holding it committed: the caller
   * acks then, and not before.
   */
  appendMessage(input: NewMessage): Promise<AppendResult>;
  /**
   * Persists several messages as `appendMessage` would each (same seqs,
   * same dedupe by `dt`, an earlier input of the list seen by a later
   * one), with one call and one promise for all: the direct path's batch
   * (handlers/direct-batch.ts). Resolves after the commit holding them,
   * with one outcome per input in order. A failure that leaves nothing to
   * ack (a rollback) rejects, or comes as every input's error outcome.
   */
  appendMessages(inputs: readonly NewMessage[]): Promise<AppendOutcome[]>;
  /** Messages in ascending order; see `HistoryQuery`. */
  queryMessages(query: HistoryQuery): Promise<MessageRecord[]>;
  /** Records that `clientId` received the conversation's messages up to `timestamp` (ms). */
  recordDelivered(appId: string, cid: string, clientId: string, timestamp: number): Promise<void>;

  /**
   * Adds members (chat rooms have none). Throws CONVERSATION_NOT_FOUND, or
   * CONVERSATION_FULL when the result would exceed `maxMembers`. New members
   * start with nothing unread or undelivered: what came before they joined
   * stays readable in the history but is not "new" to them.
   */
  addMembers(appId: string, cid: string, clientIds: readonly string[], maxMembers: number, events?: MemberEvents): Promise<MemberChange>;
  /** Removes members; their read state goes with them. Throws CONVERSATION_NOT_FOUND. */
  removeMembers(appId: string, cid: string, clientIds: readonly string[], events?: MemberEvents): Promise<MemberChange>;
  /**
   * Adds ids to the conversation's blocklist and removes those that are
   * members, with their events. Throws CONVERSATION_NOT_FOUND, or
   * BLACKLIST_FULL when the list would exceed `maxBlocked`. `addMembers`
   * refuses blocked ids (CONVERSATION_BLACKLISTED).
   */
  blockMembers(appId: string, cid: string, clientIds: readonly string[], blockedBy: string, maxBlocked: number, events: BlockEvents): Promise<BlockChange>;
  /** Takes ids off the blocklist (they do not rejoin). Throws CONVERSATION_NOT_FOUND. */
  unblockMembers(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Promise<UnblockChange>;
  /** Blocked ids after `after` in ascending order, at most `limit`. */
  blockedMembers(appId: string, cid: string, limit: number, after?: string): Promise<string[]>;
  /** Which of `clientIds` the conversation blocks. */
  blockedAmong(appId: string, cid: string, clientIds: readonly string[]): Promise<string[]>;
  /**
   * v4 member roles: the stored role (Manager or Member) of current members,
   * `clientIds` only when given, managers only with `managersOnly`; at most
   * `limit`, by clientId. The owner (the creator) is not stored.
   */
  memberRoles(appId: string, cid: string, options: { clientIds?: readonly string[]; managersOnly?: boolean; limit: number }): Promise<MemberRoleRecord[]>;
  /**
   * Sets a current member's stored role. Throws CONVERSATION_NOT_FOUND,
   * CONVERSATION_MEMBERSHIP_REQUIRED (not a member), or
   * CONVERSATION_MEMBER_IN_ROLE_FULL past `maxManagers`. When the role
   * changed (`changed` holds the member), `events` are recorded with it.
   */
  setMemberRole(appId: string, cid: string, clientId: string, role: StoredMemberRole, maxManagers: number, events: MemberEvents): Promise<MemberChange>;
  /**
   * Adds ids to the conversation's muted (shutup) list, recording `events`
   * for those newly added in the same transaction. Throws
   * CONVERSATION_NOT_FOUND, or SILIENCED_MEMBER_LIST_FULL past `maxMuted`.
   */
  addShutup(appId: string, cid: string, clientIds: readonly string[], mutedBy: string, maxMuted: number, events: MemberEvents): Promise<MemberChange>;
  /** Takes ids off the muted list, recording `events` for those that were on it. */
  removeShutup(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Promise<MemberChange>;
  /** Muted ids after `after` in ascending order, at most `limit`. */
  shutupMembers(appId: string, cid: string, limit: number, after?: string): Promise<string[]>;
  /** Whether `clientId` is muted in the conversation. */
  isShutup(appId: string, cid: string, clientId: string): Promise<boolean>;
  /** Sets the name and attribute paths, bumps `updatedAt`. Throws CONVERSATION_NOT_FOUND. */
  updateConversation(appId: string, cid: string, update: ConversationUpdate): Promise<ConversationRecord>;
  /** Adds `clientId` to (or removes it from) `mu`. Throws CONVERSATION_NOT_FOUND. */
  setMuted(appId: string, cid: string, clientId: string, muted: boolean): Promise<ConversationRecord>;

  /** Moves a member's read position forward; undefined when `clientId` is not a member. */
  markRead(appId: string, cid: string, clientId: string, upTo: ReadPosition): Promise<ReadResult | undefined>;
  /** The client's conversations with unread messages, newest first, at most `limit`. */
  unreadConversations(appId: string, clientId: string, limit: number): Promise<UnreadState[]>;
  /**
   * Per conversation of the client, the newest `perConversation` messages
   * from others that arrived after what the client acknowledged.
   */
  undeliveredMessages(appId: string, clientId: string, perConversation: number, maxConversations: number): Promise<UndeliveredBatch[]>;
  /**
   * The same, one conversation at a time, so a login reads no more than it
   * sends at once: the conversations with undelivered messages, most recent
   * first, then each one's batch (undefined if nothing is left in it).
   */
  undeliveredConversations(appId: string, clientId: string, maxConversations: number): Promise<UndeliveredConversation[]>;
  undeliveredBatch(appId: string, clientId: string, conversation: UndeliveredConversation, perConversation: number): Promise<UndeliveredBatch | undefined>;
  /** Messages from others with `receipt` set, timestamps in [fromTs, toTs], ascending, at most `limit`. */
  receiptMessages(appId: string, cid: string, clientId: string, fromTs: number, toTs: number, limit: number): Promise<MessageRecord[]>;
  /** Every member's receipt timestamps. */
  memberReceipts(appId: string, cid: string): Promise<MemberReceipts[]>;

  /** Applies a recall or edit; throws MESSAGE_NOT_FOUND or MESSAGE_OWNERSHIP_REQUIRED. */
  patchMessage(patch: MessagePatch): Promise<MessageRecord>;
  /** Messages patched after `since` (ms) in conversations `clientId` is a member of, oldest patch first. */
  patchesSince(appId: string, clientId: string, since: number, limit: number): Promise<MessageRecord[]>;

  /** Records a membership event for each recipient, online or not, and resolves with its place in the log once committed. */
  recordNotification(appId: string, recipients: readonly string[], event: MembershipEvent): Promise<RecordedNotification>;
  /** The client's events with `seq` above `afterSeq`, oldest first, at most `limit` (1..1000). */
  notificationsSince(appId: string, clientId: string, afterSeq: number, limit: number): Promise<StoredNotification[]>;
  /**
   * The client's events with `serverTs` above `afterTs` (ms), oldest first,
   * about `limit` (1..1000) of them: a page ends on a millisecond boundary,
   * so a client resuming after the last `serverTs` it got misses nothing.
   */
  notificationsAfterTime(appId: string, clientId: string, afterTs: number, limit: number): Promise<NotificationPage>;
  /** The `seq` of the newest event recorded, for anyone; 0 when none. */
  latestNotificationSeq(): Promise<number>;
  /**
   * Remembers, for one login of a client (`login`: a digest of its session
   * token, or `device:<deviceId>`), that it was sent every event up to the
   * `seq` `upTo` before it went away.
   */
  saveNotificationCursor(appId: string, clientId: string, login: string, upTo: number): Promise<void>;
  /** What `saveNotificationCursor` remembered for this login (a `seq`), if anything (still). */
  notificationCursor(appId: string, clientId: string, login: string): Promise<number | undefined>;
  /** Forgets events recorded, and cursors saved, before `before` (ms). Resolves with the number of events removed. */
  pruneNotifications(before: number): Promise<number>;
  /**
   * Deletes temporary conversations that expired at or before `now` (ms),
   * with their members and messages, at most `limit`. Resolves with how many.
   */
  pruneExpiredConversations(now: number, limit: number): Promise<number>;
  /**
   * Deletes a conversation with everything kept for it (members, messages,
   * blocklist, mutes, roles) in one transaction. Resolves with whether it
   * existed. Membership events already recorded for its members stay: they
   * describe what happened before, and expire with the others.
   */
  deleteConversation(appId: string, cid: string): Promise<boolean>;

  /**
   * Logs a login out everywhere: its session tokens (all share `loginId`)
   * are refused from now on. Kept until `expiresAt` (ms), when every token
   * it was issued has expired anyway; entries past theirs are forgotten.
   */
  revokeLogin(appId: string, loginId: string, expiresAt: number): Promise<void>;
  /** Whether `revokeLogin` was called for this login and has not expired. */
  isLoginRevoked(appId: string, loginId: string): Promise<boolean>;

  /**
   * The deployment's VAPID key pair: `ifNone` is stored when no pair is,
   * then the stored pair is returned. Nodes starting at once on an empty
   * store all get the same pair, whichever candidate won.
   */
  vapidKeys(ifNone: VapidKeyPair): Promise<VapidKeyPair>;
  /**
   * Registers (or refreshes) a subscription, atomically with its bounds: an
   * endpoint held by another client (or app) moves to this one unless
   * `takeOver` is false (then `held`); a new endpoint past `limits.total`
   * is refused (`full`); past `limits.perClient` the client's oldest goes.
   */
  addPushSubscription(subscription: PushSubscriptionRecord, limits: PushSubscriptionLimits, takeOver?: boolean): Promise<PushSubscriptionOutcome>;
  /** Forgets the client's subscription with this endpoint; whether it held one. */
  removePushSubscription(appId: string, clientId: string, endpoint: string): Promise<boolean>;
  /** Forgets an endpoint whoever holds it (its push service said it is gone); whether it was held. */
  dropPushSubscription(endpoint: string): Promise<boolean>;
  /** The subscriptions of these clients of the app, by client, oldest first. */
  pushSubscriptions(appId: string, clientIds: readonly string[]): Promise<PushSubscriptionRecord[]>;
  /** Whether any client of the app holds a subscription. */
  hasPushSubscriptions(appId: string): Promise<boolean>;

  /**
   * Records that the node holds a broker backlog, or says again that it is
   * alive and still does: one row per node, its `beatAt` set to now (or to
   * 0 with `stale`, for a node that stops without having sent it: the next
   * `takeStaleBrokerBacklogs` takes it at once). A row already there keeps
   * its `since`.
   */
  holdBrokerBacklog(nodeId: string, stale?: boolean): Promise<void>;
  /** Deletes the node's backlog row and resolves with it, if any: of callers racing for one row, one gets it. */
  takeBrokerBacklog(nodeId: string): Promise<BrokerBacklog | undefined>;
  /**
   * Deletes and resolves with at most `limit` backlog rows not beaten for
   * `deadMs` (their node died, or stopped) by the store's clock, oldest
   * first: of callers racing, each row goes to one.
   */
  takeStaleBrokerBacklogs(deadMs: number, limit: number): Promise<BrokerBacklog[]>;
}
