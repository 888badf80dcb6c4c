/**
 * Issue 16, the membership model: what one hostile client, logged in as
 * itself, may no longer do to conversations it is (or was) part of. Each
 * test drives the raw protocol as the attacker while a bystander pair keeps
 * chatting; the bystander's stop() asserts it lost nothing, and its latency
 * goes to the test log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { CommandType, OpType, type Command, type DecodedCommand } from '../src/protocol/codec.js';
import { conversationSigningString, loginSigningString, sign } from '../src/server/auth/signature.js';
import { MIGRATIONS } from '../src/server/store/sqlite/schema.js';
import { openSqliteStore } from '../src/server/store/sqlite/sqlite-store.js';
import { describeBystander, startBystander } from './helpers/bystander.js';
import { RawClient } from './helpers/raw-client.js';
import { rawEnvironment } from './helpers/raw-env.js';
import { startServerProcess } from './helpers/server-process.js';
import { startTestServer, TEST_APP } from './helpers/server.js';

const env = rawEnvironment();

let run = 0;
const ids = (...names: string[]) => {
  run += 1;
  return names.map((name) => `${name}-sec${run}`);
};
const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });
const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });
const patch = (item: Record<string, unknown>): Command => ({ cmd: CommandType.patch, op: OpType.modify, patchMessage: { patches: [item] } });
const isDirect = (cid: string) => (c: DecodedCommand) => c.cmd === CommandType.direct && c.directMessage?.cid === cid;
const isPatch = (c: DecodedCommand) => c.cmd === CommandType.patch && c.op === OpType.modify;
const isConv = (op: OpType, cid: string) => (c: DecodedCommand) => c.cmd === CommandType.conv && c.op === op && c.convMessage?.cid === cid;

async function create(owner: RawClient, members: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await owner.request(conv(OpType.start, { m: members, ...extra }));
  assert.equal(reply.op, OpType.started, reply.errorMessage?.detail ?? '');
  return reply.convMessage!.cid!;
}

/** Runs `attack` with a bystander chatting beside it; fails if the bystander lost anything. */
async function withBystander(t: TestContext, tag: string, attack: () => Promise<void>): Promise<void> {
  const by = await startBystander(env.server.wsUrl, tag);
  try {
    await attack();
  } finally {
    t.diagnostic(describeBystander(tag, await by.stop()));
  }
}

test('item 2: a subscriber cannot send (or will, or patch) into a system conversation; the server’s own messages still reach it', async (t) => {
  const [attackerId, readerId] = ids('Attacker', 'Reader');
  const { conversation } = await env.server.server.store.createConversation({
    appId: TEST_APP.appId, creator: 'system', members: [], name: 'announcements', transient: false, system: true, unique: false, attributes: {},
  });
  const cid = conversation.id;
  const attacker = await env.login(attackerId!);
  const reader = await env.login(readerId!);
  for (const [client, id] of [[attacker, attackerId], [reader, readerId]] as const) {
    assert.deepEqual((await client.request(conv(OpType.add, { cid, m: [id] }))).convMessage?.allowedPids, [id], 'subscribing stays open');
  }

  await withBystander(t, 'sys', async () => {
    for (const extra of [{}, { will: true }, { transient: true }]) {
      const reply = await attacker.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('free crypto'), ...extra } });
      assert.equal(reply.cmd, CommandType.error, `refused: ${JSON.stringify(extra)}`);
      assert.equal(reply.errorMessage?.code, 4307);
      assert.equal(reply.errorMessage?.reason, 'CONVERSATION_READ_ONLY');
    }
    await assert.rejects(reader.take(isDirect(cid), 300), /nothing/, 'nothing pushed to the subscribers');
    const logs = await reader.request({ cmd: CommandType.logs, logsMessage: { cid } });
    assert.deepEqual(logs.logsMessage?.logs ?? [], [], 'nothing stored');

    // The server writes through the store, as the REST API will: subscribers read it.
    const { message } = await env.server.server.store.appendMessage({
      appId: TEST_APP.appId, cid, from: 'system', data: text('maintenance tonight'), dt: null, receipt: false, mentionPids: [], mentionAll: false,
    });
    const read = await reader.request({ cmd: CommandType.logs, logsMessage: { cid } });
    assert.deepEqual(read.logsMessage?.logs?.map((log) => log.msgId), [message.id]);
    const recall = await attacker.request(patch({ cid, mid: message.id, timestamp: message.timestamp, recall: true }));
    assert.equal(recall.cmd, CommandType.error);
    await assert.rejects(reader.take(isPatch, 300), /nothing/);
  });
});

