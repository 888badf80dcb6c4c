/**
 * Broker backlog rows on PostgreSQL (schema migration 7): see
 * `Store.holdBrokerBacklog` and sqlite/broker-backlog.ts. The times are
 * the database's clock, which every node shares, and not the caller's.
 */
import type pg from 'pg';
import type { BrokerBacklog } from '../types.js';
import { type Sql, sqlOf } from './connection.js';

interface BacklogRow {
  node_id: string;
  since: number;
  beat_at: number;
}

const toBacklog = (row: BacklogRow): BrokerBacklog => ({ nodeId: row.node_id, since: row.since, beatAt: row.beat_at });

/** The database's clock in ms. */
const NOW_MS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

export class BrokerBacklogs {
  private readonly sql: Sql;

  constructor(pool: pg.Pool) {
    this.sql = sqlOf(pool);
  }

  async hold(nodeId: string, stale: boolean): Promise<void> {
    await this.sql.run(
      `INSERT INTO broker_backlog (node_id, since, beat_at) VALUES ($1, ${NOW_MS}, CASE WHEN $2 THEN 0 ELSE ${NOW_MS} END)
       ON CONFLICT (node_id) DO UPDATE SET beat_at = excluded.beat_at`,
      [nodeId, stale],
    );
  }

  async take(nodeId: string): Promise<BrokerBacklog | undefined> {
    const row = await this.sql.row<BacklogRow>('DELETE FROM broker_backlog WHERE node_id = $1 RETURNING node_id, since, beat_at', [nodeId]);
    return row === undefined ? undefined : toBacklog(row);
  }

  async takeStale(deadMs: number, limit: number): Promise<BrokerBacklog[]> {
    // One statement: rows another caller holds locked are skipped, and a row
    // deleted under us is not returned, so each row goes to one caller.
    const rows = await this.sql.rows<BacklogRow>(
      `DELETE FROM broker_backlog WHERE node_id IN (
         SELECT node_id FROM broker_backlog WHERE beat_at <= ${NOW_MS} - $1::bigint ORDER BY beat_at, node_id LIMIT $2 FOR UPDATE SKIP LOCKED
       ) RETURNING node_id, since, beat_at`,
      [Math.max(0, Math.floor(deadMs)), limit],
    );
    return rows.sort((a, b) => a.beat_at - b.beat_at || (a.node_id < b.node_id ? -1 : 1)).map(toBacklog);
  }
}
