/** Web Push's VAPID key pair and browser subscriptions (schema migration 13): see `Store.vapidKeys` and `Store.addPushSubscription`. */
import type Database from 'better-sqlite3';
import type { WebPushPart } from '../composed-store.js';
import type { PushSubscriptionLimits, PushSubscriptionOutcome, PushSubscriptionRecord, VapidKeyPair } from '../types.js';
import { SUBSCRIPTION_SELECT, type SubscriptionRow, toSubscription } from '../rows.js';

export class WebPushTables implements WebPushPart {
  readonly vapidKeys: (ifNone: VapidKeyPair, now: number) => VapidKeyPair;
  readonly add: (subscription: PushSubscriptionRecord, limits: PushSubscriptionLimits, takeOver: boolean) => PushSubscriptionOutcome;
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      insertKeys: db.prepare('INSERT INTO vapid_keys (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING'),
      keys: db.prepare<[], { public_key: string; private_key: string }>('SELECT public_key, private_key FROM vapid_keys WHERE id = 1'),
      owner: db.prepare<[string], { app_id: string; client_id: string }>('SELECT app_id, client_id FROM push_subscriptions WHERE endpoint = ?'),
      deleteEndpoint: db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?'),
      deleteOwned: db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ? AND app_id = ? AND client_id = ?'),
      total: db.prepare<[], number>('SELECT count(*) FROM push_subscriptions').pluck(),
      nextSeq: db.prepare<[string, string], number>('SELECT coalesce(max(seq), 0) + 1 FROM push_subscriptions WHERE app_id = ? AND client_id = ?').pluck(),
      insert: db.prepare(
        'INSERT INTO push_subscriptions (endpoint, app_id, client_id, seq, p256dh, auth, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // Every subscription of the client but its newest `perClient`.
      trim: db.prepare(
        `DELETE FROM push_subscriptions WHERE app_id = ? AND client_id = ? AND seq IN (
           SELECT seq FROM push_subscriptions WHERE app_id = ? AND client_id = ? ORDER BY seq DESC LIMIT -1 OFFSET ?)`,
      ),
      clientCount: db.prepare<[string, string], number>('SELECT count(*) FROM push_subscriptions WHERE app_id = ? AND client_id = ?').pluck(),
      of: db.prepare<[string, string], SubscriptionRow>(
        `SELECT ${SUBSCRIPTION_SELECT} FROM push_subscriptions
          WHERE app_id = ? AND client_id IN (SELECT value FROM json_each(?)) ORDER BY client_id, seq`,
      ),
      hasApp: db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM push_subscriptions WHERE app_id = ?)').pluck(),
    };
    const vapidKeys = db.transaction((ifNone: VapidKeyPair, now: number): VapidKeyPair => {
      this.sql.insertKeys.run(ifNone.publicKey, ifNone.privateKey, now);
      const row = this.sql.keys.get()!;
      return { publicKey: row.public_key, privateKey: row.private_key };
    });
    this.vapidKeys = (ifNone, now) => vapidKeys.immediate(ifNone, now);
    const add = db.transaction((subscription: PushSubscriptionRecord, limits: PushSubscriptionLimits, takeOver: boolean): PushSubscriptionOutcome => {
      const { appId, clientId, endpoint } = subscription;
      const owner = this.sql.owner.get(endpoint);
      if (owner) {
        const own = owner.app_id === appId && owner.client_id === clientId;
        if (!own && !takeOver) return { kind: 'held' };
        // Taken over, or refreshed: either way it becomes the client's newest.
        this.sql.deleteEndpoint.run(endpoint);
      } else if (this.sql.total.get()! >= limits.total) {
        return { kind: 'full' };
      }
      const seq = this.sql.nextSeq.get(appId, clientId)!;
      this.sql.insert.run(endpoint, appId, clientId, seq, subscription.p256dh, subscription.auth, subscription.lang ?? null, subscription.createdAt);
      this.sql.trim.run(appId, clientId, appId, clientId, limits.perClient);
      return { kind: 'stored', clientCount: this.sql.clientCount.get(appId, clientId)! };
    });
    this.add = (subscription, limits, takeOver) => add.immediate(subscription, limits, takeOver);
  }

  remove(appId: string, clientId: string, endpoint: string): boolean {
    return this.sql.deleteOwned.run(endpoint, appId, clientId).changes > 0;
  }

  drop(endpoint: string): boolean {
    return this.sql.deleteEndpoint.run(endpoint).changes > 0;
  }

  of(appId: string, clientIds: readonly string[]): PushSubscriptionRecord[] {
    return this.sql.of.all(appId, JSON.stringify(clientIds)).map(toSubscription);
  }

  hasApp(appId: string): boolean {
    return this.sql.hasApp.get(appId) === 1;
  }
}
