/**
 * The two frames every persisted message costs the server, written
 * straight into a slab: the `direct` push of a stored message and the
 * `ack` of its sender's command. The codec's generic encoder walks a
 * command's keys and looks each field up by name (and the push needed a
 * copy of the command to add `serverTs`); these have a fixed shape, so
 * their field keys are worked out once, from the same schema, and only
 * the values are written. The bytes are exactly what `encodeCommand`
 * writes for the same command (fields in number order), which the tests
 * compare; anything off the common shape (binary payloads, mentions, an
 * edit's `patchTimestamp`, a string too long for the slab) goes through
 * `encodeCommand` as before.
 *
 * Server-only: the SDK's bundles never import this module.
 */
import { CommandType, encodeCommand } from '../../protocol/codec.js';
import { SCHEMA } from '../../protocol/generated/message.js';
import type { NodeBufferLike } from '../../protocol/node-buffer.js';
import { parseSchema } from '../../protocol/proto-codec.js';
import type { MessageRecord } from '../store/types.js';
import { directOf } from './direct.js';

const VARINT = 0;
const DELIMITED = 2;
const fields = parseSchema(SCHEMA);

/** The wire key (number and type) of `message.name`, from the schema. */
function keyOf(message: string, name: string, wireType: number): number {
  const row = fields[message]?.find((field) => field[1] === name);
  if (!row) throw new Error(`no field ${message}.${name} in the schema`);
  return (row[0] << 3) | wireType;
}

const CMD = keyOf('GenericCommand', 'cmd', VARINT);
const PEER_ID = keyOf('GenericCommand', 'peerId', DELIMITED);
const I = keyOf('GenericCommand', 'i', VARINT);
const SERVER_TS = keyOf('GenericCommand', 'serverTs', VARINT);
const DIRECT_MESSAGE = keyOf('GenericCommand', 'directMessage', DELIMITED);
const ACK_MESSAGE = keyOf('GenericCommand', 'ackMessage', DELIMITED);
const DIRECT_MSG = keyOf('DirectCommand', 'msg', DELIMITED);
const DIRECT_FROM = keyOf('DirectCommand', 'fromPeerId', DELIMITED);
const DIRECT_TIMESTAMP = keyOf('DirectCommand', 'timestamp', VARINT);
const DIRECT_CID = keyOf('DirectCommand', 'cid', DELIMITED);
const DIRECT_ID = keyOf('DirectCommand', 'id', DELIMITED);
const ACK_T = keyOf('AckCommand', 't', VARINT);
const ACK_UID = keyOf('AckCommand', 'uid', DELIMITED);

// The writer below writes these fields in this order: the schema's, as encodeCommand does.
if (!(CMD < PEER_ID && PEER_ID < I && I < SERVER_TS && SERVER_TS < DIRECT_MESSAGE && DIRECT_MESSAGE < ACK_MESSAGE)) throw new Error('GenericCommand fields out of the order assumed');
if (!(DIRECT_MSG < DIRECT_FROM && DIRECT_FROM < DIRECT_TIMESTAMP && DIRECT_TIMESTAMP < DIRECT_CID && DIRECT_CID < DIRECT_ID)) throw new Error('DirectCommand fields out of the order assumed');
if (!(ACK_T < ACK_UID)) throw new Error('AckCommand fields out of the order assumed');

const SLAB_BYTES = 16384;
/** A frame larger than this is left to encodeCommand (a long payload). */
const MAX_FRAME = 2048;
/** Buffer's own UTF-8 writer (`utf8Write`, untyped in @types/node), as the codec uses it. */
const newSlab = (): Buffer & NodeBufferLike => Buffer.allocUnsafeSlow(SLAB_BYTES) as Buffer & NodeBufferLike;
let slab = newSlab();
let used = 0;
let at = 0;

/** Starts a frame of at most `max` bytes; frames are views of the slab, as the codec's are. */
function begin(max: number): void {
  if (SLAB_BYTES - used < max) {
    slab = newSlab();
    used = 0;
  }
  at = used;
}

function finish(): Buffer {
  const frame = slab.subarray(used, at);
  used = at;
  return frame;
}

