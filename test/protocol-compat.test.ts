/**
 * Our schema against the schema inside the official SDK packages: the same
 * field numbers, types and rules, and bytes that each side decodes to the
 * same values, in both directions, with the SDKs' own protobufjs 5 runtime.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { decodeCommand, encodeCommand, fromFrame, toFrame, withPeerId, CommandType } from '../src/protocol/codec.js';

const require = createRequire(import.meta.url);
const ours = protobuf.loadSync(new URL('../src/protocol/message.proto', import.meta.url).pathname);
const PACKAGE = 'push_server.messages2';

/** Every field and enum value of a schema, keyed by `Type.tag` / `Enum#value`. */
function describe(root: protobuf.Root): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (ns: protobuf.NamespaceBase, prefix: string) => {
    for (const nested of ns.nestedArray) {
      const name = prefix + nested.name;
      if (nested instanceof protobuf.Type) {
        for (const field of nested.fieldsArray) out.set(`${name}.${field.id}`, `${field.name}:${(field as { rule?: string }).rule ?? 'optional'}:${field.type}`);
        walk(nested, name + '.');
      } else if (nested instanceof protobuf.Enum) {
        for (const [key, value] of Object.entries(nested.values)) out.set(`${name}#${value}`, key);
      } else if (nested instanceof protobuf.Namespace) {
        walk(nested, name + '.');
      }
    }
  };
  walk(root, '');
  return out;
}

const official = {
  v3: protobuf.loadSync(require.resolve('lc3/proto/message.proto')),
  v4: protobuf.loadSync(require.resolve('lc4/proto/message.proto')),
};

test('our schema declares exactly the fields and enums of the v4 schema', () => {
  assert.deepEqual(describe(ours), describe(official.v4));
});

test('the v3 schema is a subset of ours, but for v3 LogsCommand.reversed sharing tag 10', () => {
  const mine = describe(ours);
  for (const [key, value] of describe(official.v3)) {
    if (key === `${PACKAGE}.LogsCommand.10`) {
      assert.equal(value, 'reversed:optional:bool');
      assert.match(mine.get(key)!, /^direction:optional:/, 'an enum and a bool are the same varint on the wire');
      continue;
    }
    assert.equal(mine.get(key), value, key);
  }
});

/** A value of the field's type, different for each field so mix-ups show. */
function sample(type: protobuf.Type, depth: number): Record<string, unknown> {
  const message: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    let value: unknown;
    if (field.resolvedType instanceof protobuf.Type) {
      if (depth >= 2) continue;
      value = sample(field.resolvedType, depth + 1);
    } else if (field.resolvedType instanceof protobuf.Enum) {
      const values = Object.values(field.resolvedType.values);
      value = values[field.id % values.length];
    } else {
      switch (field.type) {
        case 'string': value = `${field.name}-${field.id}-文字`; break;
        case 'bool': value = true; break;
        case 'bytes': value = new Uint8Array([field.id, 0, 255]); break;
        case 'int64': value = 1_795_714_458_725 + field.id; break;
        default: value = field.id * 3 + 1;
      }
    }
    message[field.name] = field.repeated ? [value, value] : value;
  }
  return message;
}

/** Turns a protobufjs 5 decoded message into plain values comparable with ours. */
function plainFromV5(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.length ? value.map(plainFromV5) : undefined;
  if (typeof value !== 'object') return value;
  const object = value as Record<string, unknown> & { toNumber?: () => number; toBuffer?: () => Buffer; $type?: unknown };
  if (typeof object.toNumber === 'function' && 'high' in object) return object.toNumber();
  if ('markedOffset' in object && typeof object.toBuffer === 'function') return new Uint8Array(object.toBuffer()); // a ByteBuffer
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(object)) {
    if (key.startsWith('$') || typeof field === 'function') continue;
    const plain = plainFromV5(field);
    if (plain !== undefined) out[key] = plain;
  }
  return out;
}

/** Our decoded message (own properties only, i.e. present fields) as plain values. */
function plainFromOurs(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(plainFromOurs) : undefined;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const plain = plainFromOurs(field);
    if (plain !== undefined) out[key] = plain;
  }
  return out;
}

