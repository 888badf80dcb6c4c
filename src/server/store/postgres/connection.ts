/**
 * The connection pool and the transaction helper every PostgreSQL store
 * module uses. Integers come back as numbers (every stored integer is a
 * ms time or a count far below 2^53), so rows map like SQLite's.
 */
import pg from 'pg';
import { type ErrorName, ProtocolError } from '../../../protocol/errors.js';

/** What a module needs to run SQL: the pool, or a transaction's client. */
export interface Sql {
  rows<R>(text: string, values?: readonly unknown[]): Promise<R[]>;
  row<R>(text: string, values?: readonly unknown[]): Promise<R | undefined>;
  /** Runs a statement; resolves with the rows it changed. */
  run(text: string, values?: readonly unknown[]): Promise<number>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

function parseInteger(text: string): number {
  return Number(text);
}

/** Per connection, leaving pg's global parsers alone. */
export const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return parseInteger;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  url: string;
  /** Connections held at most. Default 10. */
  max?: number;
  /**
   * A call waiting this long for a connection (all busy, or the database
   * unreachable) fails. Long enough to ride out contention on a hot row:
   * it is load, not an outage. Default 30,000 ms.
   */
  waitTimeoutMs?: number;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.waitTimeoutMs ?? 30_000,
    types: TYPES,
    // A server restart closes idle connections: drop them rather than keep a dead socket.
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that breaks (the database restarted) emits here; the
  // pool discards it and the next query opens a new one. Without a listener
  // the error would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export function sqlOf(target: pg.Pool | pg.PoolClient): Sql {
  return {
    rows: async <R>(text: string, values?: readonly unknown[]) => (await target.query(text, values as unknown[])).rows as R[],
    row: async <R>(text: string, values?: readonly unknown[]) => (await target.query(text, values as unknown[])).rows[0] as R | undefined,
    run: async (text: string, values?: readonly unknown[]) => (await target.query(text, values as unknown[])).rowCount ?? 0,
  };
}

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in one READ COMMITTED transaction on one pooled connection,
 * committing when it resolves and rolling back when it throws. A deadlock or
 * serialization failure (two processes crossing) runs it again: `work` must
 * only read and write through `sql`.
 */
export async function transaction<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(sqlOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(error) ?? '')) continue;
      throw error;
    } finally {
      // A connection that could not roll back is not given to anyone else.
      client.release(broken);
    }
  }
}

/** The error's SQLSTATE, when PostgreSQL sent one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length === 5 ? code : undefined;
}

/**
 * One line saying why the database cannot be used, for a start-up failure:
 * the URL without its password, and what went wrong.
 */
export function describeConnectError(url: string, error: unknown): string {
  const where = redactUrl(url);
  const code = sqlState(error) ?? (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the login: ${message}`;
    case '3D000':
      return `PostgreSQL at ${where}: ${message}`;
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `cannot reach PostgreSQL at ${where} (${code}): is it running?`;
    default:
      return `cannot use PostgreSQL at ${where}: ${message}`;
  }
}

/** The URL without its password, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}

/** PostgreSQL refusing U+0000 in text (22021) or in JSON (22P05). */
const UNSTORABLE = new Set(['22021', '22P05']);

/**
 * `work`, with PostgreSQL's refusal of a U+0000 character (which SQLite
 * stores) turned into the protocol's `name` error: the client's input,
 * not an internal error.
 */
export async function refusingUnstorableText<T>(work: Promise<T>, name: ErrorName): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (UNSTORABLE.has(sqlState(error) ?? '')) throw ProtocolError.of(name, 'text with a U+0000 character cannot be stored');
    throw error;
  }
}
