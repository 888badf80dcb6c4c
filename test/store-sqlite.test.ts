/**
 * SQLite-only internals: the query plan, the file's pragmas, the schema
 * version in user_version. Everything a store promises is in
 * store-contract.test.ts, which runs on SQLite too.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parseWhere } from '../src/server/query/where.js';
import { compileConversationQuery } from '../src/server/store/sqlite/conditions-sql.js';
import { SCHEMA_VERSION } from '../src/server/store/sqlite/schema.js';
import { openSqliteStore } from '../src/server/store/sqlite/sqlite-store.js';

let dir: string;
let files = 0;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-chat-store-'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh database file for one test, in a directory that does not exist yet. */
function newFile(): string {
  return path.join(dir, `db-${++files}`, 'chat.sqlite');
}

test('membership queries read conversation_members through its client index', async () => {
  const file = newFile();
  await openSqliteStore({ file }).close();
  const { sql, params } = compileConversationQuery({ appId: 'app', where: parseWhere('{"m":{"$all":["alice"]}}'), sort: [], limit: 10, skip: 0 });
  const db = new Database(file, { readonly: true });
  try {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((row) => row.detail);
    // The outer loop runs over alice's member rows, not over the app's conversations.
    assert.match(plan[0]!, /^SEARCH d USING COVERING INDEX conversation_members_client \(app_id=\? AND client_id=\?/);
    assert.ok(!plan.some((line) => /SCAN c\b|json_each/.test(line)), plan.join('\n'));
  } finally {
    db.close();
  }
});

test('the schema version is recorded; a database from a newer server version is refused', async () => {
  const file = newFile();
  await openSqliteStore({ file }).close();
  const db = new Database(file);
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  assert.throws(() => openSqliteStore({ file }), new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer than this server's \\(${SCHEMA_VERSION}\\)`));
});

test('WAL mode and the durability setting are applied', async () => {
  for (const [durability, expected] of [['process', 1], ['power', 2]] as const) {
    const file = newFile();
    const store = openSqliteStore({ file, durability });
    // synchronous is per connection: read it through the store's own handle.
    const db = (store as unknown as { db: Database.Database }).db;
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), expected);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    await store.close();
  }
});
