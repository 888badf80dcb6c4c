/**
 * Issue 17: the Redis broker between nodes, against the real Redis on
 * 127.0.0.1:6379 under a random channel prefix per test. Several
 * RedisBroker instances in one process stand for several nodes; a TCP proxy
 * between one of them and Redis cuts only that node's link.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { decodeEnvelope, encodeDelivery, encodeGapNotice, encodeNodeBatch, encodeNodeDelivery } from '../src/server/broker/redis/envelope.js';
import { RedisBroker, type RedisBrokerOptions } from '../src/server/broker/redis/redis-broker.js';
import type { Delivery } from '../src/server/broker/types.js';
import { RedisPresence } from '../src/server/presence/redis-presence.js';
import { REDIS_HOST, REDIS_PORT, REDIS_URL, testPrefix, testRedis, waitUntil } from './helpers/redis.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

const APP = 'app1';
const opened: RedisBroker[] = [];
const proxies: TcpProxy[] = [];
after(async () => {
  await Promise.all(opened.map((broker) => broker.close()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
});

/** A node: its broker and everything its subscribers and gap handlers saw. */
interface Node {
  broker: RedisBroker;
  got: Delivery[];
  gaps: number;
}

async function node(prefix: string, options: Partial<RedisBrokerOptions> = {}): Promise<Node> {
  const broker = await RedisBroker.open({ url: REDIS_URL, prefix, ...options });
  opened.push(broker);
  const n: Node = { broker, got: [], gaps: 0 };
  broker.subscribe((deliveries) => n.got.push(...deliveries));
  broker.onGap(() => n.gaps++);
  return n;
}

async function proxiedNode(prefix: string, options: Partial<RedisBrokerOptions> = {}): Promise<{ n: Node; proxy: TcpProxy }> {
  const proxy = await startTcpProxy(REDIS_HOST, REDIS_PORT);
  proxies.push(proxy);
  return { n: await node(prefix, { url: `redis://127.0.0.1:${proxy.port}`, ...options }), proxy };
}

const payload = (text: string) => new TextEncoder().encode(text);
const text = (delivery: Delivery) => new TextDecoder().decode(delivery.payload);
const client = (id: string) => ({ kind: 'client' as const, appId: APP, id });
const room = (id: string) => ({ kind: 'room' as const, appId: APP, id });

/**
 * Makes sure everything `from` published before reached the others: Redis
 * sends one subscriber connection its messages in publishing order, so once
 * a `conversationChanged` published after them arrived, they did too.
 */
async function settle(from: Node, ...others: Node[]): Promise<void> {
  // And that every follow so far took effect (a login awaits the same before its ack).
  await Promise.all([from, ...others].map((n) => n.broker.settled()));
  const marker = `settle-${Math.random()}`;
  await from.broker.publish({ appId: APP, clientIds: [], payload: new Uint8Array(0), conversationChanged: marker });
  await waitUntil(() => others.every((n) => n.got.some((d) => d.conversationChanged === marker)), 'the marker arrived');
}

const pushes = (n: Node) => n.got.filter((d) => d.conversationChanged === undefined);

test('a message between nodes 1 and 2 reaches node 2 once per recipient and never node 3', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2, n3] = [await node(prefix), await node(prefix), await node(prefix)];
  n1.broker.follow(client('alice'));
  n2.broker.follow(client('bob'));
  n2.broker.follow(client('carol'));
  n3.broker.follow(client('dave'));
  await settle(n1, n2, n3); // the registrations above are in Redis

  await n1.broker.publish({ appId: APP, clientIds: ['alice', 'bob', 'carol', 'bob'], payload: payload('hi'), excludeSessionId: 's-1' });
  await settle(n1, n2, n3);

  assert.deepEqual(pushes(n1).map((d) => d.clientIds), [['alice', 'bob', 'carol', 'bob']], 'node 1 delivered locally, once, and skipped its own publications');
  const atNode2 = pushes(n2);
  assert.deepEqual(atNode2.flatMap((d) => d.clientIds).sort(), ['bob', 'carol'], 'each recipient client once, bob once');
  assert.equal(atNode2.length, 1, 'the copies for bob and carol handed on as one delivery (encoded once on node 2)');
  for (const d of atNode2) {
    assert.equal(text(d), 'hi');
    assert.equal(d.appId, APP);
    assert.equal(d.excludeSessionId, 's-1');
  }
  assert.deepEqual(pushes(n3), [], 'node 3 holds none of the recipients: its subscriber got nothing');
  // Its received counter counts everything Redis handed it: the two markers only.
  assert.equal(n3.broker.deliveriesReceived, 2);
  assert.equal(n2.broker.deliveriesReceived, 3, 'node 2: one publication for bob and carol together (one per node, not per recipient), and the two markers');
  assert.equal(n1.broker.deliveriesReceived, 0, 'its own publications come back and are skipped');
});

