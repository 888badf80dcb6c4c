/**
 * The SDK's connection edge cases against a scripted in-memory server
 * (test/helpers/fake-server.ts): jittered back-off and its bounds, a first
 * connect that keeps retrying, fatal close codes that stop retrying,
 * goaway, late and duplicate replies, a reconnect storm.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CommandType, ERRORS, OpType, SUBPROTOCOLS, isFatalCode, type ErrorName } from '../src/protocol/index.js';
import { ClientErrorName, ProtocolError, Realtime, isTransientError, type ConnectionTimings, type RealtimeOptions } from '../src/sdk/index.js';
import { backoffDelay, jitteredBackoffDelay } from '../src/sdk/backoff.js';
import { Connection } from '../src/sdk/connection.js';
import { FakeServer } from './helpers/fake-server.js';
import { delay, nextEvent, record, until } from './helpers/sdk-env.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Short timings: a fake server answers at once, so nothing needs the protocol's minutes. */
const FAST: Partial<ConnectionTimings> = { backoffInitial: 20, backoffMax: 160, commandTimeout: 300 };

function realtime(server: FakeServer, options: Partial<RealtimeOptions> = {}): Realtime {
  const created = new Realtime({ appId: 'fake-app', server: 'ws://fake.invalid', WebSocket: server.WebSocket, timings: FAST, ...options });
  cleanups.push(() => created.close());
  return created;
}

