/**
 * Our table-driven codec (src/protocol/proto-codec.ts) against the
 * protobufjs static code it replaced (test/helpers/protobufjs-reference.js,
 * generated from the same message.proto): random commands of every message
 * type encode to the same bytes, and each side decodes the other's bytes to
 * the same values, presence and defaults. Then the decoder's guarantees one
 * by one: what it throws on, what it skips, what a decoded command looks like.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import $protobuf from 'protobufjs/minimal.js';
import { SCHEMA } from '../src/protocol/generated/message.js';
import { CommandType, OpType, base64ToBytes, bytesToBase64, decodeCommand, encodeCommand, has, peerIdField, withPeerId, type Command } from '../src/protocol/codec.js';
import { parseSchema } from '../src/protocol/proto-codec.js';
import { push_server } from './helpers/protobufjs-reference.js';

const Reference = push_server.messages2.GenericCommand;
const MESSAGES = parseSchema(SCHEMA);
const referenceEncode = (command: Command) => Reference.encode(command).finish();
const referenceDecode = (bytes: Uint8Array) => Reference.decode(bytes) as unknown as Record<string, unknown>;

/** A small seeded generator (mulberry32), so a failure can be replayed: the seed is in the test's name. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof random>;

const PIECES = ['a', 'Z', '0', ' ', '"', '{', 'é', 'ß', '文', '字', '😀', '🚉', '\u0000', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '\ud7ff', '\ue000'];

/** Strings of every UTF-8 length class, short and long (the encoder has a path for each). */
function randomString(rng: Random): string {
  const length = rng.pick([0, 1, 5, 24, 40, 41, 64, 127, 128, 300, 5000]);
  let text = '';
  const ascii = rng.next() < 0.4;
  while (text.length < length) text += ascii ? String.fromCharCode(32 + rng.int(95)) : rng.pick(PIECES);
  return text;
}

function randomInt32(rng: Random): number {
  return rng.pick([0, 1, -1, 127, 128, 16383, 16384, 2 ** 31 - 1, -(2 ** 31), rng.int(1000), -rng.int(1000), rng.int(2 ** 31)]);
}

function randomInt64(rng: Random): number {
  return rng.pick([0, 1, -1, 2 ** 32 - 1, 2 ** 32, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_795_714_458_725 + rng.int(1e9), -rng.int(2 ** 40)]);
}

function randomBytes(rng: Random): Uint8Array {
  const bytes = new Uint8Array(rng.pick([0, 1, 3, 127, 128, 1000]));
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
  return bytes;
}

function randomValue(rng: Random, type: string, depth: number): unknown {
  switch (type) {
    case 's':
      return randomString(rng);
    case 'i':
      return randomInt32(rng);
    case 'l':
      return randomInt64(rng);
    case 'b':
      return rng.next() < 0.5;
    case 'y':
      return randomBytes(rng);
    default:
      return randomMessage(rng, type, depth + 1);
  }
}

/** A message of `type` with a random subset of its fields (its required ones always), in random key order. */
function randomMessage(rng: Random, type: string, depth = 0): Record<string, unknown> {
  const rows = [...MESSAGES[type]!];
  // Key order must not matter: fields are written by number.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  const message: Record<string, unknown> = {};
  for (const [, name, fieldType, label] of rows) {
    const nested = fieldType.length > 1;
    if (label !== 1 && rng.next() < (nested ? (depth === 0 ? 0.15 : 0.3) : 0.45)) continue;
    if (label === 2) message[name] = Array.from({ length: rng.int(4) }, () => randomValue(rng, fieldType, depth));
    else if (label !== 1 && rng.next() < 0.05) message[name] = null; // null is "absent", as protobufjs took it
    else message[name] = randomValue(rng, fieldType, depth);
  }
  return message;
}

