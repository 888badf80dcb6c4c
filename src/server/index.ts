/**
 * The lc-chat realtime server: one port for HTTP and WebSocket, a store
 * (SQLite by default) and a broker (in-process by default).
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSignatureHandler } from './auth/signature-handler.js';
import { SignatureVerifier } from './auth/signature.js';
import { openBroker } from './broker/open-broker.js';
import { DiskFileStore } from './files/disk-file-store.js';
import { StorageQuota } from './files/storage-quota.js';
import { RateLimiter } from './session/rate-limits.js';
import type { Broker } from './broker/types.js';
import { resolveConfig, type ServerConfig } from './config.js';
import { Gateway, type SendStats } from './gateway/gateway.js';
import { RoomRegistry } from './session/room-registry.js';
import { SessionRegistry } from './session/session-registry.js';
import { presenceOf } from './session/session.js';
import { LocalPresence } from './presence/local-presence.js';
import type { Presence } from './presence/types.js';
import { deliverWills } from './handlers/direct.js';
import { PushClock } from './handlers/push-clock.js';
import { createHttpHandler } from './http/http-handler.js';
import { startNotificationPruning } from './store/notification-pruning.js';
import { startTemporaryConversationPruning } from './store/temp-conversation-pruning.js';
import { openStore, StoreOpenError } from './store/open-store.js';
import { describeStoreLocation } from './store/store-location.js';
import { createLogger, errorFields } from './observability/logger.js';
import { metricsEndpoint } from './observability/metrics-endpoint.js';
import { ServerMetrics, type LiveFigures } from './observability/metrics.js';
import { Hooks } from './hooks/hooks.js';
import { notifyReceiversOffline } from './hooks/message-hooks.js';
import { createRestApi } from './rest/rest-api.js';
import { startWebPush } from './push/start.js';
import type { ServerContext } from './handlers/context.js';
import type { Store } from './store/types.js';
import { MembershipCache } from './handlers/membership-cache.js';

export type { AppConfig, ServerConfig } from './config.js';
export { randomNodeId } from './config.js';
export type { Store } from './store/types.js';
export type { Broker, Delivery, Topic } from './broker/types.js';
export type { Presence, PresenceSession, LoginFacts, ParkedRooms, WillMessage, OrphanedWills } from './presence/types.js';
export { createSignatureHandler, type SignatureHandlerOptions, type SignatureRequest } from './auth/signature-handler.js';

export interface LcServer {
  readonly config: ServerConfig;
  readonly store: Store;
  /** The bound port (useful with `port: 0`). */
  readonly port: number;
  /** e.g. `http://127.0.0.1:8787` */
  readonly httpUrl: string;
  /** e.g. `ws://127.0.0.1:8787` */
  readonly wsUrl: string;
  /** Live counts: connections, sessions and the send queues' state. */
  stats(): ServerStats;
  /**
   * Graceful stop: refuse new connections, let commands in flight finish,
   * close sockets with 1001 (going away), commit and close the store.
   */
  close(): Promise<void>;
}

export interface ServerStats extends SendStats {
  connections: number;
  sessions: number;
}

export interface CreateServerOptions extends Partial<ServerConfig> {
  dataDir: string;
  /** A store opened by the caller, in place of the one `storeLocation` names. */
  store?: Store;
  /** Replace the in-process broker (e.g. Redis); otherwise `brokerLocation` says which to open. */
  broker?: Broker;
  /** Replace the single-node presence (e.g. Redis); closed with the server. The broker `brokerLocation` opens brings its own. */
  presence?: Presence;
}

/**
 * Entries the direct path's membership cache may hold. Other processes'
 * member changes reach it only through a broker they share: several
 * processes on one shared store behind the in-process broker would serve a
 * removed member from the cache until the entry expired, so nothing is
 * cached then.
 */
function membershipCacheSize(store: Store, brokerSharedWithOtherProcesses: boolean): number {
  return store.sharedWithOtherProcesses && !brokerSharedWithOtherProcesses ? 0 : 10_000;
}

