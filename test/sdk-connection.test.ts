/**
 * The SDK's connection behaviour against a real server: reconnect after
 * the server goes away (events, back-off, manual retry, session re-open),
 * heartbeat, command timeout and liveness (through a proxy that can stop
 * forwarding), pause/resume, single-device conflicts, and command errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/index.js';
import {
  MessageStatus,
  ProtocolError,
  Realtime,
  TextMessage,
  type ConnectionTimings,
  type IMClient,
  type WebSocketConstructor,
} from '../src/sdk/index.js';
import { backoffDelay } from '../src/sdk/backoff.js';
import { DEFAULT_TIMINGS } from '../src/sdk/connection.js';
import { delay, nextEvent, record, recordingWebSocket } from './helpers/sdk-env.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function server(options: { dataDir?: string; port?: number; maxPayload?: number } = {}): Promise<TestServer> {
  const started = await startTestServer(options);
  cleanups.push(() => started.stop().catch(() => {}));
  return started;
}

function realtime(target: TestServer | string, options: { WebSocket?: WebSocketConstructor; timings?: Partial<ConnectionTimings> } = {}): Realtime {
  const url = typeof target === 'string' ? target : target.wsUrl;
  // Exact delays (no jitter): these tests assert the back-off's sequence; the jitter's bounds are tested in sdk-fake-server.
  const created = new Realtime({ appId: 'test-app-id', appKey: 'test-app-key', server: url, backoffJitter: false, ...options });
  cleanups.push(() => created.close());
  return created;
}




/** Records the connection events of a Realtime and its clients, labelled, in one list. */
function recordEvents(rt: Realtime, clients: Record<string, IMClient>): string[] {
  const events: string[] = [];
  const watch = (label: string, emitter: Realtime | IMClient) => {
    const on = emitter.on.bind(emitter) as (event: string, listener: (...args: unknown[]) => void) => void;
    for (const event of ['disconnect', 'schedule', 'retry', 'reconnect', 'offline', 'online']) {
      on(event, (...args) => events.push([`${label}:${event}`, ...args].join(' ')));
    }
  };
  watch('realtime', rt);
  for (const [label, client] of Object.entries(clients)) watch(label, client);
  return events;
}

/**
 * A TCP proxy in front of the server that can misbehave like a network:
 * `silent` stops forwarding bytes (a dead link), `refuse` cuts existing
 * connections and new ones at once (a server that is down). Switching is
 * instant, unlike restarting a server.
 */
async function proxy(targetPort: number): Promise<{ url: string; mode(mode: 'forward' | 'silent' | 'refuse'): void }> {
  let current: 'forward' | 'silent' | 'refuse' = 'forward';
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (current === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => current === 'forward' && upstream.write(chunk));
    upstream.on('data', (chunk) => current === 'forward' && client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    mode(mode) {
      current = mode;
      if (mode === 'refuse') for (const socket of sockets) socket.destroy();
    },
  };
}

