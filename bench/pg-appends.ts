/**
 * `npx tsx bench/pg-appends.ts`: the PostgreSQL store's appends alone, no
 * server or sockets: `appendMessages` of 50 conversations × 50 messages per
 * call, one call at a time (2,500-message batches), 50,000 to warm up, then
 * 100,000 measured. Prints the database backends' CPU per message (from
 * /proc), this process's, and the cluster's WAL bytes per message (shared
 * with anything else writing meanwhile: an upper bound). Run it from two
 * worktrees, alternated, to compare schema or append-path changes; the
 * whole bench (bench/stores.ts) mixes in the server and the load generator.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openPostgresStore } from '../src/server/store/postgres/postgres-store.js';
import type { NewMessage } from '../src/server/store/types.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { cpuSeconds } from './lib.js';

const CONVERSATIONS = 50;
const PER_CONVERSATION = 50;
const WARM_UP_CALLS = 20;
const MEASURED_CALLS = 40;

const database = await createTestDatabase();
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
try {
  const store = await openPostgresStore({ url: database.url });
  const cids: string[] = [];
  for (let k = 0; k < CONVERSATIONS; k++) {
    const created = await store.createConversation({ appId: 'app', creator: `u${k}`, members: [`u${k}`, `p${k}`], name: 'c', transient: false, system: false, unique: false, attributes: {} });
    cids.push(created.conversation.id);
  }
  let n = 0;
  const call = () =>
    store.appendMessages(
      cids.flatMap((cid, k) =>
        Array.from({ length: PER_CONVERSATION }, (): NewMessage => ({ appId: 'app', cid, from: `u${k}`, data: `m${n}`, dt: `tp-${k}-${n++}`, receipt: false, mentionPids: [], mentionAll: false })),
      ),
    );
  for (let r = 0; r < WARM_UP_CALLS; r++) await call();
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const pids = rows.map((row) => row.pid);
  const before = pids.map(cpuSeconds);
  const lsn = (await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
  const started = performance.now();
  const ownBefore = process.cpuUsage();
  for (let r = 0; r < MEASURED_CALLS; r++) await call();
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const wal = Number((await admin.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS bytes', [lsn])).rows[0]!.bytes);
  const backends = pids.reduce((sum, pid, k) => sum + cpuSeconds(pid) - before[k]!, 0);
  const messages = MEASURED_CALLS * CONVERSATIONS * PER_CONVERSATION;
  console.log(
    `PostgreSQL appends, ${CONVERSATIONS} × ${PER_CONVERSATION} per call: ${Math.round(messages / seconds).toLocaleString('en-US')} messages/s; ` +
      `per message: backends ${((backends / messages) * 1e6).toFixed(1)} µs, this process ${((own.user + own.system) / messages).toFixed(1)} µs, WAL ${Math.round(wal / messages)} bytes; ` +
      `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
  );
  await store.close();
} finally {
  await admin.end();
  await database.drop();
}
