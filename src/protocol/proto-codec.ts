/**
 * A small table-driven protobuf (proto2) codec: the schema is data
 * (`generated/message.ts`, made from message.proto by scripts/gen-proto.mjs)
 * and one encoder and one decoder walk it. It replaces protobufjs's generated
 * static code, which was most of the SDK's size, and keeps what callers saw
 * of it:
 *
 * - a decoded message has its present fields as own properties and reads an
 *   absent scalar as its default through its prototype, so `has()` tells
 *   presence; repeated fields are always own arrays; an absent nested
 *   message reads as `null`; int64 reads as a number; `bytes` is a view into
 *   the decoded buffer (a Buffer when it was one), not a copy;
 * - encoding writes fields in field-number order, optional ones only when set
 *   as own non-null properties, required ones always: the bytes protobufjs
 *   wrote, so the official SDKs' decoders (which enforce the required
 *   fields) read them;
 * - decoding throws on malformed bytes: a truncated varint, a length that
 *   runs past the end of its message (strings included), a varint longer
 *   than 10 bytes, wire types 4, 6 and 7, a missing required field. Unknown
 *   fields are skipped, and so is a known field that arrives with another
 *   wire type than its own (as the protobuf spec says of unknown fields).
 *
 * No `eval` or `new Function`: it runs under a strict CSP.
 */
import { NodeBuffer, type NodeBufferLike } from './node-buffer.js';
import { parseSchema, type SchemaTable } from './proto-schema.js';

export { protoEnum, parseSchema, type FieldRow, type ProtoEnum, type SchemaTable } from './proto-schema.js';

const INT32 = 0;
const INT64 = 1;
const BOOL = 2;
const STRING = 3;
const BYTES = 4;
const MESSAGE = 5;
const KINDS: Record<string, number> = { i: INT32, l: INT64, b: BOOL, s: STRING, y: BYTES };

const REQUIRED = 1;
const REPEATED = 2;

type Fields = Record<string, unknown>;

class Field {
  /** The field's key as it is on the wire: number and wire type. */
  readonly key: number;
  /** For a message field: the bytes its length took the last time it was written. */
  lengthBytes = 1;
  constructor(
    readonly no: number,
    readonly name: string,
    readonly kind: number,
    readonly label: number,
    /** The message type of a MESSAGE field, resolved once every type exists. */
    public type: MessageType | null,
  ) {
    this.key = (no << 3) | (kind === INT32 || kind === INT64 || kind === BOOL ? 0 : 2);
  }
}

/** A message type compiled from its table row. */
export class MessageType {
  /** Fields by number, for the decoder (numbers are small: at most 116 here). */
  readonly byNo: (Field | undefined)[] = [];
  /** Fields by name, for the encoder. */
  readonly byName: Record<string, Field | undefined> = Object.create(null);
  readonly required: Field[];
  /** Makes an empty decoded message: defaults on its prototype, repeated fields as own arrays. */
  readonly Decoded: new () => Fields;

