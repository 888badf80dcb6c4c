import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { encodeCommand, toFrame, type Command } from '../../protocol/codec.js';
import type { Subprotocol } from '../../protocol/subprotocols.js';
import type { ServerSendBudget } from './send-budget.js';
import { SendQueue, type QueuedFrame } from './send-queue.js';
import type { Session } from '../session/session.js';
import type { BulkBatch, FrameClass, SessionConnection, SharedFrame } from '../session/session-connection.js';

let nextConnectionId = 1;

/**
 * Connections with frames to write this tick, flushed together by one
 * immediate: a push to 2,000 viewers schedules one callback, not 2,000.
 */
const dueForFlush = new Set<Connection>();
let flushScheduled = false;

function scheduleFlush(connection: Connection): void {
  dueForFlush.add(connection);
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushDue);
}

function flushDue(): void {
  flushScheduled = false;
  for (const connection of dueForFlush) {
    dueForFlush.delete(connection);
    connection.flush();
  }
}

/** How much a connection may hold back for a client that does not read. */
export interface SendLimits {
  /** Our queue plus the WebSocket's buffer; above it chat-room frames are shed, then the socket is cut off. */
  maxBufferedBytes: number;
  /** Frames wait in our queue while the WebSocket's own buffer holds more than this. */
  writeHighWaterBytes: number;
  /** A frame queued longer is dropped (chat-room LOW/NORMAL) or cuts the socket off. */
  maxQueueAgeMs: number;
  /** Bulk batches (large replies, login pages) waiting their turn; one more cuts the socket off. */
  maxPendingReplies: number;
}


/**
 * One client socket: its negotiated subprotocol, the sessions (IMClients)
 * opened on it, and its send queue.
 *
 * Frames of one event-loop tick are written together with a single
 * syscall. While the client reads slower than we write, frames wait in a
 * bounded queue instead of piling up in the WebSocket's buffer; there,
 * chat-room messages are dropped (LOW first, then NORMAL) to make room,
 * and when only undroppable frames are left over the limit, or one waited
 * too long, the socket is cut off: a client that cannot keep up recovers
 * from history after reconnecting, and no client can grow our memory.
 *
 * Large replies and login pages go through a bulk lane instead: one batch
 * at a time, each built only once the previous one left for the kernel,
 * and not counted against the socket's budget while in flight. Their size
 * is bounded where they are built (maxReplyBytes), so what a client asked
 * for can hold at most one batch more than the budget and never cuts it
 * off; the server-wide budget still counts them.
 */
export class Connection implements SessionConnection {
  readonly id = nextConnectionId++;
  readonly openedAt = Date.now();
  /** Last time any frame arrived; the idle sweep reads it. */
  lastSeenAt = Date.now();
  garbageFrames = 0;
  /** When the connection last had no session; sockets stay sessionless only briefly (4108). */
  sessionlessSince = Date.now();
  /** Chat-room frames dropped because this client did not read fast enough. */
  droppedFrames = 0;
  /** Why the server cut this socket off as too slow, if it did. */
  cutOffReason: string | null = null;
  private readonly sessionsByClient = new Map<string, Session>();
  private readonly queue = new SendQueue();
  /** The last flush left frames behind: the client is not keeping up. */
  private stalled = false;
  private waitingForDrain = false;
  private ageTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Bytes of bulk frames not yet handed to the kernel: exempt from maxBufferedBytes. */
  private bulkBytes = 0;
  /** The last bulk batch queued, or finished; the next one starts after it. */
  private bulkTail: Promise<void> = Promise.resolve();
  /** Bulk batches queued and not yet finished. */
  private bulkPending = 0;
  /** Settles the bulk batches in flight, should the socket close under them. */
  private readonly bulkWaiters = new Set<() => void>();
  /** Requests whose reply the pushes to this client wait for (see holdPushesUntilReplied). */
  private pushBarriers = 0;
  /** Pushes waiting for those replies, in order, and their size. */
  private barrierHeld: { bytes: Uint8Array; cls: FrameClass }[] = [];
  private barrierHeldBytes = 0;

