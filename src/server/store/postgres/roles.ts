/**
 * v4 member roles and muted members on PostgreSQL (rules: sqlite/roles.ts).
 * Each change locks the conversation's row first, so the manager and muted
 * counts it checks cannot change under it.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import type { MemberChange, MemberEvents, MemberRoleRecord, StoredMemberRole } from '../types.js';
import { arrayLiteral } from './appends.js';
import { type Sql, sqlOf, transaction } from './connection.js';
import type { Notifications } from './notifications.js';
import { loadForUpdate, memberSet } from './rows.js';

export class MemberRoles {
  private readonly sql: Sql;

  constructor(
    private readonly pool: pg.Pool,
    private readonly notifications: Notifications,
  ) {
    this.sql = sqlOf(pool);
  }

  setRole(appId: string, cid: string, clientId: string, role: StoredMemberRole, maxManagers: number, events: MemberEvents): Promise<MemberChange> {
    return transaction(this.pool, async (sql) => {
      const conversation = await loadForUpdate(sql, appId, cid);
      const current = await sql.row<{ role: StoredMemberRole }>('SELECT role FROM conversation_members WHERE app_id = $1 AND cid = $2 AND client_id = $3', [appId, cid, clientId]);
      if (!current) throw ProtocolError.of('CONVERSATION_MEMBERSHIP_REQUIRED', `${clientId} is not a member of ${cid}`);
      if (current.role === role) return { conversation, changed: [], notifications: [] };
      if (role === 'Manager') {
        const managers = (await sql.row<{ n: number }>("SELECT count(*) AS n FROM conversation_members WHERE app_id = $1 AND cid = $2 AND role = 'Manager'", [appId, cid]))!.n;
        if (managers >= maxManagers) throw ProtocolError.of('CONVERSATION_MEMBER_IN_ROLE_FULL', `at most ${maxManagers} managers per conversation`);
      }
      await sql.run('UPDATE conversation_members SET role = $1 WHERE app_id = $2 AND cid = $3 AND client_id = $4', [role, appId, cid, clientId]);
      const changed = [clientId];
      return { conversation, changed, notifications: await this.notifications.recordPlanned(sql, appId, events({ conversation, changed })) };
    });
  }

  addShutup(appId: string, cid: string, clientIds: readonly string[], mutedBy: string, maxMuted: number, events: MemberEvents): Promise<MemberChange> {
    return transaction(this.pool, async (sql) => {
      const conversation = await loadForUpdate(sql, appId, cid);
      const ids = memberSet(clientIds);
      const already = new Set(await shutupAmong(sql, appId, cid, ids));
      const changed = ids.filter((id) => !already.has(id));
      if (changed.length > 0) {
        const count = (await sql.row<{ n: number }>('SELECT count(*) AS n FROM conversation_shutup WHERE app_id = $1 AND cid = $2', [appId, cid]))!.n;
        if (count + changed.length > maxMuted) throw ProtocolError.of('SILIENCED_MEMBER_LIST_FULL', `at most ${maxMuted} muted members per conversation`);
      }
      await sql.run(
        `INSERT INTO conversation_shutup (app_id, cid, client_id, muted_by, muted_at)
         SELECT $1, $2, id, $4, $5 FROM unnest($3::text[]) AS id ON CONFLICT DO NOTHING`,
        [appId, cid, changed, mutedBy, Date.now()],
      );
      const recorded = changed.length > 0 ? await this.notifications.recordPlanned(sql, appId, events({ conversation, changed })) : [];
      return { conversation, changed, notifications: recorded };
    });
  }

  removeShutup(appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): Promise<MemberChange> {
    return transaction(this.pool, async (sql) => {
      const conversation = await loadForUpdate(sql, appId, cid);
      const ids = memberSet(clientIds);
      const before = new Set(await shutupAmong(sql, appId, cid, ids));
      const changed = ids.filter((id) => before.has(id));
      await sql.run('DELETE FROM conversation_shutup WHERE app_id = $1 AND cid = $2 AND client_id = ANY($3::text[])', [appId, cid, changed]);
      const recorded = changed.length > 0 ? await this.notifications.recordPlanned(sql, appId, events({ conversation, changed })) : [];
      return { conversation, changed, notifications: recorded };
    });
  }

  async roles(appId: string, cid: string, options: { clientIds?: readonly string[]; managersOnly?: boolean; limit: number }): Promise<MemberRoleRecord[]> {
    const rows = await this.sql.rows<{ client_id: string; role: StoredMemberRole }>(
      `SELECT client_id, role FROM conversation_members
       WHERE app_id = $1 AND cid = $2 AND ($3::text[] IS NULL OR client_id = ANY($3::text[])) AND (NOT $4 OR role = 'Manager')
       ORDER BY client_id LIMIT $5`,
      [appId, cid, options.clientIds ?? null, options.managersOnly === true, options.limit],
    );
    return rows.map((row) => ({ clientId: row.client_id, role: row.role }));
  }

  async shutupPage(appId: string, cid: string, limit: number, after = ''): Promise<string[]> {
    const rows = await this.sql.rows<{ client_id: string }>(
      'SELECT client_id FROM conversation_shutup WHERE app_id = $1 AND cid = $2 AND client_id > $3 ORDER BY client_id LIMIT $4',
      [appId, cid, after, limit],
    );
    return rows.map((row) => row.client_id);
  }

  async isShutup(appId: string, cid: string, clientId: string): Promise<boolean> {
    // Named: the direct path asks it for each burst of messages, as it reads the conversation (postgres-store.ts getConversation).
    const { rows } = await this.pool.query({ name: 'lc_is_shutup', text: 'SELECT 1 FROM conversation_shutup WHERE app_id = $1 AND cid = $2 AND client_id = $3', values: [appId, cid, clientId] });
    return rows.length > 0;
  }

  /** isShutup of several members at once, in the order asked. */
  async shutupOf(keys: readonly { appId: string; cid: string; clientId: string }[]): Promise<boolean[]> {
    const { rows } = await this.pool.query<{ n: number }>({
      name: 'lc_shutup_of',
      text: `SELECT k.n::integer AS n FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(app_id, cid, client_id, n)
        WHERE EXISTS (SELECT 1 FROM conversation_shutup s WHERE s.app_id = k.app_id AND s.cid = k.cid AND s.client_id = k.client_id)`,
      values: [arrayLiteral(keys.map((key) => key.appId)), arrayLiteral(keys.map((key) => key.cid)), arrayLiteral(keys.map((key) => key.clientId))],
    });
    const shutup: boolean[] = new Array(keys.length).fill(false);
    for (const row of rows) shutup[row.n - 1] = true;
    return shutup;
  }
}

async function shutupAmong(sql: Sql, appId: string, cid: string, clientIds: readonly string[]): Promise<string[]> {
  const rows = await sql.rows<{ client_id: string }>(
    'SELECT client_id FROM conversation_shutup WHERE app_id = $1 AND cid = $2 AND client_id = ANY($3::text[]) ORDER BY client_id',
    [appId, cid, clientIds],
  );
  return rows.map((row) => row.client_id);
}
