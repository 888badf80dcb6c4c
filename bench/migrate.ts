/**
 * `npm run bench:migrate`: `lc-chat migrate` at the size, a SQLite
 * store of 100,000 messages in 1,000 conversations (seeded by
 * bench/seed.ts) into an empty PostgreSQL database: the time to copy and
 * the time to verify.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToPostgres } from '../src/server/store/migrate/migrate-to-postgres.js';
import { openStore } from '../src/server/store/open-store.js';
import { TEST_APP } from '../test/helpers/server.js';
import { seedSqlite, type SeedSize } from './seed.js';

const SIZE: SeedSize = { conversations: 1000, messagesPerConversation: 100, users: 100 };
const ADMIN_URL = process.env.LC_BENCH_PG ?? 'postgres://root@127.0.0.1:5432/postgres';

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const database = `lc_bench_migrate_${randomBytes(4).toString('hex')}`;
const url = new URL(ADMIN_URL);
url.pathname = `/${database}`;
const dir = mkdtempSync(join(tmpdir(), 'lc-chat-bench-migrate-'));
try {
  await admin.query(`CREATE DATABASE ${database}`);
  const file = join(dir, 'lc-chat.db');
  await (await openStore({ storeLocation: { kind: 'sqlite', file }, durability: 'process' })).close();
  seedSqlite(file, TEST_APP.appId, SIZE);
  const started = performance.now();
  let copied = 0;
  const result = await migrateToPostgres({
    from: file,
    to: url.href,
    prepareTarget: async (target) => (await openStore({ storeLocation: { kind: 'postgres', url: target }, durability: 'process' })).close(),
    log: () => {},
    onConversation: () => {
      if (copied === 0) copied = performance.now();
    },
  });
  const total = (performance.now() - started) / 1000;
  const copySeconds = (copied - started) / 1000;
  const messages = result.tables.find((table) => table.name === 'messages')!.target;
  console.log(
    `lc-chat migrate: ${messages.toLocaleString('en-US')} messages in ${result.conversations.length.toLocaleString('en-US')} conversations: ` +
      `copied in ${copySeconds.toFixed(1)} s, verified in ${(total - copySeconds).toFixed(1)} s, ${total.toFixed(1)} s in all (${result.ok ? 'identical' : 'DIFFERS'})`,
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
