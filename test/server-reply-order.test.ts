/**
 * A command's reply goes out before the pushes it causes on the same
 * socket (issue 12, "Ordering"): two sessions share one connection, one
 * acts, and the other's push must not overtake the actor's reply, so a
 * client never sees the effect of its own command before the answer to it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, fromFrame, has, type Command, type DecodedCommand } from '../src/protocol/codec.js';
import type { Connection } from '../src/server/gateway/connection.js';
import { inReplyScope, releaseHeld, replyScope, sendOrHold, currentReplyScope } from '../src/server/gateway/reply-order.js';
import { nextEvent, v4, type OfficialConversation, type OfficialMessage } from './helpers/official-sdk.js';
import type { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { TEST_APP } from './helpers/server.js';

const env = rawEnvironment();
const conv = (op: OpType, convMessage: Record<string, unknown>, peerId: string): Command => ({ cmd: CommandType.conv, op, peerId, convMessage });
const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });

/** One socket with two sessions on it, and every frame it receives, in arrival order. */
async function sharedSocket(a: string, b: string): Promise<{ socket: RawClient; frames: DecodedCommand[] }> {
  const socket = await env.connect();
  await socket.login(TEST_APP.appId, a);
  await socket.login(TEST_APP.appId, b);
  const frames: DecodedCommand[] = [];
  socket.ws.on('message', (data: Buffer, isBinary: boolean) => frames.push(fromFrame(isBinary ? new Uint8Array(data) : data.toString())));
  socket.drain();
  return { socket, frames };
}

/** Sends `command`, waits for its reply and for the push `isPush` to `pushPeer`; asserts the reply came first. */
async function assertReplyFirst(
  socket: RawClient,
  frames: DecodedCommand[],
  command: Command,
  pushPeer: string,
  isPush: (c: DecodedCommand) => boolean,
  what: string,
): Promise<DecodedCommand> {
  frames.length = 0;
  const reply = await socket.request(command);
  assert.notEqual(reply.cmd, CommandType.error, `${what}: ${reply.errorMessage?.reason ?? ''} ${reply.errorMessage?.detail ?? ''}`);
  const matches = (c: DecodedCommand) => !has(c, 'i') && c.peerId === pushPeer && isPush(c);
  await socket.take(matches);
  const replyAt = frames.findIndex((c) => has(c, 'i') && c.i === reply.i);
  const pushAt = frames.findIndex(matches);
  assert.ok(replyAt >= 0 && pushAt >= 0, `${what}: both arrived`);
  assert.ok(replyAt < pushAt, `${what}: the reply (frame ${replyAt}) before the push to ${pushPeer} (frame ${pushAt}) on the same socket`);
  return reply;
}

test('conv update, add, remove: the actor gets its reply before the other session on its socket gets the push', async () => {
  const { socket, frames } = await sharedSocket('order-owner', 'order-member');
  const started = await socket.request(conv(OpType.start, { m: ['order-member', 'order-third'] }, 'order-owner'));
  const cid = started.convMessage!.cid!;
  socket.drain();

  await assertReplyFirst(socket, frames, conv(OpType.update, { cid, attr: { data: JSON.stringify({ name: 'renamed' }) } }, 'order-owner'), 'order-member',
    (c) => c.cmd === CommandType.conv && c.op === OpType.updated, 'conv update');
  await assertReplyFirst(socket, frames, conv(OpType.remove, { cid, m: ['order-member'] }, 'order-owner'), 'order-member',
    (c) => c.cmd === CommandType.conv && c.op === OpType.left, 'conv remove');
  await assertReplyFirst(socket, frames, conv(OpType.add, { cid, m: ['order-member'] }, 'order-owner'), 'order-member',
    (c) => c.cmd === CommandType.conv && c.op === OpType.joined, 'conv add');
});

test('direct and patch: the sender gets its ack before the other member on its socket gets the message or the edit', async () => {
  const { socket, frames } = await sharedSocket('order-sender', 'order-reader');
  const cid = (await socket.request(conv(OpType.start, { m: ['order-reader'] }, 'order-sender'))).convMessage!.cid!;
  socket.drain();

  const ack = await assertReplyFirst(socket, frames, { cmd: CommandType.direct, peerId: 'order-sender', directMessage: { cid, msg: text('hello') } }, 'order-reader',
    (c) => c.cmd === CommandType.direct, 'direct');
  const { uid, t } = ack.ackMessage!;
  await assertReplyFirst(socket, frames,
    { cmd: CommandType.patch, op: OpType.modify, peerId: 'order-sender', patchMessage: { patches: [{ cid, mid: uid, timestamp: t, data: text('hello!') }] } },
    'order-reader', (c) => c.cmd === CommandType.patch && c.op === OpType.modify, 'patch');
});

test('a command without `i` holds nothing back: its push arrives though no reply ever will', async () => {
  const { socket } = await sharedSocket('order-quiet', 'order-listener');
  const cid = (await socket.request(conv(OpType.start, { m: ['order-listener'] }, 'order-quiet'))).convMessage!.cid!;
  socket.drain();
  socket.send({ cmd: CommandType.direct, peerId: 'order-quiet', directMessage: { cid, msg: text('fire and forget') } });
  const pushed = await socket.take((c) => c.cmd === CommandType.direct && c.peerId === 'order-listener');
  assert.equal(pushed.directMessage?.msg, text('fire and forget'));
});

