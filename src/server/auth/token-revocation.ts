/**
 * Session tokens as credentials: valid (session-token.ts) and not logged
 * out. Every place that accepts a token (reconnect, file uploads, v4's
 * notification fetch) checks it here, so a logout holds everywhere, and on
 * every node sharing the store.
 */
import type { AppRecord, Store } from '../store/types.js';
import { loginIdOf, readSessionToken, type SessionTokenFacts } from './session-token.js';

/** The token's facts, or undefined if it is forged, expired or its login was logged out. */
export async function checkSessionToken(store: Store, app: AppRecord, token: string, now = Date.now()): Promise<SessionTokenFacts | undefined> {
  const facts = readSessionToken(app, token, now);
  if (!facts) return undefined;
  return (await store.isLoginRevoked(app.appId, facts.loginId)) ? undefined : facts;
}

/**
 * Logs out the login `token` (a token this server issued to a live
 * session) belongs to: that token, the earlier ones its reconnects
 * presented, and any later one. Kept for a token lifetime from now, the
 * longest any of them can remain valid.
 */
export async function revokeLoginOf(store: Store, appId: string, token: string, ttlSeconds: number, now = Date.now()): Promise<void> {
  await store.revokeLogin(appId, loginIdOf(token), now + ttlSeconds * 1000);
}