  constructor(
    readonly name: string,
    readonly fields: Field[],
    defaults: Fields,
  ) {
    for (const field of fields) {
      this.byNo[field.no] = field;
      this.byName[field.name] = field;
    }
    this.required = fields.filter((field) => field.label === REQUIRED);
    const repeated = fields.filter((field) => field.label === REPEATED).map((field) => field.name);
    // One constructor per type, so each type's decoded objects share their shapes.
    const Decoded = function (this: Fields) {
      for (let i = 0; i < repeated.length; i++) this[repeated[i]!] = [];
    } as unknown as new () => Fields;
    // Not enumerable: the encoder walks a message's keys with for…in.
    for (const [name, value] of Object.entries(defaults)) Object.defineProperty(Decoded.prototype, name, { value, writable: true });
    this.Decoded = Decoded;
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/** Compiles a schema table into message types by name. */
export function compileSchema(table: SchemaTable): Record<string, MessageType> {
  const types: Record<string, MessageType> = {};
  const pending: [Field, string][] = [];
  for (const [name, rows] of Object.entries(parseSchema(table))) {
    const defaults: Fields = {};
    const fields = rows.map(([no, fieldName, typeName, label, fallback]) => {
      const kind = KINDS[typeName] ?? MESSAGE;
      const field = new Field(no, fieldName, kind, label, null);
      if (kind === MESSAGE) pending.push([field, typeName]);
      if (label !== REPEATED) {
        defaults[fieldName] = kind === MESSAGE ? null : kind === STRING ? '' : kind === BOOL ? false : kind === BYTES ? EMPTY_BYTES : fallback;
      }
      return field;
    });
    types[name] = new MessageType(name, fields, defaults);
  }
  for (const [field, typeName] of pending) {
    field.type = types[typeName] ?? null;
    if (!field.type) throw new Error(`${field.name}: unknown message type ${typeName}`);
  }
  return types;
}

/* ------------------------------------------------------------------ decode */

/** Thrown for a decoded message that lacks a required field. */
export class MissingFieldError extends Error {
  override name = 'MissingFieldError';
}

let input: Uint8Array = EMPTY_BYTES;
/** The input when it is a Node Buffer: it decodes its strings natively, faster than any other way there. */
let nodeInput: NodeBufferLike | null = null;
let pos = 0;
/** The end of the message being read: a nested message's, while it is read. */
let end = 0;
const textDecoder = new TextDecoder();

function outOfRange(length: number): RangeError {
  return new RangeError(`index out of range: ${pos} + ${length} > ${end}`);
}

/** Reads a varint (at most 10 bytes) and returns its low 32 bits, unsigned. */
function readVarint(): number {
  if (pos >= end) throw outOfRange(1);
  let byte = input[pos++]!;
  if (byte < 0x80) return byte;
  let value = byte & 0x7f;
  for (let shift = 7; ; shift += 7) {
    if (pos >= end) throw outOfRange(1);
    byte = input[pos++]!;
    if (shift < 32) value |= (byte & 0x7f) << shift;
    if (byte < 0x80) return value >>> 0;
    if (shift === 63) throw new RangeError('a varint longer than 10 bytes');
  }
}

/**
 * Reads an int64 varint as a number, exact below 2^53 (timestamps in ms),
 * as Long's `toNumber()` gave it: high word signed, low word unsigned.
 */
function readInt64(): number {
  let low = 0;
  let high = 0;
  for (let i = 0; ; i++) {
    if (pos >= end) throw outOfRange(1);
    const byte = input[pos++]!;
    if (i < 4) low |= (byte & 0x7f) << (7 * i);
    else if (i === 4) {
      low |= (byte & 0x0f) << 28;
      high = (byte & 0x7f) >> 4;
    } else high |= (byte & 0x7f) << (7 * i - 32);
    if (byte < 0x80) return (high | 0) * 4294967296 + (low >>> 0);
    if (i === 9) throw new RangeError('a varint longer than 10 bytes');
  }
}

/** Reads a length prefix and returns where the bytes it announces end. */
function readLength(): number {
  const length = readVarint();
  if (pos + length > end) throw outOfRange(length);
  return pos + length;
}

function readString(): string {
  const stop = readLength();
  const start = pos;
  pos = stop;
  if (nodeInput !== null) return nodeInput.utf8Slice(start, stop);
  // Short ASCII (ids, names) is quicker built here than through TextDecoder.
  if (stop - start < 24) {
    let text = '';
    for (let i = start; i < stop; i++) {
      const byte = input[i]!;
      if (byte >= 0x80) return textDecoder.decode(input.subarray(start, stop));
      text += String.fromCharCode(byte);
    }
    return text;
  }
  return textDecoder.decode(input.subarray(start, stop));
}

function skip(length: number): void {
  if (pos + length > end) throw outOfRange(length);
  pos += length;
}

/** Skips a field of an unknown number (or of an unexpected wire type). */
function skipField(wireType: number): void {
  switch (wireType) {
    case 0:
      readVarint();
      return;
    case 1:
      return skip(8);
    case 2:
      return skip(readLength() - pos);
    case 5:
      return skip(4);
    case 3: {
      // A group (deprecated, never in this schema): skip to its end, groups within it too.
      for (let depth = 1; depth > 0; ) {
        const wire = readVarint() & 7;
        if (wire === 4) depth--;
        else if (wire === 3) {
          if (++depth > 100) throw new RangeError('groups nested too deep');
        } else skipField(wire);
      }
      return;
    }
    default:
      throw new RangeError(`invalid wire type ${wireType} at offset ${pos}`);
  }
}

function readMessage(type: MessageType): Fields {
  const message = new type.Decoded();
  const byNo = type.byNo;
  while (pos < end) {
    const key = readVarint();
    const no = key >>> 3;
    const field = no < byNo.length ? byNo[no] : undefined;
    if (field === undefined || field.key !== key) {
      skipField(key & 7);
      continue;
    }
    let value: unknown;
    switch (field.kind) {
      case INT32:
        value = readVarint() | 0;
        break;
      case STRING:
        value = readString();
        break;
      case INT64:
        value = readInt64();
        break;
      case BOOL:
        value = readVarint() !== 0;
        break;
      case BYTES: {
        const stop = readLength();
        value = input.subarray(pos, stop);
        pos = stop;
        break;
      }
      default: {
        const stop = readLength();
        const outer = end;
        end = stop;
        value = readMessage(field.type!);
        end = outer;
      }
    }
    if (field.label === REPEATED) (message[field.name] as unknown[]).push(value);
    else message[field.name] = value;
  }
  for (const field of type.required) {
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) throw new MissingFieldError(`missing required '${field.name}' in ${type.name}`);
  }
  return message;
}

/** Decodes the whole of `bytes` as one message of `type`; throws on malformed bytes. */
export function decodeMessage(type: MessageType, bytes: Uint8Array): Fields {
  input = bytes;
  if (NodeBuffer) nodeInput = typeof (bytes as Partial<NodeBufferLike>).utf8Slice === 'function' ? (bytes as NodeBufferLike) : null;
  pos = 0;
  end = bytes.length;
  try {
    return readMessage(type);
  } finally {
    // Hold no reference to the caller's frame between calls.
    input = EMPTY_BYTES;
    if (NodeBuffer) nodeInput = null;
  }
}

/* ------------------------------------------------------------------ encode */

/**
 * Messages are written one after another into a slab and returned as views
 * of it, never copied: the way Node pools its small Buffers (and protobufjs
 * returned them). A view keeps its slab alive, as a pooled Buffer does.
 * Under Node the slab is a Buffer, so the views are Buffers and long strings
 * go through its native UTF-8 writer, quicker there than TextEncoder.
 */
const SLAB_BYTES = 8192;
/** A message starts in a fresh slab when less than this is left of the current one. */
const SLAB_RESERVE = 512;

const allocate = (size: number): Uint8Array => (NodeBuffer ? NodeBuffer.allocUnsafeSlow(size) : new Uint8Array(size));

let slab: Uint8Array = EMPTY_BYTES;
/** How much of the slab earlier messages hold. */
let slabUsed = 0;
/**
 * Where the message being written goes (the slab, or a buffer of its own
 * once it outgrows what is left of the slab), where it starts there, and
 * where its next byte goes. Positions kept while writing (where a length
 * goes) are kept as offsets from `start`, since the message may move.
 */
let out: Uint8Array = EMPTY_BYTES;
let start = 0;
let at = 0;
const textEncoder = new TextEncoder();

/** Starts a message at the end of the slab, or in a new slab. */
function begin(): void {
  if (slab.length - slabUsed < SLAB_RESERVE) {
    slab = allocate(SLAB_BYTES);
    slabUsed = 0;
  }
  out = slab;
  start = at = slabUsed;
}

/** Makes room for `bytes` more: a message that outgrows the slab moves to a buffer of its own. */
function ensure(bytes: number): void {
  if (at + bytes <= out.length) return;
  const used = at - start;
  let size = Math.max(SLAB_BYTES, 2 * used);
  while (size < used + bytes) size *= 2;
  const grown = allocate(size);
  grown.set(out.subarray(start, at));
  out = grown;
  start = 0;
  at = used;
}

/** The message just written, as a view of the slab or of its own buffer. */
function finish(): Uint8Array {
  if (out === slab) slabUsed = at;
  return out.subarray(start, at);
}

/** Writes an unsigned varint below 2^32 (capacity already ensured). */
function writeVarint(value: number): void {
  const bytes = out;
  let p = at;
  for (; value > 0x7f; value >>>= 7) bytes[p++] = (value & 0x7f) | 0x80;
  bytes[p++] = value;
  at = p;
}

/** Writes a 64-bit varint from two's-complement words (capacity already ensured). */
function writeVarint64(low: number, high: number): void {
  while (high) {
    out[at++] = (low & 0x7f) | 0x80;
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
  }
  writeVarint(low);
}

/** An int32 (or enum): negative values take 10 bytes, as the spec says. */
function writeInt32(value: number): void {
  value |= 0;
  if (value < 0) writeVarint64(value >>> 0, 0xffffffff);
  else writeVarint(value);
}

/**
 * An int64. A number is taken as protobufjs's LongBits.fromNumber took it;
 * a Long (`{ low, high }`), a bigint or a decimal string give all 64 bits.
 */
function writeInt64(value: number | bigint | string | { low: number; high: number }): void {
  if (typeof value !== 'number') {
    if (typeof value === 'object') return writeVarint64(value.low >>> 0, value.high >>> 0);
    const bits = BigInt.asUintN(64, BigInt(value));
    return writeVarint64(Number(bits & 0xffffffffn), Number(bits >> 32n));
  }
  const negative = value < 0;
  if (negative) value = -value;
  let low = value >>> 0;
  let high = ((value - low) / 4294967296) >>> 0;
  if (negative) {
    high = ~high >>> 0;
    low = ~low >>> 0;
    if (++low > 0xffffffff) {
      low = 0;
      if (++high > 0xffffffff) high = 0;
    }
  }
  writeVarint64(low, high);
}

/**
 * Ends a length-delimited field whose content was written after `reserved`
 * bytes left for its length, `mark` bytes into the message: moves the
 * content when its length needs another number of bytes. Returns how many
 * it needed.
 */
function endDelimited(mark: number, reserved: number): number {
  let length = at - start - mark - reserved;
  const needed = length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : length < 0x10000000 ? 4 : 5;
  if (needed !== reserved) {
    ensure(needed - reserved);
    out.copyWithin(start + mark + needed, start + mark + reserved, at);
    at += needed - reserved;
  }
  let position = start + mark;
  for (; length > 0x7f; length >>>= 7) out[position++] = (length & 0x7f) | 0x80;
  out[position] = length;
  return needed;
}

/** UTF-8 of a string; a lone surrogate becomes U+FFFD, as TextEncoder and Node's Buffer write it. */
function writeString(text: string): void {
  const units = text.length;
  if (units > 40) {
    if (NodeBuffer) {
      // Node knows the length at once: no room to reserve, no bytes to move.
      const length = NodeBuffer.byteLength(text);
      ensure(5 + length);
      writeVarint(length);
      at += (out as NodeBufferLike).utf8Write(text, at, length);
    } else {
      ensure(6 + 3 * units);
      const mark = at++ - start;
      at += textEncoder.encodeInto(text, out.subarray(at)).written;
      endDelimited(mark, 1);
    }
    return;
  }
  // At most 120 bytes: the length is one byte. Locals, not the module's variables, in the loop.
  ensure(1 + 3 * units);
  const bytes = out;
  const lengthAt = at;
  let p = at + 1;
  for (let i = 0; i < units; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) bytes[p++] = code;
    else if (code < 0x800) {
      bytes[p++] = (code >> 6) | 0xc0;
      bytes[p++] = (code & 0x3f) | 0x80;
    } else {
      if ((code & 0xf800) === 0xd800) {
        const next = text.charCodeAt(i + 1);
        if (code < 0xdc00 && (next & 0xfc00) === 0xdc00) {
          code = 0x10000 + ((code & 0x3ff) << 10) + (next & 0x3ff);
          i++;
          bytes[p++] = (code >> 18) | 0xf0;
          bytes[p++] = ((code >> 12) & 0x3f) | 0x80;
          bytes[p++] = ((code >> 6) & 0x3f) | 0x80;
          bytes[p++] = (code & 0x3f) | 0x80;
          continue;
        }
        code = 0xfffd;
      }
      bytes[p++] = (code >> 12) | 0xe0;
      bytes[p++] = ((code >> 6) & 0x3f) | 0x80;
      bytes[p++] = (code & 0x3f) | 0x80;
    }
  }
  bytes[lengthAt] = p - lengthAt - 1;
  at = p;
}

