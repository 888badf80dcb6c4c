/**
 * The PostgreSQL side of `lc-chat migrate`: the target's columns, batched
 * inserts that commit together with the copy's progress (so a run that is
 * interrupted continues where its last batch committed), and the guard
 * that refuses a database holding data of its own.
 */
import pg from 'pg';
import { quote, type SourceTable, type SqliteRow, type SqliteValue } from './sqlite-source.js';
import { toTarget, type TargetColumn } from './values.js';

/** Where one table's copy stands. */
export interface TableProgress {
  /** Key of the last row copied, or null before the first batch. */
  after: SqliteValue[] | null;
  copied: number;
  done: boolean;
}

/** A table as both sides have it: the columns copied, with the target's types. */
export interface TablePlan {
  source: SourceTable;
  columns: TargetColumn[];
  /** Columns filled by a sequence or identity, moved past the copied rows at the end. */
  sequenced: string[];
  identity: boolean;
}

const PROGRESS_TABLE = 'lc_migrate_progress';
/** PostgreSQL accepts at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;
/** Every migrate takes this advisory lock: two runs into one database would interleave their batches. */
const LOCK_KEY = 0x6c63_6d67; // 'lcmg'

/**
 * Target columns a row trigger fills from the row's other columns: messages'
 * conv_key is its conversation's key (PostgreSQL schema migration 5), which
 * the source has under another name or not at all.
 */
const FILLED_BY_TRIGGER: Readonly<Record<string, readonly string[]>> = { messages: ['conv_key'] };

interface ColumnInfo {
  column_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_identity: 'YES' | 'NO';
  is_generated: 'ALWAYS' | 'NEVER';
}

export class PostgresTarget {
  private constructor(readonly client: pg.Client) {}

