/**
 * CLIENT_SCHEMA, the SDK's part of the schema (src/protocol/client-codec.ts):
 * a true subset of SCHEMA, nothing in src/sdk uses what it leaves out, and
 * a frame with the parts left out decodes to what the full schema reads of
 * the rest.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLIENT_SCHEMA, SCHEMA } from '../src/protocol/generated/message.js';
import { parseSchema } from '../src/protocol/proto-schema.js';
import { CommandType, OpType, decodeCommand, encodeCommand, toFrame } from '../src/protocol/codec.js';
import * as client from '../src/protocol/client-codec.js';

const FULL = parseSchema(SCHEMA);
const CLIENT = parseSchema(CLIENT_SCHEMA);
const leftOut = FULL.GenericCommand!.filter(([no]) => !CLIENT.GenericCommand!.some(([clientNo]) => clientNo === no)).map(([, name]) => name);

test('every message and field of CLIENT_SCHEMA is in SCHEMA, with the same number, type, label and default', () => {
  for (const [name, fields] of Object.entries(CLIENT)) {
    assert.ok(FULL[name], name);
    for (const field of fields) assert.ok(FULL[name]!.some((full) => full.join() === field.join()), `${name}.${field[1]}`);
    if (name !== 'GenericCommand') assert.deepEqual(fields, FULL[name], `${name} is whole`);
  }
  assert.ok(leftOut.length > 0 && leftOut.length < FULL.GenericCommand!.length);
});

test('nothing in src/sdk names a part of GenericCommand the client schema leaves out', async () => {
  const root = fileURLToPath(new URL('../src/sdk/', import.meta.url));
  const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts'));
  assert.ok(files.length > 20);
  for (const file of files) {
    const text = await readFile(join(root, file), 'utf8');
    for (const name of leftOut) assert.ok(!new RegExp(`\\b${name}\\b`).test(text), `src/sdk/${file} uses ${name}`);
  }
});

test('a frame with parts the client schema leaves out decodes to what the full schema reads of the rest', () => {
  const command = {
    cmd: CommandType.conv,
    op: OpType.joined,
    peerId: 'alice',
    serverTs: 1_765_024_200_000,
    convMessage: { cid: 'c1', m: ['bob'], initBy: 'bob' },
    roomMessage: { roomId: 'r1', roomPeerIds: ['x'] },
    pubsubMessage: { cid: 'c1', topics: ['t'] },
    presenceMessage: { status: 1, sessionPeerIds: ['y'] },
  };
  const bytes = encodeCommand(command);
  for (const frame of [bytes, toFrame(bytes, 'base64')]) {
    const mine = client.fromFrame(frame) as unknown as Record<string, unknown>;
    const full = decodeCommand(bytes) as unknown as Record<string, unknown>;
    for (const name of ['roomMessage', 'pubsubMessage', 'presenceMessage']) assert.ok(!Object.hasOwn(mine, name), name);
    const rest = Object.keys(full).filter((name) => !leftOut.includes(name));
    assert.deepEqual(Object.keys(mine).sort(), rest.sort());
    // Each schema's decoded messages have their own prototypes: compare the values.
    for (const name of rest) assert.deepEqual(JSON.parse(JSON.stringify(mine[name])), JSON.parse(JSON.stringify(full[name])), name);
    assert.equal((mine.convMessage as { udate: string }).udate, '', 'absent fields read as defaults');
  }
  const sent = { cmd: CommandType.direct, i: 3, directMessage: { cid: 'c1', msg: 'hi', r: true, dt: 'd1' } };
  assert.deepEqual([...client.encodeCommand(sent)], [...encodeCommand(sent)], 'what the SDK sends is written alike');
});
