/**
 * The membership-event log on PostgreSQL (see sqlite/notifications.ts and
 * store/notification-log.ts). Recording an event updates the one row of
 * `notification_head`, which every recorder locks until its COMMIT: events
 * take seqs and commit one at a time, in order, across every process, so no
 * reader ever sees seq 11 before seq 10 exists.
 */
import type pg from 'pg';
import {
  checkNotificationLimit,
  eventColumns,
  MAX_SAME_MS,
  type NotificationRow,
  pageByTime,
  SELECT_EVENT,
  toNotification,
} from '../notification-log.js';
import type { MembershipEvent, NotificationPage, PlannedNotification, RecordedNotification, StoredNotification } from '../types.js';
import { type Sql, sqlOf, transaction } from './connection.js';

const SINCE = `SELECT ${SELECT_EVENT}
  FROM notification_recipients r JOIN notification_events e ON e.seq = r.seq
  WHERE r.app_id = $1 AND r.client_id = $2 AND r.seq > $3
  ORDER BY r.seq LIMIT $4`;

export class Notifications {
  private readonly sql: Sql;

  constructor(private readonly pool: pg.Pool) {
    this.sql = sqlOf(pool);
  }

  /** Records a member change's planned events inside its transaction. */
  async recordPlanned(sql: Sql, appId: string, planned: readonly PlannedNotification[]): Promise<RecordedNotification[]> {
    const recorded: RecordedNotification[] = [];
    for (const { recipients, event } of planned) {
      const unique = [...new Set(recipients)];
      if (unique.length > 0) recorded.push(await recordIn(sql, appId, unique, event));
    }
    return recorded;
  }

  record(appId: string, recipients: readonly string[], event: MembershipEvent): Promise<RecordedNotification> {
    return transaction(this.pool, (sql) => recordIn(sql, appId, [...new Set(recipients)], event));
  }

  async since(appId: string, clientId: string, afterSeq: number, limit: number): Promise<StoredNotification[]> {
    checkNotificationLimit(limit);
    return (await this.sql.rows<NotificationRow>(SINCE, [appId, clientId, afterSeq, limit])).map(toNotification);
  }

  async afterTime(appId: string, clientId: string, afterTs: number, limit: number): Promise<NotificationPage> {
    checkNotificationLimit(limit);
    // server_ts never decreases with seq: the first event after a time starts a seq range.
    const from = await this.sql.row<{ seq: number }>('SELECT seq FROM notification_events WHERE server_ts > $1 ORDER BY server_ts, seq LIMIT 1', [afterTs]);
    if (!from) return { notifications: [], hasMore: false };
    const rows = await this.sql.rows<NotificationRow>(SINCE, [appId, clientId, from.seq - 1, limit + 1]);
    const page = pageByTime(rows.map(toNotification), limit);
    if (!('sameMs' in page)) return page;
    const sameMs = await this.sql.rows<NotificationRow>(
      `SELECT ${SELECT_EVENT}
       FROM notification_events e JOIN notification_recipients r ON r.seq = e.seq AND r.app_id = $1 AND r.client_id = $2
       WHERE e.server_ts = $3 ORDER BY e.seq LIMIT $4`,
      [appId, clientId, page.sameMs, MAX_SAME_MS],
    );
    return { notifications: sameMs.map(toNotification), hasMore: true };
  }

  async latest(): Promise<number> {
    return (await this.sql.row<{ seq: number }>('SELECT seq FROM notification_head'))?.seq ?? 0;
  }

  async saveCursor(appId: string, clientId: string, login: string, upTo: number): Promise<void> {
    await this.sql.run(
      `INSERT INTO notification_cursors (app_id, client_id, login, up_to, saved_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (app_id, client_id, login) DO UPDATE SET up_to = greatest(notification_cursors.up_to, excluded.up_to), saved_at = excluded.saved_at`,
      [appId, clientId, login, upTo, Date.now()],
    );
  }

  async cursor(appId: string, clientId: string, login: string): Promise<number | undefined> {
    const row = await this.sql.row<{ up_to: number }>('SELECT up_to FROM notification_cursors WHERE app_id = $1 AND client_id = $2 AND login = $3', [appId, clientId, login]);
    return row?.up_to;
  }

  prune(before: number): Promise<number> {
    return transaction(this.pool, async (sql) => {
      const first = await sql.row<{ seq: number }>('SELECT seq FROM notification_events WHERE server_ts >= $1 ORDER BY server_ts, seq LIMIT 1', [before]);
      const boundary = first?.seq ?? Number.MAX_SAFE_INTEGER;
      await sql.run('DELETE FROM notification_recipients WHERE seq < $1', [boundary]);
      await sql.run('DELETE FROM notification_cursors WHERE saved_at < $1', [before]);
      return sql.run('DELETE FROM notification_events WHERE seq < $1', [boundary]);
    });
  }
}

async function recordIn(sql: Sql, appId: string, recipients: string[], event: MembershipEvent): Promise<RecordedNotification> {
  // The wall clock, held (not advanced) if it stepped back: never before the previous event.
  const head = (await sql.row<{ seq: number; server_ts: number }>(
    'UPDATE notification_head SET seq = seq + 1, server_ts = greatest(server_ts, $1) RETURNING seq, server_ts',
    [Date.now()],
  ))!;
  const { members, info } = eventColumns(event);
  await sql.run(
    `WITH event AS (
       INSERT INTO notification_events (seq, server_ts, app_id, op, cid, init_by, members, info) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     )
     INSERT INTO notification_recipients (app_id, client_id, seq) SELECT $3, r, $1 FROM unnest($9::text[]) AS r ON CONFLICT DO NOTHING`,
    [head.seq, head.server_ts, appId, event.op, event.cid, event.initBy, members, info, recipients],
  );
  return { recipients, event, seq: head.seq, serverTs: head.server_ts };
}
