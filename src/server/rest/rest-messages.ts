/**
 * Server-side REST: messages. Sending as any client goes through the same
 * `publish` as a WebSocket `direct` (stored once, acked after commit,
 * pushed to the online members or the room's viewers, unread and offline
 * delivery by sequence), history reads the store page by page within
 * `maxReplyBytes`, and edits and recalls push `patch/modify` as
 * patch.ts does.
 */
import { randomBytes } from 'node:crypto';
import { CommandType, OpType } from '../../protocol/codec.js';
import type { ServerContext } from '../handlers/context.js';
import { deliver, directOf, publish } from '../handlers/direct.js';
import { patchItem } from '../handlers/patch.js';
import { push, pushToRoom } from '../handlers/push.js';
import { pageWithin } from '../handlers/logs.js';
import { isValidClientId, MAX_MEMBERS } from '../handlers/validate.js';
import type { ConversationRecord, HistoryBound, MessageRecord } from '../store/types.js';
import { requireKind, type ConversationKind } from './rest-conversations.js';
import { RestFailure } from './rest-request.js';

/** `priority` as LeanCloud's REST API names it; the protocol's HIGH, NORMAL and LOW. */
const PRIORITIES: Record<string, number> = { high: 1, normal: 2, low: 3 };
/** Bytes of `push_data` kept with a message for the receiversOffline hook. */
export const MAX_PUSH_DATA_BYTES = 4096;
const DEFAULT_HISTORY = 100;
const MAX_HISTORY = 1000;
/** Room the pushed frame needs besides the message's own bytes (ids, timestamps, field tags). */
const FRAME_OVERHEAD = 512;
const MESSAGE_ID = /^[\w-]{1,64}$/;

/** What a send carries besides the message, for hooks. */
export interface SentMessage {
  message: MessageRecord | { id: string; timestamp: number };
  conversation: ConversationRecord;
  pushData: string | undefined;
}

function requireSender(body: Record<string, unknown>): string {
  if (!isValidClientId(body.from_client)) throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', 'from_client must be a client id (1-64 characters)');
  return body.from_client;
}

