/**
 * The bytes a Redis broker publishes: a Delivery and its payload, plus the
 * node that published it. A publication on a node's channel names the
 * recipients that node holds (the fan-out script puts them in, see
 * redis-broker.ts); one on a room's or on `all` names none. The
 * payload is already protobuf: it goes in as raw bytes after a small binary
 * header, never as base64 inside JSON.
 *
 * Layout (all integers big-endian):
 *
 *   u8   version (2)
 *   u8   kind: 0 delivery, 1 gap notice
 *   u16  flags (which optional fields follow)
 *   str  origin node id
 *   str  appId                                   (delivery only)
 *   str  roomId               if FLAG_ROOM
 *   str  excludeSessionId     if FLAG_EXCLUDE
 *   f64  notificationSeq      if FLAG_SEQ
 *   u8   priority             if FLAG_PRIORITY
 *   str  takeover.tag         if FLAG_TAKEOVER
 *   str  takeover.deviceId    if FLAG_TAKEOVER_DEVICE
 *   str  conversationChanged  if FLAG_CHANGED
 *   u32  length, then the client ids joined by "\n"   if FLAG_CLIENTS
 *   ...  payload (the rest)
 *
 * where `str` is a u16 byte length and UTF-8 bytes. `FLAG_END` (no field)
 * is `Delivery.endSessions`. The client list is last before the payload so
 * that the fan-out script can put it between the head this module encodes
 * and the payload (a client id holds no control character, so "\n" never
 * splits one). Anything that does not
 * parse is refused whole (decodeEnvelope returns undefined): whoever can
 * publish on the Redis server is trusted, but a bug or a stray publisher
 * must not crash a node.
 *
 * A node's channel carries batches (kind 2): every delivery of one fan-out
 * call that has recipients on that node, in publishing order, so that a
 * node gets one publication per sending node's turn, not one per message:
 *
 *   u8   version (2)
 *   u8   kind: 2 batch
 *   u16  flags (0)
 *   str  origin node id
 *   then, to the end: u32 length, a kind-0 delivery with FLAG_CLIENTS, ...
 *
 * where a delivery whose client list is empty goes to the clients of the
 * delivery before it in the batch (a group's messages of one turn: the
 * list travels once). The first delivery of a batch always names its
 * clients.
 */
import type { Delivery } from '../types.js';

/** 2 since the client-node hashes per app and the repeated lists (a cluster runs one version: a node refuses another's publications). */
const VERSION = 2;
const FLAG_ROOM = 1 << 0;
const FLAG_EXCLUDE = 1 << 1;
const FLAG_SEQ = 1 << 2;
const FLAG_PRIORITY = 1 << 3;
const FLAG_TAKEOVER = 1 << 4;
const FLAG_TAKEOVER_DEVICE = 1 << 5;
const FLAG_CHANGED = 1 << 6;
const FLAG_CLIENTS = 1 << 7;
const FLAG_END = 1 << 8;
const KNOWN_FLAGS = (1 << 9) - 1;

/** Longest string field: ids and tags are far shorter; a u16 length caps it anyway. */
const MAX_STRING_BYTES = 0xffff;

/** What a node receives from Redis: a delivery, a batch of them (on its own channel) or another node's gap notice. */
export type Envelope =
  | { kind: 'delivery'; origin: string; delivery: Delivery }
  | { kind: 'batch'; origin: string; deliveries: Delivery[] }
  | { kind: 'gap'; origin: string };

const KIND_DELIVERY = 0;
const KIND_GAP = 1;
const KIND_BATCH = 2;

/** Encodes a delivery whose channel says who gets it (a room, or `all`): no client list. */
export function encodeDelivery(origin: string, delivery: Delivery): Buffer {
  const head = encodeHead(origin, delivery, false);
  return Buffer.concat([head, delivery.payload], head.length + delivery.payload.byteLength);
}

/**
 * The head of a delivery to clients, up to where the client list goes:
 * the fan-out script appends, per recipient node, `u32` length, the
 * node's client ids joined by "\n", and the payload.
 */
export function encodeClientsHead(origin: string, delivery: Delivery): Buffer {
  return encodeHead(origin, delivery, true);
}

/** One delivery as a node's channel names it: the head, that node's recipients, the payload (tests, and the script's reference). */
export function encodeNodeDelivery(origin: string, delivery: Delivery, clientIds: readonly string[]): Buffer {
  const list = Buffer.from(clientIds.join('\n'), 'utf8');
  return Buffer.concat([encodeClientsHead(origin, delivery), u32(list.length), list, delivery.payload]);
}

/**
 * The start of a batch for a node's channel, up to its first delivery: the
 * fan-out script appends, per delivery, a u32 length and the delivery as
 * encodeNodeDelivery builds it.
 */
