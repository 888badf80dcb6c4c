/**
 * Server-side REST: conversations, chat rooms and system conversations
 * (LeanCloud's `/1.2/rtm/conversations`, `/chatrooms`, `/service-conversations`):
 * create, read, update, add and remove members. The master key acts as
 * the operator: it may change any conversation, but every limit of the
 * WebSocket side holds (ids' shapes, members per conversation, attribute
 * bytes and depth, the blocklist), and members get the same pushes and
 * recorded events as when a client does it.
 */
import { CommandType, OpType } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { attributeLimits, checkNewAttributes, parseUpdate } from '../handlers/attributes.js';
import { RESERVED_KEYS } from '../handlers/conv.js';
import { conversationJson } from '../handlers/conversation-json.js';
import type { ServerContext } from '../handlers/context.js';
import { notifyConversationStarted, notifyMembersChanged } from '../hooks/conversation-hooks.js';
import { memberEvents } from '../handlers/members.js';
import { conversationChanged } from '../handlers/membership-cache.js';
import { pushRecorded } from '../handlers/notify.js';
import { push, pushToRoom } from '../handlers/push.js';
import { isValidClientId, MAX_MEMBERS, memberList } from '../handlers/validate.js';
import { queryBudget, whereLimits } from '../query/viewer.js';
import { parseSort, parseWhere } from '../query/where.js';
import type { ConversationRecord, MemberEvents } from '../store/types.js';
import { RestFailure } from './rest-request.js';

/** The three families of LeanCloud's REST paths, by what they hold. */
export type ConversationKind = 'conversations' | 'chatrooms' | 'service-conversations';

/** Client ids one members call may name, as LeanCloud's REST API allows. */
const MAX_IDS_PER_CALL = 100;

function kindOf(conversation: ConversationRecord): ConversationKind {
  return conversation.transient ? 'chatrooms' : conversation.system ? 'service-conversations' : 'conversations';
}

/** The conversation of this app and this kind, else 404 (another app's or another kind's ids look unknown). */
export async function requireKind(ctx: ServerContext, appId: string, kind: ConversationKind, cid: string): Promise<ConversationRecord> {
  const conversation = await ctx.store.getConversation(appId, cid);
  if (!conversation || kindOf(conversation) !== kind) throw new RestFailure(404, 4401, `no ${kind.replace(/s$/, '')} ${cid}`);
  return conversation;
}

/** The conversation as the SDKs and LeanCloud's REST API show it (`objectId`, `m`, `tr`, `sys`…, custom attributes at the top). */
export function restConversationJson(conversation: ConversationRecord): Record<string, unknown> {
  return conversationJson(conversation, { withLastMessage: true });
}

/**
 * `POST /1.2/rtm/{kind}`: `{name, m, unique, c, …custom attributes}`.
 * `c` (optional) names the creator, who becomes a member and the owner;
 * without it the conversation has no owner. Chat rooms and system
 * conversations start without members.
 */
