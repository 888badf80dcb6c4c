/**
 * Delivery receipts, read state and unread notices at the protocol level:
 * ack → rcp, read → unread to the reader's other devices and rcp read to
 * the others, conv/max_read, unread counts after login (`.3`) and the
 * offline messages themselves (`.1`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';

const env = rawEnvironment();
const login = (id: string, protocol?: string) => env.login(id, {}, protocol);
async function logout(client: RawClient): Promise<void> {
  client.close();
  await client.closed;
  // Let the server see the close before the test goes on.
  await new Promise((resolve) => setTimeout(resolve, 30));
}

async function start(owner: RawClient, members: string[]): Promise<string> {
  return (await owner.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: members } })).convMessage!.cid!;
}
async function send(from: RawClient, cid: string, text: string, extra: Record<string, unknown> = {}): Promise<{ uid: string; t: number }> {
  const ack = await from.request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: text }), ...extra } });
  assert.equal(ack.cmd, CommandType.ack, ack.errorMessage?.detail ?? '');
  return { uid: ack.ackMessage!.uid!, t: ack.ackMessage!.t! };
}
const isCmd = (cmd: CommandType) => (c: DecodedCommand) => c.cmd === cmd;

test('ack of a message sent with receipt: the sender gets rcp; without receipt: nothing', async () => {
  const tom = await login('rcp-tom');
  const jerry = await login('rcp-jerry');
  const cid = await start(tom, ['rcp-jerry']);
  const plain = await send(tom, cid, 'plain');
  const wanted = await send(tom, cid, 'very important message', { r: true });
  jerry.drain();
  // As the SDKs ack: one range per conversation, no `i`.
  jerry.send({ cmd: CommandType.ack, ackMessage: { cid, fromts: plain.t, tots: wanted.t } });
  const rcp = await tom.take(isCmd(CommandType.rcp));
  assert.equal(rcp.rcpMessage?.id, wanted.uid);
  assert.equal(rcp.rcpMessage?.cid, cid);
  assert.equal(rcp.rcpMessage?.from, 'rcp-jerry');
  assert.ok(rcp.rcpMessage!.t! >= wanted.t, 'an int64 time, which v3 reads unconditionally');
  assert.equal(rcp.rcpMessage?.read ?? false, false);
  await assert.rejects(tom.take(isCmd(CommandType.rcp), 200), /nothing/, 'one receipt, for the message that asked');

  // Acking one's own messages, or a stranger's ack, asks nobody for receipts.
  tom.send({ cmd: CommandType.ack, ackMessage: { cid, fromts: plain.t, tots: wanted.t } });
  const stranger = await login('rcp-stranger');
  stranger.send({ cmd: CommandType.ack, ackMessage: { cid, fromts: plain.t, tots: wanted.t } });
  await assert.rejects(tom.take(isCmd(CommandType.rcp), 200), /nothing/);

  const receipts = await tom.request({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid } });
  assert.equal(receipts.convMessage?.maxAckTimestamp, wanted.t, 'Jerry received up to the acked message');
  assert.equal(receipts.convMessage?.maxReadTimestamp ?? 0, 0, 'and read nothing yet');
});

test('read: other devices of the reader get the new count, the others rcp read; max_read reports it', async () => {
  const tom = await login('read-tom');
  const phone = await login('read-jerry');
  const laptop = await login('read-jerry');
  const cid = await start(tom, ['read-jerry']);
  const sent = [await send(tom, cid, 'one'), await send(tom, cid, 'two'), await send(tom, cid, 'three')];
  phone.drain();
  laptop.drain();

  // Up to the first message only: two left.
  phone.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent[0]!.t, mid: sent[0]!.uid }] } });
  const partly = await laptop.take(isCmd(CommandType.unread));
  assert.deepEqual(partly.unreadMessage?.convs?.map((c) => [c.cid, c.unread, c.mid]), [[cid, 2, sent[2]!.uid]]);
  const firstRead = await tom.take(isCmd(CommandType.rcp));
  assert.deepEqual([firstRead.rcpMessage?.cid, firstRead.rcpMessage?.t, firstRead.rcpMessage?.read, firstRead.rcpMessage?.from], [cid, sent[0]!.t, true, 'read-jerry']);

  // Everything up to the newest, as the SDKs send it.
  phone.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent[2]!.t, mid: sent[2]!.uid }] } });
  const zero = await laptop.take(isCmd(CommandType.unread));
  const [tuple] = zero.unreadMessage!.convs!;
  assert.deepEqual([tuple!.cid, tuple!.unread, tuple!.mid, tuple!.from, tuple!.timestamp], [cid, 0, sent[2]!.uid, 'read-tom', sent[2]!.t]);
  assert.ok(zero.unreadMessage!.notifTime! > 0);
  assert.equal((await tom.take(isCmd(CommandType.rcp))).rcpMessage?.t, sent[2]!.t);
  await assert.rejects(phone.take(isCmd(CommandType.unread), 200), /nothing/, 'not back to the reading session');

  // Reading again, or an older position, changes nothing and tells nobody.
  phone.send({ cmd: CommandType.read, readMessage: { convs: [{ cid, timestamp: sent[1]!.t, mid: sent[1]!.uid }] } });
  await assert.rejects(laptop.take(isCmd(CommandType.unread), 200), /nothing/);

  const mine = await tom.request({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid } });
  assert.equal(mine.convMessage?.maxReadTimestamp, sent[2]!.t);
  assert.equal(mine.convMessage?.maxAckTimestamp, sent[2]!.t, 'read implies received');
  const all = await tom.request({ cmd: CommandType.conv, op: OpType.max_read, convMessage: { cid, queryAllMembers: true } });
  const tuples = Object.fromEntries(all.convMessage!.maxReadTuples!.map((t) => [t.pid, t.maxReadTimestamp ?? 0]));
  assert.deepEqual(tuples, { 'read-jerry': sent[2]!.t, 'read-tom': 0 });
});

test('unread counts after login: per conversation, newest message, own messages not counted', async () => {
  const tom = await login('unread-tom');
  const quiet = await start(tom, ['unread-harry']);
  const busy = await start(tom, ['unread-harry']);
  await send(tom, busy, 'one');
  const last = await send(tom, busy, 'two');
  await start(tom, ['unread-harry']); // nothing said there

  const harry = await login('unread-harry');
  const notice = await harry.take(isCmd(CommandType.unread));
  assert.ok(notice.unreadMessage!.notifTime! > 0);
  const [tuple, ...rest] = notice.unreadMessage!.convs!;
  assert.deepEqual(rest, [], 'only conversations with something unread');
  assert.deepEqual([tuple!.cid, tuple!.unread, tuple!.mid, tuple!.timestamp, tuple!.from], [busy, 2, last.uid, last.t, 'unread-tom']);
  assert.deepEqual(JSON.parse(tuple!.data!), { _lctype: -1, _lctext: 'two' });
  assert.notEqual(tuple!.cid, quiet);

  // Harry answers: what he says is not unread for him, and answering reads the rest.
  await send(harry, busy, 'hi');
  await logout(harry);
  await send(tom, busy, 'three');
  const again = await login('unread-harry');
  const next = await again.take(isCmd(CommandType.unread));
  assert.deepEqual(next.unreadMessage!.convs!.map((c) => [c.cid, c.unread]), [[busy, 1]]);
});

test('offline-push mode (.1): the 20 newest unacknowledged messages per conversation, marked offline', async () => {
  const tom = await login('offline-tom');
  const cid = await start(tom, ['offline-harry']);
  const sent = [];
  for (let n = 0; n < 25; n++) sent.push(await send(tom, cid, `m${n}`));

  const harry = await login('offline-harry', 'lc.protobuf2.1');
  const got: DecodedCommand[] = [];
  for (let n = 0; n < 20; n++) got.push(await harry.take(isCmd(CommandType.direct)));
  assert.deepEqual(got.map((c) => c.directMessage?.id), sent.slice(5).map((s) => s.uid), 'the newest 20, oldest first');
  for (const command of got) {
    assert.equal(command.directMessage?.offline, true);
    assert.equal(command.directMessage?.hasMore, true, 'five more are in the history');
    assert.equal(command.directMessage?.fromPeerId, 'offline-tom');
    assert.equal(command.peerId, 'offline-harry');
  }
  await assert.rejects(harry.take((c) => c.cmd === CommandType.direct || c.cmd === CommandType.unread, 200), /nothing/, 'no unread notice in .1');

  // Acknowledged (as the SDK does on receipt): not offline any more.
  harry.send({ cmd: CommandType.ack, ackMessage: { cid, fromts: sent[5]!.t, tots: sent[24]!.t } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await logout(harry);
  const last = await send(tom, cid, 'while away again');
  const back = await login('offline-harry', 'lc.protobuf2.1');
  const only = await back.take(isCmd(CommandType.direct));
  assert.equal(only.directMessage?.id, last.uid);
  assert.equal(only.directMessage?.hasMore ?? false, false);
  await assert.rejects(back.take(isCmd(CommandType.direct), 200), /nothing/);
});
