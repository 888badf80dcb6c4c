/**
 * A scripted, in-memory realtime server for the SDK's connection edge
 * cases (as centrifuge-js's `fakeServer.ts`): no SQLite, no sockets. Pass
 * its `WebSocket` to a Realtime or a Connection; frames go through the
 * real codec, so the SDK sees exactly what a server would send. The test
 * decides what each command gets: the default reply (session open →
 * opened with a token, echo → echo), nothing, a late or duplicate reply,
 * a close with any code, or a `goaway`. `down` refuses new connections.
 */
import {
  CommandType,
  OpType,
  encodeCommand,
  fromFrame,
  pickSubprotocol,
  toFrame,
  type Command,
  type DecodedCommand,
  type FrameFormat,
} from '../../src/protocol/index.js';
import type { WebSocketConstructor, WebSocketLike } from '../../src/sdk/index.js';

/**
 * What the server does with a request: return `'default'` to answer as a
 * well-behaved server would, anything else (after replying, closing… on
 * `socket` yourself) to take over.
 */
export type Script = (command: DecodedCommand, socket: FakeSocket) => 'default' | void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/** One accepted connection, seen from the server's side. */
export class FakeSocket implements WebSocketLike {
  binaryType = 'blob';
  readonly protocol: string;
  readyState = CONNECTING;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  /** The close code the client sent, once it closed. */
  closedByClient: number | undefined;
  readonly #server: FakeServer;
  readonly #format: FrameFormat;

  constructor(server: FakeServer, url: string, protocols?: string | string[]) {
    this.#server = server;
    const offered = protocols === undefined ? [] : Array.isArray(protocols) ? protocols : [protocols];
    const subprotocol = pickSubprotocol(offered);
    if (!subprotocol) throw new Error(`no subprotocol among ${offered.join(', ')}`);
    this.protocol = subprotocol.name;
    this.#format = subprotocol.format;
    const accepted = !server.down;
    server.attempts.push({ url, accepted });
    // The handshake takes a turn of the event loop, as on a network.
    setTimeout(() => {
      if (this.readyState !== CONNECTING) return;
      if (!accepted) {
        this.readyState = CLOSED;
        this.onerror?.({ message: 'connection refused' });
        this.onclose?.({ code: 1006, reason: '' });
        return;
      }
      this.readyState = OPEN;
      server.sockets.add(this);
      this.onopen?.({});
    }, 0);
  }

  /** Client → server. */
  send(data: string | ArrayBufferView | ArrayBuffer): void {
    if (this.readyState !== OPEN) throw new Error('socket is not open');
    const frame = typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const command = fromFrame(frame);
    setTimeout(() => this.#server.receive(command, this), 0);
  }

  /** The client closes. */
  close(code = 1000): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.closedByClient = code;
    this.#server.sockets.delete(this);
  }

  /** Server → client: one frame, delivered on a later turn (after `ms`). */
  push(command: Command, ms = 0): void {
    const frame = toFrame(encodeCommand(command), this.#format);
    setTimeout(() => {
      if (this.readyState === OPEN) this.onmessage?.({ data: frame });
    }, ms);
  }

  /** Server → client: the reply to `request` (same `i`), after `ms`. */
  reply(request: DecodedCommand, command: Command, ms = 0): void {
    this.push({ ...command, i: request.i }, ms);
  }

  /** The server closes the socket with `code`. */
  serverClose(code: number, reason = ''): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#server.sockets.delete(this);
    this.onclose?.({ code, reason });
  }
}

/** The server; see the module comment. */
export class FakeServer {
  /** Every connection attempt, in order, and whether it was accepted. */
  readonly attempts: { url: string; accepted: boolean }[] = [];
  /** The open connections. */
  readonly sockets = new Set<FakeSocket>();
  /** Every request received, in order. */
  readonly received: DecodedCommand[] = [];
  /** Refuse new connections (the server is down). */
  down = false;
  /** Overrides the default answers, command by command; see {@link Script}. */
  script: Script = () => 'default';
  /** Session tokens handed out, one per `opened`. */
  #tokens = 0;

  /** The constructor to give the SDK. */
  readonly WebSocket: WebSocketConstructor;

  constructor() {
    const server = this;
    this.WebSocket = class extends FakeSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(server, url, protocols);
      }
    };
  }

  /** @internal A request arrived on `socket`. */
  receive(command: DecodedCommand, socket: FakeSocket): void {
    this.received.push(command);
    if (this.script(command, socket) === 'default') this.answer(command, socket);
  }

  /** What a well-behaved server answers: `opened` (with a session token) to a session open, `closed` to a close, `echo` to an echo; nothing to the rest. */
  answer(command: DecodedCommand, socket: FakeSocket): void {
    if (command.cmd === CommandType.session && command.op === OpType.open) {
      this.#tokens += 1;
      socket.reply(command, {
        cmd: CommandType.session,
        op: OpType.opened,
        peerId: command.peerId,
        sessionMessage: { st: `token-${this.#tokens}`, stTtl: 3600 },
      });
    } else if (command.cmd === CommandType.session && command.op === OpType.close) {
      socket.reply(command, { cmd: CommandType.session, op: OpType.closed, sessionMessage: {} });
    } else if (command.cmd === CommandType.echo) {
      socket.reply(command, { cmd: CommandType.echo });
    }
  }

  /** The requests received of one command type (and op). */
  requests(cmd: CommandType, op?: OpType): DecodedCommand[] {
    return this.received.filter((command) => command.cmd === cmd && (op === undefined || command.op === op));
  }

  /** Closes every open connection with `code` (1001: going away, as on a restart). */
  closeAll(code = 1001): void {
    for (const socket of [...this.sockets]) socket.serverClose(code);
  }
}
