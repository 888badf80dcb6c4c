/**
 * PostgreSQL-only behaviour: schema versions, start-up errors, several
 * stores (as several server processes would hold, each its own pool) racing
 * on one database, a database that drops connections or goes away while
 * running, and the $regex translation. The Store contract itself runs on
 * PostgreSQL in store-contract.test.ts.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '../src/protocol/errors.js';
import { translateRegex } from '../src/server/query/regex.js';
import { openPostgresStore, type PostgresStore } from '../src/server/store/postgres/postgres-store.js';
import { arrayLiteral } from '../src/server/store/postgres/appends.js';
import { toPostgresRegex } from '../src/server/store/postgres/regexp.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/server/store/postgres/schema.js';
import type { AppendResult, MemberEvents, NewConversation, NewMessage } from '../src/server/store/types.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from './helpers/postgres.js';

const databases: TestDatabase[] = [];
after(() => Promise.all(databases.map((database) => database.drop())));

async function freshDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  return database;
}

/** `count` stores on one new database, each with its own pool: what `count` server processes hold. */
async function storesOnOneDatabase(count: number): Promise<{ database: TestDatabase; stores: PostgresStore[] }> {
  const database = await freshDatabase();
  // Opened at once: the migration runs once, the others wait on its lock.
  const stores = await Promise.all(Array.from({ length: count }, () => openPostgresStore({ url: database.url, maxConnections: 4 })));
  return { database, stores };
}

function conversationInput(overrides: Partial<NewConversation> = {}): NewConversation {
  return { appId: 'app', creator: 'alice', members: ['alice', 'bob'], name: 'chat', transient: false, system: false, unique: false, attributes: {}, ...overrides };
}

function messageInput(cid: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return { appId: 'app', cid, from: 'alice', data: 'hello', dt: null, receipt: false, mentionPids: [], mentionAll: false, ...overrides };
}

const count = async (url: string, sql: string, values: unknown[] = []): Promise<number> =>
  Number((await queryDatabase<{ n: string }>(url, sql, values))[0]!.n);

test('the schema version is recorded; a database from a newer server version is refused with a clear message', async () => {
  const database = await freshDatabase();
  await (await openPostgresStore({ url: database.url })).close();
  assert.deepEqual(await queryDatabase(database.url, 'SELECT version FROM lc_schema_version'), [{ version: SCHEMA_VERSION }]);
  // Opening again migrates nothing and keeps the data.
  const again = await openPostgresStore({ url: database.url });
  await again.putApp({ appId: 'app', appKey: 'k', masterKey: 'm', requireSignature: false, createdAt: 1 });
  await again.close();
  await queryDatabase(database.url, 'UPDATE lc_schema_version SET version = $1', [SCHEMA_VERSION + 1]);
  await assert.rejects(openPostgresStore({ url: database.url }), {
    message: `database schema version ${SCHEMA_VERSION + 1} is newer than this server's (${SCHEMA_VERSION})`,
  });
});

