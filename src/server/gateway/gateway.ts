import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CommandType, fromFrame, has, withPeerId, type DecodedCommand } from '../../protocol/codec.js';
import { errorCode } from '../../protocol/errors.js';
import { pickSubprotocol, type Subprotocol } from '../../protocol/subprotocols.js';
import type { Delivery } from '../broker/types.js';
import type { ServerContext } from '../handlers/context.js';
import { deliverWills } from '../handlers/direct.js';
import { errorFields } from '../observability/logger.js';
import { Connection } from './connection.js';
import { dispatch, replyError } from './dispatch.js';
import { DirectBatch } from '../handlers/direct-batch.js';
import { currentReplyScope, inReplyScope, releaseHeld, replyScope, sendOrHold } from './reply-order.js';
import { ServerSendBudget } from './send-budget.js';
import { roomFrameClass } from './send-queue.js';
import { presenceOf, type Session } from '../session/session.js';
import { SharedPush, peerIdField } from './shared-frame.js';
import { endSession } from '../session/session-end.js';
import { heldByGate, pushedMessageOf, type PushedMessage } from '../session/ack-gate.js';

/** WebSocket close code for a server shutting down (RFC 6455 "going away"). */
export const GOING_AWAY = 1001;
/**
 * WebSocket close code for "reconnect now" after the broker may have lost
 * deliveries (RFC 6455's registry: 1012 Service Restart). Every SDK we
 * serve reconnects on any code but 4100/4103/4110 (protocol.md, close
 * codes), and its reconnect fetches what it missed from the store. Not
 * 1001, which says this server is going away: this one stays.
 */
export const SERVICE_RESTART = 1012;
const CLOSE_GRACE_MS = 2000;

/** Send-queue facts for /health and tests. */
export interface SendStats {
  /** Bytes waiting for all sockets (our queues and the WebSockets' buffers). */
  pendingBytes: number;
  /** The most any one socket has waiting. */
  maxPendingBytes: number;
  /** Chat-room frames dropped for slow clients since start. */
  droppedFrames: number;
  /** Sockets cut off as too slow since start. */
  slowConsumersCut: number;
  /** The server-wide cap on `pendingBytes` (`--max-send-buffer-total`). */
  sendBufferTotalLimit: number;
  /** Chat-room frames dropped since start because all queues together were over the cap (also in droppedFrames). */
  framesShedForTotal: number;
  /** Sockets cut off since start because all queues together were over the cap (also in slowConsumersCut). */
  cutForTotal: number;
}

/**
 * The WebSocket side of the server: negotiates the subprotocol, decodes
 * frames, dispatches commands, delivers broker pushes to local sessions and
 * closes sockets that idle or never log in.
 */
