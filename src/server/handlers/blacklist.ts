/**
 * v4's conversation blocklist (`cmd: blacklist`, protocol.md §4.2): block,
 * unblock and query. A kick alone does not stick while the app lets
 * clients join by id (openJoin); a block does: the blocked client can
 * neither join nor be added (members.ts, 4315) until a member unblocks it.
 *
 * Who may: block and unblock, the owner and managers (roles.ts; a
 * manager blocks only plain members); query, any member. Nobody blocks
 * the owner or themselves. Chat
 * rooms have no members to block and system conversations are the
 * server's, so both are refused. Blocking kicks the blocked members
 * (`left` to them, `members_left` to the rest), then tells the blocked
 * `blocked` and the members `members_blocked`; unblocking, `unblocked` and
 * `members_unblocked`. Apps that require signatures want block and unblock
 * signed (`blacklistSignatureFactory`, error 4546).
 */
import { conversationChanged } from './membership-cache.js';
import { CommandType, OpType, type Command } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Session } from '../session/session.js';
import type { ConversationRecord, MemberEvents, RecordedNotification } from '../store/types.js';
import { requireConversation } from './conv.js';
import type { Handler, ServerContext } from './context.js';
import { Failures, memberEvents } from './members.js';
import { pushRecorded } from './notify.js';
import { managersAmong, mayModerate, roleOf } from './roles.js';
import { memberList } from './validate.js';

type Action = 'block' | 'unblock';

/** What each action signs, after `appid:clientid:convid:sorted_member_ids:timestamp:nonce:` (protocol.md §6). */
const SIGNED_ACTION: Record<Action, string> = { block: 'conversation-block-clients', unblock: 'conversation-unblock-clients' };
const DEFAULT_QUERY_LIMIT = 10;
const MAX_QUERY_LIMIT = 100;
/** Ids per block or unblock command, as for member changes. */
const MAX_IDS = 500;

export const blockMembers: Handler = (ctx, { command, session }) => changeBlocklist(ctx, session, command, 'block');

export const unblockMembers: Handler = (ctx, { command, session }) => changeBlocklist(ctx, session, command, 'unblock');

/** blacklist/query: a page of blocked ids, for members. */
export const queryBlocked: Handler = async (ctx, { command, session }) => {
  const request = command.blacklistMessage ?? {};
  const conversation = await requireManageable(ctx, session, request.srcCid);
  const limit = request.limit ? Math.min(Math.max(1, request.limit), MAX_QUERY_LIMIT) : DEFAULT_QUERY_LIMIT;
  const after = request.next || undefined;
  const found = await ctx.store.blockedMembers(session.appId, conversation.id, limit + 1, after);
  const page = found.slice(0, limit);
  return {
    cmd: CommandType.blacklist,
    op: OpType.query_result,
    blacklistMessage: { srcCid: conversation.id, blockedPids: page, ...(found.length > limit ? { next: page.at(-1)! } : {}) },
  };
};

