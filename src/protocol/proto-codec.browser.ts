/**
 * `proto-codec.ts` in browser bundles (package.json `"browser"`): the same
 * codec, the same bytes and the same decoded messages, written for size
 * rather than the server's speed. A browser encodes and decodes a few
 * commands a second; the Node codec's slab allocator, hand-written UTF-8,
 * field sorting stack and Buffer paths are for a server's thousands, and
 * were the largest module of an app's bundle after the SDK's own logic.
 *
 * What callers see is proto-codec.ts's contract (its comment says it in
 * full): present fields own, absent scalars read as defaults through the
 * prototype, repeated fields own arrays, absent messages `null`, int64 as
 * numbers, `bytes` as views; fields written in number order, required ones
 * always; the same throws on malformed bytes. test/browser-codec.test.ts
 * holds this module to the Node codec's bytes and values, and to
 * protobufjs's, as test/proto-codec.test.ts holds the Node one.
 *
 * No `eval` or `new Function`: it runs under a strict CSP.
 */
import { parseSchema, type SchemaTable } from './proto-schema.js';

export { protoEnum, parseSchema, type FieldRow, type ProtoEnum, type SchemaTable } from './proto-schema.js';

type Fields = Record<string, unknown>;
type Int64 = number | bigint | string | { low: number; high: number };

/** One field: number, name, type (`s y i l b`, or the message's type once resolved), label (1 required, 2 repeated). */
type Field = [no: number, name: string, type: string | MessageType, label: number];

/** A message type compiled from its table row. */
export class MessageType {
  /** Fields by number, for the decoder. */
  readonly byNo: (Field | undefined)[] = [];
  /** Makes an empty decoded message: defaults on its prototype, repeated fields as own arrays. */
  readonly Decoded: new () => Fields;

  constructor(
    readonly name: string,
    /** In field-number order, as the encoder writes them. */
    readonly fields: Field[],
    defaults: Fields,
  ) {
    for (const field of fields) this.byNo[field[0]] = field;
    const repeated = fields.filter((field) => field[3] === 2);
    const Decoded = function (this: Fields) {
      for (const field of repeated) this[field[1]] = [];
    } as unknown as new () => Fields;
    // Not enumerable, as in the Node codec: a decoded message's keys are its present fields.
    for (const [name, value] of Object.entries(defaults)) Object.defineProperty(Decoded.prototype, name, { value, writable: true });
    this.Decoded = Decoded;
  }
}

const EMPTY_BYTES = new Uint8Array(0);
/** The zero value of each scalar type: what an absent field reads as, and what a missing required one is written as. */
const ZERO: Record<string, unknown> = { s: '', y: EMPTY_BYTES, i: 0, l: 0, b: false };

/** Compiles a schema table into message types by name. */
export function compileSchema(table: SchemaTable): Record<string, MessageType> {
  const types: Record<string, MessageType> = {};
  const rows = Object.entries(parseSchema(table));
  for (const [name, fields] of rows) {
    const defaults: Fields = {};
    for (const [, fieldName, type, label, fallback] of fields) {
      if (label !== 2) defaults[fieldName] = type in ZERO ? (type === 'i' || type === 'l' ? fallback : ZERO[type]) : null;
    }
    types[name] = new MessageType(name, fields.map(([no, fieldName, type, label]) => [no, fieldName, type, label]), defaults);
  }
  for (const type of Object.values(types)) {
    for (const field of type.fields) {
      const typeName = field[2] as string;
      if (typeName in ZERO) continue;
      const resolved = types[typeName];
      if (!resolved) throw new Error(`${field[1]}: unknown message type ${typeName}`);
      field[2] = resolved;
    }
  }
  return types;
}

/** The wire type of a field's type: varint for numbers and booleans, else length-delimited. */
const wireType = (type: Field[2]): number => (type === 'i' || type === 'l' || type === 'b' ? 0 : 2);

/* ------------------------------------------------------------------ decode */

/** Thrown for a decoded message that lacks a required field. */
export class MissingFieldError extends Error {
  override name = 'MissingFieldError';
}

let input: Uint8Array = EMPTY_BYTES;
let pos = 0;
/** The end of the message being read: a nested message's, while it is read. */
let end = 0;
/** Keeps a leading U+FEFF, as Node's Buffer and protobufjs read it (TextDecoder drops it by default). */
const textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

function outOfRange(length: number): RangeError {
  return new RangeError(`index out of range: ${pos} + ${length} > ${end}`);
}

/** Reads a varint of at most 10 bytes, all its bits (callers keep 32 or 64 of them). */
function readVarint64(): bigint {
  let value = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (pos >= end) throw outOfRange(1);
    const byte = input[pos++]!;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return value;
    if (shift === 63n) throw new RangeError('a varint longer than 10 bytes');
  }
}

/** A varint's low 32 bits, unsigned. */
const readVarint = (): number => Number(BigInt.asUintN(32, readVarint64()));

/** Reads a length prefix and returns where the bytes it announces end. */
function readLength(): number {
  const length = readVarint();
  if (pos + length > end) throw outOfRange(length);
  return pos + length;
}

