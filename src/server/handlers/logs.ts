import { CommandType, has, messages, type ILogItem } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { HistoryBound } from '../store/types.js';
import type { Handler } from './context.js';
import { conversationGone, isParticipant } from './conv.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/**
 * logs: a page of a conversation's history, in ascending time order.
 * By default the newest `l` messages before the start point (t, mid); with
 * direction NEW the oldest `l` after it; (tt, tmid) bounds the other end.
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
  const logs = await ctx.store.queryMessages({
    appId: session.appId,
    cid,
    limit: Math.min(limit, MAX_LIMIT),
    direction: has(request, 'direction') && request.direction === messages.LogsCommand.QueryDirection.NEW ? 'new' : 'old',
    ...(start ? { start } : {}),
    ...(end ? { end } : {}),
    ...(has(request, 'lctype') ? { type: request.lctype! } : {}),
  });
  return reply(
    logs.map((message) => ({
      from: message.from,
      data: message.data,
      // v4: a binary message's data is its bytes in base64.
      ...(message.binary ? { bin: true } : {}),
      timestamp: message.timestamp,
      msgId: message.id,
      ...(message.patchTimestamp !== null ? { patchTimestamp: message.patchTimestamp } : {}),
      ...(message.mentionAll ? { mentionAll: true } : {}),
      ...(message.mentionPids.length ? { mentionPids: message.mentionPids } : {}),
    })),
  );
};

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
