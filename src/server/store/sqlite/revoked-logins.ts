/** Logged-out logins (schema migration 4): see `Store.revokeLogin`. */
import type Database from 'better-sqlite3';

export class RevokedLogins {
  readonly revoke: (appId: string, loginId: string, expiresAt: number, now: number) => void;
  private readonly isRevokedStatement;

  constructor(db: Database.Database) {
    const insert = db.prepare(
      `INSERT INTO revoked_logins (app_id, login_id, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (app_id, login_id) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)`,
    );
    // Pruned as logouts come, so the table holds at most a token lifetime of them.
    const prune = db.prepare('DELETE FROM revoked_logins WHERE expires_at < ?');
    this.isRevokedStatement = db.prepare<[string, string, number], { found: number }>(
      'SELECT 1 AS found FROM revoked_logins WHERE app_id = ? AND login_id = ? AND expires_at >= ?',
    );
    const revoke = db.transaction((appId: string, loginId: string, expiresAt: number, now: number) => {
      prune.run(now);
      insert.run(appId, loginId, expiresAt);
    });
    this.revoke = (appId, loginId, expiresAt, now) => revoke.immediate(appId, loginId, expiresAt, now);
  }

  isRevoked(appId: string, loginId: string, now: number): boolean {
    return this.isRevokedStatement.get(appId, loginId, now) !== undefined;
  }
}