/** A varint below 2^53 (keys, lengths, `i`, timestamps in ms). */
function varint(value: number): void {
  while (value > 0x7f) {
    slab[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  slab[at++] = value;
}

/** A varint's size in bytes, for a value below 2^53. */
function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 0x80);
    size += 1;
  }
  return size;
}

/**
 * A string field. Short strings (ids, names: at most 40 UTF-16 units, so
 * at most 120 bytes and a one-byte length) are written here, ASCII by
 * hand, quicker than two native calls; longer ones by Buffer's UTF-8 writer.
 */
function stringField(key: number, text: string): void {
  varint(key);
  const units = text.length;
  if (units <= 40) {
    const lengthAt = at;
    let p = at + 1;
    for (let k = 0; k < units; k++) {
      const code = text.charCodeAt(k);
      if (code >= 0x80) {
        // Not ASCII: Buffer writes it (a lone surrogate as U+FFFD, as the codec does).
        p = lengthAt + 1 + slab.utf8Write(text, lengthAt + 1, 120);
        break;
      }
      slab[p++] = code;
    }
    slab[lengthAt] = p - lengthAt - 1;
    at = p;
    return;
  }
  const bytes = Buffer.byteLength(text);
  varint(bytes);
  at += slab.utf8Write(text, at, bytes);
}

/** The most bytes stringField may write for `text`. */
function stringFieldMax(text: string): number {
  return 8 + 3 * text.length;
}

/**
 * Writes a length-delimited field's content with `write`, its length
 * before it: two bytes are reserved (the usual case: 128 to 16,383
 * bytes), and the content moved if it needed another number.
 */
function delimited(key: number, write: () => void): void {
  varint(key);
  const mark = at;
  at += 2;
  write();
  const length = at - mark - 2;
  const needed = varintSize(length);
  if (needed !== 2) {
    slab.copyWithin(mark + needed, mark + 2, at);
    at += needed - 2;
  }
  const end = at;
  at = mark;
  varint(length);
  at = end;
}

/** A number `varint` writes as the codec writes an int64: a non-negative integer below 2^53. */
function isPlainNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * `{ cmd: direct, serverTs, directMessage: directOf(message) }` encoded:
 * the push of a stored message to the other members' sessions.
 */
export function encodeDirectPush(message: MessageRecord, serverTs: number): Uint8Array {
  const { data, from, cid, id, timestamp } = message;
  const max = stringFieldMax(data) + stringFieldMax(from) + stringFieldMax(cid) + stringFieldMax(id) + 48;
  if (message.binary || message.mentionPids.length > 0 || message.mentionAll || message.patchTimestamp !== null || !isPlainNumber(timestamp) || !isPlainNumber(serverTs) || max > MAX_FRAME) {
    return encodeCommand({ cmd: CommandType.direct, serverTs, directMessage: directOf(message) });
  }
  begin(max);
  varint(CMD);
  varint(CommandType.direct);
  varint(SERVER_TS);
  varint(serverTs);
  delimited(DIRECT_MESSAGE, () => {
    stringField(DIRECT_MSG, data);
    stringField(DIRECT_FROM, from);
    varint(DIRECT_TIMESTAMP);
    varint(timestamp);
    stringField(DIRECT_CID, cid);
    stringField(DIRECT_ID, id);
  });
  return finish();
}

/**
 * `{ cmd: ack, i, peerId, ackMessage: { uid, t } }` encoded: the answer to
 * a stored `direct`.
 */
export function encodeDirectAck(i: number, peerId: string, uid: string, t: number): Uint8Array {
  const max = stringFieldMax(peerId) + stringFieldMax(uid) + 40;
  if (!Number.isInteger(i) || i < 0 || i > 0x7fffffff || !isPlainNumber(t) || max > MAX_FRAME) {
    return encodeCommand({ cmd: CommandType.ack, i, peerId, ackMessage: { uid, t } });
  }
  begin(max);
  varint(CMD);
  varint(CommandType.ack);
  stringField(PEER_ID, peerId);
  varint(I);
  varint(i);
  delimited(ACK_MESSAGE, () => {
    varint(ACK_T);
    varint(t);
    stringField(ACK_UID, uid);
  });
  return finish();
}