/** Drops what the v3 schema does not have, so both sides describe the same thing. */
function restrictTo(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const declared = type.fields[key];
    if (!declared) continue;
    declared.resolve();
    out[key] =
      declared.resolvedType instanceof protobuf.Type
        ? Array.isArray(field)
          ? field.map((item) => restrictTo(declared.resolvedType as protobuf.Type, item as Record<string, unknown>))
          : restrictTo(declared.resolvedType, field as Record<string, unknown>)
        : field;
  }
  return out;
}

type V5Message = { encode(): { toBuffer(): Buffer } };
type V5Type = { new (value: unknown): V5Message; decode(bytes: Uint8Array | Buffer): unknown };

for (const version of ['v3', 'v4'] as const) {
  const runtime = require(`${version === 'v3' ? 'lc3' : 'lc4'}/proto/message-compiled.js`) as {
    push_server: { messages2: { GenericCommand: V5Type } };
  };
  const TheirGeneric = runtime.push_server.messages2.GenericCommand;
  const theirType = official[version].lookupType(`${PACKAGE}.GenericCommand`);
  const ourType = ours.lookupType(`${PACKAGE}.GenericCommand`);

  // One command per sub-message, every field set.
  const subMessages = ourType.fieldsArray.filter((field) => field.id > 100 && theirType.fieldsById[field.id]);
  for (const sub of subMessages) {
    test(`${version}: ${sub.name} with every field round-trips between our codec and the official runtime`, () => {
      sub.resolve();
      const command = {
        cmd: CommandType.direct,
        op: 2,
        appId: 'app',
        peerId: 'peer',
        i: 7,
        [sub.name]: sample(sub.resolvedType as protobuf.Type, 0),
      };
      // The v3 tag 10 is a bool: only values 0/1 mean the same to both.
      if (sub.name === 'logsMessage') (command.logsMessage as Record<string, unknown>).direction = 1;
      const expected = restrictTo(theirType, command as Record<string, unknown>);

      const ourBytes = encodeCommand(command);
      const theirView = plainFromV5(TheirGeneric.decode(Buffer.from(ourBytes))) as Record<string, unknown>;
      if (version === 'v3' && sub.name === 'logsMessage') {
        const logs = theirView.logsMessage as Record<string, unknown>;
        assert.equal(logs.reversed, true, 'our direction OLD (1) reads as v3 reversed: true');
        delete logs.reversed;
      }
      assert.deepEqual(theirView, expected, 'official runtime decodes our bytes');

      const v3LogsCase = version === 'v3' && sub.name === 'logsMessage';
      const theirBytes = new TheirGeneric(v3LogsCase ? v3Logs(expected) : expected).encode().toBuffer();
      const ourView = plainFromOurs(decodeCommand(new Uint8Array(theirBytes))) as Record<string, Record<string, unknown>>;
      if (v3LogsCase) {
        assert.equal(ourView.logsMessage!.direction, 1, 'v3 reversed: true reads as direction OLD');
        delete ourView.logsMessage!.direction;
      }
      assert.deepEqual(ourView, expected, 'our codec decodes official bytes');
    });
  }
}

function v3Logs(command: Record<string, unknown>): Record<string, unknown> {
  return { ...command, logsMessage: { ...(command.logsMessage as Record<string, unknown>), reversed: true } };
}

test('required fields the official SDKs enforce are always written', () => {
  const bytes = encodeCommand({ cmd: CommandType.error, i: 1, errorMessage: { code: 4401, reason: '' } });
  const TheirGeneric = (require('lc4/proto/message-compiled.js') as { push_server: { messages2: { GenericCommand: V5Type } } })
    .push_server.messages2.GenericCommand;
  const decoded = plainFromV5(TheirGeneric.decode(Buffer.from(bytes))) as { errorMessage: { code: number; reason: string } };
  assert.equal(decoded.errorMessage.code, 4401);
});

test('base64 frames carry the same bytes, and peerId can be appended to encoded bytes', () => {
  const bytes = encodeCommand({ cmd: CommandType.direct, directMessage: { msg: 'hi', cid: 'c', timestamp: 5 } });
  const frame = toFrame(withPeerId(bytes, 'bob'), 'base64');
  assert.equal(typeof frame, 'string');
  const decoded = fromFrame(frame);
  assert.equal(decoded.peerId, 'bob');
  assert.equal(decoded.directMessage?.msg, 'hi');
  assert.equal(decoded.directMessage?.timestamp, 5);
  assert.throws(() => fromFrame('not base64 at all!'));
  assert.throws(() => fromFrame(new Uint8Array([0x0a, 0xff, 0xff, 0xff])));
});
