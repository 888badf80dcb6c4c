/** Recall and edit on PostgreSQL (rules: sqlite/patches.ts); the message's conversation row is locked first. */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import { mentionedMembers, patchedMessage } from '../message-records.js';
import type { MessagePatch, MessageRecord } from '../types.js';
import { type Sql, sqlOf, transaction } from './connection.js';
import { lctypeOf, loadForUpdate, MESSAGE_SELECT, type MessageRow, messagesOf, toMessage } from './rows.js';

export class Patches {
  private readonly sql: Sql;

  constructor(private readonly pool: pg.Pool) {
    this.sql = sqlOf(pool);
  }

  patchMessage(patch: MessagePatch): Promise<MessageRecord> {
    return transaction(this.pool, async (sql) => {
      const row = await sql.row<MessageRow>(`SELECT ${MESSAGE_SELECT} FROM messages WHERE id = $1 AND app_id = $2 AND cid = $3`, [patch.id, patch.appId, patch.cid]);
      if (!row) throw ProtocolError.of('MESSAGE_NOT_FOUND', `no message ${patch.id} in ${patch.cid}`);
      // The head may be this message: appends and patches of it take turns.
      await loadForUpdate(sql, patch.appId, patch.cid);
      const original = toMessage(row);
      if (original.from !== patch.from) throw ProtocolError.of('MESSAGE_OWNERSHIP_REQUIRED', `${patch.from} did not send ${patch.id}`);
      const current = toMessage((await sql.row<MessageRow>(`SELECT ${MESSAGE_SELECT} FROM messages WHERE ${messagesOf('$1', '$2')} AND seq = $3`, [original.appId, original.cid, original.seq]))!);
      const patched = patchedMessage(current, patch, Date.now());
      await sql.run(
        `UPDATE messages SET data = $1, lctype = $2, patch_timestamp = $3, mention_pids = $4, mention_all = $5, bin = $6
         WHERE ${messagesOf('$7', '$8')} AND seq = $9`,
        [patched.data, lctypeOf(patched.data), patched.patchTimestamp, JSON.stringify(patched.mentionPids), patched.mentionAll ? 1 : 0, patched.binary ? 1 : 0, patched.appId, patched.cid, patched.seq],
      );
      await sql.run(
        `UPDATE conversations SET last_msg_data = $1, last_msg_patch_timestamp = $2, last_msg_bin = $3
         WHERE app_id = $4 AND id = $5 AND last_msg_id = $6`,
        [patched.data, patched.patchTimestamp, patched.binary ? 1 : 0, patched.appId, patched.cid, patched.id],
      );
      if (patched.mentionAll) {
        await sql.run('UPDATE conversations SET mention_all_seq = greatest(mention_all_seq, $1) WHERE app_id = $2 AND id = $3', [patched.seq, patched.appId, patched.cid]);
      }
      // An edit that mentions someone counts for their unread `mentioned` (a hint: never lowered).
      await sql.run(
        'UPDATE conversation_members SET mention_seq = greatest(mention_seq, $1) WHERE app_id = $2 AND cid = $3 AND client_id = ANY($4::text[])',
        [patched.seq, patched.appId, patched.cid, mentionedMembers(patched)],
      );
      return patched;
    });
  }

  async patchesSince(appId: string, clientId: string, since: number, limit: number): Promise<MessageRecord[]> {
    const rows = await this.sql.rows<MessageRow>(
      `SELECT ${MESSAGE_SELECT} FROM messages
       WHERE app_id = $1 AND patch_timestamp > $2
         AND cid IN (SELECT cm.cid FROM conversation_members cm WHERE cm.app_id = $1 AND cm.client_id = $3)
       ORDER BY patch_timestamp LIMIT $4`,
      [appId, since, clientId, limit],
    );
    return rows.map(toMessage);
  }
}
