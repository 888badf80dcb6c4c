/**
 * Presence: what one node must tell the others about its sessions, and what
 * it asks of all of them. The node's own sessions and chat-room viewers stay
 * in its local registries (they are sockets, and the gateway routes pushes
 * through them synchronously); this interface carries only the facts other
 * nodes need: who is online, how many clients are in a chat room, which
 * device holds a single-device tag, what a session token's login was, where
 * a dropped login's chat rooms were, and the will messages of sessions whose
 * node may die.
 *
 * `LocalPresence` answers from this process's registries (one node);
 * `RedisPresence` keeps the same facts in Redis under each node's id, with a
 * heartbeat, so a dead node's entries stop counting once it expires and its
 * sessions' will messages are delivered by a surviving node.
 *
 * Mutations are fire-and-forget (void): a node never waits on Redis to let a
 * client in or out; a failed write is logged and repaired by the next
 * heartbeat. Queries are async and answer for the whole cluster.
 */
import type { NewMessage } from '../store/types.js';

/** What a session on this node is, as far as other nodes care. */
export interface PresenceSession {
  appId: string;
  clientId: string;
  /** Unique in the cluster (the node id is part of it). */
  sessionId: string;
  tag: string | null;
  deviceId: string | null;
}

/** The tag and device of a login, found again by its session token on reconnect. */
export interface LoginFacts {
  tag: string | null;
  deviceId: string | null;
}

/** The chat rooms of a login whose connection dropped, kept for its reconnect (the guide's 30 minutes). */
export interface ParkedRooms {
  /** The room it joined as a viewer (one per login), if any. */
  joined: string | undefined;
  /** Every room it was in: the joined one and those it hosts. */
  rooms: string[];
  /** The session token of the lost login, which its reconnect presents. */
  token: string;
  deviceId: string | null;
}

/** A message held back until its sender's connection drops without a logout (LeanCloud's will message). */
export interface WillMessage {
  /** Its id was in the sender's ack already. */
  message: NewMessage & { id: string };
  /** `GenericCommand.priority`, for a chat room. */
  priority: number | undefined;
}

/** Will messages whose session's node died, for a surviving node to deliver. */
export interface OrphanedWills {
  appId: string;
  clientId: string;
  wills: WillMessage[];
}

export interface Presence {
  /** A session logged in on this node. */
  sessionOpened(session: PresenceSession): void;
  /** A session of this node ended (logout, kick or dropped connection). */
  sessionEnded(session: PresenceSession): void;
  /** The first session of `clientId` on this node entered the chat room. */
  roomEntered(appId: string, cid: string, clientId: string): void;
  /** The last session of `clientId` on this node left the chat room. */
  roomLeft(appId: string, cid: string, clientId: string): void;

  /** Which of these clients have a session on any live node, in the order given. */
  online(appId: string, clientIds: readonly string[]): Promise<string[]>;
  /** Distinct clients in the chat room over all live nodes (a client on two nodes may count twice). */
  roomCount(appId: string, cid: string): Promise<number>;
  /** The device ids of the client's sessions holding `tag`, on any live node. */
  tagHolders(appId: string, clientId: string, tag: string): Promise<Array<string | null>>;

  /** Remembers a login's tag and device by its session token, for `ttlMs`. */
  rememberLogin(appId: string, token: string, facts: LoginFacts, ttlMs: number): Promise<void>;
  recallLogin(appId: string, token: string): Promise<LoginFacts | undefined>;
  /** After a logout: the token is refused from now on. */
  forgetLogin(appId: string, token: string): Promise<void>;

  /** Keeps a dropped login's chat rooms for `ttlMs`; a client keeps at most a few (the oldest go). */
  parkRooms(appId: string, clientId: string, place: ParkedRooms, ttlMs: number): Promise<void>;
  /**
   * Takes back the rooms of the login a reconnect continues: the one whose
   * token it presents, else the one from its device, else (knowing neither)
   * the client's only parked login. Each parked login is taken once.
   */
  takeParkedRooms(appId: string, clientId: string, previousToken: string | undefined, deviceId: string | null): Promise<ParkedRooms | undefined>;

  /** The will messages a session of this node holds now (an empty list clears them). */
  setWills(session: PresenceSession, wills: readonly WillMessage[]): void;
  /**
   * Called on one surviving node, once, for each session of a dead node that
   * held will messages. Unsubscribe with the returned function.
   */
  onOrphanedWills(handler: (orphaned: OrphanedWills) => Promise<void>): () => void;

  /** Stops heartbeats; a Redis presence removes this node's entries (a clean shutdown is not a death). */
  close(): Promise<void>;
}