async function changeBlocklist(ctx: ServerContext, session: Session, command: Command, action: Action): Promise<Command> {
  const request = command.blacklistMessage ?? {};
  const ids = memberList(request.toPids ?? [], 'CONVERSATION_API_FAILED');
  if (ids.length === 0) throw ProtocolError.of('CONVERSATION_API_FAILED', 'toPids must name at least one client');
  if (ids.length > MAX_IDS) throw ProtocolError.of('CONVERSATION_API_FAILED', `at most ${MAX_IDS} clients per command`);
  const conversation = await requireManageable(ctx, session, request.srcCid);
  const role = await roleOf(ctx, conversation, session.clientId);
  if (role !== 'Owner' && role !== 'Manager') {
    throw ProtocolError.of('CONVERSATION_OPERATION_UNAUTHORIZED', `only the owner and managers of ${conversation.id} may ${action} clients`);
  }
  await verifyBlacklistSignature(ctx, session, conversation.id, ids, request, action);

  const failures = new Failures();
  if (action === 'block') {
    const managers = await managersAmong(ctx, conversation, ids);
    for (const id of ids) {
      const target = id === conversation.creator ? 'Owner' : managers.has(id) ? 'Manager' : 'Member';
      if (id === session.clientId) failures.add('CONVERSATION_OPERATION_UNAUTHORIZED', id, 'a client cannot block itself');
      else if (!mayModerate(role, target)) failures.add('CONVERSATION_OPERATION_UNAUTHORIZED', id, target === 'Owner' ? 'the owner cannot be blocked' : `a ${role} may not block a ${target}`);
    }
  }
  const allowed = ids.filter((id) => !failures.has(id));
  const initBy = session.clientId;
  let notifications: RecordedNotification[] = [];
  if (allowed.length > 0) {
    notifications =
      action === 'block'
        ? (
            await ctx.store.blockMembers(session.appId, conversation.id, allowed, initBy, ctx.config.maxBlockedPerConversation, {
              removed: memberEvents(initBy, 'remove'),
              listed: listEvents(initBy, 'block'),
            })
          ).notifications
        : (await ctx.store.unblockMembers(session.appId, conversation.id, allowed, listEvents(initBy, 'unblock'))).notifications;
    // Blocking removes members: the direct path's cached view goes before the events.
    await conversationChanged(ctx, session.appId, conversation.id);
  }
  await pushRecorded(ctx, session.appId, notifications);
  return {
    cmd: CommandType.blacklist,
    op: action === 'block' ? OpType.blocked : OpType.unblocked,
    blacklistMessage: { srcCid: conversation.id, allowedPids: allowed, failedPids: failures.toWire() },
  };
}

/** `blocked`/`unblocked` to the clients concerned, `members_*` about them to the members. */
function listEvents(initBy: string, action: Action): MemberEvents {
  return ({ conversation, changed }) => {
    const cid = conversation.id;
    const [self, members] = action === 'block' ? (['blocked', 'members_blocked'] as const) : (['unblocked', 'members_unblocked'] as const);
    return [
      { recipients: changed, event: { op: self, cid, initBy } },
      { recipients: conversation.members, event: { op: members, cid, initBy, members: changed } },
    ];
  };
}

/** A normal conversation the requester is a member of. */
async function requireManageable(ctx: ServerContext, session: Session, cid: string | null | undefined): Promise<ConversationRecord> {
  const conversation = await requireConversation(ctx, session.appId, cid);
  if (conversation.system) throw ProtocolError.of('CONVERSATION_READ_ONLY', `${conversation.id} is a system conversation`);
  if (conversation.transient) throw ProtocolError.of('NORMAL_CONVERSATION_REQUIRED', `${conversation.id} is a chat room: it has no members to block`);
  if (!conversation.members.includes(session.clientId)) {
    throw ProtocolError.of('CONVERSATION_OPERATION_UNAUTHORIZED', `${session.clientId} is not a member of ${conversation.id}`);
  }
  return conversation;
}

async function verifyBlacklistSignature(
  ctx: ServerContext,
  session: Session,
  cid: string,
  ids: readonly string[],
  request: NonNullable<Command['blacklistMessage']>,
  action: Action,
): Promise<void> {
  const app = await ctx.store.getApp(session.appId);
  if (!app?.requireSignature) return;
  const signature = { signature: request.s ?? undefined, timestamp: request.t === null || request.t === undefined ? undefined : Number(request.t), nonce: request.n ?? undefined };
  const result = ctx.signatures.verify(app.masterKey, signature, (t, n) =>
    blacklistSigningString(app.appId, session.clientId, cid, ids, t, n, action),
  );
  if (!result.ok) throw ProtocolError.of('BLACKLIST_SIGNATURE_FAILED', result.reason);
}

/** `appid:clientid:convid:sorted_member_ids:timestamp:nonce:action` (protocol.md §6, the official demo's signBlockClient). */
export function blacklistSigningString(appId: string, clientId: string, cid: string, ids: readonly string[], timestamp: number, nonce: string, action: Action): string {
  return [appId, clientId, cid, [...ids].sort().join(':'), timestamp, nonce, SIGNED_ACTION[action]].join(':');
}