test('reply scope: held frames go out on release, also when the handler throws; later pushes are not held', async () => {
  const sent: string[] = [];
  const fake = (name: string) => ({ sendPush: (bytes: Uint8Array) => sent.push(`${name}:${Buffer.from(bytes).toString()}`) }) as unknown as Connection;
  const mine = fake('mine');
  const other = fake('other');
  const scope = replyScope(mine);
  await assert.rejects(
    inReplyScope(scope, async () => {
      await Promise.resolve();
      const current = currentReplyScope();
      sendOrHold(current, mine, Buffer.from('held'));
      sendOrHold(current, other, Buffer.from('fan-out'));
      throw new Error('handler failed');
    }),
    /handler failed/,
  );
  assert.deepEqual(sent, ['other:fan-out'], 'only the push to another connection went out');
  sent.push('mine:error reply');
  releaseHeld(scope);
  releaseHeld(scope);
  assert.deepEqual(sent, ['other:fan-out', 'mine:error reply', 'mine:held'], 'released once, after the reply');
  await inReplyScope(scope, async () => sendOrHold(currentReplyScope(), mine, Buffer.from('late')));
  assert.deepEqual(sent.at(-1), 'mine:late', 'a released scope holds nothing');
});

test('official SDK 4.3.1: two IMClients on one Realtime (one socket) get the reply before the push', async () => {
  const realtime = v4.realtime({ appId: env.server.appId, appKey: env.server.appKey, wsUrl: env.server.wsUrl });
  const alice = await realtime.createIMClient('order-v4-alice');
  const bob = await realtime.createIMClient('order-v4-bob');
  await (await env.connect()).login(TEST_APP.appId, 'order-v4-carol');
  // Every frame the SDK's connection handles, in order: replies carry `i`.
  const connection = (await (realtime as unknown as { _open(): Promise<{ handleMessage(msg: unknown): void }> })._open());
  const frames: DecodedCommand[] = [];
  const handle = connection.handleMessage.bind(connection);
  connection.handleMessage = (msg: unknown) => {
    frames.push(fromFrame(typeof msg === 'string' ? msg : new Uint8Array(msg as ArrayBuffer)));
    handle(msg);
  };
  const pushTo = async (peer: string, match: (c: DecodedCommand) => boolean, what: string) => {
    for (let tries = 0; tries < 300 && !frames.some((c) => !has(c, 'i') && c.peerId === peer && match(c)); tries++) await new Promise((r) => setTimeout(r, 10));
    const replyAt = frames.findIndex((c) => has(c, 'i'));
    const pushAt = frames.findIndex((c) => !has(c, 'i') && c.peerId === peer && match(c));
    assert.ok(replyAt >= 0 && pushAt >= 0, `${what}: both arrived`);
    assert.ok(replyAt < pushAt, `${what}: reply (frame ${replyAt}) before the push to ${peer} (frame ${pushAt})`);
    frames.length = 0;
  };
  try {
    const conversation = await alice.createConversation({ members: ['order-v4-bob'], name: 'before' }) as OfficialConversation & { name: string; save(): Promise<unknown>; add(ids: string[]): Promise<unknown> };
    await new Promise((r) => setTimeout(r, 50));
    frames.length = 0;
    conversation.name = 'after';
    await conversation.save();
    await pushTo('order-v4-bob', (c) => c.cmd === CommandType.conv && c.op === OpType.updated, 'save');
    await conversation.add(['order-v4-carol']);
    await pushTo('order-v4-bob', (c) => c.cmd === CommandType.conv && c.op === OpType.members_joined, 'add');
    const bobGets = nextEvent<[OfficialMessage]>(bob, 'message');
    await conversation.send(new v4.TextMessage('in order'));
    await pushTo('order-v4-bob', (c) => c.cmd === CommandType.direct, 'send');
    assert.equal((await bobGets)[0].text, 'in order');
  } finally {
    (realtime as unknown as { _close(): void })._close();
  }
});

test('conv queries: a push published while a query of the recipient runs follows its reply; many queries in flight hold nothing for ever', async () => {
  const { socket, frames } = await sharedSocket('order-asker', 'order-other');
  const sender = await env.connect();
  await sender.login(TEST_APP.appId, 'order-talker');
  const cid = (await sender.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['order-asker'] } })).convMessage!.cid!;
  await socket.take((c) => c.op === OpType.joined);
  frames.length = 0;
  const where = { data: JSON.stringify({ objectId: cid }) };
  // Two hundred queries in flight, and a message published among them.
  const queries = Array.from({ length: 200 }, () => socket.request(conv(OpType.query, { where }, 'order-asker'), 30_000));
  const sent = sender.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('among the queries') } });
  const replies = await Promise.all(queries);
  assert.ok(replies.every((r) => r.cmd === CommandType.conv && r.op === OpType.results), 'every query answered');
  assert.equal((await sent).cmd, CommandType.ack);
  const pushed = await socket.take((c) => c.cmd === CommandType.direct);
  assert.equal(pushed.directMessage?.msg, text('among the queries'), 'the push is delivered, not held for ever');
  const pushAt = frames.findIndex((c) => c.cmd === CommandType.direct);
  const repliedBefore = frames.slice(0, pushAt).filter((c) => has(c, 'i')).length;
  assert.ok(repliedBefore >= 1, 'at least the queries received before the message was published were answered before it');
});