describe('reconnect', () => {
  test('after the server restarts: disconnect → schedule → retry → reconnect, sessions re-open with r and st', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-sdk-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await server({ dataDir });
    const port = Number(new URL(first.wsUrl).port);
    const recorder = recordingWebSocket();
    const tomRealtime = realtime(first, { WebSocket: recorder.WebSocket });
    const tom = await tomRealtime.createIMClient('Tom');
    const jerryRealtime = realtime(first);
    const jerry = await jerryRealtime.createIMClient('Jerry');
    const conversation = await tom.createConversation({ members: ['Jerry'], name: 'Tom & Jerry' });
    // Jerry has it before the restart: otherwise his catch-up after it would deliver it (rightly) as the next message.
    const jerryGotBefore = nextEvent(jerry, 'message');
    const before = await conversation.send(new TextMessage('before'));
    assert.equal((await jerryGotBefore)[0].id, before.id);
    const events = recordEvents(tomRealtime, { tom });
    const openCount = recorder.sent.length;

    const tomBack = nextEvent(tom, 'reconnect');
    const jerryBack = nextEvent(jerry, 'reconnect');
    await first.stop();
    await server({ dataDir, port });
    await Promise.all([tomBack, jerryBack]);

    assert.deepEqual(events, [
      'realtime:disconnect',
      'tom:disconnect',
      'realtime:schedule 0 1000',
      'tom:schedule 0 1000',
      'realtime:retry 0',
      'tom:retry 0',
      'realtime:reconnect',
      'tom:reconnect',
    ]);
    assert.equal(tomRealtime.state, 'connected');

    const firstOpen = recorder.sent.find((c) => c.cmd === CommandType.session && c.op === OpType.open)!;
    const reopen = recorder.sent.slice(openCount).find((c) => c.cmd === CommandType.session && c.op === OpType.open)!;
    assert.ok(reopen, 'the session was re-opened');
    assert.equal(reopen.i, 1, 'serial i restarts with the new connection');
    assert.equal(reopen.peerId, 'Tom');
    assert.equal(reopen.sessionMessage?.r, true);
    assert.equal(firstOpen.sessionMessage?.r, false);
    assert.equal(reopen.sessionMessage?.deviceId, firstOpen.sessionMessage?.deviceId);
    assert.ok(reopen.sessionMessage?.st, 'the session token from the first open is sent back');

    // Working again, in both directions, with the history kept by the store.
    const got = nextEvent(jerry, 'message');
    const after = await conversation.send(new TextMessage('after'));
    const [received] = await got;
    assert.equal(received.id, after.id);
    const history = await conversation.queryMessages({ limit: 10 });
    assert.deepEqual(history.map((m) => m.id), [before.id, after.id]);
  });

  test('back-off doubles while the server is unreachable; retry() retries at once and restarts the back-off', async () => {
    const up = await server();
    const network = await proxy(Number(new URL(up.wsUrl).port));
    const rt = realtime(network.url);
    const tom = await rt.createIMClient('Tom');
    const events = recordEvents(rt, { tom });

    network.mode('refuse');
    await nextEvent(rt, 'schedule'); // attempt 0 in 1 s
    await nextEvent(rt, 'schedule'); // attempt 0 failed: attempt 1 in 2 s
    assert.equal(rt.state, 'waiting');
    const retried = nextEvent(rt, 'schedule');
    rt.retry(); // the guide: between schedule and retry
    await retried;
    network.mode('forward');
    const back = nextEvent(tom, 'reconnect');
    rt.retry();
    await back;

    assert.deepEqual(events, [
      'realtime:disconnect',
      'tom:disconnect',
      'realtime:schedule 0 1000',
      'tom:schedule 0 1000',
      'realtime:retry 0',
      'tom:retry 0',
      'realtime:schedule 1 2000',
      'tom:schedule 1 2000',
      'realtime:retry 0',
      'tom:retry 0',
      'realtime:schedule 1 2000',
      'tom:schedule 1 2000',
      'realtime:retry 0',
      'tom:retry 0',
      'realtime:reconnect',
      'tom:reconnect',
    ]);
    assert.throws(() => rt.retry(), /cannot retry/);
    assert.deepEqual(await tom.ping(['Tom']), ['Tom']);
  });

  test('pause() goes offline until resume()', async () => {
    const up = await server();
    const rt = realtime(up);
    const tom = await rt.createIMClient('Tom');
    const conversation = await tom.createConversation({ members: ['Jerry'] });
    const events = recordEvents(rt, { tom });
    rt.pause();
    assert.equal(rt.state, 'offline');
    await assert.rejects(conversation.send(new TextMessage('offline')), { name: 'NOT_CONNECTED' });
    const back = nextEvent(tom, 'reconnect');
    rt.resume();
    await back;
    assert.deepEqual(events, [
      'realtime:disconnect',
      'tom:disconnect',
      'realtime:offline',
      'tom:offline',
      'realtime:online',
      'tom:online',
      'realtime:retry 0',
      'tom:retry 0',
      'realtime:reconnect',
      'tom:reconnect',
    ]);
    const message = await conversation.send(new TextMessage('online'));
    assert.equal(message.status, MessageStatus.SENT);
  });
});

