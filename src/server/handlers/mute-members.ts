/**
 * v4's muted members ("shutup", protocol.md §4.2): `conv add_shutup`,
 * `remove_shutup {cid, m}` → `{allowedPids, failedPids}`, and
 * `query_shutup {cid, limit, next}` → `{m, next}`. A muted client's
 * `direct` to the conversation is refused with 4563 SILIENCED (direct.ts).
 *
 * Who may: mute and unmute, the owner and managers (roles.ts: a manager
 * mutes only plain members; nobody mutes the owner or themselves, and only
 * members are muted); query, any member. At most MAX_IDS ids per command
 * and MAX_MUTED muted per conversation (4561 SILIENCED_MEMBER_LIST_FULL).
 * A mute outlives leaving, so quitting and rejoining does not lift it.
 * Normal conversations only: chat rooms have no roles or member list.
 *
 * Events, recorded with the change in one transaction and replayed to who
 * was offline: `shutuped`/`unshutuped {initBy}` to the clients concerned,
 * `members_shutuped`/`members_unshutuped {m, initBy}` to the members.
 */
import { conversationChanged } from './membership-cache.js';
import { CommandType, OpType, type Command } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Session } from '../session/session.js';
import type { MemberEvents } from '../store/types.js';
import type { Handler, ServerContext } from './context.js';
import { Failures } from './members.js';
import { pushRecorded } from './notify.js';
import { managersAmong, mayModerate, requireMemberOf } from './roles.js';
import { isValidClientId, memberList } from './validate.js';

type Action = 'mute' | 'unmute';

/** Ids per add_shutup / remove_shutup. */
export const MAX_IDS = 500;
/** Muted clients per conversation. */
export const MAX_MUTED = 1000;
const DEFAULT_QUERY_LIMIT = 10;
const MAX_QUERY_LIMIT = 100;

/** conv/add_shutup */
export const muteMembers: Handler = (ctx, { command, session }) => changeMuted(ctx, session, command, 'mute');

/** conv/remove_shutup */
export const unmuteMembers: Handler = (ctx, { command, session }) => changeMuted(ctx, session, command, 'unmute');

/** conv/query_shutup: a page of muted ids, for members. */
export const queryMutedMembers: Handler = async (ctx, { command, session }) => {
  const request = command.convMessage ?? {};
  const { conversation } = await requireMemberOf(ctx, session, request.cid, 'muted members');
  const asked = request.limit ?? 0;
  const limit = asked > 0 ? Math.min(asked, MAX_QUERY_LIMIT) : DEFAULT_QUERY_LIMIT;
  const after = request.next || undefined;
  if (after !== undefined && !isValidClientId(after)) throw ProtocolError.of('CONVERSATION_API_FAILED', 'next must be the next of a previous page');
  const found = await ctx.store.shutupMembers(session.appId, conversation.id, limit + 1, after);
  const page = found.slice(0, limit);
  return {
    cmd: CommandType.conv,
    op: OpType.shutup_result,
    convMessage: { cid: conversation.id, m: page, ...(found.length > limit ? { next: page.at(-1)! } : {}) },
  };
};

async function changeMuted(ctx: ServerContext, session: Session, command: Command, action: Action): Promise<Command> {
  const request = command.convMessage ?? {};
  const ids = memberList(request.m ?? [], 'CONVERSATION_API_FAILED');
  if (ids.length === 0) throw ProtocolError.of('CONVERSATION_API_FAILED', 'm must name at least one client');
  if (ids.length > MAX_IDS) throw ProtocolError.of('CONVERSATION_API_FAILED', `at most ${MAX_IDS} clients per command`);
  const { conversation, role } = await requireMemberOf(ctx, session, request.cid, 'muted members');
  if (role !== 'Owner' && role !== 'Manager') {
    throw ProtocolError.of('CONVERSATION_OPERATION_UNAUTHORIZED', `only the owner and managers of ${conversation.id} may ${action} members`);
  }

  const failures = new Failures();
  if (action === 'mute') {
    const members = new Set(conversation.members);
    const managers = await managersAmong(ctx, conversation, ids);
    for (const id of ids) {
      const target = id === conversation.creator ? 'Owner' : managers.has(id) ? 'Manager' : 'Member';
      if (id === session.clientId) failures.add('CONVERSATION_OPERATION_UNAUTHORIZED', id, 'a client cannot mute itself');
      else if (!members.has(id)) failures.add('CONVERSATION_MEMBERSHIP_REQUIRED', id, `not a member of ${conversation.id}`);
      else if (!mayModerate(role, target)) failures.add('CONVERSATION_OPERATION_UNAUTHORIZED', id, target === 'Owner' ? 'the owner cannot be muted' : `a ${role} may not mute a ${target}`);
    }
  }
  const allowed = ids.filter((id) => !failures.has(id));
  const initBy = session.clientId;
  const events = mutedEvents(initBy, action);
  const { notifications } =
    allowed.length === 0
      ? { notifications: [] }
      : action === 'mute'
        ? await ctx.store.addShutup(session.appId, conversation.id, allowed, initBy, MAX_MUTED, events)
        : await ctx.store.removeShutup(session.appId, conversation.id, allowed, events);
  // Before the events go out: an unmuted member told so may send at once.
  if (allowed.length > 0) await conversationChanged(ctx, session.appId, conversation.id);
  await pushRecorded(ctx, session.appId, notifications);
  return {
    cmd: CommandType.conv,
    op: action === 'mute' ? OpType.shutup_added : OpType.shutup_removed,
    convMessage: { cid: conversation.id, allowedPids: allowed, ...(failures.empty ? {} : { failedPids: failures.toWire() }) },
  };
}

function mutedEvents(initBy: string, action: Action): MemberEvents {
  return ({ conversation, changed }) => {
    const cid = conversation.id;
    const [self, members] = action === 'mute' ? (['shutuped', 'members_shutuped'] as const) : (['unshutuped', 'members_unshutuped'] as const);
    return [
      { recipients: changed, event: { op: self, cid, initBy } },
      { recipients: conversation.members, event: { op: members, cid, initBy, members: changed } },
    ];
  };
}
