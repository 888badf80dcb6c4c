/**
 * Issue 17: presence shared through Redis, against the real Redis on
 * 127.0.0.1:6379 under a random key prefix per test. Several RedisPresence
 * instances in one process stand for several nodes; a TCP proxy between
 * one of them and Redis kills only that node's link (its heartbeat stops
 * without a clean close, as when the process is killed).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { RedisPresence, type RedisPresenceOptions } from '../src/server/presence/redis-presence.js';
import type { OrphanedWills, PresenceSession, WillMessage } from '../src/server/presence/types.js';
import { dropPrefix, REDIS_HOST, REDIS_PORT, REDIS_URL, testPrefix, testRedis, waitUntil } from './helpers/redis.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

const APP = 'app1';
const opened: RedisPresence[] = [];
const proxies: TcpProxy[] = [];
const prefixes: string[] = [];
after(async () => {
  await Promise.all(opened.map((presence) => presence.close()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all(prefixes.map(dropPrefix));
});

function prefix(): string {
  const p = testPrefix();
  prefixes.push(p);
  return p;
}

async function node(p: string, options: Partial<RedisPresenceOptions> = {}): Promise<RedisPresence> {
  const presence = await RedisPresence.open({ url: REDIS_URL, prefix: p, nodeId: `node-${randomBytes(4).toString('hex')}`, ...options });
  opened.push(presence);
  return presence;
}

async function proxiedNode(p: string, options: Partial<RedisPresenceOptions> = {}): Promise<{ presence: RedisPresence; proxy: TcpProxy }> {
  const proxy = await startTcpProxy(REDIS_HOST, REDIS_PORT);
  proxies.push(proxy);
  return { presence: await node(p, { url: `redis://127.0.0.1:${proxy.port}`, ...options }), proxy };
}

let sessionCounter = 0;
function session(on: RedisPresence, clientId: string, tag: string | null = null, deviceId: string | null = null, appId = APP): PresenceSession {
  return { appId, clientId, sessionId: `${on.nodeId}/${++sessionCounter}`, tag, deviceId };
}

function will(id: string): WillMessage {
  return { message: { appId: APP, cid: 'conv-1', id, from: 'alice', data: `will ${id}`, dt: null, receipt: false, mentionPids: [], mentionAll: false }, priority: undefined };
}

/** Waits until an async answer equals `expected` (writes are fire-and-forget). */
async function eventually<T>(read: () => Promise<T>, expected: T, what: string): Promise<void> {
  let last: T | undefined;
  try {
    await waitUntil(async () => {
      // A read may fail while a link is still coming back: try again.
      last = await read().catch((error: unknown) => ({ readFailed: String(error) }) as T);
      return JSON.stringify(last) === JSON.stringify(expected);
    }, what);
  } catch (error) {
    assert.deepEqual(last, expected, `${what} (${(error as Error).message})`);
  }
}

