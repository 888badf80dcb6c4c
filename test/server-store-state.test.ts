/**
 * The Store methods behind members, attributes, read state and patches,
 * against the SQLite store: the contract another store must keep too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProtocolError } from '../src/protocol/errors.js';
import { openSqliteStore, type SqliteStore } from '../src/server/store/sqlite/sqlite-store.js';
import { RECALLED_PAYLOAD, type NewConversation } from '../src/server/store/types.js';

let dir: string;
let store: SqliteStore;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lc-chat-state-'));
  store = openSqliteStore({ file: join(dir, 'chat.sqlite') });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const create = async (members: string[], overrides: Partial<NewConversation> = {}) =>
  (await store.createConversation({ appId: 'app', creator: members[0] ?? 'nobody', members, name: null, transient: false, system: false, unique: false, attributes: {}, ...overrides })).conversation;
const send = (cid: string, from: string, data = 'hi', receipt = false) =>
  store.appendMessage({ appId: 'app', cid, from, data, dt: null, receipt, mentionPids: [], mentionAll: false }).then((r) => r.message);
const code = (expected: number) => (error: unknown) => error instanceof ProtocolError && error.code === expected;
const unreadOf = async (clientId: string) => Object.fromEntries((await store.unreadConversations('app', clientId, 100)).map((u) => [u.cid, u.unread]));

test('members: add and remove report what changed, keep m and the member rows together, cap the size', async () => {
  const conversation = await create(['alice', 'bob']);
  const added = await store.addMembers('app', conversation.id, ['carol', 'bob', 'carol'], 500);
  assert.deepEqual(added.changed, ['carol']);
  assert.deepEqual(added.conversation.members, ['alice', 'bob', 'carol']);
  assert.ok(added.conversation.updatedAt >= conversation.updatedAt);
  assert.equal(await store.isMember('app', conversation.id, 'carol'), true);
  await assert.rejects(store.addMembers('app', conversation.id, ['dave', 'erin'], 4), code(4304));
  assert.equal(await store.isMember('app', conversation.id, 'dave'), false, 'all or nothing');
  const removed = await store.removeMembers('app', conversation.id, ['alice', 'zed']);
  assert.deepEqual([removed.changed, removed.conversation.members, removed.conversation.creator], [['alice'], ['bob', 'carol'], 'alice']);
  assert.equal(await store.isMember('app', conversation.id, 'alice'), false);
  const found = await store.findConversations({ appId: 'app', where: { op: 'all', field: 'm', values: ['carol'] }, sort: [], limit: 10, skip: 0 });
  assert.deepEqual(found.map((c) => c.id), [conversation.id], 'membership queries see the change');
  await assert.rejects(store.addMembers('app', 'ffffffffffffffffffffffff', ['x'], 500), code(4303));
});

test('attributes: paths create objects and keep siblings; the name; mute is a set', async () => {
  const conversation = await create(['alice'], { name: 'old', attributes: { attr: { a: 1 }, keep: true } });
  const updated = await store.updateConversation('app', conversation.id, {
    name: 'new',
    attributes: [{ path: ['attr', 'b'], value: 2 }, { path: ['deep', 'x', 'y'], value: [1] }, { path: ['keep'], value: false }],
  });
  assert.equal(updated.name, 'new');
  assert.deepEqual(updated.attributes, { attr: { a: 1, b: 2 }, keep: false, deep: { x: { y: [1] } } });
  assert.equal((await store.updateConversation('app', conversation.id, { attributes: [] })).name, 'new', 'undefined name leaves it');
  await store.setMuted('app', conversation.id, 'bob', true);
  await store.setMuted('app', conversation.id, 'alice', true);
  assert.deepEqual((await store.setMuted('app', conversation.id, 'alice', true)).mutedMembers, ['alice', 'bob']);
  assert.deepEqual((await store.setMuted('app', conversation.id, 'bob', false)).mutedMembers, ['alice']);
});

test('read state: unread from sequence numbers, own messages read, reads never go back, new members start at zero', async () => {
  const conversation = await create(['reader', 'writer']);
  // Apart in time, so that "read up to m2's time" excludes m3.
  const m1 = await send(conversation.id, 'writer');
  await sleep(2);
  const m2 = await send(conversation.id, 'writer');
  await sleep(2);
  await send(conversation.id, 'writer');
  assert.equal((await unreadOf('reader'))[conversation.id], 3);
  assert.equal((await unreadOf('writer'))[conversation.id], undefined, 'the writer read what it wrote');

  const byId = await store.markRead('app', conversation.id, 'reader', { messageId: m1.id });
  assert.deepEqual([byId!.unread, byId!.readTimestamp, byId!.advanced], [2, m1.timestamp, true]);
  const byTime = await store.markRead('app', conversation.id, 'reader', { timestamp: m2.timestamp });
  assert.equal(byTime!.unread, 1);
  const backwards = await store.markRead('app', conversation.id, 'reader', { messageId: m1.id });
  assert.deepEqual([backwards!.unread, backwards!.advanced], [1, false]);
  const all = await store.markRead('app', conversation.id, 'reader', {});
  assert.equal(all!.unread, 0);
  assert.equal(await store.markRead('app', conversation.id, 'stranger', {}), undefined);

  await send(conversation.id, 'reader');
  await send(conversation.id, 'writer');
  assert.equal((await unreadOf('reader'))[conversation.id], 1, 'answering read everything before it');
  await store.addMembers('app', conversation.id, ['late'], 500);
  assert.equal((await unreadOf('late'))[conversation.id], undefined);
  const readTs = Object.fromEntries((await store.memberReceipts('app', conversation.id)).map((r) => [r.clientId, r.readTs]));
  assert.deepEqual(Object.keys(readTs).sort(), ['late', 'reader', 'writer']);
  assert.deepEqual([readTs.late, readTs.writer], [0, 0], 'writing is not reading others’ messages');
  assert.ok(readTs.reader! >= m2.timestamp);
});

test('delivery: undelivered batches per conversation, receipt messages in a range', async () => {
  const conversation = await create(['sender', 'receiver']);
  const sent = [];
  for (let n = 0; n < 5; n++) sent.push(await send(conversation.id, 'sender', `m${n}`, n % 2 === 0));
  await send(conversation.id, 'receiver', 'own');
  const [batch] = await store.undeliveredMessages('app', 'receiver', 3, 10);
  assert.deepEqual(batch!.messages.map((m) => m.data), ['m2', 'm3', 'm4'], 'the newest from others, ascending');
  assert.equal(batch!.hasMore, true);
  const wanted = await store.receiptMessages('app', conversation.id, 'receiver', sent[0]!.timestamp, sent[4]!.timestamp, 10);
  assert.deepEqual(wanted.map((m) => m.data), ['m0', 'm2', 'm4'], 'those that asked for a receipt');
  assert.deepEqual(await store.receiptMessages('app', conversation.id, 'sender', sent[0]!.timestamp, sent[4]!.timestamp, 10), [], 'not one’s own');
  await store.recordDelivered('app', conversation.id, 'receiver', sent[4]!.timestamp);
  const after = await store.undeliveredMessages('app', 'receiver', 3, 10);
  assert.deepEqual(after.filter((b) => b.cid === conversation.id), []);
});

test('patches: the sender only, the head follows, patchesSince sees members’ conversations only', async () => {
  const conversation = await create(['author', 'reader']);
  const first = await send(conversation.id, 'author', 'first');
  const last = await send(conversation.id, 'author', 'last');
  const since = Date.now() - 1;
  await assert.rejects(store.patchMessage({ appId: 'app', cid: conversation.id, id: first.id, from: 'reader', data: null, mentionPids: [], mentionAll: false }), code(4403));
  await assert.rejects(store.patchMessage({ appId: 'app', cid: conversation.id, id: 'nope', from: 'author', data: null, mentionPids: [], mentionAll: false }), code(4404));
  const edited = await store.patchMessage({ appId: 'app', cid: conversation.id, id: first.id, from: 'author', data: 'first!', mentionPids: ['reader'], mentionAll: false });
  assert.deepEqual([edited.data, edited.mentionPids, edited.timestamp], ['first!', ['reader'], first.timestamp]);
  const recalled = await store.patchMessage({ appId: 'app', cid: conversation.id, id: last.id, from: 'author', data: null, mentionPids: [], mentionAll: false });
  assert.equal(recalled.data, RECALLED_PAYLOAD);
  assert.ok(recalled.patchTimestamp! >= edited.patchTimestamp!);
  const again = await store.patchMessage({ appId: 'app', cid: conversation.id, id: last.id, from: 'author', data: null, mentionPids: [], mentionAll: false });
  assert.ok(again.patchTimestamp! > recalled.patchTimestamp!, 'each patch of a message is later than the one before');

  const head = (await store.getConversation('app', conversation.id))!.lastMessage!;
  assert.deepEqual([head.id, head.data, head.patchTimestamp], [last.id, RECALLED_PAYLOAD, again.patchTimestamp]);
  const history = await store.queryMessages({ appId: 'app', cid: conversation.id, limit: 10, direction: 'old' });
  assert.deepEqual(history.map((m) => m.data), ['first!', RECALLED_PAYLOAD]);
  assert.deepEqual((await store.patchesSince('app', 'reader', since, 10)).map((m) => m.id), [first.id, last.id]);
  assert.deepEqual(await store.patchesSince('app', 'outsider', since, 10), []);
  assert.deepEqual((await store.patchesSince('app', 'reader', again.patchTimestamp!, 10)), []);
});
