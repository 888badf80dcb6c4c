/** Server settings: what `lc-chat serve` flags set, with production defaults. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { checkAppHooks, type AppHooks } from './hooks/hooks.js';
import { LOG_LEVELS, type LogLevel } from './observability/logger.js';
import { resolveWebPush, type WebPushSettings } from './push/settings.js';
import { CONVERSATION_COLUMNS, WHERE_LIMIT_CEILING } from './query/where.js';
import type { BrokerLocation } from './broker/open-broker.js';
import type { StoreLocation } from './store/store-location.js';

export interface AppConfig {
  appId: string;
  appKey: string;
  masterKey: string;
  requireSignature?: boolean;
  /**
   * Whether a client may join a conversation it is not in by itself
   * (conv/add of its own id), as the guide's join-by-id example does.
   * Default true. When false, only a member can add a non-member; either
   * way a client the conversation blocked cannot come back.
   */
  openJoin?: boolean;
  /**
   * LeanCloud's open model: a client's `conv query` finds any conversation
   * of the app, not only its own, chat rooms and the ids it names. A
   * non-member still never sees members, the last message or private
   * attributes. Default false.
   */
  openConversationQuery?: boolean;
  /** Top-level custom attributes only members may see or query by. Default none. */
  privateAttributes?: string[];
  /** Hooks to the app's own server (issue 15): URLs by event, and the HMAC secret (default the master key). */
  hooks?: AppHooks;
}