function writeValue(field: Field, value: unknown): void {
  ensure(20);
  writeVarint(field.key);
  switch (field.kind) {
    case INT32:
      return writeInt32(value as number);
    case STRING:
      return writeString(value as string);
    case INT64:
      return writeInt64(value as number | bigint | string | { low: number; high: number });
    case BOOL:
      out[at++] = value ? 1 : 0;
      return;
    case BYTES: {
      const bytes = value as Uint8Array;
      ensure(5 + bytes.length);
      writeVarint(bytes.length);
      out.set(bytes, at);
      at += bytes.length;
      return;
    }
    default: {
      // As many bytes for the length as this field needed last time: a field
      // that holds large messages (a query's results) then moves none.
      const mark = at - start;
      at += field.lengthBytes;
      writeMessage(field.type!, value as Fields);
      field.lengthBytes = endDelimited(mark, field.lengthBytes);
    }
  }
}

const ZERO_VALUES = [0, 0, false, '', EMPTY_BYTES];
/** The fields and values of the messages being written, innermost last (see writeMessage). */
const pendingFields: Field[] = [];
const pendingValues: unknown[] = [];
let pendingTop = 0;

/**
 * Writes the fields of `message` in field-number order. It walks the
 * message's own keys rather than the schema's fields: a command sets a few
 * of its type's many fields (3 of GenericCommand's 25, say), and looking up
 * each absent one by name is what made a walk of the schema slow.
 */
