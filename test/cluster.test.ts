/**
 * Issue 17, acceptance 1, 3 and 4: three `lc-chat serve` processes on one
 * PostgreSQL database and one Redis (test/helpers/cluster.ts), and the
 * official SDKs 3.5.7 and 4.3.1 and ours, each client on a different node.
 * Everything a client sees must be what it would see on one server: 单聊,
 * 群聊, a chat room whose count() is the same from every node, single
 * sign-on across nodes (takeover and reconnect refusal), who is online,
 * unread counts and markAsRead across devices, recall and edit, transient
 * messages and receipts; a node killed with SIGKILL: its clients' will
 * messages reach the others, and its chat-room viewers stop counting.
 * A one-to-one conversation between nodes 1 and 2 never reaches node 3's
 * broker subscription, asserted on node 3's own counter.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, afterEach, before, describe, test } from 'node:test';
import { CommandType, OpType, type DecodedCommand, type ISessionCommand } from '../src/protocol/codec.js';
import { Realtime, TextMessage, type IMClient, type Message } from '../src/sdk/index.js';
import { startCluster, type Cluster, type ClusterNode } from './helpers/cluster.js';
import { v3, v4, type OfficialSdk } from './helpers/official-sdk.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP } from './helpers/server.js';

const require = createRequire(import.meta.url);
const lc3: Js = require('lc3');
const lc4: Js = require('lc4');

// The official SDKs ship no types; these tests drive them as plain JavaScript.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Js = any;

/** Generous: three server processes and the test share two loaded cores. A failure costs time, never a flake. */
const WAIT = 20_000;
const RECEIVED = 'lc_broker_deliveries_received_total';

let cluster: Cluster;
/** What a test opened: closed after it, so that nothing of one test reaches a node while the next counts. */
const closers: (() => unknown)[] = [];
async function closeAll(): Promise<void> {
  for (const close of closers.splice(0)) {
    try {
      await close();
    } catch {
      // already closed
    }
  }
}
before(async () => {
  cluster = await startCluster({ nodes: 3 });
});
afterEach(closeAll);
after(async () => {
  await closeAll();
  await cluster?.close();
});

const node = (n: 1 | 2 | 3): ClusterNode => cluster.nodes[n - 1]!;
let run = 0;
/** Client ids unique to one test. */
function names<const T extends string[]>(...base: T): { [K in keyof T]: string } {
  run += 1;
  return base.map((name) => `${name}-${run}`) as { [K in keyof T]: string };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = WAIT): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await delay(50);
  }
}

/** The next `event` of an emitter (ours or an official SDK's), or a rejection after `ms`. */
function next<T extends unknown[] = Js[]>(emitter: { on(event: string, listener: (...args: Js[]) => void): unknown }, event: string, ms = WAIT): Promise<T> {
  const promise = new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    emitter.on(event, (...args: Js[]) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(args as T);
    });
  });
  promise.catch(() => {});
  return promise;
}

/** An official SDK's Realtime bound to one node (3.5.7: per instance, not through the class-wide discovery). */
function official(sdk: OfficialSdk, at: ClusterNode): Js {
  const realtime: Js = sdk.realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, wsUrl: at.wsUrl });
  if (sdk === v3) realtime._getEndpoints = () => Promise.resolve([`${at.wsUrl}/`]);
  closers.push(() => realtime._close());
  return realtime;
}
const loginV3 = (id: string, at: ClusterNode, tag?: string): Promise<Js> => official(v3, at).createIMClient(id, {}, tag);
const loginV4 = (id: string, at: ClusterNode, tag?: string): Promise<Js> => official(v4, at).createIMClient(id, tag ? { tag } : {});

/** Our SDK on one node, or on a list of them (failover in order). */
function ours(at: ClusterNode | ClusterNode[]): Realtime {
  const server = Array.isArray(at) ? at.map((n) => n.wsUrl) : at.wsUrl;
  const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server });
  closers.push(() => realtime.close());
  return realtime;
}
const loginOurs = (id: string, at: ClusterNode, tag?: string): Promise<IMClient> => ours(at).createIMClient(id, tag ? { tag } : {});

