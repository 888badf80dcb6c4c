/**
 * `lc-chat serve`: runs the realtime server with the demo pages.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkPublicUrl, DEFAULTS, type AppConfig, type ServerConfig } from './server/config.js';
import { HOOK_EVENTS, type AppHooks, type HookEvent } from './server/hooks/hooks.js';
import { defaultLogSink, LOG_LEVELS, type LogLevel } from './server/observability/logger.js';
import { createServer } from './server/index.js';
import { BrokerOpenError, describeBrokerLocation, parseBrokerLocation, type BrokerLocation } from './server/broker/open-broker.js';
import { StoreOpenError } from './server/store/open-store.js';
import { describeStoreLocation, parseStoreLocation, type StoreLocation } from './server/store/store-location.js';
import { migrateCommand } from './migrate-command.js';

/** Retention is given in days on the command line. */
const DAY_MS = 24 * 3600_000;

/** The demo pages `serve` prints, as `[label, file]`. */
const DEMO_PAGES: ReadonlyArray<readonly [string, string]> = [
  ['chat', 'chat.html'],
  ['support', 'support.html'],
  ['agent', 'agent.html'],
  ['inbox', 'inbox.html'],
  ['live', 'live.html'],
];

const HELP = `Usage: lc-chat serve [options]

Runs the lc-chat realtime server: HTTP and WebSocket on one port.

Options:
  --port <n>             TCP port (default ${DEFAULTS.port}; 0 picks a free one)
  --host <addr>          interface to bind (default ${DEFAULTS.host})
  --data <dir>           data directory: the SQLite file (unless --store names
                         another store), uploaded files, the development app
                         (default ./.lc-data)
  --store <location>     where conversations and messages live (also LC_STORE):
                         sqlite:<path> (default <data>/lc-chat.db) or
                         postgres://user[:password]@host:5432/db, which several
                         server processes can share
  --public-url <url>     ws:// or wss:// URL the router endpoints (/v1/route,
                         /2/route, /1/route) send clients to, instead of the
                         address they reached this node at: the load balancer
                         in front of several nodes (also LC_PUBLIC_URL)
  --node-id <id>         this process's name among several server nodes (also
                         LC_NODE_ID): 1-64 letters, digits, _ or -; session
                         ids include it (default: random at each start)
  --node-heartbeat <ms>  with --broker redis://: how often this node tells the
                         others it is alive (default ${DEFAULTS.nodeHeartbeatMs})
  --node-dead-after <ms>  with --broker redis://: silence after which the others
                         hold a node dead, drop its chat-room viewers and deliver
                         its sessions' will messages (default ${DEFAULTS.nodeDeadAfterMs};
                         at least 3 heartbeats)
  --broker <url>         how pushes reach the other server processes (also
                         LC_BROKER): redis://[user:password@]host:6379[/db]
                         [?prefix=<p>] (rediss:// for TLS; prefix default lc:)
                         for several processes behind one address, with a
                         shared --store postgres://; default in-process (one
                         process)
  --app-id <id>          app id; with --app-key and --master-key. Without these
                         flags a development app is created in the data
                         directory and its keys are printed
  --app-key <key>        the app's client key
  --master-key <key>     the app's master key (signs; never sent to clients)
  --require-signature    logins, conversation and blocklist changes must be signed
                         (HMAC-SHA1 with the master key; see createSignatureHandler).
                         The development app also serves POST /sign, which
                         signs for anyone: for trying signatures out only
  --open-conversation-query
                         conversation queries find any conversation of the app
                         (LeanCloud's model), not only the client's own, chat
                         rooms and ids it names; non-members still never see
                         members, the last message or private attributes
  --private-attributes <a,b>
                         custom attributes only members may see or query by
  --max-query-terms <n>  conditions plus values in one conversation query
                         (default ${DEFAULTS.maxQueryTerms}, at most 1000)
  --max-query-regexes <n>  $regex conditions in one query (default ${DEFAULTS.maxQueryRegexes}, at most 100)
  --max-query-rows <n>   conversations one query may examine (default ${DEFAULTS.maxQueryRows})
  --max-query-ms <ms>    time one query may run (default ${DEFAULTS.maxQueryMs})
  --max-query-ms-per-minute <ms>
                         query time one client may use per minute
                         (default ${DEFAULTS.maxQueryMsPerMinute})
  --max-payload <bytes>  largest WebSocket frame accepted (default ${DEFAULTS.maxPayload});
                         the widgets read it from GET /limits and refuse longer
                         messages before sending them
  --max-upload <bytes>   largest file accepted by POST /files (default ${DEFAULTS.maxUploadBytes});
                         also in GET /limits, checked by the widgets before uploading
  --login-timeout <ms>   close sockets that open no session in time (default ${DEFAULTS.loginTimeoutMs})
  --idle-timeout <ms>    close sockets silent for this long (default ${DEFAULTS.idleTimeoutMs})
  --notification-days <n>  keep membership events for offline clients this many
                         days (default ${DEFAULTS.notificationRetentionMs / DAY_MS})
  --no-open-join         clients cannot join a conversation by id on their own:
                         only a member can add them (default: they can, as
                         LeanCloud and the guide's join example do)
  --max-blocked <n>      clients one conversation may block (default ${DEFAULTS.maxBlockedPerConversation})
  --max-attr-bytes <n>   bytes of one conversation's name plus custom attributes
                         (default ${DEFAULTS.maxAttributeBytes})
  --max-attr-depth <n>   objects/arrays nested in one attribute value (default ${DEFAULTS.maxAttributeDepth})
  --max-buffered <bytes>  unsent bytes one socket may hold, at most: past it
                         chat-room messages are dropped (LOW, then NORMAL),
                         and a message that may not be dropped cuts the
                         socket off (default ${DEFAULTS.maxBufferedBytes})
  --max-send-buffer-total <bytes>  unsent bytes all sockets may hold together;
                         over it the sockets holding the most lose their
                         chat-room messages, then are cut off
                         (default ${DEFAULTS.maxTotalBufferedBytes};
                         --max-total-buffered is the older name)
  --max-reply <bytes>    largest history page and login push page; a page
                         holds fewer messages rather than more bytes
                         (default ${DEFAULTS.maxReplyBytes})
  --unread-preview <bytes>  largest last message sent with the unread counts
                         at login; a larger one is left out (default ${DEFAULTS.maxUnreadPreviewBytes})
  --max-pending-replies <n>  large replies waiting for one client to read;
                         one more cuts it off (default ${DEFAULTS.maxPendingReplies})
  --ack-gate <ms>        longest a push to an official JS SDK waits for its
                         ack of earlier messages of a conversation it is
                         fetching, so that it emits them in order; 0: off
                         (default ${DEFAULTS.ackGateMs})
  --durability <mode>    process: survive process crashes (default);
                         power: also power loss (slower commits)
  --session-token-ttl <s>  session tokens expire after this many seconds
                         (default ${DEFAULTS.sessionTokenTtlMs / 1000}); a logout revokes them at once
  --conversations-per-minute <n>  conversations one client may create per
                         minute on each node (default ${DEFAULTS.conversationsPerMinute}; 4318 beyond)
  --max-sessions-per-socket <n>  clients logged in on one connection
                         (default ${DEFAULTS.maxSessionsPerSocket}; 4113 beyond)
  --logins-per-minute <n>  logins (reconnects included) of one client per
                         minute on each node (default ${DEFAULTS.loginsPerMinute}; 4113 beyond)
  --uploads-per-minute <n>  uploads per client (session token) or per remote
                         address (app key) per minute on each node
                         (default ${DEFAULTS.uploadsPerMinute}; 429 with Retry-After beyond)
  --app-storage <bytes>  stored files per app (default ${DEFAULTS.appStorageBytes}; 413 beyond)
  --no-app-key-uploads   uploads need a session token; the public app key
                         alone is refused (401)
  --no-demo              do not serve the demo pages

Operations:
  --log-level <level>    trace, debug, info, warn, error, fatal or silent
                         (default ${DEFAULTS.logLevel}); JSON lines on stderr,
                         human-readable when stderr is a terminal
  --metrics-token <t>    GET /metrics requires "Authorization: Bearer <t>"
                         (or set LC_METRICS_TOKEN, which ps does not show)
  --no-metrics           do not serve GET /metrics
  --hook <event>=<url>   POST this event to the app's server (repeatable):
                         messageReceived, receiversOffline, conversationStarted,
                         membersChanged, clientOnline, clientOffline
  --hook-secret <s>      HMAC key of the hooks' signature (default the master
                         key; or set LC_HOOK_SECRET)
  --hook-timeout <ms>    one hook call's time limit (default ${DEFAULTS.hookTimeoutMs})
  --hook-retries <n>     retries of a failed notification hook (default ${DEFAULTS.hookRetries})
  --message-hook-failure <pass|drop>  when messageReceived fails or times
                         out (default ${DEFAULTS.messageHookFailure}: the message goes through)
  --messages-per-second <n>  messages one client may send per second on each
                         node (4116 beyond; default 0: no limit)
  --connections-per-second <n>  new WebSocket connections per remote address
                         per second on each node (HTTP 429 beyond; default 0:
                         no limit; behind a proxy all clients share its address)
  --push-subject <s>     Web Push contact for push services: mailto:you@example.com
                         or an https: URL (set a real one; some services refuse
                         made-up contacts)
  --push-hosts <list>    push service hosts to send to, comma-separated, *.suffix
                         allowed (default the browsers' own services); * for any
                         public https host
  --no-web-push          no Web Push: no VAPID key, no /push routes
  -h, --help             show this help
`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  store: { type: 'string' },
  'public-url': { type: 'string' },
  'node-id': { type: 'string' },
  'node-heartbeat': { type: 'string' },
  'node-dead-after': { type: 'string' },
  broker: { type: 'string' },
  'app-id': { type: 'string' },
  'app-key': { type: 'string' },
  'master-key': { type: 'string' },
  'require-signature': { type: 'boolean' },
  'open-conversation-query': { type: 'boolean' },
  'private-attributes': { type: 'string' },
  'max-query-terms': { type: 'string' },
  'max-query-regexes': { type: 'string' },
  'max-query-rows': { type: 'string' },
  'max-query-ms': { type: 'string' },
  'max-query-ms-per-minute': { type: 'string' },
  'max-payload': { type: 'string' },
  'max-upload': { type: 'string' },
  'login-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'notification-days': { type: 'string' },
  'no-open-join': { type: 'boolean' },
  'max-blocked': { type: 'string' },
  'max-attr-bytes': { type: 'string' },
  'max-attr-depth': { type: 'string' },
  'max-buffered': { type: 'string' },
  'max-total-buffered': { type: 'string' },
  'max-send-buffer-total': { type: 'string' },
  'max-reply': { type: 'string' },
  'unread-preview': { type: 'string' },
  'max-pending-replies': { type: 'string' },
  'ack-gate': { type: 'string' },
  durability: { type: 'string' },
  'session-token-ttl': { type: 'string' },
  'conversations-per-minute': { type: 'string' },
  'max-sessions-per-socket': { type: 'string' },
  'logins-per-minute': { type: 'string' },
  'uploads-per-minute': { type: 'string' },
  'app-storage': { type: 'string' },
  'no-app-key-uploads': { type: 'boolean' },
  'no-demo': { type: 'boolean' },
  // --- operations (issue 15) ---
  'log-level': { type: 'string' },
  'metrics-token': { type: 'string' },
  'no-metrics': { type: 'boolean' },
  hook: { type: 'string', multiple: true },
  'hook-secret': { type: 'string' },
  'hook-timeout': { type: 'string' },
  'hook-retries': { type: 'string' },
  'message-hook-failure': { type: 'string' },
  'messages-per-second': { type: 'string' },
  'connections-per-second': { type: 'string' },
  'push-subject': { type: 'string' },
  'push-hosts': { type: 'string' },
  'no-web-push': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

