/**
 * The SQLite side of `lc-chat migrate`: a deployment's file opened
 * read-only, its tables in an order that satisfies their foreign keys,
 * read in pages by primary key.
 */
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../sqlite/schema.js';

/** A value as better-sqlite3 returns it. */
export type SqliteValue = string | number | bigint | Buffer | null;
export type SqliteRow = Record<string, SqliteValue>;

export interface SourceTable {
  name: string;
  /** Stored columns (generated ones left out: the target computes its own). */
  columns: string[];
  /** Primary-key columns in key order: the order pages are read and resumed in. */
  key: string[];
}

/**
 * The tables copied, parents before children. The copy refuses a source
 * with a table not named here, so a table added by a later SQLite
 * migration cannot be silently left behind.
 */
export const COPY_ORDER = [
  'apps',
  'conversations',
  'conversation_members',
  'messages',
  'conversation_blocklist',
  'conversation_shutup',
  'notification_events',
  'notification_recipients',
  'notification_cursors',
  'revoked_logins',
  // Web Push (issue 17): the deployment's key pair and its browsers' subscriptions.
  'vapid_keys',
  'push_subscriptions',
] as const;

export class SqliteSource {
  readonly db: Database.Database;
  readonly tables: SourceTable[];
  private readonly pages = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) {
      this.db.close();
      throw new Error(`${file}: SQLite schema version ${version}, this lc-chat reads version ${SCHEMA_VERSION}: ${version < SCHEMA_VERSION ? 'start a server on it once to upgrade it' : 'use the lc-chat that wrote it'}`);
    }
    const present = (this.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]).sort();
    const unknown = present.filter((name) => !(COPY_ORDER as readonly string[]).includes(name));
    if (unknown.length > 0) {
      this.db.close();
      throw new Error(`${file}: tables this migrate does not know how to copy: ${unknown.join(', ')}`);
    }
    this.tables = COPY_ORDER.filter((name) => present.includes(name)).map((name) => this.describe(name));
    // One read transaction for the whole run: every table is read from the same snapshot.
    this.db.exec('BEGIN');
  }

  private describe(name: string): SourceTable {
    const info = this.db.pragma(`table_xinfo(${name})`) as { name: string; pk: number; hidden: number }[];
    const columns = info.filter((column) => column.hidden === 0).map((column) => column.name);
    const key = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
    if (key.length === 0) throw new Error(`${this.file}: table ${name} has no primary key`);
    return { name, columns, key };
  }

  /** Rows after `after` (a key tuple, or null from the start) in key order. */
  page(table: SourceTable, after: SqliteValue[] | null, limit: number): SqliteRow[] {
    const cacheKey = `${table.name}:${after === null ? 'first' : 'next'}`;
    let statement = this.pages.get(cacheKey);
    if (!statement) {
      const keyList = table.key.map(quote).join(', ');
      const where = after === null ? '' : `WHERE (${keyList}) > (${table.key.map(() => '?').join(', ')})`;
      statement = this.db.prepare(`SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)} ${where} ORDER BY ${keyList} LIMIT ?`);
      this.pages.set(cacheKey, statement);
    }
    return statement.all(...(after ?? []), limit) as SqliteRow[];
  }

  count(table: string): number {
    return this.db.prepare(`SELECT count(*) FROM ${quote(table)}`).pluck().get() as number;
  }

  /** Rows of `table` whose `where` columns equal the values, in key order. */
  rowsWhere(table: SourceTable, where: Record<string, SqliteValue>, afterColumn?: { name: string; value: number; limit: number }): SqliteRow[] {
    const names = Object.keys(where);
    const conditions = names.map((name) => `${quote(name)} = ?`);
    const values: SqliteValue[] = names.map((name) => where[name]!);
    let tail = '';
    if (afterColumn) {
      conditions.push(`${quote(afterColumn.name)} > ?`);
      values.push(afterColumn.value);
      tail = ` LIMIT ${afterColumn.limit}`;
    }
    return this.db
      .prepare(`SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)} WHERE ${conditions.join(' AND ')} ORDER BY ${table.key.map(quote).join(', ')}${tail}`)
      .all(...values) as SqliteRow[];
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}

/** A double-quoted SQL identifier (the same syntax in SQLite and PostgreSQL). */
export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
