/**
 * Web Push on PostgreSQL (schema migration 2): see `Store.vapidKeys`,
 * `Store.addPushSubscription` and sqlite/web-push.ts. Several nodes write
 * here at once, so each subscription change holds one advisory lock for
 * its transaction: the total and per-client bounds are counted and kept
 * by one writer at a time, and two nodes registering one endpoint at once
 * end with one owner instead of a unique violation. Subscriptions change
 * at a person's pace (rate limited per client), so the lock is not hot.
 * The total is read from push_subscription_count, which every write that
 * adds or removes rows moves in its own transaction.
 */
import type pg from 'pg';
import type { WebPushPart } from '../composed-store.js';
import type { PushSubscriptionLimits, PushSubscriptionOutcome, PushSubscriptionRecord, VapidKeyPair } from '../types.js';
import { type Sql, sqlOf, transaction } from './connection.js';
import { SUBSCRIPTION_SELECT, type SubscriptionRow, toSubscription } from '../rows.js';

/** 'lcps': held by every subscription write, across processes. */
const SUBSCRIPTIONS_LOCK = 0x6c63_7073;

/** Moves push_subscription_count by `delta`, in the transaction that changed the rows. */
async function moveCount(sql: Sql, delta: number): Promise<void> {
  if (delta !== 0) await sql.run('UPDATE push_subscription_count SET n = n + $1', [delta]);
}

export class WebPushTables implements WebPushPart {
  private readonly sql: Sql;

  constructor(private readonly pool: pg.Pool) {
    this.sql = sqlOf(pool);
  }

  async vapidKeys(ifNone: VapidKeyPair, now: number): Promise<VapidKeyPair> {
    // Two statements, not one: a pair committed by a racing node after this
    // statement's snapshot is seen by the next statement's, never by the same one.
    await this.sql.run(
      'INSERT INTO vapid_keys (id, public_key, private_key, created_at) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING',
      [ifNone.publicKey, ifNone.privateKey, now],
    );
    const row = await this.sql.row<{ public_key: string; private_key: string }>('SELECT public_key, private_key FROM vapid_keys WHERE id = 1');
    return { publicKey: row!.public_key, privateKey: row!.private_key };
  }

  add(subscription: PushSubscriptionRecord, limits: PushSubscriptionLimits, takeOver: boolean): Promise<PushSubscriptionOutcome> {
    const { appId, clientId, endpoint } = subscription;
    return transaction(this.pool, async (sql) => {
      await sql.run('SELECT pg_advisory_xact_lock($1)', [SUBSCRIPTIONS_LOCK]);
      const owner = await sql.row<{ app_id: string; client_id: string }>('SELECT app_id, client_id FROM push_subscriptions WHERE endpoint = $1', [endpoint]);
      if (owner) {
        const own = owner.app_id === appId && owner.client_id === clientId;
        if (!own && !takeOver) return { kind: 'held' } as const;
        // Taken over, or refreshed: either way it becomes the client's newest.
        await sql.run('DELETE FROM push_subscriptions WHERE endpoint = $1', [endpoint]);
      } else {
        // A removal committing meanwhile only makes this count high for a moment: a refusal errs on the safe side.
        const total = await sql.row<{ n: number }>('SELECT n FROM push_subscription_count');
        if (total!.n >= limits.total) return { kind: 'full' } as const;
      }
      await sql.run(
        `INSERT INTO push_subscriptions (endpoint, app_id, client_id, seq, p256dh, auth, lang, created_at)
         SELECT $1, $2, $3, coalesce(max(seq), 0) + 1, $4, $5, $6, $7 FROM push_subscriptions WHERE app_id = $2 AND client_id = $3`,
        [endpoint, appId, clientId, subscription.p256dh, subscription.auth, subscription.lang ?? null, subscription.createdAt],
      );
      // Every subscription of the client but its newest `perClient`.
      const trimmed = await sql.run(
        `DELETE FROM push_subscriptions WHERE app_id = $1 AND client_id = $2 AND seq IN (
           SELECT seq FROM push_subscriptions WHERE app_id = $1 AND client_id = $2 ORDER BY seq DESC OFFSET $3)`,
        [appId, clientId, limits.perClient],
      );
      await moveCount(sql, (owner ? 0 : 1) - trimmed);
      const count = await sql.row<{ n: number }>('SELECT count(*) AS n FROM push_subscriptions WHERE app_id = $1 AND client_id = $2', [appId, clientId]);
      return { kind: 'stored', clientCount: count!.n } as const;
    });
  }

  remove(appId: string, clientId: string, endpoint: string): Promise<boolean> {
    return transaction(this.pool, async (sql) => {
      const removed = await sql.run('DELETE FROM push_subscriptions WHERE endpoint = $1 AND app_id = $2 AND client_id = $3', [endpoint, appId, clientId]);
      await moveCount(sql, -removed);
      return removed > 0;
    });
  }

  drop(endpoint: string): Promise<boolean> {
    return transaction(this.pool, async (sql) => {
      const removed = await sql.run('DELETE FROM push_subscriptions WHERE endpoint = $1', [endpoint]);
      await moveCount(sql, -removed);
      return removed > 0;
    });
  }

  async of(appId: string, clientIds: readonly string[]): Promise<PushSubscriptionRecord[]> {
    const rows = await this.sql.rows<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_SELECT} FROM push_subscriptions WHERE app_id = $1 AND client_id = ANY($2::text[]) ORDER BY client_id, seq`,
      [appId, clientIds],
    );
    return rows.map(toSubscription);
  }

  async hasApp(appId: string): Promise<boolean> {
    const row = await this.sql.row<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM push_subscriptions WHERE app_id = $1) AS present', [appId]);
    return row!.present;
  }
}