export interface ServerConfig {
  /** TCP port for HTTP and WebSocket; 0 picks a free one. Default 8787. */
  port: number;
  /** Interface to bind. Default 0.0.0.0. */
  host: string;
  /** Directory for the SQLite file (unless `store` names another) and uploaded files. */
  dataDir: string;
  /**
   * Where conversations and messages live (`--store`, `LC_STORE`). Default
   * the SQLite file `<dataDir>/lc-chat.db`; a PostgreSQL database can be
   * shared by several server processes.
   */
  storeLocation: StoreLocation;
  /**
   * This process's name among the server nodes (`--node-id`, `LC_NODE_ID`):
   * 1-64 letters, digits, `_` or `-`. Session ids include it, so that they
   * are unique in the cluster. Default: random at each start.
   */
  nodeId: string;
  /**
   * How pushes reach other nodes (`--broker`, `LC_BROKER`): the in-process
   * broker (one node, the default) or a Redis server several nodes share,
   * which also shares presence (online, room counts, tags, wills).
   */
  brokerLocation: BrokerLocation;
  /**
   * With a shared presence (Redis): how often this node tells the others it
   * is alive (`--node-heartbeat`), and after how long without a beat the
   * others hold it dead (`--node-dead-after`): its chat-room viewers stop
   * counting and a surviving node delivers its sessions' will messages.
   * A shorter bound fails over sooner; it must outlast a network hiccup,
   * or a live node is taken for dead. Defaults 5 s and 15 s.
   */
  nodeHeartbeatMs: number;
  nodeDeadAfterMs: number;
  /** Apps to create or update at start. */
  apps: AppConfig[];
  /** Largest WebSocket frame accepted, in bytes. */
  maxPayload: number;
  /** Close sockets that open no session within this time (4108). */
  loginTimeoutMs: number;
  /** Close sockets that send nothing for this long (4107). Clients ping every 180 s. */
  idleTimeoutMs: number;
  /** Undecodable frames tolerated on one socket before it is closed. */
  maxGarbageFrames: number;
  /** Largest file accepted by the upload endpoint, in bytes. */
  maxUploadBytes: number;
  /**
   * Unsent bytes per socket (ours plus the WebSocket's), a hard bound: a
   * frame that would cross it makes room by dropping chat-room messages,
   * LOW then NORMAL (or is dropped itself); one that may not be dropped and
   * cannot fit cuts the socket off as too slow. This bounds the memory one
   * client can hold. The default, 1 MiB, keeps a stalled viewer's cost to
   * the process under 2 MB with what the stream itself leaves behind
   * (README, issue 11), as Centrifugo's 1 MB per-client queue does.
   */
  maxBufferedBytes: number;
  /** Above this many bytes in the WebSocket's own buffer, frames wait in our priority queue instead. */
  writeHighWaterBytes: number;
  /** A frame that waited this long in the queue is dropped (chat-room LOW/NORMAL) or cuts the socket off (anything else). */
  sendQueueMaxAgeMs: number;
  /**
   * Unsent bytes held for all sockets together (`--max-send-buffer-total`);
   * above it the sockets holding the most lose their chat-room frames
   * (LOW, then NORMAL), then are cut off (they recover from history).
   * Bounds the memory many slow clients can hold.
   */
  maxTotalBufferedBytes: number;
  /**
   * Largest `logs` reply, and largest page of what a login is sent
   * (unread list, offline messages, patches), in bytes: a history page
   * holds fewer messages than asked rather than more bytes. A reply or
   * login page in flight is not counted against maxBufferedBytes, and a
   * socket has one at a time, so a client's own replies never cut it off.
   * The official SDKs' messages iterators (and ours) stop at a page
   * shorter than asked: the default holds 100 messages (LeanCloud's
   * largest page) of the largest size. Our SDK accepts frames up to 16 MiB.
   */
  maxReplyBytes: number;
  /**
   * The unread list at login carries a conversation's last message only
   * when its data is at most this many bytes; a larger one is left out
   * (the SDKs then keep their lastMessage and fetch history for it).
   */
  maxUnreadPreviewBytes: number;
  /**
   * Large replies and login pages waiting for one client to read the one
   * before; one more cuts the socket off. They cost no send budget while
   * they wait, so this bounds what a client that asks without reading holds.
   */
  maxPendingReplies: number;
  /** How long a chat-room viewer that lost its connection keeps its place for a reconnect. */
  roomResumeMs: number;
  /**
   * The longest a push to an official JS SDK waits for its ack of the
   * conversation's earlier messages while it fetches that conversation, so
   * that it emits them in order (session/ack-gate.ts); 0 turns the wait
   * off. The SDKs ack at most once a second.
   */
  ackGateMs: number;
  /**
   * Session token lifetime in ms, a whole number of seconds (tokens carry
   * their expiry in seconds, and `stTtl` tells clients seconds); a logout
   * (session close) revokes a login's tokens sooner.
   */
  sessionTokenTtlMs: number;
  /** Conversations (and chat rooms) one client may create per minute, on each node (4318 beyond). */
  conversationsPerMinute: number;
  /** IMClients one socket may log in at once (4113 beyond); the SDKs' multi-client use is a handful. */
  maxSessionsPerSocket: number;
  /** Logins (session/open, reconnects included) of one client per minute, on each node (4113 beyond). */
  loginsPerMinute: number;
  /** File uploads per minute, on each node: per client with a session token, per remote address with the app key (429 beyond). */
  uploadsPerMinute: number;
  /** Bytes of stored files per app; uploads beyond are refused (413). */
  appStorageBytes: number;
  /** Whether the public app key alone may upload files (else a session token is required). */
  appKeyUploads: boolean;
  /**
   * How long membership events (joined, left, members_joined, members_left)
   * are kept for clients that were offline, in ms: a reconnect, or v4's
   * GET /1.1/rtm/notifications, gets those younger than this. Pruned hourly.
   */
  notificationRetentionMs: number;
  /** Bytes of one conversation's name plus custom attributes (JSON); larger creates and updates are refused. */
  maxAttributeBytes: number;
  /** Objects and arrays nested inside one custom attribute's value; deeper ones are refused. */
  maxAttributeDepth: number;
  /** Clients one conversation's blocklist may hold (v4 blacklist); more are refused with BLACKLIST_FULL. */
  maxBlockedPerConversation: number;
  /** SQLite `synchronous`: NORMAL survives process crashes, FULL also power loss. */
  durability: 'process' | 'power';
  /** Conditions plus array elements in one conversation query's `where` (at most 1000). */
  maxQueryTerms: number;
  /** `$regex` conditions in one conversation query (at most 100). */
  maxQueryRegexes: number;
  /** Conversation rows one query may examine before it is refused. */
  maxQueryRows: number;
  /** Time one conversation query may run before it is refused, in ms: it blocks everyone meanwhile. */
  maxQueryMs: number;
  /** Query time one client may use per minute, in ms; over it, its queries are refused until it refills. */
  maxQueryMsPerMinute: number;
  /**
   * Serve `POST /sign` for this app, signing for anyone who asks. For the
   * development app only: it makes signatures meaningless.
   */
  devSigningAppId: string | null;
  /** Directory of the demo pages served at `/`, or null for none. */
  demoDir: string | null;
  /** Where log lines go (one JSON line each, without the newline); defaults to stderr. */
  log: (line: string) => void;

