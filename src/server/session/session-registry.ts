import type { Session } from './session.js';

/**
 * What the registry reports as sessions come and go, so that the node can
 * tell the broker what to follow and the presence who is here. Each is
 * called once per change, after the registry changed.
 */
export interface SessionRegistryEvents {
  /** A session was added. */
  opened(session: Session): void;
  /** A session was removed. */
  ended(session: Session): void;
  /** The client's first session on this node (called before `opened`). */
  clientArrived(appId: string, clientId: string): void;
  /** The client's last session on this node is gone (called after `ended`). */
  clientGone(appId: string, clientId: string): void;
}

/** The sessions online on this node, by app and client id. */
export class SessionRegistry {
  private readonly byClient = new Map<string, Set<Session>>();

  constructor(private readonly events?: SessionRegistryEvents) {}

  private static key(appId: string, clientId: string): string {
    return `${appId}\u0000${clientId}`;
  }

  add(session: Session): void {
    const key = SessionRegistry.key(session.appId, session.clientId);
    let sessions = this.byClient.get(key);
    if (!sessions) {
      this.byClient.set(key, (sessions = new Set()));
      this.events?.clientArrived(session.appId, session.clientId);
    }
    if (sessions.has(session)) return;
    sessions.add(session);
    this.events?.opened(session);
  }

  /** Removes the session; a session already removed changes nothing (and raises nothing). */
  remove(session: Session): void {
    const key = SessionRegistry.key(session.appId, session.clientId);
    const sessions = this.byClient.get(key);
    if (!sessions?.delete(session)) return;
    if (sessions.size === 0) this.byClient.delete(key);
    this.events?.ended(session);
    if (sessions.size === 0) this.events?.clientGone(session.appId, session.clientId);
  }

  sessionsOf(appId: string, clientId: string): ReadonlySet<Session> | undefined {
    return this.byClient.get(SessionRegistry.key(appId, clientId));
  }

  isOnline(appId: string, clientId: string): boolean {
    return this.byClient.has(SessionRegistry.key(appId, clientId));
  }

  get size(): number {
    let count = 0;
    for (const sessions of this.byClient.values()) count += sessions.size;
    return count;
  }
}
