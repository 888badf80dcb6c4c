/**
 * Server behaviour at the protocol level, with raw clients: sessions sharing
 * a socket, fan-out to other devices, dedup, history limits, queries, HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CommandType, OpType, messages, type Command } from '../src/protocol/codec.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ demoDir: new URL('../demo', import.meta.url).pathname });
});
after(() => server.stop());

async function client(...ids: string[]): Promise<RawClient> {
  const raw = await RawClient.connect(server.wsUrl);
  for (const id of ids) await raw.login(TEST_APP.appId, id);
  return raw;
}

const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const direct = (cid: string, value: string, extra: Record<string, unknown> = {}): Command => ({
  cmd: CommandType.direct,
  directMessage: { cid, msg: text(value), ...extra },
});
const start = (m: string[], extra: Record<string, unknown> = {}): Command => ({
  cmd: CommandType.conv,
  op: OpType.start,
  convMessage: { m, ...extra },
});

test('several clients share one socket; commands without peerId belong to the first', async () => {
  const shared = await client('share-a', 'share-b');
  const reply = await shared.request(start(['share-b']));
  assert.equal(reply.peerId, 'share-a', 'a command without peerId acts for the first session');
  const cid = reply.convMessage!.cid!;
  const joined = await shared.next();
  assert.equal(joined.op, OpType.joined);
  assert.equal(joined.peerId, 'share-b');
  assert.equal(joined.convMessage?.initBy, 'share-a');

  await shared.request({ ...direct(cid, 'hi b'), peerId: 'share-a' });
  const pushed = await shared.next();
  assert.equal(pushed.cmd, CommandType.direct);
  assert.equal(pushed.peerId, 'share-b');
  assert.equal(pushed.directMessage?.fromPeerId, 'share-a');
  shared.close();
});

test('a message reaches every other session of every member, the sender\'s other devices included, not the sending one', async () => {
  const phone = await client('dev-tom');
  const laptop = await client('dev-tom');
  const jerry = await client('dev-jerry');
  const cid = (await phone.request(start(['dev-jerry']))).convMessage!.cid!;
  assert.equal((await jerry.next()).op, OpType.joined);

  const ack = await phone.request(direct(cid, 'from the phone', { dt: 'dt-1' }));
  assert.equal(ack.cmd, CommandType.ack);
  assert.ok(ack.ackMessage?.uid);
  assert.ok(ack.ackMessage!.t! > 0);
  for (const device of [laptop, jerry]) {
    const pushed = await device.next();
    assert.equal(pushed.directMessage?.id, ack.ackMessage!.uid);
    assert.equal(pushed.directMessage?.timestamp, ack.ackMessage!.t);
    assert.equal(pushed.directMessage?.cid, cid);
  }
  await assert.rejects(phone.next(300), /nothing arrived/, 'the sending session gets only its ack');

  // A retry with the same dt acks the first message and pushes nothing.
  const retry = await phone.request(direct(cid, 'from the phone', { dt: 'dt-1' }));
  assert.equal(retry.ackMessage?.uid, ack.ackMessage!.uid);
  assert.equal(retry.ackMessage?.t, ack.ackMessage!.t);
  await assert.rejects(jerry.next(300), /nothing arrived/);

  // Transient messages reach who is online and are never stored.
  await phone.request(direct(cid, 'typing…', { transient: true }));
  assert.equal((await jerry.next()).directMessage?.transient, true);
  await laptop.next();
  const logs = await jerry.request({ cmd: CommandType.logs, logsMessage: { cid } });
  assert.deepEqual(logs.logsMessage?.logs?.map((log) => log.msgId), [ack.ackMessage!.uid]);

  for (const c of [phone, laptop, jerry]) c.close();
});

test('history: limits, ascending order, paging back and forward', async () => {
  const tom = await client('hist-tom');
  const cid = (await tom.request(start(['hist-jerry']))).convMessage!.cid!;
  const acks = [];
  for (let n = 0; n < 25; n++) acks.push((await tom.request(direct(cid, `m${n}`))).ackMessage!);
  const logs = async (logsMessage: Record<string, unknown>) => {
    const reply = await tom.request({ cmd: CommandType.logs, logsMessage: { cid, ...logsMessage } });
    assert.notEqual(reply.cmd, CommandType.error, reply.errorMessage?.detail ?? '');
    return reply.logsMessage?.logs?.map((log) => log.msgId) ?? [];
  };
  const ids = acks.map((a) => a.uid!);
  assert.deepEqual(await logs({}), ids.slice(5), 'default: the newest 20');
  assert.deepEqual(await logs({ l: 0 }), [], 'limit 0 is empty');
  assert.deepEqual(await logs({ l: 5000 }), ids, 'limits above 1000 are capped');
  assert.deepEqual(await logs({ l: 5, t: acks[10]!.t, mid: ids[10] }), ids.slice(5, 10), 'before a message');
  assert.deepEqual(
    await logs({ l: 5, t: acks[10]!.t, mid: ids[10], direction: messages.LogsCommand.QueryDirection.NEW }),
    ids.slice(11, 16),
    'after a message',
  );
  assert.deepEqual(await logs({ l: 100, tt: acks[20]!.t, tmid: ids[20] }), ids.slice(21), 'newest, down to an end point');
  const negative = await tom.request({ cmd: CommandType.logs, logsMessage: { cid, l: -1 } });
  assert.equal(negative.errorMessage?.code, 4311);
  const stranger = await client('hist-stranger');
  const rejected = await stranger.request({ cmd: CommandType.logs, logsMessage: { cid } });
  assert.equal(rejected.errorMessage?.reason, 'CONVERSATION_LOG_REJECTED');
  tom.close();
  stranger.close();
});

test('conversations: unique, attributes, queries by id and by members, count', async () => {
  const tom = await client('q-tom');
  const attr = { data: JSON.stringify({ name: 'cats', topic: 'pets', pinned: true }) };
  const first = (await tom.request(start(['q-jerry'], { unique: true, attr }))).convMessage!;
  const again = (await tom.request(start(['q-jerry', 'q-tom'], { unique: true }))).convMessage!;
  assert.equal(again.cid, first.cid, 'unique returns the existing conversation with the same members');
  const other = (await tom.request(start(['q-jerry']))).convMessage!;
  assert.notEqual(other.cid, first.cid, 'without unique a new one is created');

  const query = async (convMessage: Record<string, unknown>) => {
    const reply = await tom.request({ cmd: CommandType.conv, op: OpType.query, convMessage });
    assert.notEqual(reply.cmd, CommandType.error, reply.errorMessage?.detail ?? '');
    return JSON.parse(reply.convMessage!.results!.data) as Record<string, unknown>[];
  };
  const [byId] = await query({ where: { data: JSON.stringify({ objectId: first.cid }) } });
  assert.equal(byId!.objectId, first.cid);
  assert.equal(byId!.name, 'cats');
  assert.equal(byId!.topic, 'pets');
  assert.equal(byId!.pinned, true);
  assert.equal(byId!.c, 'q-tom');
  assert.deepEqual(byId!.m, ['q-jerry', 'q-tom']);
  assert.equal(byId!.tr, false);
  assert.equal(typeof byId!.createdAt, 'string');

  const mine = await query({ where: { data: JSON.stringify({ m: { $all: ['q-tom'] } }) } });
  assert.deepEqual(new Set(mine.map((c) => c.objectId)), new Set([first.cid, other.cid]));
  const compact = await query({ where: { data: JSON.stringify({ objectId: first.cid }) }, flag: 1 });
  assert.deepEqual(compact[0]!.m, []);
  const bad = await tom.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { where: { data: '{"name":{"$bogus":1}}' } } });
  assert.equal(bad.errorMessage?.code, 4310);

  const count = await tom.request({ cmd: CommandType.conv, op: OpType.count, convMessage: { cid: first.cid } });
  assert.equal(count.convMessage?.count, 2);
  const tooMany = await tom.request(start(Array.from({ length: 500 }, (_, k) => `member-${k}`)));
  assert.equal(tooMany.errorMessage?.code, 4304, 'at most 500 members, the creator included');
  tom.close();
});

test('session query answers which ids are online', async () => {
  const tom = await client('ping-tom');
  const jerry = await client('ping-jerry');
  const reply = await tom.request({ cmd: CommandType.session, op: OpType.query, sessionMessage: { sessionPeerIds: ['ping-jerry', 'ping-nobody'] } });
  assert.deepEqual(reply.sessionMessage?.onlineSessionPeerIds, ['ping-jerry']);
  jerry.close();
  await jerry.closed;
  await new Promise((resolve) => setTimeout(resolve, 50));
  const later = await tom.request({ cmd: CommandType.session, op: OpType.query, sessionMessage: { sessionPeerIds: ['ping-jerry'] } });
  assert.deepEqual(later.sessionMessage?.onlineSessionPeerIds ?? [], []);
  const closed = await tom.request({ cmd: CommandType.session, op: OpType.close });
  assert.equal(closed.op, OpType.closed);
  tom.close();
});

test('HTTP: health, routers, demo pages, no path traversal', async () => {
  const health = await fetch(`${server.httpUrl}/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  const route = (await (await fetch(`${server.httpUrl}/v1/route?appId=${TEST_APP.appId}`)).json()) as { server: string };
  assert.equal(route.server, `${server.wsUrl}/`);
  const router = (await (await fetch(`${server.httpUrl}/1/route?appId=${TEST_APP.appId}`)).json()) as { push_router_server: string };
  assert.equal(router.push_router_server, new URL(server.httpUrl).host);
  assert.equal((await fetch(`${server.httpUrl}/v1/route?appId=nope`)).status, 404);
  const index = await fetch(`${server.httpUrl}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type')!, /text\/html/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  for (const path of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%00']) {
    const response = await fetch(`${server.httpUrl}${path}`);
    assert.ok(response.status === 400 || response.status === 404, `${path} -> ${response.status}`);
    assert.doesNotMatch(await response.text(), /"name": "lc-chat"/);
  }
});

test('HTTP: GET /limits tells any origin the message and upload limits, cacheable', async () => {
  const own = await startTestServer({ maxPayload: 32 * 1024, maxUploadBytes: 1024 * 1024 });
  try {
    const response = await fetch(`${own.httpUrl}/limits`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('cache-control')!, /^public, max-age=\d+$/);
    assert.deepEqual(await response.json(), { maxPayload: 32 * 1024, maxUploadBytes: 1024 * 1024 });
  } finally {
    await own.stop();
  }
});

test('shutdown closes sockets with 1001 going away', async () => {
  const own = await startTestServer();
  const raw = await RawClient.connect(own.wsUrl);
  await raw.login(TEST_APP.appId, 'leaving');
  await own.stop();
  assert.equal((await raw.closed).code, 1001);
});
