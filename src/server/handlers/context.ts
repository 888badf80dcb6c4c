import type { MembershipCache } from './membership-cache.js';
import type { Command, DecodedCommand } from '../../protocol/codec.js';
import type { SignatureVerifier } from '../auth/signature.js';
import type { Broker } from '../broker/types.js';
import type { ServerConfig } from '../config.js';
import type { Connection } from '../gateway/connection.js';
import type { LoginMemory } from '../gateway/login-memory.js';
import type { ClientQuotas } from '../gateway/rate-limits.js';
import type { RoomRegistry } from '../gateway/room-registry.js';
import type { Session } from '../gateway/session.js';
import type { SessionRegistry } from '../gateway/session-registry.js';
import type { Store } from '../store/types.js';
import type { Hooks } from '../hooks/hooks.js';
import type { Logger } from '../observability/logger.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { PushClock } from './push-clock.js';
import type { WebPush } from '../push/web-push.js';

/** What every handler may use. Handlers never touch SQL or other nodes' sockets. */
export interface ServerContext {
  readonly config: ServerConfig;
  readonly store: Store;
  readonly broker: Broker;
  readonly sessions: SessionRegistry;
  /** Chat-room viewers on this node. */
  readonly rooms: RoomRegistry;
  /** Tag and device of recent logins, by session token. */
  readonly logins: LoginMemory;
  /** Remembers used nonces; one per server so a signature is accepted once. */
  readonly signatures: SignatureVerifier;
  /** The `serverTs` of pushes. */
  readonly pushClock: PushClock;
  /** Per-client rate limits, counted on this node. */
  readonly quotas: ClientQuotas;
  /** The direct path's view of conversations, dropped on every change (membership-cache.ts). */
  readonly membership: MembershipCache;
  /** Structured log lines (ids and counts, never content or secrets). */
  readonly logger: Logger;
  /** Counters for GET /metrics: one call per event. */
  readonly metrics: ServerMetrics;
  /** Calls to the app's own server (messageReceived, receiversOffline, …). */
  readonly hooks: Hooks;
  /** Browser notifications for members with no session (null: off). */
  readonly webPush?: WebPush | null;
}

export interface Request {
  readonly connection: Connection;
  readonly command: DecodedCommand;
  /** The session the command belongs to; undefined only for handlers that open one. */
  readonly session: Session | undefined;
}

export interface SessionRequest extends Request {
  readonly session: Session;
}

/**
 * Handles one command. Returns the reply (the dispatcher adds `i` and
 * `peerId`), or nothing for fire-and-forget commands. Throws `ProtocolError`
 * for the client's mistakes.
 */
export type Handler<R extends Request = SessionRequest> = (ctx: ServerContext, request: R) => Promise<Command | void>;
