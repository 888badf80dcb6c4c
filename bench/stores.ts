/**
 * `npm run bench:stores`: SQLite and PostgreSQL side by side, each behind
 * `lc-chat serve` as its own process, in the same run.
 *
 * For each store: a store seeded with 10,000 conversations and 1,000,000
 * messages (bench/seed.ts); history and conversation-query latency over
 * it; then persisted messages acked per second with 50 clients × 50 in
 * flight, and per CPU-second. CPU is read from /proc/<pid>/stat (utime +
 * stime) before and after the run: the server process (which holds SQLite
 * itself), and for PostgreSQL the backends serving this database (their
 * pids from pg_stat_activity) plus the cluster's WAL writer, checkpointer
 * and background writer, which are shared with anything else using the
 * cluster during the run and so are an upper bound.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CommandType, messages } from '../src/protocol/codec.js';
import { openStore } from '../src/server/store/open-store.js';
import type { StoreLocation } from '../src/server/store/store-location.js';
import { TEST_APP } from '../test/helpers/server.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { clientsFor, cpuSeconds, ms, percentiles, persistedAcks, queryLatency, rate, typicalQueries } from './lib.js';
import { seedPostgres, seedSqlite, type SeedSize } from './seed.js';

const SIZE: SeedSize = { conversations: 10_000, messagesPerConversation: 100, users: 500 };
const THROUGHPUT = { clients: 50, messagesPerClient: 1000, inFlight: 50 };
const SAMPLES = 200;
const ADMIN_URL = process.env.LC_BENCH_PG ?? 'postgres://root@127.0.0.1:5432/postgres';
/** The postgres processes working for a database: its backends, and the cluster's shared writers. */
async function postgresPids(admin: pg.Client, database: string): Promise<{ backends: number[]; shared: number[] }> {
  const { rows } = await admin.query<{ pid: number; datname: string | null; backend_type: string }>(
    `SELECT pid, datname, backend_type FROM pg_stat_activity WHERE pid <> pg_backend_pid()`,
  );
  return {
    backends: rows.filter((row) => row.datname === database && row.backend_type === 'client backend').map((row) => row.pid),
    shared: rows.filter((row) => ['walwriter', 'checkpointer', 'background writer'].includes(row.backend_type)).map((row) => row.pid),
  };
}

interface StoreRun {
  label: string;
  location: StoreLocation;
  /** The PostgreSQL database's name, for its backends' CPU. */
  database?: string;
  seed(): Promise<void>;
}

async function historyLatency(server: ServerProcess) {
  const [owner] = await clientsFor(server, ['bench-owner']);
  const cid = () => Math.floor(Math.random() * SIZE.conversations).toString(16).padStart(24, '0');
  const newest: number[] = [];
  const older: number[] = [];
  for (let n = 0; n < SAMPLES; n++) {
    let started = performance.now();
    const reply = await owner!.request({ cmd: CommandType.logs, logsMessage: { cid: cid(), l: 20 } });
    newest.push(performance.now() - started);
    if ((reply.logsMessage?.logs?.length ?? 0) !== 20) throw new Error(`history: ${reply.errorMessage?.reason ?? 'short page'}`);
    started = performance.now();
    const page = await owner!.request({
      cmd: CommandType.logs,
      logsMessage: { cid: cid(), l: 20, t: Date.UTC(2026, 0, 1) + 50 * 1000, direction: messages.LogsCommand.QueryDirection.OLD },
    });
    older.push(performance.now() - started);
    if (page.cmd === CommandType.error) throw new Error(`history: ${page.errorMessage?.reason}`);
  }
  owner!.close();
  return { newest: percentiles(newest), older: percentiles(older) };
}