export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly unsubscribeGaps: () => void;
  /** Closed by us after a broker gap: the client is coming back, so its will messages are not due. */
  private readonly closedForGap = new WeakSet<Connection>();
  private readonly pending = new Set<Promise<void>>();
  private readonly sendBudget: ServerSendBudget;
  private readonly peerIdFields = new WeakMap<Session, Buffer>();
  /** Persisted `direct`s decided without waiting, stored and answered one batch per tick. */
  private readonly directs: DirectBatch<Connection>;
  private accepting = true;
  /** Counters of connections already gone. */
  private droppedFramesClosed = 0;
  private slowConsumersCut = 0;

  constructor(private readonly ctx: ServerContext) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: ctx.config.maxPayload,
      // Chat payloads are small and latency matters more than bytes.
      perMessageDeflate: false,
      handleProtocols: (offered) => pickSubprotocol(offered)?.name ?? false,
    });
    this.directs = new DirectBatch(
      ctx,
      (connection, i, peerId, error) => replyError(ctx, connection, i, peerId, 'direct', error),
      (connection, command) => this.run(connection, command),
      (connection, publish) => {
        const scope = replyScope(connection);
        return { published: inReplyScope(scope, publish), release: () => releaseHeld(scope) };
      },
    );
    this.sendBudget = new ServerSendBudget(ctx.config.maxTotalBufferedBytes, () => this.connections, ctx.config.log);
    this.unsubscribe = ctx.broker.subscribe((deliveries) => this.deliverAll(deliveries));
    this.unsubscribeGaps = ctx.broker.onGap(() => this.reconnectAll());
    const { loginTimeoutMs, idleTimeoutMs } = ctx.config;
    const sweepEvery = Math.max(20, Math.min(5000, Math.floor(Math.min(loginTimeoutMs, idleTimeoutMs) / 4)));
    this.sweepTimer = setInterval(() => this.sweep(), sweepEvery);
    this.sweepTimer.unref();
  }

  /** Wires the gateway to an HTTP server's `upgrade` event. */
  attach(server: HttpServer): void {
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  sendStats(): SendStats {
    let pendingBytes = 0;
    let maxPendingBytes = 0;
    let droppedFrames = this.droppedFramesClosed;
    for (const connection of this.connections) {
      const pending = connection.pendingBytes;
      pendingBytes += pending;
      maxPendingBytes = Math.max(maxPendingBytes, pending);
      droppedFrames += connection.droppedFrames;
    }
    return { pendingBytes, maxPendingBytes, droppedFrames, slowConsumersCut: this.slowConsumersCut, ...this.sendBudget.stats() };
  }

  /** Stops accepting, waits for commands in flight, closes every socket with 1001. */
  async close(): Promise<void> {
    this.accepting = false;
    clearInterval(this.sweepTimer);
    // A command waiting for its client to read (a bulk reply) would wait for
    // ever: give the rest a moment, then closing the sockets releases it.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.pending, this.directs.drain()]), new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(grace);
    for (const connection of this.connections) connection.close(GOING_AWAY, 'server shutting down');
    this.unsubscribe();
    this.unsubscribeGaps();
    // Give clients a moment to answer the close handshake, then cut the rest.
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.connections.size > 0 && Date.now() < deadline) await delay(20);
    for (const connection of this.connections) connection.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    // Refused before the handshake: a flood of connections costs us one HTTP answer each.
    if (this.ctx.quotas.connections && this.ctx.quotas.connections.take(request.socket.remoteAddress ?? '') > 0) {
      this.ctx.metrics.countRefusedConnection();
      const body = 'too many new connections from this address\n';
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    const subprotocol = this.negotiate(request);
    if (!this.accepting || !subprotocol) {
      const status = this.accepting ? '400 Bad Request' : '503 Service Unavailable';
      const body = this.accepting ? 'unsupported or missing WebSocket subprotocol\n' : 'server shutting down\n';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, subprotocol));
  }

  /** The subprotocol header, or WeChat's `?subprotocol=` query parameter. */
  private negotiate(request: IncomingMessage): Subprotocol | undefined {
    const header = request.headers['sec-websocket-protocol'];
    if (header) return pickSubprotocol(header.split(','));
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('subprotocol');
    return query ? pickSubprotocol([query]) : undefined;
  }

  private accept(ws: WebSocket, request: IncomingMessage, subprotocol: Subprotocol): void {
    const { maxBufferedBytes, writeHighWaterBytes, sendQueueMaxAgeMs, maxPendingReplies } = this.ctx.config;
    const limits = { maxBufferedBytes, writeHighWaterBytes, maxQueueAgeMs: sendQueueMaxAgeMs, maxPendingReplies };
    const connection = new Connection(ws, subprotocol, limits, request.socket.remoteAddress ?? '', this.sendBudget);
    this.connections.add(connection);
    this.ctx.metrics.countConnection();
    const log = this.ctx.logger.child({ connectionId: connection.id });
    log.info({ remote: connection.remoteAddress, subprotocol: subprotocol.name }, 'connection opened');
    ws.on('message', (data, isBinary) => this.receive(connection, data, isBinary));
    // ws reports protocol violations (oversized or malformed frames) here and closes the socket itself.
    ws.on('error', (error) => log.warn({ reason: error.message }, 'connection error'));
    ws.on('close', (code) => {
      connection.markClosed();
      this.connections.delete(connection);
      this.droppedFramesClosed += connection.droppedFrames;
      if (connection.cutOffReason) {
        this.slowConsumersCut += 1;
        log.warn({ reason: connection.cutOffReason, droppedFrames: connection.droppedFrames }, 'connection cut off as too slow');
      }
      log.info({ code, sessions: connection.sessions.size, droppedFrames: connection.droppedFrames }, 'connection closed');
      for (const session of [...connection.sessions.values()]) {
        // A server shutting down is not the client dropping out: its will messages are not due.
        if (this.accepting && !this.closedForGap.has(connection) && session.wills.length > 0) {
          const wills = session.wills.splice(0);
          this.ctx.presence.setWills(presenceOf(session), []);
          void deliverWills(this.ctx, { appId: session.appId, clientId: session.clientId, wills }).catch((error: unknown) =>
            log.error({ appId: session.appId, clientId: session.clientId, ...errorFields(error) }, 'will messages failed'),
          );
        }
        endSession(this.ctx, session, 'dropped');
      }
    });
  }

  private receive(connection: Connection, data: RawData, isBinary: boolean): void {
    connection.lastSeenAt = Date.now();
    let command;
    try {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      command = fromFrame(isBinary ? bytes : bytes.toString('utf8'));
    } catch {
      this.rejectGarbage(connection);
      return;
    }
    if (command.cmd === CommandType.direct) return this.receiveDirect(connection, command);
    this.run(connection, command);
  }

  private run(connection: Connection, command: DecodedCommand): void {
    const task = dispatch(this.ctx, connection, command);
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /**
   * A `direct`: into this tick's batch when it can be decided without
   * waiting (direct-batch.ts), else dispatched. One connection's messages
   * are stored in the order they came: one that takes the per-message path
   * first sends the batch holding that connection's earlier ones to the
   * store. A later one takes the batch only once the cache holds what the
   * per-message one loaded, and by then that one has reached the store too
   * (the rest of its way takes no turn of the event loop), unless another
   * connection's read filled the cache while its own was still waiting
   * for the database (two reads of one conversation in flight at once).
   */
  private receiveDirect(connection: Connection, command: DecodedCommand): void {
    const peerId = has(command, 'peerId') ? command.peerId : undefined;
    const session = connection.sessionFor(peerId);
    if (session && this.directs.offer(connection, session, command, has(command, 'i') ? command.i : undefined, peerId)) return;
    if (this.directs.holds(connection)) this.directs.submit();
    this.run(connection, command);
  }

  private rejectGarbage(connection: Connection): void {
    connection.garbageFrames += 1;
    const code = errorCode('UNPARSEABLE_RAW_MESSAGE');
    connection.send({ cmd: CommandType.error, errorMessage: { code, reason: 'UNPARSEABLE_RAW_MESSAGE' } });
    if (connection.garbageFrames >= this.ctx.config.maxGarbageFrames) connection.close(code, 'UNPARSEABLE_RAW_MESSAGE');
  }

  /**
   * The broker may have lost deliveries (its link to the other nodes was
   * down): every client reconnects, and its reconnect catches up from the
   * store by sequence (unread, offline messages, missed events), which a
   * push lost in between cannot.
   */
  private reconnectAll(): void {
    if (!this.accepting) return;
    this.ctx.logger.warn({ connections: this.connections.size }, 'broker gap: closing every connection so that its client reconnects and catches up');
    for (const connection of this.connections) {
      this.closedForGap.add(connection);
      connection.close(SERVICE_RESTART, 'reconnect to catch up');
    }
  }

  /**
   * Hands what the broker delivered together to the local sessions, in
   * order. Consecutive plain pushes to one recipient list (a group's
   * messages of one sending node's turn, which a Redis broker delivers as
   * one publication) go out in one pass over the recipients (deliverRun):
   * each recipient's sessions are looked up once per run, not once per
   * message. Anything else goes out on its own (deliverOwn).
   */
  private deliverAll(deliveries: readonly Delivery[]): void {
    for (let from = 0; from < deliveries.length; ) {
      const first = deliveries[from]!;
      if (!isPlainPush(first)) {
        this.deliverOwn(first);
        from += 1;
        continue;
      }
      let to = from + 1;
      while (to < deliveries.length && sameRecipients(first, deliveries[to]!)) to++;
      this.deliverRun(deliveries, from, to);
      from = to;
    }
  }

  /**
   * deliveries[from..to): plain pushes to the same recipients (deliverAll),
   * each session getting them in order. A plain push (a group message, say)
   * shares its bytes between recipients like a chat-room message.
   */
  private deliverRun(deliveries: readonly Delivery[], from: number, to: number): void {
    const { appId, clientIds } = deliveries[from]!;
    // Read once: pushes to other connections only compare against it.
    const scope = currentReplyScope();
    // Built at the first recipient found here: a message to members none of whom is on this node costs nothing more.
    const pushes: Array<SharedPush | undefined> = new Array(to - from);
    // Decoded only for an official SDK's session (ack-gate.ts), once per message.
    const messages: Array<PushedMessage | null | undefined> = new Array(to - from);
    const now = Date.now();
    // Counted once per run, not per recipient: this loop is the fan-out's hot path.
    let delivered = 0;
    for (const clientId of clientIds) {
      const sessions = this.ctx.sessions.sessionsOf(appId, clientId);
      if (!sessions) continue;
      for (const session of sessions) {
        for (let k = 0; k < to - from; k++) {
          const delivery = deliveries[from + k]!;
          if (session.id === delivery.excludeSessionId) continue;
          const push = (pushes[k] ??= new SharedPush(delivery.payload));
          if (session.ackGate !== undefined) {
            let message = messages[k];
            if (message === undefined) message = messages[k] = pushedMessageOf(delivery.payload);
            if (heldByGate(session.ackGate, clientId, message, () => push.bytesFor(this.peerIdFieldOf(session)))) {
              delivered += 1;
              continue;
            }
          }
          if (scope?.connection !== session.connection) session.connection.sendShared(push, this.peerIdFieldOf(session), 'reliable', now);
          else sendOrHold(scope, session.connection, withPeerId(delivery.payload, clientId));
          delivered += 1;
        }
      }
    }
    this.ctx.metrics.countDeliveries(delivered);
  }

  /**
   * A push that is not plain (deliverAll): a cache notice, a chat-room
   * message, or a membership event, takeover or kick, which are few and may
   * be held by the session, so they get bytes of their own.
   */
  private deliverOwn(delivery: Delivery): void {
    if (delivery.conversationChanged !== undefined) return this.ctx.membership.invalidate(delivery.appId, delivery.conversationChanged);
    if (delivery.roomId !== undefined) return this.deliverToRoom(delivery, delivery.roomId);
    const { takeover } = delivery;
    // A takeover or a kick logs the recipients' sessions out after the push.
    const ends = takeover !== undefined || delivery.endSessions === true;
    const scope = ends ? undefined : currentReplyScope();
    let delivered = 0;
    for (const clientId of delivery.clientIds) {
      const sessions = this.ctx.sessions.sessionsOf(delivery.appId, clientId);
      if (!sessions) continue;
      let bytes: Uint8Array | undefined;
      // Logging sessions out changes the set: iterate a copy then.
      for (const session of ends ? [...sessions] : sessions) {
        if (session.id === delivery.excludeSessionId) continue;
        if (takeover && !(session.tag === takeover.tag && session.deviceId !== takeover.deviceId)) continue;
        bytes ??= withPeerId(delivery.payload, clientId);
        if (delivery.notificationSeq !== undefined && !session.notices.admit(delivery.notificationSeq, bytes)) continue;
        sendOrHold(scope, session.connection, bytes);
        delivered += 1;
        if (ends) endSession(this.ctx, session, 'kicked');
      }
    }
    this.ctx.metrics.countDeliveries(delivered);
  }

  /**
   * A chat-room message to this node's viewers, droppable for slow ones by
   * its priority. Its bytes are shared by all of them (shared-frame.ts).
   */
  private deliverToRoom(delivery: Delivery, cid: string): void {
    const sessions = this.ctx.rooms.sessionsIn(delivery.appId, cid);
    if (!sessions) return;
    const cls = roomFrameClass(delivery.priority);
    const scope = currentReplyScope();
    const push = new SharedPush(delivery.payload);
    const now = Date.now();
    let delivered = 0;
    for (const session of sessions) {
      if (session.id === delivery.excludeSessionId) continue;
      delivered += 1;
      const tail = this.peerIdFieldOf(session);
      if (scope?.connection === session.connection) sendOrHold(scope, session.connection, push.bytesFor(tail), cls);
      else session.connection.sendShared(push, tail, cls, now);
    }
    this.ctx.metrics.countDeliveries(delivered);
  }

  /** A session's encoded `peerId` field, built at its first push and kept as long as the session. */
  private peerIdFieldOf(session: Session): Buffer {
    let field = this.peerIdFields.get(session);
    if (!field) this.peerIdFields.set(session, (field = peerIdField(session.clientId)));
    return field;
  }

  private sweep(): void {
    const now = Date.now();
    const { loginTimeoutMs, idleTimeoutMs } = this.ctx.config;
    for (const connection of this.connections) {
      if (connection.sessions.size === 0) {
        if (now - connection.sessionlessSince > loginTimeoutMs) connection.close(errorCode('LOGIN_TIMEOUT'), 'LOGIN_TIMEOUT');
      } else if (now - connection.lastSeenAt > idleTimeoutMs) {
        connection.close(errorCode('READ_TIMEOUT'), 'READ_TIMEOUT');
      }
    }
  }
}

/** A push to clients that every recipient session gets alike: no room, takeover, kick, membership event or cache notice. */
function isPlainPush(delivery: Delivery): boolean {
  return delivery.roomId === undefined && delivery.conversationChanged === undefined && delivery.takeover === undefined && delivery.endSessions !== true && delivery.notificationSeq === undefined;
}

/** `next` is a plain push to the very list `first` goes to (a Redis broker's batch shares one array per list). */
function sameRecipients(first: Delivery, next: Delivery): boolean {
  return next.clientIds === first.clientIds && next.appId === first.appId && isPlainPush(next);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
