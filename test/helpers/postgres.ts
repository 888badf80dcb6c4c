/**
 * A fresh PostgreSQL database per test (design.md §7): created on the
 * machine's server (127.0.0.1:5432, trust auth) under a random name and
 * dropped afterwards, so runs never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_HOST = process.env.LC_TEST_PGHOST ?? '127.0.0.1';
export const POSTGRES_PORT = Number(process.env.LC_TEST_PGPORT ?? 5432);

/** Superusers the machines have; the first that logs in is used. */
const ADMIN_USERS = ['postgres', 'root'];

export interface TestDatabase {
  name: string;
  /** `postgres://user@127.0.0.1:5432/<name>` */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

let adminUser: string | undefined;

async function adminClient(): Promise<pg.Client> {
  let lastError: unknown;
  for (const user of adminUser ? [adminUser] : ADMIN_USERS) {
    const client = new pg.Client({ host: POSTGRES_HOST, port: POSTGRES_PORT, user, database: 'postgres' });
    try {
      await client.connect();
      adminUser = user;
      return client;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`cannot log in to PostgreSQL at ${POSTGRES_HOST}:${POSTGRES_PORT} as ${ADMIN_USERS.join(' or ')}: ${String(lastError)}`);
}

/** Creates an empty database `lc_test_<random>`. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `lc_test_${randomBytes(6).toString('hex')}`;
  const admin = await adminClient();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = `postgres://${adminUser}@${POSTGRES_HOST}:${POSTGRES_PORT}/${name}`;
  return {
    name,
    url,
    async drop() {
      const client = await adminClient();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs SQL on a test database through a connection of its own (what another process would see). */
export async function queryDatabase<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
