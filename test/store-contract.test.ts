/**
 * The store contract: every case runs against each store (SQLite and
 * PostgreSQL), through the `Store` interface, with a second connection
 * reading what another process would see. Store-specific internals live in
 * store-sqlite.test.ts and store-postgres.test.ts.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProtocolError } from '../src/protocol/errors.js';
import { parseSort, parseWhere } from '../src/server/query/where.js';
import webPush from 'web-push';
import type { ConversationRecord, HistoryQuery, MessageRecord, NewConversation, NewMessage, PushSubscriptionRecord, Store, VapidKeyPair } from '../src/server/store/types.js';
import { STORE_HARNESSES, type StoreHarness } from './helpers/store-harness.js';

function conversationInput(overrides: Partial<NewConversation> = {}): NewConversation {
  return {
    appId: 'app',
    creator: 'alice',
    members: ['alice', 'bob'],
    name: 'chat',
    transient: false,
    system: false,
    unique: false,
    attributes: {},
    ...overrides,
  };
}

function messageInput(cid: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return { appId: 'app', cid, from: 'alice', data: 'hello', dt: null, receipt: false, mentionPids: [], mentionAll: false, ...overrides };
}

async function rejectsWithCode(promise: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof ProtocolError && error.code === code);
}

for (const h of STORE_HARNESSES) {
  describe(`store contract: ${h.kind}`, () => {
    before(() => h.setUp());
    after(() => h.tearDown());
    contract(h);
  });
}

function contract(h: StoreHarness): void {
  test('apps: put, get, replace; unknown apps are undefined', async () => {
    const store = await h.open(await h.fresh());
    try {
      assert.equal(await store.getApp('app'), undefined);
      const app = { appId: 'app', appKey: 'key', masterKey: 'master', requireSignature: false, createdAt: 1_700_000_000_000 };
      await store.putApp(app);
      assert.deepEqual(await store.getApp('app'), app);
      await store.putApp({ ...app, appKey: 'key2', requireSignature: true });
      assert.deepEqual(await store.getApp('app'), { ...app, appKey: 'key2', requireSignature: true });
    } finally {
      await store.close();
    }
  });

  test('createConversation stores every field and member rows; getConversation reads them back', async () => {
    const file = await h.fresh();
    const store = await h.open(file);
    try {
      const before = Date.now();
      const { conversation, created } = await store.createConversation(
        conversationInput({ members: ['bob', 'alice', 'bob'], attributes: { topic: 'space', attr: { k: 1 } } }),
      );
      assert.equal(created, true);
      assert.match(conversation.id, /^[0-9a-f]{24}$/);
      // The id starts with the creation time in seconds, like a Mongo ObjectId.
      assert.ok(Math.abs(parseInt(conversation.id.slice(0, 8), 16) - Math.floor(before / 1000)) <= 1);
      assert.deepEqual(conversation, {
        appId: 'app',
        id: conversation.id,
        name: 'chat',
        creator: 'alice',
        members: ['alice', 'bob'],
        mutedMembers: [],
        transient: false,
        system: false,
        unique: false,
        uniqueId: null,
        attributes: { topic: 'space', attr: { k: 1 } },
        createdAt: conversation.createdAt,
        updatedAt: conversation.createdAt,
        lastMessageAt: null,
        lastSeq: 0,
        lastMessage: null,
      });
      assert.ok(conversation.createdAt >= before && conversation.createdAt <= Date.now());
      assert.deepEqual(await store.getConversation('app', conversation.id), conversation);
      assert.equal(await store.getConversation('other-app', conversation.id), undefined);
      assert.equal(await store.getConversation('app', 'f'.repeat(24)), undefined);

      assert.equal(await store.isMember('app', conversation.id, 'alice'), true);
      assert.equal(await store.isMember('app', conversation.id, 'carol'), false);
      assert.equal(await store.isMember('other-app', conversation.id, 'alice'), false);
      const rows = await h.rows<{ client_id: string }>(file, 'SELECT client_id FROM conversation_members WHERE cid = ? ORDER BY client_id', conversation.id);
      assert.deepEqual(rows.map((row) => row.client_id), ['alice', 'bob']);
    } finally {
      await store.close();
    }
  });

  test('unique conversations: the same member set returns the existing one, also under concurrent creates', async () => {
    const file = await h.fresh();
    const store = await h.open(file);
    try {
      const first = await store.createConversation(conversationInput({ unique: true, members: ['bob', 'alice'] }));
      assert.equal(first.created, true);
      assert.equal(first.conversation.unique, true);
      assert.match(first.conversation.uniqueId!, /^[0-9a-f]{32}$/);
      const again = await store.createConversation(conversationInput({ unique: true, members: ['alice', 'bob'], name: 'other name' }));
      assert.deepEqual(again, { conversation: first.conversation, created: false, notifications: [] });

      // Not unique, or another member set, or another app: a new conversation.
      const plain = await store.createConversation(conversationInput({ members: ['alice', 'bob'] }));
      assert.notEqual(plain.conversation.id, first.conversation.id);
      const otherSet = await store.createConversation(conversationInput({ unique: true, members: ['alice', 'bob', 'carol'] }));
      assert.equal(otherSet.created, true);
      const otherApp = await store.createConversation(conversationInput({ appId: 'app2', unique: true }));
      assert.equal(otherApp.created, true);

      const racing = await Promise.all([
        store.createConversation(conversationInput({ unique: true, members: ['dave', 'erin'] })),
        store.createConversation(conversationInput({ unique: true, members: ['erin', 'dave'] })),
      ]);
      assert.equal(racing[0].conversation.id, racing[1].conversation.id);
      assert.deepEqual(racing.map((result) => result.created).sort(), [false, true]);
      assert.equal(await h.count(file, `SELECT count(*) AS n FROM conversations WHERE unique_key = ?`, JSON.stringify(['dave', 'erin'])), 1);
    } finally {
      await store.close();
    }
  });

  describe('appendMessage', () => {
    let file: string;
    let store: Store;
    before(async () => {
      file = await h.fresh();
      store = await h.open(file);
    });
    after(() => store.close());

    test('assigns gapless seqs to many appends of one tick, in one commit, and continues across ticks', async () => {
      const a = (await store.createConversation(conversationInput())).conversation.id;
      const b = (await store.createConversation(conversationInput())).conversation.id;
      const inputs = Array.from({ length: 300 }, (_, i) => messageInput(i % 3 === 0 ? b : a, { data: `m${i}`, from: i % 2 ? 'bob' : 'alice' }));
      const promises = inputs.map((input) => store.appendMessage(input));
      // Nothing is written before the tick ends: the batch is still queued.
      if (h.readsSynchronously) assert.equal(await h.count(file, 'SELECT count(*) AS n FROM messages'), 0);
      const results = await Promise.all(promises);

      for (const [cid, count] of [[a, 200], [b, 100]] as const) {
        const mine = results.filter((result) => result.message.cid === cid).map((result) => result.message);
        assert.deepEqual(mine.map((message) => message.seq), Array.from({ length: count }, (_, i) => i + 1));
        // One batch: one clock reading.
        assert.equal(new Set(mine.map((message) => message.timestamp)).size, 1);
        const conversation = (await store.getConversation('app', cid))!;
        assert.equal(conversation.lastSeq, count);
        assert.deepEqual(conversation.lastMessage, {
          id: mine[count - 1]!.id,
          from: mine[count - 1]!.from,
          data: mine[count - 1]!.data,
          timestamp: mine[count - 1]!.timestamp,
          patchTimestamp: null,
        });
        assert.equal(conversation.lastMessageAt, mine[count - 1]!.timestamp);
        // lm is not an attribute change.
        assert.equal(conversation.updatedAt, conversation.createdAt);
      }
      for (const { message, duplicate } of results) {
        assert.equal(duplicate, false);
        assert.match(message.id, /^[A-Za-z0-9_-]{22}$/);
      }
      assert.equal(new Set(results.map((result) => result.message.id)).size, results.length);
      // Many share a millisecond: their ids still sort in seq order, which is how clients break timestamp ties.
      for (const cid of [a, b]) {
        const ids = results.filter((result) => result.message.cid === cid).sort((x, y) => x.message.seq - y.message.seq).map((result) => result.message.id);
        assert.deepEqual([...ids].sort(), ids);
      }
      // Committed before the promises resolved: another connection sees all of them.
      assert.equal(await h.count(file, 'SELECT count(*) AS n FROM messages'), 300);
      // One transaction wrote them all (group commit): on PostgreSQL every row it wrote carries its id.
      if (h.kind === 'postgres') assert.equal(await h.count(file, 'SELECT count(DISTINCT xmin::text) AS n FROM messages'), 1);

      const later = await store.appendMessage(messageInput(a));
      await sleep(2);
      const latest = await Promise.all([store.appendMessage(messageInput(a)), store.appendMessage(messageInput(b))]);
      assert.equal(later.message.seq, 201);
      assert.equal(latest[0].message.seq, 202);
      assert.equal(latest[1].message.seq, 101);
      assert.ok(latest[0].message.timestamp >= later.message.timestamp);
    });

    test('a batch is one transaction: when it fails, every append of it rejects and none is stored', async () => {
      const cid = (await store.createConversation(conversationInput())).conversation.id;
      const good = Array.from({ length: 5 }, () => store.appendMessage(messageInput(cid)));
      // JSON.stringify throws on a BigInt, inside the transaction, after the good inserts.
      const poisoned = store.appendMessage(messageInput(cid, { mentionPids: [10n as unknown as string] }));
      const settled = await Promise.allSettled([...good, poisoned]);
      assert.deepEqual(settled.map((outcome) => outcome.status), Array(6).fill('rejected'));
      assert.equal(await h.count(file, 'SELECT count(*) AS n FROM messages WHERE cid = ?', cid), 0);
      assert.equal((await store.getConversation('app', cid))!.lastSeq, 0);
      assert.equal((await store.appendMessage(messageInput(cid))).message.seq, 1);
    });

    test('dt dedupes retries, within one batch and later, per sender and conversation', async () => {
      const cid = (await store.createConversation(conversationInput())).conversation.id;
      const other = (await store.createConversation(conversationInput())).conversation.id;
      const [first, retry, otherSender, otherConversation, noDt1, noDt2] = await Promise.all([
        store.appendMessage(messageInput(cid, { dt: 'token-1', data: 'one' })),
        store.appendMessage(messageInput(cid, { dt: 'token-1', data: 'one again' })),
        store.appendMessage(messageInput(cid, { dt: 'token-1', from: 'bob' })),
        store.appendMessage(messageInput(other, { dt: 'token-1' })),
        store.appendMessage(messageInput(cid)),
        store.appendMessage(messageInput(cid)),
      ]);
      assert.equal(first!.duplicate, false);
      assert.equal(retry!.duplicate, true);
      assert.deepEqual(retry!.message, first!.message);
      assert.equal(otherSender!.duplicate, false);
      assert.equal(otherConversation!.duplicate, false);
      assert.equal(noDt1!.duplicate || noDt2!.duplicate, false);
      assert.deepEqual([first, otherSender, noDt1, noDt2].map((result) => result!.message.seq), [1, 2, 3, 4]);

      const lateRetry = await store.appendMessage(messageInput(cid, { dt: 'token-1', data: 'late' }));
      assert.deepEqual(lateRetry, { message: first!.message, duplicate: true });
      const conversation = (await store.getConversation('app', cid))!;
      assert.equal(conversation.lastSeq, 4);
      assert.equal(conversation.lastMessage!.id, noDt2!.message.id);
    });

    test('an append to a missing conversation rejects alone; the rest of its batch is stored', async () => {
      const cid = (await store.createConversation(conversationInput())).conversation.id;
      const [ok, missing, otherApp] = await Promise.allSettled([
        store.appendMessage(messageInput(cid)),
        store.appendMessage(messageInput('0'.repeat(24))),
        store.appendMessage(messageInput(cid, { appId: 'other-app' })),
      ]);
      assert.equal(ok!.status, 'fulfilled');
      await rejectsWithCode(Promise.reject((missing as PromiseRejectedResult).reason), 4303);
      await rejectsWithCode(Promise.reject((otherApp as PromiseRejectedResult).reason), 4303);
      assert.equal(await h.count(file, 'SELECT count(*) AS n FROM messages WHERE cid = ?', '0'.repeat(24)), 0);
      assert.equal((await store.getConversation('app', cid))!.lastSeq, 1);
    });

    test('timestamps never decrease within a conversation', async () => {
      const cid = (await store.createConversation(conversationInput())).conversation.id;
      const stamps: number[] = [];
      for (let i = 0; i < 5; i++) {
        const batch = await Promise.all([store.appendMessage(messageInput(cid)), store.appendMessage(messageInput(cid))]);
        stamps.push(...batch.map((result) => result.message.timestamp));
      }
      assert.deepEqual(stamps, [...stamps].sort((x, y) => x - y));
    });
  });

  test('reopening the file keeps apps, conversations, members and messages', async () => {
    const file = await h.fresh();
    const store = await h.open(file);
    await store.putApp({ appId: 'app', appKey: 'k', masterKey: 'm', requireSignature: true, createdAt: 5 });
    const { conversation } = await store.createConversation(conversationInput({ unique: true, attributes: { topic: 'x' } }));
    const sent = await Promise.all([store.appendMessage(messageInput(conversation.id, { dt: 'd1' })), store.appendMessage(messageInput(conversation.id))]);
    await store.close();

    const reopened = await h.open(file);
    try {
      assert.deepEqual(await reopened.getApp('app'), { appId: 'app', appKey: 'k', masterKey: 'm', requireSignature: true, createdAt: 5 });
      const stored = (await reopened.getConversation('app', conversation.id))!;
      assert.equal(stored.lastSeq, 2);
      assert.equal(stored.lastMessage!.id, sent[1].message.id);
      assert.equal(await reopened.isMember('app', conversation.id, 'bob'), true);
      const history = await reopened.queryMessages({ appId: 'app', cid: conversation.id, limit: 10, direction: 'old' });
      assert.deepEqual(history, sent.map((result) => result.message));
      // Dedupe and unique lookups survive the reopen too.
      assert.equal((await reopened.appendMessage(messageInput(conversation.id, { dt: 'd1' }))).duplicate, true);
      assert.equal((await reopened.createConversation(conversationInput({ unique: true }))).created, false);
      assert.equal((await reopened.appendMessage(messageInput(conversation.id))).message.seq, 3);
    } finally {
      await reopened.close();
    }
  });

  describe('queryMessages', () => {
    let store: Store;
    let cid: string;
    let otherCid: string;
    /** seq 1..10: 1-3 share one ms, 4-6 another, 7-10 a third; 8 and 10 are images (-2). */
    let m: MessageRecord[];
    const seqs = (messages: MessageRecord[]): number[] => messages.map((message) => message.seq);
    const query = (q: Partial<HistoryQuery>): Promise<MessageRecord[]> =>
      store.queryMessages({ appId: 'app', cid, limit: 100, direction: 'old', ...q });
    const at = (message: MessageRecord, inclusive: boolean, withId = true) => ({
      timestamp: message.timestamp,
      inclusive,
      ...(withId ? { messageId: message.id } : {}),
    });

    before(async () => {
      store = await h.open(await h.fresh());
      cid = (await store.createConversation(conversationInput())).conversation.id;
      otherCid = (await store.createConversation(conversationInput())).conversation.id;
      const text = (i: number) => JSON.stringify({ _lctype: -1, _lctext: `t${i}` });
      const image = JSON.stringify({ _lctype: -2, _lcfile: { url: 'x' } });
      const batches = [
        [text(1), text(2), text(3)],
        [text(4), 'plain text, not JSON', '[1,2]'],
        [text(7), image, '{"_lctype": "-3"}', image],
      ];
      m = [];
      for (const batch of batches) {
        await sleep(3);
        const results = await Promise.all(batch.map((data) => store.appendMessage(messageInput(cid, { data }))));
        m.push(...results.map((result) => result.message));
      }
      await store.appendMessage(messageInput(otherCid));
      assert.deepEqual(seqs(m), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.ok(m[0]!.timestamp === m[2]!.timestamp && m[2]!.timestamp < m[3]!.timestamp && m[5]!.timestamp < m[6]!.timestamp);
    });
    after(() => store.close());

    test('old: the newest page before start, ascending; new: the oldest page after start', async () => {
      assert.deepEqual(await query({ limit: 4 }), m.slice(6));
      assert.deepEqual(seqs(await query({ limit: 3, start: at(m[5]!, false) })), [3, 4, 5]);
      assert.deepEqual(seqs(await query({ limit: 3, start: at(m[5]!, true) })), [4, 5, 6]);
      assert.deepEqual(seqs(await query({ direction: 'new', limit: 2 })), [1, 2]);
      assert.deepEqual(seqs(await query({ direction: 'new', limit: 2, start: at(m[2]!, false) })), [4, 5]);
      assert.deepEqual(seqs(await query({ direction: 'new', limit: 2, start: at(m[2]!, true) })), [3, 4]);
      assert.deepEqual(await query({ limit: 0 }), []);
      assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: otherCid, limit: 10, direction: 'old' })), [1]);
      assert.deepEqual(await store.queryMessages({ appId: 'other-app', cid, limit: 10, direction: 'old' }), []);
    });

    test('end bounds, inclusive or not, in both directions', async () => {
      assert.deepEqual(seqs(await query({ end: at(m[6]!, false) })), [8, 9, 10]);
      assert.deepEqual(seqs(await query({ end: at(m[6]!, true) })), [7, 8, 9, 10]);
      assert.deepEqual(seqs(await query({ start: at(m[8]!, false), end: at(m[3]!, true) })), [4, 5, 6, 7, 8]);
      assert.deepEqual(seqs(await query({ start: at(m[8]!, false), end: at(m[3]!, true), limit: 2 })), [7, 8]);
      assert.deepEqual(seqs(await query({ direction: 'new', end: at(m[3]!, false) })), [1, 2, 3]);
      assert.deepEqual(seqs(await query({ direction: 'new', end: at(m[3]!, true), start: at(m[0]!, false) })), [2, 3, 4]);
      assert.deepEqual(await query({ start: at(m[2]!, false), end: at(m[5]!, false) }), []);
    });

    test('messages of the same millisecond are told apart by message id', async () => {
      assert.deepEqual(seqs(await query({ start: at(m[1]!, false) })), [1]);
      assert.deepEqual(seqs(await query({ start: at(m[1]!, true) })), [1, 2]);
      assert.deepEqual(seqs(await query({ direction: 'new', start: at(m[1]!, false), limit: 2 })), [3, 4]);
      assert.deepEqual(seqs(await query({ direction: 'new', start: at(m[0]!, true), end: at(m[1]!, true) })), [1, 2]);
    });

    test('a bound without a known message id compares by time', async () => {
      // Before the second batch's time: the whole first batch; up to and including it: the second batch too.
      assert.deepEqual(seqs(await query({ start: at(m[3]!, false, false) })), [1, 2, 3]);
      assert.deepEqual(seqs(await query({ start: at(m[3]!, true, false) })), [1, 2, 3, 4, 5, 6]);
      assert.deepEqual(seqs(await query({ direction: 'new', start: at(m[3]!, false, false) })), [7, 8, 9, 10]);
      assert.deepEqual(seqs(await query({ direction: 'new', start: at(m[3]!, true, false), limit: 4 })), [4, 5, 6, 7]);
      const unknown = { timestamp: m[3]!.timestamp, messageId: 'no-such-message-id', inclusive: false };
      assert.deepEqual(seqs(await query({ start: unknown })), [1, 2, 3]);
      // An id from another conversation is unknown here.
      const foreign = (await store.queryMessages({ appId: 'app', cid: otherCid, limit: 1, direction: 'old' }))[0]!;
      assert.deepEqual(seqs(await query({ start: { timestamp: m[3]!.timestamp, messageId: foreign.id, inclusive: false } })), [1, 2, 3]);
      assert.deepEqual(await query({ start: { timestamp: m[0]!.timestamp - 1, inclusive: true } }), []);
      assert.deepEqual(await query({ direction: 'new', start: { timestamp: m[9]!.timestamp + 1, inclusive: true } }), []);
    });

    test('the type filter keeps messages whose JSON payload has that _lctype', async () => {
      assert.deepEqual(seqs(await query({ type: -2 })), [8, 10]);
      assert.deepEqual(seqs(await query({ type: -2, limit: 1 })), [10]);
      assert.deepEqual(seqs(await query({ type: -1, direction: 'new', limit: 3 })), [1, 2, 3]);
      assert.deepEqual(seqs(await query({ type: -1, start: at(m[6]!, false) })), [1, 2, 3, 4]);
      assert.deepEqual(await query({ type: -3 }), []);
    });

    test('paging backwards from logs[0] walks the whole history once', async () => {
      const seen: MessageRecord[] = [];
      let page = await query({ limit: 3 });
      while (page.length) {
        seen.unshift(...page);
        page = await query({ limit: 3, start: at(page[0]!, false) });
      }
      assert.deepEqual(seen, m);
    });

    test('out-of-range limits are refused', async () => {
      await assert.rejects(query({ limit: 1001 }), RangeError);
      await assert.rejects(query({ limit: -1 }), RangeError);
    });
  });

  describe('findConversations', () => {
    let file: string;
    let store: Store;
    let c1: ConversationRecord;
    let c2: ConversationRecord;
    let c3: ConversationRecord;
    let startedAt: number;
    const find = async (where: object | null, sort = '', limit = 100, skip = 0): Promise<string[]> => {
      const results = await store.findConversations({
        appId: 'app',
        where: where === null ? null : parseWhere(JSON.stringify(where)),
        sort: parseSort(sort),
        limit,
        skip,
      });
      return results.map((conversation) => ({ [c1.id]: 'c1', [c2.id]: 'c2', [c3.id]: 'c3' })[conversation.id] ?? conversation.id);
    };
    const date = (iso: string) => ({ __type: 'Date', iso });

    before(async () => {
      file = await h.fresh();
      store = await h.open(file);
      startedAt = Date.now() - 1;
      // Distinct creation times, so createdAt orders them.
      const create = async (input: Partial<NewConversation>) => {
        await sleep(2);
        return (await store.createConversation(conversationInput(input))).conversation;
      };
      c1 = await create({
        members: ['alice', 'bob'],
        name: 'Rocket room',
        attributes: { topic: 'space', level: 3, attr: { k: 'v' }, tags: ['x', 'y'], deadline: date('2024-01-02T00:00:00.000Z'), flag: true },
      });
      c2 = await create({ members: ['alice', 'bob', 'carol'], name: 'Robots', attributes: { topic: 'tech', level: 5, tags: ['y'], flag: false } });
      c3 = await create({ members: [], creator: 'carol', name: null, transient: true, attributes: { level: '7', note: null } });
      await create({ appId: 'other-app', members: ['alice', 'bob'], name: 'Rocket room', attributes: { topic: 'space' } });
      // Last messages: c1 newest, then c2; c3 has none.
      await store.appendMessage(messageInput(c2.id));
      await sleep(3);
      await store.appendMessage(messageInput(c1.id));
    });
    after(() => store.close());

    test('default order is lm descending (no messages last); other apps never show', async () => {
      assert.deepEqual(await find(null), ['c1', 'c2', 'c3']);
      assert.deepEqual(await find({}), ['c1', 'c2', 'c3']);
    });

    test('members: $all, $size, set equality, $in, $ne, regex', async () => {
      assert.deepEqual(await find({ m: { $all: ['alice'] } }), ['c1', 'c2']);
      assert.deepEqual(await find({ m: { $all: ['alice', 'carol'] } }), ['c2']);
      assert.deepEqual(await find({ m: { $all: [] } }), []);
      assert.deepEqual(await find({ m: { $size: 2, $all: ['alice', 'bob'] } }), ['c1']);
      assert.deepEqual(await find({ m: { $size: 0 } }), ['c3']);
      assert.deepEqual(await find({ m: ['bob', 'alice'] }), ['c1']);
      assert.deepEqual(await find({ m: 'carol' }), ['c2']);
      assert.deepEqual(await find({ m: { $in: ['carol', 'zoe'] } }), ['c2']);
      assert.deepEqual(await find({ m: { $nin: ['carol'] } }), ['c1', 'c3']);
      assert.deepEqual(await find({ m: { $ne: 'alice' } }), ['c3']);
      assert.deepEqual(await find({ m: { $regex: '^car' } }), ['c2']);
    });

    test('columns: objectId $in, name regex and $exists, tr, lm and createdAt dates', async () => {
      assert.deepEqual(await find({ objectId: { $in: [c3.id, c1.id, 'nope'] } }), ['c1', 'c3']);
      assert.deepEqual(await find({ objectId: c2.id }), ['c2']);
      assert.deepEqual(await find({ name: { $regex: '\\QRo\\E' } }), ['c1', 'c2']);
      assert.deepEqual(await find({ name: { $regex: '^\\Qrobot\\E', $options: 'i' } }), ['c2']);
      assert.deepEqual(await find({ name: { $regex: '\\Q room\\E$' } }), ['c1']);
      assert.deepEqual(await find({ name: { $exists: false } }), ['c3']);
      assert.deepEqual(await find({ name: { $ne: 'Robots' } }), ['c1', 'c3']);
      assert.deepEqual(await find({ name: null }), ['c3']);
      assert.deepEqual(await find({ tr: true }), ['c3']);
      assert.deepEqual(await find({ tr: false, sys: false, unique: false }), ['c1', 'c2']);
      assert.deepEqual(await find({ c: 'carol' }), ['c3']);
      assert.deepEqual(await find({ lm: { $gt: date('1970-01-01T00:00:00.000Z') } }), ['c1', 'c2']);
      assert.deepEqual(await find({ lm: { $exists: false } }), ['c3']);
      assert.deepEqual(await find({ createdAt: { $gte: date(new Date(startedAt).toISOString()) } }), ['c1', 'c2', 'c3']);
      assert.deepEqual(await find({ createdAt: { $lt: date('2000-01-01T00:00:00.000Z') } }), []);
    });

    test('custom attributes: equality, comparisons by type, paths, arrays, dates, null', async () => {
      assert.deepEqual(await find({ topic: 'space' }), ['c1']);
      assert.deepEqual(await find({ level: { $gt: 3 } }), ['c2']);
      assert.deepEqual(await find({ level: { $gte: 3, $lt: 5 } }), ['c1']);
      assert.deepEqual(await find({ level: { $gte: '0' } }), ['c3']);
      assert.deepEqual(await find({ level: { $in: [5, '7'] } }), ['c2', 'c3']);
      assert.deepEqual(await find({ level: { $nin: [5, '7'] } }), ['c1']);
      assert.deepEqual(await find({ 'attr.k': 'v' }), ['c1']);
      assert.deepEqual(await find({ attr: { k: 'v' } }), ['c1']);
      assert.deepEqual(await find({ tags: 'x' }), ['c1']);
      assert.deepEqual(await find({ tags: { $all: ['y', 'x'] } }), ['c1']);
      assert.deepEqual(await find({ tags: ['y'] }), ['c2']);
      assert.deepEqual(await find({ tags: { $size: 1 } }), ['c2']);
      assert.deepEqual(await find({ tags: { $regex: '^[X]$', $options: 'i' } }), ['c1']);
      assert.deepEqual(await find({ flag: true }), ['c1']);
      assert.deepEqual(await find({ flag: { $exists: true } }), ['c1', 'c2']);
      assert.deepEqual(await find({ topic: { $exists: false } }), ['c3']);
      assert.deepEqual(await find({ topic: { $ne: 'space' } }), ['c2', 'c3']);
      assert.deepEqual(await find({ note: null }), ['c1', 'c2', 'c3']);
      assert.deepEqual(await find({ note: { $exists: true } }), ['c3']);
      assert.deepEqual(await find({ deadline: { $lt: date('2024-06-01T00:00:00.000Z') } }), ['c1']);
      assert.deepEqual(await find({ deadline: date('2024-01-02T00:00:00.000Z') }), ['c1']);
      assert.deepEqual(await find({ deadline: { $gt: date('2024-06-01T00:00:00.000Z') } }), []);
    });

    test('$and / $or combine conditions', async () => {
      assert.deepEqual(await find({ $or: [{ topic: 'tech' }, { tr: true }] }), ['c2', 'c3']);
      assert.deepEqual(await find({ $and: [{ m: 'alice' }, { $or: [{ level: 3 }, { level: 5 }] }], name: { $regex: 's$' } }), ['c2']);
    });

    test('sort, limit and skip', async () => {
      assert.deepEqual(await find(null, '-name'), ['c1', 'c2', 'c3']);
      assert.deepEqual(await find(null, 'name'), ['c3', 'c2', 'c1']);
      assert.deepEqual(await find(null, 'createdAt'), ['c1', 'c2', 'c3']);
      assert.deepEqual(await find(null, '-createdAt'), ['c3', 'c2', 'c1']);
      assert.deepEqual(await find(null, 'topic,-createdAt'), ['c3', 'c1', 'c2']);
      assert.deepEqual(await find(null, 'createdAt', 1, 1), ['c2']);
      assert.deepEqual(await find(null, 'createdAt', 2, 2), ['c3']);
      assert.deepEqual(await find(null, 'createdAt', 5, 5), []);
      assert.deepEqual(await find(null, '', 0), []);
      await assert.rejects(find(null, '', -1), RangeError);
    });

    test('client values are data, never SQL', async () => {
      const hostile = `x' OR 1=1; DROP TABLE conversations; --`;
      assert.deepEqual(await find({ name: hostile }), []);
      assert.deepEqual(await find({ topic: { $in: [hostile, '"]'] } }), []);
      assert.deepEqual(await find({ name: { $regex: `\\Q${hostile}\\E` } }), []);
      assert.deepEqual(await find(null), ['c1', 'c2', 'c3']);
    });

    test('a catastrophic pattern does not stall the process', { timeout: 10_000 }, async () => {
      const evil = await store.createConversation(conversationInput({ appId: 'evil-app', name: 'a'.repeat(5000) }));
      const findEvil = async (where: object) =>
        store.findConversations({ appId: 'evil-app', where: parseWhere(JSON.stringify(where)), sort: [], limit: 10, skip: 0 });
      // Plain backtracking needs exponential time in the name's length for each of these.
      assert.deepEqual(await findEvil({ name: { $regex: '^(a|a)*b$' } }), []);
      assert.deepEqual(await findEvil({ name: { $regex: '^(a|aa)*c$', $options: 'i' } }), []);
      assert.deepEqual(await findEvil({ name: { $regex: '(?:a|a){0,15}(?:a|a){0,15}\\w*\\w*\\w*b' } }), []);
      assert.deepEqual((await findEvil({ name: { $regex: '^(A|a)*$', $options: 'i' } })).map((c) => c.id), [evil.conversation.id]);
    });

    test('a budget bounds the rows a query examines: over it, CONVERSATION_QUERY_FAILED, and the same query is refused at once', async () => {
      for (let i = 0; i < 30; i++) await store.createConversation(conversationInput({ appId: 'budget-app', name: `room ${i}` }));
      const query = (maxRows: number, pattern = 'room') =>
        store.findConversations({
          appId: 'budget-app',
          where: parseWhere(JSON.stringify({ name: { $regex: pattern } })),
          sort: [],
          limit: 100,
          skip: 0,
          budget: { maxRows, maxMs: 10_000 },
        });
      assert.equal((await query(1000)).length, 30);
      await assert.rejects(query(10), (error: unknown) => error instanceof ProtocolError && error.code === 4310 && /more than 10 conversations/.test(error.detail ?? ''));
      await assert.rejects(query(10), (error: unknown) => error instanceof ProtocolError && /refused moments ago/.test(error.detail ?? ''));
      // Another query is not refused for it.
      assert.equal((await query(1000, 'room 1$')).length, 1);
    });

    test('conditions on a field the store does not know as a column must be valid paths', async () => {
      await rejectsWithCode(
        store.findConversations({ appId: 'app', where: { op: 'eq', field: `a"]'`, value: 1 }, sort: [], limit: 1, skip: 0 }),
        4310,
      );
      await rejectsWithCode(store.findConversations({ appId: 'app', where: null, sort: [{ field: 'name.x', descending: false }], limit: 1, skip: 0 }), 4310);
    });
  });

  test('membership events: consecutive seqs, pages by seq and by time, per-login cursors, pruning', async () => {
    const store = await h.open(await h.fresh());
    try {
      assert.equal(await store.latestNotificationSeq(), 0);
      const joined = await store.recordNotification('app', ['bob', 'carol', 'bob'], { op: 'joined', cid: 'c1', initBy: 'alice' });
      assert.deepEqual(joined.recipients, ['bob', 'carol']);
      const left = await store.recordNotification('app', ['bob'], { op: 'members_left', cid: 'c1', initBy: 'alice', members: ['dave'] });
      const role = await store.recordNotification('app', ['bob'], { op: 'member_info_changed', cid: 'c1', initBy: 'alice', info: { pid: 'bob', role: 'Manager' } });
      assert.deepEqual([left.seq, role.seq], [joined.seq + 1, joined.seq + 2]);
      assert.ok(joined.serverTs <= left.serverTs && left.serverTs <= role.serverTs);
      assert.equal(await store.latestNotificationSeq(), role.seq);
      const bobs = await store.notificationsSince('app', 'bob', 0, 10);
      assert.deepEqual(bobs, [
        { seq: joined.seq, serverTs: joined.serverTs, op: 'joined', cid: 'c1', initBy: 'alice' },
        { seq: left.seq, serverTs: left.serverTs, op: 'members_left', cid: 'c1', initBy: 'alice', members: ['dave'] },
        { seq: role.seq, serverTs: role.serverTs, op: 'member_info_changed', cid: 'c1', initBy: 'alice', info: { pid: 'bob', role: 'Manager' } },
      ]);
      assert.deepEqual((await store.notificationsSince('app', 'bob', joined.seq, 1)).map((n) => n.seq), [left.seq]);
      assert.deepEqual((await store.notificationsSince('app', 'carol', 0, 10)).map((n) => n.seq), [joined.seq]);
      assert.deepEqual(await store.notificationsSince('other-app', 'bob', 0, 10), []);
      await assert.rejects(store.notificationsSince('app', 'bob', 0, 1001), RangeError);
      // By time: everything after a millisecond, never ending inside one.
      const page = await store.notificationsAfterTime('app', 'bob', joined.serverTs - 1, 1000);
      assert.deepEqual(page, { notifications: bobs, hasMore: false });
      assert.deepEqual(await store.notificationsAfterTime('app', 'bob', role.serverTs, 10), { notifications: [], hasMore: false });
      await sleep(3);
      const later = await Promise.all([1, 2, 3].map(() => store.recordNotification('app', ['erin'], { op: 'joined', cid: 'c2', initBy: 'alice' })));
      const firstPage = await store.notificationsAfterTime('app', 'erin', 0, 2);
      // The three share a millisecond or not; either way a page holds whole milliseconds.
      const lastTs = firstPage.notifications.at(-1)!.serverTs;
      const rest = await store.notificationsAfterTime('app', 'erin', lastTs, 10);
      // Recorded at once, they may take their seqs in any order.
      assert.deepEqual([...firstPage.notifications, ...rest.notifications].map((n) => n.seq), later.map((n) => n.seq).sort((x, y) => x - y));

      assert.equal(await store.notificationCursor('app', 'bob', 'login-1'), undefined);
      await store.saveNotificationCursor('app', 'bob', 'login-1', left.seq);
      await store.saveNotificationCursor('app', 'bob', 'login-1', joined.seq);
      assert.equal(await store.notificationCursor('app', 'bob', 'login-1'), left.seq, 'a cursor never moves back');
      assert.equal(await store.pruneNotifications(later[0]!.serverTs), 3);
      assert.deepEqual(await store.notificationsSince('app', 'bob', 0, 10), []);
      // Saved after the boundary: kept.
      assert.equal(await store.notificationCursor('app', 'bob', 'login-1'), left.seq);
      assert.equal((await store.notificationsSince('app', 'erin', 0, 10)).length, 3);
    } finally {
      await store.close();
    }
  });

  test('read state: unread counts, mentions, read positions that never go back, undelivered batches, receipts', async () => {
    const store = await h.open(await h.fresh());
    try {
      const cid = (await store.createConversation(conversationInput({ members: ['alice', 'bob', 'carol'] }))).conversation.id;
      const sent = [];
      for (const input of [
        messageInput(cid, { data: 'one' }),
        messageInput(cid, { data: 'two', mentionPids: ['bob'], receipt: true }),
        messageInput(cid, { from: 'bob', data: 'three' }),
        messageInput(cid, { data: 'four', mentionAll: true }),
      ]) {
        sent.push((await store.appendMessage(input)).message);
        await sleep(2);
      }
      // Own messages are read: bob sent the third, so only the fourth is unread for him.
      const [bobUnread] = await store.unreadConversations('app', 'bob', 10);
      assert.deepEqual(bobUnread, { cid, unread: 1, lastMessage: (await store.getConversation('app', cid))!.lastMessage, mentioned: true });
      const [carolUnread] = await store.unreadConversations('app', 'carol', 10);
      assert.equal(carolUnread!.unread, 4);
      assert.deepEqual(await store.unreadConversations('app', 'alice', 10), []);

      const read = await store.markRead('app', cid, 'carol', { messageId: sent[1]!.id });
      assert.deepEqual(read, { unread: 2, readTimestamp: sent[1]!.timestamp, advanced: true, lastMessage: bobUnread!.lastMessage, mentioned: true });
      const back = await store.markRead('app', cid, 'carol', { timestamp: sent[0]!.timestamp });
      assert.equal(back!.advanced, false);
      assert.equal(back!.unread, 2);
      assert.equal((await store.markRead('app', cid, 'carol', {}))!.unread, 0);
      assert.equal(await store.markRead('app', cid, 'mallory', {}), undefined);
      assert.deepEqual(await store.unreadConversations('app', 'carol', 10), []);

      await store.recordDelivered('app', cid, 'carol', sent[1]!.timestamp);
      assert.deepEqual(await store.undeliveredConversations('app', 'carol', 10), [{ cid, deliveredTs: sent[1]!.timestamp }]);
      const batch = await store.undeliveredBatch('app', 'carol', { cid, deliveredTs: sent[1]!.timestamp }, 1);
      assert.deepEqual(batch, { cid, messages: [sent[3]], hasMore: true });
      assert.deepEqual(await store.undeliveredMessages('app', 'carol', 10, 10), [{ cid, messages: [sent[2], sent[3]], hasMore: false }]);
      assert.deepEqual(await store.receiptMessages('app', cid, 'bob', 0, Date.now(), 10), [sent[1]]);
      const receipts = await store.memberReceipts('app', cid);
      assert.deepEqual(receipts.map((r) => r.clientId), ['alice', 'bob', 'carol']);
      assert.equal(receipts[2]!.readTs, sent[3]!.timestamp);

      // A member who joins later starts with nothing unread.
      await store.addMembers('app', cid, ['dave'], 10);
      assert.deepEqual(await store.unreadConversations('app', 'dave', 10), []);
      assert.deepEqual(await store.undeliveredConversations('app', 'dave', 10), []);
    } finally {
      await store.close();
    }
  });

  test('recordDelivered keeps the latest time per member and ignores non-members', async () => {
    const file = await h.fresh();
    const store = await h.open(file);
    try {
      const cid = (await store.createConversation(conversationInput())).conversation.id;
      await store.recordDelivered('app', cid, 'bob', 2000);
      await store.recordDelivered('app', cid, 'bob', 1000);
      await store.recordDelivered('app', cid, 'alice', 1500);
      await store.recordDelivered('app', cid, 'mallory', 3000);
      await store.recordDelivered('other-app', cid, 'bob', 9000);
      const rows = await h.rows<{ client_id: string; delivered_ts: number }>(
        file,
        'SELECT client_id, delivered_ts FROM conversation_members WHERE cid = ? ORDER BY client_id',
        cid,
      );
      assert.deepEqual(rows, [
        { client_id: 'alice', delivered_ts: 1500 },
        { client_id: 'bob', delivered_ts: 2000 },
      ]);
    } finally {
      await store.close();
    }
  });

  test('deleteConversation removes the conversation and every row kept for it, in that app only', async () => {
    const file = await h.fresh();
    const store = await h.open(file);
    try {
      const doomed = (await store.createConversation(conversationInput({ members: ['alice', 'bob', 'carol'] }))).conversation.id;
      const kept = (await store.createConversation(conversationInput())).conversation.id;
      await Promise.all([store.appendMessage(messageInput(doomed)), store.appendMessage(messageInput(doomed, { from: 'bob' })), store.appendMessage(messageInput(kept))]);
      await store.blockMembers('app', doomed, ['carol'], 'alice', 10, { removed: () => [], listed: () => [] });
      await store.addShutup('app', doomed, ['bob'], 'alice', 10, () => []);
      await store.setMemberRole('app', doomed, 'bob', 'Manager', 10, () => []);

      // Another app's id is not this conversation.
      assert.equal(await store.deleteConversation('other-app', doomed), false);
      assert.ok(await store.getConversation('app', doomed));

      assert.equal(await store.deleteConversation('app', doomed), true);
      assert.equal(await store.getConversation('app', doomed), undefined);
      assert.deepEqual(await store.queryMessages({ appId: 'app', cid: doomed, limit: 10, direction: 'old' }), []);
      assert.equal(await store.isMember('app', doomed, 'alice'), false);
      for (const table of ['messages', 'conversation_members', 'conversation_blocklist', 'conversation_shutup']) {
        assert.equal(await h.count(file, `SELECT count(*) AS n FROM ${table} WHERE cid = ?`, doomed), 0, table);
      }
      // A second delete finds nothing; the other conversation is untouched.
      assert.equal(await store.deleteConversation('app', doomed), false);
      assert.equal((await store.getConversation('app', kept))?.lastSeq, 1);
      assert.equal((await store.queryMessages({ appId: 'app', cid: kept, limit: 10, direction: 'old' })).length, 1);
      // An append racing the delete is refused, not stored into nothing.
      await assert.rejects(store.appendMessage(messageInput(doomed)));
    } finally {
      await store.close();
    }
  });

  describe('web push', () => {
    const pair = (): VapidKeyPair => {
      const { publicKey, privateKey } = webPush.generateVAPIDKeys();
      return { publicKey, privateKey };
    };
    const subscription = (appId: string, clientId: string, endpoint: string, extra: Partial<PushSubscriptionRecord> = {}): PushSubscriptionRecord => ({
      appId,
      clientId,
      endpoint: `https://push.example/${endpoint}`,
      p256dh: `p-${endpoint}`,
      auth: `a-${endpoint}`,
      createdAt: 1_700_000_000_000,
      ...extra,
    });
    const endpoints = async (store: Store, appId: string, clientIds: string[]) =>
      (await store.pushSubscriptions(appId, clientIds)).map((item) => `${item.clientId} ${item.endpoint.slice('https://push.example/'.length)}`);

    test('the VAPID key pair: the first stored is kept, and stores racing on an empty database all get one pair', async () => {
      const file = await h.fresh();
      // Four processes' stores, opened at once on a fresh database (each runs the migrations), asking at once.
      const stores = await Promise.all([1, 2, 3, 4].map(() => h.open(file)));
      try {
        const candidates = stores.map(pair);
        const got = await Promise.all(stores.map((store, k) => store.vapidKeys(candidates[k]!)));
        assert.equal(new Set(got.map((keys) => JSON.stringify(keys))).size, 1, 'one pair for every store');
        assert.ok(candidates.some((candidate) => candidate.publicKey === got[0]!.publicKey && candidate.privateKey === got[0]!.privateKey), 'one of the candidates');
        assert.deepEqual(await stores[0]!.vapidKeys(pair()), got[0]);
        assert.equal(await h.count(file, 'SELECT count(*) AS n FROM vapid_keys'), 1);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
      const reopened = await h.open(file);
      try {
        const publicKey = (await h.rows<{ public_key: string }>(file, 'SELECT public_key FROM vapid_keys'))[0]!.public_key;
        assert.equal((await reopened.vapidKeys(pair())).publicKey, publicKey);
      } finally {
        await reopened.close();
      }
    });

    test('subscriptions: a few per client (oldest replaced), a total, one owner per endpoint; remove, drop, look-ups', async () => {
      const file = await h.fresh();
      const store = await h.open(file);
      const other = await h.open(file);
      const limits = { perClient: 2, total: 4 };
      try {
        assert.equal(await store.hasPushSubscriptions('A'), false);
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'alice', '1', { lang: 'zh-CN' }), limits), { kind: 'stored', clientCount: 1 });
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'alice', '2'), limits), { kind: 'stored', clientCount: 2 });
        assert.deepEqual([await other.hasPushSubscriptions('A'), await other.hasPushSubscriptions('B')], [true, false]);
        assert.deepEqual((await other.pushSubscriptions('A', ['alice']))[0], subscription('A', 'alice', '1', { lang: 'zh-CN' }));
        // A third browser replaces alice's oldest.
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'alice', '3'), limits), { kind: 'stored', clientCount: 2 });
        assert.deepEqual(await endpoints(other, 'A', ['alice']), ['alice 2', 'alice 3']);
        // Registered again (new keys), an endpoint is refreshed and becomes the newest.
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'alice', '2', { auth: 'renewed' }), limits), { kind: 'stored', clientCount: 2 });
        assert.deepEqual(await endpoints(other, 'A', ['alice']), ['alice 3', 'alice 2']);
        assert.equal((await other.pushSubscriptions('A', ['alice']))[1]!.auth, 'renewed');
        // Registered by another client, of the app or of another app, an endpoint moves to it.
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'bob', '3'), limits), { kind: 'stored', clientCount: 1 });
        assert.deepEqual(await store.addPushSubscription(subscription('B', 'carol', '2'), limits), { kind: 'stored', clientCount: 1 });
        assert.deepEqual(await endpoints(other, 'A', ['alice', 'bob', 'nobody']), ['bob 3']);
        assert.deepEqual(await endpoints(other, 'B', ['carol']), ['carol 2']);
        // Asked not to take over (an import), a held endpoint stays with its holder.
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'dave', '3'), limits, false), { kind: 'held' });
        assert.deepEqual(await endpoints(other, 'A', ['bob', 'dave']), ['bob 3']);
        // The total counts every app: two more fill it, a new endpoint is then refused, a known one still refreshed.
        await store.addPushSubscription(subscription('A', 'erin', '4'), limits);
        await store.addPushSubscription(subscription('B', 'frank', '5'), limits);
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'erin', '6'), limits), { kind: 'full' });
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'erin', '4', { auth: 'again' }), limits), { kind: 'stored', clientCount: 1 });
        assert.equal(await h.count(file, 'SELECT count(*) AS n FROM push_subscriptions'), 4);
        // Only the holder removes its own; a gone endpoint is dropped whoever holds it.
        assert.equal(await store.removePushSubscription('A', 'alice', 'https://push.example/3'), false);
        assert.equal(await store.removePushSubscription('B', 'bob', 'https://push.example/3'), false);
        assert.equal(await store.removePushSubscription('A', 'bob', 'https://push.example/3'), true);
        assert.equal(await other.dropPushSubscription('https://push.example/4'), true);
        assert.equal(await other.dropPushSubscription('https://push.example/4'), false);
        assert.equal(await store.hasPushSubscriptions('A'), false);
        assert.deepEqual(await store.pushSubscriptions('A', []), []);
        assert.deepEqual(await endpoints(store, 'B', ['frank', 'carol']), ['carol 2', 'frank 5']);
        // What was removed, dropped or replaced makes room again: two new ones fit, a third does not.
        assert.equal((await store.addPushSubscription(subscription('A', 'gina', '7'), limits)).kind, 'stored');
        assert.equal((await other.addPushSubscription(subscription('A', 'gina', '8'), limits)).kind, 'stored');
        assert.deepEqual(await store.addPushSubscription(subscription('A', 'gina', '9'), limits), { kind: 'full' });
      } finally {
        await store.close();
        await other.close();
      }
    });

    test('subscriptions: the bounds hold under concurrent writers (two stores, as two nodes)', async () => {
      const file = await h.fresh();
      const stores = [await h.open(file), await h.open(file)];
      try {
        // One client's browsers registered at once through both: at most perClient remain, the newest.
        const perClient = { perClient: 3, total: 1000 };
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_, k) => stores[k % 2]!.addPushSubscription(subscription('A', 'alice', `c${k}`), perClient)));
        assert.ok(outcomes.every((outcome) => outcome.kind === 'stored'));
        assert.equal((await stores[0]!.pushSubscriptions('A', ['alice'])).length, 3);
        // One endpoint registered at once by six clients: one owner, no error.
        const same = await Promise.all(Array.from({ length: 6 }, (_, k) => stores[k % 2]!.addPushSubscription(subscription('A', `u${k}`, 'shared'), perClient)));
        assert.ok(same.every((outcome) => outcome.kind === 'stored'));
        assert.equal(await h.count(file, 'SELECT count(*) AS n FROM push_subscriptions WHERE endpoint = ?', 'https://push.example/shared'), 1);
        // New endpoints at once past the total: exactly the room left is taken.
        const total = { perClient: 3, total: 10 };
        const racing = await Promise.all(Array.from({ length: 12 }, (_, k) => stores[k % 2]!.addPushSubscription(subscription('A', `t${k}`, `t${k}`), total)));
        assert.equal(racing.filter((outcome) => outcome.kind === 'stored').length, 6);
        assert.equal(racing.filter((outcome) => outcome.kind === 'full').length, 6);
        assert.equal(await h.count(file, 'SELECT count(*) AS n FROM push_subscriptions'), 10);
        // Removals racing each other leave the total counted right: two dropped at once make room for exactly two.
        const aliceOldest = (await stores[0]!.pushSubscriptions('A', ['alice']))[0]!.endpoint;
        assert.deepEqual(await Promise.all([stores[0]!.dropPushSubscription('https://push.example/shared'), stores[1]!.removePushSubscription('A', 'alice', aliceOldest)]), [true, true]);
        const refill = await Promise.all(Array.from({ length: 3 }, (_, k) => stores[k % 2]!.addPushSubscription(subscription('A', `r${k}`, `r${k}`), total)));
        assert.deepEqual(refill.map((outcome) => outcome.kind).sort(), ['full', 'stored', 'stored']);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });
  });

  describe('broker backlogs', () => {
    test('one row per node: held, beaten again keeping its start, taken once; a stop marks it stale', async () => {
      const file = await h.fresh();
      const store = await h.open(file);
      const other = await h.open(file);
      try {
        assert.equal(await store.takeBrokerBacklog('node1'), undefined);
        await store.holdBrokerBacklog('node1');
        const first = (await h.rows<{ since: number; beat_at: number }>(file, 'SELECT since, beat_at FROM broker_backlog WHERE node_id = ?', 'node1'))[0]!;
        assert.ok(first.since > 0 && first.beat_at >= first.since);
        await sleep(20);
        // Beaten again (by the node, through any connection): one row, the same start, a later beat.
        await other.holdBrokerBacklog('node1');
        const rows = await h.rows<{ since: number; beat_at: number }>(file, 'SELECT since, beat_at FROM broker_backlog');
        assert.equal(rows.length, 1);
        assert.equal(rows[0]!.since, first.since);
        assert.ok(rows[0]!.beat_at > first.beat_at, 'beaten later');
        // A fresh row is not stale; taken by its node (or a sweeper) it is gone for the other.
        assert.deepEqual(await store.takeStaleBrokerBacklogs(60_000, 10), []);
        assert.deepEqual(await other.takeBrokerBacklog('node1'), { nodeId: 'node1', since: rows[0]!.since, beatAt: rows[0]!.beat_at });
        assert.equal(await store.takeBrokerBacklog('node1'), undefined);
        // A node that stops holding one marks it stale: taken at once, whatever the deadline.
        await store.holdBrokerBacklog('node2');
        await store.holdBrokerBacklog('node2', true);
        const taken = await other.takeStaleBrokerBacklogs(60_000, 10);
        assert.deepEqual(taken.map((backlog) => [backlog.nodeId, backlog.beatAt]), [['node2', 0]]);
        assert.equal(await h.count(file, 'SELECT count(*) AS n FROM broker_backlog'), 0);
      } finally {
        await store.close();
        await other.close();
      }
    });

    test('stale rows: only those not beaten for deadMs, oldest first, at most limit, each to one of racing takers', async () => {
      const file = await h.fresh();
      const stores = [await h.open(file), await h.open(file), await h.open(file)];
      try {
        for (const node of ['a', 'b', 'c']) await stores[0]!.holdBrokerBacklog(node);
        await sleep(300);
        await stores[1]!.holdBrokerBacklog('d');
        // a, b and c are 300 ms old, d is fresh.
        assert.deepEqual(await stores[0]!.takeStaleBrokerBacklogs(60_000, 10), []);
        assert.deepEqual((await stores[0]!.takeStaleBrokerBacklogs(200, 2)).map((backlog) => backlog.nodeId), ['a', 'b']);
        await stores[1]!.holdBrokerBacklog('e', true);
        await stores[1]!.holdBrokerBacklog('f', true);
        await stores[1]!.holdBrokerBacklog('g', true);
        // Three stores (three nodes' sweeps) at once: every stale row to exactly one of them.
        const racing = await Promise.all(stores.map((store) => store.takeStaleBrokerBacklogs(200, 10)));
        const all = racing.flat().map((backlog) => backlog.nodeId).sort();
        assert.deepEqual(all, ['c', 'e', 'f', 'g']);
        assert.deepEqual((await h.rows<{ node_id: string }>(file, 'SELECT node_id FROM broker_backlog')).map((row) => row.node_id), ['d']);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });
  });

  test('close commits the appends still queued, then every call rejects', async () => {
    const file = await h.fresh();
    const store = await h.open(file);
    const cid = (await store.createConversation(conversationInput())).conversation.id;
    const queued = [store.appendMessage(messageInput(cid)), store.appendMessage(messageInput(cid)), store.appendMessage(messageInput(cid))];
    await store.close();
    assert.deepEqual((await Promise.all(queued)).map((result) => result.message.seq), [1, 2, 3]);
    assert.equal(await h.count(file, 'SELECT count(*) AS n FROM messages'), 3);

    await assert.rejects(store.appendMessage(messageInput(cid)), /closed/);
    await assert.rejects(store.getConversation('app', cid), /closed/);
    await assert.rejects(store.queryMessages({ appId: 'app', cid, limit: 1, direction: 'old' }), /closed/);
    await store.close();
  });
}