/** `--store`, else `LC_STORE`, else the SQLite file in the data directory. */
function storeFromFlags(flag: string | undefined, dataDir: string): StoreLocation {
  const value = flag ?? process.env.LC_STORE;
  if (value === undefined || value === '') return { kind: 'sqlite', file: join(dataDir, 'lc-chat.db') };
  try {
    const location = parseStoreLocation(value);
    return location.kind === 'sqlite' ? { kind: 'sqlite', file: resolve(location.file) } : location;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--public-url`, else `LC_PUBLIC_URL`, else none; a bad one stops the start with one line. */
function publicUrlFromFlags(flag: string | undefined): string | null {
  const value = flag ?? process.env.LC_PUBLIC_URL;
  if (value === undefined || value === '') return null;
  try {
    return checkPublicUrl(value);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^publicUrl/, flag !== undefined ? '--public-url' : 'LC_PUBLIC_URL'));
  }
}

/** `--node-id`, else `LC_NODE_ID`, else none (createServer picks a random one). */
function nodeIdFromFlags(flag: string | undefined): { nodeId?: string } {
  const value = flag ?? process.env.LC_NODE_ID;
  if (value === undefined || value === '') return {};
  if (!/^[\w-]{1,64}$/.test(value)) throw new UsageError(`--node-id must be 1-64 letters, digits, _ or -, got "${value}"`);
  return { nodeId: value };
}

/** `--broker`, else `LC_BROKER`, else the in-process broker. */
function brokerFromFlags(flag: string | undefined): BrokerLocation {
  const value = flag ?? process.env.LC_BROKER;
  if (value === undefined || value === '') return { kind: 'local' };
  try {
    return parseBrokerLocation(value);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--node-heartbeat` and `--node-dead-after`, checked together: a node must survive two lost beats. */
function nodeTimingFromFlags(beat: string | undefined, dead: string | undefined): { nodeHeartbeatMs: number; nodeDeadAfterMs: number } {
  const nodeHeartbeatMs = integer(beat, 'node-heartbeat', DEFAULTS.nodeHeartbeatMs);
  const nodeDeadAfterMs = integer(dead, 'node-dead-after', DEFAULTS.nodeDeadAfterMs);
  if (nodeHeartbeatMs < 100 || nodeHeartbeatMs > 60_000) throw new UsageError(`--node-heartbeat must be 100..60000 ms, got ${nodeHeartbeatMs}`);
  if (nodeDeadAfterMs < 3 * nodeHeartbeatMs || nodeDeadAfterMs > 600_000) {
    throw new UsageError(`--node-dead-after must be at least 3 heartbeats (${3 * nodeHeartbeatMs} ms) and at most 600000 ms, got ${nodeDeadAfterMs}`);
  }
  return { nodeHeartbeatMs, nodeDeadAfterMs };
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

/** The app from the flags, or the data directory's development app (created on first run). */
function appFromFlags(values: Record<string, string | boolean | string[] | undefined>, dataDir: string): { app: AppConfig; generated: boolean } {
  const appId = values['app-id'] as string | undefined;
  const appKey = values['app-key'] as string | undefined;
  const masterKey = values['master-key'] as string | undefined;
  if (appId || appKey || masterKey) {
    if (!appId || !appKey || !masterKey) throw new UsageError('--app-id, --app-key and --master-key go together');
    return { app: { appId, appKey, masterKey }, generated: false };
  }
  const file = resolve(dataDir, 'dev-app.json');
  try {
    return { app: JSON.parse(readFileSync(file, 'utf8')) as AppConfig, generated: true };
  } catch {
    const app = {
      appId: `dev-${randomBytes(6).toString('hex')}`,
      appKey: randomBytes(12).toString('hex'),
      masterKey: randomBytes(16).toString('hex'),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(app, null, 2) + '\n', { mode: 0o600 });
    return { app, generated: true };
  }
}

/** The operations flags (issue 15): logs and metrics. */
function operationsFlags(values: Record<string, string | boolean | string[] | undefined>): Pick<ServerConfig, 'log' | 'logLevel' | 'metrics' | 'metricsToken' | 'hookTimeoutMs' | 'hookRetries' | 'messageHookFailure' | 'messagesPerSecond' | 'connectionsPerSecond' | 'webPush'> {
  const failure = (values['message-hook-failure'] as string | undefined) ?? DEFAULTS.messageHookFailure;
  if (failure !== 'pass' && failure !== 'drop') throw new UsageError(`--message-hook-failure must be pass or drop, got "${failure}"`);
  const level = (values['log-level'] as string | undefined) ?? DEFAULTS.logLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  const token = (values['metrics-token'] as string | undefined) ?? process.env.LC_METRICS_TOKEN ?? null;
  return {
    log: defaultLogSink(),
    logLevel: level as LogLevel,
    metrics: values['no-metrics'] !== true,
    metricsToken: token || null,
    hookTimeoutMs: integer(values['hook-timeout'] as string | undefined, 'hook-timeout', DEFAULTS.hookTimeoutMs),
    hookRetries: integer(values['hook-retries'] as string | undefined, 'hook-retries', DEFAULTS.hookRetries),
    messageHookFailure: failure,
    messagesPerSecond: integer(values['messages-per-second'] as string | undefined, 'messages-per-second', DEFAULTS.messagesPerSecond),
    connectionsPerSecond: integer(values['connections-per-second'] as string | undefined, 'connections-per-second', DEFAULTS.connectionsPerSecond),
    webPush: webPushFlags(values),
  };
}

/** `--push-subject`, `--push-hosts`, `--no-web-push` as the webPush setting (checked by createServer). */
function webPushFlags(values: Record<string, string | boolean | string[] | undefined>): ServerConfig['webPush'] {
  if (values['no-web-push'] === true) return false;
  const subject = values['push-subject'] as string | undefined;
  const hosts = values['push-hosts'] as string | undefined;
  return {
    ...(subject !== undefined ? { subject } : {}),
    ...(hosts !== undefined ? { endpointHosts: hosts.trim() === '*' ? null : hosts.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean) } : {}),
  };
}

/** `--hook event=url` flags as the app's hook settings, or undefined without any. */
function hooksFlags(values: Record<string, string | boolean | string[] | undefined>): AppHooks | undefined {
  const given = (values.hook as string[] | undefined) ?? [];
  if (given.length === 0) return undefined;
  const urls: AppHooks['urls'] = {};
  for (const flag of given) {
    const at = flag.indexOf('=');
    const event = flag.slice(0, at);
    if (at <= 0 || !(HOOK_EVENTS as readonly string[]).includes(event)) throw new UsageError(`--hook must be <event>=<url> with an event of ${HOOK_EVENTS.join(', ')}, got "${flag}"`);
    urls[event as HookEvent] = flag.slice(at + 1);
  }
  const secret = (values['hook-secret'] as string | undefined) ?? process.env.LC_HOOK_SECRET;
  return { urls, ...(secret ? { secret } : {}) };
}

function withHooks(hooks: AppHooks | undefined): { hooks?: AppHooks } {
  return hooks ? { hooks } : {};
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const durability = values.durability ?? DEFAULTS.durability;
  if (durability !== 'process' && durability !== 'power') throw new UsageError(`--durability must be process or power, got "${durability}"`);
  const dataDir = resolve(values.data ?? '.lc-data');
  const storeLocation = storeFromFlags(values.store, dataDir);
  const brokerLocation = brokerFromFlags(values.broker);
  const { app, generated } = appFromFlags(values, dataDir);
  const publicUrl = publicUrlFromFlags(values['public-url']);

  const server = await createServer({
    port: integer(values.port, 'port', DEFAULTS.port),
    host: values.host ?? DEFAULTS.host,
    dataDir,
    storeLocation,
    ...nodeIdFromFlags(values['node-id']),
    brokerLocation,
    ...nodeTimingFromFlags(values['node-heartbeat'], values['node-dead-after']),
    apps: [
      {
        ...app,
        requireSignature: values['require-signature'] === true,
        openJoin: values['no-open-join'] !== true,
        openConversationQuery: values['open-conversation-query'] === true,
        privateAttributes: (values['private-attributes'] ?? '').split(',').map((name) => name.trim()).filter(Boolean),
        ...withHooks(hooksFlags(values)),
      },
    ],
    maxQueryTerms: integer(values['max-query-terms'], 'max-query-terms', DEFAULTS.maxQueryTerms),
    maxQueryRegexes: integer(values['max-query-regexes'], 'max-query-regexes', DEFAULTS.maxQueryRegexes),
    maxQueryRows: integer(values['max-query-rows'], 'max-query-rows', DEFAULTS.maxQueryRows),
    maxQueryMs: integer(values['max-query-ms'], 'max-query-ms', DEFAULTS.maxQueryMs),
    maxQueryMsPerMinute: integer(values['max-query-ms-per-minute'], 'max-query-ms-per-minute', DEFAULTS.maxQueryMsPerMinute),
    devSigningAppId: generated ? app.appId : null,
    maxPayload: integer(values['max-payload'], 'max-payload', DEFAULTS.maxPayload),
    maxUploadBytes: integer(values['max-upload'], 'max-upload', DEFAULTS.maxUploadBytes),
    loginTimeoutMs: integer(values['login-timeout'], 'login-timeout', DEFAULTS.loginTimeoutMs),
    idleTimeoutMs: integer(values['idle-timeout'], 'idle-timeout', DEFAULTS.idleTimeoutMs),
    notificationRetentionMs: integer(values['notification-days'], 'notification-days', DEFAULTS.notificationRetentionMs / DAY_MS) * DAY_MS,
    maxBlockedPerConversation: integer(values['max-blocked'], 'max-blocked', DEFAULTS.maxBlockedPerConversation),
    maxAttributeBytes: integer(values['max-attr-bytes'], 'max-attr-bytes', DEFAULTS.maxAttributeBytes),
    maxAttributeDepth: integer(values['max-attr-depth'], 'max-attr-depth', DEFAULTS.maxAttributeDepth),
    maxBufferedBytes: integer(values['max-buffered'], 'max-buffered', DEFAULTS.maxBufferedBytes),
    maxTotalBufferedBytes: values['max-send-buffer-total'] !== undefined
      ? integer(values['max-send-buffer-total'], 'max-send-buffer-total', DEFAULTS.maxTotalBufferedBytes)
      : integer(values['max-total-buffered'], 'max-total-buffered', DEFAULTS.maxTotalBufferedBytes),
    maxReplyBytes: integer(values['max-reply'], 'max-reply', DEFAULTS.maxReplyBytes),
    maxUnreadPreviewBytes: integer(values['unread-preview'], 'unread-preview', DEFAULTS.maxUnreadPreviewBytes),
    maxPendingReplies: integer(values['max-pending-replies'], 'max-pending-replies', DEFAULTS.maxPendingReplies),
    ackGateMs: integer(values['ack-gate'], 'ack-gate', DEFAULTS.ackGateMs),
    durability,
    sessionTokenTtlMs: integer(values['session-token-ttl'], 'session-token-ttl', DEFAULTS.sessionTokenTtlMs / 1000) * 1000,
    conversationsPerMinute: integer(values['conversations-per-minute'], 'conversations-per-minute', DEFAULTS.conversationsPerMinute),
    maxSessionsPerSocket: integer(values['max-sessions-per-socket'], 'max-sessions-per-socket', DEFAULTS.maxSessionsPerSocket),
    loginsPerMinute: integer(values['logins-per-minute'], 'logins-per-minute', DEFAULTS.loginsPerMinute),
    uploadsPerMinute: integer(values['uploads-per-minute'], 'uploads-per-minute', DEFAULTS.uploadsPerMinute),
    appStorageBytes: integer(values['app-storage'], 'app-storage', DEFAULTS.appStorageBytes),
    appKeyUploads: values['no-app-key-uploads'] !== true,
    demoDir: values['no-demo'] ? null : fileURLToPath(new URL('../demo', import.meta.url)),
    publicUrl,
    ...operationsFlags(values),
  });

  // A wildcard bind address is not something a browser can open: localhost on the same port is.
  const base = server.httpUrl.replace(/^http:\/\/(0\.0\.0\.0|\[?::\]?)(?=:\d+$)/, 'http://localhost');
  const lines = [
    `lc-chat listening on ${server.httpUrl}${base === server.httpUrl ? '' : `   (in a browser: ${base})`}`,
    `  WebSocket  ${server.wsUrl}/`,
    `  data       ${dataDir}`,
    `  store      ${describeStoreLocation(storeLocation)}`,
    ...(publicUrl ? [`  public URL ${publicUrl}   (what the router endpoints answer)`] : []),
    `  node id    ${server.config.nodeId}`,
    `  broker     ${describeBrokerLocation(brokerLocation)}`,
    `  app id     ${app.appId}${generated ? '   (development app)' : ''}`,
    `  app key    ${app.appKey}`,
  ];
  if (generated) lines.push(`  master key ${app.masterKey}   (keep it on servers only)`);
  if (!values['no-demo']) {
    // Every demo with the app id and key: a demo opened without them cannot sign in.
    const query = `app=${encodeURIComponent(app.appId)}&key=${encodeURIComponent(app.appKey)}`;
    lines.push(`  demos      ${base}/?${query}`);
    for (const [label, page] of DEMO_PAGES) lines.push(`    ${label.padEnd(9)}${base}/${page}?${query}`);
  }
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`${signal}: closing connections and flushing the store\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'migrate') return migrateCommand(rest, (message) => new UsageError(message));
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(
      `Usage: lc-chat <command>\n\nCommands:\n  serve     run the realtime server (lc-chat serve --help)\n  migrate   copy a SQLite store into PostgreSQL (lc-chat migrate --help)\n`,
    );
    return;
  }
  throw new UsageError(`unknown command "${command}"; try lc-chat --help`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`lc-chat: ${(error as Error).message}\n`);
    process.exit(2);
  }
  // A store or broker that cannot be opened is the operator's to fix: one line saying why, no stack.
  if (error instanceof StoreOpenError || error instanceof BrokerOpenError) {
    process.stderr.write(`lc-chat: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`lc-chat: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
