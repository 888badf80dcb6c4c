/**
 * conv/add and conv/remove: join and quit (the client itself), invite and
 * kick (others), for conversations (a stored member list, member events)
 * and chat rooms (this node's online viewers, no events).
 *
 * Rules: anyone but the owner may quit; anyone may join unless the app
 * turned openJoin off (then only a member can add a non-member); a client
 * the conversation blocked (blacklist.ts) can neither join nor be added
 * (4315); only members may add others; only the owner and managers may
 * remove others (roles.ts: a manager only plain members); the owner (the
 * creator) can neither quit (4324 CONVERSATION_NEED_OWNER) nor be removed;
 * system conversations take no invitations or kicks from clients; at most
 * MAX_MEMBERS members. v4 (protocol.md §4.1 configBitmap) gets per-member
 * results (`allowedPids`, `failedPids`); other clients get all or nothing.
 */
import { conversationChanged } from './membership-cache.js';
import { CommandType, OpType, type Command, type IConvCommand, type IErrorCommand } from '../../protocol/codec.js';
import { errorCode, ProtocolError, type ErrorName } from '../../protocol/errors.js';
import { wantsPartialResults, type Session } from '../session/session.js';
import type { ConversationRecord, MemberEvents } from '../store/types.js';
import { requireConversation } from './conv.js';
import type { Handler, ServerContext } from './context.js';
import { verifyConversationSignature } from './conversation-signature.js';
import { notifyMembersChanged } from '../hooks/conversation-hooks.js';
import { pushRecorded } from './notify.js';
import { managersAmong, mayModerate, roleOf } from './roles.js';
import { MAX_MEMBERS, memberList } from './validate.js';

type Action = 'add' | 'remove';

/** Ids refused, grouped by reason. */
export class Failures {
  private readonly byReason = new Map<ErrorName, { pids: string[]; detail: string }>();

  add(name: ErrorName, pid: string, detail: string): void {
    const entry = this.byReason.get(name);
    if (entry) entry.pids.push(pid);
    else this.byReason.set(name, { pids: [pid], detail });
  }

  has(pid: string): boolean {
    for (const { pids } of this.byReason.values()) if (pids.includes(pid)) return true;
    return false;
  }

  get empty(): boolean {
    return this.byReason.size === 0;
  }

  /** For clients without per-member results: the first reason fails the whole request. */
  throwFirst(): void {
    const [first] = this.byReason;
    if (first) throw ProtocolError.of(first[0], `${first[1].detail}: ${first[1].pids.join(', ')}`);
  }

  toWire(): IErrorCommand[] {
    return [...this.byReason].map(([name, { pids, detail }]) => ({ code: errorCode(name), reason: name, detail, pids }));
  }
}

/** conv/add */
export const addMembers: Handler = (ctx, request) => changeMembers(ctx, request.session, request.command.convMessage, 'add');

/** conv/remove */
export const removeMembers: Handler = (ctx, request) => changeMembers(ctx, request.session, request.command.convMessage, 'remove');