  /** Connects and takes the migrate lock; fails with one clear line when either cannot be had. */
  static async connect(url: string): Promise<PostgresTarget> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {}); // a dropped connection surfaces as the failing query's error
    await client.connect();
    const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LOCK_KEY]);
    if (!locked.rows[0]!.locked) {
      await client.end();
      throw new Error('another lc-chat migrate is writing to this database');
    }
    return new PostgresTarget(client);
  }

  /** Matches the source's tables to the target's; refuses a column the target cannot hold. */
  async plan(tables: SourceTable[]): Promise<TablePlan[]> {
    const plans: TablePlan[] = [];
    for (const source of tables) {
      const { rows } = await this.client.query<ColumnInfo>(
        `SELECT column_name, data_type, is_nullable, column_default, is_identity, is_generated
           FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
        [source.name],
      );
      if (rows.length === 0) throw new Error(`the target has no table ${source.name}: was its schema made by this lc-chat?`);
      const byName = new Map(rows.map((row) => [row.column_name, row]));
      const missing = source.columns.filter((name) => !byName.has(name));
      if (missing.length > 0) throw new Error(`the target's ${source.name} has no column ${missing.join(', ')}: copying would lose it`);
      const unfilled = rows.filter(
        (row) =>
          !source.columns.includes(row.column_name) && !FILLED_BY_TRIGGER[source.name]?.includes(row.column_name) && row.is_nullable === 'NO' && row.column_default === null && row.is_identity === 'NO' && row.is_generated === 'NEVER',
      );
      if (unfilled.length > 0) throw new Error(`the target's ${source.name}.${unfilled[0]!.column_name} must be filled and the source has no such column`);
      const columns = source.columns.filter((name) => byName.get(name)!.is_generated === 'NEVER');
      plans.push({
        source,
        columns: columns.map((name) => ({ name, type: byName.get(name)!.data_type })),
        sequenced: columns.filter((name) => {
          const info = byName.get(name)!;
          return info.is_identity === 'YES' || (info.column_default ?? '').startsWith('nextval(');
        }),
        identity: columns.some((name) => byName.get(name)!.is_identity === 'YES'),
      });
    }
    return plans;
  }

  /**
   * The progress of an earlier run from the same source, or an empty map
   * for a fresh start. Throws if the target holds data that no migrate of
   * this source put there.
   */
  async progress(plans: TablePlan[], sourceName: string): Promise<Map<string, TableProgress>> {
    const exists = await this.client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [PROGRESS_TABLE]);
    if (exists.rows[0].present === true) {
      const { rows } = await this.client.query<{ table_name: string; source: string; after: SqliteValue[] | null; copied: string; done: boolean }>(
        `SELECT table_name, source, after, copied, done FROM ${PROGRESS_TABLE}`,
      );
      const other = rows.find((row) => row.source !== sourceName);
      if (other) throw new Error(`the target holds a migrate from ${other.source}, not ${sourceName}: migrate copies into an empty database`);
      return new Map(rows.map((row) => [row.table_name, { after: row.after, copied: Number(row.copied), done: row.done }]));
    }
    for (const plan of plans) {
      const { rows } = await this.client.query(`SELECT EXISTS (SELECT 1 FROM ${quote(plan.source.name)}) AS used`);
      if (rows[0].used === true) throw new Error(`the target is not empty (${plan.source.name} has rows): migrate copies into an empty database`);
    }
    await this.client.query(
      `CREATE TABLE ${PROGRESS_TABLE} (table_name text PRIMARY KEY, source text NOT NULL, after jsonb, copied bigint NOT NULL, done boolean NOT NULL)`,
    );
    return new Map();
  }

  /** Rows that fit one statement. */
  batchSize(plan: TablePlan, wanted: number): number {
    return Math.max(1, Math.min(wanted, Math.floor(MAX_PARAMETERS / plan.columns.length)));
  }

  /** Inserts the rows and records the new progress in one transaction. */
  async write(plan: TablePlan, rows: SqliteRow[], progress: TableProgress, sourceName: string): Promise<void> {
    const values: unknown[] = [];
    const tuples = rows.map((row) => {
      const placeholders = plan.columns.map((column) => {
        values.push(toTarget(row[column.name] ?? null, column));
        return `$${values.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await this.transaction(async () => {
      if (rows.length > 0) {
        await this.client.query(
          `INSERT INTO ${quote(plan.source.name)} (${plan.columns.map((column) => quote(column.name)).join(', ')})${plan.identity ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${tuples.join(', ')}`,
          values,
        );
      }
      await this.client.query(
        `INSERT INTO ${PROGRESS_TABLE} (table_name, source, after, copied, done) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (table_name) DO UPDATE SET after = excluded.after, copied = excluded.copied, done = excluded.done`,
        [plan.source.name, sourceName, JSON.stringify(progress.after), progress.copied, progress.done],
      );
      if (progress.done) {
        if (plan.source.name === 'notification_events') await this.advanceNotificationHead();
        if (plan.source.name === 'push_subscriptions') await this.recountPushSubscriptions();
        // Rows copied with their own ids: new ones must be numbered after them.
        for (const column of plan.sequenced) {
          await this.client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max(${quote(column)}) FROM ${quote(plan.source.name)}), 1))`,
            [plan.source.name, column],
          );
        }
      }
    });
  }

  /**
   * The PostgreSQL store numbers membership events from a one-row head
   * (notification_head) rather than a sequence: it must start past the
   * copied events, or new events would reuse their seqs.
   */
  private async advanceNotificationHead(): Promise<void> {
    const { rows } = await this.client.query(`SELECT to_regclass('notification_head') IS NOT NULL AS present`);
    if (rows[0].present !== true) return;
    await this.client.query(
      `UPDATE notification_head SET seq = GREATEST(seq, (SELECT coalesce(max(seq), 0) FROM notification_events)),
         server_ts = GREATEST(server_ts, (SELECT coalesce(max(server_ts), 0) FROM notification_events))`,
    );
  }

  /** The PostgreSQL store keeps push_subscriptions' row count in a row of its own (SQLite has none to copy): counted once, here. */
  private async recountPushSubscriptions(): Promise<void> {
    const { rows } = await this.client.query(`SELECT to_regclass('push_subscription_count') IS NOT NULL AS present`);
    if (rows[0].present !== true) return;
    await this.client.query('UPDATE push_subscription_count SET n = (SELECT count(*) FROM push_subscriptions)');
  }

  async count(table: string): Promise<number> {
    const { rows } = await this.client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
    return Number(rows[0]!.n);
  }

  /** Rows of the table whose `where` columns equal the values, optionally after a numeric column's value, in that column's order. */
  async rowsWhere(plan: TablePlan, where: Record<string, unknown>, after?: { name: string; value: number; limit: number }): Promise<Record<string, unknown>[]> {
    const names = Object.keys(where);
    const values: unknown[] = names.map((name) => where[name]);
    const conditions = names.map((name, k) => `${quote(name)} = $${k + 1}`);
    let tail = '';
    if (after) {
      values.push(after.value);
      conditions.push(`${quote(after.name)} > $${values.length}`);
      tail = ` ORDER BY ${quote(after.name)} LIMIT ${after.limit}`;
    }
    const { rows } = await this.client.query(
      `SELECT ${plan.columns.map((column) => quote(column.name)).join(', ')} FROM ${quote(plan.source.name)} WHERE ${conditions.join(' AND ')}${tail}`,
      values,
    );
    return rows as Record<string, unknown>[];
  }

  /** Rows after `after` (a key tuple, or null from the start) in the target's key order. */
  async page(plan: TablePlan, after: unknown[] | null, limit: number): Promise<Record<string, unknown>[]> {
    const keyList = plan.source.key.map(quote).join(', ');
    const where = after === null ? '' : `WHERE (${keyList}) > (${plan.source.key.map((_, k) => `$${k + 1}`).join(', ')})`;
    const { rows } = await this.client.query(
      `SELECT ${plan.columns.map((column) => quote(column.name)).join(', ')} FROM ${quote(plan.source.name)} ${where} ORDER BY ${keyList} LIMIT ${Math.floor(limit)}`,
      after ?? [],
    );
    return rows as Record<string, unknown>[];
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await work();
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
