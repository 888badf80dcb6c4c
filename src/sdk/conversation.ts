/**
 * A conversation (guide: 对话): one-to-one, group or chat room alike.
 * Instances come from an IMClient (created, queried, or pushed) and are
 * cached per id, so each conversation has exactly one instance per client.
 */
import { CommandType, OpType, has, type Command } from '../protocol/index.js';
import { ConversationAttributes, type AttributeMap } from './conversation-attributes.js';
import { memberIds, membershipResult, type MembershipResult } from './conversation-members.js';
import type { ConversationData } from './conversation-record.js';
import type { BlacklistAction, ConversationEvents, ConversationHost, SendOptions, SignatureResult } from './conversation-types.js';
import { parseJsonObject } from './json-object.js';
import { decodeDate } from './dates.js';
import { ConversationMemberInfo, ConversationMemberRole, type BlockedMembersPage, type MutedMembersPage } from './conversation-roles.js';
import { ProtocolError, commandError } from './errors.js';
import { EventEmitter } from './event-emitter.js';
import { logsQuery, messageFromLog, type QueryMessagesOptions } from './message-history.js';
import { adoptIdentity, patchItemFor, type MessageReference } from './message-patch.js';
import { MessagesIterator, type MessagesIteratorOptions } from './messages-iterator.js';
import { Message, dedupTokenOf, setMessageStatus } from './messages/message.js';
import { RecalledMessage } from './messages/recalled-message.js';
import { binaryPayloadOf, encodePayload } from './messages/registry.js';
import { MessageStatus } from './messages/status.js';
import type { ReadTuple } from './read-buffer.js';

export type {
  BlacklistAction,
  ConversationEvents,
  ConversationHost,
  InfoUpdatedPayload,
  MembersJoinedPayload,
  MembersLeftPayload,
  SendOptions,
  SignatureResult,
} from './conversation-types.js';
export { MESSAGE_QUERY_LIMITS, type QueryMessagesOptions } from './message-history.js';

/**
 * A conversation. Emits {@link ConversationEvents}: `message`, `receipt`,
 * read/delivery updates, recalls and edits, attribute and membership
 * changes.
 */
export class Conversation extends EventEmitter<ConversationEvents> {
  /** The id (`objectId`). */
  readonly id: string;
  /** Members' clientIds (`m`); empty for chat rooms and compact queries, and until joined for a conversation found as a non-member. */
  members: string[] = [];
  /** clientId of the creator (`c`). */
  creator: string | undefined;
  /** A chat room (`tr`). */
  transient = false;
  /** A system conversation (`sys`). */
  system = false;
  /** Members who muted push notifications for it (`mu`). */
  mutedMembers: string[] = [];
  /** Creation time. */
  createdAt: Date | undefined;
  /** Last update of its attributes. */
  updatedAt: Date | undefined;
  /** The last message, when known. */
  lastMessage: Message | undefined;

  readonly #host: ConversationHost;
  /** Whether the server sent `m`: it does not to a client outside the conversation. */
  #membersKnown = false;
  readonly #attributes = new ConversationAttributes();
  readonly #awaitingReceipt = new Map<string, Message>();
  #lastMessageAt: Date | undefined;
  #unreadMessagesCount = 0;
  #unreadMessagesMentioned = false;
  #lastDeliveredAt: Date | undefined;
  #lastReadAt: Date | undefined;
  /** v4 roles by member, once read (getAllMemberInfo); members absent are plain members. */
  #memberRoles: Map<string, string> | undefined;

  /** @internal Conversations are created by IMClient. */
  constructor(host: ConversationHost, data: ConversationData) {
    super();
    this.#host = host;
    this.id = data.id;
    this._apply(data);
  }

  /**
   * A temporary conversation (id `_tmp:…`, {@link IMClient.createTemporaryConversation}):
   * when it expires, as the server last said. Undefined for other conversations.
   */
  expiredAt: Date | undefined = undefined;

  /** A temporary conversation that has expired: sending to it or reading its history fails with 4323 TEMPORARY_CONVERSATION_EXPIRED. */
  get expired(): boolean {
    return this.expiredAt !== undefined && this.expiredAt.getTime() <= Date.now();
  }

