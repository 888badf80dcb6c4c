/**
 * The membership-event log (schema migrations 3 and 6): what a client was
 * told, or would have been told had it been online, about conversations
 * joining, leaving, blocking, muting and member roles (migration 9 adds
 * `info`), plus per-login cursors saying how much of
 * it a login got before its connection went away.
 *
 * Each event has two numbers. `seq`, strictly increasing, is its key: the
 * order, the replay cursor, what a held-back live push is compared by.
 * `server_ts` is the wall clock when it was recorded, never decreasing from
 * one event to the next but shared by events of the same millisecond, so a
 * flood of events cannot push it ahead of real time (taking `last + 1` ms
 * per event once moved it 149.5 s ahead in 20 s). v4 pages its REST fetch
 * by `server_ts`, so those pages end on a millisecond boundary.
 */
import type Database from 'better-sqlite3';
import {
  checkNotificationLimit as checkLimit,
  eventColumns,
  MAX_SAME_MS,
  type NotificationRow,
  pageByTime,
  SELECT_EVENT,
  toNotification,
} from '../notification-log.js';
import type { MembershipEvent, NotificationPage, PlannedNotification, RecordedNotification, StoredNotification } from '../types.js';

export class Notifications {
  readonly record: (appId: string, recipients: readonly string[], event: MembershipEvent) => RecordedNotification;
  readonly prune: (before: number) => number;
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      latest: db.prepare<[], { seq: number; server_ts: number }>('SELECT seq, server_ts FROM notification_events ORDER BY seq DESC LIMIT 1'),
      insertEvent: db.prepare<[number, string, string, string, string, string | null, string | null]>(
        'INSERT INTO notification_events (server_ts, app_id, op, cid, init_by, members, info) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertRecipient: db.prepare('INSERT OR IGNORE INTO notification_recipients (app_id, client_id, seq) VALUES (?, ?, ?)'),
      since: db.prepare<[string, string, number, number], NotificationRow>(
        `SELECT ${SELECT_EVENT}
         FROM notification_recipients r JOIN notification_events e ON e.seq = r.seq
         WHERE r.app_id = ? AND r.client_id = ? AND r.seq > ?
         ORDER BY r.seq LIMIT ?`,
      ),
      // server_ts never decreases with seq: the first event after a time starts a seq range.
      firstSeqAfterTime: db.prepare<[number], { seq: number }>(
        'SELECT seq FROM notification_events WHERE server_ts > ? ORDER BY server_ts, seq LIMIT 1',
      ),
      firstSeqAtOrAfterTime: db.prepare<[number], { seq: number }>(
        'SELECT seq FROM notification_events WHERE server_ts >= ? ORDER BY server_ts, seq LIMIT 1',
      ),
      atTime: db.prepare<[string, string, number, number], NotificationRow>(
        `SELECT ${SELECT_EVENT}
         FROM notification_events e JOIN notification_recipients r ON r.seq = e.seq AND r.app_id = ? AND r.client_id = ?
         WHERE e.server_ts = ? ORDER BY e.seq LIMIT ?`,
      ),
      saveCursor: db.prepare(
        `INSERT INTO notification_cursors (app_id, client_id, login, up_to, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (app_id, client_id, login) DO UPDATE SET up_to = max(up_to, excluded.up_to), saved_at = excluded.saved_at`,
      ),
      cursor: db.prepare<[string, string, string], { up_to: number }>(
        'SELECT up_to FROM notification_cursors WHERE app_id = ? AND client_id = ? AND login = ?',
      ),
      pruneRecipients: db.prepare('DELETE FROM notification_recipients WHERE seq < ?'),
      pruneEvents: db.prepare('DELETE FROM notification_events WHERE seq < ?'),
      pruneCursors: db.prepare('DELETE FROM notification_cursors WHERE saved_at < ?'),
    };
    // IMMEDIATE: the next seq and server_ts are read and taken under the
    // write lock, so two processes on one file cannot interleave them.
    const record = db.transaction((appId: string, recipients: readonly string[], event: MembershipEvent) =>
      this.recordInTransaction(appId, [...new Set(recipients)], event),
    );
    this.record = (appId, recipients, event) => record.immediate(appId, recipients, event);
    const prune = db.transaction((before: number) => {
      const boundary = this.sql.firstSeqAtOrAfterTime.get(before)?.seq ?? Number.MAX_SAFE_INTEGER;
      this.sql.pruneRecipients.run(boundary);
      this.sql.pruneCursors.run(before);
      return this.sql.pruneEvents.run(boundary).changes;
    });
    this.prune = (before) => prune.immediate(before);
  }

  /**
   * Records the events a member change planned, inside the caller's
   * transaction (the change's own), so both commit or neither does.
   */
  recordPlanned(appId: string, planned: readonly PlannedNotification[]): RecordedNotification[] {
    const recorded: RecordedNotification[] = [];
    for (const { recipients, event } of planned) {
      const unique = [...new Set(recipients)];
      if (unique.length > 0) recorded.push(this.recordInTransaction(appId, unique, event));
    }
    return recorded;
  }

  private recordInTransaction(appId: string, recipients: string[], event: MembershipEvent): RecordedNotification {
    // The wall clock, held (not advanced) if it stepped back: never before the previous event.
    const serverTs = Math.max(Date.now(), this.sql.latest.get()?.server_ts ?? 0);
    const { members, info } = eventColumns(event);
    const seq = Number(this.sql.insertEvent.run(serverTs, appId, event.op, event.cid, event.initBy, members, info).lastInsertRowid);
    for (const clientId of recipients) this.sql.insertRecipient.run(appId, clientId, seq);
    return { recipients, event, seq, serverTs };
  }

  since(appId: string, clientId: string, afterSeq: number, limit: number): StoredNotification[] {
    checkLimit(limit);
    return this.sql.since.all(appId, clientId, afterSeq, limit).map(toNotification);
  }

  /**
   * The client's events recorded after the millisecond `afterTs`, oldest
   * first: at most `limit`, except that a page never ends inside a
   * millisecond. It stops before the millisecond it would cut, or, when one
   * millisecond alone holds more than `limit`, returns all of it.
   */
  afterTime(appId: string, clientId: string, afterTs: number, limit: number): NotificationPage {
    checkLimit(limit);
    const from = this.sql.firstSeqAfterTime.get(afterTs)?.seq;
    if (from === undefined) return { notifications: [], hasMore: false };
    const page = pageByTime(this.sql.since.all(appId, clientId, from - 1, limit + 1).map(toNotification), limit);
    if (!('sameMs' in page)) return page;
    return { notifications: this.sql.atTime.all(appId, clientId, page.sameMs, MAX_SAME_MS).map(toNotification), hasMore: true };
  }

  latest(): number {
    return this.sql.latest.get()?.seq ?? 0;
  }

  saveCursor(appId: string, clientId: string, login: string, upTo: number): void {
    this.sql.saveCursor.run(appId, clientId, login, upTo, Date.now());
  }

  cursor(appId: string, clientId: string, login: string): number | undefined {
    return this.sql.cursor.get(appId, clientId, login)?.up_to;
  }
}
