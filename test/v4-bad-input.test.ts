/**
 * Issue 12 with hostile values: frames whose strings run past their end,
 * and the new commands' inputs (temporary conversations' TTLs and ids,
 * binary payloads, mentions) pushed past their limits, with ids of other
 * apps' conversations. Each refusal has the protocol's code and name, and a
 * bystander keeps chatting throughout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, bytesToBase64, decodeCommand, encodeCommand, type DecodedCommand } from '../src/protocol/codec.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';
import { errorCode as errorCodeOf } from '../src/protocol/errors.js';

const OTHER_APP = { appId: 'other-app-id', appKey: 'other-app-key', masterKey: 'other-master-key' };
// A low create quota, so that the temporary-conversation flood meets it soon.
const env = rawEnvironment({ apps: [TEST_APP, OTHER_APP], conversationsPerMinute: 5 });
const isCmd = (cmd: CommandType) => (c: DecodedCommand) => c.cmd === cmd;

/** A message from one bystander to another gets through. */
async function stillChatting(tag: string): Promise<void> {
  const alice = await env.login(`steady-alice-${tag}`);
  const bob = await env.login(`steady-bob-${tag}`);
  const started = await alice.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [`steady-bob-${tag}`] } });
  const cid = started.convMessage!.cid!;
  bob.drain();
  const ack = await alice.request({ cmd: CommandType.direct, directMessage: { cid, msg: 'still here' } });
  assert.equal(ack.cmd, CommandType.ack);
  const got = await bob.take(isCmd(CommandType.direct));
  assert.equal(got.directMessage?.msg, 'still here');
}

/** The key of a length-delimited field (wire type 2), as a varint. */
function key(field: number): Buffer {
  const value = (field << 3) | 2;
  return value < 128 ? Buffer.from([value]) : Buffer.from([(value & 0x7f) | 0x80, value >> 7]);
}

/** `session open` for `peerId`, then an appId field (3) whose length says `claimed` but only `text` follows. */
function openWithOverrunningAppId(peerId: string, claimed: number, text: string): Uint8Array {
  const head = encodeCommand({ cmd: CommandType.session, op: OpType.open, i: 1, peerId, sessionMessage: { ua: 'strict' } });
  return Buffer.concat([head, Buffer.from([(3 << 3) | 2, claimed]), Buffer.from(text)]);
}

test('strict decoding: a string running past the end of a binary frame is 4114, not a shorter string', async () => {
  const attacker = await env.connect();
  // Before: the server read appId as "test-app-id" (what was there) and opened the session.
  attacker.ws.send(openWithOverrunningAppId('strict-binary', 100, TEST_APP.appId));
  const reply = await attacker.next();
  assert.equal(reply.cmd, CommandType.error);
  assert.equal(reply.errorMessage?.code, 4114);
  assert.equal(reply.errorMessage?.reason, 'UNPARSEABLE_RAW_MESSAGE');
  await stillChatting('strict-binary');
});

test('strict decoding: the same in a base64 frame, and in a nested message’s string and bytes fields', async () => {
  const attacker = await env.connect('lc.proto2base64.3');
  attacker.ws.send(bytesToBase64(openWithOverrunningAppId('strict-text', 100, TEST_APP.appId)));
  assert.equal((await attacker.next()).errorMessage?.code, 4114);

  const sender = await env.login('strict-sender');
  // directMessage (field 104) holding msg (field 1) whose length runs past both ends.
  const direct = Buffer.concat([key(1), Buffer.from([120]), Buffer.from('hi')]);
  const head = encodeCommand({ cmd: CommandType.direct, i: 9 });
  sender.ws.send(Buffer.concat([head, key(104), Buffer.from([direct.length]), direct]));
  assert.equal((await sender.next()).errorMessage?.code, 4114);
  // binaryMsg (field 19) likewise.
  const binary = Buffer.concat([key(19), Buffer.from([120, 1, 2, 3])]);
  sender.ws.send(Buffer.concat([head, key(104), Buffer.from([binary.length]), binary]));
  assert.equal((await sender.next()).errorMessage?.code, 4114);
  await stillChatting('strict-text');
});

test('strict decoding in the codec the SDK uses: a Node buffer and a Uint8Array are refused alike; exact frames decode', () => {
  const bad = openWithOverrunningAppId('codec', 50, 'short');
  assert.throws(() => decodeCommand(Buffer.from(bad)), RangeError);
  assert.throws(() => decodeCommand(new Uint8Array(bad)), RangeError);
  const good = encodeCommand({ cmd: CommandType.direct, peerId: 'p', directMessage: { msg: 'é'.repeat(300), binaryMsg: new Uint8Array(300).fill(7) } });
  for (const bytes of [Buffer.from(good), new Uint8Array(good)]) {
    const decoded = decodeCommand(bytes);
    assert.equal(decoded.directMessage?.msg, 'é'.repeat(300));
    assert.equal(decoded.directMessage?.binaryMsg?.length, 300);
  }
});