test('item 9: a kicked member can no longer edit or recall its old messages', async (t) => {
  const [ownerId, kickedId] = ids('Owner', 'Kicked');
  const owner = await env.login(ownerId!);
  const kicked = await env.login(kickedId!);
  const cid = await create(owner, [kickedId!]);
  const said = (await kicked.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('I said something') } })).ackMessage!;
  assert.equal((await owner.request(conv(OpType.remove, { cid, m: [kickedId] }))).op, OpType.removed);
  owner.drain();

  await withBystander(t, 'kicked-patch', async () => {
    const edit = await kicked.request(patch({ cid, mid: said.uid, timestamp: said.t, data: text('something else entirely') }));
    assert.equal(edit.errorMessage?.code, 4401, 'edit refused');
    assert.equal(edit.errorMessage?.reason, 'INVALID_MESSAGING_TARGET');
    const recall = await kicked.request(patch({ cid, mid: said.uid, timestamp: said.t, recall: true }));
    assert.equal(recall.errorMessage?.code, 4401, 'recall refused');
    await assert.rejects(owner.take(isPatch, 300), /nothing/, 'nothing pushed to the members');
    const logs = await owner.request({ cmd: CommandType.logs, logsMessage: { cid } });
    assert.deepEqual(logs.logsMessage!.logs!.map((log) => [log.msgId, log.data]), [[said.uid, text('I said something')]]);
  });

  // Back in, the sender may patch again.
  assert.equal((await owner.request(conv(OpType.add, { cid, m: [kickedId] }))).op, OpType.added);
  const again = await kicked.request(patch({ cid, mid: said.uid, timestamp: said.t, recall: true }));
  assert.equal(again.op, OpType.modified, again.errorMessage?.detail ?? '');
});

test('item 10: only a chat room’s creator may rename it or change its attributes; normal conversations keep “members may update”', async (t) => {
  const [hostId, viewerId, memberId] = ids('Host', 'Viewer', 'Member');
  const host = await env.login(hostId!);
  const viewer = await env.login(viewerId!);
  const room = await create(host, [], { transient: true, attr: { data: JSON.stringify({ name: 'Live' }) } });
  assert.equal((await viewer.request(conv(OpType.add, { cid: room, m: [viewerId] }))).op, OpType.added);

  await withBystander(t, 'room-update', async () => {
    const rename = await viewer.request(conv(OpType.update, { cid: room, attr: { data: JSON.stringify({ name: 'pwned', 'attr.k': 1 }) } }));
    assert.equal(rename.errorMessage?.code, 4320);
    assert.equal(rename.errorMessage?.reason, 'CONVERSATION_OPERATION_UNAUTHORIZED');
    await assert.rejects(host.take(isConv(OpType.updated, room), 300), /nothing/, 'no push to the viewers');
    const found = await viewer.request(conv(OpType.query, { where: { data: JSON.stringify({ objectId: room }) } }));
    assert.equal((JSON.parse(found.convMessage!.results!.data) as { name: string }[])[0]!.name, 'Live');
  });

  const ok = await host.request(conv(OpType.update, { cid: room, attr: { data: JSON.stringify({ name: 'Live tonight' }) } }));
  assert.equal(ok.op, OpType.updated, ok.errorMessage?.detail ?? '');
  assert.equal((await viewer.take(isConv(OpType.updated, room))).convMessage?.initBy, hostId);

  const member = await env.login(memberId!);
  const group = await create(host, [memberId!]);
  const byMember = await member.request(conv(OpType.update, { cid: group, attr: { data: JSON.stringify({ name: 'ours' }) } }));
  assert.equal(byMember.op, OpType.updated, 'a member of a normal conversation still may');
});

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { k: value };
  return value;
};

