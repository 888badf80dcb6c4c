/**
 * Single-device login with tags (protocol.md §4.1) and will messages, at
 * the protocol level.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, has, type DecodedCommand, type ISessionCommand } from '../src/protocol/codec.js';
import { issueSessionToken } from '../src/server/auth/session-token.js';
import { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

const env = rawEnvironment();
const connect = () => env.connect();
async function login(id: string, sessionMessage: ISessionCommand = {}): Promise<{ client: RawClient; token: string }> {
  const client = await connect();
  const reply = await client.login(TEST_APP.appId, id, sessionMessage);
  return { client, token: reply.sessionMessage!.st! };
}
const open = (id: string, sessionMessage: ISessionCommand) => ({ cmd: CommandType.session, op: OpType.open, appId: TEST_APP.appId, peerId: id, sessionMessage });
const isClosed = (c: DecodedCommand) => c.cmd === CommandType.session && c.op === OpType.closed;
const ping = (client: RawClient, ids: string[]) => client.request({ cmd: CommandType.session, op: OpType.query, sessionMessage: { sessionPeerIds: ids } });

test('a fresh login with a tag takes over from another device: 4111 to the older session, which is logged out', async () => {
  const { client: older } = await login('tag-tom', { tag: 'Web', deviceId: 'device-a' });
  const { client: phone } = await login('tag-tom', { tag: 'Mobile', deviceId: 'device-c' });
  const { client: untagged } = await login('tag-tom', { deviceId: 'device-d' });
  const { client: newer } = await login('tag-tom', { tag: 'Web', deviceId: 'device-b' });

  const kicked = await older.take(isClosed);
  assert.equal(has(kicked, 'i'), false, 'a push, not a reply');
  assert.equal(kicked.peerId, 'tag-tom');
  assert.equal(kicked.sessionMessage?.code, 4111);
  assert.ok(kicked.sessionMessage?.reason);
  const after = await older.request({ cmd: CommandType.conv, op: OpType.count, peerId: 'tag-tom', convMessage: { cid: 'x' } });
  assert.equal(after.errorMessage?.reason, 'SESSION_REQUIRED', 'the older session is gone');
  for (const other of [phone, untagged, newer]) await assert.rejects(other.take(isClosed, 150), /nothing/, 'other tags and untagged stay');

  // The same device logging in again is no conflict.
  await login('tag-tom', { tag: 'Web', deviceId: 'device-b' });
  await assert.rejects(newer.take(isClosed, 150), /nothing/);
});

test('a reconnect never takes over: it is refused while another device holds the tag', async () => {
  const { client: first, token } = await login('tag-jerry', { tag: 'Web', deviceId: 'device-a' });
  const { client: second } = await login('tag-jerry', { tag: 'Web', deviceId: 'device-b' });
  await first.take(isClosed);

  // v4 reconnects with only r and st: the token says which tagged device it is.
  const retry = await connect();
  const refused = await retry.request(open('tag-jerry', { ua: 'js/4.3.1', r: true, st: token }));
  assert.equal(refused.cmd, CommandType.error);
  assert.equal(refused.errorMessage?.code, 4111);
  assert.equal(refused.errorMessage?.reason, 'SESSION_CONFLICT');
  await assert.rejects(second.take(isClosed, 150), /nothing/, 'the holder keeps its session');

  await second.request({ cmd: CommandType.session, op: OpType.close });
  const accepted = await retry.request(open('tag-jerry', { ua: 'js/4.3.1', r: true, st: token }));
  assert.equal(accepted.op, OpType.opened, 'once the tag is free the reconnect is fine');
});

test('a reconnect presenting a forged, foreign or expired session token is refused with 4112 SESSION_TOKEN_EXPIRED', async () => {
  const { token } = await login('st-tom');
  const { token: jerryToken } = await login('st-jerry');
  const expired = issueSessionToken(TEST_APP, 'st-tom', 60, Date.now() - 120_000);
  const retry = await connect();
  for (const [what, st] of [
    ['forged', token.slice(0, -2) + (token.endsWith('xx') ? 'yy' : 'xx')],
    ['issued to another client', jerryToken],
    ['expired', expired],
    ['not a token at all', 'st-tom'],
  ] as const) {
    const refused = await retry.request(open('st-tom', { ua: 'js/4.3.1', r: true, st }));
    assert.equal(refused.cmd, CommandType.error, what);
    assert.equal(refused.errorMessage?.code, 4112, what);
    assert.equal(refused.errorMessage?.reason, 'SESSION_TOKEN_EXPIRED', what);
  }
  const accepted = await retry.request(open('st-tom', { ua: 'js/4.3.1', r: true, st: token }));
  assert.equal(accepted.op, OpType.opened, 'its own valid token is accepted');
  // What v4 sends after the 4112: the same reconnect without a token.
  const again = await connect();
  assert.equal((await again.request(open('st-tom', { ua: 'js/4.3.1', r: true }))).op, OpType.opened);
});

test('will messages: delivered when the sender drops, discarded when it logs out', async () => {
  const { client: jerry } = await login('will-jerry');
  const { client: tom } = await login('will-tom');
  const cid = (await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['will-jerry'] } })).convMessage!.cid!;
  await jerry.take((c) => c.op === OpType.joined);
  const msg = JSON.stringify({ _lctype: -1, _lctext: 'Tom went offline' });
  const ack = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg, will: true } });
  assert.ok(ack.ackMessage?.uid, 'acked with the id it will have');
  await assert.rejects(jerry.take((c) => c.cmd === CommandType.direct, 200), /nothing/, 'not while Tom is online');

  tom.ws.terminate();
  const will = await jerry.take((c) => c.cmd === CommandType.direct);
  assert.equal(will.directMessage?.id, ack.ackMessage!.uid);
  assert.equal(will.directMessage?.fromPeerId, 'will-tom');
  assert.equal(will.directMessage?.msg, msg);
  const logs = await jerry.request({ cmd: CommandType.logs, logsMessage: { cid } });
  assert.deepEqual(logs.logsMessage?.logs?.map((log) => log.msgId), [ack.ackMessage!.uid], 'stored like any message');

  const { client: harry } = await login('will-harry');
  const harryCid = (await harry.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['will-jerry'] } })).convMessage!.cid!;
  await harry.request({ cmd: CommandType.direct, directMessage: { cid: harryCid, msg, will: true } });
  await harry.request({ cmd: CommandType.session, op: OpType.close });
  harry.ws.terminate();
  await assert.rejects(jerry.take((c) => c.cmd === CommandType.direct, 300), /nothing/, 'a logout discards it');
  assert.deepEqual((await ping(jerry, ['will-tom', 'will-harry'])).sessionMessage?.onlineSessionPeerIds ?? [], []);
});
