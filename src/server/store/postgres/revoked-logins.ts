/** Logged-out logins on PostgreSQL: see `Store.revokeLogin` and sqlite/revoked-logins.ts. */
import type pg from 'pg';
import { type Sql, sqlOf, transaction } from './connection.js';

export class RevokedLogins {
  private readonly sql: Sql;

  constructor(private readonly pool: pg.Pool) {
    this.sql = sqlOf(pool);
  }

  revoke(appId: string, loginId: string, expiresAt: number, now: number): Promise<void> {
    return transaction(this.pool, async (sql) => {
      // Pruned as logouts come, so the table holds at most a token lifetime of them.
      await sql.run('DELETE FROM revoked_logins WHERE expires_at < $1', [now]);
      await sql.run(
        `INSERT INTO revoked_logins (app_id, login_id, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (app_id, login_id) DO UPDATE SET expires_at = greatest(revoked_logins.expires_at, excluded.expires_at)`,
        [appId, loginId, expiresAt],
      );
    });
  }

  async isRevoked(appId: string, loginId: string, now: number): Promise<boolean> {
    return (await this.sql.row('SELECT 1 FROM revoked_logins WHERE app_id = $1 AND login_id = $2 AND expires_at >= $3', [appId, loginId, now])) !== undefined;
  }
}
