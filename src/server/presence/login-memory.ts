/**
 * What a session token stood for, so that a reconnect (which presents the
 * token but, from v4 always and from v3 with a valid token, no tag and no
 * device id) is known as the same tagged device: single-device login
 * checks and chat-room resume need that.
 *
 * In memory and bounded: the oldest entries go first. A reconnect that
 * finds nothing here (a restart, a very old token) is treated as an
 * untagged login. LocalPresence keeps it; a Redis presence keeps these
 * facts in Redis, for whichever node the reconnect reaches.
 */
import type { LoginFacts } from './types.js';

const DEFAULT_CAPACITY = 100_000;

export class LoginMemory {
  private readonly entries = new Map<string, LoginFacts & { expiresAt: number }>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  remember(appId: string, token: string, facts: LoginFacts, ttlMs: number, now = Date.now()): void {
    const entryKey = `${appId}\u0000${token}`;
    this.entries.delete(entryKey);
    this.entries.set(entryKey, { ...facts, expiresAt: now + ttlMs });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** After a logout: the token is refused from now on, so its facts are of no further use. */
  forget(appId: string, token: string): void {
    this.entries.delete(`${appId}\u0000${token}`);
  }

  recall(appId: string, token: string, now = Date.now()): LoginFacts | undefined {
    const entry = this.entries.get(`${appId}\u0000${token}`);
    if (!entry || entry.expiresAt <= now) return undefined;
    return { tag: entry.tag, deviceId: entry.deviceId };
  }
}
