/**
 * What both stores share above their SQL: every `Store` method that only
 * forwards to one of the store's parts (member writes, blocklist, roles,
 * read state, patches, the event log, revoked logins, Web Push, broker
 * backlogs), after checking that the store is open. A part may answer synchronously (SQLite) or with a
 * promise (PostgreSQL); either way the method resolves, or rejects.
 */
import type {
  AppendOutcome,
  AppendResult,
  AppRecord,
  BlockChange,
  BrokerBacklog,
  BlockEvents,
  ConversationQuery,
  ConversationRecord,
  ConversationUpdate,
  CreatedConversation,
  HistoryQuery,
  MemberChange,
  MemberEvents,
  MemberReceipts,
  MemberRoleRecord,
  MembershipEvent,
  MessagePatch,
  MessageRecord,
  NewConversation,
  NewMessage,
  NotificationPage,
  PushSubscriptionLimits,
  PushSubscriptionOutcome,
  PushSubscriptionRecord,
  ReadPosition,
  ReadResult,
  RecordedNotification,
  Store,
  StoredMemberRole,
  StoredNotification,
  UnblockChange,
  UndeliveredBatch,
  UndeliveredConversation,
  UnreadState,
  VapidKeyPair,
} from './types.js';

type Awaitable<T> = T | Promise<T>;

export interface MemberWritesPart {
  addMembers(appId: string, cid: string, clientIds: readonly string[], maxMembers: number, events?: MemberEvents): Awaitable<MemberChange>;
  removeMembers(appId: string, cid: string, clientIds: readonly string[], events?: MemberEvents): Awaitable<MemberChange>;
  update(appId: string, cid: string, update: ConversationUpdate): Awaitable<ConversationRecord>;
  setMuted(appId: string, cid: string, clientId: string, muted: boolean): Awaitable<ConversationRecord>;
}

