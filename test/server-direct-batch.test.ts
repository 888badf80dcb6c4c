/**
 * The persisted `direct` path in batches (handlers/direct-batch.ts): many
 * `direct` frames arriving in one read are stored in one append and
 * answered one by one, in order, with the same answers the per-message
 * path gives; pushes follow the acks.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { test } from 'node:test';
import { CommandType, OpType, fromFrame, has, type Command, type DecodedCommand } from '../src/protocol/codec.js';
import type { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

const env = rawEnvironment();
const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const direct = (cid: string, directMessage: Record<string, unknown>, peerId?: string): Command => ({
  cmd: CommandType.direct,
  ...(peerId ? { peerId } : {}),
  directMessage: { cid, ...directMessage },
});

/** Sends the commands with one write, so the server reads them together; resolves with the replies in request order. */
function burst(client: RawClient, commands: Command[], timeoutMs = 10_000): Promise<DecodedCommand[]> {
  const raw = (client.ws as unknown as { _socket: Socket })._socket;
  raw.cork();
  const replies = commands.map((command) => client.request(command, timeoutMs));
  raw.uncork();
  return Promise.all(replies);
}

/** Every frame the client gets from now on, in arrival order. */
function record(client: RawClient): DecodedCommand[] {
  const frames: DecodedCommand[] = [];
  client.ws.on('message', (data: Buffer, isBinary: boolean) => frames.push(fromFrame(isBinary ? new Uint8Array(data) : data.toString())));
  return frames;
}

async function start(client: RawClient, members: string[], peerId?: string): Promise<string> {
  const reply = await client.request({ cmd: CommandType.conv, op: OpType.start, ...(peerId ? { peerId } : {}), convMessage: { m: members } });
  assert.ok(reply.convMessage?.cid, `conv start refused: ${reply.errorMessage?.reason}`);
  return reply.convMessage.cid;
}

const reasonOf = (reply: DecodedCommand) => (reply.cmd === CommandType.error ? reply.errorMessage?.reason : 'ack');

test('a burst of good and bad directs in one read: one answer per command, in order, with the per-message path codes; a dt retry in the batch acks the first message and is not pushed', async () => {
  const sender = await env.login('batch-sender');
  const reader = await env.login('batch-reader');
  const owner = await env.login('batch-owner');
  const cid = await start(sender, ['batch-reader']);
  const others = await start(owner, ['batch-someone']);
  const muted = await start(owner, ['batch-sender']);
  const mute = await owner.request({ cmd: CommandType.conv, op: OpType.add_shutup, convMessage: { cid: muted, m: ['batch-sender'] } });
  assert.notEqual(mute.cmd, CommandType.error, `mute refused: ${mute.errorMessage?.reason}`);
  // Warm this node's cache for one conversation: both kinds of batch entries (cached, read first) are in the burst.
  assert.equal((await sender.request(direct(cid, { msg: text('warm'), dt: 'warm' }))).cmd, CommandType.ack);
  await reader.take((c) => c.cmd === CommandType.direct);
  const pushed = record(reader);
  const answered = record(sender);

  const replies = await burst(sender, [
    direct(cid, { msg: text('one'), dt: 'dt-1' }),
    direct(cid, {}),
    direct(others, { msg: text('not a member') }),
    direct(muted, { msg: text('muted') }),
    direct(cid, { msg: text('one, again'), dt: 'dt-1' }),
    direct(cid, { msg: text('two'), dt: 'x'.repeat(65) }),
    direct('5f0000000000000000000000', { msg: text('nowhere') }),
    direct(cid, { msg: text('two'), dt: 'dt-2', mentionPids: ['batch-reader'] }),
    direct(cid, { msg: text('three') }),
  ]);
  assert.deepEqual(replies.map(reasonOf), [
    'ack',
    'MESSAGE_REJECTED_BY_APP',
    'INVALID_MESSAGING_TARGET',
    'SILIENCED',
    'ack',
    'MESSAGE_REJECTED_BY_APP',
    'INVALID_MESSAGING_TARGET',
    'ack',
    'ack',
  ]);
  assert.deepEqual(replies.map((r) => r.i), [...replies.keys()].map((k) => replies[0]!.i + k), 'each reply carries its own i');
  assert.deepEqual(answered.filter((c) => has(c, 'i')).map((c) => c.i), replies.map((r) => r.i), 'the replies arrived in the order of the commands, refusals included');
  const [first, , , , retry, , , second, third] = replies;
  assert.equal(retry!.ackMessage!.uid, first!.ackMessage!.uid, 'the retry is acked with the first message');
  assert.equal(retry!.ackMessage!.t, first!.ackMessage!.t);
  assert.equal(new Set([first, second, third].map((r) => r!.ackMessage!.uid)).size, 3);

  // The reader gets the three messages once each, in the order they were sent; the retry is not pushed.
  const ids = [first, second, third].map((r) => r!.ackMessage!.uid);
  for (let tries = 0; tries < 300 && pushed.filter((c) => c.cmd === CommandType.direct).length < 3; tries++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100));
  const messages = pushed.filter((c) => c.cmd === CommandType.direct).map((c) => c.directMessage!);
  assert.deepEqual(messages.map((m) => m.id), ids);
  assert.deepEqual(messages.map((m) => m.msg), [text('one'), text('two'), text('three')]);
  assert.deepEqual(messages[1]!.mentionPids, ['batch-reader']);

  // Stored in that order, once each.
  const history = await sender.request({ cmd: CommandType.logs, logsMessage: { cid, l: 10 } });
  assert.deepEqual(history.logsMessage!.logs!.map((item) => item.msgId).slice(1), ids);
  const stored = history.logsMessage!.logs!.map((item) => item.data);
  assert.deepEqual(stored, [text('warm'), text('one'), text('two'), text('three')]);
});

