/**
 * What a client learns right after its session opened (protocol.md §4.1,
 * §8): unread counts (subprotocol `.3`) or the offline messages themselves
 * (`.1`), then the patches it missed since `lastPatchTime`. Sent to the new
 * session only, after its `opened` reply.
 *
 * Anyone may add anyone to a conversation, so what a login is sent is
 * shaped by others: it goes in pages of at most maxReplyBytes through the
 * socket's bulk lane, each page after the previous one left for the
 * kernel, and the unread list carries a last message only when it is
 * small. However much was said to a client, its login is never more than
 * its socket can take.
 */
import { CommandType, OpType, base64ToBytes, type Command, type IDirectCommand, type IPatchCommand, type IUnreadCommand, type ISessionCommand } from '../../protocol/codec.js';
import type { Session } from '../session/session.js';
import type { MessageRecord, UnreadState } from '../store/types.js';
import type { ServerContext } from './context.js';
import { patchItem } from './patch.js';
import { directOf } from './direct.js';
import { itemBytes, pagesOf, replyBytesFor } from './reply-pages.js';

/** Conversations with unread messages reported at login, newest first. */
const MAX_UNREAD_CONVERSATIONS = 1000;
/** Unread tuples per frame, so a long list does not make one huge frame. */
const UNREAD_PER_FRAME = 50;
/** The guide: at most the 20 newest offline messages per conversation. */
const OFFLINE_PER_CONVERSATION = 20;
const MAX_OFFLINE_CONVERSATIONS = 200;
const MAX_PATCHES = 200;

type UnreadTuple = NonNullable<IUnreadCommand['convs']>[number];
type PatchItem = NonNullable<IPatchCommand['patches']>[number];

export async function pushLoginState(ctx: ServerContext, session: Session, request: ISessionCommand | null | undefined): Promise<void> {
  if (session.connection.subprotocol.version === 1) await pushOfflineMessages(ctx, session);
  else await pushUnreadCounts(ctx, session);
  const since = request?.lastPatchTime;
  if (since) await pushMissedPatches(ctx, session, since);
}

/**
 * The unread tuple of a login: without the last message when its data is
 * over `maxPreviewBytes`. Then `mid`, `from` and `data` all go: both
 * official SDKs parse `data` whenever `mid` is set (a missing one would
 * make a lastMessage without content), and with neither they, and ours,
 * keep the lastMessage they had; `timestamp` still moves lastMessageAt.
 */
export function loginUnreadTuple(state: UnreadState, maxPreviewBytes: number): UnreadTuple {
  const last = state.lastMessage;
  if (!last || Buffer.byteLength(last.data) <= maxPreviewBytes) return unreadTuple(state);
  return { cid: state.cid, unread: state.unread, timestamp: last.timestamp, ...(state.mentioned ? { mentioned: true } : {}) };
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
  // The states hold every last message, previewed or not: only the tuples outlive this line.
  const tuples = (await ctx.store.unreadConversations(session.appId, session.clientId, MAX_UNREAD_CONVERSATIONS)).map((state) =>
    loginUnreadTuple(state, ctx.config.maxUnreadPreviewBytes),
  );
  const notifTime = Date.now();
  const size = (tuple: UnreadTuple) => itemBytes(tuple.cid, tuple.mid, tuple.from, tuple.data);
  const pages = pagesOf(tuples, size, replyBytesFor(ctx, session.connection), UNREAD_PER_FRAME);
  await sendPages(session, pages, (convs) => [{ cmd: CommandType.unread, peerId: session.clientId, unreadMessage: { notifTime, convs } }]);
}

/** The session is still logged in on an open socket: a logout stops its pages. */
function isCurrent(session: Session): boolean {
  return session.connection.isOpen && session.connection.sessions.get(session.clientId) === session;
}

/** Each page's frames, the next page once the previous one left for the kernel. */
async function sendPages<T>(session: Session, pages: readonly T[][], frames: (page: T[]) => Command[]): Promise<void> {
  for (const page of pages) {
    if (!isCurrent(session)) return;
    await session.connection.sendBulk(() => (isCurrent(session) ? frames(page) : []));
  }
}

/**
 * `.1`: the messages themselves, as `direct` marked offline, oldest first
 * per conversation; read one conversation at a time, so what is held is
 * one page and one conversation's batch, however much is undelivered.
 */
async function pushOfflineMessages(ctx: ServerContext, session: Session): Promise<void> {
  const { appId, clientId } = session;
  const conversations = await ctx.store.undeliveredConversations(appId, clientId, MAX_OFFLINE_CONVERSATIONS);
  const maxBytes = replyBytesFor(ctx, session.connection);
  // One frame per message, as live; a page is the frames sent before waiting.
  const frames = (page: IDirectCommand[]) => page.map((directMessage) => ({ cmd: CommandType.direct, peerId: clientId, directMessage }));
  let page: IDirectCommand[] = [];
  let bytes = 0;
  for (const conversation of conversations) {
    if (!isCurrent(session)) return;
    const batch = await ctx.store.undeliveredBatch(appId, clientId, conversation, OFFLINE_PER_CONVERSATION);
    for (const message of batch?.messages ?? []) {
      const direct = offlineDirect(message, batch!.hasMore);
      // The stored data (base64 for bytes) bounds either payload from above.
      const size = itemBytes(message.data, direct.cid, direct.id, direct.fromPeerId, direct.mentionPids ?? undefined);
      if (page.length > 0 && bytes + size > maxBytes) {
        await sendPages(session, [page], frames);
        page = [];
        bytes = 0;
      }
      page.push(direct);
      bytes += size;
    }
  }
  if (page.length > 0) await sendPages(session, [page], frames);
}

function offlineDirect(message: MessageRecord, hasMore: boolean): IDirectCommand {
  return { ...directOf(message), offline: true, hasMore };
}

async function pushMissedPatches(ctx: ServerContext, session: Session, since: number): Promise<void> {
  const patched = await ctx.store.patchesSince(session.appId, session.clientId, since, MAX_PATCHES);
  const size = (item: PatchItem) => itemBytes(item.cid, item.mid, item.data, item.from, item.mentionPids ?? undefined);
  const pages = pagesOf(patched.map(patchItem), size, replyBytesFor(ctx, session.connection));
  await sendPages(session, pages, (patches) => [{ cmd: CommandType.patch, op: OpType.modify, peerId: session.clientId, patchMessage: { patches } }]);
}