async function raw(at: ClusterNode, id: string, session: ISessionCommand = {}): Promise<{ client: RawClient; token: string }> {
  const client = await RawClient.connect(at.wsUrl);
  closers.push(() => client.ws.terminate());
  const reply = await client.login(TEST_APP.appId, id, session);
  return { client, token: reply.sessionMessage!.st! };
}
const isClosed = (command: DecodedCommand) => command.cmd === CommandType.session && command.op === OpType.closed;

const textOf = (message: Js): string => String(message instanceof TextMessage ? message.text : message.text ?? message.getText?.());

describe('three nodes, one PostgreSQL, one Redis', { timeout: 600_000 }, () => {
  test('单聊: 3.5.7 on node 1, 4.3.1 on node 2 and ours on node 3 talk in one-to-one conversations, both ways', { timeout: 120_000 }, async () => {
    const [aliceId, bobId, carolId] = names('Alice', 'Bob', 'Carol');
    const alice = await loginV3(aliceId, node(1));
    const bob = await loginV4(bobId, node(2));
    const carol = await loginOurs(carolId, node(3));

    const bobGets = next<[Js, Js]>(bob, 'message');
    const aliceBob = await alice.createConversation({ members: [bobId], name: 'alice-bob' });
    const sent = await aliceBob.send(new lc3.TextMessage('node 1 → node 2'));
    const [received, bobsConversation] = await bobGets;
    assert.equal(received.text, 'node 1 → node 2');
    assert.equal(received.id, sent.id);
    assert.equal(received.from, aliceId);
    assert.equal(bobsConversation.id, aliceBob.id);

    const aliceGets = next<[Js]>(alice, 'message');
    await bobsConversation.send(new lc4.TextMessage('node 2 → node 1'));
    assert.equal((await aliceGets)[0].text, 'node 2 → node 1');

    // Ours on node 3 and 4.3.1 on node 2.
    const bobGetsCarol = next<[Js, Js]>(bob, 'message');
    const carolBob = await carol.createConversation({ members: [bobId] });
    const fromCarol = await carolBob.send(new TextMessage('node 3 → node 2'));
    const [fromCarolAtBob, atBob] = await bobGetsCarol;
    assert.equal(fromCarolAtBob.id, fromCarol.id);
    assert.equal(fromCarolAtBob.text, 'node 3 → node 2');
    const carolGets = next<[Message]>(carol, 'message');
    await atBob.send(new lc4.TextMessage('node 2 → node 3'));
    const [reply] = await carolGets;
    assert.ok(reply instanceof TextMessage);
    assert.equal(reply.text, 'node 2 → node 3');
    assert.equal(reply.from, bobId);
  });

  test('a one-to-one conversation between nodes 1 and 2 never reaches node 3’s broker subscription', { timeout: 120_000 }, async () => {
    const [aId, bId, cId] = names('A', 'B', 'C');
    const a = await loginOurs(aId, node(1));
    const b = await loginOurs(bId, node(2));
    const c = await loginOurs(cId, node(3));
    const ab = await a.createConversation({ members: [bId] });
    const ac = await a.createConversation({ members: [cId] });
    const bc = await b.createConversation({ members: [cId] });
    const abAtB = (await b.getConversation(ab.id))!;

    /**
     * A message from node 1 and one from node 2 to C on node 3, received:
     * whatever nodes 1 and 2 published before them has reached node 3 by
     * then (one Redis, one subscriber connection per node: in order).
     */
    const barrier = async (label: string) => {
      const got: string[] = [];
      const listener = (message: Message) => got.push(textOf(message));
      c.on('message', listener);
      await ac.send(new TextMessage(`${label} from node 1`));
      await bc.send(new TextMessage(`${label} from node 2`));
      await until(() => got.length === 2, `C gets the ${label} messages`);
      c.off('message', listener);
    };
    await barrier('first barrier');
    const before = await node(3).metric(RECEIVED);
    assert.ok(before >= 2, `node 3 counts what it received (${before}): the counter is live`);

    const toB: string[] = [];
    const toA: string[] = [];
    b.on('message', (message, where) => where.id === ab.id && toB.push(textOf(message)));
    a.on('message', (message, where) => where.id === ab.id && toA.push(textOf(message)));
    for (let n = 0; n < 10; n++) {
      await ab.send(new TextMessage(`a${n}`), { receipt: true });
      await abAtB.send(new TextMessage(`b${n}`));
    }
    await until(() => toB.length === 10 && toA.length === 10, 'A and B get each other’s ten messages');
    await abAtB.read();
    await barrier('second barrier');
    const afterwards = await node(3).metric(RECEIVED);
    assert.equal(afterwards - before, 2, 'node 3 received the two barrier messages for C and nothing of A and B’s twenty');
  });

  test('群聊: a group with members on all three nodes, each SDK sending', { timeout: 120_000 }, async () => {
    const [aliceId, bobId, carolId] = names('Alice', 'Bob', 'Carol');
    const alice = await loginV3(aliceId, node(1));
    const bob = await loginV4(bobId, node(2));
    const carol = await loginOurs(carolId, node(3));
    const got = new Map<string, string[]>([[aliceId, []], [bobId, []], [carolId, []]]);
    alice.on('message', (message: Js) => got.get(aliceId)!.push(message.text));
    bob.on('message', (message: Js) => got.get(bobId)!.push(message.text));
    carol.on('message', (message: Message) => got.get(carolId)!.push(textOf(message)));

    const group = await carol.createConversation({ members: [aliceId, bobId], name: '群聊' });
    await group.send(new TextMessage('from ours on node 3'));
    const atAlice = await alice.getConversation(group.id);
    const atBob = await bob.getConversation(group.id);
    await atAlice.send(new lc3.TextMessage('from 3.5.7 on node 1'));
    await atBob.send(new lc4.TextMessage('from 4.3.1 on node 2'));
    await until(() => [...got.values()].every((texts) => texts.length === 2), 'everyone gets the other two');
    await delay(300);
    assert.deepEqual(got.get(aliceId)!.sort(), ['from 4.3.1 on node 2', 'from ours on node 3']);
    assert.deepEqual(got.get(bobId)!.sort(), ['from 3.5.7 on node 1', 'from ours on node 3']);
    assert.deepEqual(got.get(carolId)!.sort(), ['from 3.5.7 on node 1', 'from 4.3.1 on node 2'], 'once each, none of one’s own');
  });

  test('chat room: viewers on three nodes, count() the same from every node, messages once per viewer, one room per login', { timeout: 120_000 }, async () => {
    const [hostId, v3Id, v4Id] = names('Host', 'Viewer3', 'Viewer4');
    const host = await loginOurs(hostId, node(1));
    const room = await host.createConversation({ name: '直播间', transient: true });
    const viewer3 = await loginV3(v3Id, node(2));
    const viewer4 = await loginV4(v4Id, node(3));
    const room3 = await viewer3.getConversation(room.id);
    await room3.join();
    const room4 = await viewer4.getConversation(room.id);
    await room4.join();

    const counts = async () => [await room.count(), await room3.count(), await room4.count()];
    await until(async () => (await counts()).every((count) => count === 3), 'count() is 3 from every node');
    assert.deepEqual(await counts(), [3, 3, 3]);

    const got3: string[] = [];
    const got4: string[] = [];
    const gotHost: string[] = [];
    viewer3.on('message', (message: Js) => got3.push(message.text));
    viewer4.on('message', (message: Js) => got4.push(message.text));
    host.on('message', (message) => gotHost.push(textOf(message)));
    await room.send(new TextMessage('现在比分是 0:0'));
    await room3.send(new lc3.TextMessage('弹幕 from node 2'));
    await room4.send(new lc4.TextMessage('弹幕 from node 3'));
    await until(() => got3.length === 2 && got4.length === 2 && gotHost.length === 2, 'each viewer gets the other two');
    await delay(300);
    assert.deepEqual(got3.sort(), ['弹幕 from node 3', '现在比分是 0:0']);
    assert.deepEqual(got4.sort(), ['弹幕 from node 2', '现在比分是 0:0']);
    assert.deepEqual(gotHost.sort(), ['弹幕 from node 2', '弹幕 from node 3']);

    // One room per login: the 4.3.1 viewer on node 3 joins another room and leaves this one, for every node.
    const other = await host.createConversation({ name: 'other', transient: true });
    await (await viewer4.getConversation(other.id)).join();
    await until(async () => (await counts()).every((count) => count === 2), 'count() is 2 from every node');
    assert.equal(await other.count(), 2);
  });

  test('single sign-on across nodes: a tagged login on node 2 kicks node 1’s (3.5.7, 4.3.1, ours); a reconnect on node 3 is refused while node 2 holds the tag', { timeout: 120_000 }, async () => {
    const [id3, id4, idOurs, idRaw] = names('Tagged3', 'Tagged4', 'TaggedOurs', 'TaggedRaw');
    const first3 = await loginV3(id3, node(1), 'Mobile');
    const kicked3 = next(first3, 'conflict');
    await loginV3(id3, node(2), 'Mobile');
    await kicked3;

    const first4 = await loginV4(id4, node(1), 'Mobile');
    const kicked4 = next(first4, 'conflict');
    await loginV4(id4, node(2), 'Mobile');
    await kicked4;

    const firstOurs = await loginOurs(idOurs, node(1), 'Mobile');
    const kickedOurs = next(firstOurs, 'conflict');
    await loginOurs(idOurs, node(2), 'Mobile');
    await kickedOurs;
    // An untagged login of the same client on node 3 is no conflict.
    const untagged = await loginOurs(idOurs, node(3));
    assert.equal(untagged.id, idOurs);

    // At the protocol: the kicked device reconnects (r + its token, as 4.3.1 does) to node 3.
    const { client: older, token } = await raw(node(1), idRaw, { tag: 'Web', deviceId: 'device-a' });
    const { client: holder } = await raw(node(2), idRaw, { tag: 'Web', deviceId: 'device-b' });
    const kicked = await older.take(isClosed, WAIT);
    assert.equal(kicked.sessionMessage?.code, 4111);
    const retry = await RawClient.connect(node(3).wsUrl);
    closers.push(() => retry.ws.terminate());
    const reopen = { cmd: CommandType.session, op: OpType.open, appId: TEST_APP.appId, peerId: idRaw, sessionMessage: { ua: 'js/4.3.1', r: true, st: token } };
    const refused = await retry.request(reopen);
    assert.equal(refused.cmd, CommandType.error);
    assert.equal(refused.errorMessage?.code, 4111);
    assert.equal(refused.errorMessage?.reason, 'SESSION_CONFLICT');
    await assert.rejects(holder.take(isClosed, 500), /nothing/, 'the holder on node 2 keeps its session');
    // Once node 2's holder logs out, node 3 lets the reconnect in.
    await holder.request({ cmd: CommandType.session, op: OpType.close });
    await until(async () => (await retry.request(reopen)).op === OpType.opened, 'the reconnect is accepted once the tag is free');
  });

  test('a REST kick sent to node 1 ends the client’s sessions on nodes 2 and 3, and no one else’s', { timeout: 120_000 }, async () => {
    const [kickedId, bystanderId] = names('Kicked', 'Bystander');
    const { client: onTwo } = await raw(node(2), kickedId);
    const { client: onThree } = await raw(node(3), kickedId);
    const { client: bystander } = await raw(node(2), bystanderId);
    const answer = await fetch(`${node(1).httpUrl}/1.2/rtm/clients/${kickedId}/kick`, {
      method: 'POST',
      headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.masterKey},master`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: 'spam' }),
    });
    assert.equal(answer.status, 200, 'node 1 holds no session of the client and still answers for the cluster');
    for (const client of [onTwo, onThree]) {
      const closed = await client.take(isClosed, WAIT);
      assert.deepEqual([closed.peerId, closed.sessionMessage?.code, closed.sessionMessage?.detail], [kickedId, 4115, 'spam']);
      // The session is gone on its node: its commands are refused.
      const refused = await client.request({ cmd: CommandType.conv, op: OpType.query, convMessage: {} });
      assert.equal(refused.errorMessage?.reason, 'SESSION_REQUIRED');
    }
    await assert.rejects(bystander.take(isClosed, 500), /nothing/, 'another client on node 2 keeps its session');
    const bystanderReply = await bystander.request({ cmd: CommandType.conv, op: OpType.query, convMessage: {} });
    assert.ok(!bystanderReply.errorMessage, 'its commands are still served');
    const online = async () => {
      const reply = await fetch(`${node(1).httpUrl}/1.2/rtm/clients/check-online`, {
        method: 'POST',
        headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.masterKey},master`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_ids: [kickedId, bystanderId] }),
      });
      return ((await reply.json()) as { results: string[] }).results;
    };
    // The presence's writes are fire-and-forget: seen from node 1 a moment later.
    await until(async () => (await online()).length === 1, 'node 1 sees the kicked client offline');
    assert.deepEqual(await online(), [bystanderId]);
  });

  test('who is online (session query) is the whole cluster’s', { timeout: 120_000 }, async () => {
    const [aliceId, bobId, carolId, nobodyId] = names('Alice', 'Bob', 'Carol', 'Nobody');
    await loginV3(aliceId, node(1));
    const bob = await loginV4(bobId, node(2));
    const carol = await loginOurs(carolId, node(3));
    await until(async () => (await bob.ping([aliceId, carolId, nobodyId])).length === 2, '4.3.1 on node 2 sees 1 and 3 online');
    assert.deepEqual((await bob.ping([aliceId, carolId, nobodyId])).sort(), [aliceId, carolId].sort());
    assert.deepEqual((await carol.ping([aliceId, bobId, nobodyId])).sort(), [aliceId, bobId].sort());
    await carol.close();
    await until(async () => (await bob.ping([aliceId, carolId])).length === 1, 'a logout on node 3 is seen on node 2');
    assert.deepEqual(await bob.ping([aliceId, carolId]), [aliceId]);
  });

  test('unread counts and markAsRead across devices on different nodes; receipts and transient messages', { timeout: 120_000 }, async () => {
    const [tomId, harryId] = names('Tom', 'Harry');
    const tom = await loginV3(tomId, node(1));
    const conversation = await tom.createConversation({ members: [harryId] });
    await conversation.send(new lc3.TextMessage('one'));

    // Harry on 4.3.1 at node 2 and on ours at node 3: one unread at login on both.
    const phoneRealtime = official(v4, node(2));
    const phoneUnread: [string, number][] = [];
    const phone: Js = await phoneRealtime.createIMClient(harryId).then((client: Js) => {
      client.on('unreadmessagescountupdate', (conversations: Js[]) => phoneUnread.push(...conversations.map((c): [string, number] => [c.id, c.unreadMessagesCount])));
      return client;
    });
    const laptop = await loginOurs(harryId, node(3));
    const laptopConversation = async () => (await laptop.getConversation(conversation.id))!;
    await until(async () => (await laptopConversation()).unreadMessagesCount === 1, 'ours on node 3 has one unread');
    await until(() => phoneUnread.some(([id, count]) => id === conversation.id && count === 1), '4.3.1 on node 2 has one unread');

    // A new message counts on both devices; Tom asked for a receipt.
    const delivered = next(conversation, 'receipt');
    await conversation.send(new lc3.TextMessage('two'), { receipt: true });
    await delivered;
    await until(async () => (await laptopConversation()).unreadMessagesCount === 2, 'ours counts the second');
    await until(async () => (await phone.getConversation(conversation.id)).unreadMessagesCount === 2, '4.3.1 counts the second');

    // Read on the phone (node 2): the laptop (node 3) drops to 0, Tom (node 1) sees the read receipt.
    const readByHarry = next(conversation, 'lastreadatupdate');
    await (await phone.getConversation(conversation.id)).read();
    await until(async () => (await laptopConversation()).unreadMessagesCount === 0, 'the read on node 2 clears ours on node 3');
    await readByHarry;

    // Typing indicators: transient, delivered to who is online, never stored.
    const typing = new TextMessage('typing…');
    const tomGets = next<[Js]>(tom, 'message');
    await (await laptopConversation()).send(typing, { transient: true });
    const [transient] = await tomGets;
    assert.equal(transient.text, 'typing…');
    assert.equal(transient.transient, true);
    assert.equal((await conversation.queryMessages()).some((message: Js) => message.text === 'typing…'), false, 'not stored');
  });

  test('recall and edit pushes reach the other nodes', { timeout: 120_000 }, async () => {
    const [tomId, jerryId, spikeId] = names('Tom', 'Jerry', 'Spike');
    const tom = await loginV3(tomId, node(1));
    const jerry = await loginV4(jerryId, node(2));
    const spike = await loginOurs(spikeId, node(3));
    const conversation = await tom.createConversation({ members: [jerryId, spikeId] });
    const typo = await conversation.send(new lc3.TextMessage('tpyo'));
    const regret = await conversation.send(new lc3.TextMessage('regrettable'));
    await until(async () => (await spike.getConversation(conversation.id))?.lastMessage?.id === regret.id, 'ours has both');

    const jerryUpdate = next<[Js]>(jerry, 'messageupdate');
    const spikeUpdate = next<[Message]>(spike, 'messageupdate');
    await conversation.update(typo, new lc3.TextMessage('typo'));
    const [atJerry] = await jerryUpdate;
    assert.deepEqual([atJerry.id, atJerry.text], [typo.id, 'typo']);
    const [atSpike] = await spikeUpdate;
    assert.deepEqual([atSpike.id, textOf(atSpike)], [typo.id, 'typo']);

    const jerryRecall = next<[Js]>(jerry, 'messagerecall');
    const spikeRecall = next<[Message]>(spike, 'messagerecall');
    await conversation.recall(regret);
    const [recalledAtJerry] = await jerryRecall;
    assert.equal(recalledAtJerry.id, regret.id);
    assert.ok(recalledAtJerry instanceof lc4.RecalledMessage);
    assert.equal((await spikeRecall)[0].id, regret.id);
  });

  test('a node killed with SIGKILL: its client’s will message reaches the members on the other nodes within 60 s, and its chat-room viewers stop counting within 30 s', { timeout: 180_000 }, async () => {
    const [willId, v3Id, v4Id, hostId] = names('Will', 'Member3', 'Member4', 'Host');
    const member3 = await loginV3(v3Id, node(1));
    const member4 = await loginV4(v4Id, node(2));
    const host = await loginOurs(hostId, node(1));
    const room = await host.createConversation({ name: 'room', transient: true });

    // The dying client: ours, on node 3 only (so it cannot come back elsewhere and log out).
    const dying = await loginOurs(willId, node(3));
    const conversation = await dying.createConversation({ members: [v3Id, v4Id] });
    const will = await conversation.send(new TextMessage(`${willId} went offline`), { will: true });
    await (await dying.getConversation(room.id))!.join();
    await until(async () => (await room.count()) === 2, 'the viewer on node 3 counts from node 1');

    const at3 = next<[Js]>(member3, 'message', 60_000);
    const at4 = next<[Js]>(member4, 'message', 60_000);
    await node(3).kill();
    const [[got3], [got4]] = await Promise.all([at3, at4]);
    assert.deepEqual([got3.id, got3.text, got3.from], [will.id, `${willId} went offline`, willId]);
    assert.deepEqual([got4.id, got4.text, got4.from], [will.id, `${willId} went offline`, willId]);
    await until(async () => (await room.count()) === 1, 'the dead node’s viewer no longer counts', 30_000);

    // Delivered once: no second copy from another surviving node.
    const more: string[] = [];
    member3.on('message', (message: Js) => more.push(message.id));
    member4.on('message', (message: Js) => more.push(message.id));
    await delay(3000);
    assert.deepEqual(more, [], 'the will arrived once');
    await node(3).start();
  });
});
