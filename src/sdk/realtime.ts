/**
 * The entry point (guide: 初始化): one connection to the server, shared by
 * the IMClients created from it; message type registry; plugins;
 * connection events.
 */
import { has, subprotocolFor, type Command, type DecodedCommand, type Subprotocol } from '../protocol/index.js';
import { Connection, LIFECYCLE_EVENTS, type ConnectionState, type ConnectionTimings, type LifecycleEvents } from './connection.js';
import { ClientErrorName, ProtocolError, clientError, isTransientError } from './errors.js';
import { EventEmitter } from './event-emitter.js';
import { IMClient, type ClientHost, type IMClientOptions } from './im-client.js';
import type { Message } from './messages/message.js';
import { RecalledMessage } from './messages/recalled-message.js';
import { MessageRegistry, decodePayload, type MessageClass } from './messages/registry.js';
import { TextMessage } from './messages/text-message.js';
import { Plugins, type Plugin, type PluginError } from './plugins.js';
import { uuid } from './uuid.js';
import { toHttpUrl, toWebSocketUrl, type WebSocketConstructor } from './websocket.js';

/** Options of {@link Realtime}. */
export interface RealtimeOptions {
  /** The app id. */
  appId: string;
  /** The app key (accepted for compatibility with LeanCloud code; the realtime protocol does not use it). */
  appKey?: string;
  /**
   * The server: `ws://host:port`, `wss://…`, or `http(s)://host:port` (same
   * host, WebSocket scheme). Or a list of them: each (re)connect tries them
   * in order and stays with the first that answers. File uploads and REST
   * calls use the first.
   */
  server: string | readonly string[];
  /** Base64 text frames instead of binary ones (e.g. WeChat mini-programs). */
  noBinary?: boolean;
  /** Have the server push offline messages after login instead of unread counts. */
  pushOfflineMessages?: boolean;
  /** Plugins, see {@link Plugin}. */
  plugins?: Plugin[];
  /** A WebSocket implementation, when neither a global one nor the `ws` package fits (e.g. React Native). */
  WebSocket?: WebSocketConstructor;
  /** Protocol timings (heartbeat, timeouts, back-off), for tests and unusual networks. */
  timings?: Partial<ConnectionTimings>;
  /**
   * Largest frame the server accepts (its `--max-payload`), when known:
   * larger requests are rejected with `MESSAGE_TOO_LARGE` instead of being
   * sent (the server would close the socket). Can be set later with
   * {@link Realtime.maxFrameBytes}.
   */
  maxFrameBytes?: number;
  /**
   * Keep trying when the server cannot be reached at the first
   * `createIMClient` (or does not answer its login), with the reconnect
   * back-off and its `schedule`/`retry` events, instead of rejecting: the
   * promise then settles with the client, a refusal, or {@link Realtime.close}.
   * Default `false`. The widgets set it.
   */
  retryFirstConnect?: boolean;
  /**
   * Draw reconnect delays with full jitter (default `true`): clients
   * dropped together (a server restart) come back spread over the window.
   * `false` waits exactly `backoffInitial · 2^attempt`.
   */
  backoffJitter?: boolean;
}

/** Events of a {@link Realtime} (also re-emitted on each IMClient, except `reconnect` and `error`). */
export interface RealtimeEvents extends LifecycleEvents {
  /** The connection is back (IMClients then re-open their sessions and emit their own `reconnect`). */
  reconnect: [];
  /** An error the server sent outside any request, or a fatal close (no reconnect follows). */
  error: [error: ProtocolError];
  /**
   * A plugin's middleware or dispatch filter threw; it was skipped and the
   * message delivered without it. Logged with `console.error` when nobody listens.
   */
  pluginerror: [error: PluginError];
}

/**
 * The SDK's entry point: `new Realtime({appId, server})`, then
 * `createIMClient(id)`. Emits {@link RealtimeEvents}.
 */