/** Skips a field of an unknown number (or of an unexpected wire type). */
function skipField(wire: number): void {
  if (wire === 0) readVarint64();
  else if (wire === 3) {
    // A group (deprecated, never in this schema): skip to its end, groups within it too.
    for (let depth = 1; depth > 0; ) {
      const inner = readVarint() & 7;
      if (inner === 4) depth--;
      else if (inner === 3) {
        if (++depth > 100) throw new RangeError('groups nested too deep');
      } else skipField(inner);
    }
  } else {
    const length = wire === 1 ? 8 : wire === 5 ? 4 : wire === 2 ? readLength() - pos : -1;
    if (length < 0) throw new RangeError(`invalid wire type ${wire} at offset ${pos}`);
    if (pos + length > end) throw outOfRange(length);
    pos += length;
  }
}

function readMessage(type: MessageType): Fields {
  const message = new type.Decoded();
  while (pos < end) {
    const key = readVarint();
    const field = type.byNo[key >>> 3];
    if (field === undefined || (key & 7) !== wireType(field[2])) {
      skipField(key & 7);
      continue;
    }
    const [, name, fieldType, label] = field;
    let value: unknown;
    if (fieldType === 'i') value = readVarint() | 0;
    else if (fieldType === 'l') value = Number(BigInt.asIntN(64, readVarint64()));
    else if (fieldType === 'b') value = readVarint() !== 0;
    else {
      const stop = readLength();
      if (fieldType === 's') value = textDecoder.decode(input.subarray(pos, stop));
      else if (fieldType === 'y') value = input.subarray(pos, stop);
      else {
        const outer = end;
        end = stop;
        value = readMessage(fieldType as MessageType);
        end = outer;
      }
      pos = stop;
    }
    if (label === 2) (message[name] as unknown[]).push(value);
    else message[name] = value;
  }
  for (const [, name, , label] of type.fields) {
    if (label === 1 && !Object.prototype.hasOwnProperty.call(message, name)) throw new MissingFieldError(`missing required '${name}' in ${type.name}`);
  }
  return message;
}

/** Decodes the whole of `bytes` as one message of `type`; throws on malformed bytes. */
export function decodeMessage(type: MessageType, bytes: Uint8Array): Fields {
  input = bytes;
  pos = 0;
  end = bytes.length;
  try {
    return readMessage(type);
  } finally {
    // Hold no reference to the caller's frame between calls.
    input = EMPTY_BYTES;
  }
}

/* ------------------------------------------------------------------ encode */

const textEncoder = new TextEncoder();

/**
 * A message being written: single bytes (keys, varints) as numbers, and
 * runs of bytes (strings, bytes, nested messages) as they are, copied once
 * into the message's buffer at the end.
 */
type Parts = (number | ArrayLike<number>)[];

/** Appends a varint: unsigned, at most 64 bits. */
function writeVarint(out: Parts, value: bigint | number): void {
  let rest = BigInt(value);
  for (; rest > 0x7fn; rest >>= 7n) out.push(Number(rest & 0x7fn) | 0x80);
  out.push(Number(rest));
}

function writeBytes(out: Parts, bytes: ArrayLike<number>): void {
  writeVarint(out, bytes.length);
  out.push(bytes);
}

/**
 * An int64's 64 bits. A number is taken as protobufjs's LongBits.fromNumber
 * took it (truncated; not finite is 0); a Long (`{ low, high }`), a bigint
 * or a decimal string give all 64 bits.
 */
function uint64(value: Int64): bigint {
  if (typeof value === 'object') return BigInt.asUintN(64, (BigInt(value.high | 0) << 32n) | BigInt(value.low >>> 0));
  return BigInt.asUintN(64, BigInt(typeof value === 'number' ? (Number.isFinite(value) ? Math.trunc(value) : 0) : value));
}

function writeValue(out: Parts, type: Field[2], value: unknown): void {
  if (type === 'i') writeVarint(out, BigInt.asUintN(64, BigInt((value as number) | 0)));
  else if (type === 'l') writeVarint(out, uint64(value as Int64));
  else if (type === 'b') out.push(value ? 1 : 0);
  else if (type === 's') writeBytes(out, textEncoder.encode(value as string));
  else if (type === 'y') writeBytes(out, value as Uint8Array);
  else writeBytes(out, encodeMessage(type as MessageType, value as Fields));
}

/** The parts as one buffer. */
function join(parts: Parts): Uint8Array {
  let length = 0;
  for (const part of parts) length += typeof part === 'number' ? 1 : part.length;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    if (typeof part === 'number') bytes[at++] = part;
    else {
      bytes.set(part, at);
      at += part.length;
    }
  }
  return bytes;
}

/**
 * Encodes `message` as `type`: its fields in field-number order, its own
 * non-null properties that are fields of the type, and every required field
 * (its zero value, or an empty message, when unset) so the official SDKs'
 * decoders accept the message.
 */
export function encodeMessage(type: MessageType, message: object): Uint8Array {
  const out: Parts = [];
  for (const [no, name, fieldType, label] of type.fields) {
    let value = Object.prototype.hasOwnProperty.call(message, name) ? (message as Fields)[name] : null;
    if (value == null) {
      if (label !== 1) continue;
      value = typeof fieldType === 'string' ? ZERO[fieldType] : {};
    }
    for (const item of label === 2 ? (value as unknown[]) : [value]) {
      writeVarint(out, (no << 3) | wireType(fieldType));
      writeValue(out, fieldType, item);
    }
  }
  return join(out);
}

/** The bytes of one string field: a key and the string, to append to an encoded message. */
export function encodeStringField(no: number, text: string): Uint8Array {
  const out: Parts = [];
  writeVarint(out, (no << 3) | 2);
  writeValue(out, 's', text);
  return join(out);
}

/* ------------------------------------------------------------------ base64 */

/** Standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In chunks: a function takes only so many arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
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
  return Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
}
