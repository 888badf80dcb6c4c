/**
 * LeanCloud's operation signatures (protocol.md §6): HMAC-SHA1 with the
 * app's master key, lower-case hex, over `:`-joined fields. App servers sign
 * (see signature-handler.ts); this server verifies when the app requires it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A signature as the SDKs send it: `t` (seconds or ms), `n` nonce, `s` hex digest. */
export interface Signature {
  signature: string;
  timestamp: number;
  nonce: string;
}

/** Conversation actions as the SDK factories name them. */
export type ConversationAction = 'create' | 'add' | 'remove';

/** Signatures older (or further in the future) than this are refused. */
export const SIGNATURE_TTL_MS = 6 * 3600 * 1000;

/** Timestamps below this are taken as seconds: the docs say ms, the official demo signs seconds. */
const SECONDS_BELOW = 1e11;

export function hmacSha1Hex(key: string, text: string): string {
  return createHmac('sha1', key).update(text).digest('hex');
}

/** `appid:clientid::timestamp:nonce` (the empty field is part of the format). */
export function loginSigningString(appId: string, clientId: string, timestamp: number, nonce: string): string {
  return [appId, clientId, '', timestamp, nonce].join(':');
}

/**
 * create: `appid:clientid:sorted_members:timestamp:nonce` (members include the creator);
 * add/remove: `appid:clientid:convid:sorted_members:timestamp:nonce:invite|kick`.
 */
export function conversationSigningString(
  appId: string,
  clientId: string,
  conversationId: string | null,
  members: readonly string[],
  timestamp: number,
  nonce: string,
  action: ConversationAction,
): string {
  const sorted = [...members].sort().join(':');
  if (action === 'create') return [appId, clientId, sorted, timestamp, nonce].join(':');
  return [appId, clientId, conversationId ?? '', sorted, timestamp, nonce, action === 'add' ? 'invite' : 'kick'].join(':');
}

/** A fresh signature (for app servers and tests). */
export function sign(masterKey: string, build: (timestamp: number, nonce: string) => string, now = Date.now()): Signature {
  const timestamp = Math.floor(now / 1000);
  const nonce = randomBytes(12).toString('base64url');
  return { signature: hmacSha1Hex(masterKey, build(timestamp, nonce)), timestamp, nonce };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks a signature against the string it should sign, its age and its
 * nonce. A nonce is accepted once within the validity window.
 */
export class SignatureVerifier {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  verify(masterKey: string, signature: Partial<Signature>, signingString: (timestamp: number, nonce: string) => string): VerifyResult {
    const { signature: digest, timestamp, nonce } = signature;
    if (typeof digest !== 'string' || typeof nonce !== 'string' || !nonce || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
      return { ok: false, reason: 'signature, timestamp and nonce are required' };
    }
    const ms = timestamp < SECONDS_BELOW ? timestamp * 1000 : timestamp;
    const now = this.now();
    if (Math.abs(now - ms) > SIGNATURE_TTL_MS) return { ok: false, reason: 'signature timestamp expired' };
    const expected = Buffer.from(hmacSha1Hex(masterKey, signingString(timestamp, nonce)), 'hex');
    const given = /^[0-9a-f]{40}$/i.test(digest) ? Buffer.from(digest, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
    this.forgetExpired(now);
    const key = `${nonce}\u0000${digest.toLowerCase()}`;
    if (this.seen.has(key)) return { ok: false, reason: 'nonce already used' };
    this.seen.set(key, ms + SIGNATURE_TTL_MS);
    return { ok: true };
  }

  /**
   * A nonce need not be remembered once its signature would be refused as
   * expired anyway. Entries are roughly in expiry order (only valid
   * signatures get here), so stop at the first live one.
   */
  private forgetExpired(now: number): void {
    for (const [key, expiresAt] of this.seen) {
      if (expiresAt > now) break;
      this.seen.delete(key);
    }
  }
}
