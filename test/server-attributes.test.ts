/**
 * conv/update, conv/mute and conv/unmute at the protocol level: dotted keys
 * are paths, the name, updatedAt, the `updated` push, reserved keys, who
 * may update, `mu`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type Command } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';

const env = rawEnvironment();
const login = (id: string) => env.login(id);

const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });
const update = (cid: string, attr: Record<string, unknown>) => conv(OpType.update, { cid, attr: { data: JSON.stringify(attr) } });

async function fetch(client: RawClient, cid: string): Promise<Record<string, unknown>> {
  const reply = await client.request(conv(OpType.query, { where: { data: JSON.stringify({ objectId: cid }) } }));
  return (JSON.parse(reply.convMessage!.results!.data) as Record<string, unknown>[])[0]!;
}

test('update: name, plain keys and dotted paths; updatedAt; the other members hear of it', async () => {
  const black = await login('attr-black');
  const tom = await login('attr-tom');
  const tomLaptop = await login('attr-tom');
  const start = await tom.request(conv(OpType.start, {
    m: ['attr-black'],
    attr: { data: JSON.stringify({ name: '喵星人', attr: { color: 'grey', size: 1 }, level: 1 }) },
  }));
  const cid = start.convMessage!.cid!;
  black.drain();
  tomLaptop.drain();
  const created = await fetch(tom, cid);
  await new Promise((resolve) => setTimeout(resolve, 5));

  const changes = { name: '聪明的喵星人', 'attr.color': 'black', 'attr.owner.name': 'Tom', topic: 'cats', 'deep.new.path': [1, 2] };
  const reply = await black.request(update(cid, changes));
  assert.equal(reply.op, OpType.updated, reply.errorMessage?.detail ?? '');
  const udate = reply.convMessage?.udate;
  assert.ok(udate && udate > (created.updatedAt as string), 'udate is the new updatedAt');

  const fetched = await fetch(tom, cid);
  assert.equal(fetched.name, '聪明的喵星人');
  assert.deepEqual(fetched.attr, { color: 'black', size: 1, owner: { name: 'Tom' } }, 'a dotted key sets a path, keeping siblings');
  assert.equal(fetched['attr.color'], undefined, 'no key named "attr.color"');
  assert.equal(fetched.topic, 'cats');
  assert.equal(fetched.level, 1);
  assert.deepEqual(fetched.deep, { new: { path: [1, 2] } });
  assert.equal(fetched.updatedAt, udate);
  assert.equal(fetched.c, 'attr-tom', 'the creator is not an attribute');

  for (const device of [tom, tomLaptop]) {
    const pushed = await device.take((c) => c.cmd === CommandType.conv && c.op === OpType.updated);
    assert.equal(pushed.convMessage?.cid, cid);
    assert.equal(pushed.convMessage?.initBy, 'attr-black');
    assert.deepEqual(JSON.parse(pushed.convMessage!.attr!.data), changes, 'the changes as sent, for v4 to apply path by path');
  }
  await assert.rejects(black.take((c) => c.op === OpType.updated, 200), /nothing/, 'not back to the session that updated');

  const queried = await tom.request(conv(OpType.query, { where: { data: JSON.stringify({ 'attr.owner.name': 'Tom', topic: 'cats' }) } }));
  assert.deepEqual((JSON.parse(queried.convMessage!.results!.data) as { objectId: string }[]).map((c) => c.objectId), [cid]);
});

test('update refuses reserved keys, bad paths and non-members', async () => {
  const owner = await login('attr-owner');
  const stranger = await login('attr-stranger');
  const cid = (await owner.request(conv(OpType.start, { m: [] }))).convMessage!.cid!;
  for (const attr of [{ m: ['x'] }, { c: 'me' }, { 'tr': true }, { 'objectId.x': 1 }, { 'name.first': 'x' }, { name: 42 }, { 'a..b': 1 }, { '__proto__.polluted': 1 }, { 'a.constructor': 1 }]) {
    const reply = await owner.request(update(cid, attr));
    assert.equal(reply.errorMessage?.code, 4306, JSON.stringify(attr));
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((await owner.request(conv(OpType.update, { cid, attr: { data: '[1]' } }))).errorMessage?.code, 4306);
  assert.equal((await owner.request(conv(OpType.update, { cid, attr: { data: '{bad json' } }))).errorMessage?.code, 4306);
  const refused = await stranger.request(update(cid, { topic: 'mine' }));
  assert.equal(refused.errorMessage?.reason, 'CONVERSATION_UPDATE_REJECTED');
  assert.equal((await owner.request(update('ffffffffffffffffffffffff', { topic: 'x' }))).errorMessage?.code, 4303);
  assert.equal((await fetch(owner, cid)).topic, undefined);
});

test('mute and unmute maintain mu', async () => {
  const owner = await login('mute-owner');
  const member = await login('mute-member');
  const stranger = await login('mute-stranger');
  const cid = (await owner.request(conv(OpType.start, { m: ['mute-member'] }))).convMessage!.cid!;
  assert.equal((await member.request(conv(OpType.mute, { cid }))).op, OpType.updated);
  await owner.request(conv(OpType.mute, { cid }));
  await owner.request(conv(OpType.mute, { cid }));
  assert.deepEqual((await fetch(owner, cid)).mu, ['mute-member', 'mute-owner']);
  const mutedBy = await owner.request(conv(OpType.query, { where: { data: JSON.stringify({ mu: 'mute-member' }) } }));
  assert.equal((JSON.parse(mutedBy.convMessage!.results!.data) as unknown[]).length, 1);
  await member.request(conv(OpType.unmute, { cid }));
  assert.deepEqual((await fetch(owner, cid)).mu, ['mute-owner']);
  assert.equal((await stranger.request(conv(OpType.mute, { cid }))).errorMessage?.code, 4309);
});
