/** Web Push subscriptions as both stores keep them: the row, its columns, and the record it is read as. */
import type { PushSubscriptionRecord } from './types.js';

export interface SubscriptionRow {
  app_id: string;
  client_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  lang: string | null;
  created_at: number;
}

export const SUBSCRIPTION_SELECT = 'app_id, client_id, endpoint, p256dh, auth, lang, created_at';

export function toSubscription(row: SubscriptionRow): PushSubscriptionRecord {
  return {
    appId: row.app_id,
    clientId: row.client_id,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    ...(row.lang !== null ? { lang: row.lang } : {}),
    createdAt: row.created_at,
  };
}
