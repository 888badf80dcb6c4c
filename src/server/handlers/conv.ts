import { CommandType, OpType, has } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { queryQuotaOf } from '../query/query-quota.js';
import { queryTurnsOf } from '../query/query-turns.js';
import { queryBudget, queryViewer, whereLimits } from '../query/viewer.js';
import { parseSort, parseWhere } from '../query/where.js';
import type { Session } from '../session/session.js';
import type { ConversationRecord, MemberEvents } from '../store/types.js';
import type { Handler, ServerContext } from './context.js';
import { checkNewAttributes } from './attributes.js';
import { conversationJson, publicConversationJson } from './conversation-json.js';
import { verifyConversationSignature } from './conversation-signature.js';
import { notifyConversationStarted } from '../hooks/conversation-hooks.js';
import { pushRecorded } from './notify.js';
import { MAX_MEMBERS, memberList, parseJsonObject } from './validate.js';
import { objectIdsOf } from '../session/ack-gate.js';

/** Keys the server owns; a client cannot set them as custom attributes. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'objectId', 'm', 'c', 'mu', 'tr', 'sys', 'lm', 'unique', 'uniqueId', 'createdAt', 'updatedAt',
  'msg', 'msg_from', 'msg_mid', 'msg_timestamp', 'patch_timestamp', 'bin', 'ttl', 'ACL',
]);
const DEFAULT_QUERY_LIMIT = 10;
const MAX_QUERY_LIMIT = 1000;
const FLAG_COMPACT = 1;
const FLAG_LAST_MESSAGE = 2;
/** LeanCloud's default and maximum life of a temporary conversation (the 4.x SDK's docs): one day, in seconds. */
export const TEMP_CONV_MAX_TTL = 86_400;
/** Temporary conversations one `tempConvIds` query may name. */
const MAX_TEMP_CONV_IDS = 100;
const TEMP_CONV_PREFIX = '_tmp:';

/** conv/start: creates a conversation (or finds the `unique` one with the same members). */
export const startConversation: Handler = async (ctx, { command, session }) => {
  const request = command.convMessage ?? {};
  const attributes = parseJsonObject(request.attr?.data, 'CONVERSATION_API_FAILED', 'attr');
  for (const key of Object.keys(attributes)) {
    if (RESERVED_KEYS.has(key)) throw ProtocolError.of('CONVERSATION_API_FAILED', `attribute ${key} is reserved`);
  }
  const { name = null, ...custom } = attributes;
  if (name !== null && typeof name !== 'string') throw ProtocolError.of('CONVERSATION_API_FAILED', 'name must be a string');
  checkNewAttributes(ctx, name, custom);

  await verifyConversationSignature(ctx, session, null, request, 'create');
  const transient = request.transient === true;
  const ttl = request.tempConv === true ? temporaryTtl(request.tempConvTTL, transient) : undefined;
  // A chat room keeps no member list: its creator is its first online viewer.
  const members = transient ? [] : memberList([...(request.m ?? []), session.clientId], 'CONVERSATION_API_FAILED');
  if (members.length > MAX_MEMBERS) throw ProtocolError.of('CONVERSATION_FULL', `at most ${MAX_MEMBERS} members, got ${members.length}`);
  // Counted per client, valid requests only: what it costs is the store write and the joined pushes.
  const wait = ctx.quotas.conversationCreates.take(`${session.appId}\u0000${session.clientId}`);
  if (wait > 0) {
    const { perMinute } = ctx.quotas.conversationCreates;
    throw ProtocolError.of('CONVERSATION_API_QUOTA_EXCEEDED', `at most ${perMinute} conversations per minute per client; retry in ${Math.ceil(wait / 1000)} s`);
  }

  // Recorded with the conversation itself (one transaction): the others are invited.
  const invitations: MemberEvents = ({ conversation: created }) => [
    { recipients: created.members.filter((id) => id !== session.clientId), event: { op: 'joined', cid: created.id, initBy: session.clientId } },
  ];
  const { conversation, notifications, created } = await ctx.store.createConversation({
    appId: session.appId,
    creator: session.clientId,
    members,
    name,
    transient,
    system: false,
    unique: request.unique === true && !transient && ttl === undefined,
    attributes: custom,
    ...(ttl !== undefined ? { expiresAt: Date.now() + ttl * 1000 } : {}),
  }, invitations);
  if (transient) ctx.rooms.host(session, conversation.id);
  else await pushRecorded(ctx, session.appId, notifications);
  if (created) notifyConversationStarted(ctx, conversation);
  return {
    cmd: CommandType.conv,
    op: OpType.started,
    convMessage: { cid: conversation.id, cdate: new Date(conversation.createdAt).toISOString(), ...(ttl !== undefined ? { tempConvTTL: ttl } : {}) },
  };
};

/**
 * A temporary conversation's life in seconds: absent or 0 is the default,
 * more than the maximum is the maximum (both one day, as LeanCloud's).
 */
function temporaryTtl(requested: number | null | undefined, transient: boolean): number {
  if (transient) throw ProtocolError.of('CONVERSATION_API_FAILED', 'a chat room cannot be temporary');
  const ttl = requested ?? 0;
  if (!Number.isInteger(ttl) || ttl < 0) throw ProtocolError.of('CONVERSATION_API_FAILED', `tempConvTTL must be 0..${TEMP_CONV_MAX_TTL} seconds, got ${ttl}`);
  return ttl === 0 ? TEMP_CONV_MAX_TTL : Math.min(ttl, TEMP_CONV_MAX_TTL);
}

/** Whether `cid` names a temporary conversation. */
export function isTemporaryId(cid: string): boolean {
  return cid.startsWith(TEMP_CONV_PREFIX);
}

