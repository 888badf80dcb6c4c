import { randomBytes } from 'node:crypto';
import { CommandType, OpType, has, type Command, type ISessionCommand } from '../../protocol/codec.js';
import { ProtocolError } from '../../protocol/errors.js';
import { AckGate, takesAckGate } from '../session/ack-gate.js';
import type { SessionConnection } from '../session/session-connection.js';
import { sessionId, type Session } from '../session/session.js';
import { endSession } from '../session/session-end.js';
import { loginSigningString } from '../auth/signature.js';
import { errorFields } from '../observability/logger.js';
import { issueSessionToken, newLoginId } from '../auth/session-token.js';
import { checkSessionToken, revokeLoginOf } from '../auth/token-revocation.js';
import type { AppRecord } from '../store/types.js';
import type { Handler, Request, ServerContext } from './context.js';
import { admitLogin } from './login.js';
import { pushLoginState } from './login-state.js';
import { markLoginStart, noticeGateFor, replayMissedNotifications } from './notification-replay.js';
import { isValidClientId } from './validate.js';

const MAX_PING_IDS = 20;

/**
 * Client ids whose session/open is under way, per connection: an open
 * awaits the store before its session is added, so a pipelined burst of
 * opens would all pass a count of the finished ones.
 */
const opening = new WeakMap<SessionConnection, Set<string>>();

/** Holds a place for `clientId` on the connection, within maxSessionsPerSocket, until `release`. */
function holdSessionPlace(ctx: ServerContext, connection: SessionConnection, clientId: string): () => void {
  const pending = opening.get(connection) ?? new Set<string>();
  const taken = new Set([...connection.sessions.keys(), ...pending]);
  // Re-opening a client already here replaces its session: no new place.
  if (!taken.has(clientId) && taken.size >= ctx.config.maxSessionsPerSocket) {
    throw ProtocolError.of('APP_QUOTA_EXCEEDED', `at most ${ctx.config.maxSessionsPerSocket} clients logged in on one connection`);
  }
  if (pending.has(clientId)) return () => {};
  pending.add(clientId);
  opening.set(connection, pending);
  return () => {
    pending.delete(clientId);
    if (pending.size === 0) opening.delete(connection);
  };
}

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

  const release = holdSessionPlace(ctx, connection, clientId);
  try {
    const wait = ctx.quotas.logins.take(`${app.appId}\u0000${clientId}`);
    if (wait > 0) {
      throw ProtocolError.of('APP_QUOTA_EXCEEDED', `at most ${ctx.quotas.logins.perMinute} logins of ${clientId} per minute; retry in ${Math.ceil(wait / 1000)} s`);
    }
    return await open(ctx, connection, app, clientId, command.sessionMessage ?? undefined);
  } finally {
    release();
  }
};

async function open(ctx: ServerContext, connection: SessionConnection, app: AppRecord, clientId: string, request: ISessionCommand | undefined): Promise<Command> {
  const loginId = (await verifyReconnectToken(ctx, app, clientId, request)) ?? newLoginId();
  if (app.requireSignature) verifyLogin(ctx, app, clientId, request);
  const { tag, deviceId } = await admitLogin(ctx, app.appId, clientId, request);
  const notices = await noticeGateFor(ctx, app.appId, clientId, request);
  const previous = connection.sessions.get(clientId);
  if (previous) endSession(ctx, previous, 'closed');
  // A reconnect stays the same login: a logout then revokes its earlier tokens too.
  const token = issueSessionToken(app, clientId, ctx.config.sessionTokenTtlMs / 1000, Date.now(), loginId);
  const session: Session = {
    id: sessionId(ctx.config.nodeId, connection, clientId),
    appId: app.appId,
    clientId,
    connection,
    tag,
    deviceId,
    ua: request?.ua || '',
    configBitmap: request?.configBitmap ?? 0,
    token,
    openedAt: Date.now(),
    wills: [],
    notices,
    ackGate:
      ctx.config.ackGateMs > 0 && takesAckGate(request?.ua || '')
        ? new AckGate((bytes) => connection.sendPush(bytes), { maxHoldMs: ctx.config.ackGateMs, maxHeldBytes: ctx.config.maxBufferedBytes })
        : undefined,
  };
  connection.addSession(session);
  ctx.sessions.add(session);
  try {
    await markLoginStart(ctx, session);
    // Before the reply: a reconnect with this token may reach another node at once,
    // and a message to this client, once it is seen online, must find this node.
    await Promise.all([ctx.presence.rememberLogin(app.appId, token, { tag, deviceId }, ctx.config.sessionTokenTtlMs), ctx.broker.settled()]);
  } catch (error) {
    // Refused, so not logged in either.
    endSession(ctx, session, 'closed');
    throw error;
  }
  // The guide: a chat-room viewer that reconnects within 30 minutes is back in its room.
  if (request?.r) await resumeRooms(ctx, session, request.st || undefined);

  return {
    cmd: CommandType.session,
    op: OpType.opened,
    peerId: clientId,
    serverTs: Date.now(),
    sessionMessage: { st: token, stTtl: ctx.config.sessionTokenTtlMs / 1000 },
  };
}

