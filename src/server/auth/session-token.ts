/**
 * Session tokens (`st`): issued at login, presented on reconnect and to the
 * HTTP services. Stateless (an HMAC keyed from the app's master key), so
 * they survive restarts and work on every node; a logout revokes them
 * through the store (see token-revocation.ts).
 *
 * Each login gets its own token (a random nonce is part of it): a reconnect
 * presenting it identifies that login, not just the client, which the
 * single-device (tag) rules and chat-room resume rely on.
 *
 * The nonce starts with the login's id, which a reconnect's new token
 * keeps: every token of one login, from its first open through each
 * reconnect, names the same login, so a logout can revoke them all. Tokens
 * issued before login ids existed have a 12-character nonce, which then is
 * their login id.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const LABEL = 'lc-chat session token v1';
/** 9 random bytes in base64url. */
const LOGIN_ID_LENGTH = 12;

function key(masterKey: string): Buffer {
  return createHmac('sha256', masterKey).update(LABEL).digest();
}

function mac(masterKey: string, appId: string, clientId: string, expiresAt: number, nonce: string): string {
  return createHmac('sha256', key(masterKey)).update(`${appId}\u0000${clientId}\u0000${expiresAt}\u0000${nonce}`).digest('base64url');
}

/** A fresh login id, for a login that is not a reconnect. */
export function newLoginId(): string {
  return randomBytes(9).toString('base64url');
}

/** What a valid token says. */
export interface SessionTokenFacts {
  clientId: string;
  /** The same for every token of one login (its reconnects included). */
  loginId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** `<clientId as base64url>.<expiry seconds>.<login id + nonce>.<mac>` */
export function issueSessionToken(
  app: { appId: string; masterKey: string },
  clientId: string,
  ttlSeconds: number,
  now = Date.now(),
  loginId = newLoginId(),
): string {
  const expiresAt = Math.floor(now / 1000) + ttlSeconds;
  const nonce = loginId + randomBytes(9).toString('base64url');
  return `${Buffer.from(clientId).toString('base64url')}.${expiresAt}.${nonce}.${mac(app.masterKey, app.appId, clientId, expiresAt, nonce)}`;
}

/** The token's facts, or undefined if it is forged, for another app, or expired. Revocation is not checked here. */
export function readSessionToken(app: { appId: string; masterKey: string }, token: string, now = Date.now()): SessionTokenFacts | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || !/^\d{1,12}$/.test(parts[1]!) || !/^[\w-]{12,32}$/.test(parts[2]!)) return undefined;
  const nonce = parts[2]!;
  const clientId = Buffer.from(parts[0]!, 'base64url').toString('utf8');
  const expiresAt = Number(parts[1]);
  if (expiresAt * 1000 < now) return undefined;
  const expected = Buffer.from(mac(app.masterKey, app.appId, clientId, expiresAt, nonce));
  const given = Buffer.from(parts[3]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return { clientId, loginId: nonce.slice(0, LOGIN_ID_LENGTH), expiresAt };
}

/** The client id the token was issued to, or undefined if it is forged, for another app, or expired. Revocation is not checked here. */
export function verifySessionToken(app: { appId: string; masterKey: string }, token: string, now = Date.now()): string | undefined {
  return readSessionToken(app, token, now)?.clientId;
}

/** The login id of a token this server issued (not verified: for tokens already known to be good). */
export function loginIdOf(token: string): string {
  return (token.split('.')[2] ?? '').slice(0, LOGIN_ID_LENGTH);
}

/** Names the login a token was issued to, for storing: the token itself is a credential and is never stored. */
export function sessionTokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}
