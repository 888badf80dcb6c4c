/**
 * A conversation (guide: 对话): one-to-one, group or chat room alike.
 * Instances come from an IMClient (created, queried, or pushed) and are
 * cached per id, so each conversation has exactly one instance per client.
 */
import { CommandType, OpType, has, type Command, type DecodedCommand, type ILogItem } from '../protocol/index.js';
import type { ConversationData } from './conversation-record.js';
import { decodeDate } from './dates.js';
import { commandError } from './errors.js';
import { EventEmitter } from './event-emitter.js';
import { MessagesIterator, type MessagesIteratorOptions } from './messages-iterator.js';
import { Message, dedupTokenOf, setMessageStatus } from './messages/message.js';
import { encodePayload } from './messages/registry.js';
import { MessageStatus, type MessagePriority } from './messages/status.js';

/** Options of {@link Conversation.send}. */
export interface SendOptions {
  /** Send transiently: not stored, no offline delivery, no receipt. Defaults to `message.transient`. */
  transient?: boolean;
  /** Ask for a delivery receipt (`receipt` event, status DELIVERED). */
  receipt?: boolean;
  /** The guide's spelling of `receipt`. */
  reciept?: boolean;
  /** Chat rooms only: drop order under load, see {@link MessagePriority}. */
  priority?: MessagePriority;
  /** Offline push payload, e.g. `{alert: '…'}`. */
  pushData?: Record<string, unknown>;
  /** A "will" message: delivered only if this client disconnects abnormally. */
  will?: boolean;
}

/** Options of {@link Conversation.queryMessages}. */
export interface QueryMessagesOptions {
  /** How many messages, 1–1000; the server's default (20) when absent. */
  limit?: number;
  /** Only messages before this time (now by default). */
  beforeTime?: Date | number;
  /** Only messages before this one; needs `beforeTime` (its timestamp). */
  beforeMessageId?: string;
  /** Only messages after this time. */
  afterTime?: Date | number;
  /** Only messages after this one; needs `afterTime` (its timestamp). */
  afterMessageId?: string;
}

/** Events of a {@link Conversation}. */
export interface ConversationEvents {
  /** A message arrived in this conversation. */
  message: [message: Message];
  /** A message sent with `receipt` was delivered. */
  receipt: [payload: { message: Message }];
  /** Members were added. */
  membersjoined: [payload: { members: string[]; invitedBy: string | undefined }];
  /** Members were removed. */
  membersleft: [payload: { members: string[]; kickedBy: string | undefined }];
  /** The current client was added. */
  invited: [payload: { invitedBy: string | undefined }];
  /** The current client was removed. */
  kicked: [payload: { kickedBy: string | undefined }];
}

/** A conversation signature: what a `conversationSignatureFactory` returns. */
export interface SignatureResult {
  signature: string;
  timestamp: number;
  nonce: string;
}

/** @internal What a Conversation needs from its IMClient. */
export interface ConversationHost {
  readonly clientId: string;
  send(command: Command): Promise<DecodedCommand>;
  post(command: Command): boolean;
  parseMessage(raw: string): Promise<Message>;
  signConversation(cid: string | null, members: string[], action: 'create' | 'add' | 'remove'): Promise<SignatureResult | undefined>;
}

/**
 * A conversation. Emits {@link ConversationEvents}: `message`, `receipt`,
 * and membership changes.
 */
export class Conversation extends EventEmitter<ConversationEvents> {
  /** The id (`objectId`). */
  readonly id: string;
  /** Members' clientIds (`m`); empty for chat rooms and compact queries. */
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
  /** Time of the last message (`lm`). */
  lastMessageAt: Date | undefined;
  /** The last message, when known. */
  lastMessage: Message | undefined;
  /** Messages received since it was last read. */
  unreadMessagesCount = 0;

  readonly #host: ConversationHost;
  #name: string | undefined;
  #attributes: Record<string, unknown> = {};
  // Local changes that save() sends: attribute paths (dotted) → value.
  #pending = new Map<string, unknown>();
  #awaitingReceipt = new Map<string, Message>();

  /** @internal Conversations are created by IMClient. */
  constructor(host: ConversationHost, data: ConversationData) {
    super();
    this.#host = host;
    this.id = data.id;
    this._apply(data);
  }

  /** The name (`name`). Assigning it marks it to be sent by {@link save}. */
  get name(): string | undefined {
    return this.#name;
  }

  set name(name: string | undefined) {
    this.#name = name;
    this.#pending.set('name', name);
  }

