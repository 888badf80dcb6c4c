/**
 * Recall and edit (patch/modify) at the protocol level: only the sender,
 * only existing messages, the push to the other members and the sender's
 * other devices, history and unread notices with the patched payload, and
 * the patches a client missed, replayed at login after `lastPatchTime`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, type Command, type DecodedCommand } from '../src/protocol/codec.js';
import { rawEnvironment } from './helpers/raw-env.js';

const env = rawEnvironment();
const login = (id: string, lastPatchTime?: number) => env.login(id, lastPatchTime === undefined ? {} : { lastPatchTime });

const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const RECALLED = '{"_lctype":-127}';
const patch = (item: Record<string, unknown>): Command => ({ cmd: CommandType.patch, op: OpType.modify, patchMessage: { patches: [item] } });
const isPatch = (c: DecodedCommand) => c.cmd === CommandType.patch && c.op === OpType.modify;

test('edit and recall: the sender only, pushed to the others, shown in history and unread notices', async () => {
  const tom = await login('patch-tom');
  const tomLaptop = await login('patch-tom');
  const jerry = await login('patch-jerry');
  const cid = (await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['patch-jerry'] } })).convMessage!.cid!;
  const send = async (value: string) => (await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(value) } })).ackMessage!;
  const first = await send('tpyo');
  const second = await send('regrettable');
  jerry.drain();
  tomLaptop.drain();

  const edited = await tom.request(patch({ cid, mid: first.uid, timestamp: first.t, data: text('typo') }));
  assert.equal(edited.op, OpType.modified, edited.errorMessage?.detail ?? '');
  const lastPatchTime = edited.patchMessage!.lastPatchTime!;
  assert.ok(lastPatchTime >= first.t!);
  for (const device of [jerry, tomLaptop]) {
    const [item] = (await device.take(isPatch)).patchMessage!.patches!;
    assert.deepEqual(
      [item!.cid, item!.mid, item!.timestamp, item!.recall ?? false, item!.data, item!.patchTimestamp, item!.from],
      [cid, first.uid, first.t, false, text('typo'), lastPatchTime, 'patch-tom'],
    );
  }
  await assert.rejects(tom.take(isPatch, 200), /nothing/, 'not back to the patching session');

  const recalled = await tom.request(patch({ cid, mid: second.uid, timestamp: second.t, recall: true }));
  const [item] = (await jerry.take(isPatch)).patchMessage!.patches!;
  assert.equal(item!.recall, true);
  assert.equal(item!.data, RECALLED, 'so the SDKs build a RecalledMessage');
  assert.equal(item!.patchTimestamp, recalled.patchMessage!.lastPatchTime);

  const logs = await jerry.request({ cmd: CommandType.logs, logsMessage: { cid } });
  assert.deepEqual(
    logs.logsMessage!.logs!.map((log) => [log.msgId, log.data, log.patchTimestamp]),
    [[first.uid, text('typo'), lastPatchTime], [second.uid, RECALLED, recalled.patchMessage!.lastPatchTime]],
  );
  const unread = await (await login('patch-jerry')).take((c) => c.cmd === CommandType.unread);
  const [tuple] = unread.unreadMessage!.convs!;
  assert.deepEqual([tuple!.mid, tuple!.data, tuple!.patchTimestamp], [second.uid, RECALLED, recalled.patchMessage!.lastPatchTime], 'the last message as patched');

  const theirs = await jerry.request(patch({ cid, mid: first.uid, timestamp: first.t, recall: true }));
  assert.equal(theirs.errorMessage?.code, 4403);
  assert.equal(theirs.errorMessage?.reason, 'MESSAGE_OWNERSHIP_REQUIRED');
  const missing = await tom.request(patch({ cid, mid: 'no-such-message', timestamp: first.t, recall: true }));
  assert.equal(missing.errorMessage?.code, 4404);
  const elsewhere = await tom.request(patch({ cid: 'ffffffffffffffffffffffff', mid: first.uid, timestamp: first.t, recall: true }));
  assert.equal(elsewhere.errorMessage?.code, 4404);
  const empty = await tom.request(patch({ cid, mid: first.uid, timestamp: first.t }));
  assert.equal(empty.errorMessage?.code, 4405, 'an edit without data');
});

test('a client that was offline gets the patches after its lastPatchTime at login', async () => {
  const tom = await login('replay-tom');
  const cid = (await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['replay-jerry'] } })).convMessage!.cid!;
  const ack = (await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('oops') } })).ackMessage!;
  const before = Date.now() - 1;
  const other = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['someone-else'] } });
  const notJerrys = (await tom.request({ cmd: CommandType.direct, directMessage: { cid: other.convMessage!.cid, msg: text('x') } })).ackMessage!;
  await tom.request(patch({ cid: other.convMessage!.cid, mid: notJerrys.uid, timestamp: notJerrys.t, recall: true }));
  const recall = await tom.request(patch({ cid, mid: ack.uid, timestamp: ack.t, recall: true }));

  const jerry = await login('replay-jerry', before);
  const replay = await jerry.take(isPatch);
  assert.deepEqual(replay.patchMessage!.patches!.map((p) => [p.mid, p.recall, p.patchTimestamp]), [[ack.uid, true, recall.patchMessage!.lastPatchTime]], 'only conversations Jerry is in');
  const upToDate = await login('replay-jerry', recall.patchMessage!.lastPatchTime!);
  await assert.rejects(upToDate.take(isPatch, 200), /nothing/);
});
