/**
 * Recall and edit of stored messages. The patched payload replaces the
 * original (a recall stores `RECALLED_PAYLOAD`), `patch_timestamp` records
 * when, and the conversation's last-message copy follows when the patched
 * message is the last one.
 */
import type Database from 'better-sqlite3';
import { ProtocolError } from '../../../protocol/errors.js';
import { mentionedMembers, patchedMessage } from '../message-records.js';
import type { MessagePatch, MessageRecord } from '../types.js';
import { type KeyedMessageRow, MESSAGE_ROW_SELECT, messageRowSelect, toStoredMessage } from './message-keys.js';
import { lctypeOf, type MessageRow, toMessage } from './rows.js';

export class Patches {
  readonly patchMessage: (patch: MessagePatch) => MessageRecord;
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      message: db.prepare<[string, string, string], KeyedMessageRow>(
        `SELECT ${MESSAGE_ROW_SELECT} FROM message_rows
         WHERE id = ? AND conv = (SELECT conv_key FROM conversations WHERE app_id = ? AND id = ?)`,
      ),
      patch: db.prepare(
        `UPDATE message_rows SET data = ?, lctype = ?, patch_timestamp = ?, mention_pids = ?, mention_all = ?, bin = ?
         WHERE id = ?`,
      ),
      patchHead: db.prepare(
        `UPDATE conversations SET last_msg_data = ?, last_msg_patch_timestamp = ?, last_msg_bin = ?
         WHERE app_id = ? AND id = ? AND last_msg_id = ?`,
      ),
      mentionMember: db.prepare(
        `UPDATE conversation_members SET mention_seq = max(mention_seq, ?)
         WHERE app_id = ? AND cid = ? AND client_id = ?`,
      ),
      mentionAll: db.prepare('UPDATE conversations SET mention_all_seq = max(mention_all_seq, ?) WHERE app_id = ? AND id = ?'),
      // Per conversation of the client, its patched messages since then (the partial index), merged by time.
      since: db.prepare<[number, string, string, number], MessageRow>(
        `SELECT c.app_id, c.id AS cid, ${messageRowSelect('m')}
         FROM conversation_members cm
         JOIN conversations c ON c.app_id = cm.app_id AND c.id = cm.cid
         JOIN message_rows m ON m.conv = c.conv_key AND m.patch_timestamp > ?
         WHERE cm.app_id = ? AND cm.client_id = ?
         ORDER BY m.patch_timestamp LIMIT ?`,
      ),
    };
    const transaction = db.transaction((patch: MessagePatch) => this.patchInTransaction(patch));
    this.patchMessage = (patch) => transaction.immediate(patch);
  }

  private patchInTransaction(patch: MessagePatch): MessageRecord {
    const row = this.sql.message.get(patch.id, patch.appId, patch.cid);
    if (!row) throw ProtocolError.of('MESSAGE_NOT_FOUND', `no message ${patch.id} in ${patch.cid}`);
    const original = toStoredMessage(patch.appId, patch.cid, row);
    if (original.from !== patch.from) throw ProtocolError.of('MESSAGE_OWNERSHIP_REQUIRED', `${patch.from} did not send ${patch.id}`);
    const patched = patchedMessage(original, patch, Date.now());
    this.sql.patch.run(
      patched.data,
      lctypeOf(patched.data),
      patched.patchTimestamp,
      JSON.stringify(patched.mentionPids),
      patched.mentionAll ? 1 : 0,
      patched.binary ? 1 : 0,
      patched.id,
    );
    this.sql.patchHead.run(patched.data, patched.patchTimestamp, patched.binary ? 1 : 0, patched.appId, patched.cid, patched.id);
    // An edit that mentions someone counts for their unread `mentioned` (a
    // recall or an edit removing a mention leaves the mark: it is a hint).
    if (patched.mentionAll) this.sql.mentionAll.run(patched.seq, patched.appId, patched.cid);
    for (const pid of mentionedMembers(patched)) this.sql.mentionMember.run(patched.seq, patched.appId, patched.cid, pid);
    return patched;
  }

  patchesSince(appId: string, clientId: string, since: number, limit: number): MessageRecord[] {
    return this.sql.since.all(since, appId, clientId, limit).map(toMessage);
  }
}
