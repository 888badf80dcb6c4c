import type { MembershipCache } from './membership-cache.js';
import type { Command, DecodedCommand } from '../../protocol/codec.js';
import type { SignatureVerifier } from '../auth/signature.js';
import type { Broker } from '../broker/types.js';
import type { ServerConfig } from '../config.js';
import type { SessionConnection } from '../session/session-connection.js';
import type { ClientQuotas } from '../session/rate-limits.js';
import type { RoomRegistry } from '../session/room-registry.js';
import type { Session } from '../session/session.js';
import type { SessionRegistry } from '../session/session-registry.js';
import type { Presence } from '../presence/types.js';
import type { Store } from '../store/types.js';
import type { Hooks } from '../hooks/hooks.js';
import type { Logger } from '../observability/logger.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { PushClock } from './push-clock.js';

/** What every handler may use. Handlers never touch SQL or other nodes' sockets. */
export interface ServerContext {
  readonly config: ServerConfig;
  readonly store: Store;
  readonly broker: Broker;
  /** Sessions on this node: local routing only; ask `presence` who is online. */
  readonly sessions: SessionRegistry;
  /** Chat-room viewers on this node: local routing only; ask `presence` for a room's count. */
  readonly rooms: RoomRegistry;
  /** What all nodes know: who is online, room counts, single-device tags, login facts, parked rooms, wills. */
  readonly presence: Presence;
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
}

export interface Request {
  readonly connection: SessionConnection;
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
