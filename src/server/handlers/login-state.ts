/**
 * What a client learns right after its session opened (protocol.md §4.1,
 * §8): unread counts (subprotocol `.3`) or the offline messages themselves
 * (`.1`), then the patches it missed since `lastPatchTime`. Sent to the new
 * session only, after its `opened` reply.
 */
import { CommandType, OpType, base64ToBytes, type IUnreadCommand, type ISessionCommand } from '../../protocol/codec.js';
import type { Session } from '../gateway/session.js';
import type { UnreadState } from '../store/types.js';
import type { ServerContext } from './context.js';
import { pushedPayload } from './binary.js';
import { patchItem } from './patch.js';

/** Conversations with unread messages reported at login, newest first. */
const MAX_UNREAD_CONVERSATIONS = 1000;
/** Unread tuples per frame, so a long list does not make one huge frame. */
const UNREAD_PER_FRAME = 50;
/** The guide: at most the 20 newest offline messages per conversation. */
const OFFLINE_PER_CONVERSATION = 20;
const MAX_OFFLINE_CONVERSATIONS = 200;
const MAX_PATCHES = 200;

type UnreadTuple = NonNullable<IUnreadCommand['convs']>[number];

export async function pushLoginState(ctx: ServerContext, session: Session, request: ISessionCommand | null | undefined): Promise<void> {
  if (session.connection.subprotocol.version === 1) await pushOfflineMessages(ctx, session);
  else await pushUnreadCounts(ctx, session);
  const since = request?.lastPatchTime;
  if (since) await pushMissedPatches(ctx, session, since);
}

/** An unread tuple; v3 reads the int64 fields it finds, so they are all set. */
export function unreadTuple(state: UnreadState): UnreadTuple {
  const last = state.lastMessage;
  return {
    cid: state.cid,
    unread: state.unread,
    ...(last
      ? {
          mid: last.id,
          timestamp: last.timestamp,
          from: last.from,
          // v4 reads binaryMsg before data.
          ...(last.binary ? { binaryMsg: base64ToBytes(last.data) } : { data: last.data }),
          ...(last.patchTimestamp !== null ? { patchTimestamp: last.patchTimestamp } : {}),
        }
      : {}),
    ...(state.mentioned ? { mentioned: true } : {}),
  };
}

async function pushUnreadCounts(ctx: ServerContext, session: Session): Promise<void> {
  const states = await ctx.store.unreadConversations(session.appId, session.clientId, MAX_UNREAD_CONVERSATIONS);
  const notifTime = Date.now();
  for (let start = 0; start < states.length; start += UNREAD_PER_FRAME) {
    session.connection.send({
      cmd: CommandType.unread,
      peerId: session.clientId,
      unreadMessage: { notifTime, convs: states.slice(start, start + UNREAD_PER_FRAME).map(unreadTuple) },
    });
  }
}

/** `.1`: the messages themselves, as `direct` marked offline, oldest first per conversation. */
async function pushOfflineMessages(ctx: ServerContext, session: Session): Promise<void> {
  const batches = await ctx.store.undeliveredMessages(session.appId, session.clientId, OFFLINE_PER_CONVERSATION, MAX_OFFLINE_CONVERSATIONS);
  for (const { messages, hasMore } of batches) {
    for (const message of messages) {
      session.connection.send({
        cmd: CommandType.direct,
        peerId: session.clientId,
        directMessage: {
          ...pushedPayload(message),
          cid: message.cid,
          id: message.id,
          fromPeerId: message.from,
          timestamp: message.timestamp,
          offline: true,
          hasMore,
          ...(message.patchTimestamp !== null ? { patchTimestamp: message.patchTimestamp } : {}),
          ...(message.mentionPids.length ? { mentionPids: message.mentionPids } : {}),
          ...(message.mentionAll ? { mentionAll: true } : {}),
        },
      });
    }
  }
}

async function pushMissedPatches(ctx: ServerContext, session: Session, since: number): Promise<void> {
  const patched = await ctx.store.patchesSince(session.appId, session.clientId, since, MAX_PATCHES);
  if (patched.length === 0) return;
  session.connection.send({
    cmd: CommandType.patch,
    op: OpType.modify,
    peerId: session.clientId,
    patchMessage: { patches: patched.map(patchItem) },
  });
}
