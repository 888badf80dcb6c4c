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

/**
 * Messages are stored in `message_rows`, keyed by the conversation's
 * integer key and the seq (sqlite/schema.ts); the `messages` view gives
 * them the columns every other store has, and is what is copied.
 */
const STORAGE_TABLES: Readonly<Record<string, string>> = { message_rows: 'messages' };
/**
 * Tables of a running deployment's state, not data: a broker backlog row
 * says a live node holds publications in its memory, which a copy made
 * with every server stopped cannot hold.
 */
const NOT_COPIED: readonly string[] = ['broker_backlog'];
/** Columns that are this file's storage details, not data: not copied. */
const STORAGE_COLUMNS: Readonly<Record<string, readonly string[]>> = { conversations: ['conv_key'] };
const MESSAGE_KEY = ['app_id', 'cid', 'seq'];
/** The view's columns from its tables, for the queries that page it by key. */
const MESSAGE_COLUMNS = `c.app_id, c.id AS cid, m.rid & 4294967295 AS seq, m.id, m.from_peer, m.data, m.timestamp, m.dt, m.receipt,
  m.mention_pids, m.mention_all, m.patch_timestamp, m.lctype, m.bin`;

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
    const present = (this.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[])
      .filter((name) => !NOT_COPIED.includes(name))
      .map((name) => STORAGE_TABLES[name] ?? name)
      .sort();
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
    const local = STORAGE_COLUMNS[name] ?? [];
    const columns = info.filter((column) => column.hidden === 0 && !local.includes(column.name)).map((column) => column.name);
    // A view has no key of its own: the messages view is in (app_id, cid, seq) order by its tables' keys.
    const key = name === 'messages' ? MESSAGE_KEY : info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
    if (key.length === 0) throw new Error(`${this.file}: table ${name} has no primary key`);
    return { name, columns, key };
  }

  /** Rows after `after` (a key tuple, or null from the start) in key order. */
  page(table: SourceTable, after: SqliteValue[] | null, limit: number): SqliteRow[] {
    if (table.name === 'messages') return this.messagePage(after, limit);
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

  /**
   * Messages after (app_id, cid, seq) in that order: the rest of that
   * conversation, then the conversations after it, each one rowid range.
   * (The view, filtered and sorted by its computed columns, would be read
   * whole for every page.)
   */
  private messagePage(after: SqliteValue[] | null, limit: number): SqliteRow[] {
    const rows = after === null ? [] : this.conversationMessages(after[0]!, after[1]!, Number(after[2]), limit);
    if (rows.length >= limit) return rows;
    const next = this.statementFor(
      `messages:${after === null ? 'first' : 'next'}`,
      `SELECT ${MESSAGE_COLUMNS} FROM conversations c
       CROSS JOIN message_rows m ON m.rid >= c.conv_key * 4294967296 AND m.rid < (c.conv_key + 1) * 4294967296
       ${after === null ? '' : 'WHERE (c.app_id, c.id) > (?, ?)'} ORDER BY c.app_id, c.id, m.rid LIMIT ?`,
    );
    return rows.concat(next.all(...(after === null ? [] : [after[0], after[1]]), limit - rows.length) as SqliteRow[]);
  }

  /** A conversation's messages past `afterSeq`, in seq order, at most `limit` (-1: all). */
  private conversationMessages(appId: SqliteValue, cid: SqliteValue, afterSeq: number, limit: number): SqliteRow[] {
    const statement = this.statementFor(
      'messages:conversation',
      `SELECT ${MESSAGE_COLUMNS} FROM conversations c
       JOIN message_rows m ON m.rid > c.conv_key * 4294967296 + ? AND m.rid < (c.conv_key + 1) * 4294967296
       WHERE c.app_id = ? AND c.id = ? ORDER BY m.rid LIMIT ?`,
    );
    return statement.all(afterSeq, appId, cid, limit) as SqliteRow[];
  }

  private statementFor(key: string, sql: string): Database.Statement {
    let statement = this.pages.get(key);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.pages.set(key, statement);
    }
    return statement;
  }

  count(table: string): number {
    return this.db.prepare(`SELECT count(*) FROM ${quote(table)}`).pluck().get() as number;
  }

  /** Rows of `table` whose `where` columns equal the values, in key order. */
  rowsWhere(table: SourceTable, where: Record<string, SqliteValue>, afterColumn?: { name: string; value: number; limit: number }): SqliteRow[] {
    if (table.name === 'messages' && Object.keys(where).sort().join() === 'app_id,cid' && (afterColumn === undefined || afterColumn.name === 'seq')) {
      return this.conversationMessages(where.app_id!, where.cid!, afterColumn?.value ?? 0, afterColumn?.limit ?? -1);
    }
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
