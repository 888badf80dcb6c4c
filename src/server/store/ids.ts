/** Identifier formats shared by every store implementation. */
import { randomBytes } from 'node:crypto';

/** A server message id: 22 URL-safe base64 characters (128 random bits). */
export function newMessageId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * A conversation `objectId`: 24 lower-case hex characters shaped like a
 * MongoDB ObjectId (4-byte seconds, then random), which is what clients
 * of LeanCloud have seen and sometimes validate.
 */
export function newConversationId(nowMs: number = Date.now()): string {
  const id = randomBytes(12);
  id.writeUInt32BE(Math.floor(nowMs / 1000) >>> 0, 0);
  return id.toString('hex');
}