async function measure(run: StoreRun, dataDir: string, admin: pg.Client) {
  // The store's own migrations make the schema; the seed then fills it.
  await (await openStore({ storeLocation: run.location, durability: 'process' })).close();
  const started = performance.now();
  await run.seed();
  const seedSeconds = (performance.now() - started) / 1000;
  const server = await startServerProcess(dataDir, 0, [
    '--store', run.location.kind === 'sqlite' ? `sqlite:${run.location.file}` : run.location.url,
    // Latency is what is measured: on a machine this loaded a query can pass the 50 ms refusal
    // budget, which would end the run instead of showing in the p99.
    '--conversations-per-minute', '1000000', '--max-query-ms-per-minute', '60000', '--max-query-ms', '10000',
  ]);
  try {
    const history = await historyLatency(server);
    const [client] = await clientsFor(server, ['bench-owner']);
    const queries = await queryLatency(client!, typicalQueries('bench-u', SIZE.users, SIZE.conversations), SAMPLES);
    client!.close();
    // Warm up in the measured shape: the pool's connections and their backends exist, and V8 has
    // optimized the append path (with a 1,000-message warm-up its compiler threads were still
    // 19 % of the server's CPU during the run), so the run measures the steady state.
    await persistedAcks(server, { clients: THROUGHPUT.clients, messagesPerClient: 100, inFlight: THROUGHPUT.inFlight, prefix: 'warm' });
    // CPU is read from the first send on: the 50 logins and conversation starts before it are not persisted messages.
    let before: { backends: number[]; shared: number[] } = { backends: [], shared: [] };
    let cpuBefore = new Map<number, number>();
    let generatorBefore = process.cpuUsage();
    let walBefore = '0/0';
    const acks = await persistedAcks(server, THROUGHPUT, async () => {
      if (run.database) {
        before = await postgresPids(admin, run.database);
        walBefore = (await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
      }
      cpuBefore = new Map([server.child.pid!, ...before.backends, ...before.shared].map((pid) => [pid, cpuSeconds(pid)]));
      generatorBefore = process.cpuUsage();
    });
    const generator = process.cpuUsage(generatorBefore);
    const generatorCpu = (generator.user + generator.system) / 1e6;
    const seconds = acks.seconds;
    // WAL the cluster wrote during the run (shared with anything else writing meanwhile: an upper bound).
    const walBytes = run.database
      ? Number((await admin.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS bytes', [walBefore])).rows[0]!.bytes)
      : 0;
    const after = run.database ? await postgresPids(admin, run.database) : { backends: [], shared: [] };
    const used = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid) - (cpuBefore.get(pid) ?? 0), 0);
    const serverCpu = used([server.child.pid!]);
    const databaseCpu = used([...new Set([...before.backends, ...after.backends])]);
    const sharedCpu = used([...new Set([...before.shared, ...after.shared])]);
    return { seedSeconds, history, queries, acks: acks.total, seconds, serverCpu, databaseCpu, sharedCpu, generatorCpu, walBytes };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const settings = await admin.query<{ name: string; setting: string }>(`SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'shared_buffers')`);
  console.log(`lc-chat store bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; SQLite durability=process; PostgreSQL ${settings.rows.map((row) => `${row.name}=${row.setting}`).join(', ')}`);
  console.log(`seed: ${SIZE.conversations.toLocaleString('en-US')} conversations, ${(SIZE.conversations * SIZE.messagesPerConversation).toLocaleString('en-US')} messages; load: ${THROUGHPUT.clients} clients × ${THROUGHPUT.inFlight} in flight, ${(THROUGHPUT.clients * THROUGHPUT.messagesPerClient).toLocaleString('en-US')} messages`);
  const database = `lc_bench_${randomBytes(4).toString('hex')}`;
  const pgUrl = new URL(ADMIN_URL);
  pgUrl.pathname = `/${database}`;
  const dirs: string[] = [];
  try {
    await admin.query(`CREATE DATABASE ${database}`);
    const sqliteDir = mkdtempSync(join(tmpdir(), 'lc-chat-bench-sqlite-'));
    const postgresDir = mkdtempSync(join(tmpdir(), 'lc-chat-bench-pg-'));
    dirs.push(sqliteDir, postgresDir);
    const sqliteFile = join(sqliteDir, 'lc-chat.db');
    const runs: [StoreRun, string][] = [
      [{ label: 'SQLite', location: { kind: 'sqlite', file: sqliteFile }, seed: async () => seedSqlite(sqliteFile, TEST_APP.appId, SIZE) }, sqliteDir],
      [{ label: 'PostgreSQL', location: { kind: 'postgres', url: pgUrl.href }, database, seed: () => seedPostgres(pgUrl.href, TEST_APP.appId, SIZE) }, postgresDir],
    ];
    // LC_BENCH_STORES=postgres (or sqlite) runs one store alone: an A/B of one store's change in half the time.
    const only = process.env.LC_BENCH_STORES?.toLowerCase();
    for (const [run, dir] of runs.filter(([run]) => !only || run.label.toLowerCase().startsWith(only))) {
      const result = await measure(run, dir, admin);
      const cpu = result.serverCpu + result.databaseCpu + result.sharedCpu;
      const label = run.label.padEnd(10);
      console.log(`${label} seeded in ${result.seedSeconds.toFixed(1)} s`);
      console.log(
        `${label} persisted messages acked: ${rate(result.acks / result.seconds)}/s, ${rate(result.acks / cpu)} per CPU-second` +
          `  (${result.seconds.toFixed(2)} s; CPU: server ${result.serverCpu.toFixed(2)} s` +
          (run.database ? `, database backends ${result.databaseCpu.toFixed(2)} s, shared WAL/checkpoint/bg writers ${result.sharedCpu.toFixed(2)} s` : '') +
          `; the load generator, this process, ${result.generatorCpu.toFixed(2)} s, not counted)`,
      );
      if (run.database) {
        const perMessage = (seconds: number) => `${((seconds / result.acks) * 1e6).toFixed(1)} µs`;
        console.log(
          `${label} per message: server ${perMessage(result.serverCpu)}, database backends ${perMessage(result.databaseCpu)}, ` +
            `shared writers ${perMessage(result.sharedCpu)}; WAL ${Math.round(result.walBytes / result.acks)} bytes`,
        );
      }
      console.log(`${label} history, newest 20: p50 ${ms(result.history.newest.p50)}, p99 ${ms(result.history.newest.p99)}; 20 before a time: p50 ${ms(result.history.older.p50)}, p99 ${ms(result.history.older.p99)}`);
      for (const [kind, q] of Object.entries(result.queries)) console.log(`${label} query, ${kind}: p50 ${ms(q.p50)}, p99 ${ms(q.p99)}`);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin.end();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