test('online, room counts and tag holders are the same seen from either node', { timeout: 30_000 }, async () => {
  const p = prefix();
  const [a, b] = [await node(p), await node(p)];
  const alicePhone = session(a, 'alice', 'mobile', 'phone-1');
  a.sessionOpened(alicePhone);
  b.sessionOpened(session(b, 'bob'));
  const aliceWeb = session(b, 'alice', null, 'browser');
  b.sessionOpened(aliceWeb);
  b.sessionOpened(session(b, 'tagged', 'mobile', null));
  for (const from of [a, b]) {
    await eventually(() => from.online(APP, ['zed', 'bob', 'alice']), ['bob', 'alice'], 'online in the order asked');
    await eventually(() => from.tagHolders(APP, 'alice', 'mobile'), ['phone-1'], 'the tag holder on node a');
    await eventually(() => from.tagHolders(APP, 'tagged', 'mobile'), [null], 'a holder without a device id');
  }
  assert.deepEqual(await a.online('app2', ['bob', 'alice']), [], 'another app sees none of them');
  assert.deepEqual(await a.online('app1:x', ['bob']), []);

  a.roomEntered(APP, 'room-1', 'alice');
  a.roomEntered(APP, 'room-1', 'carol');
  a.roomEntered(APP, 'room-1', 'carol'); // the same client again: still one
  b.roomEntered(APP, 'room-1', 'bob');
  b.roomEntered(APP, 'room-1', 'alice');
  await eventually(() => b.roomCount(APP, 'room-1'), 4, 'distinct clients per node, summed');
  a.roomLeft(APP, 'room-1', 'carol');
  await eventually(() => a.roomCount(APP, 'room-1'), 3, 'carol left');
  assert.equal(await a.roomCount('app2', 'room-1'), 0);

  a.sessionEnded(alicePhone);
  await eventually(() => b.tagHolders(APP, 'alice', 'mobile'), [], 'the tag holder logged out');
  await eventually(() => b.online(APP, ['alice']), ['alice'], 'still online on node b');
  b.sessionEnded(aliceWeb);
  await eventually(() => a.online(APP, ['alice', 'bob']), ['bob'], 'alice gone everywhere');
});

test('login facts: kept for their TTL, under a digest of the token, forgotten on logout', { timeout: 30_000 }, async () => {
  const p = prefix();
  const [a, b] = [await node(p), await node(p)];
  const token = `tok-${randomBytes(8).toString('hex')}`;
  await a.rememberLogin(APP, token, { tag: 'mobile', deviceId: 'phone-1' }, 60_000);
  assert.deepEqual(await b.recallLogin(APP, token), { tag: 'mobile', deviceId: 'phone-1' });
  assert.equal(await b.recallLogin('app2', token), undefined, 'per app');
  assert.equal(await b.recallLogin(APP, `${token}x`), undefined);

  const redis = testRedis();
  try {
    const keys = await redis.keys(`${p}*`);
    for (const key of keys) {
      assert.ok(!key.includes(token), `no key names the token: ${key}`);
      if ((await redis.type(key)) === 'string') assert.ok(!(await redis.get(key))!.includes(token), 'no value holds it');
    }
  } finally {
    redis.disconnect();
  }

  await b.forgetLogin(APP, token);
  assert.equal(await a.recallLogin(APP, token), undefined, 'refused after logout');

  await a.rememberLogin(APP, token, { tag: null, deviceId: null }, 300);
  assert.deepEqual(await b.recallLogin(APP, token), { tag: null, deviceId: null });
  await eventually(() => b.recallLogin(APP, token), undefined, 'gone after its TTL');
});

