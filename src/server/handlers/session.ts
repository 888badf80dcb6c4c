import { randomBytes } from 'node:crypto';
import { CommandType, OpType, has } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { sessionId, type Session } from '../gateway/session.js';
import type { Handler, Request } from './context.js';
import { isValidClientId } from './validate.js';

const MAX_PING_IDS = 20;

/** session/open: logs an IMClient in on this connection. */
export const openSession: Handler<Request> = async (ctx, { connection, command }) => {
  const appId = command.appId;
  const app = appId ? await ctx.store.getApp(appId) : undefined;
  if (!app) throw ProtocolError.of('APP_NOT_AVAILABLE', appId ? `unknown app ${appId}` : 'appId is required');
  for (const other of connection.sessions.values()) {
    if (other.appId !== appId) throw ProtocolError.of('APP_NOT_AVAILABLE', 'a connection serves one app');
  }

  // An anonymous createIMClient() sends no peerId: the server names the client.
  const clientId = has(command, 'peerId') ? command.peerId : randomBytes(12).toString('hex');
  if (!isValidClientId(clientId)) throw ProtocolError.of('INVALID_LOGIN', `clientId must be 1-64 characters without control characters, got ${String(clientId).length}`);

  const request = command.sessionMessage ?? undefined;
  const previous = connection.sessions.get(clientId);
  if (previous) ctx.sessions.remove(previous);
  const session: Session = {
    id: sessionId(connection, clientId),
    appId: app.appId,
    clientId,
    connection,
    tag: request?.tag || null,
    deviceId: request?.deviceId || null,
    ua: request?.ua || '',
    openedAt: Date.now(),
  };
  connection.addSession(session);
  ctx.sessions.add(session);

  return {
    cmd: CommandType.session,
    op: OpType.opened,
    peerId: clientId,
    serverTs: Date.now(),
    sessionMessage: { st: randomBytes(18).toString('base64url'), stTtl: ctx.config.sessionTokenTtl },
  };
};

/** session/close: logs the client out; the socket stays for other clients. */
export const closeSession: Handler = async (ctx, { connection, session }) => {
  connection.removeSession(session.clientId);
  ctx.sessions.remove(session);
  return { cmd: CommandType.session, op: OpType.closed, sessionMessage: {} };
};

/** session/query: which of up to 20 client ids are online. */
export const querySessions: Handler = async (ctx, { command, session }) => {
  const ids = command.sessionMessage?.sessionPeerIds ?? [];
  if (ids.length > MAX_PING_IDS) throw ProtocolError.of('INTERNAL_ERROR', `at most ${MAX_PING_IDS} client ids per query, got ${ids.length}`);
  const online = ids.filter((id) => ctx.sessions.isOnline(session.appId, id));
  return { cmd: CommandType.session, op: OpType.query_result, sessionMessage: { onlineSessionPeerIds: online } };
};
