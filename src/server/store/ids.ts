/** Identifier formats shared by every store implementation. */
import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * The base64url characters in ASCII order, so that ids compare as strings
 * the way their bits compare as numbers.
 */
const ORDERED_ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
let lastIdMs = 0;
let idCounter = 0;

/**
 * Random bits for message ids, drawn from the CSPRNG 4 KiB at a time: one
 * call per message cost ~5% of the persisted path's CPU (bench/goals.ts
 * persisted profile, randomFillSync). Each id uses its bytes once.
 */
const randomPool = Buffer.alloc(4096);
let randomOffset = randomPool.length;

function randomUint64(): bigint {
  if (randomOffset + 8 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const value = randomPool.readBigUInt64BE(randomOffset);
  randomOffset += 8;
  return value;
}

/**
 * A server message id: 22 URL-safe characters (132 bits): the time in ms
 * (48 bits), a counter (24 bits) and 60 random bits. Ids made by one
 * process sort as strings in the order they were made, so messages that
 * share a millisecond still sort by id in their real order (clients and
 * the widgets' cache break timestamp ties by id); the random part keeps
 * them unguessable.
 */
export function newMessageId(now: number = Date.now()): string {
  if (now > lastIdMs) {
    lastIdMs = now;
    idCounter = 0;
  } else {
    // The clock stood still or stepped back: count on from the last id.
    idCounter += 1;
    if (idCounter >= 1 << 24) {
      lastIdMs += 1;
      idCounter = 0;
    }
  }
  // 48 + 24 + 60 bits, six at a time.
  let bits = (BigInt(lastIdMs) << 84n) | (BigInt(idCounter) << 60n) | (randomUint64() >> 4n);
  let id = '';
  for (let n = 0; n < 22; n++) {
    id = ORDERED_ALPHABET[Number(bits & 63n)] + id;
    bits >>= 6n;
  }
  return id;
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