test('parked rooms: taken by token, else device, else the only one; each once, even when two nodes race', { timeout: 30_000 }, async () => {
  const p = prefix();
  const [a, b] = [await node(p), await node(p)];
  const park = (on: RedisPresence, token: string, deviceId: string | null, joined?: string) =>
    on.parkRooms(APP, 'alice', { joined, rooms: joined ? [joined, 'hosted'] : ['hosted'], token, deviceId }, 60_000);

  await park(a, 't1', 'phone', 'room-1');
  await park(b, 't2', null);
  assert.deepEqual(await b.takeParkedRooms(APP, 'alice', 't1', null), { joined: 'room-1', rooms: ['room-1', 'hosted'], token: 't1', deviceId: 'phone' });
  assert.equal(await a.takeParkedRooms(APP, 'alice', 't1', null), undefined, 'taken once');
  assert.equal(await a.takeParkedRooms(APP, 'alice', 'unknown', null), undefined, 'a token that matches nothing takes nothing');
  assert.deepEqual(await a.takeParkedRooms(APP, 'alice', undefined, null), { joined: undefined, rooms: ['hosted'], token: 't2', deviceId: null }, 'the only one left');

  await park(a, 't3', 'phone', 'room-3');
  await park(a, 't4', 'tablet', 'room-4');
  assert.equal(await a.takeParkedRooms(APP, 'alice', undefined, null), undefined, 'two parked and nothing to choose by');
  assert.equal((await b.takeParkedRooms(APP, 'alice', 'expired-token', 'tablet'))?.token, 't4', 'by device when the token matches nothing');
  assert.equal(await a.takeParkedRooms('app2', 'alice', 't3', null), undefined, 'per app');

  // Many takers at once from two nodes: one wins.
  const takes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).takeParkedRooms(APP, 'alice', 't3', 'phone')));
  assert.equal(takes.filter((taken) => taken !== undefined).length, 1);

  // Parking the same token again replaces it; at most 8 per client, the oldest go.
  for (let i = 0; i < 10; i++) await park(a, `many-${i}`, null);
  await park(a, 'many-9', null, 'again');
  const redis = testRedis();
  try {
    const listKey = `${p}park:${APP}:alice`;
    assert.equal(await redis.llen(listKey), 8);
    assert.ok((await redis.pttl(listKey)) > 0, 'the list expires');
  } finally {
    redis.disconnect();
  }
  assert.equal(await a.takeParkedRooms(APP, 'alice', 'many-0', null), undefined, 'the oldest went');
  assert.equal((await a.takeParkedRooms(APP, 'alice', 'many-9', null))?.joined, 'again');

  await a.parkRooms(APP, 'bob', { joined: 'r', rooms: ['r'], token: 'short', deviceId: null }, 200);
  await eventually(async () => (await a.takeParkedRooms(APP, 'bob', 'short', null)) === undefined, true, 'a parked login expires');
});

test('a node that stops heartbeating drops out of every count, and one survivor hands its wills over exactly once', { timeout: 60_000 }, async () => {
  const p = prefix();
  // Long enough that a survivor's event loop stalled by a loaded machine is not taken for dead.
  const timing = { beatMs: 250, deadMs: 4_000 };
  const [a, c] = [await node(p, timing), await node(p, timing)];
  const { presence: b, proxy } = await proxiedNode(p, timing);
  // A node with no will handler (nothing to deliver them with) must leave the dead to the others.
  await node(p, timing);
  const handed: Array<{ by: string; orphaned: OrphanedWills }> = [];
  for (const survivor of [a, c]) survivor.onOrphanedWills(async (orphaned) => void handed.push({ by: survivor.nodeId, orphaned }));

  const bobOnB = session(b, 'bob', 'mobile', 'phone');
  b.sessionOpened(bobOnB);
  b.setWills(bobOnB, [will('w1'), will('w2')]);
  const daveOnB = session(b, 'dave');
  b.sessionOpened(daveOnB);
  b.setWills(daveOnB, [will('w3')]);
  b.setWills(daveOnB, []); // cleared: nothing to hand over for dave
  const carolOnB = session(b, 'carol');
  b.sessionOpened(carolOnB);
  b.setWills(carolOnB, [will('w4')]);
  b.sessionEnded(carolOnB); // a session that ended normally leaves no will behind
  b.roomEntered(APP, 'room-1', 'bob');
  a.sessionOpened(session(a, 'alice'));
  a.roomEntered(APP, 'room-1', 'alice');
  await eventually(() => a.roomCount(APP, 'room-1'), 2, 'both nodes count');
  await eventually(() => c.online(APP, ['alice', 'bob', 'dave']), ['alice', 'bob', 'dave'], 'all online');

  proxy.cut(); // b's process "dies": no close, no more beats
  await eventually(() => c.roomCount(APP, 'room-1'), 1, 'b\'s viewers no longer count');
  await eventually(() => a.online(APP, ['alice', 'bob', 'dave']), ['alice'], 'b\'s clients are offline');
  assert.deepEqual(await c.tagHolders(APP, 'bob', 'mobile'), []);
  await waitUntil(() => handed.length > 0, 'the wills were handed over', 30_000);

  // The sweep is over when b's keys are gone; nothing can be handed over after that.
  const redis = testRedis();
  try {
    await waitUntil(async () => (await redis.exists(`${p}w:${b.nodeId}`, `${p}n:${b.nodeId}:idx`)) === 0 && (await redis.zcard(`${p}sweeping`)) === 0, 'b swept');
    assert.equal(await redis.hget(`${p}o:${APP}:bob`, bobOnB.sessionId), null, 'b\'s entries deleted');
    assert.equal(await redis.hget(`${p}rc:${APP}:room-1`, b.nodeId), null);
    assert.ok(!(await redis.zrange(`${p}nodes`, 0, -1)).includes(b.nodeId), 'b is out of the nodes');
  } finally {
    redis.disconnect();
  }
  await Promise.all([a.tick(), c.tick()]);
  assert.equal(handed.length, 1, 'one session with wills, handed to one survivor once');
  const [{ by, orphaned }] = handed as [{ by: string; orphaned: OrphanedWills }];
  assert.ok(by === a.nodeId || by === c.nodeId);
  assert.equal(orphaned.appId, APP);
  assert.equal(orphaned.clientId, 'bob');
  assert.deepEqual(orphaned.wills.map((w) => w.message.id), ['w1', 'w2']);
  assert.equal(orphaned.wills[0]!.message.data, 'will w1');
});