/** Every field of a decoded message as plain data: value (own or default), and whether it is own. */
function view(message: unknown, type: string): unknown {
  const record = message as Record<string, unknown>;
  return MESSAGES[type]!.map(([, name, fieldType, label]) => {
    const value = record[name];
    const own = Object.prototype.hasOwnProperty.call(record, name);
    const nested = fieldType.length > 1;
    const plain = (item: unknown): unknown => (nested ? (item === null ? null : view(item, fieldType)) : item instanceof Uint8Array ? [...item] : item);
    return [name, own, label === 2 ? (value as unknown[]).map(plain) : plain(value)];
  });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/**
 * Equal bytes, or a failure naming the first difference: assert's own diff
 * of two long hex strings takes minutes.
 */
function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (Buffer.from(actual).equals(Buffer.from(expected))) return;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  assert.fail(`${what}: ${actual.length} bytes against ${expected.length}, first difference at ${at}: ${hex(actual.subarray(at, at + 16))} against ${hex(expected.subarray(at, at + 16))}`);
}

/** Deeply equal, or a failure with both sides cut short (same reason). */
function sameView(actual: unknown, expected: unknown, what: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  const brief = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' && item.length > 40 ? `${item.slice(0, 40)}…(${item.length})` : item));
  assert.fail(`${what}:\n  ${brief(actual)}\n  ${brief(expected)}`);
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`random commands (seed ${seed}): the same bytes as protobufjs, and each decodes the other's bytes alike`, () => {
    const rng = random(seed);
    for (let n = 0; n < 150; n++) {
      const command = randomMessage(rng, 'GenericCommand') as Command;
      const ours = encodeCommand(command);
      const theirs = referenceEncode(command);
      sameBytes(ours, theirs, `encoding #${n}`);

      for (const bytes of [new Uint8Array(theirs), Buffer.from(theirs)]) {
        const mine = decodeCommand(bytes);
        sameView(view(mine, 'GenericCommand'), view(referenceDecode(new Uint8Array(ours)), 'GenericCommand'), `decoding #${n}`);
        // What we decoded encodes to the same bytes again: absent fields stay absent.
        sameBytes(encodeCommand(mine), ours, `re-encoding #${n}`);
      }
    }
  });
}

test('random truncations: we throw exactly when protobufjs throws, and otherwise decode the same', () => {
  const rng = random(99);
  let threw = 0;
  for (let n = 0; n < 300; n++) {
    const bytes = encodeCommand(randomMessage(rng, 'GenericCommand') as Command);
    if (bytes.length < 2) continue;
    const cut = new Uint8Array(bytes.subarray(0, 1 + rng.int(bytes.length - 1)));
    let theirs: unknown;
    try {
      theirs = view(referenceDecode(cut), 'GenericCommand');
    } catch {
      theirs = 'throws';
    }
    let mine: unknown;
    try {
      mine = view(decodeCommand(cut), 'GenericCommand');
    } catch {
      mine = 'throws';
      threw++;
    }
    sameView(mine, theirs, `truncation #${n} at ${cut.length} of ${bytes.length}`);
  }
  assert.ok(threw > 100, 'most truncations are malformed');
});

test('int64 given as a Long, a bigint or a string is written with all 64 bits, as protobufjs wrote a Long', () => {
  const Long = $protobuf.util.Long as unknown as { MAX_VALUE: object; MIN_VALUE: object; fromNumber(value: number): object };
  for (const [value, expected] of [
    [Long.MAX_VALUE, Long.MAX_VALUE],
    [Long.MIN_VALUE, Long.MIN_VALUE],
    [Long.fromNumber(-1), Long.fromNumber(-1)],
    [2n ** 63n - 1n, Long.MAX_VALUE],
    ['-9223372036854775808', Long.MIN_VALUE],
  ] as const) {
    const ours = encodeCommand({ cmd: CommandType.ack, ackMessage: { tots: value as unknown as number } });
    sameBytes(ours, referenceEncode({ cmd: CommandType.ack, ackMessage: { tots: expected as unknown as number } }), String(value));
  }
  assert.equal(decodeCommand(encodeCommand({ ackMessage: { tots: Long.MAX_VALUE as unknown as number } })).ackMessage?.tots, 2 ** 63);
  assert.equal(decodeCommand(encodeCommand({ ackMessage: { tots: -5 } })).ackMessage?.tots, -5);
});