describe('heartbeat, command timeout and liveness', () => {
  test('the protocol timings are the defaults; back-off doubles from 1 s and caps at 300 s', () => {
    assert.deepEqual({ ...DEFAULT_TIMINGS }, {
      heartbeatInterval: 180_000,
      livenessTimeout: 380_000,
      commandTimeout: 20_000,
      backoffInitial: 1_000,
      backoffMax: 300_000,
    });
    const delays = Array.from({ length: 12 }, (_, attempt) => backoffDelay(attempt, 1_000, 300_000));
    assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
    assert.equal(backoffDelay(10_000, 1_000, 300_000), 300_000);
  });


  test('echo every heartbeat interval; a silent network times commands out and is dropped, then recovers', async () => {
    const up = await server();
    const network = await proxy(Number(new URL(up.wsUrl).port));
    const recorder = recordingWebSocket();
    const rt = realtime(network.url, {
      WebSocket: recorder.WebSocket,
      timings: { heartbeatInterval: 150, commandTimeout: 400, livenessTimeout: 1_200, backoffInitial: 100 },
    });
    const tom = await rt.createIMClient('Tom');
    const conversation = await tom.createConversation({ members: ['Jerry'] });
    const disconnects: number[] = [];
    rt.on('disconnect', () => disconnects.push(Date.now()));

    await delay(700);
    const echoes = recorder.sent.filter((c) => c.cmd === CommandType.echo);
    assert.ok(echoes.length >= 3, `${echoes.length} echoes in 700 ms`);
    for (const echo of echoes) assert.ok(echo.i > 0, 'echo is a request with i');
    assert.deepEqual(disconnects, [], 'echo replies keep the connection alive');

    network.mode('silent');
    const message = new TextMessage('into the void');
    await assert.rejects(conversation.send(message), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.name, 'COMMAND_TIMEOUT');
      assert.match(error.message, /direct/);
      return true;
    });
    assert.equal(message.status, MessageStatus.FAILED);
    await nextEvent(rt, 'disconnect', 3_000);
    // Counted from the last frame received, which restarts the liveness timer (on a busy machine
    // it can precede the network going silent by hundreds of ms). The bound sits between the two
    // timers: Node starts a timer from the loop's cached time, so it may fire a little before
    // 1,200 ms of wall time have passed since the frame.
    const silentFor = Date.now() - recorder.lastFrameAt();
    assert.ok(silentFor >= 800, `dropped ${silentFor} ms after the last frame: by the liveness timer (1,200 ms), not the command timeout (400 ms)`);

    network.mode('forward');
    await nextEvent(tom, 'reconnect', 5_000);
    // The same instance again: the dedup token makes the retry safe.
    await conversation.send(message);
    assert.equal(message.status, MessageStatus.SENT);
    const history = await conversation.queryMessages({ limit: 10 });
    assert.deepEqual(history.map((m) => m.id), [message.id]);
  });
});