export function encodeBatchHead(origin: string): Buffer {
  return encodeOriginOnly(KIND_BATCH, origin);
}

/** What the fan-out script publishes on a node's channel, built here (tests, and the script's reference). */
export function encodeNodeBatch(origin: string, items: ReadonlyArray<{ delivery: Delivery; clientIds: readonly string[] }>): Buffer {
  const parts: Buffer[] = [encodeBatchHead(origin)];
  for (const { delivery, clientIds } of items) {
    const one = encodeNodeDelivery(origin, delivery, clientIds);
    parts.push(u32(one.length), one);
  }
  return Buffer.concat(parts);
}

function u32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

/**
 * Written into one buffer sized first, not assembled from a buffer per
 * field: it runs once per published delivery, and on the sending node's
 * profile (bench/cluster.ts group) the per-field `Buffer.from([byte])` and
 * `Buffer.concat` of the first version were most of its cost.
 */
function encodeHead(origin: string, delivery: Delivery, withClients: boolean): Buffer {
  let flags = 0;
  let size = 4 + strSize(origin) + strSize(delivery.appId);
  if (delivery.roomId !== undefined) {
    flags |= FLAG_ROOM;
    size += strSize(delivery.roomId);
  }
  if (delivery.excludeSessionId !== undefined) {
    flags |= FLAG_EXCLUDE;
    size += strSize(delivery.excludeSessionId);
  }
  if (delivery.notificationSeq !== undefined) {
    flags |= FLAG_SEQ;
    size += 8;
  }
  if (delivery.priority !== undefined) {
    if (!Number.isInteger(delivery.priority) || delivery.priority < 0 || delivery.priority > 0xff) throw new RangeError(`envelope byte field of ${delivery.priority}`);
    flags |= FLAG_PRIORITY;
    size += 1;
  }
  if (delivery.takeover !== undefined) {
    flags |= FLAG_TAKEOVER;
    size += strSize(delivery.takeover.tag);
  }
  if (delivery.takeover?.deviceId != null) {
    flags |= FLAG_TAKEOVER_DEVICE;
    size += strSize(delivery.takeover.deviceId);
  }
  if (delivery.conversationChanged !== undefined) {
    flags |= FLAG_CHANGED;
    size += strSize(delivery.conversationChanged);
  }
  if (withClients) flags |= FLAG_CLIENTS;
  if (delivery.endSessions === true) flags |= FLAG_END;
  const out = Buffer.allocUnsafe(size);
  out[0] = VERSION;
  out[1] = KIND_DELIVERY;
  out.writeUInt16BE(flags, 2);
  let at = writeStr(out, 4, origin);
  at = writeStr(out, at, delivery.appId);
  if (delivery.roomId !== undefined) at = writeStr(out, at, delivery.roomId);
  if (delivery.excludeSessionId !== undefined) at = writeStr(out, at, delivery.excludeSessionId);
  if (delivery.notificationSeq !== undefined) at = out.writeDoubleBE(delivery.notificationSeq, at);
  if (delivery.priority !== undefined) at = out.writeUInt8(delivery.priority, at);
  if (delivery.takeover !== undefined) at = writeStr(out, at, delivery.takeover.tag);
  if (delivery.takeover?.deviceId != null) at = writeStr(out, at, delivery.takeover.deviceId);
  if (delivery.conversationChanged !== undefined) at = writeStr(out, at, delivery.conversationChanged);
  return out;
}

/** Bytes of a `str` field: its u16 length and its UTF-8; throws past the u16 bound. */
function strSize(value: string): number {
  const length = Buffer.byteLength(value, 'utf8');
  if (length > MAX_STRING_BYTES) throw new RangeError(`envelope string field of ${length} bytes`);
  return 2 + length;
}

/** Writes a `str` field at `at` (sized by strSize); returns where the next field starts. */
function writeStr(out: Buffer, at: number, value: string): number {
  const length = out.write(value, at + 2, 'utf8');
  out.writeUInt16BE(length, at);
  return at + 2 + length;
}

/** A notice that `origin` dropped publications: every node's sessions catch up from the store. */
export function encodeGapNotice(origin: string): Buffer {
  return encodeOriginOnly(KIND_GAP, origin);
}

/** An envelope of `kind` holding no flags and only its origin. */
function encodeOriginOnly(kind: number, origin: string): Buffer {
  const out = Buffer.allocUnsafe(4 + strSize(origin));
  out[0] = VERSION;
  out[1] = kind;
  out.writeUInt16BE(0, 2);
  writeStr(out, 4, origin);
  return out;
}

class Reader {
  /** Reads bytes[offset, end): a batch's deliveries are ranges of one buffer. */
  constructor(
    readonly bytes: Buffer,
    public offset = 0,
    readonly end = bytes.length,
  ) {}

