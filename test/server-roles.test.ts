/**
 * Issue 12's muting and role events at the protocol level, for who was offline:
 * recorded with the change, replayed after an r:true re-open (3.x's way)
 * and served by GET /1.1/rtm/notifications (4.x's way), with `m` on the
 * members_* events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type Command, type DecodedCommand } from '../src/protocol/codec.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

const env = rawEnvironment();
const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });
const isConv = (op: OpType, cid: string) => (c: DecodedCommand) => c.cmd === CommandType.conv && c.op === op && c.convMessage?.cid === cid;

test('muting a member or changing its role while it is offline: replayed after its r:true re-open, and fetched over REST, each with who did it', async () => {
  const [ownerId, bobId, daveId] = ['Owner-sr1', 'Bob-sr1', 'Dave-sr1'];
  const owner = await env.login(ownerId);
  const started = await owner.request(conv(OpType.start, { m: [bobId, daveId] }));
  const cid = started.convMessage!.cid!;

  const bobsSocket = await env.connect();
  const opened = await bobsSocket.login(TEST_APP.appId, bobId, { deviceId: 'bob-device' });
  const token = opened.sessionMessage!.st!;
  bobsSocket.close(); // dropped, not logged out: its login keeps a cursor
  await new Promise((resolve) => setTimeout(resolve, 200));

  const muted = await owner.request(conv(OpType.add_shutup, { cid, m: [bobId] }));
  assert.deepEqual(muted.convMessage?.allowedPids, [bobId]);
  const unmuted = await owner.request(conv(OpType.remove_shutup, { cid, m: [bobId] }));
  assert.deepEqual(unmuted.convMessage?.allowedPids, [bobId]);
  const promoted = await owner.request(conv(OpType.member_info_update, { cid, targetClientId: bobId, info: { pid: bobId, role: 'Manager' } }));
  assert.equal(promoted.op, OpType.member_info_updated, promoted.errorMessage?.detail ?? '');

  const back = await env.connect();
  const reopened = await back.request({
    cmd: CommandType.session, op: OpType.open, appId: TEST_APP.appId, peerId: bobId,
    sessionMessage: { ua: 'raw-client', r: true, st: token, deviceId: 'bob-device' },
  });
  assert.equal(reopened.op, OpType.opened, reopened.errorMessage?.detail ?? '');
  assert.equal((await back.take(isConv(OpType.shutuped, cid))).convMessage?.initBy, ownerId);
  assert.equal((await back.take(isConv(OpType.unshutuped, cid))).convMessage?.initBy, ownerId);
  const roleChange = await back.take(isConv(OpType.member_info_changed, cid));
  assert.deepEqual([roleChange.convMessage?.initBy, roleChange.convMessage?.info?.pid, roleChange.convMessage?.info?.role], [ownerId, bobId, 'Manager']);

  const dave = await env.connect();
  const daveToken = (await dave.login(TEST_APP.appId, daveId)).sessionMessage!.st!;
  const response = await fetch(`${env.server.httpUrl}/1.1/rtm/notifications?client_id=${daveId}&start_ts=0`, {
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey, 'X-LC-IM-Session-Token': daveToken },
  });
  assert.equal(response.status, 200);
  const { notifications } = (await response.json()) as { notifications: { op: string; cid: string; initBy: string; m?: string[]; info?: unknown }[] };
  const about = notifications.filter((event) => event.cid === cid && !event.op.includes('joined')).map((event) => [event.op, event.initBy, event.m ?? event.info]);
  assert.deepEqual(about, [
    ['members_shutuped', ownerId, [bobId]],
    ['members_unshutuped', ownerId, [bobId]],
    ['member_info_changed', ownerId, { pid: bobId, role: 'Manager' }],
  ]);
});