function writeMessage(type: MessageType, message: Fields): void {
  const byName = type.byName;
  // This message's fields are pendingFields[base…top): a stack shared by the nested messages written meanwhile.
  const base = pendingTop;
  let sorted = true;
  for (const name in message) {
    // Own properties only: a decoded message of protobufjs has its defaults on its prototype.
    if (!Object.prototype.hasOwnProperty.call(message, name)) continue;
    const field = byName[name];
    const value = message[name];
    if (field === undefined || value == null) continue;
    if (pendingTop > base && pendingFields[pendingTop - 1]!.no > field.no) sorted = false;
    pendingFields[pendingTop] = field;
    pendingValues[pendingTop++] = value;
  }
  const required = type.required;
  for (let r = 0; r < required.length; r++) {
    const field = required[r]!;
    let found = false;
    for (let i = base; i < pendingTop && !found; i++) found = pendingFields[i] === field;
    if (found) continue;
    // A required field is always written, so the official SDKs' decoders accept the message.
    if (pendingTop > base && pendingFields[pendingTop - 1]!.no > field.no) sorted = false;
    pendingFields[pendingTop] = field;
    pendingValues[pendingTop++] = field.kind === MESSAGE ? {} : ZERO_VALUES[field.kind];
  }
  const top = pendingTop;
  if (!sorted) {
    // Insertion sort: a handful of fields, mostly in order already.
    for (let i = base + 1; i < top; i++) {
      const field = pendingFields[i]!;
      const value = pendingValues[i];
      let j = i - 1;
      for (; j >= base && pendingFields[j]!.no > field.no; j--) {
        pendingFields[j + 1] = pendingFields[j]!;
        pendingValues[j + 1] = pendingValues[j];
      }
      pendingFields[j + 1] = field;
      pendingValues[j + 1] = value;
    }
  }
  for (let i = base; i < top; i++) {
    const field = pendingFields[i]!;
    const value = pendingValues[i];
    if (field.label === REPEATED) {
      const list = value as unknown[];
      for (let j = 0; j < list.length; j++) writeValue(field, list[j]);
    } else writeValue(field, value);
  }
  for (let i = base; i < top; i++) pendingValues[i] = undefined;
  pendingTop = base;
}

