/**
 * Each store behind one small interface, so that the store contract
 * (store-contract.test.ts) runs the same cases against SQLite and
 * PostgreSQL: where a store lives, opening it, and reading its tables
 * through a connection of its own, as another process would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore } from '../../src/server/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/server/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/server/store/types.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface StoreHarness {
  kind: 'sqlite' | 'postgres';
  /** Reads see the tables at once, before the event loop turns (SQLite); PostgreSQL's reads are asynchronous. */
  readsSynchronously: boolean;
  setUp(): Promise<void>;
  /** Removes every location `fresh` made. */
  tearDown(): Promise<void>;
  /** A new, empty place for a store: a file path, or a database URL. */
  fresh(): Promise<string>;
  open(location: string): Promise<Store>;
  /** Runs `sql` (with `?` placeholders) through a separate connection. */
  rows<T>(location: string, sql: string, ...params: unknown[]): Promise<T[]>;
  /** The `n` of a `SELECT count(…) AS n` query. */
  count(location: string, sql: string, ...params: unknown[]): Promise<number>;
}

function sqliteHarness(): StoreHarness {
  let dir = '';
  let files = 0;
  const harness: StoreHarness = {
    kind: 'sqlite',
    readsSynchronously: true,
    async setUp() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-chat-store-'));
    },
    async tearDown() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
    // A directory that does not exist yet: opening creates it.
    fresh: async () => path.join(dir, `db-${++files}`, 'chat.sqlite'),
    open: async (file) => openSqliteStore({ file }),
    async rows<T>(file: string, sql: string, ...params: unknown[]) {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    count: async (file, sql, ...params) => (await harness.rows<{ n: number }>(file, sql, ...params))[0]!.n,
  };
  return harness;
}

/** Integers as numbers, as the store reads them. */
const NUMERIC_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 || oid === 1700 ? (text: string) => Number(text) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

function postgresHarness(): StoreHarness {
  const databases: TestDatabase[] = [];
  const harness: StoreHarness = {
    kind: 'postgres',
    readsSynchronously: false,
    async setUp() {},
    async tearDown() {
      await Promise.all(databases.splice(0).map((database) => database.drop()));
    },
    async fresh() {
      const database = await createTestDatabase();
      databases.push(database);
      return database.url;
    },
    open: (url) => openPostgresStore({ url }),
    async rows<T>(url: string, sql: string, ...params: unknown[]) {
      let index = 0;
      const client = new pg.Client({ connectionString: url, types: NUMERIC_TYPES });
      await client.connect();
      try {
        return (await client.query(sql.replace(/\?/g, () => `$${++index}`), params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    count: async (url, sql, ...params) => (await harness.rows<{ n: number }>(url, sql, ...params))[0]!.n,
  };
  return harness;
}

export const STORE_HARNESSES: readonly StoreHarness[] = [sqliteHarness(), postgresHarness()];