export class Realtime extends EventEmitter<RealtimeEvents> {
  /** A uuid identifying this Realtime as a device (single-device login by tag). */
  readonly deviceId: string = uuid();
  /** The options it was created with. */
  readonly options: Readonly<RealtimeOptions>;

  readonly #url: string;
  /** Every server URL, in failover order (the first is #url). */
  readonly #urls: readonly string[];
  readonly #subprotocol: Subprotocol;
  readonly #registry = new MessageRegistry();
  readonly #plugins: Plugins;
  readonly #clients = new Map<string, IMClient>();
  readonly #opening = new Map<string, Promise<IMClient>>();
  // Clients whose session is being opened: the server may push (unread
  // counts, offline messages) in the same read as the `opened` reply, before
  // the client is registered in #clients.
  readonly #loggingIn = new Set<IMClient>();
  #pendingOpens = 0;
  #connection: Connection | undefined;
  #connecting: Promise<Connection> | undefined;
  // Bumped by close(): a first connect still retrying gives up.
  #closeGeneration = 0;
  readonly #host: ClientHost;

  /**
   * @throws TypeError if `appId` is missing or `server` is not a ws(s)/http(s) URL
   */
  constructor(options: RealtimeOptions) {
    super();
    if (!options || typeof options.appId !== 'string' || !options.appId) throw new TypeError('options.appId is required');
    const servers: unknown[] = Array.isArray(options.server) ? options.server : [options.server];
    if (servers.length === 0 || !servers.every((server) => typeof server === 'string')) {
      throw new TypeError('options.server is required: the lc-chat server URL, or a list of them');
    }
    this.options = Object.freeze({ ...options, ...(Array.isArray(options.server) ? { server: Object.freeze([...options.server]) } : {}) });
    this.#urls = (servers as string[]).map(toWebSocketUrl);
    this.#url = this.#urls[0]!;
    this.#subprotocol = subprotocolFor(options);
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#plugins = new Plugins(options.plugins ?? [], (error) => this.#reportPluginError(error));
    this.#registry.register([TextMessage, RecalledMessage, ...this.#plugins.messageClasses()]);
    this.#host = {
      appId: options.appId,
      httpUrl: toHttpUrl(this.#url),
      appKey: options.appKey,
      deviceId: this.deviceId,
      plugins: this.#plugins,
      send: (command) => this.#send(command),
      post: (command) => this.#connection?.post(command) ?? false,
      parseMessage: (raw) => this.#parseMessage(raw),
      release: (client) => this.#release(client),
    };
    this.#plugins.decorate('onRealtimeCreate', this);
  }

  #maxFrameBytes: number | undefined;

  /**
   * Largest frame the server accepts, in bytes, when known (see
   * {@link RealtimeOptions.maxFrameBytes}); lowered on its own when the
   * server closes the socket on a frame that was too large.
   */
  get maxFrameBytes(): number | undefined {
    return this.#connection?.maxFrameBytes ?? this.#maxFrameBytes;
  }