test('a clean close removes the node\'s entries at once and hands no will over', { timeout: 30_000 }, async () => {
  const p = prefix();
  const timing = { beatMs: 250, deadMs: 2_500 };
  const [a, b] = [await node(p, timing), await node(p, timing)];
  let handed = 0;
  a.onOrphanedWills(async () => void handed++);
  const bob = session(b, 'bob');
  b.sessionOpened(bob);
  b.setWills(bob, [will('w1')]);
  b.roomEntered(APP, 'room-1', 'bob');
  await eventually(() => a.online(APP, ['bob']), ['bob'], 'online');
  await b.close();
  assert.deepEqual(await a.online(APP, ['bob']), []);
  assert.equal(await a.roomCount(APP, 'room-1'), 0);
  const redis = testRedis();
  try {
    assert.deepEqual(await redis.keys(`${p}*${b.nodeId}*`), [], 'nothing of b is left');
  } finally {
    redis.disconnect();
  }
  await a.tick();
  assert.equal(handed, 0);
});

test('writes lost while Redis was away, and everything Redis lost, are repaired from the nodes\' mirrors by the next heartbeat', { timeout: 60_000 }, async () => {
  const p = prefix();
  const timing = { beatMs: 250, deadMs: 5_000 };
  const a = await node(p, timing);
  const { presence: b, proxy } = await proxiedNode(p, timing);
  const early = session(b, 'early');
  b.sessionOpened(early);
  b.roomEntered(APP, 'room-1', 'early');
  await eventually(() => a.online(APP, ['early', 'late']), ['early'], 'early is online');

  proxy.cut();
  await new Promise((resolve) => setTimeout(resolve, 100));
  b.sessionEnded(early);
  b.roomLeft(APP, 'room-1', 'early');
  b.sessionOpened(session(b, 'late'));
  b.roomEntered(APP, 'room-1', 'late');
  b.roomEntered(APP, 'room-1', 'later');
  await assert.rejects(b.online(APP, ['late']), 'a read while Redis is away fails rather than answering wrong');
  a.sessionOpened(session(a, 'on-a'));
  await eventually(() => a.online(APP, ['on-a']), ['on-a'], 'a still writes');
  await dropPrefix(p); // as a Redis restarted with nothing on disk: every node's entries are gone
  proxy.restore();
  await eventually(() => b.online(APP, ['on-a']), ['on-a'], 'node a wrote its mirror again');
  await eventually(() => a.online(APP, ['early', 'late']), ['late'], 'the mirror was written again');
  await eventually(() => a.roomCount(APP, 'room-1'), 2, 'the room count too');
});
