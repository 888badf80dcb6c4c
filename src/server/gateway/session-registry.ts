import type { Session } from './session.js';

/** The sessions online on this node, by app and client id. */
export class SessionRegistry {
  private readonly byClient = new Map<string, Set<Session>>();

  private static key(appId: string, clientId: string): string {
    return `${appId}\u0000${clientId}`;
  }

  add(session: Session): void {
    const key = SessionRegistry.key(session.appId, session.clientId);
    let sessions = this.byClient.get(key);
    if (!sessions) this.byClient.set(key, (sessions = new Set()));
    sessions.add(session);
  }

  remove(session: Session): void {
    const key = SessionRegistry.key(session.appId, session.clientId);
    const sessions = this.byClient.get(key);
    if (!sessions) return;
    sessions.delete(session);
    if (sessions.size === 0) this.byClient.delete(key);
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
