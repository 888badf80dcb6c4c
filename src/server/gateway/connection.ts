import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { encodeCommand, toFrame, type Command } from '../../protocol/codec.js';
import type { Subprotocol } from '../../protocol/subprotocols.js';
import type { Session } from './session.js';

let nextConnectionId = 1;

/**
 * One client socket: its negotiated subprotocol, the sessions (IMClients)
 * opened on it, and a send queue that writes all frames of one event-loop
 * tick with a single syscall.
 */
export class Connection {
  readonly id = nextConnectionId++;
  readonly openedAt = Date.now();
  /** Last time any frame arrived; the idle sweep reads it. */
  lastSeenAt = Date.now();
  garbageFrames = 0;
  /** When the connection last had no session; sockets stay sessionless only briefly (4108). */
  sessionlessSince = Date.now();
  private readonly sessionsByClient = new Map<string, Session>();
  private outbox: (Uint8Array | string)[] = [];
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    readonly subprotocol: Subprotocol,
    private readonly maxBufferedBytes: number,
    readonly remoteAddress: string,
  ) {}

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
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

  send(command: Command): void {
    this.sendEncoded(encodeCommand(command));
  }

  /** Queues already encoded bytes; the frame format is applied here. */
  sendEncoded(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    this.outbox.push(toFrame(bytes, this.subprotocol.format));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Closes with a WebSocket close code; queued frames go out first. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    try {
      this.ws.close(code, reason.slice(0, 120));
    } catch {
      this.ws.terminate();
    }
  }

  /** Drops the socket without a close handshake (used when it is unresponsive). */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  markClosed(): void {
    this.closed = true;
    this.outbox = [];
  }

  private flush(): void {
    this.flushScheduled = false;
    const frames = this.outbox;
    if (frames.length === 0 || !this.isOpen) return;
    this.outbox = [];
    // Persisted messages are never dropped silently: a client that cannot keep
    // up is disconnected and catches up from history when it reconnects.
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.close(1013, 'slow consumer');
      return;
    }
    const raw = (this.ws as unknown as { _socket?: Socket })._socket;
    raw?.cork();
    for (const frame of frames) this.ws.send(frame, { binary: typeof frame !== 'string' });
    if (raw) process.nextTick(() => raw.uncork());
  }
}