/** The error for a conversation that is not there: for a temporary one, LeanCloud's "expired". */
export function conversationGone(cid: string): ProtocolError {
  return isTemporaryId(cid)
    ? ProtocolError.of('TEMPORARY_CONVERSATION_EXPIRED', `temporary conversation ${cid} expired or does not exist`)
    : ProtocolError.of('CONVERSATION_NOT_FOUND', `no conversation ${cid}`);
}

/**
 * conv/query with `tempConvIds` (4.x ‘getConversation('_tmp:…')’): the named
 * temporary conversations the client is a member of and that are alive,
 * with their remaining ‘ttl’. Others' and expired ones are left out.
 */
async function queryTemporaryConversations(ctx: ServerContext, session: Session, ids: readonly string[]) {
  if (ids.length > MAX_TEMP_CONV_IDS) throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `at most ${MAX_TEMP_CONV_IDS} tempConvIds, got ${ids.length}`);
  const json: Record<string, unknown>[] = [];
  for (const cid of new Set(ids)) {
    if (typeof cid !== 'string' || !isTemporaryId(cid)) continue;
    const conversation = await ctx.store.getConversation(session.appId, cid);
    if (conversation?.expiresAt === undefined || !conversation.members.includes(session.clientId)) continue;
    json.push(conversationJson(conversation, { compact: false, withLastMessage: true }));
  }
  return { cmd: CommandType.conv, op: OpType.results, convMessage: { results: { data: JSON.stringify(json) } } };
}

/** conv/query: conversations matching a `where`, as `_Conversation` JSON. */
export const queryConversations: Handler = async (ctx, { command, session }) => {
  const request = command.convMessage ?? {};
  if (request.tempConvIds?.length) {
    // An official SDK fetching conversations: their pushes may wait for its acks (session/ack-gate.ts).
    session.ackGate?.asked(request.tempConvIds);
    return queryTemporaryConversations(ctx, session, request.tempConvIds);
  }
  const limit = has(request, 'limit') ? request.limit! : DEFAULT_QUERY_LIMIT;
  const skip = has(request, 'skip') ? request.skip! : 0;
  if (limit < 0 || skip < 0) throw ProtocolError.of('CONVERSATION_QUERY_FAILED', 'limit and skip must not be negative');
  const flag = request.flag ?? 0;
  const where = parseWhere(request.where?.data, whereLimits(ctx.config));
  const sort = parseSort(request.sort);
  const gate = session.ackGate;
  const named = gate ? objectIdsOf(request.where?.data) : [];
  gate?.asked(named);
  // The store returns only what this client may find (and lets it query
  // only by what it may see); the rows of conversations it is not in are
  // then cut down to their public view.
  const viewer = queryViewer(ctx.config, session.appId, session.clientId);
  const client = `${session.appId}/${session.clientId}`;
  const quota = queryQuotaOf(ctx, ctx.config.maxQueryMsPerMinute);
  quota.check(client);
  const results =
    limit === 0
      ? []
      : await queryTurnsOf(ctx).run(client, () => {
          // Checked again: the query may have waited for its turn.
          quota.check(client);
          return ctx.store.findConversations({
            appId: session.appId,
            where,
            sort,
            limit: Math.min(limit, MAX_QUERY_LIMIT),
            skip,
            viewer,
            budget: { ...queryBudget(ctx.config), spent: (ms) => quota.charge(client, ms) },
          });
        }, JSON.stringify([request.where?.data, request.sort, limit, skip]));
  // A query naming no id: the SDK caches what its reply lists.
  if (named.length === 0 && gate?.awaitsAcks) gate.asked(results.map((conversation) => conversation.id));
  const json = results.map((conversation) =>
    conversation.members.includes(session.clientId)
      ? conversationJson(conversation, { compact: (flag & FLAG_COMPACT) !== 0, withLastMessage: (flag & FLAG_LAST_MESSAGE) !== 0 })
      : publicConversationJson(conversation, { shared: viewer.open || conversation.transient, privateAttributes: viewer.privateAttributes }),
  );
  return { cmd: CommandType.conv, op: OpType.results, convMessage: { results: { data: JSON.stringify(json) } } };
};

/**
 * conv/count: the number of members; for a chat room, of clients online in
 * it. Like queries: for members and chat rooms, or anyone where the app's
 * queries are open.
 */
export const countMembers: Handler = async (ctx, { command, session }) => {
  const conversation = await requireConversation(ctx, session.appId, command.convMessage?.cid);
  if (!conversation.transient && !conversation.members.includes(session.clientId) && !queryViewer(ctx.config, session.appId, session.clientId).open) {
    throw ProtocolError.of('CONVERSATION_MEMBERSHIP_REQUIRED', `${session.clientId} is not a member of ${conversation.id}`);
  }
  const count = conversation.transient ? await ctx.presence.roomCount(session.appId, conversation.id) : conversation.members.length;
  return { cmd: CommandType.conv, op: OpType.result, convMessage: { count } };
};

/** A member, or for a chat room a viewer: whoever may send to and read the conversation. */
export function isParticipant(ctx: ServerContext, session: Session, conversation: ConversationRecord): boolean {
  return conversation.transient ? ctx.rooms.isIn(session, conversation.id) : conversation.members.includes(session.clientId);
}

export async function requireConversation(ctx: ServerContext, appId: string, cid: string | null | undefined): Promise<ConversationRecord> {
  if (!cid) throw ProtocolError.of('CONVERSATION_NOT_FOUND', 'cid is required');
  const conversation = await ctx.store.getConversation(appId, cid);
  if (!conversation) throw conversationGone(cid);
  return conversation;
}
