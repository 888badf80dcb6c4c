/**
 * Table rows as the stores read them (SQLite and PostgreSQL share the
 * column names and types: integers as numbers, booleans as 0/1, lists as
 * JSON text), and their mapping to store records.
 */
import type { AppRecord, ConversationRecord, MessageRecord, PushSubscriptionRecord, ReadResult, UnreadState } from './types.js';

/**
 * Select list for conversation rows, the table aliased `c`; `attrs` is
 * the SQL that reads the attributes as JSON text.
 */
export function conversationSelect(attrs: string): string {
  return `c.app_id, c.id, c.name, c.creator, c.members, c.muted, c.tr, c.sys, c.is_unique,
  c.unique_id, ${attrs} AS attrs, c.created_at, c.updated_at, c.lm, c.last_seq,
  c.last_msg_id, c.last_msg_from, c.last_msg_data, c.last_msg_patch_timestamp, c.last_msg_bin, c.expires_at`;
}

export interface ConversationRow {
  app_id: string;
  id: string;
  name: string | null;
  creator: string;
  members: string;
  muted: string;
  tr: number;
  sys: number;
  is_unique: number;
  unique_id: string | null;
  attrs: string;
  created_at: number;
  updated_at: number;
  lm: number | null;
  last_seq: number;
  last_msg_id: string | null;
  last_msg_from: string | null;
  last_msg_data: string | null;
  last_msg_patch_timestamp: number | null;
  last_msg_bin: number;
  expires_at: number | null;
}

export function toConversation(row: ConversationRow): ConversationRecord {
  return {
    appId: row.app_id,
    id: row.id,
    name: row.name,
    creator: row.creator,
    members: JSON.parse(row.members) as string[],
    mutedMembers: JSON.parse(row.muted) as string[],
    transient: row.tr === 1,
    system: row.sys === 1,
    unique: row.is_unique === 1,
    uniqueId: row.unique_id,
    attributes: JSON.parse(row.attrs) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastMessageAt: row.lm,
    lastSeq: row.last_seq,
    lastMessage:
      row.last_msg_id === null || row.lm === null
        ? null
        : {
            id: row.last_msg_id,
            from: row.last_msg_from ?? '',
            data: row.last_msg_data ?? '',
            timestamp: row.lm,
            patchTimestamp: row.last_msg_patch_timestamp,
            ...(row.last_msg_bin === 1 ? { binary: true } : {}),
          },
    ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
  };
}

/** Select list for message rows (unaliased table). */
export const MESSAGE_SELECT = `app_id, cid, id, seq, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, patch_timestamp, bin`;

export interface MessageRow {
  app_id: string;
  cid: string;
  id: string;
  seq: number;
  from_peer: string;
  data: string;
  timestamp: number;
  dt: string | null;
  receipt: number;
  mention_pids: string;
  mention_all: number;
  patch_timestamp: number | null;
  bin: number;
}

export function toMessage(row: MessageRow): MessageRecord {
  return {
    appId: row.app_id,
    cid: row.cid,
    id: row.id,
    seq: row.seq,
    from: row.from_peer,
    data: row.data,
    timestamp: row.timestamp,
    dt: row.dt,
    receipt: row.receipt === 1,
    mentionPids: JSON.parse(row.mention_pids) as string[],
    mentionAll: row.mention_all === 1,
    patchTimestamp: row.patch_timestamp,
    ...(row.bin === 1 ? { binary: true } : {}),
  };
}

/** A set of client ids as stored: sorted, without duplicates. */
export function memberSet(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

/** The stored JSON of a member set; equal sets give equal text. */
export function memberSetJson(ids: readonly string[]): string {
  return JSON.stringify(memberSet(ids));
}

/** The payload's `_lctype` when the payload is a JSON object with an integer one. */
export function lctypeOf(data: string): number | null {
  if (!data.trimStart().startsWith('{')) return null;
  try {
    const type = (JSON.parse(data) as { _lctype?: unknown })._lctype;
    return Number.isSafeInteger(type) ? (type as number) : null;
  } catch {
    return null;
  }
}

/** A conversation row with the member's read position and newest mention, as unread queries select it. */
export type UnreadRow = ConversationRow & { read_seq: number; mention_seq: number };

export function toUnreadState(row: UnreadRow): UnreadState {
  const conversation = toConversation(row);
  return {
    cid: conversation.id,
    unread: conversation.lastSeq - row.read_seq,
    lastMessage: conversation.lastMessage,
    mentioned: row.mention_seq > row.read_seq,
  };
}

export interface AppRow {
  app_id: string;
  app_key: string;
  master_key: string;
  require_signature: number;
  created_at: number;
}

export const APP_SELECT = 'app_id, app_key, master_key, require_signature, created_at';

export function toApp(row: AppRow): AppRecord {
  return {
    appId: row.app_id,
    appKey: row.app_key,
    masterKey: row.master_key,
    requireSignature: row.require_signature === 1,
    createdAt: row.created_at,
  };
}

/** A member's read state, as markRead reads it. */
export interface MemberReadRow {
  read_seq: number;
  read_ts: number;
  /** The newest message mentioning the member: by id, or all. */
  mention_seq: number;
}

/**
 * Where a read leaves the member: `readSeq` (never backwards: an older
 * device may report an older position) and the newest read message's
 * timestamp `newest`. `advanced` says whether to store it.
 */
export function readResult(member: MemberReadRow, conversation: ConversationRecord, readSeq: number, newest: number): ReadResult {
  const readTs = Math.max(member.read_ts, newest);
  return {
    unread: conversation.lastSeq - readSeq,
    readTimestamp: readTs,
    advanced: readSeq > member.read_seq || readTs > member.read_ts,
    lastMessage: conversation.lastMessage,
    mentioned: member.mention_seq > readSeq,
  };
}

/** A browser's Web Push subscription (web-push.ts of each store). */
export interface SubscriptionRow {
  app_id: string;
  client_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  lang: string | null;
  created_at: number;
}

export const SUBSCRIPTION_SELECT = 'app_id, client_id, endpoint, p256dh, auth, lang, created_at';

export function toSubscription(row: SubscriptionRow): PushSubscriptionRecord {
  return {
    appId: row.app_id,
    clientId: row.client_id,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    ...(row.lang !== null ? { lang: row.lang } : {}),
    createdAt: row.created_at,
  };
}
