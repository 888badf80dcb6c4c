/**
 * Turns the server's pushes to one IMClient into state changes and events:
 * `direct` (messages, then delivery acks), `conv` (membership), `rcp`
 * (receipts), `unread` (counts after login) and `session closed` (kicked).
 * Pushes of one conversation are handled in arrival order, even when the
 * first must wait for the conversation to be fetched.
 */
import { CommandType, OpType, has, type DecodedCommand } from '../protocol/index.js';
import type { Conversation } from './conversation.js';
import { decodeDate } from './dates.js';
import type { DeliveryAcks } from './delivery-acks.js';
import type { IMClient } from './im-client.js';
import { setMessageStatus, type Message } from './messages/message.js';
import { MessageStatus } from './messages/status.js';
import type { Plugins } from './plugins.js';
import { SerialQueue } from './serial-queue.js';

/** What the handler needs from its client besides the client's public API. */
export interface PushContext {
  readonly plugins: Plugins;
  readonly acks: DeliveryAcks;
  parseMessage(raw: string): Promise<Message>;
  /** The conversation, cached or fetched; a bare stand-in if it cannot be fetched. */
  conversationFor(cid: string, noCache?: boolean): Promise<Conversation>;
  /** The cached conversation, if any. */
  cached(cid: string): Conversation | undefined;
  /** Remembers `notifTime`, sent back as `lastUnreadNotifTime` at the next login. */
  unreadNotified(notifTime: number): void;
  /** The server ended the session (4111 conflict, 4115 kicked, …). */
  closedByServer(code: number, reason: string | undefined): void;
}

export class PushHandler {
  readonly #client: IMClient;
  readonly #context: PushContext;
  readonly #queue = new SerialQueue();

  constructor(client: IMClient, context: PushContext) {
    this.#client = client;
    this.#context = context;
  }

