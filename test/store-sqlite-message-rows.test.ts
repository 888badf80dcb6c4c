/**
 * The SQLite migration to message_rows (integer conversation keys, rowid
 * = conv_key * 2^32 + seq): a database written by the previous schema,
 * with messages in it, upgrades in place and serves what it served.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/server/store/sqlite/schema.js';
import { openSqliteStore } from '../src/server/store/sqlite/sqlite-store.js';
import type { MessageRecord } from '../src/server/store/types.js';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-chat-message-rows-'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The migration that introduced message_rows: the schema before it is version MESSAGE_ROWS. */
const MESSAGE_ROWS = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE message_rows'));
const BASE = Date.UTC(2026, 0, 1);

interface OldMessage {
  cid: string;
  seq: number;
  id: string;
  from: string;
  data: string;
  timestamp: number;
  dt: string | null;
  patchTimestamp: number | null;
}

/** A file at the schema before message_rows, with two conversations, their members and messages. */
function oldDatabase(file: string): OldMessage[] {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  for (let version = 0; version < MESSAGE_ROWS; version++) db.exec(MIGRATIONS[version]!);
  db.pragma(`user_version = ${MESSAGE_ROWS}`);
  db.prepare(`INSERT INTO apps (app_id, app_key, master_key, require_signature, created_at) VALUES ('app', 'k', 'm', 0, 1)`).run();
  const messages: OldMessage[] = [];
  const counts = { 'cid-a': 30, 'cid-b': 7 };
  for (const [cid, count] of Object.entries(counts)) {
    const last = count;
    for (let seq = 1; seq <= count; seq++) {
      // Three messages per millisecond: ties for the time bounds.
      messages.push({
        cid,
        seq,
        id: `${cid}-id-${String(seq).padStart(3, '0')}`,
        from: seq % 2 ? 'alice' : 'bob',
        data: JSON.stringify({ _lctype: -1, _lctext: `${cid} ${seq}` }),
        timestamp: BASE + Math.floor((seq - 1) / 3),
        dt: seq % 5 === 0 ? null : `dt-${seq}`,
        patchTimestamp: cid === 'cid-a' && seq === 4 ? BASE + 1000 : null,
      });
    }
    const newest = messages[messages.length - 1]!;
    db.prepare(
      `INSERT INTO conversations (app_id, id, creator, members, tr, sys, is_unique, created_at, updated_at, lm, last_seq, last_msg_id, last_msg_from, last_msg_data)
       VALUES ('app', ?, 'alice', '["alice","bob"]', 0, 0, 0, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(cid, BASE, BASE, newest.timestamp, last, newest.id, newest.from, newest.data);
    for (const member of ['alice', 'bob']) {
      db.prepare('INSERT INTO conversation_members (app_id, cid, client_id, joined_at) VALUES (?, ?, ?, ?)').run('app', cid, member, BASE);
    }
  }
  const insert = db.prepare(
    `INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, patch_timestamp, lctype)
     VALUES ('app', ?, ?, ?, ?, ?, ?, ?, 0, '[]', 0, ?, -1)`,
  );
  for (const m of messages) insert.run(m.cid, m.seq, m.id, m.from, m.data, m.timestamp, m.dt, m.patchTimestamp);
  db.close();
  return messages;
}

const seqs = (page: MessageRecord[]) => page.map((message) => message.seq);

test('a database with messages upgrades to message_rows in place: history, dedupe, patches, ids and deletes work on the old messages', async () => {
  assert.ok(MESSAGE_ROWS > 0);
  const file = path.join(dir, 'old.sqlite');
  const old = oldDatabase(file);
  const store = openSqliteStore({ file });
  try {
    // Every old message, unchanged, through the store and through the messages view.
    const a = old.filter((m) => m.cid === 'cid-a');
    const page = await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 100, direction: 'new' });
    assert.deepEqual(
      page.map((m) => [m.seq, m.id, m.from, m.data, m.timestamp, m.dt, m.patchTimestamp]),
      a.map((m) => [m.seq, m.id, m.from, m.data, m.timestamp, m.dt, m.patchTimestamp]),
    );
    const db = (store as unknown as { db: Database.Database }).db;
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal((db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n, old.length);
    assert.deepEqual(
      db.prepare(`SELECT seq, id FROM messages WHERE app_id = 'app' AND cid = 'cid-b' ORDER BY seq`).all(),
      old.filter((m) => m.cid === 'cid-b').map((m) => ({ seq: m.seq, id: m.id })),
    );

    // Bounds by id and by time: seqs 7..9 share BASE + 2.
    const t = BASE + 2;
    assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 100, direction: 'old', start: { timestamp: t, inclusive: false } })), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 100, direction: 'old', start: { timestamp: t, inclusive: true } })), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 3, direction: 'new', start: { timestamp: t, inclusive: false } })), [10, 11, 12]);
    assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 3, direction: 'new', start: { timestamp: t, inclusive: true } })), [7, 8, 9]);
    assert.deepEqual(
      seqs(await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 100, direction: 'old', start: { timestamp: t, messageId: a[7]!.id, inclusive: false } })),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 100, direction: 'new', start: { timestamp: BASE + 9, inclusive: false } })), []);
    assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: 'cid-a', limit: 100, direction: 'old', start: { timestamp: BASE - 1, inclusive: false } })), []);

    // A retry of an old message (same dt and sender) returns it; new ones continue the seq.
    const retry = await store.appendMessage({ appId: 'app', cid: 'cid-a', from: 'alice', data: 'again', dt: 'dt-3', receipt: false, mentionPids: [], mentionAll: false });
    assert.equal(retry.duplicate, true);
    assert.equal(retry.message.id, a[2]!.id);
    assert.equal(retry.message.seq, 3);
    const next = await store.appendMessage({ appId: 'app', cid: 'cid-a', from: 'bob', data: 'new', dt: 'dt-3', receipt: false, mentionPids: [], mentionAll: false });
    assert.equal(next.duplicate, false);
    assert.equal(next.message.seq, 31);
    assert.equal((await store.getConversation('app', 'cid-a'))!.lastSeq, 31);

    // Patches find old messages by id; the old patch and the new one are seen by members.
    const edited = await store.patchMessage({ appId: 'app', cid: 'cid-b', id: old.find((m) => m.cid === 'cid-b' && m.seq === 2)!.id, from: 'bob', data: 'edited', mentionPids: [], mentionAll: false });
    assert.equal(edited.seq, 2);
    const patched = await store.patchesSince('app', 'alice', 0, 10);
    assert.deepEqual(patched.map((m) => [m.cid, m.seq]), [['cid-a', 4], ['cid-b', 2]]);

    // Reads by id and by time.
    const byId = await store.markRead('app', 'cid-a', 'alice', { messageId: a[9]!.id });
    assert.deepEqual([byId?.unread, byId?.readTimestamp, byId?.advanced], [31 - 10, a[9]!.timestamp, true]);
    const byTime = await store.markRead('app', 'cid-a', 'alice', { timestamp: BASE + 4 });
    assert.deepEqual([byTime?.unread, byTime?.readTimestamp, byTime?.advanced], [31 - 15, BASE + 4, true]);

    // A new conversation gets a key of its own: its messages are not the old ones.
    const { conversation } = await store.createConversation({ appId: 'app', creator: 'carol', members: ['carol'], name: null, attributes: {}, transient: false, system: false, unique: false });
    const first = await store.appendMessage({ appId: 'app', cid: conversation.id, from: 'carol', data: 'hello', dt: 'dt-1', receipt: false, mentionPids: [], mentionAll: false });
    assert.deepEqual([first.message.seq, first.duplicate], [1, false]);
    assert.deepEqual(seqs(await store.queryMessages({ appId: 'app', cid: conversation.id, limit: 100, direction: 'new' })), [1]);

    // Deleting a conversation deletes its messages, and only its own.
    assert.equal(await store.deleteConversation('app', 'cid-b'), true);
    assert.equal((db.prepare(`SELECT count(*) AS n FROM message_rows`).get() as { n: number }).n, 30 + 1 + 1);
    assert.deepEqual(await store.queryMessages({ appId: 'app', cid: 'cid-b', limit: 100, direction: 'new' }), []);
  } finally {
    await store.close();
  }
});

test('the messages view takes inserts for an existing conversation and refuses them for a missing one', async () => {
  const file = path.join(dir, 'view.sqlite');
  await openSqliteStore({ file }).close();
  const db = new Database(file);
  try {
    db.prepare(
      `INSERT INTO conversations (app_id, id, creator, members, tr, sys, is_unique, created_at, updated_at, last_seq)
       VALUES ('app', 'c1', 'a', '["a"]', 0, 0, 0, 1, 1, 1)`,
    ).run();
    db.prepare(`INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, receipt) VALUES ('app', 'c1', 1, 'm1', 'a', 'x', 5, 0)`).run();
    assert.deepEqual(db.prepare(`SELECT cid, seq, id FROM messages`).all(), [{ cid: 'c1', seq: 1, id: 'm1' }]);
    assert.throws(
      () => db.prepare(`INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, receipt) VALUES ('app', 'nope', 1, 'm2', 'a', 'x', 5, 0)`).run(),
      /no such conversation/,
    );
  } finally {
    db.close();
  }
});