function connection(server: FakeServer, options: { retryFirstConnect?: boolean; random?: () => number; timings?: Partial<ConnectionTimings> } = {}): Connection {
  const created = new Connection({
    url: 'ws://fake.invalid',
    subprotocol: SUBPROTOCOLS[0]!,
    WebSocket: server.WebSocket,
    timings: options.timings ?? FAST,
    ...(options.retryFirstConnect ? { retryFirstConnect: true } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  cleanups.push(() => created.close());
  return created;
}

describe('jittered back-off', () => {
  test('a delay lies in [initial, min(max, initial + initial·2^attempt)], at both ends of the draw', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const low = jitteredBackoffDelay(attempt, 1_000, 300_000, () => 0);
      const high = jitteredBackoffDelay(attempt, 1_000, 300_000, () => 0.999_999);
      assert.equal(low, 1_000);
      assert.equal(high, Math.min(300_000, Math.round(1_000 + 0.999_999 * backoffDelay(attempt, 1_000, 300_000))));
      assert.ok(high <= Math.min(300_000, 1_000 + backoffDelay(attempt, 1_000, 300_000)));
    }
  });

  test('the delays a connection schedules stay within the bounds, attempt after attempt', async () => {
    const server = new FakeServer();
    const conn = connection(server, { retryFirstConnect: true });
    const schedules = record(conn, 'schedule');
    server.down = true;
    const opened = conn.open();
    await until(() => schedules.length >= 8, 10_000, '8 scheduled attempts');
    server.down = false;
    await opened;
    for (const [attempt, scheduled] of schedules) {
      const ceiling = Math.min(FAST.backoffMax!, FAST.backoffInitial! + backoffDelay(attempt, FAST.backoffInitial!, FAST.backoffMax!));
      assert.ok(scheduled >= FAST.backoffInitial! && scheduled <= ceiling, `attempt ${attempt}: ${scheduled} ms outside [${FAST.backoffInitial}, ${ceiling}]`);
    }
    assert.deepEqual(
      schedules.map(([attempt]) => attempt),
      schedules.map((_, index) => index),
      'each failure schedules the next attempt number',
    );
  });

  test('a storm: 100 clients dropped together do not all come back with the same delay', async () => {
    const server = new FakeServer();
    const clients = await Promise.all(Array.from({ length: 100 }, (_, n) => realtime(server, { timings: { ...FAST, backoffInitial: 1_000, backoffMax: 300_000 } }).createIMClient(`c${n}`)));
    const scheduled = clients.map((client) => nextEvent(client, 'schedule'));
    server.closeAll(1001);
    const delays = (await Promise.all(scheduled)).map(([attempt, ms]) => {
      assert.equal(attempt, 0);
      return ms;
    });
    assert.ok(delays.every((ms) => ms >= 1_000 && ms <= 2_000), 'attempt 0 waits between 1 s and 2 s');
    const buckets = new Set(delays.map((ms) => Math.floor(ms / 100)));
    assert.ok(buckets.size >= 5, `the delays fall in ${buckets.size} distinct 100 ms buckets, not one`);
  });

  test('backoffJitter: false keeps the exact doubling', async () => {
    const server = new FakeServer();
    const rt = realtime(server, { backoffJitter: false, retryFirstConnect: true });
    const schedules = record(rt, 'schedule');
    server.down = true;
    const login = rt.createIMClient('Tom');
    await until(() => schedules.length >= 4, 10_000, '4 scheduled attempts');
    server.down = false;
    await login;
    assert.deepEqual(schedules.slice(0, 4), [[0, 20], [1, 40], [2, 80], [3, 160]]);
  });
});

describe('the first connect', () => {
  test('without retryFirstConnect, an unreachable server rejects createIMClient', async () => {
    const server = new FakeServer();
    server.down = true;
    const rt = realtime(server);
    const schedules = record(rt, 'schedule');
    await assert.rejects(rt.createIMClient('Tom'), (error: unknown) => error instanceof ProtocolError && error.name === ClientErrorName.NOT_CONNECTED);
    assert.equal(rt.state, 'idle');
    assert.equal(schedules.length, 0);
    assert.equal(server.attempts.length, 1);
  });

  test('with retryFirstConnect, a failed first connect retries with the back-off until the server is up, on one Realtime', async () => {
    const server = new FakeServer();
    server.down = true;
    const rt = realtime(server, { retryFirstConnect: true });
    const events: string[] = [];
    for (const event of ['disconnect', 'schedule', 'retry', 'reconnect'] as const) rt.on(event, () => events.push(event));
    const login = rt.createIMClient('Tom');
    await until(() => server.attempts.length >= 3, 10_000, 'three attempts');
    assert.equal(rt.state === 'waiting' || rt.state === 'reconnecting', true, `state ${rt.state}`);
    server.down = false;
    const tom = await login;
    assert.equal(tom.id, 'Tom');
    assert.equal(rt.state, 'connected');
    assert.deepEqual(
      server.attempts.map((attempt) => attempt.accepted),
      [...Array(server.attempts.length - 1).fill(false), true],
    );
    // Attempts are announced as reconnects are; but nothing was lost, so no disconnect and no reconnect.
    assert.ok(!events.includes('disconnect') && !events.includes('reconnect'), events.join(' '));
    assert.equal(events.filter((event) => event === 'schedule').length, server.attempts.length - 1);
    assert.equal(server.requests(CommandType.session, OpType.open).length, 1, 'one login, once connected');
  });

  test('a login the server does not answer is sent again on a new connection', async () => {
    const server = new FakeServer();
    let unanswered = 1;
    server.script = (command) => {
      if (command.cmd === CommandType.session && command.op === OpType.open && unanswered > 0) {
        unanswered -= 1;
        return; // silence: the command times out
      }
      return 'default';
    };
    const rt = realtime(server, { retryFirstConnect: true });
    const tom = await rt.createIMClient('Tom');
    assert.equal(tom.id, 'Tom');
    assert.equal(server.requests(CommandType.session, OpType.open).length, 2);
    assert.equal(server.attempts.length, 2, 'the silent connection was dropped and a new one made');
  });

  test('close() stops a first connect that is still retrying', async () => {
    const server = new FakeServer();
    server.down = true;
    const rt = realtime(server, { retryFirstConnect: true });
    const login = rt.createIMClient('Tom');
    await nextEvent(rt, 'schedule');
    await rt.close();
    await assert.rejects(login, (error: unknown) => error instanceof ProtocolError && error.name === ClientErrorName.CLIENT_CLOSED && !isTransientError(error));
    const attempts = server.attempts.length;
    await delay(FAST.backoffMax! * 2);
    assert.equal(server.attempts.length, attempts, 'no attempt after close()');
    assert.equal(rt.state, 'idle');
  });

  test('a login refused by the server is not retried', async () => {
    const server = new FakeServer();
    server.script = (command, socket) => {
      if (command.cmd !== CommandType.session) return 'default';
      socket.reply(command, { cmd: CommandType.error, errorMessage: { code: 4103, reason: 'INVALID_LOGIN' } });
    };
    const rt = realtime(server, { retryFirstConnect: true });
    await assert.rejects(rt.createIMClient('Tom'), (error: unknown) => error instanceof ProtocolError && error.code === 4103);
    assert.equal(server.requests(CommandType.session, OpType.open).length, 1);
  });
});

describe('close codes', () => {
  const fatal = (Object.keys(ERRORS) as ErrorName[]).filter((name) => isFatalCode(ERRORS[name][0]));

  test('the table marks the close codes after which reconnecting cannot help', () => {
    assert.deepEqual(fatal, ['APP_NOT_AVAILABLE', 'INVALID_LOGIN', 'INVALID_ORIGIN']);
    assert.equal(isFatalCode(1001), false);
    assert.equal(isFatalCode(4111), false);
  });

  for (const name of fatal) {
    const code = ERRORS[name][0];
    test(`${code} ${name} stops retrying: error on the Realtime, close on the client, no attempt after`, async () => {
      const server = new FakeServer();
      const rt = realtime(server, { retryFirstConnect: true });
      const tom = await rt.createIMClient('Tom');
      const schedules = record(rt, 'schedule');
      const failed = nextEvent(rt, 'error');
      const closed = nextEvent(tom, 'close');
      [...server.sockets][0]!.serverClose(code);
      const [[error], [closing]] = await Promise.all([failed, closed]);
      assert.equal(error.code, code);
      assert.equal(closing.code, code);
      assert.equal(rt.state, 'idle');
      await delay(FAST.backoffMax! * 2);
      assert.equal(schedules.length, 0);
      assert.equal(server.attempts.length, 1);
    });
  }

  test('a fatal close during a first connect that is retrying ends it with that error', async () => {
    const server = new FakeServer();
    server.down = true;
    server.script = (command, socket) => {
      if (command.cmd === CommandType.session) socket.serverClose(4100);
      else return 'default';
    };
    const rt = realtime(server, { retryFirstConnect: true });
    const login = rt.createIMClient('Tom');
    await nextEvent(rt, 'schedule');
    server.down = false;
    await assert.rejects(login, (error: unknown) => error instanceof ProtocolError && error.code === 4100 && !isTransientError(error));
    const attempts = server.attempts.length;
    await delay(FAST.backoffMax! * 2);
    assert.equal(server.attempts.length, attempts, 'no attempt after the fatal close');
  });

  test('1001 (going away) is not fatal: the client reconnects and re-opens its session with its token', async () => {
    const server = new FakeServer();
    const rt = realtime(server);
    const tom = await rt.createIMClient('Tom');
    const back = nextEvent(tom, 'reconnect');
    server.closeAll(1001);
    await back;
    const [first, again] = server.requests(CommandType.session, OpType.open);
    assert.equal(again?.sessionMessage?.r, true);
    assert.equal(again?.sessionMessage?.st, 'token-1');
    assert.equal(first?.sessionMessage?.r, false);
  });
});

describe('goaway, late and duplicate replies', () => {
  test('goaway: the client drops the socket and reconnects', async () => {
    const server = new FakeServer();
    const rt = realtime(server);
    const tom = await rt.createIMClient('Tom');
    const events: string[] = [];
    for (const event of ['disconnect', 'schedule', 'retry', 'reconnect'] as const) tom.on(event, () => events.push(event));
    const socket = [...server.sockets][0]!;
    const back = nextEvent(tom, 'reconnect');
    socket.push({ cmd: CommandType.goaway });
    await back;
    assert.deepEqual(events, ['disconnect', 'schedule', 'retry', 'reconnect']);
    assert.equal(socket.closedByClient, 4107, 'the client closed the old socket itself');
    assert.equal(server.sockets.size, 1);
  });

  test('a reply after the command timed out is ignored; the next request gets its own reply', async () => {
    const server = new FakeServer();
    const conn = connection(server, { timings: { ...FAST, commandTimeout: 100 } });
    await conn.open();
    let first = true;
    server.script = (command, socket) => {
      if (command.cmd !== CommandType.echo || !first) return 'default';
      first = false;
      socket.reply(command, { cmd: CommandType.echo, peerId: 'late' }, 250);
    };
    await assert.rejects(conn.send({ cmd: CommandType.echo }), (error: unknown) => error instanceof ProtocolError && error.name === ClientErrorName.COMMAND_TIMEOUT);
    await delay(300); // the late reply arrives now, for nobody
    const reply = await conn.send({ cmd: CommandType.echo });
    assert.notEqual(reply.peerId, 'late');
    assert.equal(reply.i, 2);
    assert.equal(conn.state, 'connected');
  });

  test('a duplicate reply is ignored and does not answer the next request', async () => {
    const server = new FakeServer();
    const conn = connection(server);
    await conn.open();
    server.script = (command, socket) => {
      if (command.cmd !== CommandType.echo || command.i !== 1) return 'default';
      socket.reply(command, { cmd: CommandType.echo, peerId: 'first' });
      socket.reply(command, { cmd: CommandType.echo, peerId: 'duplicate' });
      // The next request's answer is held back: only a duplicate could answer it early.
      server.script = (next, same) => {
        if (next.cmd !== CommandType.echo) return 'default';
        same.reply(next, { cmd: CommandType.echo, peerId: 'second' }, 50);
      };
    };
    const one = await conn.send({ cmd: CommandType.echo });
    assert.equal(one.peerId, 'first');
    const two = await conn.send({ cmd: CommandType.echo });
    assert.equal(two.peerId, 'second');
  });
});