  /** Handles a push; commands the SDK does not use are ignored. */
  handle(command: DecodedCommand): void {
    const task = this.#taskFor(command);
    if (!task) return;
    void this.#queue.run(task.key, task.run).catch(() => {
      // A push that cannot be handled (e.g. a message whose payload a plugin
      // rejects) is dropped; the history still has the message.
    });
  }

  #taskFor(command: DecodedCommand): { key: string; run: () => Promise<void> } | undefined {
    switch (command.cmd) {
      case CommandType.direct:
        return { key: command.directMessage?.cid ?? '', run: () => this.#onDirect(command) };
      case CommandType.conv:
        return { key: command.convMessage?.cid ?? '', run: () => this.#onConv(command) };
      case CommandType.rcp:
        return { key: command.rcpMessage?.cid ?? '', run: async () => this.#onReceipt(command) };
      case CommandType.unread:
        return { key: '', run: () => this.#onUnread(command) };
      case CommandType.session:
        if (command.op !== OpType.closed) return undefined;
        return { key: '', run: async () => this.#onSessionClosed(command) };
      default:
        return undefined;
    }
  }

  async #onDirect(command: DecodedCommand): Promise<void> {
    const direct = command.directMessage;
    const cid = direct?.cid;
    if (!direct || !cid) return;
    const client = this.#client;
    const [conversation, message] = await Promise.all([
      this.#context.conversationFor(cid),
      this.#context.parseMessage(direct.msg ?? ''),
    ]);
    message.cid = cid;
    if (direct.id) message.id = direct.id;
    if (direct.fromPeerId) message.from = direct.fromPeerId;
    const timestamp = decodeDate(direct.timestamp);
    if (timestamp) message.timestamp = timestamp;
    const patched = direct.patchTimestamp ? decodeDate(direct.patchTimestamp) : undefined;
    if (patched) message.updatedAt = patched;
    message.transient = Boolean(direct.transient);
    setMessageStatus(message, MessageStatus.SENT);
    if (!(await this.#context.plugins.shouldDispatch(message, conversation))) return;
    if (!message.transient) {
      conversation.lastMessage = message;
      conversation.lastMessageAt = message.timestamp;
    }
    // Our own message, sent from another device: neither unread nor ours to ack.
    const fromOther = message.from !== client.id;
    if (fromOther) conversation.unreadMessagesCount += 1;
    client.emit('message', message, conversation);
    conversation.emit('message', message);
    if (fromOther && !message.transient && !conversation.transient && timestamp) this.#context.acks.add(cid, timestamp.getTime());
  }

  async #onConv(command: DecodedCommand): Promise<void> {
    const conv = command.convMessage;
    const cid = conv?.cid;
    if (!conv || !cid) return;
    const client = this.#client;
    const initBy = conv.initBy || undefined;
    const members = conv.m ?? [];
    switch (command.op) {
      case OpType.joined: {
        // Fetched afresh: we may have a stale copy from before we were a member.
        const conversation = await this.#context.conversationFor(cid, true);
        if (!conversation.transient && !conversation.members.includes(client.id)) conversation.members = [...conversation.members, client.id];
        client.emit('invited', { invitedBy: initBy }, conversation);
        conversation.emit('invited', { invitedBy: initBy });
        return;
      }
      case OpType.left: {
        const conversation = await this.#context.conversationFor(cid);
        conversation.members = conversation.members.filter((member) => member !== client.id);
        client.emit('kicked', { kickedBy: initBy }, conversation);
        conversation.emit('kicked', { kickedBy: initBy });
        return;
      }
      case OpType.members_joined: {
        const conversation = await this.#context.conversationFor(cid);
        if (!conversation.transient) conversation.members = [...new Set([...conversation.members, ...members])];
        client.emit('membersjoined', { members, invitedBy: initBy }, conversation);
        conversation.emit('membersjoined', { members, invitedBy: initBy });
        return;
      }
      case OpType.members_left: {
        const conversation = await this.#context.conversationFor(cid);
        const left = new Set(members);
        if (!conversation.transient) conversation.members = conversation.members.filter((member) => !left.has(member));
        client.emit('membersleft', { members, kickedBy: initBy }, conversation);
        conversation.emit('membersleft', { members, kickedBy: initBy });
        return;
      }
      default:
        return;
    }
  }

  #onReceipt(command: DecodedCommand): void {
    const rcp = command.rcpMessage;
    // Read receipts (`read: true`) are not surfaced yet.
    if (!rcp?.cid || !rcp.id || rcp.read) return;
    this.#context.cached(rcp.cid)?._handleReceipt(rcp.id, decodeDate(rcp.t));
  }

  async #onUnread(command: DecodedCommand): Promise<void> {
    const unread = command.unreadMessage;
    if (!unread) return;
    if (has(unread, 'notifTime') && unread.notifTime) this.#context.unreadNotified(unread.notifTime);
    const tuples = unread.convs ?? [];
    // One query for all of them, rather than one per conversation.
    await this.#client.getConversations(tuples.map((tuple) => tuple.cid)).catch(() => []);
    const updated: Conversation[] = [];
    for (const tuple of tuples) {
      const conversation = await this.#context.conversationFor(tuple.cid);
      conversation.unreadMessagesCount = tuple.unread;
      if (tuple.data && tuple.mid) {
        const message = await this.#context.parseMessage(tuple.data);
        message.cid = tuple.cid;
        message.id = tuple.mid;
        if (tuple.from) message.from = tuple.from;
        const timestamp = decodeDate(tuple.timestamp);
        if (timestamp) message.timestamp = timestamp;
        setMessageStatus(message, MessageStatus.SENT);
        conversation._apply({ id: tuple.cid, lastMessage: message, lastMessageAt: timestamp });
      }
      updated.push(conversation);
    }
    if (updated.length > 0) this.#client.emit('unreadmessagescountupdate', updated);
  }

  #onSessionClosed(command: DecodedCommand): void {
    const session = command.sessionMessage;
    this.#context.closedByServer(session?.code ?? 0, session?.reason || undefined);
  }
}