test('item 5 (write side): a conversation’s name and attributes are bounded in bytes (16 KiB) and nesting (8) on create and update', async (t) => {
  const [ownerId, memberId] = ids('Owner', 'Member');
  const owner = await env.login(ownerId!);
  const member = await env.login(memberId!);
  const cid = await create(owner, [memberId!]);
  const update = (client: RawClient, attr: Record<string, unknown>) => client.request(conv(OpType.update, { cid, attr: { data: JSON.stringify(attr) } }));

  await withBystander(t, 'attr-growth', async () => {
    const refused = await update(member, { blob: 'x'.repeat(60_000) });
    assert.equal(refused.errorMessage?.code, 4306, 'one 60 KB update');
    assert.equal(refused.errorMessage?.reason, 'CONVERSATION_UPDATE_FAILED');
    assert.match(refused.errorMessage?.detail ?? '', /bytes/);
    // The reported attack: 400 of them, each refused before the row grows.
    for (let i = 0; i < 400; i += 1) {
      assert.equal((await update(member, { [`blob${i}`]: 'x'.repeat(60_000) })).errorMessage?.code, 4306);
    }

    // The attack: many updates, each small enough, under fresh keys.
    let accepted = 0;
    for (let i = 0; i < 40; i++) {
      const reply = await update(member, { [`k${i}`]: 'y'.repeat(6_000) });
      if (reply.op === OpType.updated) accepted += 1;
      else assert.equal(reply.errorMessage?.code, 4306);
    }
    assert.equal(accepted, 2, 'two 6 KB attributes fit in 16 KiB, a third does not');
    const stored = (await env.server.server.store.getConversation(TEST_APP.appId, cid))!;
    assert.ok(JSON.stringify(stored.attributes).length <= 16 * 1024);
    assert.equal((await update(member, { name: 'n'.repeat(5_000) })).errorMessage?.code, 4306, 'the name counts too');
    assert.equal((await update(member, { k0: 'short' })).op, OpType.updated, 'replacing a value with a smaller one is fine');

    const deep = await update(member, { deep: nested(9) });
    assert.equal(deep.errorMessage?.code, 4306, 'nested 9 deep');
    assert.match(deep.errorMessage?.detail ?? '', /deeper than 8/);
    assert.equal((await update(member, { 'a.b.c.d.e.f.g.h': nested(2) })).errorMessage?.code, 4306, 'a path counts toward the depth');
    assert.equal((await update(member, { fine: nested(8) })).op, OpType.updated, 'nested 8 deep is allowed');

    const start1001 = await owner.request(conv(OpType.start, { m: [memberId], attr: { data: JSON.stringify({ deep: nested(1001) }) } }));
    assert.equal(start1001.errorMessage?.code, 4301, 'conv/start with an attribute nested 1,001 deep');
    assert.equal(start1001.errorMessage?.reason, 'CONVERSATION_API_FAILED');
    const startBig = await owner.request(conv(OpType.start, { m: [memberId], attr: { data: JSON.stringify({ name: 'big', blob: 'z'.repeat(20_000) }) } }));
    assert.equal(startBig.errorMessage?.code, 4301, 'conv/start with 20 KB of attributes');

    // Queries and sorts on attributes keep working for everyone.
    const sorted = await member.request(conv(OpType.query, { where: { data: JSON.stringify({ m: memberId }) }, sort: 'fine.k.k,-k1' }));
    assert.equal(sorted.op, OpType.results, sorted.errorMessage?.detail ?? '');
  });

  // A row stored over the limit before it existed (written past the handlers) may shrink, not grow.
  await env.server.server.store.updateConversation(TEST_APP.appId, cid, { attributes: [{ path: ['legacy'], value: 'L'.repeat(30_000) }] });
  assert.equal((await update(member, { more: 'm' })).errorMessage?.code, 4306);
  assert.equal((await update(member, { legacy: 'trimmed' })).op, OpType.updated);
});

