/**
 * Turns a `_Conversation` row from a query result into conversation fields.
 * Column names are LeanCloud's (protocol.md §5): `objectId`, `m`, `c`,
 * `mu`, `tr`, `sys`, `lm`, `msg*`; every other top-level key is a custom
 * attribute.
 */
import { decodeDate } from './dates.js';
import { base64ToBytes } from '../protocol/index.js';
import type { Message } from './messages/message.js';
import { binaryMessage } from './messages/registry.js';
import { setMessageStatus } from './messages/message.js';
import { MessageStatus } from './messages/status.js';

/** The fields of a conversation, as known from the server. */
export interface ConversationData {
  id: string;
  name?: string | undefined;
  members?: string[] | undefined;
  creator?: string | undefined;
  transient?: boolean | undefined;
  system?: boolean | undefined;
  unique?: boolean | undefined;
  mutedMembers?: string[] | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
  lastMessageAt?: Date | undefined;
  lastMessage?: Message | undefined;
  /** Custom attributes; undefined when the source carries none (e.g. a `started` reply). */
  attributes?: Record<string, unknown> | undefined;
  /** Temporary conversations: when it expires (from `ttl`, its remaining seconds). */
  expiredAt?: Date | undefined;
}

/** Columns with a meaning of their own; the rest are custom attributes. */
const COLUMNS = new Set([
  'objectId', 'name', 'm', 'c', 'mu', 'tr', 'sys', 'unique', 'uniqueId', 'createdAt', 'updatedAt', 'lm',
  'msg', 'msg_from', 'msg_mid', 'msg_timestamp', 'patch_timestamp', 'bin', 'ttl', 'ACL',
]);

/**
 * Parses one row.
 * @param parseMessage turns the `msg` column into a message (plugins may make it async)
 * @throws TypeError if the row has no `objectId`
 */
export async function parseConversationRow(
  row: Record<string, unknown>,
  parseMessage: (raw: string) => Promise<Message>,
): Promise<ConversationData> {
  if (typeof row.objectId !== 'string') throw new TypeError('conversation row without objectId');
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (!COLUMNS.has(key)) attributes[key] = value;
  const data: ConversationData = {
    id: row.objectId,
    name: typeof row.name === 'string' ? row.name : undefined,
    members: stringArray(row.m),
    creator: typeof row.c === 'string' ? row.c : undefined,
    transient: typeof row.tr === 'boolean' ? row.tr : undefined,
    system: typeof row.sys === 'boolean' ? row.sys : undefined,
    unique: typeof row.unique === 'boolean' ? row.unique : undefined,
    mutedMembers: stringArray(row.mu),
    createdAt: decodeDate(row.createdAt),
    updatedAt: decodeDate(row.updatedAt),
    lastMessageAt: decodeDate(row.lm),
    attributes,
    ...(typeof row.ttl === 'number' && Number.isFinite(row.ttl) ? { expiredAt: new Date(Date.now() + row.ttl * 1000) } : {}),
  };
  if (typeof row.msg === 'string') {
    const message = row.bin === true ? binaryMessage(base64ToBytes(row.msg)) : await parseMessage(row.msg);
    message.cid = data.id;
    if (typeof row.msg_from === 'string') message.from = row.msg_from;
    if (typeof row.msg_mid === 'string') message.id = row.msg_mid;
    const timestamp = decodeDate(row.msg_timestamp);
    if (timestamp) message.timestamp = timestamp;
    const patched = decodeDate(row.patch_timestamp);
    if (patched) message.updatedAt = patched;
    setMessageStatus(message, MessageStatus.SENT);
    data.lastMessage = message;
  }
  return data;
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}
