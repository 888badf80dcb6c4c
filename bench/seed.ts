/**
 * The benchmarks' fast path to a large store: conversations, members and
 * messages made by one INSERT … SELECT per table inside the database
 * (SQLite's recursive CTE, PostgreSQL's generate_series), the same rows on
 * both, instead of a million protocol round trips.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface SeedSize {
  conversations: number;
  messagesPerConversation: number;
  /** Distinct users; conversation c has bench-owner and bench-u{c % users}. */
  users: number;
}

/** Times are from here on, in ms: the seeded history lies in the past. */
const BASE = Date.UTC(2026, 0, 1);

/** How an engine counts, pads, writes hex and takes JSON text. */
interface Dialect {
  series(name: string, n: number, from?: number): string;
  pad(expr: string, width: number): string;
  hex24(expr: string): string;
  json(expr: string): string;
  /** Messages' extra key column and its value per row (PostgreSQL's conv_key, schema migration 5), or none. */
  messageKey?: { column: string; value(app: string, cid: string): string };
}

/** One SQL text per table. */
function statements(appId: string, size: SeedSize, dialect: Dialect) {
  const { conversations, messagesPerConversation: perConversation, users } = size;
  const cid = dialect.hex24('c');
  const user = `'bench-u' || (c % ${users})`;
  const mid = (seq: string) => `'B' || ${dialect.pad('c', 7)} || ${dialect.pad(seq, 8)}`;
  const time = (seq: string) => `${BASE} + ${seq} * 1000 + c`;
  const text = (seq: string) => `'{"_lctype":-1,"_lctext":"message ' || ${seq} || ' of room ' || c || '"}'`;
  const last = String(perConversation);
  const app = `'${appId}'`;
  return [
    `INSERT INTO conversations (app_id, id, name, creator, members, muted, tr, sys, is_unique, attrs, created_at, updated_at, lm, last_seq, last_msg_id, last_msg_from, last_msg_data)
     SELECT ${app}, ${cid}, 'room ' || c, 'bench-owner', '["bench-owner","' || ${user} || '"]', '[]', 0, 0, 0, ${dialect.json(`'{"level":' || (c % 100) || '}'`)},
            ${BASE} + c, ${BASE} + c, ${time(last)}, ${last}, ${mid(last)}, ${user}, ${text(last)}
       FROM ${dialect.series('c', conversations)}`,
    `INSERT INTO conversation_members (app_id, cid, client_id, joined_at)
     SELECT ${app}, ${cid}, 'bench-owner', ${BASE} + c FROM ${dialect.series('c', conversations)}
     UNION ALL SELECT ${app}, ${cid}, ${user}, ${BASE} + c FROM ${dialect.series('c', conversations)}`,
    `INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, receipt, lctype${dialect.messageKey ? `, ${dialect.messageKey.column}` : ''})
     SELECT ${app}, ${cid}, s, ${mid('s')}, CASE WHEN s % 2 = 0 THEN ${user} ELSE 'bench-owner' END, ${text('s')}, ${time('s')}, 0, -1${dialect.messageKey ? `, ${dialect.messageKey.value(app, cid)}` : ''}
       FROM ${dialect.series('c', conversations)} CROSS JOIN ${dialect.series('s', perConversation, 1)}`,
  ];
}

/** Seeds a SQLite store whose schema is in place (a server opened it once). */
export function seedSqlite(file: string, appId: string, size: SeedSize): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    const sql = statements(appId, size, {
      series: (name, n, from = 0) => `(WITH RECURSIVE r(${name}) AS (SELECT ${from} UNION ALL SELECT ${name} + 1 FROM r WHERE ${name} < ${from + n - 1}) SELECT ${name} FROM r)`,
      pad: (expr, width) => `printf('%0${width}d', ${expr})`,
      hex24: (expr) => `printf('%024x', ${expr})`,
      json: (expr) => expr,
    });
    db.transaction(() => {
      for (const statement of sql) db.exec(statement);
    })();
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

/** Seeds a PostgreSQL store whose schema is in place. */
export async function seedPostgres(url: string, appId: string, size: SeedSize): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sql = statements(appId, size, {
      series: (name, n, from = 0) => `generate_series(${from}, ${from + n - 1}) AS ${name}(${name})`,
      pad: (expr, width) => `lpad((${expr})::text, ${width}, '0')`,
      hex24: (expr) => `lpad(to_hex(${expr}), 24, '0')`,
      json: (expr) => `(${expr})::jsonb`,
      // Given here: the row trigger that would fill it runs a plpgsql call per message.
      messageKey: { column: 'conv_key', value: (app, cid) => `(SELECT k.conv_key FROM conversations k WHERE k.app_id = ${app} AND k.id = ${cid})` },
    });
    await client.query('BEGIN');
    for (const statement of sql) await client.query(statement);
    await client.query('COMMIT');
    // After a bulk load, as an operator would (autovacuum would get there later).
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
