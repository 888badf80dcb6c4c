/**
 * The seams a cluster plugs into (issue 17): what the node's registries
 * report to the broker (which clients and chat rooms this node follows)
 * and to the presence (sessions, room entries, parked rooms), and that the
 * handlers ask the presence, not this node's registries, whenever the
 * answer is cluster-wide. The presence here knows only what it is told, as
 * a Redis presence would, plus facts "from another node" the test plants.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LocalBroker } from '../src/server/broker/local-broker.js';
import type { Topic } from '../src/server/broker/types.js';
import type { LoginFacts, OrphanedWills, ParkedRooms, Presence, PresenceSession, WillMessage } from '../src/server/presence/types.js';
import { Realtime, TextMessage, type Message } from '../src/sdk/index.js';
import { nextEvent, until } from './helpers/sdk-env.js';
import { createServer, type LcServer } from '../src/server/index.js';
import { TEST_APP } from './helpers/server.js';
import { dropTestStore, testStoreFor } from './helpers/test-store.js';

const NODE_ID = 'node-seven';

/** Records which topics the node follows. */
class RecordingBroker extends LocalBroker {
  readonly topics: string[] = [];

  override follow(topic: Topic): void {
    this.topics.push(`follow ${topic.kind} ${topic.id}`);
  }

  override unfollow(topic: Topic): void {
    this.topics.push(`unfollow ${topic.kind} ${topic.id}`);
  }
}

/** A presence that answers from what it was told (and what the test planted), never from the node's registries. */
class ToldPresence implements Presence {
  readonly calls: string[] = [];
  readonly sessions = new Map<string, PresenceSession>();
  /** `appId\0cid` → client → entries (one per node that reported it). */
  readonly rooms = new Map<string, Map<string, number>>();
  private readonly logins = new Map<string, LoginFacts>();
  private readonly parked = new Map<string, ParkedRooms[]>();
  readonly wills = new Map<string, readonly WillMessage[]>();

  sessionOpened(session: PresenceSession): void {
    this.calls.push(`opened ${session.clientId}`);
    this.sessions.set(session.sessionId, session);
  }

  sessionEnded(session: PresenceSession): void {
    this.calls.push(`ended ${session.clientId}`);
    this.sessions.delete(session.sessionId);
    this.wills.delete(session.sessionId);
  }

  roomEntered(appId: string, cid: string, clientId: string): void {
    this.calls.push(`entered ${clientId}`);
    const room = this.rooms.get(`${appId}\0${cid}`) ?? new Map<string, number>();
    room.set(clientId, (room.get(clientId) ?? 0) + 1);
    this.rooms.set(`${appId}\0${cid}`, room);
  }

  roomLeft(appId: string, cid: string, clientId: string): void {
    this.calls.push(`left ${clientId}`);
    const room = this.rooms.get(`${appId}\0${cid}`);
    const entries = (room?.get(clientId) ?? 0) - 1;
    if (entries > 0) room!.set(clientId, entries);
    else room?.delete(clientId);
  }

  async online(appId: string, clientIds: readonly string[]): Promise<string[]> {
    const here = new Set([...this.sessions.values()].filter((s) => s.appId === appId).map((s) => s.clientId));
    return clientIds.filter((id) => here.has(id));
  }

  async roomCount(appId: string, cid: string): Promise<number> {
    return this.rooms.get(`${appId}\0${cid}`)?.size ?? 0;
  }

  async tagHolders(appId: string, clientId: string, tag: string): Promise<Array<string | null>> {
    return [...this.sessions.values()].filter((s) => s.appId === appId && s.clientId === clientId && s.tag === tag).map((s) => s.deviceId);
  }

  async rememberLogin(appId: string, token: string, facts: LoginFacts): Promise<void> {
    this.logins.set(`${appId}\0${token}`, facts);
  }

  async recallLogin(appId: string, token: string): Promise<LoginFacts | undefined> {
    return this.logins.get(`${appId}\0${token}`);
  }

  async forgetLogin(appId: string, token: string): Promise<void> {
    this.logins.delete(`${appId}\0${token}`);
  }

  async parkRooms(appId: string, clientId: string, place: ParkedRooms, ttlMs: number): Promise<void> {
    this.calls.push(`parked ${clientId} ${place.rooms.length} joined=${place.joined !== undefined} ttl=${ttlMs}`);
    this.parked.set(`${appId}\0${clientId}`, [...(this.parked.get(`${appId}\0${clientId}`) ?? []), place]);
  }

  async takeParkedRooms(appId: string, clientId: string, previousToken: string | undefined): Promise<ParkedRooms | undefined> {
    const places = this.parked.get(`${appId}\0${clientId}`) ?? [];
    const index = places.findIndex((place) => place.token === previousToken);
    this.calls.push(`take ${clientId} ${index >= 0 ? 'found' : 'none'}`);
    return index < 0 ? undefined : places.splice(index, 1)[0];
  }