test('a chat-room message is published once per room and reaches every node with viewers', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2, n3] = [await node(prefix), await node(prefix), await node(prefix)];
  const spy = testRedis();
  const onChannel: string[] = [];
  spy.on('smessageBuffer', (channel: Buffer) => onChannel.push(channel.toString()));
  await spy.ssubscribe(`${prefix}r:${APP}:room-1`);
  try {
    n2.broker.follow(room('room-1'));
    n3.broker.follow(room('room-1'));
    n3.broker.follow(room('room-2'));
    await settle(n1, n2, n3);

    await n1.broker.publish({ appId: APP, clientIds: ['ignored-1', 'ignored-2'], roomId: 'room-1', priority: 3, payload: payload('danmaku') });
    await settle(n1, n2, n3);
    for (const n of [n2, n3]) {
      const got = pushes(n);
      assert.equal(got.length, 1);
      assert.equal(got[0]!.roomId, 'room-1');
      assert.equal(got[0]!.priority, 3);
      assert.deepEqual(got[0]!.clientIds, [], 'a room delivery names no clients');
      assert.equal(text(got[0]!), 'danmaku');
    }
    await waitUntil(() => onChannel.length >= 1, 'the spy saw the room message');
    assert.deepEqual(onChannel, [`${prefix}r:${APP}:room-1`], 'one publication for the room, not one per viewer');
  } finally {
    spy.disconnect();
  }
});

test('conversationChanged reaches every node, whatever it follows', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2, n3] = [await node(prefix), await node(prefix), await node(prefix)];
  await n2.broker.publish({ appId: APP, clientIds: [], payload: new Uint8Array(0), conversationChanged: 'conv-9' });
  await waitUntil(() => [n1, n3].every((n) => n.got.some((d) => d.conversationChanged === 'conv-9')), 'every node got it');
  assert.deepEqual(n2.got.map((d) => d.conversationChanged), ['conv-9'], 'the publishing node once, locally');
  assert.deepEqual(n1.got.map((d) => d.conversationChanged), ['conv-9']);
});

test('unfollow stops the deliveries of that client; other prefixes are other clusters', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2] = [await node(prefix), await node(prefix)];
  const elsewhere = await node(testPrefix());
  elsewhere.broker.follow(client('bob'));
  n2.broker.follow(client('bob'));
  await settle(n1, n2);
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('one') });
  await settle(n1, n2);
  assert.deepEqual(pushes(n2).map(text), ['one']);

  n2.broker.unfollow(client('bob'));
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('two') });
  await settle(n1, n2);
  assert.deepEqual(pushes(n2).map(text), ['one'], 'nothing after unfollow');
  assert.deepEqual(elsewhere.got, [], 'a node under another prefix hears nothing');

  // The same client in another app is another channel.
  n2.broker.follow(client('bob'));
  await settle(n1, n2);
  await n1.broker.publish({ appId: 'app2', clientIds: ['bob'], payload: payload('other app') });
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('three') });
  await settle(n1, n2);
  assert.deepEqual(pushes(n2).map(text), ['one', 'three']);
});

test('a colon in an app id cannot deliver to another app\'s client', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2] = [await node(prefix), await node(prefix)];
  n2.broker.follow({ kind: 'client', appId: 'a:b', id: 'c' });
  await settle(n1, n2);
  await n1.broker.publish({ appId: 'a', clientIds: ['b:c'], payload: payload('wrong app') });
  await n1.broker.publish({ appId: 'a:b', clientIds: ['c'], payload: payload('right app') });
  await settle(n1, n2);
  assert.deepEqual(pushes(n2).map((d) => [d.appId, d.clientIds, text(d)]), [['a:b', ['c'], 'right app']]);
});

