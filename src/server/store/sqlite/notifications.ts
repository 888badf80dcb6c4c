/**
 * The membership-event log (schema migration 3): what a client was told,
 * or would have been told had it been online, about conversations joining
 * and leaving, plus per-login cursors saying how much of it a login got
 * before its connection went away.
 */
import type Database from 'better-sqlite3';
import type { MembershipEvent, MembershipOp, PlannedNotification, RecordedNotification, StoredNotification } from '../types.js';

const MAX_LIMIT = 1000;

interface NotificationRow {
  server_ts: number;
  op: string;
  cid: string;
  init_by: string;
  members: string | null;
}

const OPS: ReadonlySet<string> = new Set<MembershipOp>([
  'joined', 'members_joined', 'left', 'members_left', 'blocked', 'members_blocked', 'unblocked', 'members_unblocked',
]);
/** Ops whose event names the members concerned (`m`). */
const ABOUT_MEMBERS: ReadonlySet<MembershipOp> = new Set<MembershipOp>(['members_joined', 'members_left', 'members_blocked', 'members_unblocked']);

export class Notifications {
  readonly record: (appId: string, recipients: readonly string[], event: MembershipEvent) => number;
  readonly prune: (before: number) => number;
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      latest: db.prepare<[], { ts: number | null }>('SELECT max(server_ts) AS ts FROM notification_events'),
      insertEvent: db.prepare('INSERT INTO notification_events (server_ts, app_id, op, cid, init_by, members) VALUES (?, ?, ?, ?, ?, ?)'),
      insertRecipient: db.prepare('INSERT OR IGNORE INTO notification_recipients (app_id, client_id, server_ts) VALUES (?, ?, ?)'),
      since: db.prepare<[string, string, number, number], NotificationRow>(
        `SELECT e.server_ts, e.op, e.cid, e.init_by, e.members
         FROM notification_recipients r JOIN notification_events e ON e.server_ts = r.server_ts
         WHERE r.app_id = ? AND r.client_id = ? AND r.server_ts > ?
         ORDER BY r.server_ts LIMIT ?`,
      ),
      saveCursor: db.prepare(
        `INSERT INTO notification_cursors (app_id, client_id, login, up_to, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (app_id, client_id, login) DO UPDATE SET up_to = max(up_to, excluded.up_to), saved_at = excluded.saved_at`,
      ),
      cursor: db.prepare<[string, string, string], { up_to: number }>(
        'SELECT up_to FROM notification_cursors WHERE app_id = ? AND client_id = ? AND login = ?',
      ),
      pruneRecipients: db.prepare('DELETE FROM notification_recipients WHERE server_ts < ?'),
      pruneEvents: db.prepare('DELETE FROM notification_events WHERE server_ts < ?'),
      pruneCursors: db.prepare('DELETE FROM notification_cursors WHERE saved_at < ?'),
    };
    // IMMEDIATE: the next server_ts is read and taken under the write lock,
    // so two processes on one file cannot hand out the same one.
    const record = db.transaction((appId: string, recipients: readonly string[], event: MembershipEvent) =>
      this.recordInTransaction(appId, recipients, event),
    );
    this.record = (appId, recipients, event) => record.immediate(appId, recipients, event);
    const prune = db.transaction((before: number) => {
      this.sql.pruneRecipients.run(before);
      this.sql.pruneCursors.run(before);
      return this.sql.pruneEvents.run(before).changes;
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
      if (unique.length === 0) continue;
      recorded.push({ recipients: unique, event, serverTs: this.recordInTransaction(appId, unique, event) });
    }
    return recorded;
  }

  private recordInTransaction(appId: string, recipients: readonly string[], event: MembershipEvent): number {
    // Strictly after the previous event even within one millisecond or after
    // the clock stepped back: clients page and resume by this value.
    const serverTs = Math.max(Date.now(), (this.sql.latest.get()?.ts ?? 0) + 1);
    const members = ABOUT_MEMBERS.has(event.op) ? JSON.stringify(event.members ?? []) : null;
    this.sql.insertEvent.run(serverTs, appId, event.op, event.cid, event.initBy, members);
    for (const clientId of recipients) this.sql.insertRecipient.run(appId, clientId, serverTs);
    return serverTs;
  }

  since(appId: string, clientId: string, afterTs: number, limit: number): StoredNotification[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new RangeError(`limit must be 1..${MAX_LIMIT}, got ${limit}`);
    return this.sql.since.all(appId, clientId, afterTs, limit).map(toNotification);
  }

  latest(): number {
    return this.sql.latest.get()?.ts ?? 0;
  }

  saveCursor(appId: string, clientId: string, login: string, upTo: number): void {
    this.sql.saveCursor.run(appId, clientId, login, upTo, Date.now());
  }

  cursor(appId: string, clientId: string, login: string): number | undefined {
    return this.sql.cursor.get(appId, clientId, login)?.up_to;
  }
}

function toNotification(row: NotificationRow): StoredNotification {
  if (!OPS.has(row.op)) throw new Error(`unknown notification op ${row.op} at ${row.server_ts}`);
  return {
    serverTs: row.server_ts,
    op: row.op as MembershipOp,
    cid: row.cid,
    initBy: row.init_by,
    ...(row.members === null ? {} : { members: JSON.parse(row.members) as string[] }),
  };
}
