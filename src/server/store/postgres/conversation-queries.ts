/**
 * Conversation queries on PostgreSQL, under the client's budget: a
 * budgeted query runs in its own transaction with `statement_timeout` set
 * to its time and `lc_tick` counting the rows it examines (schema.ts), and
 * either limit refuses it with CONVERSATION_QUERY_FAILED, as on SQLite.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import { OverBudgetMemo } from '../over-budget-memo.js';
import type { ConversationQuery, ConversationRecord } from '../types.js';
import { compileConversationQuery } from './conditions-sql.js';
import { type Sql, sqlOf, sqlState, transaction } from './connection.js';
import { type ConversationRow, toConversation } from './rows.js';

const QUERY_CANCELED = '57014';
const OVER_ROWS = 'LC001';

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
    try {
      const rows = await transaction(this.pool, async (tx) => {
        await tx.run("SELECT set_config('statement_timeout', $1, true), set_config('lc.rows', '0', true)", [String(Math.max(1, Math.ceil(budget.maxMs)))]);
        return tx.rows<ConversationRow>(sql, params.values);
      });
      return rows.map(toConversation);
    } catch (error) {
      const state = sqlState(error);
      const reason =
        state === OVER_ROWS
          ? `the query examines more than ${budget.maxRows} conversations`
          : state === QUERY_CANCELED
            ? `the query runs longer than ${budget.maxMs} ms`
            : undefined;
      if (reason === undefined) throw error;
      this.overBudget.remember(key, reason);
      throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `${reason}: narrow it`);
    }
  }
}