/** Starts a server and resolves once it listens. */
export async function createServer(options: CreateServerOptions): Promise<LcServer> {
  const { store: givenStore, broker: givenBroker, presence: givenPresence, ...settings } = options;
  const config = resolveConfig(settings);
  const rawStore = givenStore ?? (await openStore(config));

  // --- Operations (issue 15): structured logs, metrics ---
  const logger = createLogger(config.logLevel, config.log);
  let liveFigures = (): LiveFigures => ({ connections: 0, sessions: 0, pendingBytes: 0, droppedFrames: 0, slowConsumersCut: 0 });
  const metrics = new ServerMetrics(() => liveFigures());
  const store = metrics.instrumentStore(rawStore);
  // --- Redis broker (issue 17) ---
  let opened: { broker: Broker; presence: Presence | undefined };
  try {
    opened = givenBroker ? { broker: givenBroker, presence: givenPresence } : await openBroker(config.brokerLocation, config.nodeId, logger, { beatMs: config.nodeHeartbeatMs, deadMs: config.nodeDeadAfterMs }, store);
  } catch (error) {
    if (!givenStore) await rawStore.close().catch(() => {});
    throw error;
  }
  const rawBroker = opened.broker;
  // A broker given or named reaches other servers (a LocalBroker given by a test may stand for one shared by two).
  const brokerShared = givenBroker !== undefined || config.brokerLocation.kind !== 'local';
  // The in-process broker's publish is a function call: timing it says nothing.
  const broker = brokerShared ? metrics.instrumentBroker(rawBroker) : rawBroker;
  // --- end Redis broker ---
  const hooks = new Hooks(config, logger, metrics);
  // A data directory it cannot write, or a damaged vapid.json, stops the start; what was opened here is closed first.
  const webPush = await startWebPush(config, store, logger, metrics).catch(async (error: unknown) => {
    if (!givenStore) await store.close().catch(() => {});
    if (!givenBroker) await rawBroker.close().catch(() => {});
    if (!givenPresence) await opened.presence?.close().catch(() => {});
    throw error;
  });
  // --- end operations ---
  try {
    for (const app of config.apps) {
      const existing = await store.getApp(app.appId);
      await store.putApp({
        appId: app.appId,
        appKey: app.appKey,
        masterKey: app.masterKey,
        requireSignature: app.requireSignature ?? false,
        createdAt: existing?.createdAt ?? Date.now(),
      });
    }
  } catch (error) {
    // The first writes: a database that lets us connect but not write (permissions, read-only) fails here.
    if (!givenStore) await store.close().catch(() => {});
    if (!givenBroker) await rawBroker.close().catch(() => {});
    if (!givenPresence) await opened.presence?.close().catch(() => {});
    throw new StoreOpenError(`cannot write to the store ${describeStoreLocation(config.storeLocation)}: ${String((error as Error).message ?? error).split('\n')[0]}`, { cause: error });
  }

  const devApp = config.apps.find((app) => app.appId === config.devSigningAppId);
  if (devApp) logger.warn({ appId: devApp.appId }, 'POST /sign signs for anyone as this app. Development only: never with real users.');
  // The registries tell the broker what this node follows and the presence
  // who is here (no session exists before the presence below).
  const sessions = new SessionRegistry({
    clientArrived: (appId, id) => broker.follow({ kind: 'client', appId, id }),
    opened: (session) => presence.sessionOpened(presenceOf(session)),
    ended: (session) => presence.sessionEnded(presenceOf(session)),
    clientGone: (appId, id) => broker.unfollow({ kind: 'client', appId, id }),
  });
  const rooms = new RoomRegistry({
    roomOccupied: (appId, cid) => broker.follow({ kind: 'room', appId, id: cid }),
    clientEntered: (appId, cid, clientId) => presence.roomEntered(appId, cid, clientId),
    clientLeft: (appId, cid, clientId) => presence.roomLeft(appId, cid, clientId),
    roomEmptied: (appId, cid) => broker.unfollow({ kind: 'room', appId, id: cid }),
  });
  const presence: Presence = givenPresence ?? opened.presence ?? new LocalPresence(sessions, rooms);
  const ctx: ServerContext = {
    config,
    store,
    broker,
    sessions,
    signatures: new SignatureVerifier(),
    rooms,
    presence,
    pushClock: new PushClock(),
    membership: new MembershipCache(store, membershipCacheSize(store, brokerShared)),
    quotas: {
      conversationCreates: new RateLimiter(config.conversationsPerMinute),
      logins: new RateLimiter(config.loginsPerMinute),
      // --- operations (issue 15): per-second rate limits, off at 0 ---
      messages: config.messagesPerSecond > 0 ? RateLimiter.perSecond(config.messagesPerSecond) : null,
      connections: config.connectionsPerSecond > 0 ? RateLimiter.perSecond(config.connectionsPerSecond) : null,
    },
    logger,
    metrics,
    hooks,
    webPush: webPush?.service ?? null,
  };
  const gateway = new Gateway(ctx);
  // Wills of sessions whose node died, handed to this node by a cluster-wide presence.
  const stopOrphanedWills = presence.onOrphanedWills(async (orphaned) => {
    try {
      await deliverWills(ctx, orphaned);
    } catch (error) {
      logger.error({ appId: orphaned.appId, clientId: orphaned.clientId, ...errorFields(error) }, 'will messages of a dead node failed');
      // The presence decides whether to hand them out again.
      throw error;
    }
  });
  const logLine = (line: string) => logger.error(line);
  const stopNotificationPruning = startNotificationPruning(store, config.notificationRetentionMs, logLine);
  const stopTemporaryPruning = startTemporaryConversationPruning(store, logLine);
  const stopPruning = () => {
    stopNotificationPruning();
    stopTemporaryPruning();
  };
  const stats = (): ServerStats => ({ connections: gateway.connectionCount, sessions: sessions.size, ...gateway.sendStats() });
  liveFigures = stats;
  const files = new DiskFileStore(join(config.dataDir, 'files'));
  const storageQuota = new StorageQuota(files, config.appStorageBytes);
  // Counted now rather than at the first upload, which would wait for it.
  storageQuota.load().catch((error: unknown) => logger.error(errorFields(error), 'counting stored files failed'));
  const restApi = createRestApi(ctx, (sent) => notifyReceiversOffline(ctx, sent.conversation, sent.message, sent.pushData));
  const http = createHttpServer(
    createHttpHandler({
      store,
      devSign: devApp ? createSignatureHandler({ appId: devApp.appId, masterKey: devApp.masterKey, authorize: () => true }) : null,
      files,
      maxUploadBytes: config.maxUploadBytes,
      uploadRate: new RateLimiter(config.uploadsPerMinute),
      storageQuota,
      appKeyUploads: config.appKeyUploads,
      demoDir: config.demoDir,
      stats: () => ({ ...stats() }),
      limits: { maxPayload: config.maxPayload, maxUploadBytes: config.maxUploadBytes },
      metrics: config.metrics ? metricsEndpoint(metrics, config.metricsToken) : null,
      rest: webPush ? webPush.withRoutes(restApi) : restApi,
      publicUrl: config.publicUrl,
    }),
  );
  gateway.attach(http);
  await listen(http, config.port, config.host);

  const port = (http.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    config,
    store,
    port,
    httpUrl: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}`,
    stats,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        stopPruning();
        stopOrphanedWills();
        await gateway.close();
        await presence.close();
        hooks.close();
        webPush?.service.close();
        await webPush?.service.subscriptions.flush();
        http.closeAllConnections();
        await stopped;
        await broker.close();
        await store.close();
      })()),
  };
}

/**
 * Connections the kernel may hold for us before we accept them. Node's
 * default, 511, overflows in a login storm (thousands of clients within
 * seconds, as after a restart) while the event loop is busy with the
 * logins already accepted; the kernel caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096;

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
