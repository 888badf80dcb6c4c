/**
 * Issue acceptance 3: with 10,000 conversations in the store, the queries
 * clients make (by id, by ids, "my conversations" with conditions and
 * sorting, the default listing) are answered from indexes, as EXPLAIN
 * QUERY PLAN shows; and a malformed query gets 4310 with a reason that
 * names the problem.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { parseSort, parseWhere } from '../src/server/query/where.js';
import { compileConversationQuery } from '../src/server/store/sqlite/conditions-sql.js';
import { registerRegexp } from '../src/server/store/sqlite/regexp.js';
import { openSqliteStore, type SqliteStore } from '../src/server/store/sqlite/sqlite-store.js';
import type { QueryViewer } from '../src/server/store/types.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer } from './helpers/server.js';

const CONVERSATIONS = 10_000;
const USERS = 1000;
let dir: string;
let file: string;
let store: SqliteStore;
let db: Database.Database;
const ids: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lc-chat-plan-'));
  file = join(dir, 'chat.sqlite');
  store = openSqliteStore({ file });
  for (let n = 0; n < CONVERSATIONS; n++) {
    const { conversation } = await store.createConversation({
      appId: 'app',
      creator: `u${n % USERS}`,
      members: [`u${n % USERS}`, `u${(n * 7 + 3) % USERS}`],
      name: `room ${n}`,
      transient: n % 10 === 0,
      system: false,
      unique: false,
      attributes: { topic: `t${n % 50}`, level: n % 100 },
    });
    ids.push(conversation.id);
  }
  db = new Database(file, { readonly: true });
  registerRegexp(db);
  db.function('lc_tick', () => 1);
});
after(async () => {
  db.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function plan(where: string | null, sort = '', viewer?: QueryViewer): string[] {
  const query = { appId: 'app', where: parseWhere(where), sort: parseSort(sort), limit: 10, skip: 0 };
  const { sql, params } = compileConversationQuery(viewer ? { ...query, viewer, budget: { maxRows: 1e6, maxMs: 1e6 } } : query);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail);
}

/** No step reads every conversation (or every member row) of the app. */
function assertIndexed(lines: string[]): void {
  const text = lines.join('\n');
  assert.ok(!lines.some((line) => /^SCAN (c|d|cm|conversations|conversation_members)\b/.test(line)), text);
  assert.ok(lines.some((line) => /USING (COVERING )?INDEX/.test(line)), text);
}

test('by id and by ids: primary key lookups', async () => {
  const byId = plan(JSON.stringify({ objectId: ids[42] }));
  assert.deepEqual(byId, ['SEARCH c USING INDEX sqlite_autoindex_conversations_1 (app_id=? AND id=?)']);
  assertIndexed(plan(JSON.stringify({ objectId: { $in: ids.slice(0, 20) } })));
  const found = await store.findConversations({ appId: 'app', where: parseWhere(JSON.stringify({ objectId: { $in: [ids[1], ids[9999]] } })), sort: [], limit: 10, skip: 0 });
  assert.deepEqual(found.map((c) => c.id).sort(), [ids[1], ids[9999]].sort());
});