  setWills(session: PresenceSession, wills: readonly WillMessage[]): void {
    if (wills.length === 0) this.wills.delete(session.sessionId);
    else this.wills.set(session.sessionId, wills);
  }

  readonly orphanHandlers = new Set<(orphaned: OrphanedWills) => Promise<void>>();

  onOrphanedWills(handler: (orphaned: OrphanedWills) => Promise<void>): () => void {
    this.orphanHandlers.add(handler);
    return () => this.orphanHandlers.delete(handler);
  }

  async close(): Promise<void> {}

  /** A session on another node. */
  plantRemoteSession(appId: string, clientId: string, tag: string | null = null, deviceId: string | null = null): void {
    this.sessions.set(`other-node:1:${clientId}`, { appId, clientId, sessionId: `other-node:1:${clientId}`, tag, deviceId });
  }
}

const broker = new RecordingBroker();
const presence = new ToldPresence();
const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-seams-'));
let server: LcServer;
const realtimes: Realtime[] = [];

before(async () => {
  const storeLocation = await testStoreFor(dataDir);
  server = await createServer({ port: 0, host: '127.0.0.1', apps: [TEST_APP], log: () => {}, dataDir, nodeId: NODE_ID, broker, presence, ...(storeLocation ? { storeLocation } : {}) });
});
after(async () => {
  await Promise.allSettled(realtimes.map((realtime) => realtime.close()));
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  await dropTestStore(dataDir);
});

function device(): Realtime {
  const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: server.wsUrl, timings: { backoffInitial: 50 } });
  realtimes.push(realtime);
  return realtime;
}

const of = (log: readonly string[], id: string) => log.filter((line) => line.endsWith(` ${id}`) || line.includes(` ${id} `));

test('a client is followed at its first session on this node and unfollowed after its last; each session is told to the presence, with the node id in its id', async () => {
  const id = 'seam-two-devices';
  const first = await device().createIMClient(id);
  const second = await device().createIMClient(id);
  assert.deepEqual(of(broker.topics, id), [`follow client ${id}`], 'followed once for two sessions');
  assert.deepEqual(of(presence.calls, id), [`opened ${id}`, `opened ${id}`]);
  const ids = [...presence.sessions.values()].filter((s) => s.clientId === id).map((s) => s.sessionId);
  assert.equal(ids.length, 2);
  for (const sessionId of ids) assert.match(sessionId, new RegExp(`^${NODE_ID}:\\d+:${id}$`));

  await first.close();
  assert.deepEqual(of(broker.topics, id), [`follow client ${id}`], 'still followed while a session is left');
  assert.deepEqual(of(presence.calls, id), [`opened ${id}`, `opened ${id}`, `ended ${id}`]);
  await second.close();
  assert.deepEqual(of(broker.topics, id), [`follow client ${id}`, `unfollow client ${id}`]);
  assert.deepEqual(of(presence.calls, id), [`opened ${id}`, `opened ${id}`, `ended ${id}`, `ended ${id}`]);
});

