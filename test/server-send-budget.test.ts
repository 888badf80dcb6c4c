/**
 * The server-wide cap on bytes held in all send queues
 * (`--max-send-buffer-total`): over it, the sockets holding the most first
 * lose their chat-room frames, and only then are cut off, the largest
 * first; the viewers that keep reading lose nothing.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { ServerSendBudget, type BudgetedSocket } from '../src/server/gateway/send-budget.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A socket as the budget sees it, holding `droppable` bytes of chat-room frames among `pendingBytes`. */
type FakeSocket = { -readonly [K in keyof BudgetedSocket]: BudgetedSocket[K] } & { name: string };

function fakeSocket(name: string, pendingBytes: number, droppable: number, events: string[]): FakeSocket {
  return {
    name,
    isOpen: true,
    pendingBytes,
    cutOff() {
      events.push(`cut ${name}`);
      this.isOpen = false;
      this.pendingBytes = 0;
    },
    shedDroppable(bytes: number) {
      const dropped = Math.min(droppable, bytes);
      if (dropped === 0) return { frames: 0, bytes: 0 };
      droppable -= dropped;
      this.pendingBytes -= dropped;
      events.push(`shed ${name} ${dropped}`);
      return { frames: 1, bytes: dropped };
    },
  };
}

test('over the cap, the largest holders shed their chat-room frames first, and only what is still over cuts sockets off, largest first', () => {
  const events: string[] = [];
  const logged: string[] = [];
  const sockets = [fakeSocket('small', 10, 10, events), fakeSocket('largest', 50, 20, events), fakeSocket('middle', 30, 30, events)];
  const budget = new ServerSendBudget(100, () => sockets, (line) => logged.push(line));

  budget.charge(100);
  assert.deepEqual(events, [], '90 bytes held: under the cap of 100, nothing happens');

  sockets[0]!.pendingBytes += 25; // 115 held: 15 over
  budget.charge(25);
  assert.deepEqual(events, ['shed largest 15'], 'the largest holder sheds just what is over; nobody is cut off');

  sockets[1]!.pendingBytes += 40; // largest: 75 (5 droppable left), small 35 (10), middle 30 (30): 140 held, 40 over
  budget.charge(40);
  assert.deepEqual(events.slice(1), ['shed largest 5', 'shed small 10', 'shed middle 25'], 'then the next largest, until under the cap');
  assert.ok(sockets.every((socket) => socket.isOpen));

  sockets[1]!.pendingBytes += 30; // largest 100 (nothing droppable), small 25, middle 5 (5): 130 held, 30 over
  budget.charge(30);
  assert.deepEqual(events.slice(4), ['shed middle 5', 'cut largest'], 'what is left droppable goes first, then the largest holder is cut off');
  assert.deepEqual(
    sockets.map((socket) => socket.isOpen),
    [true, false, true],
  );
  assert.deepEqual(budget.stats(), { sendBufferTotalLimit: 100, framesShedForTotal: 5, cutForTotal: 1 });
  assert.match(logged.at(-1)!, /over the server-wide cap of 100: shed 1 chat-room frames of 1 sockets, cut off 1/);
});

describe('the cap on a real server: stalled viewers of a chat room', () => {
  const limits = { maxBufferedBytes: 1024 * 1024, maxTotalBufferedBytes: 3 * 1024 * 1024, writeHighWaterBytes: 64 * 1024, sendQueueMaxAgeMs: 30_000 };
  const logged: string[] = [];
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ...limits, log: (line) => logged.push(line) });
  });
  after(() => server.stop());

  test('NORMAL floods are shed and HIGH ones cut the largest off, while the viewer that reads gets every message', async () => {
    const connect = async (id: string) => {
      const client = await RawClient.connect(server.wsUrl);
      await client.login(TEST_APP.appId, id);
      return client;
    };
    const host = await connect('cap-host');
    const started = await host.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { transient: true } });
    const cid = started.convMessage!.cid!;
    const reader = await connect('cap-reader');
    const stalled = await Promise.all(Array.from({ length: 6 }, (_, n) => connect(`cap-stalled-${n}`)));
    for (const [client, id] of [[reader, 'cap-reader'], ...stalled.map((client, n) => [client, `cap-stalled-${n}`] as const)] as const) {
      assert.equal((await client.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: [id] } })).cmd, CommandType.conv);
    }
    const got: string[] = [];
    reader.onPush = (command) => {
      if (command.cmd !== CommandType.direct) return false;
      got.push(command.directMessage!.msg!.slice(0, 12).trim());
      return true;
    };
    // Their processes stop reading: the kernel's buffers fill, then the server's queues.
    for (const client of stalled) (client.ws as unknown as { _socket: Socket })._socket.pause();
    let maxPending = 0;
    const sampler = setInterval(() => (maxPending = Math.max(maxPending, server.server.stats().pendingBytes)), 2);
    const padding = 'x'.repeat(16 * 1024);
    const sent: string[] = [];
    const flood = async (priority: number, count: number, until: () => boolean = () => false) => {
      for (let n = 0; n < count && !until(); n += 8) {
        const batch = Array.from({ length: 8 }, (_, k) => {
          const label = `${priority === 1 ? 'H' : 'N'}${String(n + k).padStart(6, '0')}`;
          sent.push(label);
          return host.request({ cmd: CommandType.direct, priority, directMessage: { cid, msg: `${label.padEnd(12)}${padding}` } });
        });
        for (const reply of await Promise.all(batch)) assert.equal(reply.cmd, CommandType.ack);
        // At the reader's pace: it keeps up, the stalled ones fall behind all the same.
        for (const until = Date.now() + 5000; got.length < sent.length && Date.now() < until; ) await delay(1);
      }
    };
    try {
      await flood(2, 800); // 12.5 MiB of NORMAL
      const afterNormal = server.server.stats();
      assert.ok(afterNormal.framesShedForTotal > 0, 'the cap shed chat-room frames');
      assert.equal(afterNormal.cutForTotal, 0, 'droppable frames alone cut nobody off');
      assert.equal(afterNormal.slowConsumersCut, 0);

      // HIGH is never dropped: the stalled ones fill up (the kernel's buffers first) until they are cut off.
      await flood(1, 2400, () => server.server.stats().slowConsumersCut === stalled.length);
    } finally {
      clearInterval(sampler);
    }
    const stats = server.server.stats();
    assert.ok(stats.cutForTotal >= 1, `the cap cut the largest holders off (${stats.cutForTotal})`);
    assert.ok(stats.framesShedForTotal >= 1);
    assert.equal(stats.sendBufferTotalLimit, limits.maxTotalBufferedBytes);
    assert.ok(maxPending <= limits.maxTotalBufferedBytes + 2 * (padding.length + 200), `at most the cap held at once (plus a frame in flight), saw ${maxPending}`);
    assert.deepEqual(got, sent, 'the reader got every NORMAL and HIGH message, in order');
    assert.ok(logged.some((line) => /over the server-wide cap of 3145728: shed \d+ chat-room frames/.test(line)), 'the shedding is logged');
    assert.equal((await reader.request({ cmd: CommandType.echo })).cmd, CommandType.echo, 'the reader is still served');
    for (const client of stalled) client.ws.terminate();
    reader.close();
    host.close();
  });
});

