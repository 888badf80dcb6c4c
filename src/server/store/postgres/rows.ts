/** The PostgreSQL side of the row mapping (store/rows.ts). */
import { ProtocolError } from '../../../protocol/errors.js';
import { conversationSelect, type ConversationRow, toConversation } from '../rows.js';
import type { ConversationRecord } from '../types.js';
import type { Sql } from './connection.js';

export * from '../rows.js';

/** Select list for conversation rows (`c`); `attrs` is jsonb, read as JSON text. */
export const CONVERSATION_SELECT = conversationSelect('c.attrs::text');

/**
 * `conv_key = <the conversation's key>` for a messages query whose app and
 * conversation are the parameters `$app` and `$cid`: messages are keyed by
 * the conversation's integer key (schema migration 5), found here by the
 * conversations' primary key (one probe, planned as an init plan).
 */
export function messagesOf(app: string, cid: string): string {
  return `conv_key = (SELECT k.conv_key FROM conversations k WHERE k.app_id = ${app} AND k.id = ${cid})`;
}

/** Now in ms, in SQL: an expired temporary conversation reads as gone. */
export const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

/**
 * Reads a conversation inside a write transaction and locks its row until
 * COMMIT, or throws CONVERSATION_NOT_FOUND: how every read-modify-write of
 * a conversation starts, so writers from any process take turns.
 */
export async function loadForUpdate(sql: Sql, appId: string, cid: string): Promise<ConversationRecord> {
  const row = await sql.row<ConversationRow>(`SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = $1 AND c.id = $2 FOR UPDATE`, [appId, cid]);
  if (!row) throw ProtocolError.of('CONVERSATION_NOT_FOUND', `no conversation ${cid}`);
  return toConversation(row);
}
