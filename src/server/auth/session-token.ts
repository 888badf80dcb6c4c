/**
 * Session tokens (`st`): issued at login, presented on reconnect and to the
 * HTTP file service. Stateless (an HMAC keyed from the app's master key),
 * so they survive restarts and work on every node.
 *
 * Each login gets its own token (a random nonce is part of it): a reconnect
 * presenting it identifies that login, not just the client, which the
 * single-device (tag) rules and chat-room resume rely on.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const LABEL = 'lc-chat session token v1';

function key(masterKey: string): Buffer {
  return createHmac('sha256', masterKey).update(LABEL).digest();
}

function mac(masterKey: string, appId: string, clientId: string, expiresAt: number, nonce: string): string {
  return createHmac('sha256', key(masterKey)).update(`${appId}\u0000${clientId}\u0000${expiresAt}\u0000${nonce}`).digest('base64url');
}

/** `<clientId as base64url>.<expiry seconds>.<nonce>.<mac>` */
export function issueSessionToken(app: { appId: string; masterKey: string }, clientId: string, ttlSeconds: number, now = Date.now()): string {
  const expiresAt = Math.floor(now / 1000) + ttlSeconds;
  const nonce = randomBytes(9).toString('base64url');
  return `${Buffer.from(clientId).toString('base64url')}.${expiresAt}.${nonce}.${mac(app.masterKey, app.appId, clientId, expiresAt, nonce)}`;
}

/** The client id the token was issued to, or undefined if it is forged, for another app, or expired. */
export function verifySessionToken(app: { appId: string; masterKey: string }, token: string, now = Date.now()): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || !/^\d{1,12}$/.test(parts[1]!) || !/^[\w-]{1,32}$/.test(parts[2]!)) return undefined;
  const nonce = parts[2]!;
  const clientId = Buffer.from(parts[0]!, 'base64url').toString('utf8');
  const expiresAt = Number(parts[1]);
  if (expiresAt * 1000 < now) return undefined;
  const expected = Buffer.from(mac(app.masterKey, app.appId, clientId, expiresAt, nonce));
  const given = Buffer.from(parts[3]!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? clientId : undefined;
}

/** Names the login a token was issued to, for storing: the token itself is a credential and is never stored. */
export function sessionTokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}