test('every Delivery field crosses the wire as it was; malformed envelopes are refused', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2] = [await node(prefix), await node(prefix)];
  n2.broker.follow(client('bob'));
  await settle(n1, n2);
  const bytes = new Uint8Array(300).map((_, i) => i % 256);
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: bytes, notificationSeq: 2 ** 40 + 3, takeover: { tag: 'mobile', deviceId: 'dev-é' } });
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('x'), takeover: { tag: 'web', deviceId: null } });
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('kick'), endSessions: true });
  await settle(n1, n2);
  const [first, second, third] = pushes(n2);
  assert.deepEqual(first, { appId: APP, clientIds: ['bob'], payload: bytes, notificationSeq: 2 ** 40 + 3, takeover: { tag: 'mobile', deviceId: 'dev-é' } });
  assert.deepEqual(second!.takeover, { tag: 'web', deviceId: null });
  assert.deepEqual(third, { appId: APP, clientIds: ['bob'], payload: payload('kick'), endSessions: true });

  // A node's envelope: the head, its recipients, the payload; a list longer than the bytes is refused.
  const toNode = encodeNodeDelivery('n', { appId: APP, clientIds: [], payload: payload('p'), excludeSessionId: 's' }, ['bob', 'carol é']);
  assert.deepEqual(decodeEnvelope(toNode), { kind: 'delivery', origin: 'n', delivery: { appId: APP, clientIds: ['bob', 'carol é'], payload: payload('p'), excludeSessionId: 's' } });
  const listAt = toNode.length - 1 - Buffer.byteLength('bob\ncarol é') - 4;
  const overlong = Buffer.from(toNode);
  overlong.writeUInt32BE(1_000, listAt);
  assert.equal(decodeEnvelope(overlong), undefined);

  const good = encodeDelivery('n', { appId: APP, clientIds: [], payload: payload('p'), roomId: 'r' });
  assert.throws(() => encodeDelivery('n', { appId: APP, clientIds: [], payload: payload('p'), roomId: 'r', priority: 256 }), RangeError);
  assert.throws(() => encodeDelivery('n', { appId: 'x'.repeat(70_000), clientIds: ['a'], payload: payload('p') }), RangeError);
  assert.ok(decodeEnvelope(good));
  assert.deepEqual(decodeEnvelope(encodeGapNotice('n')), { kind: 'gap', origin: 'n' });
  for (let cut = 0; cut < 8; cut++) assert.equal(decodeEnvelope(good.subarray(0, cut)), undefined, `cut at ${cut}`);
  const badVersion = Buffer.from(good);
  badVersion[0] = 9;
  assert.equal(decodeEnvelope(badVersion), undefined);
  const unknownFlag = Buffer.from(good);
  unknownFlag.writeUInt16BE(0x8000, 2);
  assert.equal(decodeEnvelope(unknownFlag), undefined);

  // Garbage on the node's channel is dropped; the node carries on.
  const raw = testRedis();
  try {
    await raw.spublish(`${prefix}n:${n2.broker.nodeId}`, Buffer.from([1, 0, 0]));
    await raw.spublish(`${prefix}all`, 'not an envelope');
  } finally {
    raw.disconnect();
  }
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('after') });
  await settle(n1, n2);
  assert.deepEqual(pushes(n2).map(text).slice(3), ['after']);
});