  set maxFrameBytes(bytes: number | undefined) {
    this.#maxFrameBytes = bytes;
    if (this.#connection) this.#connection.maxFrameBytes = bytes;
  }

  /** The connection's state; `idle` before the first client and after the last one closed. */
  get state(): ConnectionState {
    return this.#connection?.state ?? 'idle';
  }

  /**
   * Logs a client in. For the same clientId it returns the same IMClient
   * while that one is open. Without an id the server assigns one.
   * @param id the clientId (at most 64 characters)
   * @param options signature factories, `tag`, `isReconnect`
   * @param tag device kind for single-device login (also accepted as `options.tag`)
   */
  async createIMClient(id?: string, options: IMClientOptions = {}, tag?: string): Promise<IMClient> {
    if (id !== undefined && (typeof id !== 'string' || id === '')) throw new TypeError(`clientId ${String(id)} is not a non-empty string`);
    if (id !== undefined) {
      const existing = this.#clients.get(id) ?? this.#opening.get(id);
      if (existing) return existing;
    }
    const opening = this.#openClient(id, { ...options, ...(tag !== undefined ? { tag } : {}) });
    if (id === undefined) return opening;
    this.#opening.set(id, opening);
    try {
      return await opening;
    } finally {
      this.#opening.delete(id);
    }
  }

  /**
   * Registers message classes so received payloads of their types become
   * instances of them.
   * @throws TypeError for a class without `messageType`
   */
  register(classes: MessageClass | MessageClass[]): void {
    this.#registry.register(classes);
  }

  /**
   * Rebuilds an unsent message from its payload (`message.toJSON()`) as the
   * class registered for its `_lctype` (a plain Message otherwise), e.g.
   * from an outbox persisted across a page reload. Give the saved `dt` so
   * that resending it cannot store it twice. Plugin middlewares do not run:
   * this is the sender's own message, not a received one.
   * @param payload the payload, or its JSON text
   * @param options `dt`: the message's saved dedup token
   * @throws TypeError for an invalid `dt`
   */
  restoreMessage(payload: unknown, options: { dt?: string } = {}): Message {
    const message = this.#registry.parse(typeof payload === 'string' ? decodePayload(payload) : payload);
    if (options.dt !== undefined) message.dt = options.dt;
    return message;
  }

  /**
   * Reconnects now instead of waiting for the scheduled attempt, and
   * resets the back-off (guide: between `schedule` and `retry`).
   * @throws Error if no reconnect is scheduled
   */
  retry(): void {
    if (!this.#connection) throw new Error('not connected: nothing to retry');
    this.#connection.retry();
  }

  /** Goes offline (e.g. the app went to the background): drops the connection until {@link resume}. */
  pause(): void {
    this.#connection?.pause();
  }

  /** Comes back online after {@link pause} and reconnects at once. */
  resume(): void {
    this.#connection?.resume();
  }

  /** Closes every client, then the connection. */
  async close(): Promise<void> {
    this.#closeGeneration += 1;
    // A first connect still retrying would wait for ever: it gives up now.
    if (this.#connection && this.#connection.state !== 'connected') this.#discardConnection();
    await Promise.allSettled([...this.#opening.values()]);
    await Promise.all([...this.#clients.values()].map((client) => client.close()));
    this.#discardConnection();
  }

  async #openClient(id: string | undefined, options: IMClientOptions): Promise<IMClient> {
    this.#pendingOpens += 1;
    const closeGeneration = this.#closeGeneration;
    try {
      let connection = await this.#connect();
      const client = new IMClient(this.#host, id, options);
      this.#plugins.decorate('onIMClientCreate', client);
      for (;;) {
        this.#loggingIn.add(client);
        try {
          await client._open();
          break;
        } catch (error) {
          if (!this.options.retryFirstConnect || !isTransientError(error) || closeGeneration !== this.#closeGeneration) throw error;
          // Not refused, only not answered (timeout, lost socket): once the
          // connection is back, log in again. A socket that stays up but
          // does not answer is dropped, so the back-off paces the attempts.
          if (connection.state === 'connected') connection.drop();
          await connection.connected();
          connection = await this.#connect();
        } finally {
          this.#loggingIn.delete(client);
        }
      }
      this.#clients.set(client.id, client);
      return client;
    } finally {
      this.#pendingOpens -= 1;
      if (this.#clients.size === 0 && this.#pendingOpens === 0) this.#discardConnection();
    }
  }

  /** The shared connection, opened on first use. */
  #connect(): Promise<Connection> {
    const current = this.#connection;
    if (current && current.state !== 'closed' && current.state !== 'error') {
      return this.#connecting ?? Promise.resolve(current);
    }
    const connection = new Connection({
      url: this.#url,
      fallbackUrls: this.#urls.slice(1),
      subprotocol: this.#subprotocol,
      ...(this.options.WebSocket ? { WebSocket: this.options.WebSocket } : {}),
      ...(this.options.timings ? { timings: this.options.timings } : {}),
      ...(this.maxFrameBytes !== undefined ? { maxFrameBytes: this.maxFrameBytes } : {}),
      ...(this.options.retryFirstConnect ? { retryFirstConnect: true } : {}),
      ...(this.options.backoffJitter === false ? { jitter: false } : {}),
    });
    this.#wire(connection);
    this.#connection = connection;
    this.#watchNetwork(true);
    const connecting = connection.open().then(
      () => connection,
      (error: unknown) => {
        if (this.#connection === connection) this.#discardConnection();
        throw error;
      },
    );
    this.#connecting = connecting;
    const settled = (): void => {
      if (this.#connecting === connecting) this.#connecting = undefined;
    };
    connecting.then(settled, settled);
    return connecting;
  }

  #wire(connection: Connection): void {
    // Realtime first, then each client, synchronously (guide: 客户端事件).
    for (const event of LIFECYCLE_EVENTS) {
      connection.on(event, (...args: LifecycleEvents[typeof event]) => {
        this.emit(event, ...args);
        for (const client of this.#clients.values()) client.emit(event, ...args);
      });
    }
    connection.on('reconnect', () => {
      this.emit('reconnect');
      for (const client of this.#clients.values()) void client._reopen();
    });
    connection.on('error', (error) => {
      this.emit('error', error);
      if (connection.state === 'error') {
        for (const client of [...this.#clients.values()]) client._terminate(error.code, error.name);
      }
    });
    connection.on('push', (command) => this.#route(command));
  }

  /** Routes a push by `peerId`; one without goes to the first client (protocol.md §0, 3a). */
  #route(command: DecodedCommand): void {
    if (!has(command, 'peerId')) {
      (this.#clients.values().next().value ?? this.#loggingIn.values().next().value)?._handlePush(command);
      return;
    }
    const client = this.#clients.get(command.peerId) ?? this.#loggingInAs(command.peerId);
    client?._handlePush(command);
  }

  /** The client logging in as `peerId`; an anonymous one learns its id from the reply being processed. */
  #loggingInAs(peerId: string): IMClient | undefined {
    let anonymous: IMClient | undefined;
    for (const client of this.#loggingIn) {
      if (client.id === peerId) return client;
      if (!client.id) anonymous = client;
    }
    return anonymous;
  }

  #send(command: Command): Promise<DecodedCommand> {
    const connection = this.#connection;
    if (!connection) return Promise.reject(clientError(ClientErrorName.NOT_CONNECTED, 'not connected'));
    return connection.send(command);
  }

  async #parseMessage(raw: string): Promise<Message> {
    const payload = await this.#plugins.apply('beforeMessageParse', decodePayload(raw));
    return this.#plugins.apply('afterMessageParse', this.#registry.parse(payload));
  }

  #reportPluginError(error: PluginError): void {
    if (this.listenerCount('pluginerror') > 0) this.emit('pluginerror', error);
    // The guide promises the failing plugin's name in the logs.
    else console.error(error);
  }

  // Browsers announce losing and regaining the network: go offline at once
  // instead of waiting for timeouts, and reconnect as soon as it is back.
  readonly #onNetworkOffline = (): void => this.pause();
  readonly #onNetworkOnline = (): void => this.resume();

  #watchNetwork(enabled: boolean): void {
    const target = globalThis as { addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener'] };
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return;
    const method = enabled ? target.addEventListener : target.removeEventListener;
    method.call(globalThis, 'offline', this.#onNetworkOffline);
    method.call(globalThis, 'online', this.#onNetworkOnline);
  }

  #release(client: IMClient): void {
    if (this.#clients.get(client.id) === client) this.#clients.delete(client.id);
    if (this.#clients.size === 0 && this.#pendingOpens === 0) this.#discardConnection();
  }

  #discardConnection(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#connecting = undefined;
    if (!connection) return;
    // What it learnt of the server's frame limit outlives it.
    this.#maxFrameBytes = connection.maxFrameBytes;
    this.#watchNetwork(false);
    connection.close();
    connection.removeAllListeners();
  }
}