test('two sessions on one socket: every ack of a burst reaches the sender before the push of its message reaches the other session', async () => {
  const socket = await env.connect();
  await socket.login(TEST_APP.appId, 'batch-left');
  await socket.login(TEST_APP.appId, 'batch-right');
  const cid = await start(socket, ['batch-right'], 'batch-left');
  await socket.take((c) => c.cmd === CommandType.conv && c.op === OpType.joined && c.peerId === 'batch-right');
  socket.drain();
  const frames = record(socket);
  const count = 20;
  const replies = await burst(
    socket,
    Array.from({ length: count }, (_, n) => direct(cid, { msg: text(`m${n}`), dt: `order-${n}` }, 'batch-left')),
  );
  assert.ok(replies.every((r) => r.cmd === CommandType.ack), 'every message acked');
  for (let tries = 0; tries < 300 && frames.filter((c) => c.cmd === CommandType.direct).length < count; tries++) await new Promise((r) => setTimeout(r, 10));
  for (const reply of replies) {
    const ackAt = frames.findIndex((c) => has(c, 'i') && c.i === reply.i);
    const pushAt = frames.findIndex((c) => c.cmd === CommandType.direct && c.directMessage?.id === reply.ackMessage!.uid);
    assert.ok(ackAt >= 0 && pushAt >= 0, 'both arrived');
    assert.ok(ackAt < pushAt, `the ack (frame ${ackAt}) before the push of its message (frame ${pushAt})`);
    assert.equal(frames[pushAt]!.peerId, 'batch-right');
  }
  assert.deepEqual(
    frames.filter((c) => c.cmd === CommandType.direct).map((c) => c.directMessage!.msg),
    Array.from({ length: count }, (_, n) => text(`m${n}`)),
    'pushed in the order sent',
  );
});

test('bursts from many sockets in one tick: each client gets its own answers, and a retry in a later burst is acked with the first message', async () => {
  const clients = await Promise.all(Array.from({ length: 5 }, (_, n) => env.login(`batch-many-${n}`)));
  const cids = await Promise.all(clients.map((client, n) => start(client, [`batch-many-peer-${n}`])));
  const rounds = await Promise.all(clients.map((client, n) => burst(client, Array.from({ length: 10 }, (_, k) => direct(cids[n]!, { msg: text(`${n}/${k}`), dt: `d${k}` })))));
  const again = await Promise.all(clients.map((client, n) => burst(client, Array.from({ length: 10 }, (_, k) => direct(cids[n]!, { msg: text(`${n}/${k} again`), dt: `d${k}` })))));
  for (let n = 0; n < clients.length; n++) {
    assert.ok(rounds[n]!.every((r) => r.cmd === CommandType.ack));
    assert.deepEqual(again[n]!.map((r) => r.ackMessage?.uid), rounds[n]!.map((r) => r.ackMessage!.uid), 'retries acked with the first messages');
    const history = await clients[n]!.request({ cmd: CommandType.logs, logsMessage: { cid: cids[n]!, l: 100 } });
    assert.deepEqual(history.logsMessage!.logs!.map((item) => item.data), Array.from({ length: 10 }, (_, k) => text(`${n}/${k}`)), 'stored once each, in order');
  }
});

test('rate limit inside a batch: the messages past the budget are refused in their turn, the others acked', async () => {
  const limited = rawEnvironmentLimited;
  const client = await limited.login('batch-flooder');
  const cid = await start(client, ['batch-flooded']);
  const replies = await burst(client, Array.from({ length: 8 }, (_, n) => direct(cid, { msg: text(`f${n}`) })));
  const reasons = replies.map(reasonOf);
  assert.ok(reasons.includes('ack'), 'some are acked');
  assert.ok(reasons.includes('MESSAGE_SENT_QUOTA_EXCEEDED'), 'the rest are refused');
  assert.deepEqual(reasons.slice(reasons.indexOf('MESSAGE_SENT_QUOTA_EXCEEDED')).filter((r) => r === 'ack'), [], 'refused from the first over the budget on');
});

const rawEnvironmentLimited = rawEnvironment({ messagesPerSecond: 3 });
