import { CommandType, has, messages, type ILogItem } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { HistoryBound, HistoryQuery, MessageRecord, Store } from '../store/types.js';
import type { Handler } from './context.js';
import { conversationGone, isParticipant } from './conv.js';
import { itemBytes, replyBytesFor } from './reply-pages.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/**
 * logs: a page of a conversation's history, in ascending time order.
 * By default the newest `l` messages before the start point (t, mid); with
 * direction NEW the oldest `l` after it; (tt, tmid) bounds the other end.
 *
 * A page holds at most maxReplyBytes: past that it holds fewer messages
 * than asked, those nearest the start point, so the next page (started at
 * the message furthest from it, as the SDKs do) misses nothing. The reply
 * goes through the socket's bulk lane: a client asking for pages faster
 * than it reads them holds one page at a time.
 */
export const queryHistory: Handler = async (ctx, { command, session }) => {
  const request = command.logsMessage;
  const cid = request?.cid;
  if (!request || !cid) throw ProtocolError.of('CONVERSATION_LOG_FAILED', 'cid is required');
  const limit = has(request, 'l') ? request.l! : has(request, 'limit') ? request.limit! : DEFAULT_LIMIT;
  if (limit < 0) throw ProtocolError.of('CONVERSATION_LOG_FAILED', `limit must be 0..${MAX_LIMIT}, got ${limit}`);

  const conversation = await ctx.store.getConversation(session.appId, cid);
  if (!conversation) throw conversationGone(cid);
  // Membership now, not at the time: who left and came back reads what was said meanwhile (the guide's FAQ).
  if (!isParticipant(ctx, session, conversation)) {
    throw ProtocolError.of('CONVERSATION_LOG_REJECTED', `${session.clientId} is not a member of ${cid}`);
  }
  if (limit === 0) return reply([]);

  const start = bound(request.t, request.mid, request.tIncluded, has(request, 't'));
  const end = bound(request.tt, request.tmid, request.ttIncluded, has(request, 'tt'));
  const query: HistoryQuery = {
    appId: session.appId,
    cid,
    limit: Math.min(limit, MAX_LIMIT),
    direction: has(request, 'direction') && request.direction === messages.LogsCommand.QueryDirection.NEW ? 'new' : 'old',
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    ...(has(request, 'lctype') ? { type: request.lctype! } : {}),
  };
  const { connection } = session;
  const i = has(command, 'i') ? command.i : undefined;
  // The error reply, if any, is dispatch's; the page goes out here, in its turn.
  await connection.sendBulk(async () => {
    if (i === undefined) return [];
    const page = await pageWithin(ctx.store, query, replyBytesFor(ctx, connection));
    return [{ ...reply(page.map(logItem)), i, peerId: session.clientId }];
  });
};

/** A message's history item with its encoded size bounded from above. */
function logItem(message: MessageRecord): ILogItem {
  return {
    from: message.from,
    data: message.data,
    // v4: a binary message's data is its bytes in base64.
    ...(message.binary ? { bin: true } : {}),
    timestamp: message.timestamp,
    msgId: message.id,
    ...(message.patchTimestamp !== null ? { patchTimestamp: message.patchTimestamp } : {}),
    ...(message.mentionAll ? { mentionAll: true } : {}),
    ...(message.mentionPids.length ? { mentionPids: message.mentionPids } : {}),
  };
}

function messageBytes(message: MessageRecord): number {
  return itemBytes(message.from, message.data, message.id, message.mentionPids);
}

/**
 * The page `query` asks for, cut to `maxBytes` at the end furthest from
 * the start point. Read in chunks sized by what the messages so far
 * weighed, so a page of large messages never loads much more than it sends.
 */
export async function pageWithin(store: Store, query: HistoryQuery, maxBytes: number): Promise<MessageRecord[]> {
  // Walking away from the start point: `old` reads backwards, `new` forwards.
  const older = query.direction === 'old';
  const taken: MessageRecord[] = [];
  let bytes = 0;
  let cursor = query.start;
  while (taken.length < query.limit) {
    const left = query.limit - taken.length;
    const average = taken.length > 0 ? bytes / taken.length : 0;
    const fits = average > 0 ? Math.ceil((maxBytes - bytes) / average) + 1 : left;
    const chunk = await store.queryMessages({ ...query, limit: Math.max(1, Math.min(left, fits)), ...(cursor ? { start: cursor } : {}) });
    // In walking order: nearest the start point first.
    const walk = older ? chunk.reverse() : chunk;
    for (const message of walk) {
      const size = messageBytes(message);
      if (taken.length > 0 && bytes + size > maxBytes) return ordered(taken, older);
      taken.push(message);
      bytes += size;
    }
    if (chunk.length < Math.max(1, Math.min(left, fits))) break;
    const last = taken.at(-1)!;
    cursor = { timestamp: last.timestamp, messageId: last.id, inclusive: false };
  }
  return ordered(taken, older);
}

/** Pages are in ascending time order. */
function ordered(walked: MessageRecord[], older: boolean): MessageRecord[] {
  return older ? walked.reverse() : walked;
}

function bound(
  timestamp: number | null | undefined,
  messageId: string | null | undefined,
  inclusive: boolean | null | undefined,
  present: boolean,
): HistoryBound | undefined {
  // Clients send 0 or omit the field to mean "no bound".
  if (!present || !timestamp) return undefined;
  return { timestamp, inclusive: inclusive === true, ...(messageId ? { messageId } : {}) };
}

function reply(logs: ILogItem[]) {
  return { cmd: CommandType.logs, logsMessage: { logs } };
}