test('mentions: thousands of mentionPids are refused (MESSAGE_REJECTED_BY_APP), in a send and in an edit; 500 are fine', async () => {
  const tom = await env.login('mb-tom');
  const started = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['mb-jerry'] } });
  const cid = started.convMessage!.cid!;
  const many = Array.from({ length: 5000 }, (_, n) => `who-${n}`);
  const refused = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: 'hi', mentionPids: many } });
  assert.equal(refused.cmd, CommandType.error);
  assert.equal(refused.errorMessage?.reason, 'MESSAGE_REJECTED_BY_APP');
  const fine = await tom.request({ cmd: CommandType.direct, directMessage: { cid, msg: 'hi', mentionPids: many.slice(0, 500) } });
  assert.equal(fine.cmd, CommandType.ack);
  const edit = await tom.request({
    cmd: CommandType.patch,
    op: OpType.modify,
    patchMessage: { patches: [{ cid, mid: fine.ackMessage!.uid!, timestamp: fine.ackMessage!.t!, data: 'edited', mentionPids: many }] },
  });
  assert.equal(edit.errorMessage?.reason, 'MESSAGE_UPDATE_REJECTED_BY_APP');
  await stillChatting('mentions');
});

test('binary messages: the frame limit holds for bytes as for text (60 KB stored, 70 KB cuts the frame off alike)', async () => {
  const tom = await env.login('bb-tom');
  const started = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['bb-jerry'] } });
  const cid = started.convMessage!.cid!;
  const fits = await tom.request({ cmd: CommandType.direct, directMessage: { cid, binaryMsg: new Uint8Array(60_000).fill(1) } });
  assert.equal(fits.cmd, CommandType.ack);
  const closes: number[] = [];
  for (const directMessage of [{ cid, msg: 'x'.repeat(70_000) }, { cid, binaryMsg: new Uint8Array(70_000).fill(2) }]) {
    const client = await env.login('bb-tom');
    client.send({ cmd: CommandType.direct, i: 1, directMessage });
    closes.push((await client.closed).code);
  }
  assert.equal(closes[0], closes[1], 'bytes and text are refused alike');
  assert.equal(closes[0], 1009);
  const logs = await tom.request({ cmd: CommandType.logs, logsMessage: { cid, limit: 10 } });
  assert.equal(logs.logsMessage!.logs!.length, 1, 'only the message that fit was stored');
  await stillChatting('binary');
});

test('temporary conversations: huge and negative TTLs, chat rooms, thousands of tempConvIds, other apps’ ids, the create quota', async () => {
  const tom = await env.login('tb-tom');
  const huge = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['tb-jerry'], tempConv: true, tempConvTTL: 2_147_483_647 } });
  assert.equal(huge.convMessage?.tempConvTTL, 86_400, 'cut to the maximum');
  const cid = huge.convMessage!.cid!;
  for (const convMessage of [
    { m: ['tb-jerry'], tempConv: true, tempConvTTL: -1 },
    { m: ['tb-jerry'], tempConv: true, tempConvTTL: -2_147_483_648 },
    { tempConv: true, transient: true },
  ]) {
    const refused = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage });
    assert.deepEqual([refused.errorMessage?.code, refused.errorMessage?.reason], [4301, 'CONVERSATION_API_FAILED'], JSON.stringify(convMessage));
  }

  const many = Array.from({ length: 5000 }, (_, n) => `_tmp:${n}`);
  const flood = await tom.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { tempConvIds: many } });
  assert.equal(flood.errorMessage?.reason, 'CONVERSATION_QUERY_FAILED');
  const odd = await tom.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { tempConvIds: ['x'.repeat(10_000), '', cid, cid] } });
  assert.deepEqual((JSON.parse(odd.convMessage!.results!.data!) as { objectId: string }[]).map((row) => row.objectId), [cid], 'junk ignored, duplicates once');

  // Another app's client, same server: the id means nothing there.
  const other = await env.connect();
  await other.login(OTHER_APP.appId, 'tb-tom');
  const crossApp = await other.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { tempConvIds: [cid] } });
  assert.deepEqual(JSON.parse(crossApp.convMessage!.results!.data!), []);
  const crossSend = await other.request({ cmd: CommandType.direct, directMessage: { cid, msg: 'hi' } });
  assert.equal(crossSend.errorMessage?.code, 4323);
  const crossLogs = await other.request({ cmd: CommandType.logs, logsMessage: { cid, limit: 5 } });
  assert.equal(crossLogs.errorMessage?.code, 4323);

  // The per-client create quota (5 a minute here) counts temporary conversations too.
  const codes: (number | null | undefined)[] = [];
  for (let n = 0; n < 6; n++) {
    const reply = await tom.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['tb-jerry'], tempConv: true, tempConvTTL: 60 } });
    codes.push(reply.errorMessage?.code);
  }
  assert.ok(codes.includes(errorCodeOf('CONVERSATION_API_QUOTA_EXCEEDED')), `quota met: ${JSON.stringify(codes)}`);
  await stillChatting('temporary');
});