test('a decoded command: present fields are own, absent scalars read as defaults, repeated fields are own arrays, absent messages null', () => {
  const decoded = decodeCommand(encodeCommand({ cmd: CommandType.direct, directMessage: { cid: 'c', timestamp: 0 } }));
  assert.equal(decoded.cmd, CommandType.direct);
  assert.equal(decoded.op, OpType.open, 'an enum defaults to its first value');
  assert.equal(has(decoded, 'op'), false);
  assert.equal(decoded.peerId, '');
  assert.equal(decoded.ackMessage, null);
  const direct = decoded.directMessage!;
  assert.equal(has(direct, 'timestamp'), true, 'a zero that was sent is present');
  assert.equal(direct.timestamp, 0);
  assert.equal(has(direct, 'msg'), false);
  assert.equal(direct.msg, '');
  assert.equal(direct.binaryMsg?.length, 0);
  assert.deepEqual(direct.toPeerIds, []);
  assert.equal(has(direct, 'toPeerIds'), true, 'repeated fields are own arrays, as protobufjs made them');
  assert.deepEqual(Object.keys(direct).sort(), ['cid', 'mentionPids', 'timestamp', 'toPeerIds']);
  const logs = decodeCommand(encodeCommand({ logsMessage: {} })).logsMessage!;
  assert.equal(logs.direction, 1, 'a declared [default] is the default');
});

test('bytes decode as views of the frame: a Buffer from a Buffer, a Uint8Array from a Uint8Array', () => {
  const bytes = encodeCommand({ directMessage: { binaryMsg: new Uint8Array([1, 2, 3]) } });
  const fromBuffer = decodeCommand(Buffer.from(bytes)).directMessage!.binaryMsg;
  assert.ok(Buffer.isBuffer(fromBuffer));
  assert.deepEqual([...fromBuffer], [1, 2, 3]);
  const fromArray = decodeCommand(new Uint8Array(bytes)).directMessage!.binaryMsg;
  assert.ok(!Buffer.isBuffer(fromArray) && fromArray instanceof Uint8Array);
  assert.deepEqual([...fromArray], [1, 2, 3]);
});

/** A frame: `cmd: direct`, then the given raw bytes. */
const frame = (...bytes: number[]) => new Uint8Array([0x08, 0x02, ...bytes]);

test('malformed bytes throw, from a Buffer and from a Uint8Array alike', () => {
  const cases: [string, Uint8Array][] = [
    ['a truncated varint', frame(0x28, 0xff)],
    ['a truncated key', frame(0x80)],
    ['a varint of 11 bytes', frame(0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)],
    ['a string running past the end', frame(0x1a, 0x05, 0x61, 0x62)],
    ['a nested message running past the end', frame(0xc2, 0x06, 0x10, 0x0a, 0x01)],
    ['a string running past its nested message', frame(0xc2, 0x06, 0x03, 0x0a, 0x05, 0x61, 0x62, 0x63, 0x64, 0x65)],
    ['bytes running past the end', frame(0xc2, 0x06, 0x03, 0x9a, 0x01, 0x09)],
    ['an unknown fixed64 cut short', frame(0x79, 1, 2, 3)],
    ['an unknown fixed32 cut short', frame(0x7d, 1, 2)],
    ['wire type 4 outside a group', frame(0x7c)],
    ['wire type 6', frame(0x7e)],
    ['wire type 7', frame(0x7f, 0x00)],
    ['an unterminated group', frame(0x7b, 0x08, 0x01)],
    ['a missing required field (ErrorCommand.reason)', frame(0xba, 0x06, 0x02, 0x08, 0x01)],
  ];
  for (const [what, bytes] of cases) {
    assert.throws(() => decodeCommand(new Uint8Array(bytes)), Error, what);
    assert.throws(() => decodeCommand(Buffer.from(bytes)), Error, what);
  }
  assert.throws(() => decodeCommand(frame(0x1a, 0x05, 0x61)), RangeError, 'lengths past the end are RangeErrors, as protobufjs threw');
});