test('"my conversations" with conditions and any sort start from the member index', async () => {
  for (const [where, sort] of [
    [{ m: { $all: ['u5'] } }, ''],
    [{ m: 'u5', topic: 't5', level: { $gte: 5 } }, '-lm'],
    [{ m: { $all: ['u5'] }, name: { $regex: '^\\Qroom\\E' }, tr: false }, 'name,-createdAt'],
    [{ m: { $size: 2, $all: ['u5', 'u38'] } }, '-updatedAt'],
  ] as const) {
    const lines = plan(JSON.stringify(where), sort);
    assertIndexed(lines);
    assert.match(lines[0]!, /^SEARCH d USING COVERING INDEX conversation_members_client \(app_id=\? AND client_id=\?/, lines.join('\n'));
  }
  const mine = await store.findConversations({ appId: 'app', where: parseWhere('{"m":{"$all":["u5"]}}'), sort: [], limit: 1000, skip: 0 });
  const expected = ids.filter((_, n) => n % USERS === 5 || (n * 7 + 3) % USERS === 5);
  assert.deepEqual(mine.map((c) => c.id).sort(), expected.sort());
});

test('the default listing walks the lm index in order and stops at the limit', () => {
  const lines = plan(null);
  assertIndexed(lines);
  assert.match(lines[0]!, /^SEARCH c USING INDEX conversations_lm \(app_id=\?\)/);
  assert.ok(!lines.includes('USE TEMP B-TREE FOR ORDER BY'), 'no full sort: only ties on the last key are sorted');
});

test('a client’s query (restricted to what it may see, budgeted) keeps the same indexes', async () => {
  const viewer: QueryViewer = { clientId: 'u5', open: false, privateAttributes: ['level'] };
  assert.match(plan(JSON.stringify({ objectId: ids[42] }), '', viewer)[0]!, /^SEARCH c USING INDEX sqlite_autoindex_conversations_1 \(app_id=\? AND id=\?\)/);
  assertIndexed(plan(JSON.stringify({ objectId: { $in: ids.slice(0, 20) } }), '', viewer));
  for (const [where, sort] of [
    [{ m: { $all: ['u5'] } }, ''],
    [{ m: 'u5', topic: 't5', level: { $gte: 5 } }, '-lm'],
  ] as const) {
    const lines = plan(JSON.stringify(where), sort, viewer);
    assertIndexed(lines);
    assert.match(lines[0]!, /^SEARCH d USING COVERING INDEX conversation_members_client \(app_id=\? AND client_id=\?/, lines.join('\n'));
  }
  const listing = plan(null, '', viewer);
  assertIndexed(listing);
  assert.match(listing[0]!, /^SEARCH c USING INDEX conversations_lm \(app_id=\?\)/);
  // Its own conversations and the chat rooms, nobody else's.
  const visible = await store.findConversations({ appId: 'app', where: null, sort: [], limit: 5000, skip: 0, viewer });
  const expected = ids.filter((_, n) => n % 10 === 0 || n % USERS === 5 || (n * 7 + 3) % USERS === 5);
  assert.deepEqual(visible.map((c) => c.id).sort(), expected.sort());
});

test('a malformed query gets 4310 with a reason that names the problem', async () => {
  const server = await startTestServer();
  const client = await RawClient.connect(server.wsUrl);
  try {
    await client.login(TEST_APP.appId, 'querier');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ where: { data: '{"name": ' } }, /where is not valid JSON/],
      [{ where: { data: '["name"]' } }, /where must be a JSON object/],
      [{ where: { data: '{"name":{"$bogus":1}}' } }, /unknown operator "\$bogus" on name/],
      [{ where: { data: '{"m":{"$size":"two"}}' } }, /\$size on m needs a non-negative integer/],
      [{ where: { data: '{"lm":{"$gt":{"__type":"Date","iso":"yesterday"}}}' } }, /invalid date/],
      [{ where: { data: '{"name":{"$regex":"(unclosed"}}' } }, /bad \$regex on name/],
      [{ where: { data: '{"m.x":1}' } }, /m has no sub-fields/],
      [{ sort: 'name;drop' }, /invalid field name "name;drop" in sort/],
    ];
    for (const [convMessage, reason] of cases) {
      const reply = await client.request({ cmd: CommandType.conv, op: OpType.query, convMessage });
      assert.equal(reply.errorMessage?.code, 4310, JSON.stringify(convMessage));
      assert.equal(reply.errorMessage?.reason, 'CONVERSATION_QUERY_FAILED');
      assert.match(reply.errorMessage?.detail ?? '', reason);
    }
  } finally {
    client.close();
    await server.stop();
  }
});