export async function createConversation(ctx: ServerContext, appId: string, kind: ConversationKind, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { name = null, m = [], unique = false, c, ...custom } = body;
  if (name !== null && typeof name !== 'string') throw RestFailure.bad('CONVERSATION_API_FAILED', 'name must be a string');
  if (!Array.isArray(m)) throw RestFailure.bad('CONVERSATION_API_FAILED', 'm must be an array of client ids');
  if (typeof unique !== 'boolean') throw RestFailure.bad('CONVERSATION_API_FAILED', 'unique must be true or false');
  if (c !== undefined && !isValidClientId(c)) throw RestFailure.bad('CONVERSATION_API_FAILED', 'c must be a client id (1-64 characters)');
  for (const key of Object.keys(custom)) {
    if (RESERVED_KEYS.has(key)) throw RestFailure.bad('CONVERSATION_API_FAILED', `attribute ${key} is reserved`);
  }
  checkNewAttributes(ctx, name, custom);
  const creator = typeof c === 'string' ? c : '';
  const kept = kind === 'conversations';
  if (!kept && m.length > 0) throw RestFailure.bad('CONVERSATION_API_FAILED', `${kind} start without members: clients join them`);
  const members = kept ? memberList(creator ? [...m, creator] : m, 'CONVERSATION_API_FAILED') : [];
  if (members.length > MAX_MEMBERS) throw RestFailure.bad('CONVERSATION_FULL', `at most ${MAX_MEMBERS} members, got ${members.length}`);
  const invitations: MemberEvents = ({ conversation }) => [
    { recipients: conversation.members.filter((id) => id !== creator), event: { op: 'joined', cid: conversation.id, initBy: creator } },
  ];
  const { conversation, notifications, created } = await ctx.store.createConversation(
    { appId, creator, members, name, transient: kind === 'chatrooms', system: kind === 'service-conversations', unique: unique && kept, attributes: custom },
    invitations,
  );
  await pushRecorded(ctx, appId, notifications);
  if (created) notifyConversationStarted(ctx, conversation);
  return restConversationJson(conversation);
}

/**
 * `PUT /1.2/rtm/{kind}/{id}`: `{name, "attr.k": v, topic: v}` as conv/update
 * takes them; the participants get the same `updated` push.
 */
export async function updateConversation(ctx: ServerContext, appId: string, kind: ConversationKind, cid: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const conversation = await requireKind(ctx, appId, kind, cid);
  const update = { ...parseUpdate(body), limits: attributeLimits(ctx) };
  if (update.name === undefined && update.attributes.length === 0) throw RestFailure.bad('CONVERSATION_UPDATE_FAILED', 'nothing to update');
  const updated = await ctx.store.updateConversation(appId, cid, update);
  const pushed = { cmd: CommandType.conv, op: OpType.updated, convMessage: { cid, attr: { data: JSON.stringify(body) }, initBy: conversation.creator } };
  if (conversation.transient) await pushToRoom(ctx, appId, cid, pushed, { priority: 1 });
  else await push(ctx, appId, updated.members, pushed);
  return { objectId: cid, updatedAt: new Date(updated.updatedAt).toISOString() };
}

/**
 * `POST` / `DELETE /1.2/rtm/{kind}/{id}/members`: `{client_ids: [...]}`.
 * Invited and removed clients and the members get `joined`/`left` and
 * `members_joined`/`members_left`, recorded for those offline, with the
 * creator as the one who did it. A client the conversation blocked
 * cannot be added (as on the WebSocket side). Chat rooms have no member
 * list: viewers walk in and out.
 */
export async function changeMembers(ctx: ServerContext, appId: string, kind: ConversationKind, cid: string, body: Record<string, unknown>, action: 'add' | 'remove'): Promise<Record<string, unknown>> {
  const conversation = await requireKind(ctx, appId, kind, cid);
  if (conversation.transient) throw RestFailure.bad('CONVERSATION_NOT_ALLOWED', 'a chat room has no member list: clients join and leave it themselves');
  const { client_ids: given } = body;
  if (!Array.isArray(given) || given.length === 0) throw RestFailure.bad('CONVERSATION_API_FAILED', 'client_ids must be a non-empty array of client ids');
  if (given.length > MAX_IDS_PER_CALL) throw RestFailure.bad('CONVERSATION_API_FAILED', `at most ${MAX_IDS_PER_CALL} client_ids per call`);
  const ids = memberList(given, 'CONVERSATION_API_FAILED');
  if (action === 'add') {
    const blocked = await ctx.store.blockedAmong(appId, cid, ids);
    if (blocked.length > 0) throw RestFailure.bad('CONVERSATION_BLACKLISTED', `blocked in ${cid}: ${blocked.join(', ')}`);
  }
  const events = memberEvents(conversation.creator, action);
  const change = action === 'add' ? await ctx.store.addMembers(appId, cid, ids, MAX_MEMBERS, events) : await ctx.store.removeMembers(appId, cid, ids, events);
  await pushRecorded(ctx, appId, change.notifications);
  notifyMembersChanged(ctx, change.conversation, action, conversation.creator, change.changed);
  return { objectId: cid, updatedAt: new Date(change.conversation.updatedAt).toISOString(), m: change.conversation.members };
}

