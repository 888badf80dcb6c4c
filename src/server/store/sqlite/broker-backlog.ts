/** Broker backlog rows (schema migration 15): see `Store.holdBrokerBacklog`. */
import type Database from 'better-sqlite3';
import type { BrokerBacklog } from '../types.js';

interface BacklogRow {
  node_id: string;
  since: number;
  beat_at: number;
}

const toBacklog = (row: BacklogRow): BrokerBacklog => ({ nodeId: row.node_id, since: row.since, beatAt: row.beat_at });

export class BrokerBacklogs {
  private readonly holdStatement;
  private readonly takeStatement;
  private readonly staleStatement;
  private readonly takeStaleRows: (deadline: number, limit: number) => BacklogRow[];

  constructor(db: Database.Database) {
    this.holdStatement = db.prepare<[string, number, number]>(
      `INSERT INTO broker_backlog (node_id, since, beat_at) VALUES (?, ?, ?)
       ON CONFLICT (node_id) DO UPDATE SET beat_at = excluded.beat_at`,
    );
    this.takeStatement = db.prepare<[string], BacklogRow>('DELETE FROM broker_backlog WHERE node_id = ? RETURNING node_id, since, beat_at');
    this.staleStatement = db.prepare<[number, number], BacklogRow>('SELECT node_id, since, beat_at FROM broker_backlog WHERE beat_at <= ? ORDER BY beat_at, node_id LIMIT ?');
    const deleteOne = db.prepare<[string, number]>('DELETE FROM broker_backlog WHERE node_id = ? AND beat_at = ?');
    const takeStale = db.transaction((deadline: number, limit: number) => {
      const rows = this.staleStatement.all(deadline, limit);
      for (const row of rows) deleteOne.run(row.node_id, row.beat_at);
      return rows;
    });
    this.takeStaleRows = (deadline, limit) => takeStale.immediate(deadline, limit);
  }

  hold(nodeId: string, stale: boolean, now: number): void {
    this.holdStatement.run(nodeId, now, stale ? 0 : now);
  }

  take(nodeId: string): BrokerBacklog | undefined {
    const row = this.takeStatement.get(nodeId);
    return row === undefined ? undefined : toBacklog(row);
  }

  takeStale(deadMs: number, limit: number, now: number): BrokerBacklog[] {
    const deadline = now - deadMs;
    // Every node asks every few seconds and the table is nearly always
    // empty: a read first, so that asking does not take the write lock.
    if (this.staleStatement.all(deadline, 1).length === 0) return [];
    return this.takeStaleRows(deadline, limit).map(toBacklog);
  }
}
