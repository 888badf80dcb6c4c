/**
 * Chat rooms at the protocol level: no member list, the online count, one
 * room per login, no member events, unread or receipts, the way back in
 * after a reconnect, and message priority when a viewer stops reading
 * (issue acceptance 2: bounded memory, the others get every HIGH and
 * NORMAL message, the slow viewer is cut off, the server keeps serving).
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CommandType, OpType, type Command, type DecodedCommand, type ISessionCommand } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

const clients: RawClient[] = [];
after(() => clients.forEach((c) => c.close()));

async function login(server: TestServer, id: string, sessionMessage: ISessionCommand = {}): Promise<{ client: RawClient; token: string }> {
  const client = await RawClient.connect(server.wsUrl);
  clients.push(client);
  const reply = await client.login(TEST_APP.appId, id, sessionMessage);
  return { client, token: reply.sessionMessage!.st! };
}
const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });
const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const isDirect = (c: DecodedCommand) => c.cmd === CommandType.direct;
const count = async (client: RawClient, cid: string) => (await client.request(conv(OpType.count, { cid }))).convMessage!.count!;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createRoom(host: RawClient, name: string): Promise<string> {
  const reply = await host.request(conv(OpType.start, { m: ['ignored-member'], transient: true, attr: { data: JSON.stringify({ name }) } }));
  assert.equal(reply.op, OpType.started, reply.errorMessage?.detail ?? '');
  return reply.convMessage!.cid!;
}

describe('chat rooms', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ roomResumeMs: 1500 });
  });
  after(() => server.stop());

  test('no member list, online count, no member events, messages to viewers only', async () => {
    const { client: host } = await login(server, 'room-host');
    const { client: alice } = await login(server, 'room-alice');
    const { client: bob } = await login(server, 'room-bob');
    const { client: outsider } = await login(server, 'ignored-member');
    const cid = await createRoom(host, 'live');
    const [room] = JSON.parse((await host.request(conv(OpType.query, { where: { data: JSON.stringify({ objectId: cid }) } }))).convMessage!.results!.data) as { m: string[]; tr: boolean }[];
    assert.deepEqual([room!.m, room!.tr], [[], true]);
    assert.equal(await count(host, cid), 1, 'the creator is in its room');

    for (const viewer of [alice, bob]) assert.deepEqual((await viewer.request(conv(OpType.add, { cid, m: [viewer === alice ? 'room-alice' : 'room-bob'] }))).convMessage?.allowedPids?.length, 1);
    assert.equal(await count(alice, cid), 3);
    const others = await alice.request(conv(OpType.add, { cid, m: ['room-carol'] }));
    assert.equal(others.errorMessage?.code, 4308, 'viewers join by themselves');

    const ack = await host.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('hello room'), r: true } });
    for (const viewer of [alice, bob]) assert.equal((await viewer.take(isDirect)).directMessage?.id, ack.ackMessage!.uid);
    assert.equal((await bob.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('hi host') } })).cmd, CommandType.ack);
    assert.equal((await host.take(isDirect)).directMessage?.fromPeerId, 'room-bob');
    await assert.rejects(outsider.take(() => true, 200), /nothing/, 'no events or messages for anyone outside');
    for (const viewer of [host, alice, bob]) assert.deepEqual(viewer.drain().filter((c) => c.cmd === CommandType.conv || c.cmd === CommandType.rcp), []);
    const refused = await outsider.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('let me in') } });
    assert.equal(refused.errorMessage?.code, 4401, 'only viewers may send');
    const history = await alice.request({ cmd: CommandType.logs, logsMessage: { cid } });
    assert.equal(history.logsMessage?.logs?.length, 2, 'viewers read the room’s history');

    await bob.request(conv(OpType.remove, { cid, m: ['room-bob'] }));
    assert.equal(await count(host, cid), 2);
    await alice.request({ cmd: CommandType.session, op: OpType.close });
    assert.equal(await count(host, cid), 1, 'a logout leaves the room');
    const { client: again } = await login(server, 'room-bob');
    await assert.rejects(again.take((c) => c.cmd === CommandType.unread || isDirect(c), 200), /nothing/, 'no unread, no offline messages');
  });

  test('one room per login: a viewer joining a second room leaves the first; a host stays in the rooms it created', async () => {
    const { client: host } = await login(server, 'one-host');
    const first = await createRoom(host, 'first');
    const second = await createRoom(host, 'second');
    assert.deepEqual([await count(host, first), await count(host, second)], [1, 1]);
    const { client: viewer } = await login(server, 'one-viewer');
    await viewer.request(conv(OpType.add, { cid: first, m: ['one-viewer'] }));
    assert.equal(await count(host, first), 2);
    await viewer.request(conv(OpType.add, { cid: second, m: ['one-viewer'] }));
    assert.deepEqual([await count(host, first), await count(host, second)], [1, 2]);
    await host.request({ cmd: CommandType.direct, directMessage: { cid: first, msg: text('not for the viewer') } });
    await host.request({ cmd: CommandType.direct, directMessage: { cid: second, msg: text('for the viewer') } });
    assert.equal(JSON.parse((await viewer.take(isDirect)).directMessage!.msg!)._lctext, 'for the viewer');
    await assert.rejects(viewer.take(isDirect, 200), /nothing/);

    // Another device of the same client is another login with its own room.
    const { client: tablet } = await login(server, 'one-viewer');
    await tablet.request(conv(OpType.add, { cid: first, m: ['one-viewer'] }));
    assert.deepEqual([await count(host, first), await count(host, second)], [2, 2]);
  });

  test('a viewer that reconnects in time is back in its room; later, or freshly logged in, it is not', async () => {
    const { client: host } = await login(server, 'resume-host');
    const cid = await createRoom(host, 'resume');
    const { client: viewer, token } = await login(server, 'resume-viewer', { deviceId: 'dev-1' });
    await viewer.request(conv(OpType.add, { cid, m: ['resume-viewer'] }));
    viewer.ws.terminate();
    await viewer.closed;
    await delay(50);
    assert.equal(await count(host, cid), 1, 'offline viewers are not counted');

    const back = await RawClient.connect(server.wsUrl);
    clients.push(back);
    await back.login(TEST_APP.appId, 'resume-viewer', { r: true, st: token });
    assert.equal(await count(host, cid), 2, 'back without joining');
    await host.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('welcome back') } });
    assert.equal(JSON.parse((await back.take(isDirect)).directMessage!.msg!)._lctext, 'welcome back');

    // v3 with an expired token re-sends its device id instead.
    back.ws.terminate();
    await back.closed;
    await delay(50);
    const byDevice = await login(server, 'resume-viewer', { r: true, deviceId: 'dev-1' });
    assert.equal(await count(host, cid), 2);
    byDevice.client.ws.terminate();
    await byDevice.client.closed;
    await delay(50);
    await login(server, 'resume-viewer', { deviceId: 'dev-1' });
    assert.equal(await count(host, cid), 1, 'a fresh login (r:false) starts outside any room');

    const { client: late, token: lateToken } = await login(server, 'late-viewer');
    await late.request(conv(OpType.add, { cid, m: ['late-viewer'] }));
    late.ws.terminate();
    await late.closed;
    await delay(1600);
    await login(server, 'late-viewer', { r: true, st: lateToken });
    assert.equal(await count(host, cid), 1, 'after roomResumeMs the place is gone');
  });
});

describe('a viewer that stops reading (acceptance 2)', () => {
  const limits = { maxBufferedBytes: 512 * 1024, writeHighWaterBytes: 64 * 1024, sendQueueMaxAgeMs: 2000 };
  let server: TestServer;
  before(async () => {
    server = await startTestServer(limits);
  });
  after(() => server.stop());

  test('memory stays bounded, the others get every HIGH and NORMAL, the slow viewer is cut off, the server keeps serving', async () => {
    const { client: host } = await login(server, 'stream-host');
    const cid = await createRoom(host, 'stream');
    const fast = await Promise.all(['fast-a', 'fast-b'].map(async (id) => (await login(server, id)).client));
    const { client: slow } = await login(server, 'slow-viewer');
    for (const [client, id] of [[fast[0]!, 'fast-a'], [fast[1]!, 'fast-b'], [slow, 'slow-viewer']] as const) {
      await client.request(conv(OpType.add, { cid, m: [id] }));
    }
    // The slow viewer's process stops reading its socket: the kernel buffers fill, then ours would.
    (slow.ws as unknown as { _socket: Socket })._socket.pause();

    const received = fast.map(() => new Set<string>());
    fast.forEach((client, index) => {
      client.onPush = (command) => {
        if (!isDirect(command)) return false;
        received[index]!.add(JSON.parse(command.directMessage!.msg!)._lctext.split('|')[0]);
        return true;
      };
    });
    let maxPending = 0;
    const sampler = setInterval(() => (maxPending = Math.max(maxPending, server.server.stats().maxPendingBytes)), 5);

    const padding = 'x'.repeat(8 * 1024);
    const expected = new Set<string>();
    const priorities = [1, 2, 3] as const; // HIGH, NORMAL, LOW
    const ROUNDS = 600;
    for (let round = 0; round < ROUNDS; round += 10) {
      const batch: Promise<DecodedCommand>[] = [];
      for (let n = round; n < round + 10; n++) {
        for (const priority of priorities) {
          const label = `${priority}:${n}`;
          if (priority !== 3) expected.add(label);
          batch.push(host.request({ cmd: CommandType.direct, priority, directMessage: { cid, transient: true, msg: text(`${label}|${padding}`) } }));
        }
      }
      for (const reply of await Promise.all(batch)) assert.equal(reply.cmd, CommandType.ack);
      // A steady stream, at the pace of the viewers that keep up: the slow one falls behind all the same.
      const due = [...expected].filter((label) => Number(label.split(':')[1]) < round + 10);
      const until = Date.now() + 5000;
      while (Date.now() < until && received.some((got) => due.some((label) => !got.has(label)))) await delay(1);
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (server.server.stats().slowConsumersCut < 1 || received.some((got) => [...expected].some((label) => !got.has(label))))) await delay(20);
    clearInterval(sampler);

    const stats = server.server.stats();
    assert.equal(stats.slowConsumersCut, 1, 'the slow viewer was cut off');
    const frame = padding.length + 200;
    assert.ok(maxPending <= limits.maxBufferedBytes + frame, `at most ${limits.maxBufferedBytes} bytes held for one socket, saw ${maxPending}`);
    for (const got of received) {
      const missing = [...expected].filter((label) => !got.has(label));
      assert.deepEqual(missing, [], 'every HIGH and NORMAL message reached the viewers that keep up');
    }

    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    const closed = await slow.closed;
    assert.notEqual(closed.code, 1000, 'cut off, not closed politely');
    assert.equal(await count(host, cid), 3, 'the slow viewer is no longer counted');
    const { client: newcomer } = await login(server, 'newcomer');
    await newcomer.request(conv(OpType.add, { cid, m: ['newcomer'] }));
    await host.request({ cmd: CommandType.direct, priority: 1, directMessage: { cid, msg: text('still live') } });
    assert.equal(JSON.parse((await newcomer.take(isDirect)).directMessage!.msg!)._lctext, 'still live');
  });
});
