import type { Session } from './session.js';

interface Room {
  sessions: Set<Session>;
  /** Sessions per client: the online count counts clients, not devices. */
  clients: Map<string, number>;
}

/** The rooms a session is in: the one it joined as a viewer, and those it created (hosts). */
export interface RoomPlaces {
  joined: string | undefined;
  rooms: Set<string>;
}

const key = (appId: string, id: string): string => `${appId}\u0000${id}`;

/**
 * What the registry reports as viewers come and go, so that the node can
 * tell the broker which rooms to follow and the presence who is in them.
 */
export interface RoomRegistryEvents {
  /** The room's first session on this node (called before `clientEntered`). */
  roomOccupied(appId: string, cid: string): void;
  /** The room's last session on this node left (called after `clientLeft`). */
  roomEmptied(appId: string, cid: string): void;
  /** The client's first session in the room on this node. */
  clientEntered(appId: string, cid: string, clientId: string): void;
  /** The client's last session in the room on this node left. */
  clientLeft(appId: string, cid: string, clientId: string): void;
}

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
 * Per node: it routes chat-room pushes to this node's viewers. What other
 * nodes must know (the room's count over all nodes, the places a dropped
 * login keeps for its reconnect) is the presence's (presence/types.ts),
 * told through `RoomRegistryEvents`.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly presence = new Map<Session, RoomPlaces>();

  constructor(private readonly events?: RoomRegistryEvents) {}

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
    else {
      room.clients.delete(session.clientId);
      this.events?.clientLeft(session.appId, cid, session.clientId);
    }
    if (room.sessions.size === 0) {
      this.rooms.delete(roomKey);
      this.events?.roomEmptied(session.appId, cid);
    }
  }

  /** Takes the session out of every room; returns what it was in. */
  leaveAll(session: Session): RoomPlaces | undefined {
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

  /** A reconnecting login is back in the rooms its dropped login was in (parked by the presence). */
  restore(session: Session, places: { joined: string | undefined; rooms: readonly string[] }): void {
    for (const cid of places.rooms) {
      if (cid === places.joined) this.join(session, cid);
      else this.host(session, cid);
    }
  }

  private presenceOf(session: Session): RoomPlaces {
    let presence = this.presence.get(session);
    if (!presence) this.presence.set(session, (presence = { joined: undefined, rooms: new Set() }));
    return presence;
  }

  private enter(session: Session, cid: string): void {
    this.presenceOf(session).rooms.add(cid);
    const roomKey = key(session.appId, cid);
    let room = this.rooms.get(roomKey);
    if (!room) {
      this.rooms.set(roomKey, (room = { sessions: new Set(), clients: new Map() }));
      this.events?.roomOccupied(session.appId, cid);
    }
    room.sessions.add(session);
    const sessions = room.clients.get(session.clientId) ?? 0;
    room.clients.set(session.clientId, sessions + 1);
    if (sessions === 0) this.events?.clientEntered(session.appId, cid, session.clientId);
  }
}