describe('one socket\'s budget on a real server: a stalled viewer of a chat room', () => {
  const limits = { maxBufferedBytes: 256 * 1024, writeHighWaterBytes: 32 * 1024, sendQueueMaxAgeMs: 120_000 };
  let server: TestServer;
  before(async () => {
    server = await startTestServer(limits);
  });
  after(() => server.stop());

  test('never holds more than its budget, sheds NORMAL, is cut off by a HIGH frame that cannot fit, and never holds the reader back', async () => {
    const connect = async (id: string) => {
      const client = await RawClient.connect(server.wsUrl);
      await client.login(TEST_APP.appId, id);
      return client;
    };
    const host = await connect('budget-host');
    const started = await host.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { transient: true } });
    const cid = started.convMessage!.cid!;
    const reader = await connect('budget-reader');
    const stalled = await connect('budget-stalled');
    for (const [client, id] of [[reader, 'budget-reader'], [stalled, 'budget-stalled']] as const) {
      assert.equal((await client.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid, m: [id] } })).cmd, CommandType.conv);
    }
    (stalled.ws as unknown as { _socket: Socket })._socket.pause();
    let maxPending = 0;
    const sample = () => (maxPending = Math.max(maxPending, server.server.stats().maxPendingBytes));
    const sampler = setInterval(sample, 1);
    const padding = 'x'.repeat(16 * 1024);
    // Lock-step: each message reaches the reader before the next one is sent, so the stalled viewer's
    // full queue can hold none of them back.
    const sendAndReceive = async (priority: number, label: string) => {
      const reply = await host.request({ cmd: CommandType.direct, priority, directMessage: { cid, msg: `${label}|${padding}` } });
      assert.equal(reply.cmd, CommandType.ack);
      sample();
      const got = await reader.take((command) => command.cmd === CommandType.direct, 10_000);
      assert.equal(got.directMessage!.msg!.split('|')[0], label, 'the reader gets every message, in order');
    };
    try {
      // NORMAL until the stalled viewer's queue is full and sheds (the kernel's buffers fill first).
      let sent = 0;
      while (server.server.stats().droppedFrames < 50) {
        assert.ok(sent < 2000, 'the stalled viewer dropped NORMAL frames within 32 MB of them');
        await sendAndReceive(2, `N${sent++}`);
      }
      assert.equal(server.server.stats().slowConsumersCut, 0, 'NORMAL frames are dropped; nobody is cut off for them');
      // HIGH ones are never dropped: the first that cannot fit cuts the viewer off.
      for (let n = 0; server.server.stats().slowConsumersCut === 0; n++) {
        assert.ok(n < 200, 'a HIGH frame that could not fit cut the stalled viewer off');
        await sendAndReceive(1, `H${n}`);
      }
    } finally {
      clearInterval(sampler);
    }
    assert.ok(maxPending <= limits.maxBufferedBytes, `one socket never held more than its budget (${limits.maxBufferedBytes}), saw ${maxPending}`);
    assert.ok(maxPending > limits.maxBufferedBytes - 2 * (padding.length + 200), `the stalled viewer's queue did fill up to its budget, saw ${maxPending}`);
    (stalled.ws as unknown as { _socket: Socket })._socket.resume();
    assert.notEqual((await stalled.closed).code, 1000, 'cut off, not closed politely');
    await sendAndReceive(1, 'after');
    reader.close();
    host.close();
  });
});
