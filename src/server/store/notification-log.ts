/**
 * The membership-event log's rules that do not depend on the database
 * (see sqlite/notifications.ts for the log itself): how an event is stored
 * and read back, and how a page by time ends on a millisecond boundary.
 */
import type { MembershipEvent, MembershipOp, NotificationPage, StoredNotification } from './types.js';

export const MAX_NOTIFICATION_LIMIT = 1000;
/**
 * Events of one millisecond a time-paged fetch returns at most, past its
 * limit, rather than end a page inside that millisecond (which would skip
 * the rest: the client resumes after the page's last `serverTs`).
 */
export const MAX_SAME_MS = 5000;

export interface NotificationRow {
  seq: number;
  server_ts: number;
  op: string;
  cid: string;
  init_by: string;
  members: string | null;
  info: string | null;
}

export const SELECT_EVENT = 'e.seq, e.server_ts, e.op, e.cid, e.init_by, e.members, e.info';

const OPS: ReadonlySet<string> = new Set<MembershipOp>([
  'joined', 'members_joined', 'left', 'members_left', 'blocked', 'members_blocked', 'unblocked', 'members_unblocked',
  'shutuped', 'members_shutuped', 'unshutuped', 'members_unshutuped', 'member_info_changed',
]);
/** Ops whose event names the members concerned (`m`). */
const ABOUT_MEMBERS: ReadonlySet<MembershipOp> = new Set<MembershipOp>([
  'members_joined', 'members_left', 'members_blocked', 'members_unblocked', 'members_shutuped', 'members_unshutuped',
]);

/** The event's stored `members` and `info` columns. */
export function eventColumns(event: MembershipEvent): { members: string | null; info: string | null } {
  return {
    members: ABOUT_MEMBERS.has(event.op) ? JSON.stringify(event.members ?? []) : null,
    info: event.info ? JSON.stringify({ pid: event.info.pid, role: event.info.role }) : null,
  };
}

export function checkNotificationLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_NOTIFICATION_LIMIT) {
    throw new RangeError(`limit must be 1..${MAX_NOTIFICATION_LIMIT}, got ${limit}`);
  }
}

export function toNotification(row: NotificationRow): StoredNotification {
  if (!OPS.has(row.op)) throw new Error(`unknown notification op ${row.op} at ${row.seq}`);
  return {
    seq: row.seq,
    serverTs: row.server_ts,
    op: row.op as MembershipOp,
    cid: row.cid,
    initBy: row.init_by,
    ...(row.members === null ? {} : { members: JSON.parse(row.members) as string[] }),
    ...(row.info === null ? {} : { info: JSON.parse(row.info) as { pid: string; role: string } }),
  };
}

/**
 * A time page from the `limit + 1` events that follow its start: at most
 * `limit`, ending before the millisecond it would cut. When one millisecond
 * alone holds more than `limit`, returns that millisecond (`sameMs`) for the
 * caller to read whole.
 */
export function pageByTime(rows: StoredNotification[], limit: number): NotificationPage | { sameMs: number } {
  if (rows.length <= limit) return { notifications: rows, hasMore: false };
  const cut = rows[limit]!.serverTs;
  const whole = rows.slice(0, limit).filter((row) => row.serverTs !== cut);
  if (whole.length > 0) return { notifications: whole, hasMore: true };
  return { sameMs: cut };
}