describe('errors', () => {
  test('command errors surface code, name and message; the message is FAILED', async () => {
    const up = await server();
    const tom = await realtime(up).createIMClient('Tom');
    const mallory = await realtime(up).createIMClient('Mallory');
    const conversation = await tom.createConversation({ members: ['Jerry'] });
    const intruding = (await mallory.getConversation(conversation.id))!;
    const message = new TextMessage('let me in');
    await assert.rejects(intruding.send(message), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 4401);
      assert.equal(error.name, 'INVALID_MESSAGING_TARGET');
      assert.equal(error.message, 'INVALID_MESSAGING_TARGET');
      return true;
    });
    assert.equal(message.status, MessageStatus.FAILED);
    await assert.rejects(conversation.queryMessages({ beforeMessageId: 'x' }), TypeError);
    await assert.rejects(realtime(up).createIMClient('x'.repeat(65)), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 4103);
      assert.equal(error.name, 'INVALID_LOGIN');
      return true;
    });
  });

  test('an unreachable server rejects createIMClient, and a later attempt can succeed', async () => {
    const up = await server();
    const port = Number(new URL(up.wsUrl).port);
    await up.stop();
    const rt = realtime(`http://127.0.0.1:${port}`);
    await assert.rejects(rt.createIMClient('Tom'), { name: 'NOT_CONNECTED' });
    assert.equal(rt.state, 'idle');
    await server({ port });
    const tom = await rt.createIMClient('Tom');
    assert.equal(tom.id, 'Tom');
  });

  test('single-device login: a newer login with the same tag kicks the older one (conflict)', async () => {
    const up = await server();
    const older = await realtime(up).createIMClient('Tom', {}, 'Web');
    const conflict = nextEvent(older, 'conflict', 3_000);
    const newer = await realtime(up).createIMClient('Tom', { tag: 'Web' });
    await conflict;
    assert.equal(older.closed, true);
    assert.equal(newer.closed, false);
    assert.deepEqual(await newer.ping(['Tom']), ['Tom']);
  });

  test('a message over the server\'s max payload: rejected with MESSAGE_TOO_LARGE once, not resent; later sends go through', async () => {
    const up = await server({ maxPayload: 16 * 1024 });
    const recording = recordingWebSocket();
    const rt = realtime(up, { WebSocket: recording.WebSocket, timings: { backoffInitial: 50 } });
    const tom = await rt.createIMClient('Tom');
    const conversation = await tom.createConversation({ members: ['Jerry'] });
    const long = (): number => recording.sent.filter((command) => command.cmd === CommandType.direct && String(command.directMessage?.msg ?? '').length > 16 * 1024).length;
    const huge = new TextMessage('x'.repeat(20 * 1024));
    // The server closes the socket (1009) on it: the send fails for good with a clear error.
    await assert.rejects(conversation.send(huge), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.name, 'MESSAGE_TOO_LARGE');
      return true;
    });
    assert.equal(huge.status, MessageStatus.FAILED);
    // The connection comes back on its own, and has learnt the limit:
    // the same message is refused here, without costing another connection.
    await nextEvent(tom, 'reconnect', 5_000);
    const disconnects = record(rt, 'disconnect');
    await assert.rejects(conversation.send(new TextMessage('y'.repeat(20 * 1024))), { name: 'MESSAGE_TOO_LARGE' });
    const learnt = rt.maxFrameBytes;
    assert.ok(learnt !== undefined && learnt >= 16 * 1024 && learnt < 21 * 1024, `learnt limit ${String(learnt)}`);
    const small = await conversation.send(new TextMessage('after the long one'));
    assert.equal(small.status, MessageStatus.SENT);
    assert.equal(disconnects.length, 0);
    await delay(200);
    assert.equal(long(), 1, 'the long message went out once');
  });

  test('maxFrameBytes: a larger request is refused before it is sent', async () => {
    const up = await server();
    const recording = recordingWebSocket();
    const rt = new Realtime({ appId: 'test-app-id', server: up.wsUrl, WebSocket: recording.WebSocket, maxFrameBytes: 4096 });
    cleanups.push(() => rt.close());
    const tom = await rt.createIMClient('Tom');
    const conversation = await tom.createConversation({ members: ['Jerry'] });
    const before = recording.sent.length;
    await assert.rejects(conversation.send(new TextMessage('z'.repeat(8192))), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.name, 'MESSAGE_TOO_LARGE');
      assert.match(error.message, /at most 4096/);
      return true;
    });
    assert.equal(recording.sent.length, before);
    assert.equal(rt.state, 'connected');
    assert.equal((await conversation.send(new TextMessage('short'))).status, MessageStatus.SENT);
  });
});
