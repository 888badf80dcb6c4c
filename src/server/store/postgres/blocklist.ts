/**
 * Conversation blocklists on PostgreSQL (rules: sqlite/blocklist.ts). A
 * block locks the conversation's row first, then lists, kicks and records
 * its events in the same transaction.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import type { BlockChange, BlockEvents, MemberEvents, UnblockChange } from '../types.js';
import { type Sql, sqlOf, transaction } from './connection.js';
import type { ConversationWrites } from './conversation-writes.js';
import type { Notifications } from './notifications.js';
import { loadForUpdate, memberSet } from './rows.js';

export class Blocklist {
  private readonly sql: Sql;

  constructor(
    private readonly pool: pg.Pool,
    private readonly writes: ConversationWrites,
    private readonly notifications: Notifications,
  ) {
    this.sql = sqlOf(pool);
  }

  block(appId: string, cid: string, clientIds: readonly string[], blockedBy: string, maxBlocked: number, events: BlockEvents): Promise<BlockChange> {
    return transaction(this.pool, async (sql) => {
      await loadForUpdate(sql, appId, cid);
      const ids = memberSet(clientIds);
      const already = new Set(await among(sql, appId, cid, ids));
      const blocked = ids.filter((id) => !already.has(id));
      if (blocked.length > 0) {
        const count = (await sql.row<{ n: number }>('SELECT count(*) AS n FROM conversation_blocklist WHERE app_id = $1 AND cid = $2', [appId, cid]))!.n;
        if (count + blocked.length > maxBlocked) throw ProtocolError.of('BLACKLIST_FULL', `at most ${maxBlocked} blocked clients per conversation`);
      }
      await sql.run(
        `INSERT INTO conversation_blocklist (app_id, cid, client_id, blocked_by, blocked_at)
         SELECT $1, $2, id, $4, $5 FROM unnest($3::text[]) AS id ON CONFLICT DO NOTHING`,
        [appId, cid, blocked, blockedBy, Date.now()],
      );
      const kick = await this.writes.removeIn(sql, appId, cid, ids, events.removed);
      const conversation = kick.conversation;
      const about = blocked.length > 0 ? await this.notifications.recordPlanned(sql, appId, events.listed({ conversation, changed: blocked })) : [];
      return { conversation, blocked, removed: kick.changed, notifications: [...kick.notifications, ...about] };
    });
  }

  unblock(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Promise<UnblockChange> {
    return transaction(this.pool, async (sql) => {
      const conversation = await loadForUpdate(sql, appId, cid);
      const ids = memberSet(clientIds);
      const before = new Set(await among(sql, appId, cid, ids));
      const unblocked = ids.filter((id) => before.has(id));
      await sql.run('DELETE FROM conversation_blocklist WHERE app_id = $1 AND cid = $2 AND client_id = ANY($3::text[])', [appId, cid, unblocked]);
      const recorded = unblocked.length > 0 ? await this.notifications.recordPlanned(sql, appId, events({ conversation, changed: unblocked })) : [];
      return { conversation, unblocked, notifications: recorded };
    });
  }

  async page(appId: string, cid: string, limit: number, after = ''): Promise<string[]> {
    const rows = await this.sql.rows<{ client_id: string }>(
      'SELECT client_id FROM conversation_blocklist WHERE app_id = $1 AND cid = $2 AND client_id > $3 ORDER BY client_id LIMIT $4',
      [appId, cid, after, limit],
    );
    return rows.map((row) => row.client_id);
  }

  among(appId: string, cid: string, clientIds: readonly string[]): Promise<string[]> {
    return among(this.sql, appId, cid, clientIds);
  }
}

async function among(sql: Sql, appId: string, cid: string, clientIds: readonly string[]): Promise<string[]> {
  const rows = await sql.rows<{ client_id: string }>(
    'SELECT client_id FROM conversation_blocklist WHERE app_id = $1 AND cid = $2 AND client_id = ANY($3::text[]) ORDER BY client_id',
    [appId, cid, clientIds],
  );
  return rows.map((row) => row.client_id);
}
