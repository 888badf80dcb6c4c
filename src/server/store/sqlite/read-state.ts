/**
 * Per-member read and delivery state, kept in `conversation_members`:
 * `read_seq` (unread = the conversation's `last_seq - read_seq`, so a new
 * message costs no write per member), `read_ts` and `delivered_ts` (the
 * newest message timestamps read and acknowledged, for receipts).
 *
 * Every "conversations of this client" query starts from the member index
 * `(app_id, client_id)` and joins conversations by primary key.
 */
import type Database from 'better-sqlite3';
import type { MemberReceipts, MessageRecord, ReadPosition, ReadResult, UndeliveredBatch, UndeliveredConversation, UnreadState } from '../types.js';
import { type KeyedMessageRow, MESSAGE_ROW_SELECT, type MessageTimes, toStoredMessage } from './message-keys.js';
import { CONVERSATION_SELECT, type ConversationRow, toConversation, toUnreadState, type UnreadRow, type MemberReadRow, readResult } from './rows.js';

/** Not an expired temporary conversation (those are gone, pruned or not). */
const LIVE = `(c.expires_at IS NULL OR c.expires_at > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))`;


export class ReadState {
  readonly markRead: (appId: string, cid: string, clientId: string, upTo: ReadPosition) => ReadResult | undefined;
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly times: MessageTimes,
  ) {
    this.sql = {
      member: db.prepare<[string, string, string], MemberReadRow>(
        `SELECT m.read_seq, m.read_ts, max(m.mention_seq, c.mention_all_seq) AS mention_seq FROM conversation_members m
         JOIN conversations c ON c.app_id = m.app_id AND c.id = m.cid
         WHERE m.app_id = ? AND m.cid = ? AND m.client_id = ?`,
      ),
      conversation: db.prepare<[string, string], ConversationRow>(`SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = ? AND c.id = ?`),
      seqOfMessage: db.prepare<[string, number], { seq: number }>('SELECT rid & 4294967295 AS seq FROM message_rows WHERE id = ? AND conv = ?'),
      timestampOfSeq: db.prepare<[number, number], { timestamp: number }>('SELECT timestamp FROM message_rows WHERE rid = ? * 4294967296 + ?'),
      setRead: db.prepare('UPDATE conversation_members SET read_seq = ?, read_ts = ? WHERE app_id = ? AND cid = ? AND client_id = ?'),
      unread: db.prepare<[string, string, number], UnreadRow>(
        `SELECT ${CONVERSATION_SELECT}, m.read_seq, max(m.mention_seq, c.mention_all_seq) AS mention_seq FROM conversation_members m
         CROSS JOIN conversations c ON c.app_id = m.app_id AND c.id = m.cid
         WHERE m.app_id = ? AND m.client_id = ? AND c.last_seq > m.read_seq AND ${LIVE}
         ORDER BY c.lm DESC LIMIT ?`,
      ),
      undeliveredConversations: db.prepare<[string, string, number], { cid: string; delivered_ts: number }>(
        `SELECT c.id AS cid, m.delivered_ts FROM conversation_members m
         CROSS JOIN conversations c ON c.app_id = m.app_id AND c.id = m.cid
         WHERE m.app_id = ? AND m.client_id = ? AND c.lm > m.delivered_ts AND ${LIVE}
         ORDER BY c.lm DESC LIMIT ?`,
      ),
      // Seqs first..last of a conversation, as the time bounds came to (MessageTimes): a rowid range.
      newestFromOthers: db.prepare<[number, number, number, number, string, number], KeyedMessageRow>(
        `SELECT ${MESSAGE_ROW_SELECT} FROM message_rows WHERE rid BETWEEN ? * 4294967296 + ? AND ? * 4294967296 + ? AND from_peer <> ?
         ORDER BY rid DESC LIMIT ?`,
      ),
      receiptMessages: db.prepare<[number, number, number, number, string, number], KeyedMessageRow>(
        `SELECT ${MESSAGE_ROW_SELECT} FROM message_rows WHERE rid BETWEEN ? * 4294967296 + ? AND ? * 4294967296 + ?
           AND receipt = 1 AND from_peer <> ?
         ORDER BY rid LIMIT ?`,
      ),
      receipts: db.prepare<[string, string], { client_id: string; delivered_ts: number; read_ts: number }>(
        'SELECT client_id, delivered_ts, read_ts FROM conversation_members WHERE app_id = ? AND cid = ? ORDER BY client_id',
      ),
    };
    const transaction = db.transaction((appId: string, cid: string, clientId: string, upTo: ReadPosition) =>
      this.markReadInTransaction(appId, cid, clientId, upTo),
    );
    this.markRead = (...args) => transaction.immediate(...args);
  }

  private markReadInTransaction(appId: string, cid: string, clientId: string, upTo: ReadPosition): ReadResult | undefined {
    const member = this.sql.member.get(appId, cid, clientId);
    const row = member && this.sql.conversation.get(appId, cid);
    if (!member || !row) return undefined;
    const conversation = toConversation(row);
    const key = this.times.key(appId, cid);
    let target = conversation.lastSeq;
    const byId = upTo.messageId === undefined || !key ? undefined : this.sql.seqOfMessage.get(upTo.messageId, key.conv);
    if (byId) target = byId.seq;
    else if (upTo.timestamp !== undefined) target = key ? this.times.countUpTo(key, upTo.timestamp, false) : 0;
    // Reads never move backwards: an older device may report an older position.
    const readSeq = Math.max(member.read_seq, Math.min(target, conversation.lastSeq));
    const newest = readSeq > 0 && key ? (this.sql.timestampOfSeq.get(key.conv, readSeq)?.timestamp ?? 0) : 0;
    const result = readResult(member, conversation, readSeq, newest);
    if (result.advanced) this.sql.setRead.run(readSeq, result.readTimestamp, appId, cid, clientId);
    return result;
  }

  unreadConversations(appId: string, clientId: string, limit: number): UnreadState[] {
    return this.sql.unread.all(appId, clientId, limit).map(toUnreadState);
  }

  undeliveredMessages(appId: string, clientId: string, perConversation: number, maxConversations: number): UndeliveredBatch[] {
    const batches: UndeliveredBatch[] = [];
    for (const conversation of this.undeliveredConversations(appId, clientId, maxConversations)) {
      const batch = this.undeliveredBatch(appId, clientId, conversation, perConversation);
      if (batch) batches.push(batch);
    }
    return batches;
  }

  undeliveredConversations(appId: string, clientId: string, maxConversations: number): UndeliveredConversation[] {
    return this.sql.undeliveredConversations.all(appId, clientId, maxConversations).map((row) => ({ cid: row.cid, deliveredTs: row.delivered_ts }));
  }

  undeliveredBatch(appId: string, clientId: string, { cid, deliveredTs }: UndeliveredConversation, perConversation: number): UndeliveredBatch | undefined {
    const key = this.times.key(appId, cid);
    if (!key) return undefined;
    // Messages after deliveredTs are the seqs past those at or before it.
    const first = this.times.countUpTo(key, deliveredTs, false) + 1;
    // One row past the page tells whether there is more.
    const rows = this.sql.newestFromOthers.all(key.conv, first, key.conv, key.last, clientId, perConversation + 1);
    if (rows.length === 0) return undefined;
    return { cid, messages: rows.slice(0, perConversation).reverse().map((row) => toStoredMessage(appId, cid, row)), hasMore: rows.length > perConversation };
  }

  receiptMessages(appId: string, cid: string, clientId: string, fromTs: number, toTs: number, limit: number): MessageRecord[] {
    const key = this.times.key(appId, cid);
    if (!key) return [];
    // fromTs <= timestamp <= toTs: past the seqs before fromTs, up to the last at or before toTs.
    const first = this.times.countUpTo(key, fromTs, true) + 1;
    const last = this.times.countUpTo(key, toTs, false);
    if (first > last) return [];
    return this.sql.receiptMessages.all(key.conv, first, key.conv, last, clientId, limit).map((row) => toStoredMessage(appId, cid, row));
  }

  memberReceipts(appId: string, cid: string): MemberReceipts[] {
    return this.sql.receipts.all(appId, cid).map((row) => ({ clientId: row.client_id, deliveredTs: row.delivered_ts, readTs: row.read_ts }));
  }
}
