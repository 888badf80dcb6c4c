/** Server settings: what `lc-chat serve` flags set, with production defaults. */
export interface AppConfig {
  appId: string;
  appKey: string;
  masterKey: string;
  requireSignature?: boolean;
}

export interface ServerConfig {
  /** TCP port for HTTP and WebSocket; 0 picks a free one. Default 8787. */
  port: number;
  /** Interface to bind. Default 0.0.0.0. */
  host: string;
  /** Directory for the SQLite file (and, later, uploaded files). */
  dataDir: string;
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
   * Unsent bytes per socket (ours plus the WebSocket's) above which chat-room
   * messages are dropped, LOW then NORMAL; if the rest still exceeds it the
   * socket is cut off as too slow. This bounds the memory one client can hold.
   */
  maxBufferedBytes: number;
  /** Above this many bytes in the WebSocket's own buffer, frames wait in our priority queue instead. */
  writeHighWaterBytes: number;
  /** A frame that waited this long in the queue is dropped (chat-room LOW/NORMAL) or cuts the socket off (anything else). */
  sendQueueMaxAgeMs: number;
  /**
   * Unsent bytes held for all sockets together; above it the sockets
   * holding the most are cut off (they recover from history). Bounds the
   * memory many slow clients can hold.
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
  /** Session token lifetime in seconds. */
  sessionTokenTtl: number;
  /**
   * How long membership events (joined, left, members_joined, members_left)
   * are kept for clients that were offline, in ms: a reconnect, or v4's
   * GET /1.1/rtm/notifications, gets those younger than this. Pruned hourly.
   */
  notificationRetentionMs: number;
  /** SQLite `synchronous`: NORMAL survives process crashes, FULL also power loss. */
  durability: 'process' | 'power';
  /**
   * Serve `POST /sign` for this app, signing for anyone who asks. For the
   * development app only: it makes signatures meaningless.
   */
  devSigningAppId: string | null;
  /** Directory of the demo pages served at `/`, or null for none. */
  demoDir: string | null;
  /** Where log lines go; defaults to stderr. */
  log: (line: string) => void;
}

export const DEFAULTS: Omit<ServerConfig, 'dataDir' | 'apps' | 'demoDir' | 'devSigningAppId'> = {
  port: 8787,
  host: '0.0.0.0',
  maxPayload: 64 * 1024,
  loginTimeoutMs: 30_000,
  idleTimeoutMs: 360_000,
  maxGarbageFrames: 3,
  maxBufferedBytes: 8 * 1024 * 1024,
  writeHighWaterBytes: 256 * 1024,
  sendQueueMaxAgeMs: 30_000,
  maxTotalBufferedBytes: 256 * 1024 * 1024,
  maxReplyBytes: 8 * 1024 * 1024,
  maxUnreadPreviewBytes: 4 * 1024,
  maxPendingReplies: 64,
  roomResumeMs: 30 * 60_000,
  maxUploadBytes: 20 * 1024 * 1024,
  sessionTokenTtl: 48 * 3600,
  notificationRetentionMs: 7 * 24 * 3600_000,
  durability: 'process',
  log: (line) => process.stderr.write(line + '\n'),
};

/** Fills in defaults and checks ranges; throws with a message naming the bad setting. */
export function resolveConfig(input: Partial<ServerConfig> & { dataDir: string }): ServerConfig {
  const config: ServerConfig = { ...DEFAULTS, apps: [], demoDir: null, devSigningAppId: null, ...input };
  const positive = ['maxPayload', 'loginTimeoutMs', 'idleTimeoutMs', 'maxGarbageFrames', 'maxBufferedBytes', 'maxUploadBytes', 'sessionTokenTtl',
    'writeHighWaterBytes', 'sendQueueMaxAgeMs', 'roomResumeMs', 'notificationRetentionMs',
    'maxTotalBufferedBytes', 'maxReplyBytes', 'maxUnreadPreviewBytes', 'maxPendingReplies'] as const;
  for (const key of positive) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) throw new Error(`${key} must be a positive integer, got ${config[key]}`);
  }
  // A reply must fit a frame the largest message fits in, and one socket's budget must fit the server's.
  if (config.maxReplyBytes < config.maxPayload + 1024) throw new Error(`maxReplyBytes must be at least maxPayload + 1024, got ${config.maxReplyBytes}`);
  if (config.maxTotalBufferedBytes < config.maxBufferedBytes) throw new Error(`maxTotalBufferedBytes must be at least maxBufferedBytes, got ${config.maxTotalBufferedBytes}`);
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new Error(`port must be 0..65535, got ${config.port}`);
  if (config.durability !== 'process' && config.durability !== 'power') throw new Error(`durability must be process or power, got ${config.durability}`);
  if (config.devSigningAppId !== null && !config.apps.some((app) => app.appId === config.devSigningAppId)) {
    throw new Error(`devSigningAppId ${config.devSigningAppId} is not one of the configured apps`);
  }
  for (const app of config.apps) {
    for (const key of ['appId', 'appKey', 'masterKey'] as const) {
      if (typeof app[key] !== 'string' || !/^[\w-]{1,64}$/.test(app[key])) throw new Error(`${key} must be 1-64 letters, digits, _ or -`);
    }
  }
  return config;
}
