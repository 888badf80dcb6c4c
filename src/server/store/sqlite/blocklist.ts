/**
 * Conversation blocklists (schema migration 5): clients a conversation's
 * members blocked. Blocking removes those who are members, in the same
 * IMMEDIATE transaction as the list change and every event it causes, so a
 * crash cannot leave a blocked member inside, or a kick without its `left`.
 */
import type Database from 'better-sqlite3';
import { ProtocolError } from '../../../protocol/errors.js';
import type { BlockChange, BlockEvents, MemberChange, MemberEvents, UnblockChange } from '../types.js';
import type { ConversationWrites } from './conversation-writes.js';
import type { Notifications } from './notifications.js';
import { conversationLoader, memberSet } from './rows.js';

export class Blocklist {
  readonly block: (appId: string, cid: string, clientIds: readonly string[], blockedBy: string, maxBlocked: number, events: BlockEvents) => BlockChange;
  readonly unblock: (appId: string, cid: string, clientIds: readonly string[], events: MemberEvents) => UnblockChange;
  private readonly sql;

  constructor(db: Database.Database, writes: ConversationWrites, notifications: Notifications) {
    const sql = {
      insert: db.prepare('INSERT OR IGNORE INTO conversation_blocklist (app_id, cid, client_id, blocked_by, blocked_at) VALUES (?, ?, ?, ?, ?)'),
      remove: db.prepare('DELETE FROM conversation_blocklist WHERE app_id = ? AND cid = ? AND client_id = ?'),
      count: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM conversation_blocklist WHERE app_id = ? AND cid = ?'),
      page: db.prepare<[string, string, string, number], { client_id: string }>(
        'SELECT client_id FROM conversation_blocklist WHERE app_id = ? AND cid = ? AND client_id > ? ORDER BY client_id LIMIT ?',
      ),
      among: db.prepare<[string, string, string], { client_id: string }>(
        `SELECT client_id FROM conversation_blocklist
         WHERE app_id = ? AND cid = ? AND client_id IN (SELECT value FROM json_each(?)) ORDER BY client_id`,
      ),
    };
    this.sql = sql;

    const load = conversationLoader(db);
    const listed = (appId: string, cid: string, ids: readonly string[]): Set<string> =>
      new Set(sql.among.all(appId, cid, JSON.stringify(ids)).map((row) => row.client_id));

    const block = (appId: string, cid: string, clientIds: readonly string[], blockedBy: string, maxBlocked: number, events: BlockEvents): BlockChange => {
      load(appId, cid);
      const ids = memberSet(clientIds);
      const already = listed(appId, cid, ids);
      const blocked = ids.filter((id) => !already.has(id));
      if (blocked.length > 0 && sql.count.get(appId, cid)!.n + blocked.length > maxBlocked) {
        throw ProtocolError.of('BLACKLIST_FULL', `at most ${maxBlocked} blocked clients per conversation`);
      }
      const now = Date.now();
      for (const id of blocked) sql.insert.run(appId, cid, id, blockedBy, now);
      // Nested in this transaction (a savepoint): the kick and its events commit with the block.
      const kick: MemberChange = writes.removeMembers(appId, cid, ids, events.removed);
      const conversation = kick.conversation;
      const about = blocked.length > 0 ? notifications.recordPlanned(appId, events.listed({ conversation, changed: blocked })) : [];
      return { conversation, blocked, removed: kick.changed, notifications: [...kick.notifications, ...about] };
    };

    const unblock = (appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): UnblockChange => {
      const conversation = load(appId, cid);
      const ids = memberSet(clientIds);
      const before = listed(appId, cid, ids);
      const unblocked = ids.filter((id) => before.has(id));
      for (const id of unblocked) sql.remove.run(appId, cid, id);
      const recorded = unblocked.length > 0 ? notifications.recordPlanned(appId, events({ conversation, changed: unblocked })) : [];
      return { conversation, unblocked, notifications: recorded };
    };

    const immediate = <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) => {
      const transaction = db.transaction(fn);
      return (...args: A) => transaction.immediate(...args);
    };
    this.block = immediate(block);
    this.unblock = immediate(unblock);
  }

  page(appId: string, cid: string, limit: number, after = ''): string[] {
    return this.sql.page.all(appId, cid, after, limit).map((row) => row.client_id);
  }

  among(appId: string, cid: string, clientIds: readonly string[]): string[] {
    return this.sql.among.all(appId, cid, JSON.stringify(clientIds)).map((row) => row.client_id);
  }
}
