/**
 * The PostgreSQL store as servers open it coalesces identical reads of one
 * event-loop turn (src/server/store/coalesced-reads.ts): one answer for
 * many callers, a copy each, never older than the caller's own call, and
 * a failure reaches every caller.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openStore } from '../src/server/store/open-store.js';
import type { Store } from '../src/server/store/types.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';

let database: TestDatabase;
let store: Store;
before(async () => {
  database = await createTestDatabase();
  store = await openStore({ storeLocation: { kind: 'postgres', url: database.url }, durability: 'process' });
  await store.putApp({ appId: 'app', appKey: 'k', masterKey: 'm', requireSignature: false, createdAt: 1 });
});
after(async () => {
  await store.close();
  await database.drop();
});

const create = async (name: string) =>
  (await store.createConversation({ appId: 'app', creator: 'alice', members: ['alice', 'bob'], name, transient: false, system: false, unique: false, attributes: {} })).conversation.id;

test('fifty reads of one conversation in one turn: the same answer, each its own copy', async () => {
  const cid = await create('first');
  const answers = await Promise.all(Array.from({ length: 50 }, () => store.getConversation('app', cid)));
  for (const answer of answers) assert.deepEqual(answer, answers[0]);
  assert.equal(new Set(answers).size, 50, 'fifty objects, not one shared');
  answers[1]!.members.push('mallory');
  assert.deepEqual(answers[2]!.members, ['alice', 'bob'], 'one caller changing its answer changes no other');
  const [muted, notMuted] = await Promise.all([store.isShutup('app', cid, 'bob'), store.isShutup('app', cid, 'carol')]);
  assert.deepEqual([muted, notMuted], [false, false]);
});

test('a read asked right after a write committed sees it', async () => {
  const cid = await create('before');
  const reads: Promise<unknown>[] = [];
  for (let n = 0; n < 20; n++) {
    // Reads of the same conversation keep arriving while it changes: none answered with an older name.
    reads.push(store.getConversation('app', cid));
    await store.updateConversation('app', cid, { name: `name ${n}`, attributes: [] });
    assert.equal((await store.getConversation('app', cid))?.name, `name ${n}`);
  }
  await Promise.all(reads);
});

test('a failed read fails every caller of that turn', async () => {
  const other = await openStore({ storeLocation: { kind: 'postgres', url: database.url }, durability: 'process' });
  await other.close();
  const results = await Promise.allSettled([other.getConversation('app', 'x'), other.getConversation('app', 'x'), other.isShutup('app', 'x', 'bob')]);
  assert.deepEqual(results.map((result) => result.status), ['rejected', 'rejected', 'rejected']);
});

test('reads of several conversations and mutes in one turn: one query each, every caller its own answer', async () => {
  const [first, second, third] = [await create('one'), await create('two'), await create('three')];
  await store.addShutup('app', second, ['bob'], 'alice', 10, () => []);
  const missing = 'f'.repeat(24);
  const [a, b, aAgain, gone, c] = await Promise.all([
    store.getConversation('app', first),
    store.getConversation('app', second),
    store.getConversation('app', first),
    store.getConversation('app', missing),
    store.getConversation('app', third),
  ]);
  assert.deepEqual([a?.name, b?.name, aAgain?.name, gone, c?.name], ['one', 'two', 'one', undefined, 'three']);
  assert.notEqual(a, aAgain, 'a copy for the second caller');
  assert.deepEqual(a, await store.getConversation('app', first), 'the same record as a read alone');
  const mutes = await Promise.all([
    store.isShutup('app', first, 'bob'),
    store.isShutup('app', second, 'bob'),
    store.isShutup('app', second, 'alice'),
    store.isShutup('app', second, 'bob'),
    store.isShutup('app', missing, 'bob'),
  ]);
  assert.deepEqual(mutes, [false, true, false, true, false]);
});
