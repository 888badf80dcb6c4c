/**
 * The presence of a single-node server: every session is on this node, so
 * the cluster-wide questions are answered from this node's registries, and
 * what a Redis presence would write for other nodes is kept in memory here
 * (login facts, parked chat rooms, wills) or not kept at all (who is online
 * and in which room: the registries know).
 *
 * A node that dies takes its wills with it: nobody is left to deliver them,
 * so `onOrphanedWills` never fires.
 */
import type { RoomRegistry } from '../session/room-registry.js';
import type { SessionRegistry } from '../session/session-registry.js';
import { LoginMemory } from './login-memory.js';
import type { LoginFacts, OrphanedWills, ParkedRooms, Presence, PresenceSession, WillMessage } from './types.js';

/** Parked logins kept per client; a client with more devices loses its oldest. */
const MAX_PARKED_PER_CLIENT = 8;
/** How often logins nobody came back for are forgotten (they are ignored once expired anyway). */
const SWEEP_EVERY_MS = 60_000;

interface Parked extends ParkedRooms {
  until: number;
}

const key = (appId: string, id: string): string => `${appId}\u0000${id}`;

/** The presence of one node, answering from its registries (see the file's comment). */
export class LocalPresence implements Presence {
  private readonly parked = new Map<string, Parked[]>();
  private readonly wills = new Map<string, readonly WillMessage[]>();
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly rooms: RoomRegistry,
    private readonly logins = new LoginMemory(),
  ) {
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweepTimer.unref();
  }

  // The registries are the record of who is here and in which room.
  sessionOpened(_session: PresenceSession): void {}

  sessionEnded(session: PresenceSession): void {
    // Its wills were delivered (a dropped connection) or are void (a logout, a kick).
    this.wills.delete(session.sessionId);
  }

  roomEntered(_appId: string, _cid: string, _clientId: string): void {}

  roomLeft(_appId: string, _cid: string, _clientId: string): void {}

  async online(appId: string, clientIds: readonly string[]): Promise<string[]> {
    return clientIds.filter((id) => this.sessions.isOnline(appId, id));
  }

  async roomCount(appId: string, cid: string): Promise<number> {
    return this.rooms.count(appId, cid);
  }

  async tagHolders(appId: string, clientId: string, tag: string): Promise<Array<string | null>> {
    const holders: Array<string | null> = [];
    for (const session of this.sessions.sessionsOf(appId, clientId) ?? []) if (session.tag === tag) holders.push(session.deviceId);
    return holders;
  }

  async rememberLogin(appId: string, token: string, facts: LoginFacts, ttlMs: number): Promise<void> {
    this.logins.remember(appId, token, facts, ttlMs);
  }

  async recallLogin(appId: string, token: string): Promise<LoginFacts | undefined> {
    return this.logins.recall(appId, token);
  }

  async forgetLogin(appId: string, token: string): Promise<void> {
    this.logins.forget(appId, token);
  }

  async parkRooms(appId: string, clientId: string, place: ParkedRooms, ttlMs: number, now = Date.now()): Promise<void> {
    const clientKey = key(appId, clientId);
    const places = (this.parked.get(clientKey) ?? []).filter((other) => other.until > now && other.token !== place.token);
    places.push({ joined: place.joined, rooms: [...place.rooms], token: place.token, deviceId: place.deviceId, until: now + ttlMs });
    this.parked.set(clientKey, places.slice(-MAX_PARKED_PER_CLIENT));
  }

  async takeParkedRooms(appId: string, clientId: string, previousToken: string | undefined, deviceId: string | null, now = Date.now()): Promise<ParkedRooms | undefined> {
    const clientKey = key(appId, clientId);
    const places = (this.parked.get(clientKey) ?? []).filter((place) => place.until > now);
    let index = previousToken === undefined ? -1 : places.findIndex((place) => place.token === previousToken);
    if (index < 0 && deviceId !== null) index = places.findIndex((place) => place.deviceId === deviceId);
    if (index < 0 && previousToken === undefined && deviceId === null && places.length === 1) index = 0;
    const [place] = index < 0 ? [] : places.splice(index, 1);
    this.keep(clientKey, places);
    if (!place) return undefined;
    return { joined: place.joined, rooms: place.rooms, token: place.token, deviceId: place.deviceId };
  }

  setWills(session: PresenceSession, wills: readonly WillMessage[]): void {
    if (wills.length === 0) this.wills.delete(session.sessionId);
    else this.wills.set(session.sessionId, [...wills]);
  }

  onOrphanedWills(_handler: (orphaned: OrphanedWills) => Promise<void>): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.parked.clear();
    this.wills.clear();
  }

  /** Forgets parked logins nobody came back for. */
  sweep(now = Date.now()): void {
    for (const [clientKey, places] of this.parked) this.keep(clientKey, places.filter((place) => place.until > now));
  }

  private keep(clientKey: string, places: Parked[]): void {
    if (places.length > 0) this.parked.set(clientKey, places);
    else this.parked.delete(clientKey);
  }
}
