/**
 * LocalPresence, the presence of a single node: answers from the node's
 * registries, and keeps parked chat rooms (30 minutes by default, at most
 * 8 logins per client) and login facts in memory.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LocalPresence } from '../src/server/presence/local-presence.js';
import type { ParkedRooms } from '../src/server/presence/types.js';
import { RoomRegistry } from '../src/server/session/room-registry.js';
import type { Session } from '../src/server/session/session.js';
import { SessionRegistry } from '../src/server/session/session-registry.js';

const APP = 'app';
const presences: LocalPresence[] = [];
after(async () => {
  for (const presence of presences) await presence.close();
});

function setup() {
  const sessions = new SessionRegistry();
  const rooms = new RoomRegistry();
  const presence = new LocalPresence(sessions, rooms);
  presences.push(presence);
  return { sessions, rooms, presence };
}

/** Enough of a session for the registries, which read ids, tag and device only. */
function session(clientId: string, n: number, tag: string | null = null, deviceId: string | null = null): Session {
  return { id: `node:${n}:${clientId}`, appId: APP, clientId, tag, deviceId } as Session;
}

const place = (token: string, deviceId: string | null, rooms: string[] = ['room']): ParkedRooms => ({ joined: rooms[0], rooms, token, deviceId });

test('online, room counts and tag holders come from the registries', async () => {
  const { sessions, rooms, presence } = setup();
  const a = session('a', 1, 'Web', 'laptop');
  const a2 = session('a', 2, 'Web', 'phone');
  const b = session('b', 3);
  for (const s of [a, a2, b]) sessions.add(s);
  assert.deepEqual(await presence.online(APP, ['b', 'nobody', 'a']), ['b', 'a']);
  assert.deepEqual(await presence.online('other-app', ['a']), []);
  assert.deepEqual(await presence.tagHolders(APP, 'a', 'Web'), ['laptop', 'phone']);
  assert.deepEqual(await presence.tagHolders(APP, 'a', 'Mobile'), []);

  rooms.join(a, 'room');
  rooms.join(a2, 'room');
  rooms.join(b, 'room');
  assert.equal(await presence.roomCount(APP, 'room'), 2, 'clients, not devices');
  rooms.leaveAll(a2);
  sessions.remove(a2);
  assert.equal(await presence.roomCount(APP, 'room'), 2);
  rooms.leaveAll(a);
  sessions.remove(a);
  assert.equal(await presence.roomCount(APP, 'room'), 1);
  assert.deepEqual(await presence.online(APP, ['a', 'b']), ['b']);
});

test('parked rooms are taken back by token, else by device, else the only one; once each; gone after their time', async () => {
  const { presence } = setup();
  const now = 1_000_000;
  await presence.parkRooms(APP, 'c', place('t1', 'laptop', ['r1']), 1000, now);
  await presence.parkRooms(APP, 'c', place('t2', 'phone', ['r2', 'hosted']), 1000, now);
  assert.deepEqual(await presence.takeParkedRooms(APP, 'c', 't2', null, now + 10), place('t2', 'phone', ['r2', 'hosted']));
  assert.equal(await presence.takeParkedRooms(APP, 'c', 't2', null, now + 10), undefined, 'taken once');
  assert.deepEqual((await presence.takeParkedRooms(APP, 'c', 'unknown', 'laptop', now + 10))?.rooms, ['r1'], 'by device');

  await presence.parkRooms(APP, 'd', place('t3', null), 1000, now);
  assert.deepEqual((await presence.takeParkedRooms(APP, 'd', undefined, null, now + 10))?.token, 't3', 'knowing neither: the only one');
  await presence.parkRooms(APP, 'd', place('t4', null), 1000, now);
  await presence.parkRooms(APP, 'd', place('t5', null), 1000, now);
  assert.equal(await presence.takeParkedRooms(APP, 'd', undefined, null, now + 10), undefined, 'knowing neither, of two: none');

  await presence.parkRooms(APP, 'e', place('t6', null), 1000, now);
  assert.equal(await presence.takeParkedRooms(APP, 'e', 't6', null, now + 1000), undefined, 'expired');
  assert.equal(await presence.takeParkedRooms(APP, 'c', 't1', null, now + 10), undefined, 'taken by device before');
});

test('a client keeps at most 8 parked logins (the oldest go), and parking one token again replaces it', async () => {
  const { presence } = setup();
  const now = 2_000_000;
  for (let n = 0; n < 10; n += 1) await presence.parkRooms(APP, 'f', place(`t${n}`, null, [`r${n}`]), 60_000, now + n);
  assert.equal(await presence.takeParkedRooms(APP, 'f', 't0', null, now + 20), undefined);
  assert.equal(await presence.takeParkedRooms(APP, 'f', 't1', null, now + 20), undefined);
  for (let n = 2; n < 10; n += 1) assert.deepEqual((await presence.takeParkedRooms(APP, 'f', `t${n}`, null, now + 20))?.rooms, [`r${n}`]);

  await presence.parkRooms(APP, 'g', place('same', null, ['old']), 60_000, now);
  await presence.parkRooms(APP, 'g', place('same', null, ['new']), 60_000, now);
  assert.deepEqual((await presence.takeParkedRooms(APP, 'g', 'same', null, now + 1))?.rooms, ['new']);
  assert.equal(await presence.takeParkedRooms(APP, 'g', 'same', null, now + 1), undefined);
});

test('login facts are remembered by token, forgotten on logout, and kept no longer than asked', async () => {
  const { presence } = setup();
  await presence.rememberLogin(APP, 'tok', { tag: 'Web', deviceId: 'laptop' }, 60_000);
  assert.deepEqual(await presence.recallLogin(APP, 'tok'), { tag: 'Web', deviceId: 'laptop' });
  assert.equal(await presence.recallLogin('other-app', 'tok'), undefined);
  await presence.forgetLogin(APP, 'tok');
  assert.equal(await presence.recallLogin(APP, 'tok'), undefined);
  await presence.rememberLogin(APP, 'brief', { tag: null, deviceId: null }, -1);
  assert.equal(await presence.recallLogin(APP, 'brief'), undefined);
});
