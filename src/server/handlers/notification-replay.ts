/**
 * After a reconnect, the membership events a client missed, pushed as the
 * same conv commands it would have got live (protocol.md §8, "pushing them
 * after the r:true open"), in the log's order (seq), each once.
 *
 * "Missed" is decided per login: when a session's connection drops, the
 * server saves a cursor under its session token (and its deviceId), the
 * seq of the newest event sent to it (or recorded before it logged
 * in). The r:true re-open presents that token (or, its token having expired
 * meanwhile, the same deviceId), and is sent what was recorded for the
 * client after the cursor. Events the old connection was sent live are at or below the
 * cursor, so they are not sent twice; a fresh login (r:false), or a token
 * with no cursor, starts from now. Another device's login has its own token
 * and cursor. Clients that fetch the events over REST (v4, configBitmap
 * bit 4) are not pushed them: v4 would raise each twice.
 */
import type { ISessionCommand } from '../../protocol/codec.js';
import { NoticeGate } from '../session/notice-gate.js';
import { loginKeys } from '../session/session-end.js';
import { fetchesNotifications, type Session } from '../session/session.js';
import type { ServerContext } from './context.js';
import { membershipCommand } from './notify.js';

const PAGE = 200;
/**
 * Events replayed per reconnect at most, oldest first: about 60 bytes each,
 * so a replay stays far below a socket's send budget (maxBufferedBytes).
 * The log's retention bounds it too.
 */
export const MAX_REPLAYED = 5000;

/** How a session opening now is to be sent membership events. */
export async function noticeGateFor(ctx: ServerContext, appId: string, clientId: string, request: ISessionCommand | undefined): Promise<NoticeGate> {
  if (fetchesNotifications(request?.configBitmap ?? 0)) return NoticeGate.live(false);
  // A reconnect names its login by its token, or by its device when it
  // comes back without one (the token expired while it was away).
  for (const login of request?.r ? loginKeys(request.st || undefined, request.deviceId) : []) {
    const since = await ctx.store.notificationCursor(appId, clientId, login);
    if (since !== undefined) return NoticeGate.replaying(since);
  }
  return NoticeGate.live(true);
}

/**
 * For a session sent live events only, marks everything recorded so far as
 * predating it. Called right after the session is registered: an event
 * published from then on reaches it live; one published before has a
 * seq at or below what this reads, so a reconnect of this login does
 * not replay it either.
 */
export async function markLoginStart(ctx: ServerContext, session: Session): Promise<void> {
  if (session.notices.replayFrom !== undefined || !session.notices.keepsCursor) return;
  session.notices.cover(await ctx.store.latestNotificationSeq());
}

/** Pushes what the session's login missed, then the live events that arrived meanwhile. */
export async function replayMissedNotifications(ctx: ServerContext, session: Session): Promise<void> {
  let after = session.notices.replayFrom;
  if (after === undefined) return;
  try {
    let sent = 0;
    while (sent < MAX_REPLAYED) {
      const page = await ctx.store.notificationsSince(session.appId, session.clientId, after, Math.min(PAGE, MAX_REPLAYED - sent));
      for (const notification of page) {
        session.connection.send({ ...membershipCommand(notification, notification.serverTs), peerId: session.clientId });
        session.notices.replayed(notification.seq);
      }
      sent += page.length;
      if (page.length < PAGE) return;
      after = page.at(-1)!.seq;
    }
    ctx.logger.warn({ appId: session.appId, clientId: session.clientId, connectionId: session.connection.id, cap: MAX_REPLAYED }, 'replayed the cap of membership events; any recorded after those are not sent');
  } finally {
    for (const bytes of session.notices.endReplay()) session.connection.sendEncoded(bytes);
  }
}