test('session query and the REST online check ask the presence: a client on another node is online', async () => {
  presence.plantRemoteSession(TEST_APP.appId, 'seam-far-away');
  const asker = await device().createIMClient('seam-asker');
  assert.deepEqual(await asker.ping(['seam-far-away', 'seam-nobody', 'seam-asker']), ['seam-far-away', 'seam-asker']);
  const response = await fetch(`${server.httpUrl}/1.2/rtm/clients/check-online`, {
    method: 'POST',
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.masterKey},master`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_ids: ['seam-nobody', 'seam-far-away'] }),
  });
  assert.deepEqual(await response.json(), { results: ['seam-far-away'] });
});

test('chat rooms: followed while a viewer is here; entries, counts, a dropped viewer parked and taken back on its reconnect', async () => {
  const host = await device().createIMClient('seam-host');
  const room = await host.createConversation({ name: 'seams', transient: true });
  const roomTopics = () => broker.topics.filter((line) => line.endsWith(` room ${room.id}`));
  assert.deepEqual(roomTopics(), [`follow room ${room.id}`]);
  assert.deepEqual(of(presence.calls, 'seam-host').filter((line) => line.startsWith('entered')), ['entered seam-host']);

  const viewerDevice = device();
  const viewer = await viewerDevice.createIMClient('seam-viewer');
  await (await viewer.getConversation(room.id))!.join();
  assert.deepEqual(roomTopics(), [`follow room ${room.id}`], 'one follow per room, not per viewer');
  assert.equal(await room.count(), 2);
  // A viewer on another node, as its node told the presence.
  presence.roomEntered(TEST_APP.appId, room.id, 'seam-far-viewer');
  assert.equal(await room.count(), 3, 'conv count asks the presence');

  const disconnected = nextEvent(viewer, 'disconnect');
  viewerDevice.pause();
  await disconnected;
  await until(() => of(presence.calls, 'seam-viewer').some((line) => line.startsWith('parked')), 5000, 'the viewer parked');
  assert.deepEqual(of(presence.calls, 'seam-viewer').slice(-3), ['left seam-viewer', 'ended seam-viewer', `parked seam-viewer 1 joined=true ttl=${server.config.roomResumeMs}`]);
  assert.equal(await room.count(), 2);

  const got: Message[] = [];
  viewer.on('message', (message) => got.push(message));
  const back = nextEvent(viewer, 'reconnect');
  viewerDevice.resume();
  await back;
  assert.deepEqual(of(presence.calls, 'seam-viewer').slice(-3), ['opened seam-viewer', 'take seam-viewer found', 'entered seam-viewer']);
  assert.equal(await room.count(), 3);
  await room.send(new TextMessage('still here'));
  await until(() => got.length === 1, 5000, 'the room message');
  assert.equal((got[0] as TextMessage).text, 'still here', 'back in the room without joining again');

  await host.close();
  assert.deepEqual(roomTopics(), [`follow room ${room.id}`], 'the viewer is still here');
  await viewer.close();
  assert.deepEqual(roomTopics(), [`follow room ${room.id}`, `unfollow room ${room.id}`]);
  assert.deepEqual(of(presence.calls, 'seam-viewer').slice(-2), ['left seam-viewer', 'ended seam-viewer']);
});

test('will messages are handed to the presence when left, and taken back when the session logs out', async () => {
  const sender = await device().createIMClient('seam-will');
  const conversation = await sender.createConversation({ members: ['seam-will-reader'] });
  await conversation.send(new TextMessage('if I drop'), { will: true });
  const held = [...presence.sessions.values()].find((s) => s.clientId === 'seam-will')!;
  assert.deepEqual(presence.wills.get(held.sessionId)?.map((will) => will.message.data), [JSON.stringify({ _lctype: -1, _lctext: 'if I drop' })]);
  await sender.close();
  assert.equal(presence.wills.has(held.sessionId), false);
});

test('a reconnect is refused (4111) while a device on another node holds its tag: the tag check asks the presence', async () => {
  const realtime = device();
  const client = await realtime.createIMClient('seam-tagged', {}, 'Web');
  const disconnected = nextEvent(client, 'disconnect');
  realtime.pause();
  await disconnected;
  await until(() => ![...presence.sessions.values()].some((s) => s.clientId === 'seam-tagged'), 5000, 'the dropped session ended');
  // Meanwhile the same client logged in with the tag on another node, from another device.
  presence.plantRemoteSession(TEST_APP.appId, 'seam-tagged', 'Web', 'another-device');
  const refused = nextEvent(client, 'reconnecterror');
  realtime.resume();
  const [error] = await refused;
  assert.equal((error as { code?: number }).code, 4111);
});

test('wills the presence hands over from a dead node are delivered, and only as their own sender', async () => {
  const reader = await device().createIMClient('seam-will-heir');
  const writer = await device().createIMClient('seam-dead-writer');
  const conversation = await writer.createConversation({ members: ['seam-will-heir'] });
  await writer.close();
  const got: Message[] = [];
  reader.on('message', (message) => got.push(message));
  const will = (from: string, text: string): WillMessage => ({
    message: {
      appId: TEST_APP.appId,
      cid: conversation.id,
      from,
      id: `will-${text.replace(/\W/g, '')}`,
      data: JSON.stringify({ _lctype: -1, _lctext: text }),
      binary: false,
      dt: null,
      receipt: false,
      mentionPids: [],
      mentionAll: false,
    },
    priority: undefined,
  });
  assert.equal(presence.orphanHandlers.size, 1, 'the server listens for orphaned wills');
  for (const handler of presence.orphanHandlers) {
    await handler({ appId: TEST_APP.appId, clientId: 'seam-dead-writer', wills: [will('seam-will-heir', 'forged'), will('seam-dead-writer', 'goodbye')] });
  }
  await until(() => got.length >= 1, 5000, 'the will message');
  assert.deepEqual(
    got.map((message) => [message.from, (message as TextMessage).text]),
    [['seam-dead-writer', 'goodbye']],
  );
  const history = await (await reader.getConversation(conversation.id))!.queryMessages({ limit: 10 });
  assert.deepEqual(history.map((message) => (message as TextMessage).text), ['goodbye'], 'the forged one was not stored either');
});