  /** Whether this is a temporary conversation (its id starts with `_tmp:`). */
  get temporary(): boolean {
    return this.id.startsWith('_tmp:');
  }

  /** The name (`name`). Assigning it marks it to be sent by {@link save}. */
  get name(): string | undefined {
    const name = this.#attributes.get('name');
    return typeof name === 'string' ? name : undefined;
  }

  set name(name: string | undefined) {
    this.#attributes.set('name', name ?? null);
  }

  /** Whether the current client muted it. */
  get muted(): boolean {
    return this.mutedMembers.includes(this.#host.clientId);
  }

  /** A copy of the custom attributes (every attribute but `name`), unsaved changes included. */
  get attributes(): AttributeMap {
    const { name: _name, ...custom } = this.#attributes.snapshot();
    return custom;
  }

  /** Time of the last message (`lm`); only ever moves forward. */
  get lastMessageAt(): Date | undefined {
    return this.#lastMessageAt;
  }

  set lastMessageAt(value: Date | undefined) {
    if (value && this.#lastMessageAt && value <= this.#lastMessageAt) return;
    this.#lastMessageAt = value;
  }

  /**
   * Messages received since the current client last read it. Changes emit
   * `unreadmessagescountupdate` on the client.
   */
  get unreadMessagesCount(): number {
    return this.#unreadMessagesCount;
  }

  set unreadMessagesCount(count: number) {
    if (count === this.#unreadMessagesCount) return;
    this.#unreadMessagesCount = count;
    this.#host.unreadCountChanged(this);
  }

  /**
   * Whether the unread messages mention the current client, by id or as
   * all (the official 4.x SDK's `unreadMessagesMentioned`). Set by the
   * server's unread notices and by mentioning messages as they arrive;
   * {@link read} clears it.
   */
  get unreadMessagesMentioned(): boolean {
    return this.#unreadMessagesMentioned;
  }

  /**
   * One-to-one conversations: when the other member last received a
   * message (delivery receipts, {@link fetchReceiptTimestamps}). Undefined
   * in groups, where one time cannot speak for every member.
   */
  get lastDeliveredAt(): Date | undefined {
    return this.members.length === 2 ? this.#lastDeliveredAt : undefined;
  }

  /** One-to-one conversations: when the other member last read it (see {@link lastDeliveredAt}). */
  get lastReadAt(): Date | undefined {
    return this.members.length === 2 ? this.#lastReadAt : undefined;
  }

  /**
   * Reads an attribute: `name`, a custom attribute, or a dotted path into
   * one (`'attr.color'`). Unsaved changes included.
   */
  get(key: string): unknown {
    return this.#attributes.get(key);
  }

  /**
   * Sets `name` or a custom attribute locally; {@link save} sends it.
   * Dotted keys are paths: `set('color.text', '#333')` changes one field.
   * @returns this conversation
   * @throws TypeError for an empty key or segment
   */
  set(key: string, value: unknown): this {
    this.#attributes.set(key, value);
    return this;
  }

  /**
   * Sends a message. Resolves with the same instance, now carrying the
   * server's `id` and `timestamp` and status SENT; on failure its status is
   * FAILED and sending the same instance again cannot duplicate it.
   */
  async send<M extends Message>(message: M, options: SendOptions = {}): Promise<M> {
    if (!(message instanceof Message)) throw new TypeError(`${String(message)} is not a Message`);
    const transient = options.transient ?? message.transient;
    // Chat rooms have no receipts; transient messages are never acked.
    const receipt = !transient && !this.transient && Boolean(options.receipt ?? options.reciept);
    message.cid = this.id;
    message.from = this.#host.clientId;
    setMessageStatus(message, MessageStatus.SENDING);
    const bytes = binaryPayloadOf(message);
    const command: Command = {
      cmd: CommandType.direct,
      directMessage: {
        // Bytes go as a binary message (v4 binaryMsg), anything else as text.
        ...(bytes ? { binaryMsg: bytes } : { msg: encodePayload(message) }),
        cid: this.id,
        dt: dedupTokenOf(message),
        ...(receipt ? { r: true } : {}),
        ...(transient ? { transient: true } : {}),
        ...(options.pushData ? { pushData: JSON.stringify(options.pushData) } : {}),
        ...(options.will ? { will: true } : {}),
        ...(message.mentionList.length ? { mentionPids: message.mentionList } : {}),
        ...(message.mentionedAll ? { mentionAll: true } : {}),
      },
      ...(options.priority ? { priority: options.priority } : {}),
    };
    try {
      const reply = await this.#host.send(command);
      const ack = reply.ackMessage;
      // The server may refuse a message with an ack carrying an error code.
      if (ack && has(ack, 'code') && ack.code) throw commandError(ack);
      if (ack?.uid) message.id = ack.uid;
      const timestamp = has(ack, 't') ? decodeDate(ack?.t) : undefined;
      if (timestamp) message.timestamp = timestamp;
    } catch (error) {
      setMessageStatus(message, MessageStatus.FAILED);
      throw error;
    }
    message.transient = transient;
    setMessageStatus(message, MessageStatus.SENT);
    if (!transient) {
      this.lastMessage = message;
      this.lastMessageAt = message.timestamp;
      if (!this.transient) this.#host.sent(this, message);
    }
    if (receipt) this.#awaitingReceipt.set(message.id, message);
    return message;
  }

  /**
   * Queries the history: the newest `limit` messages matching the options,
   * in ascending time order.
   * @throws RangeError if `limit` is not an integer from 1 to 1000
   * @throws TypeError if `beforeMessageId`/`afterMessageId` lacks its time
   */
  async queryMessages(options: QueryMessagesOptions = {}): Promise<Message[]> {
    const reply = await this.#host.send({ cmd: CommandType.logs, logsMessage: logsQuery(this.id, options) });
    const logs = await Promise.all((reply.logsMessage?.logs ?? []).map((item) => messageFromLog(item, this.id, (raw) => this.#host.parseMessage(raw))));
    for (const { message, deliveredAt, readAt } of logs) {
      message.mentioned = message.from !== this.#host.clientId && (message.mentionedAll || message.mentionList.includes(this.#host.clientId));
      // The history also tells when the other member received and read ours.
      if (message.from !== this.#host.clientId) continue;
      this._setLastDeliveredAt(deliveredAt);
      this._setLastReadAt(readAt);
    }
    return logs.map(({ message }) => message);
  }

  /**
   * An iterator over the history, newest page first; each page in ascending
   * order. `next()` resolves `{value, done}`; `done` is true exactly on the
   * page holding the oldest message.
   * @throws RangeError if `limit` is not an integer from 1 to 1000
   */
  createMessagesIterator(options: MessagesIteratorOptions = {}): MessagesIterator {
    return new MessagesIterator((query) => this.queryMessages(query), options);
  }

  /**
   * Recalls a message the current client sent: the other members get
   * `messagerecall`, and history shows a {@link RecalledMessage}.
   * @param message the sent message, or its `{id, timestamp}`
   * @returns the RecalledMessage standing in for it
   */
  recall(message: MessageReference): Promise<RecalledMessage> {
    return this.#patch<RecalledMessage>(message, undefined);
  }

  /**
   * Replaces the content of a message the current client sent: the other
   * members get `messageupdate` with `newMessage`.
   * @param message the sent message, or its `{id, timestamp}`
   * @returns `newMessage`, now with the original's id, sender and time
   */
  update<M extends Message>(message: MessageReference, newMessage: M): Promise<M> {
    if (!(newMessage instanceof Message)) return Promise.reject(new TypeError(`${String(newMessage)} is not a Message`));
    return this.#patch(message, newMessage);
  }

  /** The member count (for chat rooms: the online count). */
  async count(): Promise<number> {
    const reply = await this.#host.send({ cmd: CommandType.conv, op: OpType.count, convMessage: { cid: this.id } });
    return reply.convMessage?.count ?? 0;
  }

  /**
   * Adds members (guide: 添加其他成员).
   * @returns this conversation, its members updated
   * @throws the first failure if no member could be added
   */
  async add(clientIds: string | readonly string[]): Promise<this> {
    return this.#allOrError(await this.addMembers(clientIds));
  }

  /**
   * Removes members (guide: 移除其他成员).
   * @returns this conversation, its members updated
   * @throws the first failure if no member could be removed
   */
  async remove(clientIds: string | readonly string[]): Promise<this> {
    return this.#allOrError(await this.removeMembers(clientIds));
  }

  /** Adds members, reporting per member which succeeded (the v4 SDK's `add`). */
  addMembers(clientIds: string | readonly string[]): Promise<MembershipResult> {
    return this.#changeMembers(OpType.add, memberIds(clientIds));
  }

  /** Removes members, reporting per member which succeeded (the v4 SDK's `remove`). */
  removeMembers(clientIds: string | readonly string[]): Promise<MembershipResult> {
    return this.#changeMembers(OpType.remove, memberIds(clientIds));
  }

  /** Joins as the current client (guide: 自身主动加入). */
  async join(): Promise<this> {
    const outsider = !this.#membersKnown;
    const result = await this.addMembers(this.#host.clientId);
    if (result.failures[0]) throw result.failures[0];
    // Found from outside, it came without its member list: a member now, fetch it.
    if (outsider) await this.fetch();
    return this;
  }

  /** @internal Whether {@link members} is the server's list (false for a conversation found from outside). */
  get _membersKnown(): boolean {
    return this.#membersKnown;
  }

  /** Leaves as the current client (guide: 自身主动退出). */
  async quit(): Promise<this> {
    const result = await this.removeMembers(this.#host.clientId);
    if (result.failures[0]) throw result.failures[0];
    return this;
  }

  /** Mutes push notifications of this conversation for the current client. */
  async mute(): Promise<this> {
    await this.#host.send({ cmd: CommandType.conv, op: OpType.mute, convMessage: { cid: this.id } });
    if (!this.transient && !this.muted) this.mutedMembers = [...this.mutedMembers, this.#host.clientId];
    return this;
  }

  /** Unmutes push notifications of this conversation for the current client. */
  async unmute(): Promise<this> {
    await this.#host.send({ cmd: CommandType.conv, op: OpType.unmute, convMessage: { cid: this.id } });
    if (!this.transient) this.mutedMembers = this.mutedMembers.filter((member) => member !== this.#host.clientId);
    return this;
  }

  /**
   * v4 roles: makes a member a `Manager` or a plain `Member`. Only the owner
   * (the creator) may, not for itself; members get `memberinfoupdated`.
   * @throws OWNER_PROMOTION_NOT_ALLOWED (5130) for `Owner`, without asking the server;
   *   the server's CONVERSATION_OPERATION_UNAUTHORIZED (4320) for anyone but the owner,
   *   UNKNOWN_CONVERSATION_ROLE (4321), CONVERSATION_MEMBERSHIP_REQUIRED (4317) for a non-member
   */
  async updateMemberRole(memberId: string, role: ConversationMemberRole | string): Promise<this> {
    if (role === ConversationMemberRole.OWNER) throw ProtocolError.of('OWNER_PROMOTION_NOT_ALLOWED', 'the owner is the creator; nobody is promoted to it');
    await this.#host.send({
      cmd: CommandType.conv,
      op: OpType.member_info_update,
      convMessage: { cid: this.id, targetClientId: memberId, info: { pid: memberId, role } },
    });
    this._setMemberRole(memberId, role);
    return this;
  }

  /**
   * v4 roles: every member's info (role), in the order of {@link members}.
   * Read once over HTTP (GET /1.1/classes/_ConversationMemberInfo, which
   * needs the Realtime's `appKey`) and kept up to date by
   * `memberinfoupdated`; `noCache` reads it again. Members only.
   */
  async getAllMemberInfo(options: { noCache?: boolean } = {}): Promise<ConversationMemberInfo[]> {
    if (!this.#memberRoles || options.noCache) {
      const rows = await this.#host.memberInfo(this.id);
      this.#memberRoles = new Map(rows.map((row) => [row.clientId, row.role]));
    }
    return this.members.map((memberId) => this.#memberInfo(memberId));
  }

  /**
   * v4 roles: one member's info.
   * @throws Error if `memberId` is not a member
   */
  async getMemberInfo(memberId: string): Promise<ConversationMemberInfo> {
    if (!this.members.includes(memberId)) throw new Error(`${memberId} is not a member of conversation ${this.id}`);
    if (!this.#memberRoles) await this.getAllMemberInfo();
    return this.#memberInfo(memberId);
  }

  /**
   * v4: mutes members: their messages here are refused (4563 SILIENCED)
   * until unmuted. The owner and managers only (a manager mutes plain
   * members); the muted get `muted`, the members `membersmuted`.
   * @returns per member which succeeded
   * @throws CONVERSATION_OPERATION_UNAUTHORIZED (4320) if the current client is neither
   */
  async muteMembers(clientIds: string | readonly string[]): Promise<MembershipResult> {
    const ids = memberIds(clientIds);
    const reply = await this.#host.send({ cmd: CommandType.conv, op: OpType.add_shutup, convMessage: { cid: this.id, m: ids } });
    return membershipResult(ids, reply.convMessage);
  }

  /** v4: unmutes members (the owner and managers only); see {@link muteMembers}. */
  async unmuteMembers(clientIds: string | readonly string[]): Promise<MembershipResult> {
    const ids = memberIds(clientIds);
    const reply = await this.#host.send({ cmd: CommandType.conv, op: OpType.remove_shutup, convMessage: { cid: this.id, m: ids } });
    return membershipResult(ids, reply.convMessage);
  }

  /**
   * v4: a page of the muted members (members may ask), by clientId.
   * @param options.limit page size, 1..100 (default 10)
   * @param options.next the `next` of the previous page
   */
  async queryMutedMembers(options: { limit?: number; next?: string } = {}): Promise<MutedMembersPage> {
    const reply = await this.#host.send({
      cmd: CommandType.conv,
      op: OpType.query_shutup,
      convMessage: { cid: this.id, ...(options.limit ? { limit: options.limit } : {}), ...(options.next ? { next: options.next } : {}) },
    });
    return { results: [...(reply.convMessage?.m ?? [])], next: reply.convMessage?.next || undefined };
  }

  /**
   * v4: blocks clients: they are removed if they are members, and none of
   * them can join or be added again until unblocked (4315). The owner and
   * managers only (a manager blocks plain members); signed by the client's
   * `blacklistSignatureFactory` where the app requires it.
   * @returns per client which succeeded
   */
  async blockMembers(clientIds: string | readonly string[]): Promise<MembershipResult> {
    return this.#changeBlocklist(memberIds(clientIds), OpType.block, 'conversation-block-clients');
  }

  /** v4: unblocks clients (the owner and managers only); see {@link blockMembers}. */
  async unblockMembers(clientIds: string | readonly string[]): Promise<MembershipResult> {
    return this.#changeBlocklist(memberIds(clientIds), OpType.unblock, 'conversation-unblock-clients');
  }

  /**
   * v4: a page of the blocked clients (members may ask), by clientId.
   * @param options.limit page size (the server's default 10, at most 100)
   * @param options.next the `next` of the previous page
   */
  async queryBlockedMembers(options: { limit?: number; next?: string } = {}): Promise<BlockedMembersPage> {
    const reply = await this.#host.send({
      cmd: CommandType.blacklist,
      op: OpType.query,
      blacklistMessage: { srcCid: this.id, ...(options.limit ? { limit: options.limit } : {}), ...(options.next ? { next: options.next } : {}) },
    });
    return { results: [...(reply.blacklistMessage?.blockedPids ?? [])], next: reply.blacklistMessage?.next || undefined };
  }

  async #changeBlocklist(ids: string[], op: OpType, action: BlacklistAction): Promise<MembershipResult> {
    const sorted = [...ids].sort();
    const signature = await this.#host.signBlacklist(this.id, sorted, action);
    const reply = await this.#host.send({ cmd: CommandType.blacklist, op, blacklistMessage: { srcCid: this.id, toPids: ids, ...signatureFields(signature) } });
    return membershipResult(ids, reply.blacklistMessage);
  }

  /** @internal A role changed (this client's update, or a `member_info_changed` push). */
  _setMemberRole(memberId: string, role: string): ConversationMemberInfo {
    this.#memberRoles?.set(memberId, role);
    return new ConversationMemberInfo({ conversationId: this.id, memberId, role, creator: this.creator });
  }

  #memberInfo(memberId: string): ConversationMemberInfo {
    const role = this.#memberRoles?.get(memberId) ?? ConversationMemberRole.MEMBER;
    return new ConversationMemberInfo({ conversationId: this.id, memberId, role, creator: this.creator });
  }

  /**
   * Sends the name and attributes changed with `name =` and {@link set};
   * the other members get `infoupdated`.
   * @returns this conversation
   */
  async save(): Promise<this> {
    if (!this.#attributes.dirty) return this;
    const changes = this.#attributes.changes();
    const reply = await this.#host.send({
      cmd: CommandType.conv,
      op: OpType.update,
      convMessage: { cid: this.id, attr: { data: JSON.stringify(changes) } },
    });
    this.#attributes.commit(changes);
    // v4-aware servers return the attributes as stored (e.g. normalized).
    const modified = parseJsonObject(reply.convMessage?.attrModified?.data);
    if (modified) this.#attributes.applyRemote(modified);
    const updatedAt = decodeDate(reply.convMessage?.udate);
    if (updatedAt) this.updatedAt = updatedAt;
    return this;
  }

  /**
   * Refreshes every field from the server; unsaved attribute changes stay.
   * @returns this conversation
   */
  async fetch(): Promise<this> {
    const data = await this.#host.fetch(this.id);
    if (data) this._apply(data);
    return this;
  }

  /**
   * Fetches when the other members last received and read messages
   * ({@link lastDeliveredAt}, {@link lastReadAt}).
   * @returns this conversation
   */
  async fetchReceiptTimestamps(): Promise<this> {
    const reply = await this.#host.send({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid: this.id } });
    const conv = reply.convMessage;
    if (conv?.maxAckTimestamp) this._setLastDeliveredAt(decodeDate(conv.maxAckTimestamp));
    if (conv?.maxReadTimestamp) this._setLastReadAt(decodeDate(conv.maxReadTimestamp));
    return this;
  }

  /**
   * Marks the conversation read up to its last message: resets the unread
   * count here and on the current client's other devices, and tells the
   * sender (read receipts). Sent throttled, at most once a second.
   */
  read(): Promise<this> {
    this.unreadMessagesCount = 0;
    this.#unreadMessagesMentioned = false;
    // Chat rooms keep no read state.
    if (!this.transient) this.#host.markRead(this);
    return Promise.resolve(this);
  }

  /** The guide's name for {@link read}. */
  markAsRead(): Promise<this> {
    return this.read();
  }

  /** @internal The position a `read` command reports, computed when it is sent. */
  _readTuple(): ReadTuple {
    const last = this.lastMessage;
    return {
      cid: this.id,
      // Without a known last message, "everything until now".
      timestamp: (this.lastMessageAt ?? new Date()).getTime(),
      ...(last && last.from !== this.#host.clientId ? { mid: last.id } : {}),
    };
  }

  /** @internal Updates fields from server data; absent fields keep their values. */
  _apply(data: ConversationData): void {
    if (data.attributes !== undefined) {
      const name = data.name !== undefined ? data.name : this.#attributes.get('name');
      this.#attributes.replace(name === undefined ? data.attributes : { ...data.attributes, name });
    } else if (data.name !== undefined) {
      this.#attributes.applyRemote({ name: data.name });
    }
    if (data.members !== undefined) {
      this.members = data.members;
      this.#membersKnown = true;
    }
    if (data.creator !== undefined) this.creator = data.creator;
    if (data.transient !== undefined) this.transient = data.transient;
    if (data.system !== undefined) this.system = data.system;
    if (data.mutedMembers !== undefined) this.mutedMembers = data.mutedMembers;
    if (data.createdAt !== undefined) this.createdAt = data.createdAt;
    if (data.updatedAt !== undefined) this.updatedAt = data.updatedAt;
    if (data.lastMessageAt) this.lastMessageAt = data.lastMessageAt;
    if (data.expiredAt !== undefined) this.expiredAt = data.expiredAt;
    if (data.lastMessage && (!this.lastMessage || data.lastMessage.timestamp >= this.lastMessage.timestamp)) {
      this.lastMessage = data.lastMessage;
    }
  }

  /** @internal Another member changed attributes (an `updated` push). */
  _applyRemoteAttributes(changes: AttributeMap, updatedAt: Date | undefined): void {
    this.#attributes.applyRemote(changes);
    if (updatedAt) this.updatedAt = updatedAt;
  }

  /** @internal The server said whether unread messages mention the client. */
  _setUnreadMessagesMentioned(mentioned: boolean): void {
    this.#unreadMessagesMentioned = mentioned;
  }

  /** @internal Sets the unread count without emitting `unreadmessagescountupdate` (the caller batches it). */
  _setUnreadMessagesCount(count: number): boolean {
    if (count === this.#unreadMessagesCount) return false;
    this.#unreadMessagesCount = count;
    return true;
  }

  /** @internal A receipt arrived: delivery (`read` false) or read. */
  _handleReceipt(messageId: string | undefined, at: Date | undefined, read: boolean): void {
    if (read) {
      this._setLastReadAt(at);
      return;
    }
    this._setLastDeliveredAt(at);
    const message = messageId ? this.#awaitingReceipt.get(messageId) : undefined;
    if (!message) return;
    this.#awaitingReceipt.delete(message.id);
    message.deliveredAt = at ?? new Date();
    setMessageStatus(message, MessageStatus.DELIVERED);
    this.emit('receipt', { message });
  }

  /** @internal */
  _setLastDeliveredAt(at: Date | undefined): void {
    if (!at || (this.#lastDeliveredAt && at < this.#lastDeliveredAt)) return;
    this.#lastDeliveredAt = at;
    this.emit('lastdeliveredatupdate');
  }

  /** @internal */
  _setLastReadAt(at: Date | undefined): void {
    if (!at || (this.#lastReadAt && at < this.#lastReadAt)) return;
    this.#lastReadAt = at;
    this.emit('lastreadatupdate');
  }

  async #changeMembers(op: typeof OpType.add | typeof OpType.remove, members: string[]): Promise<MembershipResult> {
    const signature = await this.#host.signConversation(this.id, members, op === OpType.add ? 'add' : 'remove');
    const reply = await this.#host.send({
      cmd: CommandType.conv,
      op,
      convMessage: { cid: this.id, m: members, ...signatureFields(signature) },
    });
    const result = membershipResult(members, reply.convMessage);
    // Chat rooms and system conversations keep no member list here.
    if (!this.transient && !this.system) {
      const changed = new Set(result.successfulClientIds);
      this.members = op === OpType.add ? [...new Set([...this.members, ...changed])] : this.members.filter((member) => !changed.has(member));
    }
    return result;
  }

  #allOrError(result: MembershipResult): this {
    const [failure] = result.failures;
    if (failure && result.successfulClientIds.length === 0) throw failure;
    return this;
  }

  async #patch<M extends Message>(message: MessageReference, replacement: M | undefined): Promise<M> {
    const clientId = this.#host.clientId;
    const item = patchItemFor(this.id, clientId, message, replacement);
    const reply = await this.#host.send({
      cmd: CommandType.patch,
      op: OpType.modify,
      patchMessage: { patches: [item], lastPatchTime: this.#host.lastPatchTime },
    });
    const patchedAt = decodeDate(reply.patchMessage?.lastPatchTime) ?? new Date();
    const result = adoptIdentity((replacement ?? new RecalledMessage()) as M, message, this.id, clientId, patchedAt);
    if (this.lastMessage?.id === result.id) this.lastMessage = result;
    return result;
  }
}

/** The `s`/`t`/`n` fields of a signed conv command. */
export function signatureFields(signature: SignatureResult | undefined): { s?: string; t?: number; n?: string } {
  return signature ? { s: signature.signature, t: signature.timestamp, n: signature.nonce } : {};
}
