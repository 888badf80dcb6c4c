/**
 * When a batch of `direct`s leaves: with a store that commits in the
 * batch's own turn (SQLite), the ack and the members' pushes are written
 * in that turn of the event loop, not one turn later (gateway.ts,
 * flushAfterBatch). Turns are counted by a chain of immediates; the
 * frames are seen where the connection writes them (Connection.flush).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { Connection } from '../src/server/gateway/connection.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

test("a batch's ack and its pushes are written in the turn the ack was made (SQLite), or the next (a store that commits later)", async () => {
  const sender = await RawClient.connect(server.wsUrl);
  await sender.login(TEST_APP.appId, 'turn-sender');
  const members = await Promise.all(['turn-a', 'turn-b'].map(async (id) => {
    const client = await RawClient.connect(server.wsUrl);
    await client.login(TEST_APP.appId, id);
    return client;
  }));
  const cid = (await sender.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['turn-sender', 'turn-a', 'turn-b'] } })).convMessage!.cid!;
  let turn = 0;
  let counting = true;
  const tick = () => {
    turn += 1;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  const events: { what: 'ack' | 'push' | 'write'; turn: number; connection: number }[] = [];
  const proto = Connection.prototype;
  const { send, sendShared, flush } = proto;
  proto.send = function (this: Connection, command, cls) {
    if (command.cmd === CommandType.ack) events.push({ what: 'ack', turn, connection: this.id });
    return send.call(this, command, cls);
  };
  proto.sendShared = function (this: Connection, push, field, cls, queuedAt) {
    events.push({ what: 'push', turn, connection: this.id });
    return sendShared.call(this, push, field, cls, queuedAt);
  };
  proto.flush = function (this: Connection) {
    if (this.pendingBytes > 0) events.push({ what: 'write', turn, connection: this.id });
    return flush.call(this);
  };
  try {
    for (let n = 0; n < 5; n++) {
      const pushes = members.map((member) => member.take((command) => command.cmd === CommandType.direct, 10_000));
      assert.equal((await sender.request({ cmd: CommandType.direct, directMessage: { cid, msg: `m${n}` } })).cmd, CommandType.ack);
      await Promise.all(pushes);
    }
  } finally {
    Object.assign(proto, { send, sendShared, flush });
    counting = false;
  }
  const acks = events.filter((event) => event.what === 'ack');
  const queued = events.filter((event) => event.what !== 'write');
  assert.equal(acks.length, 5);
  assert.equal(queued.length, 15, 'five acks and ten pushes');
  const laterTurns = process.env.LC_TEST_STORE === 'postgres' ? 1 : 0;
  for (const frame of queued) {
    const written = events.find((event) => event.what === 'write' && event.connection === frame.connection && event.turn >= frame.turn);
    assert.ok(written, `the ${frame.what} queued in turn ${frame.turn} was written`);
    assert.ok(written.turn - frame.turn <= laterTurns, `the ${frame.what} queued in turn ${frame.turn} was written in turn ${written.turn}`);
  }
  sender.close();
  for (const member of members) member.close();
});
