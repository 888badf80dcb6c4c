/**
 * History queries (guide: 聊天记录; protocol.md §4.3 `logs`): the v3
 * options as a `logs` command, and log items as messages.
 */
import { base64ToBytes, type ILogItem, type ILogsCommand } from '../protocol/index.js';
import { binaryMessage } from './messages/registry.js';
import { decodeDate } from './dates.js';
import { setMessageStatus, type Message } from './messages/message.js';
import { MessageStatus } from './messages/status.js';

/** History page sizes accepted by {@link Conversation.queryMessages} (guide: 聊天记录). */
export const MESSAGE_QUERY_LIMITS = Object.freeze({ min: 1, max: 1000, default: 20 });

/** Options of {@link Conversation.queryMessages}. */
export interface QueryMessagesOptions {
  /** How many messages, 1–1000; default 20. */
  limit?: number;
  /** Only messages before this time (now by default). */
  beforeTime?: Date | number;
  /** Only messages before this one; needs `beforeTime` (its timestamp). */
  beforeMessageId?: string;
  /** Only messages after this time. */
  afterTime?: Date | number;
  /** Only messages after this one; needs `afterTime` (its timestamp). */
  afterMessageId?: string;
}

/**
 * The `logs` command for a query of conversation `cid`.
 * @throws RangeError if `limit` is not an integer from 1 to 1000
 * @throws TypeError if `beforeMessageId`/`afterMessageId` lacks its time, or a time is invalid
 */
export function logsQuery(cid: string, options: QueryMessagesOptions): ILogsCommand {
  const limit = options.limit ?? MESSAGE_QUERY_LIMITS.default;
  if (!Number.isInteger(limit) || limit < MESSAGE_QUERY_LIMITS.min || limit > MESSAGE_QUERY_LIMITS.max) {
    throw new RangeError(`limit must be an integer from ${MESSAGE_QUERY_LIMITS.min} to ${MESSAGE_QUERY_LIMITS.max}, got ${String(options.limit)}`);
  }
  if (options.beforeMessageId && options.beforeTime === undefined) {
    throw new TypeError('query option beforeMessageId must be used with option beforeTime');
  }
  if (options.afterMessageId && options.afterTime === undefined) {
    throw new TypeError('query option afterMessageId must be used with option afterTime');
  }
  // The default is sent explicitly: the page size is then the same whatever the server's default.
  const logs: ILogsCommand = { cid, l: limit };
  if (options.beforeTime !== undefined) logs.t = toMillis(options.beforeTime);
  if (options.beforeMessageId) logs.mid = options.beforeMessageId;
  if (options.afterTime !== undefined) logs.tt = toMillis(options.afterTime);
  if (options.afterMessageId) logs.tmid = options.afterMessageId;
  return logs;
}

/** A history item as a message, with when it was delivered and read (for the sender's receipts). */
export interface LoggedMessage {
  message: Message;
  deliveredAt: Date | undefined;
  readAt: Date | undefined;
}

/** Builds the message of a log item of conversation `cid`. */
export async function messageFromLog(item: ILogItem, cid: string, parseMessage: (raw: string) => Promise<Message>): Promise<LoggedMessage> {
  // v4: a binary message comes back as base64 with ‘bin’.
  const message = item.bin ? binaryMessage(base64ToBytes(item.data ?? '')) : await parseMessage(item.data ?? '');
  message.cid = cid;
  if (item.msgId) message.id = item.msgId;
  if (item.from) message.from = item.from;
  message._setMentions(item.mentionPids, item.mentionAll, undefined);
  const timestamp = decodeDate(item.timestamp);
  if (timestamp) message.timestamp = timestamp;
  const patched = item.patchTimestamp ? decodeDate(item.patchTimestamp) : undefined;
  if (patched) message.updatedAt = patched;
  const deliveredAt = item.ackAt ? decodeDate(item.ackAt) : undefined;
  if (deliveredAt) message.deliveredAt = deliveredAt;
  setMessageStatus(message, deliveredAt ? MessageStatus.DELIVERED : MessageStatus.SENT);
  return { message, deliveredAt, readAt: item.readAt ? decodeDate(item.readAt) : undefined };
}

function toMillis(time: Date | number): number {
  const ms = time instanceof Date ? time.getTime() : time;
  if (!Number.isFinite(ms)) throw new TypeError(`${String(time)} is not a valid time`);
  return ms;
}