export interface BlocklistPart {
  block(appId: string, cid: string, clientIds: readonly string[], blockedBy: string, maxBlocked: number, events: BlockEvents): Awaitable<BlockChange>;
  unblock(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Awaitable<UnblockChange>;
  page(appId: string, cid: string, limit: number, after?: string): Awaitable<string[]>;
  among(appId: string, cid: string, clientIds: readonly string[]): Awaitable<string[]>;
}

export interface MemberRolesPart {
  setRole(appId: string, cid: string, clientId: string, role: StoredMemberRole, maxManagers: number, events: MemberEvents): Awaitable<MemberChange>;
  addShutup(appId: string, cid: string, clientIds: readonly string[], mutedBy: string, maxMuted: number, events: MemberEvents): Awaitable<MemberChange>;
  removeShutup(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Awaitable<MemberChange>;
  roles(appId: string, cid: string, options: { clientIds?: readonly string[]; managersOnly?: boolean; limit: number }): Awaitable<MemberRoleRecord[]>;
  shutupPage(appId: string, cid: string, limit: number, after?: string): Awaitable<string[]>;
  isShutup(appId: string, cid: string, clientId: string): Awaitable<boolean>;
}

export interface ReadStatePart {
  markRead(appId: string, cid: string, clientId: string, upTo: ReadPosition): Awaitable<ReadResult | undefined>;
  unreadConversations(appId: string, clientId: string, limit: number): Awaitable<UnreadState[]>;
  undeliveredMessages(appId: string, clientId: string, perConversation: number, maxConversations: number): Awaitable<UndeliveredBatch[]>;
  undeliveredConversations(appId: string, clientId: string, maxConversations: number): Awaitable<UndeliveredConversation[]>;
  undeliveredBatch(appId: string, clientId: string, conversation: UndeliveredConversation, perConversation: number): Awaitable<UndeliveredBatch | undefined>;
  receiptMessages(appId: string, cid: string, clientId: string, fromTs: number, toTs: number, limit: number): Awaitable<MessageRecord[]>;
  memberReceipts(appId: string, cid: string): Awaitable<MemberReceipts[]>;
}

export interface PatchesPart {
  patchMessage(patch: MessagePatch): Awaitable<MessageRecord>;
  patchesSince(appId: string, clientId: string, since: number, limit: number): Awaitable<MessageRecord[]>;
}

export interface NotificationsPart {
  record(appId: string, recipients: readonly string[], event: MembershipEvent): Awaitable<RecordedNotification>;
  since(appId: string, clientId: string, afterSeq: number, limit: number): Awaitable<StoredNotification[]>;
  afterTime(appId: string, clientId: string, afterTs: number, limit: number): Awaitable<NotificationPage>;
  latest(): Awaitable<number>;
  saveCursor(appId: string, clientId: string, login: string, upTo: number): Awaitable<void>;
  cursor(appId: string, clientId: string, login: string): Awaitable<number | undefined>;
  prune(before: number): Awaitable<number>;
}

export interface RevokedLoginsPart {
  revoke(appId: string, loginId: string, expiresAt: number, now: number): Awaitable<void>;
  isRevoked(appId: string, loginId: string, now: number): Awaitable<boolean>;
}

export interface WebPushPart {
  vapidKeys(ifNone: VapidKeyPair, now: number): Awaitable<VapidKeyPair>;
  add(subscription: PushSubscriptionRecord, limits: PushSubscriptionLimits, takeOver: boolean): Awaitable<PushSubscriptionOutcome>;
  remove(appId: string, clientId: string, endpoint: string): Awaitable<boolean>;
  drop(endpoint: string): Awaitable<boolean>;
  of(appId: string, clientIds: readonly string[]): Awaitable<PushSubscriptionRecord[]>;
  hasApp(appId: string): Awaitable<boolean>;
}

/** The broker backlog rows (Store.holdBrokerBacklog). `now` is the process's clock, for a store that has none of its own (SQLite). */
export interface BrokerBacklogPart {
  hold(nodeId: string, stale: boolean, now: number): Awaitable<void>;
  take(nodeId: string): Awaitable<BrokerBacklog | undefined>;
  takeStale(deadMs: number, limit: number, now: number): Awaitable<BrokerBacklog[]>;
}

export abstract class ComposedStore implements Store {
  abstract readonly sharedWithOtherProcesses: boolean;
  /** Set by `close`: every call rejects from then on. */
  protected closed = false;
  protected abstract readonly conversationWrites: MemberWritesPart;
  protected abstract readonly blocklist: BlocklistPart;
  protected abstract readonly memberRoleStore: MemberRolesPart;
  protected abstract readonly readState: ReadStatePart;
  protected abstract readonly patches: PatchesPart;
  protected abstract readonly notifications: NotificationsPart;
  protected abstract readonly revokedLogins: RevokedLoginsPart;
  protected abstract readonly webPush: WebPushPart;
  protected abstract readonly brokerBacklog: BrokerBacklogPart;

  abstract close(): Promise<void>;
  abstract getApp(appId: string): Promise<AppRecord | undefined>;
  abstract putApp(app: AppRecord): Promise<void>;
  abstract createConversation(input: NewConversation, events?: MemberEvents): Promise<CreatedConversation>;
  abstract getConversation(appId: string, cid: string): Promise<ConversationRecord | undefined>;
  abstract findConversations(query: ConversationQuery): Promise<ConversationRecord[]>;
  abstract isMember(appId: string, cid: string, clientId: string): Promise<boolean>;
  abstract appendMessage(input: NewMessage): Promise<AppendResult>;
  abstract appendMessages(inputs: readonly NewMessage[]): Promise<AppendOutcome[]>;
  abstract queryMessages(query: HistoryQuery): Promise<MessageRecord[]>;
  abstract recordDelivered(appId: string, cid: string, clientId: string, timestamp: number): Promise<void>;
  abstract pruneExpiredConversations(now: number, limit: number): Promise<number>;
  abstract deleteConversation(appId: string, cid: string): Promise<boolean>;

  async addMembers(appId: string, cid: string, clientIds: readonly string[], maxMembers: number, events?: MemberEvents): Promise<MemberChange> {
    this.assertOpen();
    return this.conversationWrites.addMembers(appId, cid, clientIds, maxMembers, events);
  }