test('a version 4 database upgrades in place: messages keyed by conversation key, history, seqs, retries, version 3 appends and deletes carry on', async () => {
  const database = await freshDatabase();
  // The schema as the server before migration 5 left it, with its data.
  await queryDatabase(database.url, MIGRATIONS.slice(0, 4).join(';\n'));
  await queryDatabase(database.url, 'CREATE TABLE lc_schema_version (version integer NOT NULL); INSERT INTO lc_schema_version VALUES (4)');
  await queryDatabase(
    database.url,
    `INSERT INTO conversations (app_id, id, creator, members, tr, sys, is_unique, created_at, updated_at, lm, last_seq)
     VALUES ('app', 'conv-a', 'alice', '["alice","bob"]', 0, 0, 0, 1, 1, 3000, 3), ('app', 'conv-b', 'bob', '["alice","bob"]', 0, 0, 0, 2, 2, 1000, 1);
     INSERT INTO conversation_members (app_id, cid, client_id, joined_at)
     VALUES ('app', 'conv-a', 'alice', 1), ('app', 'conv-a', 'bob', 1), ('app', 'conv-b', 'alice', 2), ('app', 'conv-b', 'bob', 2);
     INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, dt, receipt)
     VALUES ('app', 'conv-a', 1, 'a1', 'alice', 'one', 1000, 'd1', 0), ('app', 'conv-a', 2, 'a2', 'alice', 'two', 2000, 'd2', 0),
            ('app', 'conv-a', 3, 'a3', 'bob', 'three', 3000, NULL, 0), ('app', 'conv-b', 1, 'b1', 'bob', 'bee', 1000, 'd1', 0)`,
  );
  const store = await openPostgresStore({ url: database.url });
  try {
    assert.deepEqual(await queryDatabase(database.url, 'SELECT version FROM lc_schema_version'), [{ version: SCHEMA_VERSION }]);
    const [key] = await queryDatabase<{ indexdef: string }>(database.url, `SELECT indexdef FROM pg_indexes WHERE indexname = 'messages_pkey'`);
    assert.match(key!.indexdef, /\(conv_key, seq\)/);
    // Every old message is reachable by its conversation, in order, and by time.
    const history = await store.queryMessages({ appId: 'app', cid: 'conv-a', limit: 10, direction: 'old' });
    assert.deepEqual(history.map((m) => [m.id, m.seq]), [['a1', 1], ['a2', 2], ['a3', 3]]);
    const beforeTime = await store.queryMessages({ appId: 'app', cid: 'conv-a', limit: 10, direction: 'old', start: { timestamp: 2500, inclusive: false } });
    assert.deepEqual(beforeTime.map((m) => m.id), ['a1', 'a2']);
    // Appends continue the seqs; a retry of a message stored before the upgrade gets it back.
    const next = await store.appendMessage(messageInput('conv-a', { dt: 'd4' }));
    assert.equal(next.message.seq, 4);
    const retry = await store.appendMessage(messageInput('conv-a', { dt: 'd2', data: 'two again' }));
    assert.deepEqual([retry.duplicate, retry.message.id, retry.message.seq, retry.message.data], [true, 'a2', 2, 'two']);
    // A server of version 3 still running during the upgrade appends through lc_append_messages.
    const [head] = await queryDatabase<{ kind: string; seq: string }>(
      database.url,
      `SELECT kind, seq FROM lc_append_messages(ARRAY['app'], ARRAY['conv-b'], ARRAY[1], ARRAY[1], ARRAY['b2'], ARRAY['alice'], ARRAY['bee two'], ARRAY['d2'],
         ARRAY[0]::smallint[], ARRAY['[]'], ARRAY[0]::smallint[], ARRAY[NULL]::integer[], ARRAY[0]::smallint[],
         ARRAY['app'], ARRAY['conv-b'], ARRAY[1], ARRAY[1], ARRAY[0], ARRAY[1], ARRAY['alice'], ARRAY[1], ARRAY[0], 5000)`,
    );
    assert.deepEqual([head!.kind, Number(head!.seq)], ['head', 1]);
    const b = await store.queryMessages({ appId: 'app', cid: 'conv-b', limit: 10, direction: 'old' });
    assert.deepEqual(b.map((m) => [m.id, m.seq]), [['b1', 1], ['b2', 2]]);
    // A message inserted without its key (ad-hoc SQL, lc-chat migrate) takes its conversation's; none for a missing conversation.
    await queryDatabase(database.url, `INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, receipt) VALUES ('app', 'conv-b', 3, 'b3', 'bob', 'x', 6000, 0)`);
    assert.equal((await store.queryMessages({ appId: 'app', cid: 'conv-b', limit: 10, direction: 'new', start: { timestamp: 5000, messageId: 'b2', inclusive: false } }))[0]?.id, 'b3');
    await assert.rejects(
      queryDatabase(database.url, `INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, receipt) VALUES ('app', 'nope', 1, 'n1', 'bob', 'x', 6000, 0)`),
      /no conversation nope/,
    );
    // Deleting a conversation takes its messages, and only its.
    assert.equal(await store.deleteConversation('app', 'conv-a'), true);
    assert.equal(await count(database.url, `SELECT count(*) AS n FROM messages WHERE cid = 'conv-a'`), 0);
    assert.equal(await count(database.url, `SELECT count(*) AS n FROM messages WHERE cid = 'conv-b'`), 3);
  } finally {
    await store.close();
  }
});

