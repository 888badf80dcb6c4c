/** The SQLite side of the row mapping (store/rows.ts). */
import type Database from 'better-sqlite3';
import { ProtocolError } from '../../../protocol/errors.js';
import { conversationSelect, type ConversationRow, toConversation } from '../rows.js';
import type { ConversationRecord } from '../types.js';

export * from '../rows.js';

/** Select list for conversation rows; the table is aliased `c` in every query. */
export const CONVERSATION_SELECT = conversationSelect('c.attrs');

/**
 * Reads a conversation inside a write transaction, or throws
 * CONVERSATION_NOT_FOUND: how every read-modify-write of a conversation starts.
 */
export function conversationLoader(db: Database.Database): (appId: string, cid: string) => ConversationRecord {
  const get = db.prepare<[string, string], ConversationRow>(`SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = ? AND c.id = ?`);
  return (appId, cid) => {
    const row = get.get(appId, cid);
    if (!row) throw ProtocolError.of('CONVERSATION_NOT_FOUND', `no conversation ${cid}`);
    return toConversation(row);
  };
}
