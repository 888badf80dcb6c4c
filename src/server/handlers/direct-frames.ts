/**
 * The two frames every persisted message costs the server, written with
 * the codec's fixed-shape writer: the `direct` push of a stored message
 * and the `ack` of its sender's command. The generic encoder walks a
 * command's keys and looks each field up by name (and the push needed a
 * copy of the command to add `serverTs`); these have a fixed shape, so
 * their field keys are worked out once, from the same schema, and only
 * the values are written. The bytes are exactly what `encodeCommand`
 * writes for the same command (fields in number order), which the tests
 * compare; a push off the common shape (binary payloads, mentions, an
 * edit's `patchTimestamp`) goes through `encodeCommand` as before.
 *
 * Server-only: the SDK's bundles never import this module.
 */
import { CommandType, encodeCommand } from '../../protocol/codec.js';
import { SCHEMA } from '../../protocol/generated/message.js';
import { fixedShapeWriter as w, parseSchema } from '../../protocol/proto-codec.js';
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

// The writers below write these fields in this order: the schema's, as encodeCommand does.
if (!(CMD < PEER_ID && PEER_ID < I && I < SERVER_TS && SERVER_TS < DIRECT_MESSAGE && DIRECT_MESSAGE < ACK_MESSAGE)) throw new Error('GenericCommand fields out of the order assumed');
if (!(DIRECT_MSG < DIRECT_FROM && DIRECT_FROM < DIRECT_TIMESTAMP && DIRECT_TIMESTAMP < DIRECT_CID && DIRECT_CID < DIRECT_ID)) throw new Error('DirectCommand fields out of the order assumed');
if (!(ACK_T < ACK_UID)) throw new Error('AckCommand fields out of the order assumed');

/**
 * `{ cmd: direct, serverTs, directMessage: directOf(message) }` encoded:
 * the push of a stored message to the other members' sessions.
 */
export function encodeDirectPush(message: MessageRecord, serverTs: number): Uint8Array {
  if (message.binary || message.mentionPids.length > 0 || message.mentionAll || message.patchTimestamp !== null) {
    return encodeCommand({ cmd: CommandType.direct, serverTs, directMessage: directOf(message) });
  }
  w.begin();
  w.varint(CMD);
  w.int32(CommandType.direct);
  w.varint(SERVER_TS);
  w.int64(serverTs);
  const direct = w.open(DIRECT_MESSAGE);
  w.string(DIRECT_MSG, message.data);
  w.string(DIRECT_FROM, message.from);
  w.varint(DIRECT_TIMESTAMP);
  w.int64(message.timestamp);
  w.string(DIRECT_CID, message.cid);
  w.string(DIRECT_ID, message.id);
  w.close(direct);
  return w.finish();
}

/**
 * `{ cmd: ack, i, peerId, ackMessage: { uid, t } }` encoded: the answer to
 * a stored `direct`.
 */
export function encodeDirectAck(i: number, peerId: string, uid: string, t: number): Uint8Array {
  w.begin();
  w.varint(CMD);
  w.int32(CommandType.ack);
  w.string(PEER_ID, peerId);
  w.varint(I);
  w.int32(i);
  const ack = w.open(ACK_MESSAGE);
  w.varint(ACK_T);
  w.int64(t);
  w.string(ACK_UID, uid);
  w.close(ack);
  return w.finish();
}
