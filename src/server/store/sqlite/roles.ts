/**
 * v4 member roles and muted members (schema migration 8). A role lives on
 * the member's row (`conversation_members.role`), so leaving drops it; the
 * muted (shutup) list is its own table, so leaving does not lift a mute.
 * A role or muted-list change and its events commit in one IMMEDIATE
 * transaction.
 */
import type Database from 'better-sqlite3';
import { ProtocolError } from '../../../protocol/errors.js';
import type { MemberChange, MemberEvents, MemberRoleRecord, StoredMemberRole } from '../types.js';
import type { Notifications } from './notifications.js';
import { conversationLoader, memberSet } from './rows.js';

export class MemberRoles {
  readonly setRole: (appId: string, cid: string, clientId: string, role: StoredMemberRole, maxManagers: number, events: MemberEvents) => MemberChange;
  readonly addShutup: (appId: string, cid: string, clientIds: readonly string[], mutedBy: string, maxMuted: number, events: MemberEvents) => MemberChange;
  readonly removeShutup: (appId: string, cid: string, clientIds: readonly string[], events: MemberEvents) => MemberChange;
  private readonly sql;

  constructor(db: Database.Database, notifications: Notifications) {
    const sql = {
      role: db.prepare<[string, string, string], { role: StoredMemberRole }>(
        'SELECT role FROM conversation_members WHERE app_id = ? AND cid = ? AND client_id = ?',
      ),
      setRole: db.prepare('UPDATE conversation_members SET role = ? WHERE app_id = ? AND cid = ? AND client_id = ?'),
      managers: db.prepare<[string, string], { n: number }>(
        "SELECT count(*) AS n FROM conversation_members WHERE app_id = ? AND cid = ? AND role = 'Manager'",
      ),
      roles: db.prepare<[string, string, number, number], { client_id: string; role: StoredMemberRole }>(
        `SELECT client_id, role FROM conversation_members
         WHERE app_id = ? AND cid = ? AND (? = 0 OR role = 'Manager') ORDER BY client_id LIMIT ?`,
      ),
      rolesOf: db.prepare<[string, string, string, number, number], { client_id: string; role: StoredMemberRole }>(
        `SELECT client_id, role FROM conversation_members
         WHERE app_id = ? AND cid = ? AND client_id IN (SELECT value FROM json_each(?)) AND (? = 0 OR role = 'Manager')
         ORDER BY client_id LIMIT ?`,
      ),
      insertShutup: db.prepare('INSERT OR IGNORE INTO conversation_shutup (app_id, cid, client_id, muted_by, muted_at) VALUES (?, ?, ?, ?, ?)'),
      deleteShutup: db.prepare('DELETE FROM conversation_shutup WHERE app_id = ? AND cid = ? AND client_id = ?'),
      countShutup: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM conversation_shutup WHERE app_id = ? AND cid = ?'),
      shutupAmong: db.prepare<[string, string, string], { client_id: string }>(
        `SELECT client_id FROM conversation_shutup
         WHERE app_id = ? AND cid = ? AND client_id IN (SELECT value FROM json_each(?)) ORDER BY client_id`,
      ),
      shutupPage: db.prepare<[string, string, string, number], { client_id: string }>(
        'SELECT client_id FROM conversation_shutup WHERE app_id = ? AND cid = ? AND client_id > ? ORDER BY client_id LIMIT ?',
      ),
      isShutup: db.prepare<[string, string, string], { one: number }>(
        'SELECT 1 AS one FROM conversation_shutup WHERE app_id = ? AND cid = ? AND client_id = ?',
      ),
    };
    this.sql = sql;

    const load = conversationLoader(db);
    const listed = (appId: string, cid: string, ids: readonly string[]): Set<string> =>
      new Set(sql.shutupAmong.all(appId, cid, JSON.stringify(ids)).map((row) => row.client_id));

    const setRole = (appId: string, cid: string, clientId: string, role: StoredMemberRole, maxManagers: number, events: MemberEvents): MemberChange => {
      const conversation = load(appId, cid);
      const current = sql.role.get(appId, cid, clientId);
      if (!current) throw ProtocolError.of('CONVERSATION_MEMBERSHIP_REQUIRED', `${clientId} is not a member of ${cid}`);
      if (current.role === role) return { conversation, changed: [], notifications: [] };
      if (role === 'Manager' && sql.managers.get(appId, cid)!.n >= maxManagers) {
        throw ProtocolError.of('CONVERSATION_MEMBER_IN_ROLE_FULL', `at most ${maxManagers} managers per conversation`);
      }
      sql.setRole.run(role, appId, cid, clientId);
      const changed = [clientId];
      return { conversation, changed, notifications: notifications.recordPlanned(appId, events({ conversation, changed })) };
    };

    const addShutup = (appId: string, cid: string, clientIds: readonly string[], mutedBy: string, maxMuted: number, events: MemberEvents): MemberChange => {
      const conversation = load(appId, cid);
      const ids = memberSet(clientIds);
      const already = listed(appId, cid, ids);
      const changed = ids.filter((id) => !already.has(id));
      if (changed.length > 0 && sql.countShutup.get(appId, cid)!.n + changed.length > maxMuted) {
        throw ProtocolError.of('SILIENCED_MEMBER_LIST_FULL', `at most ${maxMuted} muted members per conversation`);
      }
      const now = Date.now();
      for (const id of changed) sql.insertShutup.run(appId, cid, id, mutedBy, now);
      const recorded = changed.length > 0 ? notifications.recordPlanned(appId, events({ conversation, changed })) : [];
      return { conversation, changed, notifications: recorded };
    };

    const removeShutup = (appId: string, cid: string, clientIds: readonly string[], events: MemberEvents): MemberChange => {
      const conversation = load(appId, cid);
      const ids = memberSet(clientIds);
      const before = listed(appId, cid, ids);
      const changed = ids.filter((id) => before.has(id));
      for (const id of changed) sql.deleteShutup.run(appId, cid, id);
      const recorded = changed.length > 0 ? notifications.recordPlanned(appId, events({ conversation, changed })) : [];
      return { conversation, changed, notifications: recorded };
    };

    const immediate = <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) => {
      const transaction = db.transaction(fn);
      return (...args: A) => transaction.immediate(...args);
    };
    this.setRole = immediate(setRole);
    this.addShutup = immediate(addShutup);
    this.removeShutup = immediate(removeShutup);
  }

  roles(appId: string, cid: string, options: { clientIds?: readonly string[]; managersOnly?: boolean; limit: number }): MemberRoleRecord[] {
    const managersOnly = options.managersOnly ? 1 : 0;
    const rows = options.clientIds
      ? this.sql.rolesOf.all(appId, cid, JSON.stringify(options.clientIds), managersOnly, options.limit)
      : this.sql.roles.all(appId, cid, managersOnly, options.limit);
    return rows.map((row) => ({ clientId: row.client_id, role: row.role }));
  }

  shutupPage(appId: string, cid: string, limit: number, after = ''): string[] {
    return this.sql.shutupPage.all(appId, cid, after, limit).map((row) => row.client_id);
  }

  isShutup(appId: string, cid: string, clientId: string): boolean {
    return this.sql.isShutup.get(appId, cid, clientId) !== undefined;
  }
}