async function changeMembers(
  ctx: ServerContext,
  session: Session,
  request: IConvCommand | null | undefined,
  action: Action,
): Promise<Command> {
  const ids = memberList(request?.m ?? [], 'CONVERSATION_API_FAILED');
  if (ids.length === 0) throw ProtocolError.of('CONVERSATION_API_FAILED', 'm must name at least one client');
  const conversation = await requireConversation(ctx, session.appId, request?.cid);
  await verifyConversationSignature(ctx, session, conversation.id, request, action);
  if (conversation.transient) return changeRoom(ctx, session, conversation, ids, action);

  const failures = new Failures();
  const self = session.clientId;
  const isMember = conversation.members.includes(self);
  const blocked = new Set(action === 'add' ? await ctx.store.blockedAmong(session.appId, conversation.id, ids) : []);
  const others = ids.filter((id) => id !== self);
  const requesterRole = action === 'remove' && isMember && others.length > 0 ? await roleOf(ctx, conversation, self) : undefined;
  const managers = requesterRole ? await managersAmong(ctx, conversation, others) : new Set<string>();
  for (const id of ids) {
    if (blocked.has(id)) {
      failures.add('CONVERSATION_BLACKLISTED', id, `blocked in ${conversation.id}`);
      continue;
    }
    if (id === self) {
      // Subscribing to a system conversation stays open; joining others by id only where the app allows it.
      if (action === 'add' && !isMember && !conversation.system && !openJoin(ctx, session.appId)) {
        failures.add('CONVERSATION_OPERATION_UNAUTHORIZED', id, 'this app lets members add others, not clients join by themselves');
      } else if (action === 'remove' && isMember && !conversation.system && id === conversation.creator) {
        failures.add('CONVERSATION_NEED_OWNER', id, 'the owner cannot quit: the conversation needs its owner');
      }
      continue;
    }
    if (conversation.system) failures.add('CONVERSATION_READ_ONLY', id, 'clients may only subscribe to and leave system conversations');
    else if (!isMember) failures.add('CONVERSATION_UPDATE_REJECTED', id, `${self} is not a member of ${conversation.id}`);
    else if (action === 'remove') {
      const target = id === conversation.creator ? 'Owner' : managers.has(id) ? 'Manager' : 'Member';
      if (!requesterRole || !mayModerate(requesterRole, target)) {
        failures.add('CONVERSATION_OPERATION_UNAUTHORIZED', id, target === 'Owner' ? 'the owner cannot be removed' : `a ${requesterRole ?? 'Member'} may not remove a ${target}`);
      }
    }
  }
  const partial = wantsPartialResults(session);
  if (!partial) failures.throwFirst();
  const allowed = ids.filter((id) => !failures.has(id));

  const events = memberEvents(session.clientId, action);
  const { notifications, changed } =
    allowed.length === 0
      ? { notifications: [], changed: [] }
      : action === 'add'
        ? await ctx.store.addMembers(session.appId, conversation.id, allowed, MAX_MEMBERS, events)
        : await ctx.store.removeMembers(session.appId, conversation.id, allowed, events);
  // Before the events go out: a member told it joined may send at once.
  if (allowed.length > 0) await conversationChanged(ctx, session.appId, conversation.id);

  await pushRecorded(ctx, session.appId, notifications);
  notifyMembersChanged(ctx, conversation, action, session.clientId, changed);
  return {
    cmd: CommandType.conv,
    op: action === 'add' ? OpType.added : OpType.removed,
    convMessage: { allowedPids: allowed, ...(partial && !failures.empty ? { failedPids: failures.toWire() } : {}) },
  };
}

/** The app's openJoin setting (AppConfig), on unless the app turned it off. */
function openJoin(ctx: ServerContext, appId: string): boolean {
  return ctx.config.apps.find((app) => app.appId === appId)?.openJoin !== false;
}

/**
 * The guide's event tables: the invited get `joined` (invited), every
 * member `members_joined`; the removed get `left` (kicked), the remaining
 * members `members_left`. The requester's own session is included: its
 * SDK raises the events from these pushes. Offline members get them after
 * they reconnect (notify.ts), which the guide's "not cached" did not promise.
 */
export function memberEvents(initBy: string, action: Action): MemberEvents {
  return ({ conversation, changed }) => {
    const cid = conversation.id;
    return action === 'add'
      ? [
          { recipients: changed, event: { op: 'joined', cid, initBy } },
          { recipients: conversation.members, event: { op: 'members_joined', cid, initBy, members: changed } },
        ]
      : [
          { recipients: changed, event: { op: 'left', cid, initBy } },
          { recipients: conversation.members, event: { op: 'members_left', cid, initBy, members: changed } },
        ];
  };
}

/** Chat rooms have no member list: a session joins or quits itself, one room at a time. */
function changeRoom(ctx: ServerContext, session: Session, conversation: ConversationRecord, ids: string[], action: Action): Command {
  const failures = new Failures();
  for (const id of ids) {
    if (id !== session.clientId) failures.add('CONVERSATION_NOT_ALLOWED', id, 'chat rooms are joined and left by the client itself');
  }
  const partial = wantsPartialResults(session);
  if (!partial) failures.throwFirst();
  const allowed = ids.filter((id) => !failures.has(id));
  if (allowed.length > 0) {
    if (action === 'add') ctx.rooms.join(session, conversation.id);
    else ctx.rooms.leave(session, conversation.id);
  }
  return {
    cmd: CommandType.conv,
    op: action === 'add' ? OpType.added : OpType.removed,
    convMessage: { allowedPids: allowed, ...(partial && !failures.empty ? { failedPids: failures.toWire() } : {}) },
  };
}