  constructor(
    private readonly ws: WebSocket,
    readonly subprotocol: Subprotocol,
    private readonly limits: SendLimits,
    readonly remoteAddress: string,
    private readonly serverBudget?: ServerSendBudget,
  ) {}

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  /** Bytes accepted for this client and not yet handed to the kernel. */
  get pendingBytes(): number {
    return this.queue.bytes + (this.isOpen ? this.ws.bufferedAmount : 0);
  }

  /** Sessions by client id, in the order they were opened. */
  get sessions(): ReadonlyMap<string, Session> {
    return this.sessionsByClient;
  }

  /** The session a command belongs to: by `peerId`, or the first one (v4 omits it). */
  sessionFor(peerId: string | undefined): Session | undefined {
    if (peerId) return this.sessionsByClient.get(peerId);
    return this.sessionsByClient.values().next().value;
  }

  addSession(session: Session): void {
    this.sessionsByClient.set(session.clientId, session);
  }

  removeSession(clientId: string): void {
    this.sessionsByClient.delete(clientId);
    if (this.sessionsByClient.size === 0) this.sessionlessSince = Date.now();
  }

  send(command: Command, cls: FrameClass = 'reliable'): void {
    const bytes = encodeCommand(command);
    // A large reply to the client's own request (a long conversation list,
    // say) is not a sign that it reads slowly: it takes the bulk lane rather
    // than counting against the budget. Replies that others can make large
    // are bounded where they are built; the server-wide budget counts all.
    if (command.i != null && bytes.byteLength > this.limits.writeHighWaterBytes) void this.queueBulk(() => [bytes]);
    else this.sendEncoded(bytes, cls);
  }

  /** Queues already encoded bytes; the frame format is applied here. */
  sendEncoded(bytes: Uint8Array, cls: FrameClass = 'reliable'): void {
    if (!this.isOpen || this.dropsLow(cls)) return;
    this.enqueue(this.frameOf(bytes, cls));
  }

  /**
   * Queues a push shared by many recipients, completed by this one's
   * `peerId` field (shared-frame.ts). On a binary subprotocol nothing is
   * copied for this socket: the frame is written as the push's shared head
   * and the field. While pushes wait for a reply (holdPushesUntilReplied)
   * or on a base64 subprotocol, the frame is built for this socket alone.
   */
  sendShared(push: SharedFrame, peerIdField: Buffer, cls: FrameClass, queuedAt: number): void {
    if (this.pushBarriers > 0 || this.barrierHeld.length > 0 || this.subprotocol.format !== 'binary') return this.sendPush(push.bytesFor(peerIdField), cls);
    if (!this.isOpen || this.dropsLow(cls)) return;
    const frame = push.head(peerIdField.length);
    this.enqueue({ frame, tail: peerIdField, bytes: frame.length + peerIdField.length, cls, queuedAt });
  }

  /** LOW messages are worth sending only to a client that keeps up. */
  private dropsLow(cls: FrameClass): boolean {
    if (cls !== 'low' || !(this.stalled || this.ws.bufferedAmount >= this.limits.writeHighWaterBytes)) return false;
    this.droppedFrames += 1;
    return true;
  }

  /**
   * Queues a frame only within the socket's budget, decided before it is
   * queued (send-queue.ts, admit): what this socket holds never exceeds
   * maxBufferedBytes (beside a bulk batch in flight, which has its own
   * bound), and a frame that may not be dropped and cannot fit cuts the
   * socket off instead.
   */
  private enqueue(item: QueuedFrame): void {
    if (!this.isOpen) return;
    const budget = this.limits.maxBufferedBytes + this.bulkBytes - this.ws.bufferedAmount;
    const { outcome, dropped } = this.queue.admit(item, budget);
    this.droppedFrames += dropped;
    if (outcome === 'overflow') {
      this.cutOff(`more than ${this.limits.maxBufferedBytes} bytes unsent`);
      return;
    }
    if (outcome === 'refused') return;
    this.serverBudget?.charge(item.bytes);
    this.scheduleFlush();
  }