test('item 15: a member change and its events are one transaction: when the event cannot be recorded, the change is not made either', async (t) => {
  // Its own server: the trigger below breaks event recording for the whole file.
  const server = await startTestServer();
  t.after(() => server.stop());
  const [ownerId, guestId, laterId] = ids('Owner', 'Guest', 'Later');
  const owner = await RawClient.connect(server.wsUrl);
  const guest = await RawClient.connect(server.wsUrl);
  t.after(() => { owner.close(); guest.close(); });
  await owner.login(TEST_APP.appId, ownerId!);
  await guest.login(TEST_APP.appId, guestId!);
  const reply = await owner.request(conv(OpType.start, { m: [guestId] }));
  const cid = reply.convMessage!.cid!;

  const by = await startBystander(server.wsUrl, 'event-tx');
  // Stands in for a crash between the member change and its event: the event's insert fails.
  const db = new Database(join(server.dataDir, 'lc-chat.db'));
  t.after(() => db.close());
  db.exec(`CREATE TRIGGER no_events BEFORE INSERT ON notification_events BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`);

  const add = await owner.request(conv(OpType.add, { cid, m: [laterId] }));
  assert.equal(add.cmd, CommandType.error, 'the add fails');
  const kick = await owner.request(conv(OpType.remove, { cid, m: [guestId] }));
  assert.equal(kick.cmd, CommandType.error, 'the kick fails');
  const started = await owner.request(conv(OpType.start, { m: [laterId] }));
  assert.equal(started.cmd, CommandType.error, 'a create with invitations fails');
  t.diagnostic(describeBystander('event-tx', await by.stop()));

  const stored = (await server.server.store.getConversation(TEST_APP.appId, cid))!;
  assert.deepEqual(stored.members, [guestId, ownerId].sort(), 'neither the add nor the kick happened without its event');
  const count = db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM conversations WHERE app_id = ?`).get(TEST_APP.appId)!.n;
  assert.equal(count, 2, 'no conversation created without its joined event (the bystander’s and this one)');

  db.exec('DROP TRIGGER no_events');
  assert.equal((await owner.request(conv(OpType.add, { cid, m: [laterId] }))).op, OpType.added);
  const events = await server.server.store.notificationsSince(TEST_APP.appId, laterId!, 0, 10);
  assert.deepEqual(events.map((event) => event.op), ['joined', 'members_joined']);
});

const blacklist = (op: OpType, blacklistMessage: Record<string, unknown>): Command => ({ cmd: CommandType.blacklist, op, blacklistMessage });
/** v4.3.1 as it logs in: configBitmap 59 asks for per-member results. */
const V4 = { ua: 'js/4.3.1', configBitmap: 59 };

test('item 8: a kicked member can add itself back (open joining), a blocked one cannot, nor can anyone add it, until it is unblocked', async (t) => {
  const [ownerId, friendId, trollId] = ids('Owner', 'Friend', 'Troll');
  const owner = await env.login(ownerId!, V4);
  const friend = await env.login(friendId!, V4);
  const troll = await env.login(trollId!);
  const cid = await create(owner, [friendId!, trollId!]);

  // Today's LeanCloud behaviour, kept where the app allows open joining: a kick alone does not stick.
  assert.equal((await owner.request(conv(OpType.remove, { cid, m: [trollId] }))).op, OpType.removed);
  assert.equal((await troll.request(conv(OpType.add, { cid, m: [trollId] }))).op, OpType.added, 'rejoins by itself');
  for (const client of [owner, friend, troll]) client.drain();

  await withBystander(t, 'blocklist', async () => {
    const outsider = await env.login(ids('Outsider')[0]!);
    const notMine = await outsider.request(blacklist(OpType.block, { srcCid: cid, toPids: [friendId] }));
    assert.equal(notMine.errorMessage?.code, 4320, 'a non-member cannot block');

    const blocked = await owner.request(blacklist(OpType.block, { srcCid: cid, toPids: [trollId, ownerId] }));
    assert.equal(blocked.cmd, CommandType.blacklist, blocked.errorMessage?.detail ?? '');
    assert.equal(blocked.op, OpType.blocked);
    assert.deepEqual(blocked.blacklistMessage?.allowedPids, [trollId]);
    assert.deepEqual(blocked.blacklistMessage?.failedPids?.map((f) => [f.code, f.pids]), [[4320, [ownerId]]], 'nobody blocks itself');

    // The troll is kicked and told so; the members hear of both.
    assert.equal((await troll.take(isConv(OpType.left, cid))).convMessage?.initBy, ownerId);
    assert.equal((await troll.take(isConv(OpType.blocked, cid))).convMessage?.initBy, ownerId);
    for (const member of [owner, friend]) {
      assert.deepEqual((await member.take(isConv(OpType.members_left, cid))).convMessage?.m, [trollId]);
      const about = await member.take(isConv(OpType.members_blocked, cid));
      assert.deepEqual([about.convMessage?.m, about.convMessage?.initBy], [[trollId], ownerId]);
    }
    assert.deepEqual((await env.server.server.store.getConversation(TEST_APP.appId, cid))!.members, [friendId, ownerId].sort());

    // It cannot come back, by itself or through a friend, and so cannot read what is said meanwhile.
    const rejoin = await troll.request(conv(OpType.add, { cid, m: [trollId] }));
    assert.equal(rejoin.errorMessage?.code, 4315);
    assert.equal(rejoin.errorMessage?.reason, 'CONVERSATION_BLACKLISTED');
    for (let i = 0; i < 300; i += 1) assert.equal((await troll.request(conv(OpType.add, { cid, m: [trollId] }))).errorMessage?.code, 4315, 'it keeps trying');
    const viaFriend = await friend.request(conv(OpType.add, { cid, m: [trollId] }));
    assert.deepEqual(viaFriend.convMessage?.allowedPids ?? [], []);
    assert.deepEqual(viaFriend.convMessage?.failedPids?.map((f) => [f.code, f.pids]), [[4315, [trollId]]]);
    await owner.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('the troll is gone') } });
    const logs = await troll.request({ cmd: CommandType.logs, logsMessage: { cid } });
    assert.equal(logs.cmd, CommandType.error, 'no history for the blocked');
    const sent = await troll.request({ cmd: CommandType.direct, directMessage: { cid, msg: text('let me in') } });
    assert.equal(sent.errorMessage?.code, 4401);

    const page = await friend.request(blacklist(OpType.query, { srcCid: cid }));
    assert.equal(page.op, OpType.query_result);
    assert.deepEqual(page.blacklistMessage?.blockedPids, [trollId]);
    assert.equal((await outsider.request(blacklist(OpType.query, { srcCid: cid }))).errorMessage?.code, 4320, 'members only');

    // Only the owner and managers block and unblock (issue 12's roles): the owner makes the friend a manager.
    const asMember = await friend.request(blacklist(OpType.unblock, { srcCid: cid, toPids: [trollId] }));
    assert.equal(asMember.errorMessage?.code, 4320, 'a plain member unblocks nobody');
    await owner.request(conv(OpType.member_info_update, { cid, targetClientId: friendId, info: { pid: friendId, role: 'Manager' } }));
    const unblocked = await friend.request(blacklist(OpType.unblock, { srcCid: cid, toPids: [trollId] }));
    assert.deepEqual([unblocked.op, unblocked.blacklistMessage?.allowedPids], [OpType.unblocked, [trollId]]);
    assert.equal((await troll.take(isConv(OpType.unblocked, cid))).convMessage?.initBy, friendId);
    assert.deepEqual((await owner.take(isConv(OpType.members_unblocked, cid))).convMessage?.m, [trollId]);
    assert.equal((await troll.request(conv(OpType.add, { cid, m: [trollId] }))).op, OpType.added, 'unblocked, it may join again');
  });

  // The events are recorded like joins and leaves, for v4's notification fetch.
  const ops = (await env.server.server.store.notificationsSince(TEST_APP.appId, trollId!, 0, 100)).map((event) => event.op);
  assert.deepEqual(ops.filter((op) => op !== 'members_joined' && op !== 'members_left'), ['joined', 'left', 'joined', 'left', 'blocked', 'unblocked', 'joined']);
});

test('item 8: the blocklist pages, refuses chat rooms and system conversations', async () => {
  const [ownerId] = ids('Owner');
  const owner = await env.login(ownerId!);
  const targets = Array.from({ length: 13 }, (_, i) => `target-${String(i).padStart(2, '0')}-sec${run}`);
  const cid = await create(owner, targets.slice(0, 3));
  const blocked = await owner.request(blacklist(OpType.block, { srcCid: cid, toPids: targets }));
  assert.deepEqual(blocked.blacklistMessage?.allowedPids, targets);
  const first = await owner.request(blacklist(OpType.query, { srcCid: cid, limit: 10 }));
  assert.deepEqual(first.blacklistMessage?.blockedPids, targets.slice(0, 10));
  const second = await owner.request(blacklist(OpType.query, { srcCid: cid, limit: 10, next: first.blacklistMessage?.next }));
  assert.deepEqual(second.blacklistMessage?.blockedPids, targets.slice(10));
  assert.equal(second.blacklistMessage?.next ?? '', '', 'no next on the last page');

  const room = await create(owner, [], { transient: true });
  assert.equal((await owner.request(blacklist(OpType.block, { srcCid: room, toPids: [targets[0]] }))).errorMessage?.code, 4314);
  const { conversation: news } = await env.server.server.store.createConversation({
    appId: TEST_APP.appId, creator: 'system', members: [ownerId!], name: 'news', transient: false, system: true, unique: false, attributes: {},
  });
  assert.equal((await owner.request(blacklist(OpType.block, { srcCid: news.id, toPids: [targets[0]] }))).errorMessage?.code, 4307);
});

test('item 8: with openJoin off, a kicked (or any) non-member cannot join by itself; a member can still add it', async (t) => {
  const server = await startTestServer({ apps: [{ ...TEST_APP, openJoin: false }] });
  t.after(() => server.stop());
  const [ownerId, kickedId, strangerId] = ids('Owner', 'Kicked', 'Stranger');
  const clients = await Promise.all([ownerId, kickedId, strangerId].map(async (id) => {
    const client = await RawClient.connect(server.wsUrl);
    await client.login(TEST_APP.appId, id!);
    return client;
  }));
  t.after(() => clients.forEach((client) => client.close()));
  const [owner, kicked, stranger] = clients as [RawClient, RawClient, RawClient];
  const cid = (await owner.request(conv(OpType.start, { m: [kickedId] }))).convMessage!.cid!;
  await owner.request(conv(OpType.remove, { cid, m: [kickedId] }));

  const by = await startBystander(server.wsUrl, 'closed-join');
  for (const [client, id] of [[kicked, kickedId], [stranger, strangerId]] as const) {
    const join = await client.request(conv(OpType.add, { cid, m: [id] }));
    assert.equal(join.errorMessage?.code, 4320, `${id} cannot join by itself`);
  }
  t.diagnostic(describeBystander('closed-join', await by.stop()));
  assert.equal((await owner.request(conv(OpType.add, { cid, m: [kickedId] }))).op, OpType.added, 'a member invites');
  assert.equal((await kicked.request(conv(OpType.remove, { cid, m: [kickedId] }))).op, OpType.removed, 'quitting stays open');
});

test('item 8: where the app requires signatures, block and unblock must be signed (4546)', async (t) => {
  const server = await startTestServer({ apps: [{ ...TEST_APP, requireSignature: true }] });
  t.after(() => server.stop());
  const [ownerId, otherId] = ids('Owner', 'Other');
  const owner = await RawClient.connect(server.wsUrl);
  t.after(() => owner.close());
  const login = sign(TEST_APP.masterKey, (ts, n) => loginSigningString(TEST_APP.appId, ownerId!, ts, n));
  await owner.login(TEST_APP.appId, ownerId!, { s: login.signature, t: login.timestamp, n: login.nonce });
  const members = [ownerId!, otherId!].sort();
  const created = sign(TEST_APP.masterKey, (ts, n) => conversationSigningString(TEST_APP.appId, ownerId!, null, members, ts, n, 'create'));
  const start = await owner.request(conv(OpType.start, { m: members, s: created.signature, t: created.timestamp, n: created.nonce }));
  const cid = start.convMessage!.cid!;
  assert.ok(cid, start.errorMessage?.detail ?? '');

  const unsigned = await owner.request(blacklist(OpType.block, { srcCid: cid, toPids: [otherId] }));
  assert.equal(unsigned.errorMessage?.code, 4546);
  assert.equal(unsigned.errorMessage?.reason, 'BLACKLIST_SIGNATURE_FAILED');
  const signBlock = (action: string) =>
    sign(TEST_APP.masterKey, (ts, n) => [TEST_APP.appId, ownerId, cid, otherId, ts, n, action].join(':'));
  const wrongAction = signBlock('conversation-unblock-clients');
  const mismatched = await owner.request(blacklist(OpType.block, { srcCid: cid, toPids: [otherId], s: wrongAction.signature, t: wrongAction.timestamp, n: wrongAction.nonce }));
  assert.equal(mismatched.errorMessage?.code, 4546, 'an unblock signature does not block');
  const good = signBlock('conversation-block-clients');
  const signed = await owner.request(blacklist(OpType.block, { srcCid: cid, toPids: [otherId], s: good.signature, t: good.timestamp, n: good.nonce }));
  assert.deepEqual(signed.blacklistMessage?.allowedPids, [otherId], signed.errorMessage?.detail ?? '');
});

const FLOOD = Number(process.env.FLOOD ?? 20_000);
test('item 13: a flood of membership events does not move serverTs ahead of the clock, and v4’s fetch by start_ts pages through it without skipping or repeating', async (t) => {
  const [attackerId, friendId, victimId] = ids('Attacker', 'Friend', 'Victim');
  const attacker = await env.login(attackerId!, V4);
  const victim = await env.connect();
  const st = (await victim.login(TEST_APP.appId, victimId!, V4)).sessionMessage?.st;
  assert.ok(st, 'a session token for the REST fetch');
  const startTs = Date.now() - 1;
  const cid = await create(attacker, [victimId!]);

  await withBystander(t, 'event-flood', async () => {
    // Through the protocol: add and kick a friend as fast as the server takes it, 4 events a round.
    let latestPushed = 0;
    let aheadOfClock = 0;
    victim.onPush = (command) => {
      if (command.cmd !== CommandType.conv || !command.serverTs) return false;
      const ts = Number(command.serverTs);
      latestPushed = Math.max(latestPushed, ts);
      if (ts > Date.now()) aheadOfClock += 1;
      return false;
    };
    for (let round = 0; round < 150; round += 1) {
      assert.equal((await attacker.request(conv(OpType.add, { cid, m: [friendId] }))).op, OpType.added);
      assert.equal((await attacker.request(conv(OpType.remove, { cid, m: [friendId] }))).op, OpType.removed);
    }
    assert.ok(latestPushed > 0);

    // Straight into the store, as a busier server would: 20,000 events.
    const store = env.server.server.store;
    for (let n = 0; n < FLOOD; n += 1) {
      await store.recordNotification(TEST_APP.appId, [victimId!], { op: 'joined', cid: `flood-${n}`, initBy: attackerId! });
      // The store is synchronous: let the server's sockets (the bystander's) have the loop now and then.
      if (n % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // The next event through the protocol, and the victim's push of it.
    victim.drain();
    const pushed = victim.take((c) => c.cmd === CommandType.conv && c.op === OpType.members_joined && c.convMessage?.cid === cid, 10_000);
    await attacker.request(conv(OpType.add, { cid, m: [friendId] }));
    const ts = Number((await pushed).serverTs);
    const now = Date.now();
    assert.ok(ts <= now, `the event after the flood is stamped ${ts - now} ms ahead of the clock`);
    assert.equal(aheadOfClock, 0, 'no push stamped ahead of the clock');
  });

  // v4 pages from the last serverTs it got: every event once, in order, though thousands share a millisecond.
  const fetched: string[] = [];
  let from: number = startTs;
  for (let pages = 0; pages < 1000; pages += 1) {
    const url = new URL('/1.1/rtm/notifications', env.server.httpUrl);
    url.search = new URLSearchParams({ client_id: victimId!, start_ts: String(from), limit: '100' }).toString();
    const response: Response = await fetch(url, { headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey, 'X-LC-IM-Session-Token': st! } });
    const body = (await response.json()) as { notifications: { cid: string; op: string; serverTs: number }[]; hasMore: boolean };
    assert.equal(response.status, 200);
    fetched.push(...body.notifications.map((n) => `${n.op}:${n.cid}`));
    if (!body.hasMore) break;
    from = body.notifications.at(-1)!.serverTs;
  }
  const expected: string[] = [];
  for (let seq = 0; ; ) {
    const more = await env.server.server.store.notificationsSince(TEST_APP.appId, victimId!, seq, 1000);
    if (more.length === 0) break;
    expected.push(...more.map((n) => `${n.op}:${n.cid}`));
    seq = more.at(-1)!.seq;
  }
  assert.equal(fetched.length, expected.length, 'nothing skipped or repeated');
  assert.deepEqual(fetched, expected);
});

test('item 13: the migration keeps existing events, their order and saved cursors, and drops a past flood’s lead', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-chat-migrate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'old.db');
  const now = Date.now();
  // A database as the previous schema left it, after a flood: times 1 ms apart, the last ones a minute ahead.
  const old = new Database(file);
  const before = MIGRATIONS.findIndex((sql) => sql.includes('RENAME COLUMN server_ts TO seq'));
  for (const sql of MIGRATIONS.slice(0, before)) old.exec(sql);
  old.pragma(`user_version = ${before}`);
  const times = [now - 5000, now - 4999, now + 60_000, now + 60_001];
  times.forEach((ts, n) => {
    old.prepare('INSERT INTO notification_events (server_ts, app_id, op, cid, init_by, members) VALUES (?, ?, ?, ?, ?, NULL)').run(ts, 'app', 'joined', `c${n}`, 'x');
    old.prepare('INSERT INTO notification_recipients (app_id, client_id, server_ts) VALUES (?, ?, ?)').run('app', 'a', ts);
  });
  old.prepare('INSERT INTO notification_cursors (app_id, client_id, login, up_to, saved_at) VALUES (?, ?, ?, ?, ?)').run('app', 'a', 'login', times[1], now);
  old.close();

  const store = openSqliteStore({ file });
  t.after(() => store.close());
  const cursor = (await store.notificationCursor('app', 'a', 'login'))!;
  const missed = await store.notificationsSince('app', 'a', cursor, 10);
  assert.deepEqual(missed.map((n) => n.cid), ['c2', 'c3'], 'the saved cursor still means the same place');
  const all = await store.notificationsSince('app', 'a', 0, 10);
  assert.deepEqual(all.map((n) => n.serverTs).slice(0, 2), times.slice(0, 2), 'past times kept');
  assert.ok(all.every((n) => n.serverTs <= Date.now()), 'no stored time ahead of the clock');
  const next = await store.recordNotification('app', ['a'], { op: 'left', cid: 'c4', initBy: 'x' });
  assert.ok(next.seq > all.at(-1)!.seq);
  assert.ok(next.serverTs <= Date.now(), 'new events on the wall clock');
  assert.deepEqual((await store.notificationsSince('app', 'a', cursor, 10)).map((n) => n.cid), ['c2', 'c3', 'c4']);
});

test('item 15: after a SIGKILL in the middle of a stream of adds and kicks, every member change that stuck has its event', { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-member-crash-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServerProcess(dataDir);
  t.after(() => server.child.kill('SIGKILL'));
  const guests = Array.from({ length: 32 }, (_, n) => `crash-guest-${n}`);
  const owners = await Promise.all(Array.from({ length: 4 }, async (_, k) => {
    const client = await RawClient.connect(server.wsUrl);
    await client.login(TEST_APP.appId, `crash-owner-${k}`);
    const cid = (await client.request(conv(OpType.start, { m: [] }))).convMessage!.cid!;
    return { client, cid };
  }));

  let inFlight = 0;
  // Each churner owns a few guests and flips their membership, so changes in flight never overlap.
  const churn = async ({ client, cid }: { client: RawClient; cid: string }, mine: string[]) => {
    for (let n = 0; client.ws.readyState === WebSocket.OPEN; n += 1) {
      const guest = mine[n % mine.length]!;
      const op = Math.floor(n / mine.length) % 2 === 0 ? OpType.add : OpType.remove;
      inFlight += 1;
      await client.request(conv(op, { cid, m: [guest] })).catch(() => undefined);
      inFlight -= 1;
    }
  };
  const churning = Promise.all(owners.flatMap((owner) => Array.from({ length: 16 }, (_, k) => churn(owner, guests.slice(k * 2, k * 2 + 2)))));
  await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 600));
  const killedWith = inFlight;
  server.child.kill('SIGKILL');
  await server.exited;
  await churning;

  const db = new Database(join(dataDir, 'lc-chat.db'), { readonly: true });
  t.after(() => db.close());
  // The log's key column was server_ts before item 13 and is seq after: the rowid either way.
  const key = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('notification_recipients') WHERE name IN ('seq', 'server_ts')`).get()!.name;
  const opsOf = db.prepare<[string, string], { op: string }>(
    `SELECT e.op FROM notification_recipients r JOIN notification_events e ON e.rowid = r.${key}
     WHERE r.client_id = ? AND e.cid = ? AND e.op IN ('joined', 'left') ORDER BY e.rowid`,
  );
  const aboutOf = db.prepare<[string, string, string], { op: string }>(
    `SELECT e.op FROM notification_recipients r JOIN notification_events e ON e.rowid = r.${key}
     WHERE r.client_id = ? AND e.cid = ? AND e.op IN ('members_joined', 'members_left') AND e.members = json_array(?) ORDER BY e.rowid`,
  );
  const isMember = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM conversation_members WHERE cid = ? AND client_id = ?');
  let changes = 0;
  const lost: string[] = [];
  for (const [k, { cid }] of owners.entries()) {
    for (const guest of guests) {
      // …and so do the owner's members_joined / members_left about that guest.
      const about = aboutOf.all(`crash-owner-${k}`, cid, guest).map((row) => row.op);
      if (!about.every((op, n) => op === (n % 2 === 0 ? 'members_joined' : 'members_left')) || (isMember.get(cid, guest) !== undefined) !== (about.at(-1) === 'members_joined')) {
        lost.push(`the owner's events about ${guest} in ${cid}: ${about.join(' ')}`);
      }
      const member = isMember.get(cid, guest) !== undefined;
      const ops = opsOf.all(guest, cid).map((row) => row.op);
      changes += ops.length;
      // Every change flips membership: its events alternate joined, left, …, and the last one says where it stands.
      const alternating = ops.every((op, n) => op === (n % 2 === 0 ? 'joined' : 'left'));
      if (!alternating || member !== (ops.at(-1) === 'joined')) lost.push(`${guest} in ${cid}: member ${member}, events ${ops.join(' ')}`);
    }
  }
  t.diagnostic(`killed with ${killedWith} changes in flight; ${changes} joined/left events recorded`);
  assert.ok(changes > 0, 'the churn got going before the kill');
  assert.deepEqual(lost, [], 'no member change without its event');
});
