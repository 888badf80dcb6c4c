import { randomBytes } from 'node:crypto';
import { base64ToBytes, CommandType, type DecodedCommand, type IDirectCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { OrphanedWills } from '../presence/types.js';
import { presenceOf, type Session } from '../session/session.js';
import { applyMessageReceived, notifyReceiversOffline } from '../hooks/message-hooks.js';
import { newMessageId } from '../store/ids.js';
import type { ConversationRecord, MessageRecord, NewMessage } from '../store/types.js';
import { type Payload, storedPayload } from './binary.js';
import { conversationGone, isParticipant, isTemporaryId } from './conv.js';
import type { Handler, ServerContext } from './context.js';
import { push, pushToRoom } from './push.js';
import { MAX_MEMBERS, isValidClientId } from './validate.js';

const MAX_DT_LENGTH = 64;
/** Will messages one session may hold; each is kept in memory until the session ends. */
const MAX_WILLS = 10;

/**
 * direct: a message to a conversation. Persisted messages are acked only
 * after the store committed them, then pushed to every other session of
 * every member (the sender's other devices included). A retry carrying the
 * same `dt` is acked with the first message and not pushed again.
 *
 * Chat-room messages go to the room's online viewers instead, and only
 * there does `GenericCommand.priority` matter: a viewer that reads too
 * slowly misses LOW, then NORMAL ones. Receipts are for conversations only.
 *
 * Transient messages reach who is online now and are never stored. Will
 * messages are acked with their id at once but stored and sent only if
 * the sender's connection drops without a logout (`deliverWills`).
 */
export const sendMessage: Handler = async (ctx, { command, session }) => {
  const checked = checkRequest(ctx, session, command.directMessage);
  const { request, cid, payload, mentionPids } = checked;
  // Cached on this node and dropped on every membership change (membership-cache.ts).
  const conversation = await ctx.membership.conversation(session.appId, cid);
  checkTarget(ctx, session, cid, conversation);
  // Muted by the owner or a manager (mute-members.ts).
  if (!conversation.transient && (await ctx.membership.isShutup(session.appId, cid, session.clientId))) throw mutedError(session, cid);
  const priority = command.priority ?? undefined;
  // The app's messageReceived hook may drop the message (throws) or change its content.
  const content = await applyMessageReceived(ctx, conversation, session.clientId, payload, request.transient === true);

  if (request.transient) {
    const id = randomBytes(16).toString('base64url');
    const timestamp = Date.now();
    const pushed = { ...directOf({ cid, id, timestamp, from: session.clientId, ...content, mentionPids, mentionAll: request.mentionAll === true, patchTimestamp: null }), transient: true };
    await deliver(ctx, conversation, pushed, { excludeSessionId: session.id, priority });
    return ack(id, timestamp);
  }

  const input = newMessageOf(session, checked, content, conversation);
  if (request.will) {
    if (session.wills.length >= MAX_WILLS) throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', `at most ${MAX_WILLS} will messages per session`);
    const id = newMessageId();
    session.wills.push({ message: { ...input, id }, priority });
    // Held by the presence too: if this node dies, another delivers them.
    ctx.presence.setWills(presenceOf(session), session.wills);
    return ack(id, Date.now());
  }
  const message = await publish(ctx, conversation, input, { excludeSessionId: session.id, priority });
  notifyReceiversOffline(ctx, conversation, message, request.pushData);
  return ack(message.id, message.timestamp);
};

type DirectRequest = NonNullable<DecodedCommand['directMessage']>;

/** A `direct` request's own fields, checked; its sender's rate budget is charged. */
export interface CheckedRequest {
  request: DirectRequest;
  cid: string;
  payload: Payload;
  mentionPids: string[];
}

/**
 * The checks of a `direct` that need no store, in the order the client
 * sees their errors (the per-message path and the batch share them).
 * Charges the sender's messages-per-second budget.
 */
export function checkRequest(ctx: ServerContext, session: Session, request: DirectRequest | null | undefined): CheckedRequest {
  if (!request) throw ProtocolError.of('INVALID_MESSAGING_TARGET', 'directMessage is required');
  checkMessageRate(ctx, session);
  const cid = request.cid;
  if (!cid) throw ProtocolError.of('INVALID_MESSAGING_TARGET', 'cid is required');
  // Text (‘msg’) or bytes (v4 ‘binaryMsg’), one of them; the frame size bounds both alike.
  const payload = storedPayload(request.msg, request.binaryMsg);
  if (!payload) throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', 'either msg (a non-empty string) or binaryMsg (non-empty bytes) is required');
  if (request.dt && request.dt.length > MAX_DT_LENGTH) throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', `dt longer than ${MAX_DT_LENGTH}`);
  const mentionPids = request.mentionPids ?? [];
  if (!mentionPids.every(isValidClientId)) throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', 'invalid client id in mentionPids');
  // Each mention is a write (unread ‘mentioned’): no more than a conversation has members.
  if (mentionPids.length > MAX_MEMBERS) throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', `more than ${MAX_MEMBERS} mentionPids`);
  return { request, cid, payload, mentionPids };
}

/** That the sender may write to the conversation (muting aside: `mutedError`). */
export function checkTarget(ctx: ServerContext, session: Session, cid: string, conversation: ConversationRecord | undefined): asserts conversation is ConversationRecord {
  // An expired temporary conversation: LeanCloud's own error (4.x maps 4303 to it too).
  if (!conversation && isTemporaryId(cid)) throw conversationGone(cid);
  if (!conversation || !isParticipant(ctx, session, conversation)) {
    throw ProtocolError.of('INVALID_MESSAGING_TARGET', `${session.clientId} is not a member of ${cid}`);
  }
  // Subscribers read a system conversation; only the server (master key) writes into it.
  if (conversation.system) throw ProtocolError.of('CONVERSATION_READ_ONLY', `${cid} is a system conversation: clients may not send to it`);
}

export function mutedError(session: Session, cid: string): ProtocolError {
  return ProtocolError.of('SILIENCED', `${session.clientId} is muted in ${cid}`);
}

/** The message to store for a checked request, with its (hook-approved) content. */
export function newMessageOf(session: Session, { request, cid, mentionPids }: CheckedRequest, content: Payload, conversation: ConversationRecord): NewMessage {
  const input: NewMessage = {
    appId: session.appId,
    cid,
    from: session.clientId,
    data: content.data,
    dt: request.dt || null,
    receipt: request.r === true && !conversation.transient,
    mentionPids,
    mentionAll: request.mentionAll === true,
  };
  if (content.binary) input.binary = true;
  return input;
}

/**
 * The sender's connection dropped without a logout (or its node died, and
 * the presence handed its wills to this node): its will messages go out now.
 */
export async function deliverWills(ctx: ServerContext, { appId, clientId, wills }: OrphanedWills): Promise<void> {
  for (const { message, priority } of wills) {
    // A will speaks only for the client that left it.
    if (message.appId !== appId || message.from !== clientId) continue;
    const conversation = await ctx.store.getConversation(message.appId, message.cid);
    // A member who left meanwhile has nothing more to say there.
    if (!conversation || (!conversation.transient && !conversation.members.includes(message.from))) continue;
    await publish(ctx, conversation, message, { priority });
  }
}

/** Stores a message (once per `dt`) and pushes it to the members or the room's viewers. */
export async function publish(
  ctx: ServerContext,
  conversation: ConversationRecord,
  input: NewMessage,
  options: { excludeSessionId?: string; priority: number | undefined },
): Promise<MessageRecord> {
  const { message, duplicate } = await ctx.store.appendMessage(input);
  if (!duplicate) await deliver(ctx, conversation, directOf(message), options);
  return message;
}

export async function deliver(
  ctx: ServerContext,
  conversation: ConversationRecord,
  directMessage: IDirectCommand,
  options: { excludeSessionId?: string; priority: number | undefined },
): Promise<void> {
  const command = { cmd: CommandType.direct, directMessage };
  if (conversation.transient) {
    await pushToRoom(ctx, conversation.appId, conversation.id, command, { excludeSessionId: options.excludeSessionId, priority: options.priority });
  } else {
    await push(ctx, conversation.appId, conversation.members, command, options.excludeSessionId);
  }
}

/** A stored message as `direct` pushes it. Built field by field: it runs once per message sent. */
export function directOf(message: Pick<MessageRecord, 'cid' | 'id' | 'timestamp' | 'from' | 'data' | 'binary' | 'mentionPids' | 'mentionAll' | 'patchTimestamp'>): IDirectCommand {
  const direct: IDirectCommand = message.binary ? { binaryMsg: base64ToBytes(message.data) } : { msg: message.data };
  direct.cid = message.cid;
  direct.id = message.id;
  direct.fromPeerId = message.from;
  direct.timestamp = message.timestamp;
  if (message.mentionPids.length) direct.mentionPids = message.mentionPids;
  if (message.mentionAll) direct.mentionAll = true;
  if (message.patchTimestamp !== null) direct.patchTimestamp = message.patchTimestamp;
  return direct;
}

/** The sender's messages-per-second budget (`messagesPerSecond`), per client: a flooder never slows its neighbours. */
function checkMessageRate(ctx: ServerContext, session: Session): void {
  const wait = ctx.quotas.messages?.take(`${session.appId}\u0000${session.clientId}`) ?? 0;
  if (wait > 0) throw ProtocolError.of('MESSAGE_SENT_QUOTA_EXCEEDED', `at most ${ctx.config.messagesPerSecond} messages per second per client; retry in ${wait} ms`);
}

export function ack(uid: string, t: number) {
  return { cmd: CommandType.ack, ackMessage: { uid, t } };
}