test('one turn\'s deliveries to clients reach each node as one publication, in order, each naming that node\'s recipients', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2, n3] = [await node(prefix), await node(prefix), await node(prefix)];
  n2.broker.follow(client('bob'));
  n2.broker.follow(client('carol'));
  n3.broker.follow(client('bob'));
  await settle(n1, n2, n3);
  const spy = testRedis();
  const onChannel: string[] = [];
  spy.on('smessageBuffer', (channel: Buffer) => onChannel.push(channel.toString()));
  await spy.ssubscribe(`${prefix}n:${n2.broker.nodeId}`);
  try {
    const group = ['bob', 'carol', 'dave'];
    // One turn: a group's messages (the same members), one to carol alone, a group message again.
    await Promise.all([
      n1.broker.publish({ appId: APP, clientIds: group, payload: payload('g1'), excludeSessionId: 's-1' }),
      n1.broker.publish({ appId: APP, clientIds: [...group], payload: payload('g2'), notificationSeq: 7 }),
      n1.broker.publish({ appId: APP, clientIds: ['carol'], payload: payload('c1') }),
      n1.broker.publish({ appId: APP, clientIds: group, payload: payload('g3') }),
    ]);
    await settle(n1, n2, n3);
    assert.deepEqual(pushes(n2).map((d) => [text(d), [...d.clientIds].sort()]), [['g1', ['bob', 'carol']], ['g2', ['bob', 'carol']], ['c1', ['carol']], ['g3', ['bob', 'carol']]]);
    assert.equal(pushes(n2)[0]!.excludeSessionId, 's-1');
    assert.equal(pushes(n2)[1]!.notificationSeq, 7);
    assert.deepEqual(pushes(n3).map((d) => [text(d), d.clientIds]), [['g1', ['bob']], ['g2', ['bob']], ['g3', ['bob']]], 'carol\'s message never reached node 3');
    await waitUntil(() => onChannel.length >= 1, 'the spy saw node 2\'s publication');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(onChannel.length, 1, 'the four deliveries went to node 2 as one publication');
    assert.equal(n2.broker.deliveriesReceived, 4 + 2, 'counted per delivery (and the two markers)');
  } finally {
    spy.disconnect();
  }
});

test('a turn of many deliveries is split into bounded publications, all of them delivered in order', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2] = [await node(prefix), await node(prefix)];
  n2.broker.follow(client('bob'));
  await settle(n1, n2);
  const spy = testRedis();
  let publications = 0;
  spy.on('smessageBuffer', () => publications++);
  await spy.ssubscribe(`${prefix}n:${n2.broker.nodeId}`);
  try {
    const sent = Array.from({ length: 250 }, (_, k) => `m${k}`);
    await Promise.all(sent.map((text) => n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload(text) })));
    await settle(n1, n2);
    assert.deepEqual(pushes(n2).map(text), sent);
    await waitUntil(() => publications >= 3, 'the spy saw the publications');
    assert.equal(publications, 3, 'at most 100 deliveries a publication');
  } finally {
    spy.disconnect();
  }
});

test('a batch envelope: its deliveries as they were, the same client list shared; a malformed one refused whole', () => {
  const one = { appId: APP, clientIds: [], payload: payload('one'), excludeSessionId: 's' };
  const two = { appId: APP, clientIds: [], payload: payload('two'), takeover: { tag: 'web', deviceId: null } };
  const batch = encodeNodeBatch('n', [
    { delivery: one, clientIds: ['bob', 'carol é'] },
    { delivery: two, clientIds: ['bob', 'carol é'] },
    { delivery: one, clientIds: ['dave'] },
  ]);
  const decoded = decodeEnvelope(batch);
  assert.ok(decoded?.kind === 'batch');
  assert.equal(decoded.origin, 'n');
  assert.deepEqual(decoded.deliveries, [
    { ...one, clientIds: ['bob', 'carol é'] },
    { ...two, clientIds: ['bob', 'carol é'] },
    { ...one, clientIds: ['dave'] },
  ]);
  assert.equal(decoded.deliveries[0]!.clientIds, decoded.deliveries[1]!.clientIds, 'one array for the same list');

  // An inner delivery from another origin, one without a client list, a length past the end, an empty batch.
  const otherOrigin = Buffer.from(batch);
  otherOrigin.write('m', batch.indexOf('n', 9), 'latin1');
  assert.equal(decodeEnvelope(otherOrigin), undefined);
  const noClients = encodeNodeBatch('n', []);
  const roomOne = encodeDelivery('n', { appId: APP, clientIds: [], payload: payload('r'), roomId: 'r' });
  const length = Buffer.alloc(4);
  length.writeUInt32BE(roomOne.length);
  assert.equal(decodeEnvelope(Buffer.concat([noClients, length, roomOne])), undefined);
  assert.equal(decodeEnvelope(batch.subarray(0, batch.length - 1)), undefined);
  assert.equal(decodeEnvelope(noClients), undefined);

  // An empty list is the list of the delivery before it (what the fan-out script sends for a repeated list); never the first.
  const repeated = decodeEnvelope(encodeNodeBatch('n', [
    { delivery: one, clientIds: ['bob', 'carol é'] },
    { delivery: two, clientIds: [] },
    { delivery: one, clientIds: ['dave'] },
    { delivery: two, clientIds: [] },
  ]));
  assert.ok(repeated?.kind === 'batch');
  assert.deepEqual(repeated.deliveries.map((delivery) => delivery.clientIds), [['bob', 'carol é'], ['bob', 'carol é'], ['dave'], ['dave']]);
  assert.equal(repeated.deliveries[0]!.clientIds, repeated.deliveries[1]!.clientIds, 'one array for the same list');
  assert.equal(decodeEnvelope(encodeNodeBatch('n', [{ delivery: one, clientIds: [] }])), undefined, 'nothing before it to repeat');
});

