/**
 * One WebSocket to the realtime server, with request/reply correlation,
 * heartbeat, liveness detection and reconnection with back-off. Knows
 * nothing of sessions: the Realtime re-opens those after `reconnect`.
 *
 * States:
 *
 *     idle ──open()──▶ connecting ──▶ connected ◀──────────────┐
 *                          │              │ socket lost         │ socket open
 *                          ▼ failure      ▼                     │
 *                        closed        waiting ──timer/retry()──▶ reconnecting
 *                  (or waiting, with      ▲                     │ failure
 *                  retryFirstConnect)     └─────────────────────┘
 *
 * plus `offline` (pause(), until resume()), `closed` (close()) and `error`
 * (the server closed with a code the error table marks fatal: no
 * reconnect). Delays are drawn with full jitter, so clients dropped
 * together do not come back together.
 */
import { encodeCommand, fromFrame } from '../protocol/client-codec.js';
import {
  CommandType,
  commandName,
  has,
  toFrame,
  ProtocolError,
  isFatalCode,
  type Command,
  type DecodedCommand,
  type Subprotocol,
} from '../protocol/index.js';
import { backoffDelay, jitteredBackoffDelay } from './backoff.js';
import { ClientErrorName, clientError, commandError } from './errors.js';
import { EventEmitter } from './event-emitter.js';
import { OPEN, resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './websocket.js';

/** The states of a {@link Connection}. */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'reconnecting' | 'offline' | 'closed' | 'error';

/** Timings of a connection, in ms. The defaults are the protocol's. */
export interface ConnectionTimings {
  /** How often an `echo` is sent while connected. Default 180 s. */
  heartbeatInterval: number;
  /** Silence after which the connection is considered dead. Default 380 s. */
  livenessTimeout: number;
  /** How long a request waits for its reply. Default 20 s. */
  commandTimeout: number;
  /** First reconnect delay, doubled on each failed attempt. Default 1 s. */
  backoffInitial: number;
  /** Longest reconnect delay. Default 300 s. */
  backoffMax: number;
}

export const DEFAULT_TIMINGS: Readonly<ConnectionTimings> = Object.freeze({
  heartbeatInterval: 180_000,
  livenessTimeout: 380_000,
  commandTimeout: 20_000,
  backoffInitial: 1_000,
  backoffMax: 300_000,
});

/**
 * The connection's lifecycle events, declared once: the Realtime forwards
 * them as they are, then each IMClient (guide: 客户端事件).
 */
export interface LifecycleEvents {
  /** An established connection was lost. */
  disconnect: [];
  /** A reconnect attempt (or, with `retryFirstConnect`, a first connect attempt) is scheduled after `delay` ms, drawn with jitter. */
  schedule: [attempt: number, delay: number];
  /** A reconnect attempt starts. */
  retry: [attempt: number];
  /** pause() took the connection offline. */
  offline: [];
  /** resume() brought it back; reconnecting follows. */
  online: [];
}

/** The names of {@link LifecycleEvents}, for forwarding them in a loop. */
export const LIFECYCLE_EVENTS = ['disconnect', 'schedule', 'retry', 'offline', 'online'] as const satisfies readonly (keyof LifecycleEvents)[];

/** Events of a {@link Connection}. */
export interface ConnectionEvents extends LifecycleEvents {
  /** The state changed. */
  statechange: [state: ConnectionState, previous: ConnectionState];
  /** The connection is back after a loss. */
  reconnect: [];
  /** An unsolicited `cmd: error`, or a fatal close code. */
  error: [error: ProtocolError];
  /** A push from the server (a command without `i`). */
  push: [command: DecodedCommand];
}

/** WebSocket close code "message too big": the server's `--max-payload` was exceeded. */
const CLOSE_TOO_BIG = 1009;
const INT32_MAX = 2 ** 31 - 1;

interface Pending {
  resolve(command: DecodedCommand): void;
  reject(error: ProtocolError): void;
  timer: ReturnType<typeof setTimeout>;
  /** Size of the frame on the wire, to tell which request a 1009 close was about. */
  bytes: number;
}

export interface ConnectionOptions {
  url: string;
  /** Tried in order when `url` cannot be reached, at every (re)connect. */
  fallbackUrls?: readonly string[];
  subprotocol: Subprotocol;
  WebSocket?: WebSocketConstructor;
  timings?: Partial<ConnectionTimings>;
  /** Largest frame the server accepts (its `--max-payload`), when known; see {@link Connection.maxFrameBytes}. */
  maxFrameBytes?: number;
  /**
   * Draw reconnect delays with full jitter (default `true`); `false` waits
   * exactly `backoffInitial · 2^attempt`, for tests that assert the delays.
   */
  jitter?: boolean;
  /**
   * Keep retrying when the first {@link Connection.open} fails, with the
   * same back-off as reconnects, instead of ending `closed`: `open()` then
   * resolves once connected and rejects only on close() or a fatal close.
   * Default `false`.
   */
  retryFirstConnect?: boolean;
  /** @internal The uniform draw behind jitter, for tests. */
  random?: () => number;
}

/** A self-healing WebSocket connection to the realtime server; see the state diagram above. */
export class Connection extends EventEmitter<ConnectionEvents> {
  /** Every server URL, in the order they are tried. */
  readonly urls: readonly string[];
  /** The URL connected to last (or being tried). */
  url: string;
  readonly subprotocol: Subprotocol;
  readonly timings: Readonly<ConnectionTimings>;
  readonly #WebSocket: WebSocketConstructor | undefined;
  /**
   * Largest frame the server accepts, in bytes, when known. A request whose
   * frame is larger is rejected with `MESSAGE_TOO_LARGE` without being
   * sent: the server would close the socket on it. Lowered on its own when
   * the server closes with 1009 (message too big).
   */
  maxFrameBytes: number | undefined;

  #state: ConnectionState = 'idle';
  #socket: WebSocketLike | undefined;
  #serial = 0;
  #pending = new Map<number, Pending>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #liveness: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #jitter: boolean;
  readonly #retryFirstConnect: boolean;
  readonly #random: () => number;
  // Whether a socket was ever attached: until then a success is the first connect, not a `reconnect`.
  #connectedOnce = false;
  // Why the last attempt failed, for the rejection of a first connect that is given up.
  #lastFailure: unknown;
  // Bumped whenever an in-flight reconnect attempt must be abandoned
  // (manual retry, pause, close), so its late outcome is ignored.
  #generation = 0;

  constructor(options: ConnectionOptions) {
    super();
    this.url = options.url;
    this.urls = [options.url, ...(options.fallbackUrls ?? [])];
    this.subprotocol = options.subprotocol;
    this.#WebSocket = options.WebSocket;
    this.timings = Object.freeze({ ...DEFAULT_TIMINGS, ...options.timings });
    this.maxFrameBytes = options.maxFrameBytes;
    this.#jitter = options.jitter ?? true;
    this.#retryFirstConnect = options.retryFirstConnect ?? false;
    this.#random = options.random ?? Math.random;
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /**
   * Connects for the first time. Rejects if the server cannot be reached,
   * leaving the connection `closed`; later losses reconnect automatically.
   * With `retryFirstConnect`, a failure schedules attempts as a loss does
   * (`schedule`, `retry`) and the promise waits for the first success.
   */
  async open(): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`cannot open a connection in state ${this.#state}`);
    this.#setState('connecting');
    const generation = this.#generation;
    let socket: WebSocketLike;
    try {
      socket = await this.#connectSocket();
    } catch (error) {
      if (!this.#is('connecting')) throw error;
      if (!this.#retryFirstConnect) {
        this.#setState('closed');
        throw error;
      }
      this.#lastFailure = error;
      const connected = this.connected();
      this.#schedule(0);
      return connected;
    }
    if (generation !== this.#generation) {
      socket.close(1000);
      throw clientError(ClientErrorName.NOT_CONNECTED, 'connection closed while connecting');
    }
    this.#attach(socket);
    this.#setState('connected');
  }

  /**
   * Resolves when the connection is `connected` (at once if it is); rejects
   * if it is closed or fails fatally first.
   */
  connected(): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'closed' || this.#state === 'error') return Promise.reject(this.#failure(this.#state));
    return new Promise<void>((resolve, reject) => {
      const onState = (state: ConnectionState): void => {
        if (state === 'connected') {
          this.off('statechange', onState);
          resolve();
        } else if (state === 'closed' || state === 'error') {
          this.off('statechange', onState);
          reject(this.#failure(state));
        }
      };
      this.on('statechange', onState);
    });
  }

  /** Why {@link connected} gives up: the fatal close, or close() (no retry can follow either). */
  #failure(state: ConnectionState): ProtocolError {
    const failure = this.#lastFailure;
    if (state === 'error' && failure instanceof ProtocolError) return failure;
    const why = failure instanceof Error ? ` (last attempt: ${failure.message})` : '';
    return clientError(ClientErrorName.CLIENT_CLOSED, `connection ${state} before it was established${why}`);
  }

  /**
   * Sends a request with the next serial `i` and resolves with the reply of
   * the same `i`. Rejects with the server's error for `cmd: error`, with
   * `COMMAND_TIMEOUT` after the command timeout, `CONNECTION_LOST` if the
   * connection drops first, `NOT_CONNECTED` if there is no connection, and
   * `MESSAGE_TOO_LARGE` if the frame is over {@link maxFrameBytes} or the
   * server closed the socket because of it (the connection then
   * reconnects as after any loss, but this request is not worth sending again).
   */
  send(command: Command): Promise<DecodedCommand> {
    const socket = this.#socket;
    if (this.#state !== 'connected' || !socket) {
      return Promise.reject(clientError(ClientErrorName.NOT_CONNECTED, `not connected (${this.#state}): ${commandName(command)} not sent`));
    }
    this.#serial = this.#serial >= INT32_MAX ? 1 : this.#serial + 1;
    const i = this.#serial;
    let frame: string | Uint8Array;
    try {
      frame = toFrame(encodeCommand({ ...command, i }), this.subprotocol.format);
    } catch (error) {
      return Promise.reject(error instanceof ProtocolError ? error : clientError(ClientErrorName.NOT_CONNECTED, String(error)));
    }
    const bytes = frameBytes(frame);
    if (this.maxFrameBytes !== undefined && bytes > this.maxFrameBytes) {
      return Promise.reject(tooLarge(command, bytes, this.maxFrameBytes));
    }
    return new Promise<DecodedCommand>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(i);
        reject(clientError(ClientErrorName.COMMAND_TIMEOUT, `Command Timeout [${commandName(command)}]`));
      }, this.timings.commandTimeout);
      this.#pending.set(i, { resolve, reject, timer, bytes });
      try {
        this.#writeFrame(socket, frame);
      } catch (error) {
        clearTimeout(timer);
        this.#pending.delete(i);
        reject(error instanceof ProtocolError ? error : clientError(ClientErrorName.NOT_CONNECTED, String(error)));
      }
    });
  }

  /** Sends a command that gets no reply (no `i`). Returns whether it was sent. */
  post(command: Command): boolean {
    const socket = this.#socket;
    if (this.#state !== 'connected' || !socket) return false;
    try {
      this.#write(socket, command);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Retries now, while waiting for a scheduled reconnect, as attempt 0:
   * the back-off starts over (guide: 客户端事件).
   * @throws Error in any other state
   */
  retry(): void {
    if (this.#state !== 'waiting') throw new Error(`cannot retry in state ${this.#state}`);
    this.#clearReconnectTimer();
    void this.#attemptReconnect(0);
  }

  /** Goes offline: drops the socket and stops reconnecting until {@link resume}. */
  pause(): void {
    if (this.#state === 'idle' || this.#state === 'closed' || this.#state === 'error' || this.#state === 'offline') return;
    const wasConnected = this.#state === 'connected';
    this.#generation += 1;
    this.#clearReconnectTimer();
    this.#setState('offline');
    this.#teardownSocket(1000, 'paused');
    if (wasConnected) this.emit('disconnect');
    this.emit('offline');
  }

  /** Comes back from {@link pause}: reconnects at once. */
  resume(): void {
    if (this.#state !== 'offline') return;
    this.emit('online');
    void this.#attemptReconnect(0);
  }

  /** Closes for good: no events but `statechange`, no reconnect. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#generation += 1;
    this.#clearReconnectTimer();
    this.#setState('closed');
    this.#teardownSocket(1000, 'closed');
  }

  /** Drops the socket as if the network failed; reconnects as usual. Used on liveness timeout and `goaway`. */
  drop(): void {
    if (this.#state !== 'connected') return;
    this.#teardownSocket(4107, 'dropped');
    this.#onLost(undefined);
  }

  /** A socket to the first of {@link urls} that answers, in order; rejects with the last failure. */
  async #connectSocket(): Promise<WebSocketLike> {
    let failure: unknown;
    for (const url of this.urls) {
      this.url = url;
      try {
        return await this.#connectSocketTo(url);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  async #connectSocketTo(url: string): Promise<WebSocketLike> {
    const WebSocket = await resolveWebSocket(this.#WebSocket);
    return new Promise<WebSocketLike>((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new WebSocket(url, this.subprotocol.name);
      } catch (error) {
        reject(error);
        return;
      }
      socket.binaryType = 'arraybuffer';
      const fail = (reason: string): void => {
        clearTimeout(timer);
        socket.onopen = socket.onerror = socket.onclose = null;
        try {
          socket.close();
        } catch {
          // already closed
        }
        reject(clientError(ClientErrorName.NOT_CONNECTED, `cannot connect to ${url}: ${reason}`));
      };
      const timer = setTimeout(() => fail('timeout'), this.timings.commandTimeout);
      socket.onopen = () => {
        clearTimeout(timer);
        socket.onopen = socket.onerror = socket.onclose = null;
        resolve(socket);
      };
      socket.onerror = (event) => fail(errorText(event));
      socket.onclose = (event) => fail(`closed with ${event.code}`);
    });
  }

  #attach(socket: WebSocketLike): void {
    this.#connectedOnce = true;
    this.#socket = socket;
    this.#serial = 0;
    socket.onmessage = (event) => this.#onFrame(event.data);
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#onLost(event.code);
    };
    // Errors are followed by a close event, which does the work.
    socket.onerror = () => {};
    this.#heartbeat = setInterval(() => {
      this.send({ cmd: CommandType.echo }).catch(() => {
        // A missing echo reply is the liveness timer's business.
      });
    }, this.timings.heartbeatInterval);
    this.#touch();
  }

  /** Detaches and closes the current socket, rejecting what waits on it. */
  #teardownSocket(code: number, reason: string): void {
    const socket = this.#socket;
    this.#socket = undefined;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#liveness);
    this.#heartbeat = this.#liveness = undefined;
    this.#rejectPending();
    if (!socket) return;
    socket.onmessage = socket.onclose = socket.onerror = socket.onopen = null;
    try {
      const terminate = (socket as { terminate?: () => void }).terminate;
      // A peer that stopped answering would stall ws's closing handshake for
      // 30 s: cut it (Node only; browsers clean up on their own).
      if (code !== 1000 && typeof terminate === 'function') terminate.call(socket);
      else socket.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** The socket closed (or was dropped) without us asking. */
  #onLost(code: number | undefined): void {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#liveness);
    this.#heartbeat = this.#liveness = undefined;
    if (code === CLOSE_TOO_BIG) this.#rejectTooLarge();
    this.#rejectPending();
    if (this.#state !== 'connected') return;
    if (code !== undefined && isFatalCode(code)) {
      const fatal = new ProtocolError(code);
      this.#lastFailure = fatal;
      this.#setState('error');
      this.emit('error', fatal);
      return;
    }
    this.#setState('waiting');
    this.emit('disconnect');
    // `disconnect` listeners may have closed or paused us.
    if (this.#is('waiting')) this.#schedule(0);
  }

  #schedule(attempt: number): void {
    const { backoffInitial, backoffMax } = this.timings;
    const delay = this.#jitter
      ? jitteredBackoffDelay(attempt, backoffInitial, backoffMax, this.#random)
      : backoffDelay(attempt, backoffInitial, backoffMax);
    this.#setState('waiting');
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#attemptReconnect(attempt);
    }, delay);
    this.emit('schedule', attempt, delay);
  }

  async #attemptReconnect(attempt: number): Promise<void> {
    this.#generation += 1;
    const generation = this.#generation;
    this.#setState('reconnecting');
    this.emit('retry', attempt);
    let socket: WebSocketLike;
    try {
      socket = await this.#connectSocket();
    } catch (error) {
      if (generation === this.#generation && this.#state === 'reconnecting') {
        this.#lastFailure = error;
        this.#schedule(attempt + 1);
      }
      return;
    }
    if (generation !== this.#generation || this.#state !== 'reconnecting') {
      socket.close(1000);
      return;
    }
    const first = !this.#connectedOnce;
    this.#attach(socket);
    this.#setState('connected');
    // The first connect that took several attempts is no reconnect: no session was lost.
    if (!first) this.emit('reconnect');
  }

  #onFrame(data: unknown): void {
    this.#touch();
    let command: DecodedCommand;
    try {
      command = fromFrame(toBytesOrText(data));
    } catch {
      return; // not a command: nothing can be correlated with it
    }
    if (has(command, 'i') && command.i !== 0) {
      const pending = this.#pending.get(command.i);
      if (!pending) return; // timed out already
      this.#pending.delete(command.i);
      clearTimeout(pending.timer);
      if (command.cmd === CommandType.error) pending.reject(commandError(command.errorMessage));
      else pending.resolve(command);
      return;
    }
    switch (command.cmd) {
      case CommandType.error:
        this.emit('error', commandError(command.errorMessage));
        return;
      case CommandType.goaway:
        // The server asks us to move (e.g. it is shutting down): reconnect.
        this.drop();
        return;
      default:
        this.emit('push', command);
    }
  }

  /** Restarts the liveness timer: any frame proves the peer is alive. */
  #touch(): void {
    clearTimeout(this.#liveness);
    this.#liveness = setTimeout(() => this.drop(), this.timings.livenessTimeout);
  }

  #write(socket: WebSocketLike, command: Command): void {
    this.#writeFrame(socket, toFrame(encodeCommand(command), this.subprotocol.format));
  }

  #writeFrame(socket: WebSocketLike, frame: string | Uint8Array): void {
    if (socket.readyState !== OPEN) throw clientError(ClientErrorName.NOT_CONNECTED, 'socket is not open');
    socket.send(frame);
  }

  /**
   * The server closed with 1009: one frame was over its limit. The largest
   * request still waiting is the one (frames are read in order and the
   * close ends the reading); it is rejected for good, and the limit is
   * learnt so the same frame is refused here next time instead of costing
   * another connection. The others are lost as in any drop.
   */
  #rejectTooLarge(): void {
    let culprit: [number, Pending] | undefined;
    for (const entry of this.#pending) if (!culprit || entry[1].bytes > culprit[1].bytes) culprit = entry;
    if (!culprit) return;
    const [i, pending] = culprit;
    this.#pending.delete(i);
    clearTimeout(pending.timer);
    const limit = pending.bytes - 1;
    if (this.maxFrameBytes === undefined || limit < this.maxFrameBytes) this.maxFrameBytes = limit;
    pending.reject(
      new ProtocolError(0, {
        name: ClientErrorName.MESSAGE_TOO_LARGE,
        message: `the server closed the connection on a ${pending.bytes}-byte frame: larger than it accepts`,
      }),
    );
  }

  #rejectPending(): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject, timer } of pending) {
      clearTimeout(timer);
      reject(clientError(ClientErrorName.CONNECTION_LOST, 'connection lost before the reply arrived'));
    }
  }

  #clearReconnectTimer(): void {
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  // A method rather than a comparison: TypeScript would otherwise keep the
  // narrowing of #state across awaits and listener calls that change it.
  #is(state: ConnectionState): boolean {
    return this.#state === state;
  }

  #setState(state: ConnectionState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.emit('statechange', state, previous);
  }
}

/** The size of a frame on the wire: UTF-8 for text frames. */
function frameBytes(frame: string | Uint8Array): number {
  return typeof frame === 'string' ? new TextEncoder().encode(frame).byteLength : frame.byteLength;
}

function tooLarge(command: Command, bytes: number, limit: number): ProtocolError {
  return new ProtocolError(0, {
    name: ClientErrorName.MESSAGE_TOO_LARGE,
    message: `${commandName(command)} not sent: its frame is ${bytes} bytes, the server accepts at most ${limit}`,
  });
}

function toBytesOrText(data: unknown): Uint8Array | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('unsupported frame data');
}

function errorText(event: unknown): string {
  const error = (event as { error?: unknown; message?: unknown } | null) ?? {};
  if (error.error instanceof Error) return error.error.message;
  return typeof error.message === 'string' && error.message ? error.message : 'error';
}
