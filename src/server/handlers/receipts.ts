/**
 * Delivery and read state (protocol.md §4.3): `ack` (the client received
 * messages; senders who asked for a receipt get `rcp`), `read` (the client
 * read a conversation; its other devices get the new unread count, the
 * other members `rcp read`), and conv/max_read (`fetchReceiptTimestamps`).
 * Chat rooms have none of this.
 */
import { CommandType, OpType, has, type Command, type IReadCommand } from '../../protocol/codec.js';
import type { Session } from '../session/session.js';
import type { MessageRecord } from '../store/types.js';
import { isParticipant, requireConversation } from './conv.js';
import type { Handler, ServerContext } from './context.js';
import { unreadTuple } from './login-state.js';
import { push } from './push.js';

/** Receipts sent for one ack; an ack spanning more is answered for its oldest messages. */
const MAX_RECEIPTS_PER_ACK = 100;
const MAX_READS_PER_COMMAND = 100;

/** ack (no reply): the client received the conversation's messages in [fromts, tots]. */
export const acknowledgeDelivery: Handler = async (ctx, { command, session }) => {
  const request = command.ackMessage;
  if (!request?.cid || !has(request, 'tots')) return;
  const toTs = request.tots!;
  // int64 on the wire: what is not a time in ms (negative, or past 2^53,
  // which the store cannot hold exactly) is the client's nonsense. An ack
  // has no reply, so it is ignored.
  if (!isTimestamp(toTs) || (has(request, 'fromts') && !isTimestamp(request.fromts!))) return;
  const fromTs = has(request, 'fromts') ? Math.min(request.fromts!, toTs) : toTs;
  // Before any wait: pushes held for this ack go out now (session/ack-gate.ts).
  session.ackGate?.acked(request.cid, toTs);
  if (!(await ctx.store.isMember(session.appId, request.cid, session.clientId))) return;
  await ctx.store.recordDelivered(session.appId, request.cid, session.clientId, toTs);
  const wanted = await ctx.store.receiptMessages(session.appId, request.cid, session.clientId, fromTs, toTs, MAX_RECEIPTS_PER_ACK);
  await sendReceipts(ctx, session, wanted);
};

function isTimestamp(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** `rcp {id, cid, t}` to each sender: the message reached this client (`t` is when). */
async function sendReceipts(ctx: ServerContext, session: Session, delivered: MessageRecord[]): Promise<void> {
  const t = Date.now();
  for (const message of delivered) {
    await push(ctx, session.appId, [message.from], {
      cmd: CommandType.rcp,
      rcpMessage: { id: message.id, cid: message.cid, t, from: session.clientId },
    });
  }
}

/** read (no reply): the client read conversations up to a message or a time. */
export const markRead: Handler = async (ctx, { command, session }) => {
  for (const tuple of readTuples(command.readMessage).slice(0, MAX_READS_PER_COMMAND)) {
    const result = await ctx.store.markRead(session.appId, tuple.cid, session.clientId, {
      ...(tuple.mid ? { messageId: tuple.mid } : {}),
      ...(tuple.timestamp ? { timestamp: tuple.timestamp } : {}),
    });
    if (!result?.advanced) continue;
    // The client's other devices show the new count (the guide: they get unreadmessages with 0).
    await push(
      ctx,
      session.appId,
      [session.clientId],
      { cmd: CommandType.unread, unreadMessage: { notifTime: Date.now(), convs: [unreadTuple({ cid: tuple.cid, unread: result.unread, lastMessage: result.lastMessage, mentioned: result.mentioned })] } },
      session.id,
    );
    if (result.readTimestamp > 0) {
      const conversation = await ctx.store.getConversation(session.appId, tuple.cid);
      const others = conversation?.members.filter((id) => id !== session.clientId) ?? [];
      await push(ctx, session.appId, others, {
        cmd: CommandType.rcp,
        rcpMessage: { cid: tuple.cid, t: result.readTimestamp, read: true, from: session.clientId },
      });
    }
  }
};

/** `convs` tuples, or the older `cid`/`cids` forms meaning "everything". */
function readTuples(request: IReadCommand | null | undefined): { cid: string; mid?: string | null; timestamp?: number | null }[] {
  if (!request) return [];
  if (request.convs?.length) return request.convs.filter((tuple) => tuple.cid);
  const cids = [...(request.cid ? [request.cid] : []), ...(request.cids ?? [])];
  return cids.map((cid) => ({ cid }));
}

/**
 * conv/max_read: when the other members last received and read messages
 * (the conversation's `lastDeliveredAt`/`lastReadAt` for this client), or
 * with `queryAllMembers` every member's as well. Zero times are left out.
 *
 * The `queryAllMembers` reply is LeanCloud's shape: the other members'
 * newest times at the top level, as in the plain reply, then one tuple per
 * member, the other members first (most recent reader first) and the
 * requester's own entry last. A client that reads the top level, or the
 * first tuple, gets the others' times whatever the members' order.
 */
export const receiptTimestamps: Handler = async (ctx, { command, session }) => {
  const request = command.convMessage ?? {};
  const conversation = await requireConversation(ctx, session.appId, request.cid);
  if (conversation.transient || !isParticipant(ctx, session, conversation)) {
    return { cmd: CommandType.conv, op: OpType.max_read, convMessage: {} } satisfies Command;
  }
  const receipts = await ctx.store.memberReceipts(session.appId, conversation.id);
  // Whoever read a message also received it.
  const times = (receipt: { deliveredTs: number; readTs: number }) => ({
    ...(receipt.deliveredTs || receipt.readTs ? { maxAckTimestamp: Math.max(receipt.deliveredTs, receipt.readTs) } : {}),
    ...(receipt.readTs ? { maxReadTimestamp: receipt.readTs } : {}),
  });
  const others = receipts.filter((receipt) => receipt.clientId !== session.clientId);
  const newest = {
    deliveredTs: Math.max(0, ...others.map((receipt) => receipt.deliveredTs)),
    readTs: Math.max(0, ...others.map((receipt) => receipt.readTs)),
  };
  if (request.queryAllMembers) {
    const own = receipts.filter((receipt) => receipt.clientId === session.clientId);
    const ordered = [...others].sort(
      (a, b) => b.readTs - a.readTs || Math.max(b.deliveredTs, b.readTs) - Math.max(a.deliveredTs, a.readTs),
    );
    return {
      cmd: CommandType.conv,
      op: OpType.max_read,
      convMessage: {
        ...times(newest),
        maxReadTuples: [...ordered, ...own].map((receipt) => ({ pid: receipt.clientId, ...times(receipt) })),
      },
    };
  }
  return { cmd: CommandType.conv, op: OpType.max_read, convMessage: times(newest) };
};