  /**
   * Queues a push (a frame that answers no request of this client). While
   * a request that holds pushes back is unanswered, the push waits for its
   * reply, so the client sees the reply first; past `maxBufferedBytes` of
   * waiting pushes, they go out at once (the send budget then applies).
   */
  sendPush(bytes: Uint8Array, cls: FrameClass = 'reliable'): void {
    // Held ones wait for the turn after their barrier fell: a push until then goes behind them.
    if (this.pushBarriers === 0 && this.barrierHeld.length === 0) return this.sendEncoded(bytes, cls);
    if (this.barrierHeldBytes + bytes.byteLength > this.limits.maxBufferedBytes) {
      this.flushBarrierHeld();
      return this.sendEncoded(bytes, cls);
    }
    this.barrierHeld.push({ bytes, cls });
    this.barrierHeldBytes += bytes.byteLength;
  }

  /**
   * Holds the pushes to this client back until the returned function is
   * called (after the reply to the request that asked for it was sent).
   * The official SDKs fetch a conversation they do not know (conv query)
   * before emitting a message for it: a later message, for a conversation
   * they know by then, must not overtake that query's reply. Idempotent.
   */
  holdPushesUntilReplied(): () => void {
    this.pushBarriers += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.pushBarriers -= 1;
      // A turn later, so that the reply leaves in a write of its own: an SDK
      // reading both at once would dispatch the push before the reply's
      // promise chain has cached the conversation.
      if (this.pushBarriers === 0) setImmediate(() => this.pushBarriers === 0 && this.flushBarrierHeld());
    };
  }

  private flushBarrierHeld(): void {
    const held = this.barrierHeld;
    if (held.length === 0) return;
    this.barrierHeld = [];
    this.barrierHeldBytes = 0;
    for (const { bytes, cls } of held) this.sendEncoded(bytes, cls);
  }

  /**
   * Queues a batch of bulk frames (a `logs` reply, a page of the login
   * pushes) once the batches before it on this socket left for the
   * kernel, and resolves when this one did, or the socket closed. `build`
   * runs only then, so a client asking faster than it reads holds one
   * batch, not one per request.
   */
  sendBulk(build: BulkBatch): Promise<void> {
    return this.queueBulk(async () => (await build()).map((command) => encodeCommand(command)));
  }

  private queueBulk(build: () => Uint8Array[] | Promise<Uint8Array[]>): Promise<void> {
    // Waiting batches cost no send budget, so a client asking without
    // reading would otherwise pile them up for ever.
    if (this.bulkPending >= this.limits.maxPendingReplies) {
      this.cutOff(`more than ${this.limits.maxPendingReplies} large replies waiting for the client to read`);
      return Promise.resolve();
    }
    this.bulkPending += 1;
    const turn = this.bulkTail.then(async () => {
      try {
        // A batch is built only in its turn, and not at all for a socket gone meanwhile.
        if (this.isOpen) await this.writeBulk(await build());
      } finally {
        this.bulkPending -= 1;
      }
    });
    // One failed build must not stop the batches queued after it.
    this.bulkTail = turn.catch(() => {});
    return turn;
  }

  /** Queues one batch and resolves once all of it left for the kernel, or the socket closed. */
  private writeBulk(frames: Uint8Array[]): Promise<void> {
    if (!this.isOpen || frames.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let left = frames.length;
      const settle = () => {
        this.bulkWaiters.delete(settle);
        resolve();
      };
      this.bulkWaiters.add(settle);
      for (const bytes of frames) {
        const item = this.frameOf(bytes, 'reliable');
        let done = false;
        item.written = () => {
          if (done) return;
          done = true;
          // After the socket closed, release() already zeroed the count.
          if (!this.closed) this.bulkBytes -= item.bytes;
          if (--left === 0) settle();
        };
        this.bulkBytes += item.bytes;
        this.queue.push(item);
        this.serverBudget?.charge(item.bytes);
        if (!this.isOpen) return settle();
      }
      this.scheduleFlush();
    });
  }

  /** Closes with a WebSocket close code; queued frames go out first. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.release();
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch {
      this.ws.terminate();
    }
  }

  /** Drops the socket without a close handshake (used when it is unresponsive). */
  terminate(): void {
    this.closed = true;
    this.release();
    this.ws.terminate();
  }

  markClosed(): void {
    this.closed = true;
    this.release();
  }

  /** Drops queued chat-room frames worth at least `bytes` (LOW, then NORMAL, oldest first); the server-wide budget asks. */
  shedDroppable(bytes: number): { frames: number; bytes: number } {
    const before = this.queue.bytes;
    const frames = this.queue.shed(Math.max(0, before - bytes));
    this.droppedFrames += frames;
    return { frames, bytes: before - this.queue.bytes };
  }

  cutOff(reason: string): void {
    if (this.closed) return;
    // No close handshake: it would wait behind the unread bytes.
    this.cutOffReason = reason;
    this.terminate();
  }

  /** Lets go of everything held for the client: its frames, timers and waiting bulk batches. */
  private release(): void {
    this.queue.clear();
    clearTimeout(this.ageTimer);
    this.ageTimer = undefined;
    this.bulkBytes = 0;
    for (const settle of [...this.bulkWaiters]) settle();
  }

  private frameOf(bytes: Uint8Array, cls: FrameClass): QueuedFrame {
    const frame = toFrame(bytes, this.subprotocol.format);
    // base64 text is ASCII: its length is its size.
    return { frame, bytes: typeof frame === 'string' ? frame.length : frame.byteLength, cls, queuedAt: Date.now() };
  }

  private scheduleFlush(): void {
    scheduleFlush(this);
  }

  /** Writes what the socket can take now; the rest waits for it to drain. */
  flush(): void {
    dueForFlush.delete(this);
    if (!this.isOpen || this.queue.length === 0) return;
    const now = Date.now();
    const { dropped, stale } = this.queue.expire(now - this.limits.maxQueueAgeMs);
    this.droppedFrames += dropped;
    if (stale) {
      this.cutOff(`a frame waited more than ${this.limits.maxQueueAgeMs} ms`);
      return;
    }
    // ws has no batch write: its net.Socket (`_socket`, set while the socket
    // is open) is corked so the frames of this tick leave in one writev.
    const raw = (this.ws as unknown as { _socket?: Socket })._socket;
    raw?.cork();
    while (this.queue.length > 0 && this.ws.bufferedAmount < this.limits.writeHighWaterBytes) {
      const { frame, tail, written } = this.queue.shift()!;
      if (tail !== undefined && raw) {
        // A frame built by ws's frame builder (shared-frame.ts), written where
        // ws.send would write it: the socket is open, and without
        // permessage-deflate ws's sender never holds frames of its own that
        // this could overtake.
        raw.write(frame);
        raw.write(tail, written);
      } else if (tail === undefined) {
        this.ws.send(frame, { binary: typeof frame !== 'string' }, written);
      } else written?.();
    }
    raw?.uncork();
    this.stalled = this.queue.length > 0;
    if (this.stalled) this.waitForRoom(raw);
  }

  /** Resumes once the socket drained; meanwhile a timer enforces the age limit. */
  private waitForRoom(raw: Socket | undefined): void {
    if (!this.waitingForDrain) {
      this.waitingForDrain = true;
      const resume = () => {
        this.waitingForDrain = false;
        this.scheduleFlush();
      };
      // `drain` comes only after a write was refused; otherwise poll briefly.
      if (raw?.writableNeedDrain) raw.once('drain', resume);
      else setTimeout(resume, 10).unref();
    }
    if (this.ageTimer === undefined) {
      const oldest = this.queue.peek()!;
      const wait = Math.max(0, oldest.queuedAt + this.limits.maxQueueAgeMs - Date.now()) + 1;
      this.ageTimer = setTimeout(() => {
        this.ageTimer = undefined;
        this.flush();
      }, wait);
      this.ageTimer.unref();
    }
  }
}