/**
 * `DELETE /1.2/rtm/{kind}/{id}`: the conversation and its messages go, as
 * LeanCloud's REST API does it; members are sent nothing (the protocol has
 * no such push), and from then on every command naming it gets 4303
 * CONVERSATION_NOT_FOUND (REST calls 404). Other nodes drop their cached copy through the
 * broker before this answers.
 */
export async function deleteConversation(ctx: ServerContext, appId: string, kind: ConversationKind, cid: string): Promise<Record<string, never>> {
  await requireKind(ctx, appId, kind, cid);
  // Deleted meanwhile by another call: the same 404 as if it had never been.
  if (!(await ctx.store.deleteConversation(appId, cid))) throw new RestFailure(404, 4401, `no ${kind.replace(/s$/, '')} ${cid}`);
  await conversationChanged(ctx, appId, cid);
  return {};
}

/** The `where` that keeps a query to one kind: `_Conversation` marks chat rooms with `tr`, system conversations with `sys`. */
const KIND_FILTER: Record<ConversationKind, Record<string, boolean>> = {
  conversations: { tr: false, sys: false },
  chatrooms: { tr: true },
  'service-conversations': { sys: true },
};
const DEFAULT_LIST = 10;
const MAX_LIST = 1000;

/**
 * `GET /1.2/rtm/{kind}?where=&order=&limit=&skip=`: the app's conversations
 * of that kind matching a LeanCloud `where` (the same parser and limits as
 * conv/query, and the same row and time budget), as `{results: [...]}`.
 * The master key sees every conversation in full.
 */
export async function listConversations(ctx: ServerContext, appId: string, kind: ConversationKind, params: URLSearchParams): Promise<{ results: Record<string, unknown>[] }> {
  const count = (key: string, fallback: number, max: number): number => {
    const value = params.get(key);
    if (value === null || value === '') return fallback;
    if (!/^\d{1,7}$/.test(value) || Number(value) > max) throw RestFailure.bad('CONVERSATION_QUERY_FAILED', `${key} must be 0..${max}`);
    return Number(value);
  };
  const limit = count('limit', DEFAULT_LIST, MAX_LIST);
  const skip = count('skip', 0, 1_000_000);
  const given = params.get('where');
  let where: unknown = {};
  if (given) {
    try {
      where = JSON.parse(given);
    } catch {
      throw RestFailure.bad('CONVERSATION_QUERY_FAILED', 'where is not valid JSON');
    }
  }
  if (where === null || typeof where !== 'object' || Array.isArray(where)) throw RestFailure.bad('CONVERSATION_QUERY_FAILED', 'where must be a JSON object');
  const combined = Object.keys(where).length === 0 ? KIND_FILTER[kind] : { $and: [where, KIND_FILTER[kind]] };
  const results = limit === 0 ? [] : await ctx.store.findConversations({
    appId,
    where: parseWhere(JSON.stringify(combined), whereLimits(ctx.config)),
    sort: parseSort(params.get('order')),
    limit,
    skip,
    budget: queryBudget(ctx.config),
  });
  return { results: results.map(restConversationJson) };
}

/** ProtocolErrors of the shared validation become 400 with their code; "not found" ones 404. */
export function restFailureOf(error: ProtocolError): RestFailure {
  const notFound = error.name === 'CONVERSATION_NOT_FOUND' || error.name === 'MESSAGE_NOT_FOUND' || error.name === 'TEMPORARY_CONVERSATION_EXPIRED';
  const forbidden = error.name === 'MESSAGE_OWNERSHIP_REQUIRED';
  return new RestFailure(notFound ? 404 : forbidden ? 403 : 400, error.code, error.message);
}
