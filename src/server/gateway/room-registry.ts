import type { Session } from './session.js';

interface Room {
  sessions: Set<Session>;
  /** Sessions per client: the online count counts clients, not devices. */
  clients: Map<string, number>;
}

/** The rooms a session is in: the one it joined as a viewer, and those it created (hosts). */
interface Presence {
  joined: string | undefined;
  rooms: Set<string>;
}

/** A session whose connection dropped, kept for its reconnect. */
interface Parked {
  joined: string | undefined;
  rooms: string[];
  /** The session token of the lost login, which its reconnect presents. */
  token: string;
  deviceId: string | null;
  until: number;
}

/** Parked places kept per client; a client with more devices loses its oldest. */
const MAX_PARKED_PER_CLIENT = 8;

const key = (appId: string, id: string): string => `${appId}\u0000${id}`;

/**
 * Who is in which chat room on this node. Chat rooms keep no member list:
 * the online count is the number of clients in the room, and messages go to
 * the sessions here.
 *
 * One room per login: joining a room as a viewer leaves the room the
 * session joined before. A room's creator is in it from the start, as its
 * host, and stays there when it joins or creates others (a host may run
 * several rooms).
 *
 * A session whose connection dropped keeps its places for `resumeMs`, so a
 * reconnect within that time is back in its rooms without joining again.
 *
 * Per node: with several nodes, each counts and serves its own viewers.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly presence = new Map<Session, Presence>();
  private readonly parked = new Map<string, Parked[]>();

  constructor(private readonly resumeMs: number) {}

  /** A viewer joins; returns the room it left for this one, if any. */
  join(session: Session, cid: string): string | undefined {
    const presence = this.presenceOf(session);
    if (presence.rooms.has(cid)) return undefined;
    const previous = presence.joined;
    if (previous !== undefined) this.leave(session, previous);
    this.enter(session, cid);
    this.presenceOf(session).joined = cid;
    return previous;
  }

  /** The creator enters its new room, without leaving any. */
  host(session: Session, cid: string): void {
    if (!this.presence.get(session)?.rooms.has(cid)) this.enter(session, cid);
  }

  /** Takes the session out of one room. */
  leave(session: Session, cid: string): void {
    const presence = this.presence.get(session);
    if (!presence?.rooms.delete(cid)) return;
    if (presence.joined === cid) presence.joined = undefined;
    if (presence.rooms.size === 0) this.presence.delete(session);
    const roomKey = key(session.appId, cid);
    const room = this.rooms.get(roomKey)!;
    room.sessions.delete(session);
    const left = room.clients.get(session.clientId)! - 1;
    if (left > 0) room.clients.set(session.clientId, left);
    else room.clients.delete(session.clientId);
    if (room.sessions.size === 0) this.rooms.delete(roomKey);
  }

  /** Takes the session out of every room; returns what it was in. */
  leaveAll(session: Session): Presence | undefined {
    const presence = this.presence.get(session);
    if (!presence) return undefined;
    const was = { joined: presence.joined, rooms: new Set(presence.rooms) };
    for (const cid of was.rooms) this.leave(session, cid);
    return was;
  }

  isIn(session: Session, cid: string): boolean {
    return this.presence.get(session)?.rooms.has(cid) ?? false;
  }

  /** Clients online in the room. */
  count(appId: string, cid: string): number {
    return this.rooms.get(key(appId, cid))?.clients.size ?? 0;
  }

  sessionsIn(appId: string, cid: string): ReadonlySet<Session> | undefined {
    return this.rooms.get(key(appId, cid))?.sessions;
  }

  /** The session's connection dropped: it leaves, but its places are kept for a reconnect. */
  park(session: Session, now = Date.now()): void {
    const was = this.leaveAll(session);
    if (!was) return;
    const clientKey = key(session.appId, session.clientId);
    const places = (this.parked.get(clientKey) ?? []).filter((place) => place.until > now && place.token !== session.token);
    places.push({ joined: was.joined, rooms: [...was.rooms], token: session.token, deviceId: session.deviceId, until: now + this.resumeMs });
    this.parked.set(clientKey, places.slice(-MAX_PARKED_PER_CLIENT));
  }

  /**
   * A reconnecting login takes back the places of the login it continues:
   * the one whose token it presents, else (no valid token) the one from
   * its device, else, knowing neither, the client's only parked login.
   * Returns the rooms it is back in.
   */
  resume(session: Session, previousToken: string | undefined, now = Date.now()): string[] {
    const clientKey = key(session.appId, session.clientId);
    const places = (this.parked.get(clientKey) ?? []).filter((place) => place.until > now);
    let index = previousToken === undefined ? -1 : places.findIndex((place) => place.token === previousToken);
    if (index < 0 && session.deviceId !== null) index = places.findIndex((place) => place.deviceId === session.deviceId);
    if (index < 0 && previousToken === undefined && session.deviceId === null && places.length === 1) index = 0;
    const [place] = index < 0 ? [] : places.splice(index, 1);
    this.store(clientKey, places);
    if (!place) return [];
    for (const cid of place.rooms) {
      if (cid === place.joined) this.join(session, cid);
      else this.host(session, cid);
    }
    return place.rooms;
  }

  /** Forgets places nobody came back for. */
  sweep(now = Date.now()): void {
    for (const [clientKey, places] of this.parked) this.store(clientKey, places.filter((place) => place.until > now));
  }

  private presenceOf(session: Session): Presence {
    let presence = this.presence.get(session);
    if (!presence) this.presence.set(session, (presence = { joined: undefined, rooms: new Set() }));
    return presence;
  }

  private enter(session: Session, cid: string): void {
    this.presenceOf(session).rooms.add(cid);
    const roomKey = key(session.appId, cid);
    let room = this.rooms.get(roomKey);
    if (!room) this.rooms.set(roomKey, (room = { sessions: new Set(), clients: new Map() }));
    room.sessions.add(session);
    room.clients.set(session.clientId, (room.clients.get(session.clientId) ?? 0) + 1);
  }

  private store(clientKey: string, places: Parked[]): void {
    if (places.length > 0) this.parked.set(clientKey, places);
    else this.parked.delete(clientKey);
  }
}