/** Encodes `message` as `type`. */
export function encodeMessage(type: MessageType, message: object): Uint8Array {
  begin();
  pendingTop = 0;
  writeMessage(type, message as Fields);
  return finish();
}

/** The bytes of one string field: a key and the string, to append to an encoded message. */
export function encodeStringField(no: number, text: string): Uint8Array {
  begin();
  ensure(5);
  writeVarint((no << 3) | 2);
  writeString(text);
  return finish();
}

/**
 * The codec's own writers, for an encoder of a fixed shape on a hot path
 * (the server's acks and pushes of stored messages: handlers/direct-frames.ts)
 * that knows its field keys and order and so skips the walk over a
 * command's keys. The bytes are the codec's, in its slab: call `begin`,
 * write the fields in number order, then `finish`.
 */
export const fixedShapeWriter = {
  begin,
  finish,
  /** A key, or an unsigned value below 2^32. */
  varint(value: number): void {
    ensure(5);
    writeVarint(value);
  },
  int32(value: number): void {
    ensure(10);
    writeInt32(value);
  },
  int64(value: number): void {
    ensure(10);
    writeInt64(value);
  },
  /** A string field: its key, then the string. */
  string(key: number, text: string): void {
    ensure(5);
    writeVarint(key);
    writeString(text);
  },
  /** Opens a length-delimited field (its key, room for its length); returns what `close` takes. */
  open(key: number): number {
    ensure(7);
    writeVarint(key);
    const mark = at - start;
    at += 2;
    return mark;
  },
  close(mark: number): void {
    endDelimited(mark, 2);
  },
};

/* ------------------------------------------------------------------ base64 */

/**
 * Standard base64 with padding. (The Node checks here are ternaries, not
 * `if`s: esbuild folds those away in browser bundles, where NodeBuffer is
 * undefined, but may keep an `if`.)
 */
export function bytesToBase64(bytes: Uint8Array): string {
  return NodeBuffer ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : btoa(binaryString(bytes));
}

/** Bytes as a string of the characters U+0000 to U+00FF, as `btoa` takes them. */
function binaryString(bytes: Uint8Array): string {
  let binary = '';
  // In chunks: a function takes only so many arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return binary;
}

/**
 * Base64 to bytes; padding may be left out (or short, as protobufjs took
 * it). Throws on any other character, on `=` anywhere but the end, and on
 * a length no bytes can have.
 */
export function base64ToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error('invalid base64');
  const data = text.replace(/=+$/, '');
  if (data.length % 4 === 1) throw new Error('invalid base64');
  return NodeBuffer ? NodeBuffer.from(data, 'base64') : Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
}