  async removeMembers(appId: string, cid: string, clientIds: readonly string[], events?: MemberEvents): Promise<MemberChange> {
    this.assertOpen();
    return this.conversationWrites.removeMembers(appId, cid, clientIds, events);
  }

  async blockMembers(appId: string, cid: string, clientIds: readonly string[], blockedBy: string, maxBlocked: number, events: BlockEvents): Promise<BlockChange> {
    this.assertOpen();
    return this.blocklist.block(appId, cid, clientIds, blockedBy, maxBlocked, events);
  }

  async unblockMembers(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Promise<UnblockChange> {
    this.assertOpen();
    return this.blocklist.unblock(appId, cid, clientIds, events);
  }

  async blockedMembers(appId: string, cid: string, limit: number, after?: string): Promise<string[]> {
    this.assertOpen();
    return this.blocklist.page(appId, cid, limit, after);
  }

  async blockedAmong(appId: string, cid: string, clientIds: readonly string[]): Promise<string[]> {
    this.assertOpen();
    return this.blocklist.among(appId, cid, clientIds);
  }

  async memberRoles(appId: string, cid: string, options: { clientIds?: readonly string[]; managersOnly?: boolean; limit: number }): Promise<MemberRoleRecord[]> {
    this.assertOpen();
    return this.memberRoleStore.roles(appId, cid, options);
  }

  async setMemberRole(appId: string, cid: string, clientId: string, role: StoredMemberRole, maxManagers: number, events: MemberEvents): Promise<MemberChange> {
    this.assertOpen();
    return this.memberRoleStore.setRole(appId, cid, clientId, role, maxManagers, events);
  }

  async addShutup(appId: string, cid: string, clientIds: readonly string[], mutedBy: string, maxMuted: number, events: MemberEvents): Promise<MemberChange> {
    this.assertOpen();
    return this.memberRoleStore.addShutup(appId, cid, clientIds, mutedBy, maxMuted, events);
  }

  async removeShutup(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Promise<MemberChange> {
    this.assertOpen();
    return this.memberRoleStore.removeShutup(appId, cid, clientIds, events);
  }

  async shutupMembers(appId: string, cid: string, limit: number, after?: string): Promise<string[]> {
    this.assertOpen();
    return this.memberRoleStore.shutupPage(appId, cid, limit, after);
  }

  async isShutup(appId: string, cid: string, clientId: string): Promise<boolean> {
    this.assertOpen();
    return this.memberRoleStore.isShutup(appId, cid, clientId);
  }

  async updateConversation(appId: string, cid: string, update: ConversationUpdate): Promise<ConversationRecord> {
    this.assertOpen();
    return this.conversationWrites.update(appId, cid, update);
  }

  async setMuted(appId: string, cid: string, clientId: string, muted: boolean): Promise<ConversationRecord> {
    this.assertOpen();
    return this.conversationWrites.setMuted(appId, cid, clientId, muted);
  }

  async markRead(appId: string, cid: string, clientId: string, upTo: ReadPosition): Promise<ReadResult | undefined> {
    this.assertOpen();
    return this.readState.markRead(appId, cid, clientId, upTo);
  }

  async unreadConversations(appId: string, clientId: string, limit: number): Promise<UnreadState[]> {
    this.assertOpen();
    return this.readState.unreadConversations(appId, clientId, limit);
  }

  async undeliveredMessages(appId: string, clientId: string, perConversation: number, maxConversations: number): Promise<UndeliveredBatch[]> {
    this.assertOpen();
    return this.readState.undeliveredMessages(appId, clientId, perConversation, maxConversations);
  }

  async undeliveredConversations(appId: string, clientId: string, maxConversations: number): Promise<UndeliveredConversation[]> {
    this.assertOpen();
    return this.readState.undeliveredConversations(appId, clientId, maxConversations);
  }

  async undeliveredBatch(appId: string, clientId: string, conversation: UndeliveredConversation, perConversation: number): Promise<UndeliveredBatch | undefined> {
    this.assertOpen();
    return this.readState.undeliveredBatch(appId, clientId, conversation, perConversation);
  }

  async receiptMessages(appId: string, cid: string, clientId: string, fromTs: number, toTs: number, limit: number): Promise<MessageRecord[]> {
    this.assertOpen();
    return this.readState.receiptMessages(appId, cid, clientId, fromTs, toTs, limit);
  }

  async memberReceipts(appId: string, cid: string): Promise<MemberReceipts[]> {
    this.assertOpen();
    return this.readState.memberReceipts(appId, cid);
  }

  async patchMessage(patch: MessagePatch): Promise<MessageRecord> {
    this.assertOpen();
    return this.patches.patchMessage(patch);
  }

  async patchesSince(appId: string, clientId: string, since: number, limit: number): Promise<MessageRecord[]> {
    this.assertOpen();
    return this.patches.patchesSince(appId, clientId, since, limit);
  }

  async recordNotification(appId: string, recipients: readonly string[], event: MembershipEvent): Promise<RecordedNotification> {
    this.assertOpen();
    return this.notifications.record(appId, recipients, event);
  }

  async notificationsSince(appId: string, clientId: string, afterSeq: number, limit: number): Promise<StoredNotification[]> {
    this.assertOpen();
    return this.notifications.since(appId, clientId, afterSeq, limit);
  }

  async notificationsAfterTime(appId: string, clientId: string, afterTs: number, limit: number): Promise<NotificationPage> {
    this.assertOpen();
    return this.notifications.afterTime(appId, clientId, afterTs, limit);
  }

  async latestNotificationSeq(): Promise<number> {
    this.assertOpen();
    return this.notifications.latest();
  }

  async saveNotificationCursor(appId: string, clientId: string, login: string, upTo: number): Promise<void> {
    this.assertOpen();
    await this.notifications.saveCursor(appId, clientId, login, upTo);
  }

  async notificationCursor(appId: string, clientId: string, login: string): Promise<number | undefined> {
    this.assertOpen();
    return this.notifications.cursor(appId, clientId, login);
  }

  async pruneNotifications(before: number): Promise<number> {
    this.assertOpen();
    return this.notifications.prune(before);
  }

  async revokeLogin(appId: string, loginId: string, expiresAt: number): Promise<void> {
    this.assertOpen();
    await this.revokedLogins.revoke(appId, loginId, expiresAt, Date.now());
  }

  async isLoginRevoked(appId: string, loginId: string): Promise<boolean> {
    this.assertOpen();
    return this.revokedLogins.isRevoked(appId, loginId, Date.now());
  }

  async vapidKeys(ifNone: VapidKeyPair): Promise<VapidKeyPair> {
    this.assertOpen();
    return this.webPush.vapidKeys(ifNone, Date.now());
  }

  async addPushSubscription(subscription: PushSubscriptionRecord, limits: PushSubscriptionLimits, takeOver = true): Promise<PushSubscriptionOutcome> {
    this.assertOpen();
    return this.webPush.add(subscription, limits, takeOver);
  }

  async removePushSubscription(appId: string, clientId: string, endpoint: string): Promise<boolean> {
    this.assertOpen();
    return this.webPush.remove(appId, clientId, endpoint);
  }

  async dropPushSubscription(endpoint: string): Promise<boolean> {
    this.assertOpen();
    return this.webPush.drop(endpoint);
  }

  async pushSubscriptions(appId: string, clientIds: readonly string[]): Promise<PushSubscriptionRecord[]> {
    this.assertOpen();
    if (clientIds.length === 0) return [];
    return this.webPush.of(appId, clientIds);
  }

  async hasPushSubscriptions(appId: string): Promise<boolean> {
    this.assertOpen();
    return this.webPush.hasApp(appId);
  }

  async holdBrokerBacklog(nodeId: string, stale = false): Promise<void> {
    this.assertOpen();
    await this.brokerBacklog.hold(nodeId, stale, Date.now());
  }

  async takeBrokerBacklog(nodeId: string): Promise<BrokerBacklog | undefined> {
    this.assertOpen();
    return this.brokerBacklog.take(nodeId);
  }

  async takeStaleBrokerBacklogs(deadMs: number, limit: number): Promise<BrokerBacklog[]> {
    this.assertOpen();
    return this.brokerBacklog.takeStale(deadMs, limit, Date.now());
  }

  protected assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }
}