test('a cut subscriber link: resubscribed after it comes back, then onGap runs once', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix);
  const { n: n2, proxy } = await proxiedNode(prefix);
  n2.broker.follow(client('bob'));
  n2.broker.follow(room('room-1'));
  await settle(n1, n2);

  proxy.cut();
  await waitUntil(() => !n2.broker.connected, 'node 2 saw the link drop');
  n2.broker.follow(client('carol')); // while down: subscribed on the way back
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('lost') });
  assert.equal(n2.gaps, 0);
  proxy.restore();
  await waitUntil(() => n2.gaps > 0, 'onGap ran', 30_000);

  await n1.broker.publish({ appId: APP, clientIds: ['bob', 'carol'], payload: payload('after') });
  await n1.broker.publish({ appId: APP, clientIds: [], roomId: 'room-1', payload: payload('room after') });
  await settle(n1, n2);
  // Per recipient: a delivery to bob and carol counts twice, a room's once.
  const perRecipient = pushes(n2).flatMap((d) => (d.roomId !== undefined ? [text(d)] : d.clientIds.map(() => text(d))));
  assert.deepEqual(perRecipient.sort(), ['after', 'after', 'room after'], 'every subscription is back, the one followed while down too');
  assert.equal(n2.gaps, 1, 'once per reconnect');
  assert.equal(n1.gaps, 0, 'node 1 lost nothing');
});

test('a link gone silent without closing is noticed by the pings, made again, and onGap runs', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix);
  const { n: n2, proxy } = await proxiedNode(prefix, { pingMs: 200 });
  n2.broker.follow(client('bob'));
  await settle(n1, n2);
  proxy.stall();
  await waitUntil(() => n2.gaps === 1, 'the silent link was dropped, made again and resubscribed', 30_000);
  await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('after') });
  await settle(n1, n2);
  assert.deepEqual(pushes(n2).map(text), ['after']);
});

test('publishes while the link is down wait in the queue and go out in order once it is back; local delivery never waits', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix);
  const { n: n2, proxy } = await proxiedNode(prefix);
  n1.broker.follow(client('bob'));
  await settle(n2, n1);

  proxy.cut();
  await waitUntil(() => !n2.broker.connected, 'node 2 saw the link drop');
  for (const word of ['a', 'b', 'c']) await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload(word) });
  assert.deepEqual(pushes(n2).map(text), ['a', 'b', 'c'], 'delivered to node 2 sessions at once, Redis down or not');
  assert.equal(n2.broker.queued, 3);
  proxy.restore();
  await waitUntil(() => pushes(n1).length === 3, 'node 1 got the queued ones', 30_000);
  assert.deepEqual(pushes(n1).map(text), ['a', 'b', 'c']);
  assert.equal(n2.broker.queued, 0);
  await settle(n2, n1);
  assert.equal(n1.gaps, 0, 'nothing was dropped: no gap notice');
});

test('a queue overflowing while the link is down drops the oldest and sends every node a gap notice', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n3] = [await node(prefix), await node(prefix)];
  const { n: n2, proxy } = await proxiedNode(prefix, { queueLimit: 2 });
  n1.broker.follow(client('bob'));
  await settle(n2, n1, n3);

  proxy.cut();
  await waitUntil(() => !n2.broker.connected, 'node 2 saw the link drop');
  for (const word of ['a', 'b', 'c', 'd', 'e']) await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload(word) });
  assert.equal(n2.broker.queued, 2, 'bounded');
  proxy.restore();
  await waitUntil(() => n1.gaps === 1 && n3.gaps === 1, 'the gap notice reached nodes 1 and 3', 30_000);
  assert.deepEqual(pushes(n1).map(text), ['d', 'e'], 'the newest two, in order');
  await settle(n2, n1, n3);
  assert.equal(n1.gaps, 1);
  assert.equal(n3.gaps, 1);
});