/** Takes back the chat rooms of the login this reconnect continues, parked when its connection dropped. */
async function resumeRooms(ctx: ServerContext, session: Session, previousToken: string | undefined): Promise<void> {
  const live = () => ctx.sessions.sessionsOf(session.appId, session.clientId)?.has(session) === true;
  // Gone while the store answered: the places stay parked for a later reconnect.
  if (!live()) return;
  try {
    const parked = await ctx.presence.takeParkedRooms(session.appId, session.clientId, previousToken, session.deviceId);
    // Gone while the presence answered: the places are lost with it, as with any session that ends.
    if (parked && live()) ctx.rooms.restore(session, parked);
  } catch (error) {
    // Logged in all the same: the client joins its room again itself.
    ctx.logger.error({ appId: session.appId, clientId: session.clientId, connectionId: session.connection.id, ...errorFields(error) }, 'resuming the chat rooms failed');
  }
}

/** After the `opened` reply: unread counts or offline messages, missed patches, missed membership events. */
export async function afterSessionOpened(ctx: ServerContext, { connection, command }: Request, reply: Command): Promise<void> {
  const session = reply.peerId ? connection.sessions.get(reply.peerId) : undefined;
  if (!session) return;
  try {
    await pushLoginState(ctx, session, command.sessionMessage);
  } finally {
    // Whatever happened above: the replay also releases the live events held for it.
    await replayMissedNotifications(ctx, session);
  }
}

/**
 * A reconnect that presents a session token must present a valid one: its
 * own, of this app, not expired, not logged out (protocol.md §2.3). Refusing with 4112
 * SESSION_TOKEN_EXPIRED is what makes both official SDKs and ours drop the
 * token and re-open at once without it (v3 and ours then re-sign); any
 * other refusal would only end in `reconnecterror`. The token also names
 * the login whose tag and chat rooms the reconnect takes back, so a forged
 * or stale one must not be taken on trust either.
 */
async function verifyReconnectToken(ctx: ServerContext, app: AppRecord, clientId: string, request: ISessionCommand | undefined): Promise<string | undefined> {
  if (!request?.r || !request.st) return undefined;
  const facts = await checkSessionToken(ctx.store, app, request.st);
  if (facts?.clientId !== clientId) {
    throw ProtocolError.of('SESSION_TOKEN_EXPIRED', `the session token is not a valid, unexpired token of ${clientId}, or was logged out`);
  }
  return facts.loginId;
}

/**
 * A login must be signed, unless it is a reconnect presenting the session
 * token of an earlier signed login (v4 never re-signs on reconnect).
 */
function verifyLogin(ctx: ServerContext, app: AppRecord, clientId: string, request: ISessionCommand | undefined): void {
  // verifyReconnectToken already refused a reconnect whose token is not valid.
  if (request?.r && request.st) return;
  const result = ctx.signatures.verify(app.masterKey, { signature: request?.s ?? undefined, timestamp: request?.t ?? undefined, nonce: request?.n ?? undefined }, (t, n) =>
    loginSigningString(app.appId, clientId, t, n),
  );
  if (!result.ok) throw ProtocolError.of('SIGNATURE_FAILED', result.reason);
}

/**
 * session/close: logs the client out; the socket stays for other clients.
 * The login's session tokens are revoked first, so none of them (a stolen
 * one included) reconnects or reaches the HTTP services once the client
 * has been told it is logged out.
 */
export const closeSession: Handler = async (ctx, { session }) => {
  await revokeLoginOf(ctx.store, session.appId, session.token, ctx.config.sessionTokenTtlMs / 1000);
  await ctx.presence.forgetLogin(session.appId, session.token);
  endSession(ctx, session, 'closed');
  return { cmd: CommandType.session, op: OpType.closed, sessionMessage: {} };
};

/** session/query: which of up to 20 client ids are online. */
export const querySessions: Handler = async (ctx, { command, session }) => {
  const ids = command.sessionMessage?.sessionPeerIds ?? [];
  // The client's mistake, so not INTERNAL_ERROR; the table has no closer name for a per-request limit.
  if (ids.length > MAX_PING_IDS) throw ProtocolError.of('APP_QUOTA_EXCEEDED', `at most ${MAX_PING_IDS} client ids per query, got ${ids.length}`);
  const online = await ctx.presence.online(session.appId, ids);
  return { cmd: CommandType.session, op: OpType.query_result, sessionMessage: { onlineSessionPeerIds: online } };
};
