import { randomBytes } from 'node:crypto';
import { CommandType, OpType, has, type ISessionCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { sessionId, type Session } from '../gateway/session.js';
import { loginSigningString } from '../auth/signature.js';
import { issueSessionToken, verifySessionToken } from '../auth/session-token.js';
import type { AppRecord } from '../store/types.js';
import type { Handler, Request, ServerContext } from './context.js';
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
  if (app.requireSignature) verifyLogin(ctx, app, clientId, request);
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
    sessionMessage: { st: issueSessionToken(app, clientId, ctx.config.sessionTokenTtl), stTtl: ctx.config.sessionTokenTtl },
  };
};

/**
 * A login must be signed, unless it is a reconnect presenting the session
 * token of an earlier signed login (v4 never re-signs on reconnect).
 */
function verifyLogin(ctx: ServerContext, app: AppRecord, clientId: string, request: ISessionCommand | undefined): void {
  if (request?.r && request.st && verifySessionToken(app, request.st) === clientId) return;
  const result = ctx.signatures.verify(app.masterKey, { signature: request?.s ?? undefined, timestamp: request?.t ?? undefined, nonce: request?.n ?? undefined }, (t, n) =>
    loginSigningString(app.appId, clientId, t, n),
  );
  if (!result.ok) throw ProtocolError.of('SIGNATURE_FAILED', result.reason);
}

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