test('queued publications older than the age bound are dropped, with a gap notice', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix);
  const { n: n2, proxy } = await proxiedNode(prefix, { queueMaxAgeMs: 200 });
  n1.broker.follow(client('bob'));
  await settle(n2, n1);
  proxy.cut();
  await waitUntil(() => !n2.broker.connected, 'node 2 saw the link drop');
  await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('stale') });
  await new Promise((resolve) => setTimeout(resolve, 400));
  await n2.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('fresh') });
  assert.equal(n2.broker.queued, 1, 'the stale one went when the fresh one came');
  proxy.restore();
  await waitUntil(() => n1.gaps === 1, 'the gap notice arrived', 30_000);
  await settle(n2, n1);
  // The fresh one may also have aged out before the link was back: only the stale one is sure to be gone.
  assert.ok(!pushes(n1).map(text).includes('stale'), 'the stale one was not sent late');
  assert.equal(n2.broker.queued, 0);
  assert.equal(n1.gaps, 1);
});

test('open fails, leaving nothing running, when Redis cannot be reached', { timeout: 30_000 }, async () => {
  const proxy = await startTcpProxy(REDIS_HOST, REDIS_PORT);
  proxy.cut();
  await assert.rejects(RedisBroker.open({ url: `redis://127.0.0.1:${proxy.port}`, prefix: testPrefix() }), /ECONNRESET|ECONNREFUSED|closed/);
  await proxy.close();
});

test('a delivery goes once to each node holding a recipient, naming only that node\'s; a node that no longer holds one hears nothing of it', { timeout: 30_000 }, async () => {
  const prefix = testPrefix();
  const [n1, n2, n3] = [await node(prefix), await node(prefix), await node(prefix)];
  // bob on nodes 2 and 3 (two devices), carol on 2, dave on 1 (the sender's node).
  n2.broker.follow(client('bob'));
  n3.broker.follow(client('bob'));
  n2.broker.follow(client('carol'));
  n1.broker.follow(client('dave'));
  await settle(n1, n2, n3);
  await n1.broker.publish({ appId: APP, clientIds: ['bob', 'carol', 'dave', 'nobody'], payload: payload('one') });
  await settle(n1, n2, n3);
  assert.deepEqual(pushes(n2).map((d) => [d.clientIds.sort(), text(d)]), [[['bob', 'carol'], 'one']]);
  assert.deepEqual(pushes(n3).map((d) => [d.clientIds, text(d)]), [[['bob'], 'one']]);
  assert.equal(pushes(n1).length, 1, 'node 1 only delivered locally');

  // bob leaves node 2 (his device there logged out): node 2 gets only carol's.
  n2.broker.unfollow(client('bob'));
  await n1.broker.publish({ appId: APP, clientIds: ['bob', 'carol'], payload: payload('two') });
  await settle(n1, n2, n3);
  assert.deepEqual(pushes(n2).slice(1).map((d) => [d.clientIds, text(d)]), [[['carol'], 'two']]);
  assert.deepEqual(pushes(n3).slice(1).map((d) => [d.clientIds, text(d)]), [[['bob'], 'two']]);

  // A clean close takes the node's registrations with it.
  const redis = testRedis();
  try {
    assert.deepEqual((await redis.hget(`${prefix}cl:${APP}`, 'bob'))?.split(' '), [n3.broker.nodeId]);
    await n3.broker.close();
    assert.equal(await redis.hget(`${prefix}cl:${APP}`, 'bob'), null, 'bob was on node 3 only');
    assert.equal(await redis.exists(`${prefix}n:${n3.broker.nodeId}:cl`), 0, 'nothing of node 3 is left');
  } finally {
    redis.disconnect();
  }
});

