import { randomBytes } from 'node:crypto';
import { CommandType, has, type IDirectCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Handler } from './context.js';
import { push } from './push.js';
import { isValidClientId } from './validate.js';

const MAX_DT_LENGTH = 64;

/**
 * direct: a message to a conversation. Persisted messages are acked only
 * after the store committed them, then pushed to every other session of
 * every member (the sender's other devices included). A retry carrying the
 * same `dt` is acked with the first message and not pushed again.
 */
export const sendMessage: Handler = async (ctx, { command, session }) => {
  const request = command.directMessage;
  if (!request) throw ProtocolError.of('INVALID_MESSAGING_TARGET', 'directMessage is required');
  const cid = request.cid;
  if (!cid) throw ProtocolError.of('INVALID_MESSAGING_TARGET', 'cid is required');
  if (typeof request.msg !== 'string' || request.msg === '') throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', 'msg must be a non-empty string');
  if (request.dt && request.dt.length > MAX_DT_LENGTH) throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', `dt longer than ${MAX_DT_LENGTH}`);
  const mentionPids = request.mentionPids ?? [];
  if (!mentionPids.every(isValidClientId)) throw ProtocolError.of('MESSAGE_REJECTED_BY_APP', 'invalid client id in mentionPids');

  const conversation = await ctx.store.getConversation(session.appId, cid);
  if (!conversation || !conversation.members.includes(session.clientId)) {
    throw ProtocolError.of('INVALID_MESSAGING_TARGET', `${session.clientId} is not a member of ${cid}`);
  }

  const pushed: IDirectCommand = {
    msg: request.msg,
    cid,
    fromPeerId: session.clientId,
    ...(mentionPids.length ? { mentionPids } : {}),
    ...(request.mentionAll ? { mentionAll: true } : {}),
  };
  let id: string;
  let timestamp: number;
  if (request.transient) {
    // Transient messages are never stored: they reach whoever is online now.
    id = randomBytes(16).toString('base64url');
    timestamp = Date.now();
    pushed.transient = true;
  } else {
    const { message, duplicate } = await ctx.store.appendMessage({
      appId: session.appId,
      cid,
      from: session.clientId,
      data: request.msg,
      dt: request.dt || null,
      receipt: request.r === true,
      mentionPids,
      mentionAll: request.mentionAll === true,
    });
    id = message.id;
    timestamp = message.timestamp;
    if (duplicate) return ack(id, timestamp);
  }
  await push(ctx, session.appId, conversation.members, { cmd: CommandType.direct, directMessage: { ...pushed, id, timestamp } }, session.id);
  return ack(id, timestamp);
};

function ack(uid: string, t: number) {
  return { cmd: CommandType.ack, ackMessage: { uid, t } };
}

/** ack (no reply): the client received the conversation's messages up to `tots`. */
export const acknowledgeDelivery: Handler = async (ctx, { command, session }) => {
  const request = command.ackMessage;
  if (!request?.cid || !has(request, 'tots')) return;
  if (!(await ctx.store.isMember(session.appId, request.cid, session.clientId))) return;
  await ctx.store.recordDelivered(session.appId, request.cid, session.clientId, request.tots!);
};