test('unknown fields of every wire type are skipped, and so is a known field with a wire type not its own', () => {
  const decoded = decodeCommand(
    frame(
      0x78, 0x96, 0x01, // field 15, varint
      0x79, 1, 2, 3, 4, 5, 6, 7, 8, // field 15, fixed64
      0x7a, 0x02, 0x61, 0x62, // field 15, length-delimited
      0x7d, 1, 2, 3, 4, // field 15, fixed32
      0x7b, 0x08, 0x01, 0x7b, 0x7c, 0x7c, // field 15, a group holding a varint and a group
      0x22, 0x01, 0x70, // peerId "p"
      0x28, 0x07, // i = 7
      0x2a, 0x01, 0x09, // i with wire type 2: skipped
      0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01, // field 2^29 - 1, varint
    ),
  );
  assert.equal(decoded.cmd, CommandType.direct);
  assert.equal(decoded.peerId, 'p');
  assert.equal(decoded.i, 7);
});

test('strings: invalid UTF-8 reads as U+FFFD, a lone surrogate is written as U+FFFD, long strings have long length prefixes', () => {
  for (const bytes of [frame(0x22, 0x03, 0x61, 0xff, 0x62), Buffer.from(frame(0x22, 0x03, 0x61, 0xff, 0x62))]) {
    assert.equal(decodeCommand(bytes).peerId, 'a\ufffdb');
  }
  for (const text of ['a\ud800b', 'x'.repeat(50) + '\udc00', '\ud83d']) {
    assert.equal(decodeCommand(encodeCommand({ peerId: text })).peerId, text.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
  for (const length of [127, 128, 16383, 16384, 2_097_152]) {
    const peerId = 'é'.repeat(length);
    const bytes = encodeCommand({ cmd: CommandType.direct, peerId, directMessage: { msg: peerId } });
    sameBytes(bytes, referenceEncode({ cmd: CommandType.direct, peerId, directMessage: { msg: peerId } }), `${length} characters`);
    assert.equal(decodeCommand(bytes).directMessage?.msg, peerId);
  }
});

test('encoded commands stay intact while others are encoded after them', () => {
  const rng = random(7);
  const pairs = Array.from({ length: 3000 }, () => {
    const command = randomMessage(rng, 'GenericCommand') as Command;
    return { bytes: encodeCommand(command), expected: new Uint8Array(referenceEncode(command)) };
  });
  pairs.forEach(({ bytes, expected }, n) => sameBytes(bytes, expected, `command #${n}`));
});

test('peerId appended to an encoded command, and base64 both ways', () => {
  const body = encodeCommand({ cmd: CommandType.direct, directMessage: { msg: 'hi' } });
  sameBytes(peerIdField('bob'), Reference.encode({ peerId: 'bob' }).finish(), 'peerId field');
  assert.equal(decodeCommand(withPeerId(body, 'bob')).peerId, 'bob');
  const rng = random(3);
  for (let length = 0; length < 40; length++) {
    const bytes = randomBytes(rng).subarray(0, length);
    const text = bytesToBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'));
    assert.deepEqual([...base64ToBytes(text)], [...bytes]);
    assert.deepEqual([...base64ToBytes(text.replace(/=+$/, ''))], [...bytes], 'padding may be left out');
  }
  for (const bad of ['A', 'AAAAA', 'AA=A', 'AA AA', 'AAA*', '====']) assert.throws(() => base64ToBytes(bad), Error, bad);
});
