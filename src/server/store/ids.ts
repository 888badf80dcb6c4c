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

/** 12 random bits (two id characters), from the pool. */
function random12(): number {
  if (randomOffset + 2 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const value = randomPool.readUInt16BE(randomOffset) & 0xfff;
  randomOffset += 2;
  return value;
}

/** The alphabet's character codes, by 6-bit value. */
const CODES = Array.from(ORDERED_ALPHABET, (char) => char.charCodeAt(0));

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
  // 48 + 24 + 60 bits, six at a time: 8 + 4 + 10 characters, each field on
  // characters of its own (BigInt shifts per character cost ~4 % of the
  // persisted bench's server profile), made by one String.fromCharCode of
  // the 22 codes: 11 concatenations of two-character strings took twice as
  // long (0.30 against 0.15 µs an id) and left a rope to flatten.
  const high = Math.floor(lastIdMs / 0x1000000);
  const low = lastIdMs - high * 0x1000000;
  const r1 = random12();
  const r2 = random12();
  const r3 = random12();
  const r4 = random12();
  const r5 = random12();
  return String.fromCharCode(
    CODES[high >>> 18]!, CODES[(high >>> 12) & 63]!, CODES[(high >>> 6) & 63]!, CODES[high & 63]!,
    CODES[low >>> 18]!, CODES[(low >>> 12) & 63]!, CODES[(low >>> 6) & 63]!, CODES[low & 63]!,
    CODES[idCounter >>> 18]!, CODES[(idCounter >>> 12) & 63]!, CODES[(idCounter >>> 6) & 63]!, CODES[idCounter & 63]!,
    CODES[r1 >>> 6]!, CODES[r1 & 63]!, CODES[r2 >>> 6]!, CODES[r2 & 63]!, CODES[r3 >>> 6]!, CODES[r3 & 63]!,
    CODES[r4 >>> 6]!, CODES[r4 & 63]!, CODES[r5 >>> 6]!, CODES[r5 & 63]!,
  );
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