  // --- Operations (issue 15): logs, metrics ---
  /** Least severe log level written (`--log-level`). Default info: one line per connection event and per error. */
  logLevel: LogLevel;
  /** Serve `GET /metrics` (Prometheus text). Default true. */
  metrics: boolean;
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`. Default none. */
  metricsToken: string | null;
  /** How long one hook call may take, in ms. Default 3000. */
  hookTimeoutMs: number;
  /** Retries of a failed notification hook (not messageReceived, which has one try). Default 3. */
  hookRetries: number;
  /** First retry after about this many ms, doubling each time. Default 1000. */
  hookRetryBaseMs: number;
  /** When messageReceived fails or times out: let the message through unchanged (`pass`, default) or refuse it (`drop`). */
  messageHookFailure: 'pass' | 'drop';
  /** Messages one client may send per second, on each node, in bursts of as many (4116 beyond); 0 for no limit. Default 0. */
  messagesPerSecond: number;
  /**
   * New WebSocket connections per remote address per second, on each node
   * (HTTP 429 beyond); 0 for no limit. Default 0: behind a reverse proxy
   * every client has the proxy's address.
   */
  connectionsPerSecond: number;
  /** Web Push to the widgets' service worker (push/settings.ts): settings over the defaults, or false for none. Default on. */
  webPush: Partial<WebPushSettings> | false;
  /**
   * What the router endpoints (`/1/route`, `/2/route`, `/v1/route`) send
   * clients to, `ws://` or `wss://` (`--public-url`, `LC_PUBLIC_URL`): the
   * load balancer in front of several nodes, so a client that asks one node
   * where to connect is sent to the balancer, not to that node. Null: the
   * address the client reached this node at (its Host header).
   */
  publicUrl: string | null;
}

export const DEFAULTS: Omit<ServerConfig, 'dataDir' | 'storeLocation' | 'nodeId' | 'apps' | 'demoDir' | 'devSigningAppId'> = {
  port: 8787,
  host: '0.0.0.0',
  maxPayload: 64 * 1024,
  loginTimeoutMs: 30_000,
  idleTimeoutMs: 360_000,
  maxGarbageFrames: 3,
  maxBufferedBytes: 1024 * 1024,
  writeHighWaterBytes: 256 * 1024,
  sendQueueMaxAgeMs: 30_000,
  maxTotalBufferedBytes: 256 * 1024 * 1024,
  maxReplyBytes: 8 * 1024 * 1024,
  maxUnreadPreviewBytes: 4 * 1024,
  maxPendingReplies: 64,
  roomResumeMs: 30 * 60_000,
  ackGateMs: 3_000,
  maxUploadBytes: 20 * 1024 * 1024,
  sessionTokenTtlMs: 48 * 3600 * 1000,
  conversationsPerMinute: 60,
  maxSessionsPerSocket: 16,
  loginsPerMinute: 60,
  uploadsPerMinute: 20,
  appStorageBytes: 10 * 1024 ** 3,
  appKeyUploads: true,
  notificationRetentionMs: 7 * 24 * 3600_000,
  durability: 'process',
  brokerLocation: { kind: 'local' },
  nodeHeartbeatMs: 5_000,
  nodeDeadAfterMs: 15_000,
  maxAttributeBytes: 16 * 1024,
  maxAttributeDepth: 8,
  maxBlockedPerConversation: 10_000,
  maxQueryTerms: 1000,
  maxQueryRegexes: 16,
  maxQueryRows: 50_000,
  maxQueryMs: 50,
  maxQueryMsPerMinute: 3000,
  log: (line) => process.stderr.write(line + '\n'),

  // --- Operations (issue 15) ---
  logLevel: 'info',
  metrics: true,
  metricsToken: null,
  hookTimeoutMs: 3000,
  hookRetries: 3,
  hookRetryBaseMs: 1000,
  messageHookFailure: 'pass',
  messagesPerSecond: 0,
  connectionsPerSecond: 0,
  webPush: {},
  publicUrl: null,
};

