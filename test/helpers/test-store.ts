/**
 * Which store the server tests run on. `LC_TEST_STORE=postgres` runs the
 * acceptance tests that start servers through test/helpers/server.ts or
 * server-process.ts on PostgreSQL, each server on a throw-away database;
 * unset, they run on SQLite as before.
 */
import { after } from 'node:test';
import type { StoreLocation } from '../../src/server/store/store-location.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export type TestStoreKind = 'sqlite' | 'postgres';

/**
 * The time one conversation query may run (`maxQueryMs`, 50 ms by default)
 * on a PostgreSQL test server whose test does not set its own. PostgreSQL
 * bounds it with `statement_timeout`: wall time, which counts the backend's
 * wait for a CPU. At load 15-20 on two cores a lookup of one conversation by
 * id took longer than 50 ms and was refused (CONVERSATION_QUERY_FAILED, then
 * refused again for 5 s as too costly), failing official-conversations,
 * official-roles and cluster-faults, which are not about that bound.
 * The tests of the bound set theirs (security-query*.test.ts,
 * security-budgets.test.ts); SQLite reads its clock only every 32 rows
 * examined, so small queries are never timed there.
 */
export const POSTGRES_TEST_MAX_QUERY_MS = 10_000;

/** The store kind chosen for this run. */
export const TEST_STORE: TestStoreKind = process.env.LC_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The databases this test file made, by the data directory of the server that uses them. */
const databases = new Map<string, Promise<TestDatabase>>();

// Registered while the test file's imports load, so it runs after the whole
// file (registered later, inside a test, it would run after that test);
// only on PostgreSQL runs, so the benches that import the helpers never touch node:test.
if (TEST_STORE === 'postgres') {
  after(async () => {
    const all = [...databases.values()];
    databases.clear();
    await Promise.all(all.map(async (database) => (await database).drop()));
  });
}

/**
 * The store for a server with this data directory: SQLite inside it, or a
 * PostgreSQL database made for it, the same one every time the same
 * directory is asked for (a restarted server finds its data), dropped when
 * the test file ends.
 */
export async function testStoreFor(dataDir: string): Promise<StoreLocation | undefined> {
  if (TEST_STORE === 'sqlite') return undefined;
  let database = databases.get(dataDir);
  if (!database) {
    database = createTestDatabase();
    databases.set(dataDir, database);
  }
  return { kind: 'postgres', url: (await database).url };
}

/** The database of a data directory now, dropped at once (a test that stopped its server). */
export async function dropTestStore(dataDir: string): Promise<void> {
  const database = databases.get(dataDir);
  databases.delete(dataDir);
  if (database) await (await database).drop();
}
