/**
 * v4 member roles (protocol.md §4.2): Owner, Manager, Member.
 *
 * The owner is the conversation's creator while it is a member (4.x
 * derives it from `c` too); it cannot quit (4324 CONVERSATION_NEED_OWNER),
 * be removed, blocked or muted, and its role cannot be changed. Managers
 * are stored per member (a member who leaves loses the role), at most
 * MAX_MANAGERS per conversation. Roles decide who may remove, block and
 * mute others (the owner and managers; a manager only plain members);
 * any member may still add others and quit.
 *
 * `conv member_info_update {cid, targetClientId, info: {pid, role}}`: only
 * the owner changes roles, to Manager or Member, of another current member
 * (nobody promotes themselves; 4.x refuses Owner itself with 5130, and so
 * does the server). Members get `member_info_changed {cid, initBy, info}`,
 * recorded with the change like the membership events, so those offline
 * get it after they reconnect (replayed, or 4.x's REST fetch). 4.x reads
 * roles over REST (http/member-info.ts).
 */
import { CommandType, OpType, type Command } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Session } from '../session/session.js';
import type { ConversationRecord, MemberEvents, MemberRole, StoredMemberRole } from '../store/types.js';
import { requireConversation } from './conv.js';
import type { Handler, ServerContext } from './context.js';
import { pushRecorded } from './notify.js';
import { isValidClientId } from './validate.js';

/** Managers per conversation (4322 CONVERSATION_MEMBER_IN_ROLE_FULL past it). */
export const MAX_MANAGERS = 100;
const ROLES: ReadonlySet<string> = new Set<StoredMemberRole>(['Manager', 'Member']);

/** The role of `clientId` in a normal conversation, or undefined when it is not a member. */
export async function roleOf(ctx: ServerContext, conversation: ConversationRecord, clientId: string): Promise<MemberRole | undefined> {
  if (!conversation.members.includes(clientId)) return undefined;
  if (clientId === conversation.creator) return 'Owner';
  const [stored] = await ctx.store.memberRoles(conversation.appId, conversation.id, { clientIds: [clientId], limit: 1 });
  return stored?.role ?? 'Member';
}

/** Which of `clientIds` are managers (members with the stored Manager role). */
export async function managersAmong(ctx: ServerContext, conversation: ConversationRecord, clientIds: readonly string[]): Promise<Set<string>> {
  if (clientIds.length === 0) return new Set();
  const found = await ctx.store.memberRoles(conversation.appId, conversation.id, { clientIds, managersOnly: true, limit: clientIds.length });
  return new Set(found.map((record) => record.clientId));
}

/**
 * A normal conversation (not a chat room or system conversation) the
 * requester is a member of, with the requester's role.
 */
export async function requireMemberOf(
  ctx: ServerContext,
  session: Session,
  cid: string | null | undefined,
  what: string,
): Promise<{ conversation: ConversationRecord; role: MemberRole }> {
  const conversation = await requireConversation(ctx, session.appId, cid);
  if (conversation.system) throw ProtocolError.of('CONVERSATION_READ_ONLY', `${conversation.id} is a system conversation: it has no ${what}`);
  if (conversation.transient) throw ProtocolError.of('NORMAL_CONVERSATION_REQUIRED', `${conversation.id} is a chat room: it has no ${what}`);
  const role = await roleOf(ctx, conversation, session.clientId);
  if (!role) throw ProtocolError.of('CONVERSATION_OPERATION_UNAUTHORIZED', `${session.clientId} is not a member of ${conversation.id}`);
  return { conversation, role };
}

/** Whether a requester of role `by` may remove, block or mute a member of role `target` (not itself). */
export function mayModerate(by: MemberRole, target: MemberRole): boolean {
  if (target === 'Owner') return false;
  if (by === 'Owner') return true;
  return by === 'Manager' && target === 'Member';
}

/** conv/member_info_update */
export const updateMemberInfo: Handler = async (ctx, { command, session }) => {
  const request = command.convMessage;
  const info = request?.info;
  const target = request?.targetClientId || info?.pid || '';
  if (!isValidClientId(target)) throw ProtocolError.of('CONVERSATION_API_FAILED', 'targetClientId (or info.pid) must be a client id');
  if (info?.pid && request?.targetClientId && info.pid !== request.targetClientId) {
    throw ProtocolError.of('CONVERSATION_API_FAILED', 'targetClientId and info.pid name different clients');
  }
  const role = info?.role ?? '';
  if (role === 'Owner') throw ProtocolError.of('OWNER_PROMOTION_NOT_ALLOWED', 'the owner is the creator; nobody is promoted to it');
  if (!ROLES.has(role)) throw ProtocolError.of('UNKNOWN_CONVERSATION_ROLE', `role must be Manager or Member, got ${JSON.stringify(role.slice(0, 40))}`);

  const { conversation, role: own } = await requireMemberOf(ctx, session, request?.cid, 'roles');
  if (own !== 'Owner') throw ProtocolError.of('CONVERSATION_OPERATION_UNAUTHORIZED', `only the owner of ${conversation.id} changes roles`);
  if (target === session.clientId) throw ProtocolError.of('CONVERSATION_OPERATION_UNAUTHORIZED', "the owner's role cannot be changed");
  const changedInfo = { pid: target, role };
  const events: MemberEvents = ({ conversation: now }) => [
    { recipients: now.members, event: { op: 'member_info_changed', cid: now.id, initBy: session.clientId, info: changedInfo } },
  ];
  const { notifications } = await ctx.store.setMemberRole(session.appId, conversation.id, target, role as StoredMemberRole, MAX_MANAGERS, events);
  await pushRecorded(ctx, session.appId, notifications);
  return memberInfoReply(conversation.id, changedInfo);
};

function memberInfoReply(cid: string, info: { pid: string; role: string }): Command {
  return { cmd: CommandType.conv, op: OpType.member_info_updated, convMessage: { cid, info } };
}