/**
 * A fresh node id, the default of `nodeId`. Whoever builds a cluster-wide
 * presence before `createServer` picks the id with this and passes the
 * same one to both.
 */
export function randomNodeId(): string {
  return randomBytes(6).toString('hex');
}

/** Fills in defaults and checks ranges; throws with a message naming the bad setting. */
export function resolveConfig(input: Partial<ServerConfig> & { dataDir: string }): ServerConfig {
  const config: ServerConfig = {
    ...DEFAULTS,
    apps: [],
    demoDir: null,
    devSigningAppId: null,
    ...input,
    storeLocation: input.storeLocation ?? { kind: 'sqlite', file: join(input.dataDir, 'lc-chat.db') },
    nodeId: input.nodeId ?? randomNodeId(),
  };
  // Part of every session id (`<node>:<connection>:<client>`) and of a Redis presence's keys.
  if (typeof config.nodeId !== 'string' || !/^[\w-]{1,64}$/.test(config.nodeId)) throw new Error(`nodeId must be 1-64 letters, digits, _ or -, got ${JSON.stringify(config.nodeId)}`);
  if (!Number.isInteger(config.nodeHeartbeatMs) || config.nodeHeartbeatMs < 100 || config.nodeHeartbeatMs > 60_000) throw new Error(`nodeHeartbeatMs must be an integer in 100..60000, got ${config.nodeHeartbeatMs}`);
  // Two beats may be lost before a live node counts as dead.
  if (!Number.isInteger(config.nodeDeadAfterMs) || config.nodeDeadAfterMs < 3 * config.nodeHeartbeatMs || config.nodeDeadAfterMs > 600_000) {
    throw new Error(`nodeDeadAfterMs must be an integer of at least 3 × nodeHeartbeatMs (${3 * config.nodeHeartbeatMs}) and at most 600000, got ${config.nodeDeadAfterMs}`);
  }
  const positive = ['maxPayload', 'loginTimeoutMs', 'idleTimeoutMs', 'maxGarbageFrames', 'maxBufferedBytes', 'maxUploadBytes', 'sessionTokenTtlMs',
    'writeHighWaterBytes', 'sendQueueMaxAgeMs', 'roomResumeMs', 'notificationRetentionMs',
    'conversationsPerMinute', 'maxSessionsPerSocket', 'loginsPerMinute', 'uploadsPerMinute', 'appStorageBytes',
    'maxAttributeBytes', 'maxAttributeDepth', 'maxBlockedPerConversation',
    'maxTotalBufferedBytes', 'maxReplyBytes', 'maxUnreadPreviewBytes', 'maxPendingReplies'] as const;
  for (const key of positive) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) throw new Error(`${key} must be a positive integer, got ${config[key]}`);
  }
  if (!Number.isInteger(config.ackGateMs) || config.ackGateMs < 0 || config.ackGateMs > 60_000) throw new Error(`ackGateMs must be an integer in 0..60000, got ${config.ackGateMs}`);
  if (config.sessionTokenTtlMs % 1000 !== 0) throw new Error(`sessionTokenTtlMs must be a whole number of seconds (tokens carry their expiry in seconds), got ${config.sessionTokenTtlMs}`);
  if (typeof config.appKeyUploads !== 'boolean') throw new Error(`appKeyUploads must be true or false, got ${String(config.appKeyUploads)}`);
  // A reply must fit a frame the largest message fits in, and one socket's budget must fit the server's.
  if (config.maxReplyBytes < config.maxPayload + 1024) throw new Error(`maxReplyBytes must be at least maxPayload + 1024, got ${config.maxReplyBytes}`);
  if (config.maxTotalBufferedBytes < config.maxBufferedBytes) throw new Error(`maxTotalBufferedBytes must be at least maxBufferedBytes, got ${config.maxTotalBufferedBytes}`);
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new Error(`port must be 0..65535, got ${config.port}`);
  if (config.durability !== 'process' && config.durability !== 'power') throw new Error(`durability must be process or power, got ${config.durability}`);
  for (const [key, ceiling] of [['maxQueryTerms', WHERE_LIMIT_CEILING.maxTerms], ['maxQueryRegexes', WHERE_LIMIT_CEILING.maxRegexes], ['maxQueryRows', Number.MAX_SAFE_INTEGER], ['maxQueryMs', 60_000], ['maxQueryMsPerMinute', 60_000]] as const) {
    if (!Number.isInteger(config[key]) || config[key] <= 0 || config[key] > ceiling) throw new Error(`${key} must be an integer in 1..${ceiling}, got ${config[key]}`);
  }
  checkOperations(config);
  if (config.publicUrl !== null) config.publicUrl = checkPublicUrl(config.publicUrl);
  if (config.devSigningAppId !== null && !config.apps.some((app) => app.appId === config.devSigningAppId)) {
    throw new Error(`devSigningAppId ${config.devSigningAppId} is not one of the configured apps`);
  }
  for (const app of config.apps) {
    for (const key of ['appId', 'appKey', 'masterKey'] as const) {
      if (typeof app[key] !== 'string' || !/^[\w-]{1,64}$/.test(app[key])) throw new Error(`${key} must be 1-64 letters, digits, _ or -`);
    }
    if (app.openJoin !== undefined && typeof app.openJoin !== 'boolean') throw new Error(`openJoin must be true or false, got ${String(app.openJoin)}`);
    for (const name of app.privateAttributes ?? []) {
      if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name) || CONVERSATION_COLUMNS.has(name)) throw new Error(`privateAttributes: ${JSON.stringify(name)} is not an attribute name`);
    }
  }
  return config;
}