/** The message text, within what one WebSocket frame may carry. */
function requireMessage(ctx: ServerContext, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', 'message must be a non-empty string');
  const limit = ctx.config.maxPayload - FRAME_OVERHEAD;
  if (Buffer.byteLength(value) > limit) throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', `message larger than ${limit} bytes`);
  return value;
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean {
  const value = body[key];
  if (value !== undefined && typeof value !== 'boolean') throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', `${key} must be true or false`);
  return value === true;
}

/** `push_data` as text (a JSON object is serialised), bounded in bytes. */
export function parsePushData(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : undefined;
  if (text === undefined) throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', 'push_data must be a string or a JSON object');
  if (Buffer.byteLength(text) > MAX_PUSH_DATA_BYTES) throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', `push_data larger than ${MAX_PUSH_DATA_BYTES} bytes`);
  return text;
}

/**
 * `POST /1.2/rtm/{kind}/{id}/messages`: `{from_client, message, transient,
 * no_sync, push_data, priority, mention_all, mention_client_ids}` →
 * `{"msg-id", timestamp}`. As LeanCloud's: the master key may send as any
 * client, member or not. The sender's own online sessions get the message
 * too unless `no_sync`. System conversations take `broadcast` instead.
 */
export async function sendMessage(ctx: ServerContext, appId: string, kind: ConversationKind, cid: string, body: Record<string, unknown>): Promise<SentMessage> {
  const conversation = await requireKind(ctx, appId, kind, cid);
  return sendInto(ctx, conversation, body);
}

/** `POST /1.2/rtm/service-conversations/{id}/broadcasts` and `POST /1.2/rtm/broadcasts {conv_id}`: to every subscriber. */
export async function broadcast(ctx: ServerContext, appId: string, cid: unknown, body: Record<string, unknown>): Promise<SentMessage> {
  if (typeof cid !== 'string' || !/^[\w:-]{1,128}$/.test(cid)) throw RestFailure.bad('INVALID_MESSAGING_TARGET', 'conv_id must be a system conversation id');
  const conversation = await requireKind(ctx, appId, 'service-conversations', cid);
  const { push: pushData, conv_id: _ignored, ...rest } = body;
  return sendInto(ctx, conversation, { ...rest, push_data: pushData });
}

async function sendInto(ctx: ServerContext, conversation: ConversationRecord, body: Record<string, unknown>): Promise<SentMessage> {
  const from = requireSender(body);
  const data = requireMessage(ctx, body.message);
  const transient = optionalBoolean(body, 'transient');
  const noSync = optionalBoolean(body, 'no_sync');
  const mentionAll = optionalBoolean(body, 'mention_all');
  const pushData = parsePushData(body.push_data);
  const mentions = body.mention_client_ids ?? [];
  if (!Array.isArray(mentions) || !mentions.every(isValidClientId)) throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', 'mention_client_ids must be an array of client ids');
  if (mentions.length > MAX_MEMBERS) throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', `more than ${MAX_MEMBERS} mention_client_ids`);
  const priorityName = body.priority ?? 'normal';
  const priority = typeof priorityName === 'string' ? PRIORITIES[priorityName.toLowerCase()] : undefined;
  if (priority === undefined) throw RestFailure.bad('MESSAGE_REJECTED_BY_APP', 'priority must be high, normal or low');
  // no_sync: the sender's own sessions are left out, as its own device would be.
  const audience = noSync ? { ...conversation, members: conversation.members.filter((id) => id !== from) } : conversation;
  const options = { priority: conversation.transient || transient ? priority : undefined };
  if (transient) {
    const message = { cid: conversation.id, id: randomBytes(16).toString('base64url'), timestamp: Date.now(), from, data, mentionPids: mentions, mentionAll, patchTimestamp: null };
    await deliver(ctx, audience, { ...directOf(message), transient: true }, options);
    return { message, conversation, pushData };
  }
  const message = await publish(ctx, audience, { appId: conversation.appId, cid: conversation.id, from, data, dt: null, receipt: false, mentionPids: mentions, mentionAll }, options);
  return { message, conversation, pushData };
}

/** The `{"msg-id", timestamp}` LeanCloud answers a send with. */
export function sentJson({ message }: SentMessage): Record<string, unknown> {
  return { 'msg-id': message.id, timestamp: message.timestamp };
}

function numberParam(params: URLSearchParams, key: string, fallback: number): number {
  const value = params.get(key);
  if (value === null || value === '') return fallback;
  if (!/^\d{1,16}$/.test(value)) throw RestFailure.bad('CONVERSATION_LOG_FAILED', `${key} must be a whole number`);
  return Number(value);
}

function booleanParam(params: URLSearchParams, key: string): boolean {
  const value = params.get(key);
  if (value === null || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw RestFailure.bad('CONVERSATION_LOG_FAILED', `${key} must be true or false`);
}

function messageIdParam(params: URLSearchParams, key: string): string | undefined {
  const value = params.get(key);
  if (value === null || value === '') return undefined;
  if (!MESSAGE_ID.test(value)) throw RestFailure.bad('CONVERSATION_LOG_FAILED', `${key} is not a message id`);
  return value;
}

/**
 * `GET /1.2/rtm/{kind}/{id}/messages?timestamp&msgid&till_timestamp&till_msgid&include_start&include_stop&reversed&limit`:
 * newest first from `timestamp` (default now) down to `till_timestamp`,
 * or with `reversed` oldest first; at most `limit` (1..1000, default 100)
 * and at most maxReplyBytes of messages.
 */
export async function history(ctx: ServerContext, appId: string, kind: ConversationKind, cid: string, params: URLSearchParams): Promise<Record<string, unknown>[]> {
  const conversation = await requireKind(ctx, appId, kind, cid);
  const limit = numberParam(params, 'limit', DEFAULT_HISTORY);
  if (limit < 1 || limit > MAX_HISTORY) throw RestFailure.bad('CONVERSATION_LOG_FAILED', `limit must be 1..${MAX_HISTORY}`);
  const reversed = booleanParam(params, 'reversed');
  const bound = (timestamp: number, messageId: string | undefined, inclusive: boolean): HistoryBound | undefined =>
    timestamp > 0 ? { timestamp, inclusive, ...(messageId ? { messageId } : {}) } : undefined;
  const start = bound(numberParam(params, 'timestamp', 0), messageIdParam(params, 'msgid'), booleanParam(params, 'include_start'));
  const end = bound(numberParam(params, 'till_timestamp', 0), messageIdParam(params, 'till_msgid'), booleanParam(params, 'include_stop'));
  // Read in chunks within maxReplyBytes, as a logs reply is: a page of large messages never loads much more than it answers.
  const page = await pageWithin(ctx.store, { appId, cid, limit, direction: reversed ? 'new' : 'old', ...(start ? { start } : {}), ...(end ? { end } : {}) }, ctx.config.maxReplyBytes);
  // Ascending from the store; LeanCloud answers newest first unless reversed.
  return (reversed ? page : page.reverse()).map((message) => historyJson(conversation, message));
}

function historyJson(conversation: ConversationRecord, message: MessageRecord): Record<string, unknown> {
  return {
    timestamp: message.timestamp,
    'conv-id': conversation.id,
    data: message.data,
    from: message.from,
    'msg-id': message.id,
    'is-conv': !conversation.transient,
    'is-room': conversation.transient,
    to: conversation.id,
    bin: message.binary === true,
    ...(message.patchTimestamp !== null ? { 'patch-timestamp': message.patchTimestamp } : {}),
    ...(message.mentionAll ? { 'mention-all': true } : {}),
    ...(message.mentionPids.length ? { 'mention-pids': message.mentionPids } : {}),
  };
}

/**
 * `PUT /1.2/rtm/{kind}/{id}/messages/{mid}` `{from_client, message}` edits,
 * `PUT …/{mid}/recall` `{from_client}` recalls: only as the message's
 * sender (the store refuses others, 4403), pushed as `patch/modify`.
 */
export async function patchMessage(ctx: ServerContext, appId: string, kind: ConversationKind, cid: string, mid: string, body: Record<string, unknown>, recall: boolean): Promise<Record<string, unknown>> {
  if (!MESSAGE_ID.test(mid)) throw new RestFailure(404, 4404, `no message ${mid.slice(0, 64)}`);
  const conversation = await requireKind(ctx, appId, kind, cid);
  const from = requireSender(body);
  const data = recall ? null : requireMessage(ctx, body.message);
  const patched = await ctx.store.patchMessage({ appId, cid, id: mid, from, data, mentionPids: [], mentionAll: false });
  const pushed = { cmd: CommandType.patch, op: OpType.modify, patchMessage: { patches: [patchItem(patched)] } };
  if (conversation.transient) await pushToRoom(ctx, appId, cid, pushed, { priority: 1 });
  else await push(ctx, appId, conversation.members, pushed);
  return { 'msg-id': patched.id, timestamp: patched.timestamp, 'patch-timestamp': patched.patchTimestamp };
}
