/**
 * Turns the server's pushes to one IMClient into state changes and events:
 * `direct` (messages, online or offline, then delivery acks), `conv`
 * (membership and attributes, see conv-pushes.ts), `rcp` (delivery and read
 * receipts), `unread` (counts after login and from other devices), `patch`
 * (recalls and edits) and `session closed` (kicked). Pushes of one
 * conversation are handled in arrival order, even when the first must wait
 * for the conversation to be fetched.
 */
import { CommandType, OpType, has, type DecodedCommand, type IUnreadCommand } from '../protocol/index.js';
import { handleConvPush } from './conv-pushes.js';
import type { Conversation } from './conversation.js';
import { decodeDate } from './dates.js';
import type { DeliveryAcks } from './delivery-acks.js';
import type { IMClient } from './im-client.js';
import { receivedPatch } from './message-patch.js';
import { setMessageStatus, type Message } from './messages/message.js';
import { binaryMessage } from './messages/registry.js';
import { MessageStatus } from './messages/status.js';
import type { MissedMessages, Position } from './missed-messages.js';
import type { Plugins } from './plugins.js';
import { SerialQueue } from './serial-queue.js';

/** What the handler needs from its client besides the client's public API. */
export interface PushContext {
  readonly plugins: Plugins;
  readonly acks: DeliveryAcks;
  /** Where delivered messages end, per conversation; what a catch-up delivered. */
  readonly missed: MissedMessages;
  parseMessage(raw: string): Promise<Message>;
  /** The conversation, cached or fetched; a bare stand-in if it cannot be fetched. */
  conversationFor(cid: string, noCache?: boolean): Promise<Conversation>;
  /** The cached conversation, if any. */
  cached(cid: string): Conversation | undefined;
  /** Remembers `notifTime`, sent back as `lastUnreadNotifTime` at the next login. */
  unreadNotified(notifTime: number): void;
  /** Remembers a patch time, sent back as `lastPatchTime` at the next login. */
  patched(patchTime: number): void;
  /** The server ended the session (4111 conflict, 4115 kicked, …). */
  closedByServer(code: number, reason: string | undefined): void;
}