/**
 * A public URL as the router endpoints hand it out: a `ws:` or `wss:` URL
 * with a host, and nothing a client would drop or a log would leak
 * (credentials, query, fragment). Returns it normalized (`wss://h/`).
 */
export function checkPublicUrl(value: string): string {
  // Never echo a password someone put in it by mistake.
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 200).replace(/\/\/[^/@]*@/, '//***@')) : typeof value;
  const bad = (why: string) => new Error(`publicUrl must be a ws:// or wss:// URL such as wss://chat.example.com (${why}), got ${shown}`);
  if (typeof value !== 'string' || value.length > 2048) throw bad('at most 2048 characters');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw bad(`scheme ${url.protocol.replace(/:$/, '')}`);
  if (!url.hostname) throw bad('no host');
  if (url.username || url.password) throw bad('no user or password in it');
  if (url.search || url.hash || value.includes('?') || value.includes('#')) throw bad('no query or fragment');
  return url.href;
}

/** The operations settings (issue 15): log level, metrics switch and token. */
function checkOperations(config: ServerConfig): void {
  if (!(LOG_LEVELS as readonly string[]).includes(config.logLevel)) throw new Error(`logLevel must be one of ${LOG_LEVELS.join(', ')}, got ${String(config.logLevel)}`);
  if (typeof config.metrics !== 'boolean') throw new Error(`metrics must be true or false, got ${String(config.metrics)}`);
  // A token short enough to guess, or with characters a header cannot carry, is a mistake.
  if (config.metricsToken !== null && (typeof config.metricsToken !== 'string' || !/^[\x21-\x7e]{16,256}$/.test(config.metricsToken))) {
    throw new Error('metricsToken must be 16-256 printable ASCII characters without spaces');
  }
  for (const key of ['hookTimeoutMs', 'hookRetryBaseMs'] as const) {
    if (!Number.isInteger(config[key]) || config[key] <= 0 || config[key] > 60_000) throw new Error(`${key} must be an integer in 1..60000, got ${config[key]}`);
  }
  if (!Number.isInteger(config.hookRetries) || config.hookRetries < 0 || config.hookRetries > 10) throw new Error(`hookRetries must be 0..10, got ${config.hookRetries}`);
  if (config.messageHookFailure !== 'pass' && config.messageHookFailure !== 'drop') throw new Error(`messageHookFailure must be pass or drop, got ${String(config.messageHookFailure)}`);
  for (const app of config.apps) checkAppHooks(app.hooks);
  resolveWebPush(config.webPush);
  for (const key of ['messagesPerSecond', 'connectionsPerSecond'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 0 || config[key] > 100_000) throw new Error(`${key} must be an integer in 0..100000 (0: no limit), got ${config[key]}`);
  }
}