  need(n: number): void {
    if (this.offset + n > this.end) throw new RangeError('short envelope');
  }

  u8(): number {
    this.need(1);
    return this.bytes.readUInt8(this.offset++);
  }

  u16(): number {
    this.need(2);
    const value = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.bytes.readDoubleBE(this.offset);
    this.offset += 8;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  str(): string {
    const length = this.u16();
    this.need(length);
    const value = this.bytes.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  rest(): Uint8Array {
    // A copy: the subscriber's buffer may be a slice of a larger socket read.
    return new Uint8Array(this.bytes.subarray(this.offset, this.end));
  }
}

/**
 * The client list a batch's previous delivery named, kept so that the next
 * one naming the same clients (a group's messages do) shares its array
 * instead of splitting the same bytes again into new strings.
 */
interface LastList {
  start: number;
  end: number;
  ids: string[];
}

/** Parses an envelope; undefined for anything malformed. */
export function decodeEnvelope(bytes: Buffer): Envelope | undefined {
  try {
    const reader = new Reader(bytes);
    if (reader.u8() !== VERSION) return undefined;
    const kind = reader.u8();
    const flags = reader.u16();
    if ((flags & ~KNOWN_FLAGS) !== 0) return undefined;
    const origin = reader.str();
    if (kind === KIND_GAP) return flags === 0 && reader.offset === bytes.length ? { kind: 'gap', origin } : undefined;
    if (kind === KIND_DELIVERY) return { kind: 'delivery', origin, delivery: readDelivery(reader, flags, undefined) };
    if (kind !== KIND_BATCH || flags !== 0) return undefined;
    const deliveries: Delivery[] = [];
    const last: LastList = { start: 0, end: 0, ids: [] };
    while (reader.offset < bytes.length) {
      const length = reader.u32();
      reader.need(length);
      const end = reader.offset + length;
      const inner = new Reader(bytes, reader.offset, end);
      reader.offset = end;
      if (inner.u8() !== VERSION || inner.u8() !== KIND_DELIVERY) return undefined;
      const innerFlags = inner.u16();
      // Only deliveries to clients travel in a batch, all from its origin.
      if ((innerFlags & ~KNOWN_FLAGS) !== 0 || !(innerFlags & FLAG_CLIENTS) || inner.str() !== origin) return undefined;
      deliveries.push(readDelivery(inner, innerFlags, last));
    }
    return deliveries.length > 0 ? { kind: 'batch', origin, deliveries } : undefined;
  } catch {
    return undefined;
  }
}

/** A delivery's fields after its origin, to the end of the reader's range; throws on anything malformed. */
function readDelivery(reader: Reader, flags: number, last: LastList | undefined): Delivery {
  const { bytes } = reader;
  const delivery: Delivery = { appId: reader.str(), clientIds: [], payload: new Uint8Array(0) };
  if (flags & FLAG_ROOM) delivery.roomId = reader.str();
  if (flags & FLAG_EXCLUDE) delivery.excludeSessionId = reader.str();
  if (flags & FLAG_SEQ) {
    const seq = reader.f64();
    if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('bad notification seq');
    delivery.notificationSeq = seq;
  }
  if (flags & FLAG_PRIORITY) delivery.priority = reader.u8();
  if (flags & FLAG_TAKEOVER_DEVICE && !(flags & FLAG_TAKEOVER)) throw new RangeError('takeover device without a tag');
  if (flags & FLAG_TAKEOVER) {
    const tag = reader.str();
    delivery.takeover = { tag, deviceId: flags & FLAG_TAKEOVER_DEVICE ? reader.str() : null };
  }
  if (flags & FLAG_CHANGED) delivery.conversationChanged = reader.str();
  if (flags & FLAG_END) delivery.endSessions = true;
  if (flags & FLAG_CLIENTS) {
    const length = reader.u32();
    reader.need(length);
    const start = reader.offset;
    const end = start + length;
    reader.offset = end;
    if (last !== undefined && length === 0) {
      // In a batch, an empty list is the list of the delivery before it (the fan-out script sends a repeated list once).
      if (last.ids.length === 0) throw new RangeError('a repeated client list with none before it');
      delivery.clientIds = last.ids;
    } else if (last !== undefined && last.end - last.start === length && bytes.compare(bytes, last.start, last.end, start, end) === 0) {
      delivery.clientIds = last.ids;
    } else {
      const list = bytes.toString('utf8', start, end);
      delivery.clientIds = list === '' ? [] : list.split('\n');
      if (last !== undefined) Object.assign(last, { start, end, ids: delivery.clientIds });
    }
  }
  delivery.payload = reader.rest();
  return delivery;
}