  /** Whether the current client muted it. */
  get muted(): boolean {
    return this.mutedMembers.includes(this.#host.clientId);
  }

  /** A copy of the custom attributes. */
  get attributes(): Record<string, unknown> {
    return structuredClone(this.#attributes);
  }

  /**
   * Reads an attribute: `name`, a custom attribute, or a dotted path into
   * one (`'attr.color'`).
   */
  get(key: string): unknown {
    if (key === 'name') return this.#name;
    let value: unknown = this.#attributes;
    for (const part of key.split('.')) {
      if (typeof value !== 'object' || value === null) return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  }

  /**
   * Sets a custom attribute (or `name`) locally; {@link save} sends it.
   * Dotted keys are paths.
   * @returns this conversation
   */
  set(key: string, value: unknown): this {
    if (key === 'name') {
      this.name = value === undefined ? undefined : String(value);
      return this;
    }
    const parts = key.split('.');
    let target = this.#attributes;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      target = (target[part] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = value;
    this.#pending.set(key, value);
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
    const receipt = !transient && Boolean(options.receipt ?? options.reciept);
    message.cid = this.id;
    message.from = this.#host.clientId;
    setMessageStatus(message, MessageStatus.SENDING);
    const command: Command = {
      cmd: CommandType.direct,
      directMessage: {
        msg: encodePayload(message),
        cid: this.id,
        dt: dedupTokenOf(message),
        ...(receipt ? { r: true } : {}),
        ...(transient ? { transient: true } : {}),
        ...(options.pushData ? { pushData: JSON.stringify(options.pushData) } : {}),
        ...(options.will ? { will: true } : {}),
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
    }
    if (receipt) this.#awaitingReceipt.set(message.id, message);
    return message;
  }

  /**
   * Queries the history: the newest `limit` messages matching the options,
   * in ascending time order.
   */
  async queryMessages(options: QueryMessagesOptions = {}): Promise<Message[]> {
    if (options.beforeMessageId && options.beforeTime === undefined) {
      throw new TypeError('query option beforeMessageId must be used with option beforeTime');
    }
    if (options.afterMessageId && options.afterTime === undefined) {
      throw new TypeError('query option afterMessageId must be used with option afterTime');
    }
    const logsMessage: NonNullable<Command['logsMessage']> = { cid: this.id };
    if (options.limit !== undefined) logsMessage.l = options.limit;
    if (options.beforeTime !== undefined) logsMessage.t = toMillis(options.beforeTime);
    if (options.beforeMessageId) logsMessage.mid = options.beforeMessageId;
    if (options.afterTime !== undefined) logsMessage.tt = toMillis(options.afterTime);
    if (options.afterMessageId) logsMessage.tmid = options.afterMessageId;
    const reply = await this.#host.send({ cmd: CommandType.logs, logsMessage });
    const logs = reply.logsMessage?.logs ?? [];
    return Promise.all(logs.map((item) => this.#messageFromLog(item)));
  }

  /**
   * An iterator over the history, newest page first; each page in ascending
   * order. `next()` resolves `{value, done}`; `done` is true on the last
   * page, which may still hold messages.
   */
  createMessagesIterator(options: MessagesIteratorOptions = {}): MessagesIterator {
    return new MessagesIterator((query) => this.queryMessages(query), options);
  }

  /** The member count (for chat rooms: the online count). */
  async count(): Promise<number> {
    const reply = await this.#host.send({ cmd: CommandType.conv, op: OpType.count, convMessage: { cid: this.id } });
    return reply.convMessage?.count ?? 0;
  }

  /**
   * Adds members.
   * @returns this conversation, its members updated
   */
  async add(clientIds: readonly string[]): Promise<this> {
    const members = [...new Set(clientIds)].sort();
    const signature = await this.#host.signConversation(this.id, members, 'add');
    const reply = await this.#host.send({
      cmd: CommandType.conv,
      op: OpType.add,
      convMessage: { cid: this.id, m: members, ...signatureFields(signature) },
    });
    const allowed = reply.convMessage?.allowedPids?.length ? reply.convMessage.allowedPids : members;
    if (!this.transient) this.members = [...new Set([...this.members, ...allowed])];
    return this;
  }

  /**
   * Removes members.
   * @returns this conversation, its members updated
   */
  async remove(clientIds: readonly string[]): Promise<this> {
    const members = [...new Set(clientIds)].sort();
    const signature = await this.#host.signConversation(this.id, members, 'remove');
    const reply = await this.#host.send({
      cmd: CommandType.conv,
      op: OpType.remove,
      convMessage: { cid: this.id, m: members, ...signatureFields(signature) },
    });
    const removed = new Set(reply.convMessage?.allowedPids?.length ? reply.convMessage.allowedPids : members);
    if (!this.transient) this.members = this.members.filter((member) => !removed.has(member));
    return this;
  }

  /** Joins as the current client. */
  join(): Promise<this> {
    return this.add([this.#host.clientId]);
  }

  /** Leaves as the current client. */
  quit(): Promise<this> {
    return this.remove([this.#host.clientId]);
  }

  /** Mutes push notifications of this conversation for the current client. */
  async mute(): Promise<this> {
    await this.#host.send({ cmd: CommandType.conv, op: OpType.mute, convMessage: { cid: this.id } });
    if (!this.muted) this.mutedMembers = [...this.mutedMembers, this.#host.clientId];
    return this;
  }

  /** Unmutes push notifications of this conversation for the current client. */
  async unmute(): Promise<this> {
    await this.#host.send({ cmd: CommandType.conv, op: OpType.unmute, convMessage: { cid: this.id } });
    this.mutedMembers = this.mutedMembers.filter((member) => member !== this.#host.clientId);
    return this;
  }

  /**
   * Sends the name and attributes changed with `name =` and {@link set}.
   * @returns this conversation
   */
  async save(): Promise<this> {
    if (this.#pending.size === 0) return this;
    const changes = Object.fromEntries(this.#pending);
    const reply = await this.#host.send({
      cmd: CommandType.conv,
      op: OpType.update,
      convMessage: { cid: this.id, attr: { data: JSON.stringify(changes) } },
    });
    for (const [key, value] of Object.entries(changes)) if (this.#pending.get(key) === value) this.#pending.delete(key);
    const updatedAt = decodeDate(reply.convMessage?.udate);
    if (updatedAt) this.updatedAt = updatedAt;
    return this;
  }

  /**
   * Marks the conversation read up to its last message: resets the unread
   * count here and on the current client's other devices.
   */
  read(): Promise<this> {
    this.unreadMessagesCount = 0;
    if (this.transient) return Promise.resolve(this);
    const last = this.lastMessage;
    this.#host.post({
      cmd: CommandType.read,
      readMessage: {
        convs: [
          {
            cid: this.id,
            ...(this.lastMessageAt ? { timestamp: this.lastMessageAt.getTime() } : {}),
            ...(last && last.from !== this.#host.clientId ? { mid: last.id } : {}),
          },
        ],
      },
    });
    return Promise.resolve(this);
  }

  /** @internal Updates fields from server data; absent fields keep their values. */
  _apply(data: ConversationData): void {
    if (data.name !== undefined) this.#name = data.name;
    if (data.members !== undefined) this.members = data.members;
    if (data.creator !== undefined) this.creator = data.creator;
    if (data.transient !== undefined) this.transient = data.transient;
    if (data.system !== undefined) this.system = data.system;
    if (data.mutedMembers !== undefined) this.mutedMembers = data.mutedMembers;
    if (data.createdAt !== undefined) this.createdAt = data.createdAt;
    if (data.updatedAt !== undefined) this.updatedAt = data.updatedAt;
    if (data.attributes !== undefined) this.#attributes = data.attributes;
    if (data.lastMessageAt && (!this.lastMessageAt || data.lastMessageAt >= this.lastMessageAt)) this.lastMessageAt = data.lastMessageAt;
    if (data.lastMessage && (!this.lastMessage || data.lastMessage.timestamp >= this.lastMessage.timestamp)) {
      this.lastMessage = data.lastMessage;
    }
  }

  /** @internal A delivery receipt arrived for a message sent with `receipt`. */
  _handleReceipt(messageId: string, deliveredAt: Date | undefined): void {
    const message = this.#awaitingReceipt.get(messageId);
    if (!message) return;
    this.#awaitingReceipt.delete(messageId);
    message.deliveredAt = deliveredAt ?? new Date();
    setMessageStatus(message, MessageStatus.DELIVERED);
    this.emit('receipt', { message });
  }

  async #messageFromLog(item: ILogItem): Promise<Message> {
    const message = await this.#host.parseMessage(item.data ?? '');
    message.cid = this.id;
    if (item.msgId) message.id = item.msgId;
    if (item.from) message.from = item.from;
    const timestamp = decodeDate(item.timestamp);
    if (timestamp) message.timestamp = timestamp;
    const patched = item.patchTimestamp ? decodeDate(item.patchTimestamp) : undefined;
    if (patched) message.updatedAt = patched;
    const deliveredAt = item.ackAt ? decodeDate(item.ackAt) : undefined;
    if (deliveredAt) message.deliveredAt = deliveredAt;
    setMessageStatus(message, deliveredAt ? MessageStatus.DELIVERED : MessageStatus.SENT);
    return message;
  }
}

function toMillis(time: Date | number): number {
  const ms = time instanceof Date ? time.getTime() : time;
  if (!Number.isFinite(ms)) throw new TypeError(`${String(time)} is not a valid time`);
  return ms;
}

/** The `s`/`t`/`n` fields of a signed conv command. */
export function signatureFields(signature: SignatureResult | undefined): { s?: string; t?: number; n?: string } {
  return signature ? { s: signature.signature, t: signature.timestamp, n: signature.nonce } : {};
}