type UnreadTuple = NonNullable<IUnreadCommand['convs']>[number];

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

  /**
   * After a reconnect: delivers the messages of `conversation` missed since
   * `from` as `message` events, oldest first, before any push of that
   * conversation that arrives after this call. Waits for `reopened`, and
   * does nothing if it resolves false (the session did not re-open).
   *
   * Unread counts are left alone: the server's `unread` push after the
   * re-open already counts these messages.
   */
  catchUp(conversation: Conversation, from: Position, reopened: Promise<boolean>): void {
    const cid = conversation.id;
    const missed = this.#context.missed;
    const run = async (): Promise<void> => {
      if (!(await reopened)) return;
      // From the floor of what was delivered: what it fetches and was delivered already is skipped.
      const messages = (await missed.fetch(conversation, missed.resume(cid, from))).filter((message) => !missed.wasDelivered(cid, message.id));
      missed.remember(cid, messages);
      for (const message of messages) {
        if (!(await this.#context.plugins.shouldDispatch(message, conversation))) continue;
        // A hole filled late is older than what came after it: the newest stays the last.
        if (!conversation.lastMessage || isLater(message, conversation.lastMessage)) conversation.lastMessage = message;
        if (!conversation.lastMessageAt || message.timestamp >= conversation.lastMessageAt) conversation.lastMessageAt = message.timestamp;
        missed.delivered(cid, message);
        this.#client.emit('message', message, conversation);
        conversation.emit('message', message);
        // Received, as a push would have been: the sender's receipt is due.
        if (message.from !== this.#client.id) this.#context.acks.add(cid, message.timestamp.getTime());
      }
    };
    void this.#queue.run(cid, run).catch(() => {
      // Disconnected again, or no longer a member: nothing was marked
      // delivered past what was, so the next reconnect starts from there.
    });
  }

  #taskFor(command: DecodedCommand): { key: string; run: () => Promise<void> } | undefined {
    switch (command.cmd) {
      case CommandType.direct:
        return { key: command.directMessage?.cid ?? '', run: () => this.#onDirect(command) };
      case CommandType.conv:
        return {
          key: command.convMessage?.cid ?? '',
          run: () => handleConvPush(this.#client, command, (cid, noCache) => this.#context.conversationFor(cid, noCache)),
        };
      case CommandType.rcp:
        return { key: command.rcpMessage?.cid ?? '', run: async () => this.#onReceipt(command) };
      case CommandType.unread:
        return { key: '', run: () => this.#onUnread(command) };
      case CommandType.patch:
        if (command.op !== OpType.modify) return undefined;
        // Ordered with the pushes of the (first) patched message's conversation.
        return { key: command.patchMessage?.patches?.[0]?.cid ?? '', run: () => this.#onPatch(command) };
      case CommandType.session:
        if (command.op !== OpType.closed) return undefined;
        return { key: '', run: async () => this.#onSessionClosed(command) };
      default:
        return undefined;
    }
  }

  /** A message, live or (offline-push mode, `offline: true`) missed while offline: both are `message` events. */
  async #onDirect(command: DecodedCommand): Promise<void> {
    const direct = command.directMessage;
    const cid = direct?.cid;
    if (!direct || !cid) return;
    const client = this.#client;
    const [conversation, message] = await Promise.all([
      this.#context.conversationFor(cid),
      direct.binaryMsg?.length ? binaryMessage(direct.binaryMsg) : this.#context.parseMessage(direct.msg ?? ''),
    ]);
    message.cid = cid;
    if (direct.id) message.id = direct.id;
    if (direct.fromPeerId) message.from = direct.fromPeerId;
    const timestamp = decodeDate(direct.timestamp);
    if (timestamp) message.timestamp = timestamp;
    const patched = direct.patchTimestamp ? decodeDate(direct.patchTimestamp) : undefined;
    if (patched) message.updatedAt = patched;
    message.transient = Boolean(direct.transient);
    message._setMentions(direct.mentionPids, direct.mentionAll, client.id);
    setMessageStatus(message, MessageStatus.SENT);
    if (!(await this.#context.plugins.shouldDispatch(message, conversation))) return;
    const stored = !message.transient && !conversation.transient;
    const fromOther = message.from !== client.id;
    const missed = this.#context.missed;
    // The catch-up after a reconnect may have fetched this message from
    // the history already: it is not delivered twice. It is still counted:
    // being pushed live, it came after the count the server sent at the
    // re-open.
    const duplicate = stored && missed.caughtUp(cid, message.id);
    // A re-push of a message delivered (and counted) before, because its
    // batched ack never reached the server (offline-push mode after a drop):
    // only the ack is due.
    if (stored && !duplicate && missed.wasDelivered(cid, message.id)) {
      if (fromOther && timestamp) this.#context.acks.add(cid, timestamp.getTime());
      return;
    }
    if (!message.transient && !duplicate) {
      conversation.lastMessage = message;
      conversation.lastMessageAt = message.timestamp;
    }
    // Our own message, sent from another device: neither unread nor ours to
    // ack. Unlike the official SDK, messages the server does not store
    // (transient ones, chat rooms) are not counted: the server never counts
    // them either, so the next login's unread push would take them back.
    if (fromOther && stored) {
      if (message.mentioned) conversation._setUnreadMessagesMentioned(true);
      conversation.unreadMessagesCount += 1;
    }
    if (!duplicate) {
      if (stored) missed.delivered(cid, message);
      client.emit('message', message, conversation);
      conversation.emit('message', message);
    }
    if (fromOther && stored && timestamp) this.#context.acks.add(cid, timestamp.getTime());
  }

  /** `rcp`: a member received (or, `read: true`, read) messages of ours. */
  #onReceipt(command: DecodedCommand): void {
    const rcp = command.rcpMessage;
    if (!rcp?.cid) return;
    // Not cached: this client sent nothing there in this session, so no
    // message waits for it and there is no state to update.
    this.#context.cached(rcp.cid)?._handleReceipt(rcp.id || undefined, decodeDate(rcp.t), Boolean(rcp.read));
  }

  /**
   * `unread`: counts after login, or a count reset by a `read` on another
   * device. Emits `unreadmessages` once per conversation whose count
   * changed, then one `unreadmessagescountupdate` with all of them.
   */
  async #onUnread(command: DecodedCommand): Promise<void> {
    const unread = command.unreadMessage;
    if (!unread) return;
    if (has(unread, 'notifTime') && unread.notifTime) this.#context.unreadNotified(unread.notifTime);
    const tuples = unread.convs ?? [];
    // One query for all of them, rather than one per conversation.
    await this.#client.getConversations(tuples.map((tuple) => tuple.cid)).catch(() => []);
    const changed: Conversation[] = [];
    for (const tuple of tuples) {
      const conversation = await this.#context.conversationFor(tuple.cid);
      const lastMessage = await this.#lastMessageOf(tuple);
      if (lastMessage) conversation._apply({ id: tuple.cid, lastMessage, lastMessageAt: lastMessage.timestamp });
      // v4: whether the unread messages mention this client.
      conversation._setUnreadMessagesMentioned(tuple.unread > 0 && tuple.mentioned === true);
      if (!conversation._setUnreadMessagesCount(tuple.unread)) continue;
      changed.push(conversation);
      this.#client.emit(
        'unreadmessages',
        { count: tuple.unread, lastMessageId: tuple.mid || undefined, lastMessageTimestamp: decodeDate(tuple.timestamp) },
        conversation,
      );
    }
    if (changed.length > 0) this.#client.emit('unreadmessagescountupdate', changed);
  }

  async #lastMessageOf(tuple: UnreadTuple): Promise<Message | undefined> {
    const bytes = tuple.binaryMsg?.length ? tuple.binaryMsg : undefined;
    if (!tuple.mid || (!tuple.data && !bytes)) return undefined;
    const message = bytes ? binaryMessage(bytes) : await this.#context.parseMessage(tuple.data!);
    message.cid = tuple.cid;
    message.id = tuple.mid;
    if (tuple.from) message.from = tuple.from;
    const timestamp = decodeDate(tuple.timestamp);
    if (timestamp) message.timestamp = timestamp;
    const patched = tuple.patchTimestamp ? decodeDate(tuple.patchTimestamp) : undefined;
    if (patched) message.updatedAt = patched;
    setMessageStatus(message, MessageStatus.SENT);
    return message;
  }

  /** `patch`: messages recalled or edited by their senders. */
  async #onPatch(command: DecodedCommand): Promise<void> {
    const items = command.patchMessage?.patches ?? [];
    for (const item of items) {
      const patch = await receivedPatch(item, (raw) => this.#context.parseMessage(raw));
      if (!patch) continue;
      this.#context.patched(patch.patchTime);
      const conversation = await this.#context.conversationFor(patch.cid);
      if (conversation.lastMessage?.id === patch.message.id) conversation.lastMessage = patch.message;
      if (patch.recall) {
        this.#client.emit('messagerecall', patch.message, conversation);
        conversation.emit('messagerecall', patch.message);
      } else {
        this.#client.emit('messageupdate', patch.message, conversation);
        conversation.emit('messageupdate', patch.message);
      }
    }
  }

  #onSessionClosed(command: DecodedCommand): void {
    const session = command.sessionMessage;
    this.#context.closedByServer(session?.code ?? 0, session?.reason || undefined);
  }
}

/**
 * Whether `message` came after `than` in the conversation: a later time, or
 * the same millisecond and a later id (ids sort in the order the server made
 * them). By time alone, a hole filled by a catch-up replaced the message sent
 * after it in the same millisecond as the last one.
 */
function isLater(message: Message, than: Message): boolean {
  const [a, b] = [message.timestamp.getTime(), than.timestamp.getTime()];
  return a > b || (a === b && message.id > than.id);
}
