/**
 * `lc-chat migrate --from sqlite:<file> --to postgres://…`: copies a
 * deployment's SQLite store into an empty PostgreSQL database, table by
 * table in primary-key order, each batch committed with the copy's
 * progress; then verifies the copy against the source.
 */
import { resolve } from 'node:path';
import { PostgresTarget, type TableProgress } from './postgres-target.js';
import { SqliteSource } from './sqlite-source.js';
import { verifyCopy, type ConversationCheck, type Verification } from './verify.js';

export interface MigrateOptions {
  /** The SQLite file (read-only). */
  from: string;
  /** The PostgreSQL URL. */
  to: string;
  /** Brings the target's schema up to date (the PostgreSQL store's migrations) before the copy. */
  prepareTarget: (url: string) => Promise<void>;
  /** Rows per insert (fewer when a table's columns would pass PostgreSQL's parameter limit). Default 1000. */
  batchRows?: number;
  /** Progress lines. */
  log: (line: string) => void;
  /** Each conversation's verification, as it completes. */
  onConversation?: (check: ConversationCheck) => void;
  /** Called after each committed batch; a test interrupts the copy here. */
  afterBatch?: (table: string, copied: number) => void;
}

export interface MigrateResult extends Verification {
  /** Rows inserted by this run, per table (a resumed run counts only its own). */
  inserted: Record<string, number>;
}

/** Copies and verifies; throws when the target is not empty or the copy differs from the source. */
export async function migrateToPostgres(options: MigrateOptions): Promise<MigrateResult> {
  const file = resolve(options.from);
  const source = new SqliteSource(file);
  let target: PostgresTarget | undefined;
  try {
    await options.prepareTarget(options.to);
    target = await PostgresTarget.connect(options.to);
    const plans = await target.plan(source.tables);
    const progress = await target.progress(plans, file);
    const inserted: Record<string, number> = {};
    for (const plan of plans) {
      const name = plan.source.name;
      const state: TableProgress = progress.get(name) ?? { after: null, copied: 0, done: false };
      inserted[name] = 0;
      if (state.done) continue;
      if (state.copied > 0) options.log(`${name}: resuming after ${state.copied} rows`);
      const size = target.batchSize(plan, options.batchRows ?? 1000);
      for (;;) {
        const rows = source.page(plan.source, state.after, size);
        if (rows.length > 0) {
          const last = rows[rows.length - 1]!;
          state.after = plan.source.key.map((column) => last[column]!);
          state.copied += rows.length;
        }
        state.done = rows.length < size;
        await target.write(plan, rows, state, file);
        inserted[name] += rows.length;
        options.afterBatch?.(name, state.copied);
        if (state.done) break;
      }
      options.log(`${name}: ${state.copied} rows`);
    }
    const verification = await verifyCopy(source, target, plans, options.onConversation ?? (() => {}));
    const result = { ...verification, inserted };
    if (!verification.ok) {
      const tables = verification.tables.filter((table) => table.source !== table.target).map((table) => `${table.name} ${table.source} → ${table.target}`);
      tables.push(...verification.checksums.filter((check) => check.source !== check.target).map((check) => `${check.name}'s rows differ`));
      const conversations = verification.conversations.filter((check) => check.target !== null).length;
      throw new MigrateMismatch(`the copy differs from the source: ${[...tables, ...(conversations > 0 ? [`${conversations} conversations differ`] : [])].join('; ')}`, result);
    }
    return result;
  } finally {
    source.close();
    await target?.close();
  }
}

/** The copy finished but does not match its source. */
export class MigrateMismatch extends Error {
  constructor(
    message: string,
    readonly result: MigrateResult,
  ) {
    super(message);
  }
}
