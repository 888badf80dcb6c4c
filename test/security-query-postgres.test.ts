/**
 * The per-client query time quota (`maxQueryMsPerMinute`) on PostgreSQL.
 * There a query's work is the database's, done after the store call
 * returned its promise: the quota must count it, or a client looping
 * expensive queries would keep the database busy without ever being
 * refused.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from './helpers/postgres.js';
import { RawClient } from './helpers/raw-client.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const ROOMS = 20_000;
const QUOTA_MS_PER_MINUTE = 40;

let database: TestDatabase;
let server: TestServer;
const clients: RawClient[] = [];

before(async () => {
  database = await createTestDatabase();
  server = await startTestServer({ storeLocation: { kind: 'postgres', url: database.url }, maxQueryMs: 10_000, maxQueryMsPerMinute: QUOTA_MS_PER_MINUTE });
  // Chat rooms, which every client may find: a regex over their names scans them all.
  await queryDatabase(
    database.url,
    `INSERT INTO conversations (app_id, id, name, creator, members, muted, tr, sys, is_unique, attrs, created_at, updated_at, last_seq)
     SELECT $1, lpad(to_hex(c), 24, '0'), 'room ' || c || ' ' || repeat('ab', 20), 'seed', '[]', '[]', 1, 0, 0, '{}'::jsonb, c, c, 0
       FROM generate_series(1, ${ROOMS}) AS c`,
    [server.appId],
  );
  await queryDatabase(database.url, 'ANALYZE');
});

after(async () => {
  for (const client of clients) client.close();
  await server?.stop();
  await database?.drop();
});

test('on PostgreSQL, a client looping scans of every chat room is refused once over its query time per minute', async (t) => {
  const client = await RawClient.connect(server.wsUrl);
  clients.push(client);
  await client.login(server.appId, 'pg-quota-scanner');
  const where = JSON.stringify({ name: { $regex: '(a|b)+x' }, tr: true });
  let answered = 0;
  let overQuota: string | undefined;
  for (let n = 0; n < 30 && overQuota === undefined; n++) {
    const reply = await client.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { where: { data: where }, limit: 10 } }, 30_000);
    if (reply.errorMessage) {
      assert.equal(reply.errorMessage.reason, 'CONVERSATION_QUERY_FAILED', reply.errorMessage.detail ?? '');
      assert.match(reply.errorMessage.detail ?? '', new RegExp(`over ${QUOTA_MS_PER_MINUTE} ms of query time per minute`));
      overQuota = reply.errorMessage.detail ?? '';
    } else {
      assert.equal(reply.cmd, CommandType.conv);
      answered += 1;
    }
  }
  t.diagnostic(`${answered} scans answered before the refusal: ${overQuota}`);
  assert.ok(overQuota !== undefined, `30 scans of ${ROOMS} rooms each were answered: the quota did not count the database's time`);
  assert.ok(answered >= 1, 'the first scan is within the quota');
});
