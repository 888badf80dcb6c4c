import { sessionTokenDigest } from '../auth/session-token.js';
import { errorFields } from '../observability/logger.js';
import type { ServerContext } from '../handlers/context.js';
import { presenceOf, type Session } from './session.js';

/**
 * How a session ended: `closed` by the client (session/close, or replaced
 * by a new login on the same socket), `dropped` with its connection, or
 * `kicked` by the server (single-device login).
 */
export type SessionEnd = 'closed' | 'dropped' | 'kicked';

/** Takes a session off its connection, the registry and its chat room. */
export function endSession(ctx: ServerContext, session: Session, how: SessionEnd): void {
  if (session.connection.sessions.get(session.clientId) === session) session.connection.removeSession(session.clientId);
  // Wills not delivered by now (a logout, a kick, a replaced login) are void.
  if (session.wills.length > 0) {
    session.wills.length = 0;
    ctx.presence.setWills(presenceOf(session), []);
  }
  session.ackGate?.close();
  const places = ctx.rooms.leaveAll(session);
  ctx.sessions.remove(session);
  // Only a lost connection keeps the chat-room places: the client will be back.
  if (how === 'dropped' && places) parkRooms(ctx, session, places);
  // …and only then will it re-open with r:true and this login's token: from
  // here on, membership events are recorded for it but not sent.
  if (how === 'dropped' && session.notices.keepsCursor) saveCursor(ctx, session);
  ctx.logger.info({ appId: session.appId, clientId: session.clientId, connectionId: session.connection.id, how }, 'session ended');
  ctx.hooks.notify(session.appId, 'clientOffline', { peerId: session.clientId, how, timestamp: Date.now() });
}

function parkRooms(ctx: ServerContext, session: Session, places: { joined: string | undefined; rooms: ReadonlySet<string> }): void {
  const place = { joined: places.joined, rooms: [...places.rooms], token: session.token, deviceId: session.deviceId };
  ctx.presence
    .parkRooms(session.appId, session.clientId, place, ctx.config.roomResumeMs)
    .catch((error: unknown) => ctx.logger.error({ appId: session.appId, clientId: session.clientId, connectionId: session.connection.id, ...errorFields(error) }, 'parking the chat rooms failed'));
}

function saveCursor(ctx: ServerContext, session: Session): void {
  for (const login of loginKeys(session.token, session.deviceId)) {
    ctx.store
      .saveNotificationCursor(session.appId, session.clientId, login, session.notices.cursor)
      .catch((error: unknown) => ctx.logger.error({ appId: session.appId, clientId: session.clientId, connectionId: session.connection.id, ...errorFields(error) }, 'saving the notification cursor failed'));
  }
}

/**
 * The names a login's cursor is saved under: its session token, which the
 * reconnect presents while it is valid, and its device, which the SDKs
 * send when they re-open without a token (theirs expired while they were
 * away; 4112). A deviceId is no credential, but whoever names it is logged
 * in as this client already, and gets only this client's events.
 */
export function loginKeys(token: string | undefined, deviceId: string | null | undefined): string[] {
  return [...(token ? [sessionTokenDigest(token)] : []), ...(deviceId ? [`device:${deviceId}`] : [])];
}