test('registrations Redis lost are written again once the link is back, then onGap runs once', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix);
  const { n: n2, proxy } = await proxiedNode(prefix);
  n2.broker.follow(client('bob'));
  await settle(n1, n2);
  proxy.cut();
  await waitUntil(() => !n2.broker.connected, 'node 2 saw the link drop');
  n2.broker.follow(client('carol')); // while down: registered on the way back
  const redis = testRedis();
  try {
    await redis.multi().hdel(`${prefix}cl:${APP}`, 'bob').del(`${prefix}n:${n2.broker.nodeId}:cl`).exec(); // as a Redis restarted empty
  } finally {
    redis.disconnect();
  }
  proxy.restore();
  await waitUntil(() => n2.gaps > 0, 'onGap ran', 30_000);
  await n1.broker.publish({ appId: APP, clientIds: ['bob', 'carol'], payload: payload('after') });
  await settle(n1, n2);
  assert.deepEqual(pushes(n2).map((d) => [d.clientIds.sort(), text(d)]), [[['bob', 'carol'], 'after']]);
  assert.equal(n2.gaps, 1, 'once');
});

test('a node swept as dead while alive writes its registrations again on its next beat, and runs onGap', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix);
  const n2 = await node(prefix);
  const presence = await RedisPresence.open({ url: REDIS_URL, prefix, nodeId: n2.broker.nodeId, beatMs: 200, deadMs: 1_000 });
  presence.onRejoined(() => n2.broker.repairRegistrations());
  try {
    n2.broker.follow(client('bob'));
    await settle(n1, n2);
    // Beats that find the node known: from then on, being unknown means swept.
    await presence.tick();
    await presence.tick();
    const gapsBefore = n2.gaps;
    const redis = testRedis();
    try {
      // What another node's sweep of node 2 does: its entries and its place in the nodes go.
      await redis.multi().hdel(`${prefix}cl:${APP}`, 'bob').del(`${prefix}n:${n2.broker.nodeId}:cl`).zrem(`${prefix}nodes`, n2.broker.nodeId).exec();
      await waitUntil(async () => ((await redis.hget(`${prefix}cl:${APP}`, 'bob'))?.split(' ') ?? []).includes(n2.broker.nodeId), 'written again', 30_000);
    } finally {
      redis.disconnect();
    }
    await waitUntil(() => n2.gaps > gapsBefore, 'onGap ran', 30_000);
    await n1.broker.publish({ appId: APP, clientIds: ['bob'], payload: payload('after') });
    await settle(n1, n2);
    assert.deepEqual(pushes(n2).map(text), ['after']);
  } finally {
    await presence.close();
  }
});

test('the sweep of a dead node takes it out of its clients\' entries and leaves the other nodes there', { timeout: 60_000 }, async () => {
  const prefix = testPrefix();
  const n1 = await node(prefix);
  const n2 = await node(prefix);
  // n2's presence beats at its start, then never again: it dies. n1's, whose beats take a node silent for 1 s for dead, sweeps it (a will handler makes a sweeper).
  const dying = await RedisPresence.open({ url: REDIS_URL, prefix, nodeId: n2.broker.nodeId, beatMs: 600_000, deadMs: 700_000 });
  const sweeper = await RedisPresence.open({ url: REDIS_URL, prefix, nodeId: n1.broker.nodeId, beatMs: 200, deadMs: 1_000 });
  sweeper.onOrphanedWills(async () => {});
  const redis = testRedis();
  try {
    n1.broker.follow(client('dave'));
    n2.broker.follow(client('dave')); // a second device on node 2
    n2.broker.follow(client('erin'));
    await Promise.all([n1.broker.settled(), n2.broker.settled()]);
    const nodesOf = async (id: string) => ((await redis.hget(`${prefix}cl:${APP}`, id))?.split(' ') ?? []).sort();
    assert.deepEqual(await nodesOf('dave'), [n1.broker.nodeId, n2.broker.nodeId].sort());
    assert.deepEqual(await nodesOf('erin'), [n2.broker.nodeId]);
    await waitUntil(async () => (await redis.exists(`${prefix}n:${n2.broker.nodeId}:cl`)) === 0, 'node 2 swept', 30_000);
    assert.deepEqual(await nodesOf('dave'), [n1.broker.nodeId]);
    assert.equal(await redis.hexists(`${prefix}cl:${APP}`, 'erin'), 0);
    // What is published to them now reaches node 1 only.
    await n1.broker.publish({ appId: APP, clientIds: ['dave', 'erin'], payload: payload('after') });
    await settle(n1, n2);
    assert.deepEqual(pushes(n2).map(text), []);
  } finally {
    redis.disconnect();
    await sweeper.close();
    await dying.close();
  }
});
