/**
 * Conversation queries on PostgreSQL, under the client's budget: a
 * budgeted query runs in its own transaction, `lc_tick` counts the rows it
 * examines and reads the clock every 32 of them (schema.ts migration 6),
 * and either limit refuses it with CONVERSATION_QUERY_FAILED, as on SQLite.
 * `statement_timeout` is only the backstop for a statement that runs long
 * without examining rows, at a multiple of the budget: it is wall time and
 * counts the backend's wait for a CPU, which on a busy database refused
 * lookups of a single conversation.
 *
 * The budgeted statement selects ids only; the rows (with last messages of
 * up to tens of KB each) are read by primary key afterwards. Otherwise the
 * timeout would also count sending them to this process, which SQLite's
 * budget, measured while rows are examined, does not.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import { OverBudgetMemo } from '../over-budget-memo.js';
import type { ConversationQuery, ConversationRecord } from '../types.js';
import { compileConversationQuery } from './conditions-sql.js';
import { type Sql, sqlOf, sqlState, transaction } from './connection.js';
import { CONVERSATION_SELECT, type ConversationRow, toConversation } from './rows.js';

const QUERY_CANCELED = '57014';
const OVER_ROWS = 'LC001';
const OVER_TIME = 'LC002';

/** `statement_timeout` of a budgeted query: the backstop, not the budget. */
const backstopMs = (maxMs: number): number => Math.max(1_000, Math.ceil(maxMs) * 10);

export class ConversationQueries {
  private readonly sql: Sql;
  private readonly overBudget = new OverBudgetMemo();

  constructor(private readonly pool: pg.Pool) {
    this.sql = sqlOf(pool);
  }

  async find(query: ConversationQuery): Promise<ConversationRecord[]> {
    const { sql, params } = compileConversationQuery(query);
    const { budget } = query;
    if (!budget) return (await this.sql.rows<ConversationRow>(sql, params.values)).map(toConversation);
    const key = `${sql}\n${JSON.stringify(params.values)}`;
    const refused = this.overBudget.recall(key);
    if (refused !== undefined) throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `${refused} (refused moments ago): narrow it`);
    const ids = compileConversationQuery(query, true);
    // Counted from when the query has its connection: waiting for one is not its cost.
    let started: number | undefined;
    const spent = () => {
      if (started !== undefined) budget.spent?.(performance.now() - started);
    };
    let found: string[];
    try {
      found = await transaction(this.pool, async (tx) => {
        started ??= performance.now();
        await tx.run("SELECT set_config('statement_timeout', $1, true), set_config('lc.rows', '0', true)", [String(backstopMs(budget.maxMs))]);
        return (await tx.rows<{ id: string }>(ids.sql, ids.params.values)).map((row) => row.id);
      });
    } catch (error) {
      spent();
      const state = sqlState(error);
      const reason =
        state === OVER_ROWS
          ? `the query examines more than ${budget.maxRows} conversations`
          : state === OVER_TIME
            ? `the query runs longer than ${budget.maxMs} ms`
            : state === QUERY_CANCELED
              ? `the query runs longer than ${backstopMs(budget.maxMs)} ms`
              : undefined;
      if (reason === undefined) throw error;
      this.overBudget.remember(key, reason);
      throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `${reason}: narrow it`);
    }
    if (found.length === 0) {
      spent();
      return [];
    }
    try {
      // In the query's order; a conversation deleted in between is left out.
      const rows = await this.sql.rows<ConversationRow>(
        `SELECT ${CONVERSATION_SELECT} FROM unnest($2::text[]) WITH ORDINALITY AS k(id, n)
         JOIN conversations c ON c.app_id = $1 AND c.id = k.id ORDER BY k.n`,
        [query.appId, found],
      );
      return rows.map(toConversation);
    } finally {
      spent();
    }
  }
}