test('start-up errors are one clear line: bad URL, unknown user, missing database, nothing listening', async () => {
  const database = await freshDatabase();
  const url = new URL(database.url);
  await assert.rejects(openPostgresStore({ url: 'not a url' }), /^Error: invalid PostgreSQL URL/);
  await assert.rejects(openPostgresStore({ url: 'mysql://root@127.0.0.1/x' }), /invalid PostgreSQL URL: the scheme must be postgres:\/\//);
  const unknownUser = new URL(url);
  unknownUser.username = 'no_such_user_lc';
  unknownUser.password = 'secret-password';
  await assert.rejects(openPostgresStore({ url: unknownUser.toString() }), (error: Error) => {
    assert.match(error.message, /refused the login: .*no_such_user_lc/);
    // The password is never printed.
    assert.doesNotMatch(error.message, /secret-password/);
    assert.match(error.message, /\*\*\*/);
    return true;
  });
  const missing = new URL(url);
  missing.pathname = '/lc_no_such_database';
  await assert.rejects(openPostgresStore({ url: missing.toString() }), /database "lc_no_such_database" does not exist/);
  const closedPort = new URL(url);
  closedPort.port = '1';
  await assert.rejects(openPostgresStore({ url: closedPort.toString(), connectTimeoutMs: 2000 }), /cannot reach PostgreSQL at .*:1\/.* \(ECONNREFUSED\): is it running\?/);
});

test('four stores appending to the same five conversations: every ack stored once, seqs 1..n without gaps, retries deduped', async () => {
  const { database, stores } = await storesOnOneDatabase(4);
  try {
    const cids: string[] = [];
    for (let i = 0; i < 5; i++) cids.push((await stores[i % 4]!.createConversation(conversationInput())).conversation.id);
    // 20 senders spread over the stores, each sending 30 messages, each sent twice (a retry with the same dt) through different stores.
    const sends: Array<Promise<AppendResult>> = [];
    for (let round = 0; round < 30; round++) {
      for (let sender = 0; sender < 20; sender++) {
        const input = messageInput(cids[(sender + round) % 5]!, { from: `client-${sender}`, dt: `dt-${sender}-${round}`, data: `${sender}:${round}` });
        sends.push(stores[sender % 4]!.appendMessage(input));
        sends.push(stores[(sender + 1) % 4]!.appendMessage(input));
      }
      if (round % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(sends);
    // Each pair: the same message, stored once, whichever came first.
    for (let i = 0; i < results.length; i += 2) {
      assert.deepEqual(results[i]!.message, results[i + 1]!.message);
      assert.equal([results[i]!.duplicate, results[i + 1]!.duplicate].filter(Boolean).length, 1);
    }
    for (const cid of cids) {
      const rows = await queryDatabase<{ seq: string }>(database.url, 'SELECT seq FROM messages WHERE cid = $1 ORDER BY seq', [cid]);
      const seqs = rows.map((row) => Number(row.seq));
      assert.equal(seqs.length, 120);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
      const conversation = (await stores[0]!.getConversation('app', cid))!;
      assert.equal(conversation.lastSeq, 120);
      const history = await stores[1]!.queryMessages({ appId: 'app', cid, limit: 1000, direction: 'old' });
      assert.deepEqual(history.map((message) => message.seq), seqs);
      // Timestamps never decrease with seq, whichever process wrote them.
      assert.deepEqual(history.map((m) => m.timestamp), history.map((m) => m.timestamp).sort((x, y) => x - y));
    }
    const acked = new Set(results.map((result) => result.message.id));
    assert.equal(acked.size, 600);
    assert.equal(await count(database.url, 'SELECT count(*) AS n FROM messages WHERE id = ANY($1)', [[...acked]]), 600);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});

test('one store, batches overlapping: seqs gapless, acks resolve in seq order, retries of stored and in-flight messages get the first', async () => {
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url });
  try {
    const cids: string[] = [];
    for (let i = 0; i < 3; i++) cids.push((await store.createConversation(conversationInput())).conversation.id);
    const stored = await Promise.all(Array.from({ length: 10 }, (_, k) => store.appendMessage(messageInput(cids[0]!, { dt: `dt-${k}` }))));
    const resolvedSeqs = new Map<string, number[]>(cids.map((cid) => [cid, []]));
    const sends: Array<{ input: NewMessage; result: Promise<AppendResult> }> = [];
    const send = (input: NewMessage) => {
      const result = store.appendMessage(input);
      void result.then((r) => r.duplicate || resolvedSeqs.get(input.cid)!.push(r.message.seq));
      sends.push({ input, result });
    };
    // A tick's messages go to one conversation, the next tick's to another, so batches overlap;
    // some repeat a stored message, some one from the tick before (likely in a batch still in flight).
    for (let tick = 0; tick < 30; tick++) {
      const cid = cids[tick % 3]!;
      for (let k = 0; k < 30; k++) {
        const from = k % 2 === 0 ? 'alice' : 'bob';
        send(messageInput(cid, { from, dt: `t${tick}-${k}`, mentionPids: k % 5 === 0 ? [from === 'alice' ? 'bob' : 'alice'] : [] }));
      }
      if (tick % 3 === 0) send(messageInput(cid, { dt: `dt-${tick % 10}` }));
      if (tick > 0) send(messageInput(cids[(tick - 1) % 3]!, { from: 'alice', dt: `t${tick - 1}-${2 * (tick % 15)}` }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(sends.map((s) => s.result));
    const firstByDt = new Map<string, AppendResult>();
    for (const [k, r] of stored.entries()) firstByDt.set(`${cids[0]}/alice/dt-${k}`, r);
    sends.forEach(({ input }, k) => {
      const key = `${input.cid}/${input.from}/${input.dt}`;
      const first = firstByDt.get(key);
      if (first) {
        assert.equal(results[k]!.duplicate, true, key);
        assert.deepEqual(results[k]!.message, first.message, key);
      } else {
        assert.equal(results[k]!.duplicate, false, key);
        firstByDt.set(key, results[k]!);
      }
    });
    for (const cid of cids) {
      // Numbered in the order they were appended.
      const appended = sends.flatMap(({ input }, k) => (input.cid === cid && !results[k]!.duplicate ? [results[k]!.message.seq] : []));
      assert.deepEqual(appended, [...appended].sort((a, b) => a - b));
      const seqs = (await queryDatabase<{ seq: string }>(database.url, 'SELECT seq FROM messages WHERE cid = $1 ORDER BY seq', [cid])).map((row) => Number(row.seq));
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
      assert.equal((await store.getConversation('app', cid))!.lastSeq, seqs.length);
      // Within a process, a conversation's new messages resolve in seq order.
      const fresh = resolvedSeqs.get(cid)!;
      assert.deepEqual(fresh, [...fresh].sort((a, b) => a - b));
      const history = await store.queryMessages({ appId: 'app', cid, limit: 1000, direction: 'old' });
      const newest = (from: string) => Math.max(0, ...history.filter((m) => m.from === from).map((m) => m.seq));
      const mentioned = (pid: string) => Math.max(0, ...history.filter((m) => m.mentionPids.includes(pid)).map((m) => m.seq));
      const members = await queryDatabase<{ client_id: string; read_seq: string; mention_seq: string }>(
        database.url, 'SELECT client_id, read_seq, mention_seq FROM conversation_members WHERE cid = $1 ORDER BY client_id', [cid]);
      assert.deepEqual(members.map((m) => [m.client_id, Number(m.read_seq), Number(m.mention_seq)]), [
        ['alice', newest('alice'), mentioned('alice')],
        ['bob', newest('bob'), mentioned('bob')],
      ]);
    }
    assert.equal(await count(database.url, 'SELECT count(*) AS n FROM messages'), new Set(results.map((r) => r.message.id)).size);
  } finally {
    await store.close();
  }
});

test('a batch that fails acks none of its appends and stores none of them; the next takes the next seq', async () => {
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url });
  try {
    const cid = (await store.createConversation(conversationInput())).conversation.id;
    assert.equal((await store.appendMessage(messageInput(cid, { id: 'taken-id' }))).message.seq, 1);
    // One tick, one batch: an id already stored (a unique violation no retry explains) fails all of it.
    const batch = await Promise.allSettled([
      store.appendMessage(messageInput(cid, { dt: 'a' })),
      store.appendMessage(messageInput(cid, { id: 'taken-id' })),
      store.appendMessage(messageInput(cid, { dt: 'b' })),
    ]);
    assert.deepEqual(batch.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
    assert.equal(await count(database.url, 'SELECT count(*) AS n FROM messages'), 1);
    assert.equal((await store.getConversation('app', cid))!.lastSeq, 1);
    const next = await store.appendMessage(messageInput(cid, { dt: 'a' }));
    assert.deepEqual([next.message.seq, next.duplicate], [2, false]);
  } finally {
    await store.close();
  }
});

test('unique conversations created at once through four stores exist once', async () => {
  const { database, stores } = await storesOnOneDatabase(4);
  try {
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stores[i % 4]!.createConversation(conversationInput({ unique: true, members: i % 2 ? ['bob', 'alice'] : ['alice', 'bob'] }))),
    );
    assert.equal(new Set(created.map((result) => result.conversation.id)).size, 1);
    assert.equal(created.filter((result) => result.created).length, 1);
    assert.equal(await count(database.url, 'SELECT count(*) AS n FROM conversations'), 1);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});

test('member changes racing through four stores stay consistent, and their events take consecutive seqs', async () => {
  const { database, stores } = await storesOnOneDatabase(4);
  try {
    const { conversation } = await stores[0]!.createConversation(conversationInput({ members: ['alice'] }));
    const cid = conversation.id;
    const events: MemberEvents = (change) => [{ recipients: change.changed, event: { op: 'joined', cid, initBy: 'alice' } }];
    const changes = [];
    for (let i = 0; i < 40; i++) {
      const store = stores[i % 4]!;
      const id = `member-${i % 10}`;
      changes.push(i % 3 === 2 ? store.removeMembers('app', cid, [id], events) : store.addMembers('app', cid, [id, `extra-${i}`], 1000, events));
    }
    const outcomes = await Promise.all(changes);
    const final = (await stores[1]!.getConversation('app', cid))!;
    const rows = await queryDatabase<{ client_id: string }>(database.url, 'SELECT client_id FROM conversation_members WHERE cid = $1 ORDER BY client_id', [cid]);
    // The member list and the member rows agree, whatever order the changes ran in.
    assert.deepEqual(final.members, rows.map((row) => row.client_id).sort());
    for (let i = 0; i < 40; i++) assert.equal(final.members.includes(`extra-${i}`), i % 3 !== 2, `extra-${i}`);
    // Every change that changed something recorded its event; seqs are consecutive and times never go back.
    const recorded = outcomes.flatMap((outcome) => outcome.notifications).sort((x, y) => x.seq - y.seq);
    assert.equal(recorded.length, outcomes.filter((outcome) => outcome.changed.length > 0).length);
    const first = recorded[0]!.seq;
    assert.deepEqual(recorded.map((event) => event.seq), recorded.map((_, i) => first + i));
    assert.deepEqual(recorded.map((event) => event.serverTs), recorded.map((event) => event.serverTs).sort((x, y) => x - y));
    assert.equal(await stores[3]!.latestNotificationSeq(), recorded.at(-1)!.seq);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});

test('connections cut by the database: calls fail, then the pool reconnects; nothing acked is lost', async () => {
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url, waitTimeoutMs: 5000 });
  try {
    const cid = (await store.createConversation(conversationInput())).conversation.id;
    const acked: string[] = [];
    const send = async (i: number): Promise<void> => {
      try {
        acked.push((await store.appendMessage(messageInput(cid, { dt: `d${i}` }))).message.id);
      } catch (error) {
        // Not a protocol error: the handlers answer INTERNAL_ERROR.
        assert.ok(!(error instanceof ProtocolError), String(error));
      }
    };
    for (let i = 0; i < 20; i++) await send(i);

    // The database refuses new connections and drops the open ones: as if it went down.
    await queryDatabase(database.url.replace(/\/[^/]+$/, '/postgres'), `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await queryDatabase(database.url.replace(/\/[^/]+$/, '/postgres'), 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database.name]);
    const whileDown = await Promise.allSettled([store.appendMessage(messageInput(cid, { dt: 'down' })), store.getConversation('app', cid)]);
    assert.deepEqual(whileDown.map((outcome) => outcome.status), ['rejected', 'rejected']);

    await queryDatabase(database.url.replace(/\/[^/]+$/, '/postgres'), `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    // Back: the same store works again, without being reopened.
    for (let i = 20; i < 40; i++) await send(i);
    assert.ok(acked.length >= 39, `acked ${acked.length}`);
    const history = await store.queryMessages({ appId: 'app', cid, limit: 1000, direction: 'old' });
    assert.deepEqual(history.map((message) => message.seq), history.map((_, i) => i + 1));
    const stored = new Set(history.map((message) => message.id));
    for (const id of acked) assert.ok(stored.has(id), id);
    // A retry of the message whose ack was lost finds it (or stores it) exactly once.
    const retry = await store.appendMessage(messageInput(cid, { dt: 'down' }));
    const again = await store.appendMessage(messageInput(cid, { dt: 'down' }));
    assert.equal(again.duplicate, true);
    assert.equal(again.message.id, retry.message.id);
  } finally {
    await queryDatabase(database.url.replace(/\/[^/]+$/, '/postgres'), `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    await store.close();
  }
});

test('$regex: the PostgreSQL translation matches what JavaScript matches', async () => {
  const database = await freshDatabase();
  const subjects = ['', 'abc', 'ABC', 'a\nb', 'a\r\nb', 'line1\nline2', 'x_y z', 'foo bar', 'Ünïcödé', '123', '١٢٣', 'tab\there', 'a.b', '[x]', 'a\\b', 'é', '😀 smile', 'back\bspace', 'a-b', 'word.'];
  const patterns: Array<[string, string]> = [
    ['^a', ''], ['c$', ''], ['^line2', ''], ['^line2', 'm'], ['line1$', 'm'], ['a.b', ''], ['a.b', 's'], ['\\d+', ''], ['\\D', ''],
    ['\\w+\\s\\w+', ''], ['\\W', ''], ['\\S\\s', ''], ['\\bbar\\b', ''], ['o\\B', ''], ['[a-c]{2,3}', ''], ['[^a-z]', ''], ['[\\d.]', ''],
    ['[^\\d\\s]', ''], ['[\\D]', ''], ['[\\W_]', ''], ['(?:ab|x)_?', ''], ['(?<first>a)b', ''], ['\\Q[x]\\E', ''], ['a\\\\b', ''], ['ünï', 'i'],
    ['^$', ''], ['\\x41', ''], ['\\u00e9', ''], ['smile$', ''], ['[\\-]', ''], ['\\.$', ''], ['\\t', ''], ['a\\nb', ''], ['^b', 'm'], ['[\\b]', ''],
  ];
  const pairs = patterns.flatMap(([pattern, options]) => {
    const { source, flags } = translateRegex(pattern, options);
    const js = new RegExp(source, flags);
    return subjects.map((subject) => ({ pattern, options, subject, expected: js.test(subject), are: toPostgresRegex(source, flags) }));
  });
  const rows = await queryDatabase<{ i: number; m: boolean }>(
    database.url,
    'SELECT i, s ~ p AS m FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(s, p, i) ORDER BY i',
    [pairs.map((pair) => pair.subject), pairs.map((pair) => pair.are)],
  );
  const wrong = pairs.filter((pair, index) => rows[index]!.m !== pair.expected);
  assert.deepEqual(wrong.map(({ pattern, options, subject, expected, are }) => ({ pattern, options, subject, expected, are })), []);
});

test('query plans: conversations of a client start from its member rows; the default order and history pages read indexes', async () => {
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url });
  await store.close();
  // 5,000 conversations of 3 members each, 1,000 clients, and a history: enough for the planner to prefer indexes.
  await queryDatabase(
    database.url,
    `INSERT INTO conversations (app_id, id, name, creator, members, tr, sys, is_unique, created_at, updated_at, lm, last_seq)
     SELECT 'app', lpad(to_hex(i), 24, '0'), 'c' || i, 'u' || (i % 1000), '[]', 0, 0, 0, i, i, CASE WHEN i % 7 = 0 THEN NULL ELSE i END, 0
     FROM generate_series(1, 5000) AS i`,
  );
  await queryDatabase(
    database.url,
    `INSERT INTO conversation_members (app_id, cid, client_id, joined_at)
     SELECT 'app', lpad(to_hex(i), 24, '0'), 'u' || ((i + k * 337) % 1000), 0 FROM generate_series(1, 5000) AS i, generate_series(0, 2) AS k
     ON CONFLICT DO NOTHING`,
  );
  await queryDatabase(
    database.url,
    `INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, receipt)
     SELECT 'app', lpad(to_hex(1 + i % 50), 24, '0'), i, 'm' || i, 'u1', 'x', i, 0 FROM generate_series(1, 20000) AS i`,
  );
  await queryDatabase(database.url, 'ANALYZE');
  const { compileConversationQuery } = await import('../src/server/store/postgres/conditions-sql.js');
  const { parseWhere } = await import('../src/server/query/where.js');
  const plan = async (sql: string, values: unknown[]): Promise<string> =>
    (await queryDatabase<{ 'QUERY PLAN': string }>(database.url, `EXPLAIN ${sql}`, values)).map((row) => row['QUERY PLAN']).join('\n');

  const members = compileConversationQuery({ appId: 'app', where: parseWhere('{"m":"u5"}'), sort: [], limit: 10, skip: 0 });
  const membersPlan = await plan(members.sql, members.params.values);
  assert.match(membersPlan, /Index (Only )?Scan using conversation_members_client on conversation_members d/, membersPlan);
  assert.doesNotMatch(membersPlan, /Seq Scan/, membersPlan);

  const recent = compileConversationQuery({ appId: 'app', where: null, sort: [], limit: 10, skip: 0 });
  const recentPlan = await plan(recent.sql, recent.params.values);
  assert.match(recentPlan, /Index Scan using conversations_lm on conversations c/, recentPlan);
  assert.doesNotMatch(recentPlan, /Seq Scan/, recentPlan);

  // The history page as queryMessages asks it: by the conversation's integer key (schema migration 5).
  const { messagesOf } = await import('../src/server/store/postgres/rows.js');
  const historyPlan = await plan(
    `SELECT seq FROM messages WHERE ${messagesOf('$1', '$2')} AND seq > $3 AND seq < $4 AND ($5::integer IS NULL OR lctype = $5) ORDER BY seq DESC LIMIT $6`,
    ['app', '1'.padStart(24, '0'), 0, Number.MAX_SAFE_INTEGER, null, 20],
  );
  assert.match(historyPlan, /Index (Only )?Scan Backward using messages_pkey on messages/, historyPlan);
});

test('text PostgreSQL cannot store (U+0000) is refused with the protocol error of the request, alone', async () => {
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url });
  try {
    const isCode = (code: number) => (error: unknown) => error instanceof ProtocolError && error.code === code;
    await assert.rejects(store.createConversation(conversationInput({ name: 'a\u0000b' })), isCode(4301));
    await assert.rejects(store.createConversation(conversationInput({ attributes: { k: 'a\u0000b' } })), isCode(4301));
    const cid = (await store.createConversation(conversationInput())).conversation.id;
    await assert.rejects(store.updateConversation('app', cid, { attributes: [{ path: ['k'], value: '\u0000' }] }), isCode(4306));
    // In a batch with others: only that append fails.
    const [bad, good] = await Promise.allSettled([
      store.appendMessage(messageInput(cid, { data: 'x\u0000' })),
      store.appendMessage(messageInput(cid, { data: 'fine' })),
    ]);
    assert.equal(bad.status, 'rejected');
    assert.ok(isCode(4114)((bad as PromiseRejectedResult).reason));
    assert.equal(good.status, 'fulfilled');
    assert.equal((await store.getConversation('app', cid))!.lastSeq, 1);
  } finally {
    await store.close();
  }
});

test('array literals: JSON-escaped text reads back as written; other escapes take the element-by-element way', () => {
  assert.equal(arrayLiteral([]), '{}');
  assert.equal(arrayLiteral([1, 0, null, -3]), '{1,0,null,-3}');
  assert.equal(arrayLiteral(['a', 'null', '', 'say "hi"', 'back\\slash']), '{"a","null","","say \\"hi\\"","back\\\\slash"}');
  // A control character or a lone surrogate: JSON would write \n or \ud800, which the literal reads as "n" or "ud800".
  assert.equal(arrayLiteral(['line\nbreak', 'x']), '{"line\nbreak","x"}');
  assert.equal(arrayLiteral(['\\n', null]), '{"\\\\n",NULL}');
});

test('a batch of awkward text (quotes, backslashes, braces, control characters, surrogates, "null") is stored and read back as sent', async () => {
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url });
  try {
    const cid = (await store.createConversation(conversationInput())).conversation.id;
    const texts = ['{"_lctype":-1,"_lctext":"a \\"quoted\\" \\\\ word"}', 'null', 'NULL', '', '{a,b}', ' spaced ', 'tab\there\r\n', '\\', '"', 'é😀\u007f', 'lone \ud800 surrogate', 'x\u0001y'];
    const outcomes = await store.appendMessages([
      ...texts.map((data, k) => messageInput(cid, { data, dt: `dt-"${k}"\\`, mentionPids: k === 2 ? ['bob', 'b"o\\b'] : [] })),
      // One message the database cannot hold fails alone, in its place.
      messageInput(cid, { data: 'bad\u0000' }),
      messageInput(cid, { data: 'after', from: 'bob' }),
    ]);
    assert.equal(outcomes.length, texts.length + 2);
    assert.ok(!outcomes[texts.length]!.ok);
    assert.ok(outcomes.every((outcome, k) => k === texts.length || outcome.ok));
    const history = await store.queryMessages({ appId: 'app', cid, limit: 100, direction: 'new' });
    const stored = [...history].sort((a, b) => a.seq - b.seq);
    // A lone surrogate cannot be UTF-8: it is stored as U+FFFD, as pg's own serializer sent it.
    assert.deepEqual(stored.map((m) => m.data), [...texts.map((text) => text.replace('\ud800', '\ufffd')), 'after']);
    assert.deepEqual(stored.map((m) => m.seq), Array.from({ length: texts.length + 1 }, (_, k) => k + 1));
    assert.deepEqual(stored[2]!.mentionPids, ['bob', 'b"o\\b']);
    assert.deepEqual(stored[0]!.mentionPids, []);
    // Retries of the whole batch: each answered with its first message, nothing stored twice.
    const again = await store.appendMessages(texts.map((data, k) => messageInput(cid, { data, dt: `dt-"${k}"\\` })));
    assert.deepEqual(again.map((outcome) => outcome.ok && outcome.result.duplicate && outcome.result.message.seq), texts.map((_, k) => k + 1));
    assert.equal((await store.getConversation('app', cid))!.lastSeq, texts.length + 1);
  } finally {
    await store.close();
  }
});

test('the query budget counts the work, not the wait: a lookup held behind a lock is answered, a long scan is refused for its time', async () => {
  const { default: pg } = await import('pg');
  const { parseWhere } = await import('../src/server/query/where.js');
  const database = await freshDatabase();
  const store = await openPostgresStore({ url: database.url });
  try {
    const { conversation } = await store.createConversation(conversationInput({ appId: 'budget' }));
    const query = (where: object, budget: { maxRows: number; maxMs: number }) =>
      store.findConversations({ appId: 'budget', where: parseWhere(JSON.stringify(where)), sort: [], limit: 10, skip: 0, budget });

    // The lookup waits 300 ms for a lock, six times its 50 ms: waiting for a lock
    // (or for a CPU on a busy database) is not the query's cost.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE');
      const lookup = query({ objectId: conversation.id }, { maxRows: 1_000, maxMs: 50 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('COMMIT');
      assert.deepEqual((await lookup).map((found) => found.id), [conversation.id]);
    } finally {
      await holder.end();
    }

    // A scan of 20,000 rows runs far past 1 ms: refused for its time, with rows to spare.
    await queryDatabase(
      database.url,
      `INSERT INTO conversations (app_id, id, name, creator, members, muted, tr, sys, is_unique, attrs, created_at, updated_at, last_seq)
       SELECT 'budget', lpad(to_hex(c), 24, '0'), 'room ' || c, 'seed', '[]', '[]', 1, 0, 0, '{}'::jsonb, c, c, 0 FROM generate_series(1, 20000) AS c`,
    );
    await assert.rejects(
      query({ name: { $regex: 'no such room' } }, { maxRows: 1_000_000, maxMs: 1 }),
      (error: unknown) => error instanceof ProtocolError && error.code === 4310 && /runs longer than 1 ms/.test(error.detail ?? ''),
    );
  } finally {
    await store.close();
  }
});
