/**
 * Per-member read and delivery state on PostgreSQL (rules:
 * sqlite/read-state.ts). A read locks the member's row, so two devices
 * reporting at once cannot move it backwards.
 */
import type pg from 'pg';
import type { MemberReceipts, MessageRecord, ReadPosition, ReadResult, UndeliveredBatch, UndeliveredConversation, UnreadState } from '../types.js';
import { type Sql, sqlOf, transaction } from './connection.js';
import { CONVERSATION_SELECT, type ConversationRow, MESSAGE_SELECT, type MessageRow, messagesOf, NOW_MS, toConversation, toMessage, toUnreadState, type UnreadRow, type MemberReadRow, readResult } from './rows.js';

/** Not an expired temporary conversation (those are gone, pruned or not). */
const LIVE = `(c.expires_at IS NULL OR c.expires_at > ${NOW_MS})`;

export class ReadState {
  private readonly sql: Sql;

  constructor(private readonly pool: pg.Pool) {
    this.sql = sqlOf(pool);
  }

  markRead(appId: string, cid: string, clientId: string, upTo: ReadPosition): Promise<ReadResult | undefined> {
    return transaction(this.pool, async (sql) => {
      const member = await sql.row<MemberReadRow>(
        `SELECT m.read_seq, m.read_ts, greatest(m.mention_seq, c.mention_all_seq) AS mention_seq FROM conversation_members m
         JOIN conversations c ON c.app_id = m.app_id AND c.id = m.cid
         WHERE m.app_id = $1 AND m.cid = $2 AND m.client_id = $3 FOR UPDATE OF m`,
        [appId, cid, clientId],
      );
      const row = member && (await sql.row<ConversationRow>(`SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = $1 AND c.id = $2`, [appId, cid]));
      if (!member || !row) return undefined;
      const conversation = toConversation(row);
      let target = conversation.lastSeq;
      const byId = upTo.messageId === undefined ? undefined : await sql.row<{ seq: number }>('SELECT seq FROM messages WHERE id = $1 AND app_id = $2 AND cid = $3', [upTo.messageId, appId, cid]);
      if (byId) target = byId.seq;
      else if (upTo.timestamp !== undefined) {
        const last = await sql.row<{ seq: number }>(
          `SELECT seq FROM messages WHERE ${messagesOf('$1', '$2')} AND timestamp <= $3 ORDER BY timestamp DESC, seq DESC LIMIT 1`,
          [appId, cid, upTo.timestamp],
        );
        target = last?.seq ?? 0;
      }
      // Reads never move backwards: an older device may report an older position.
      const readSeq = Math.max(member.read_seq, Math.min(target, conversation.lastSeq));
      const newest = readSeq > 0 ? ((await sql.row<{ timestamp: number }>(`SELECT timestamp FROM messages WHERE ${messagesOf('$1', '$2')} AND seq = $3`, [appId, cid, readSeq]))?.timestamp ?? 0) : 0;
      const result = readResult(member, conversation, readSeq, newest);
      if (result.advanced) {
        await sql.run('UPDATE conversation_members SET read_seq = $1, read_ts = $2 WHERE app_id = $3 AND cid = $4 AND client_id = $5', [readSeq, result.readTimestamp, appId, cid, clientId]);
      }
      return result;
    });
  }

  async unreadConversations(appId: string, clientId: string, limit: number): Promise<UnreadState[]> {
    const rows = await this.sql.rows<UnreadRow>(
      `SELECT ${CONVERSATION_SELECT}, m.read_seq, greatest(m.mention_seq, c.mention_all_seq) AS mention_seq FROM conversation_members m
       JOIN conversations c ON c.app_id = m.app_id AND c.id = m.cid
       WHERE m.app_id = $1 AND m.client_id = $2 AND c.last_seq > m.read_seq AND ${LIVE}
       ORDER BY c.lm DESC NULLS LAST LIMIT $3`,
      [appId, clientId, limit],
    );
    return rows.map(toUnreadState);
  }

  async undeliveredMessages(appId: string, clientId: string, perConversation: number, maxConversations: number): Promise<UndeliveredBatch[]> {
    const batches: UndeliveredBatch[] = [];
    for (const conversation of await this.undeliveredConversations(appId, clientId, maxConversations)) {
      const batch = await this.undeliveredBatch(appId, clientId, conversation, perConversation);
      if (batch) batches.push(batch);
    }
    return batches;
  }

  async undeliveredConversations(appId: string, clientId: string, maxConversations: number): Promise<UndeliveredConversation[]> {
    const rows = await this.sql.rows<{ cid: string; delivered_ts: number }>(
      `SELECT c.id AS cid, m.delivered_ts FROM conversation_members m
       JOIN conversations c ON c.app_id = m.app_id AND c.id = m.cid
       WHERE m.app_id = $1 AND m.client_id = $2 AND c.lm > m.delivered_ts AND ${LIVE}
       ORDER BY c.lm DESC LIMIT $3`,
      [appId, clientId, maxConversations],
    );
    return rows.map((row) => ({ cid: row.cid, deliveredTs: row.delivered_ts }));
  }

  async undeliveredBatch(appId: string, clientId: string, { cid, deliveredTs }: UndeliveredConversation, perConversation: number): Promise<UndeliveredBatch | undefined> {
    // One row past the page tells whether there is more.
    const rows = await this.sql.rows<MessageRow>(
      `SELECT ${MESSAGE_SELECT} FROM messages WHERE ${messagesOf('$1', '$2')} AND timestamp > $3 AND from_peer <> $4
       ORDER BY timestamp DESC, seq DESC LIMIT $5`,
      [appId, cid, deliveredTs, clientId, perConversation + 1],
    );
    if (rows.length === 0) return undefined;
    return { cid, messages: rows.slice(0, perConversation).reverse().map(toMessage), hasMore: rows.length > perConversation };
  }

  async receiptMessages(appId: string, cid: string, clientId: string, fromTs: number, toTs: number, limit: number): Promise<MessageRecord[]> {
    const rows = await this.sql.rows<MessageRow>(
      `SELECT ${MESSAGE_SELECT} FROM messages WHERE ${messagesOf('$1', '$2')} AND timestamp BETWEEN $3 AND $4
         AND receipt = 1 AND from_peer <> $5
       ORDER BY timestamp, seq LIMIT $6`,
      [appId, cid, fromTs, toTs, clientId, limit],
    );
    return rows.map(toMessage);
  }

  async memberReceipts(appId: string, cid: string): Promise<MemberReceipts[]> {
    const rows = await this.sql.rows<{ client_id: string; delivered_ts: number; read_ts: number }>(
      'SELECT client_id, delivered_ts, read_ts FROM conversation_members WHERE app_id = $1 AND cid = $2 ORDER BY client_id',
      [appId, cid],
    );
    return rows.map((row) => ({ clientId: row.client_id, deliveredTs: row.delivered_ts, readTs: row.read_ts }));
  }
}
