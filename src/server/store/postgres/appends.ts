/**
 * Message appends, group committed: the appends that arrive within one
 * tick become a batch, written by one call of the `lc_append_messages`
 * function (schema migration 2): one statement, so one round trip and its
 * own transaction, however many messages it holds. Each append is
 * acknowledged after its batch's COMMIT (the driver answers a statement
 * sent alone once PostgreSQL says it is ready for the next, which is after
 * the commit's WAL flush).
 *
 * Two batches may be in flight at once, each on its own connection: the
 * next is written while the previous one's COMMIT waits on its WAL flush.
 * Several server processes may append to one conversation too. Either way
 * the function locks the batch's conversation rows (`FOR UPDATE`, in key
 * order, so two batches cannot deadlock) before it reads `last_seq`, and
 * holds them until COMMIT: seqs are gapless, and a retry's `dt` lookup
 * sees every committed message of that conversation. Batches settle in the
 * order they started, so within a process a conversation's appends resolve
 * in seq order.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import { type AppendOutcome, mentionedMembers, newMessageRecord, type PendingAppend, settleBatch } from '../message-records.js';
import { lctypeOf, type MessageRow, toMessage } from '../rows.js';
import type { AppendResult, MessageRecord, NewMessage } from '../types.js';
import { sqlState } from './connection.js';

/** Messages one call writes at most; the rest wait for the next. */
const MAX_BATCH = 2000;
/** Batches written at once, each on its own pooled connection. */
const MAX_IN_FLIGHT = 2;

export class GroupCommit {
  private pending: PendingAppend[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private scheduled = false;
  /** Settled when the newest batch started (and so every earlier one) has settled its appends. */
  private settled: Promise<void> = Promise.resolve();

  constructor(private readonly pool: pg.Pool) {}

  append(input: NewMessage): Promise<AppendResult> {
    // PostgreSQL text cannot hold U+0000: refused alone here, it would fail its whole batch.
    if (NUL_FIELDS(input).some((text) => typeof text === 'string' && text.includes('\u0000'))) {
      return Promise.reject(ProtocolError.of('UNPARSEABLE_RAW_MESSAGE', 'a message with a U+0000 character cannot be stored'));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once every append accepted so far has been written (or failed) and settled. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.pending.length > 0) {
      this.startBatches();
      await Promise.race(this.inFlight);
    }
    await this.settled;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.inFlight.size < MAX_IN_FLIGHT && this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      const written = writeBatch(this.pool, batch.map((item) => item.input)).then(
        (outcomes) => outcomes,
        // Rolled back (or its COMMIT's fate unknown): nothing may be acked.
        // A client's retry with the same dt finds the message if it did commit.
        (error: unknown) => ({ error }),
      );
      const previous = this.settled;
      this.settled = Promise.all([previous, written]).then(([, outcomes]) => settleBatch(batch, outcomes));
      this.inFlight.add(written);
      void written.then(() => {
        this.inFlight.delete(written);
        // What arrived meanwhile is the next batch.
        if (this.pending.length > 0) this.schedule();
      });
    }
  }
}

/** The message's text fields. */
const NUL_FIELDS = (input: NewMessage): string[] => [input.appId, input.cid, input.from, input.data, input.id ?? '', input.dt ?? '', ...input.mentionPids];

const headKey = (appId: string, cid: string): string => `${appId}\u0000${cid}`;
const dtKey = (appId: string, cid: string, from: string, dt: string): string => [appId, cid, from, dt].join('\u0000');

/** SQLSTATEs after which the call may simply run again: it rolled back whole. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

const APPEND_SQL = `SELECT * FROM lc_append_messages($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`;

type AppendRow = MessageRow & { kind: 'head' | 'earlier'; ord: number | null };

/**
 * Writes one batch and says what each input came to. A repeated `dt`
 * within the batch is sent once; the repeats answer as its first did.
 */
async function writeBatch(pool: pg.Pool, inputs: NewMessage[]): Promise<AppendOutcome[]> {
  const now = Date.now();
  const firstByDt = new Map<string, number>();
  /** The records sent, numbered as they will be if stored (seq and timestamp set from the answer). */
  const records: MessageRecord[] = [];
  /** Per input, its record's index; negative (−1 − index) for a repeat of an earlier input's dt. */
  const recordOf: number[] = [];
  for (const input of inputs) {
    if (input.dt !== null) {
      const key = dtKey(input.appId, input.cid, input.from, input.dt);
      const first = firstByDt.get(key);
      if (first !== undefined) {
        recordOf.push(-1 - first);
        continue;
      }
      firstByDt.set(key, records.length);
    }
    recordOf.push(records.length);
    records.push(newMessageRecord(input, 0, now, 0));
  }

  const rows = await callAppend(pool, records, now);
  const heads = new Map<string, { seq: number; timestamp: number }>();
  const earlier = new Map<number, MessageRecord>();
  for (const row of rows) {
    if (row.kind === 'head') heads.set(headKey(row.app_id, row.cid), { seq: row.seq, timestamp: row.timestamp });
    else earlier.set(row.ord! - 1, toMessage(row));
  }
  // Numbered as the function numbered them: per conversation, in batch order, after its last seq.
  const outcomes = records.map((record, index): AppendOutcome => {
    const head = heads.get(headKey(record.appId, record.cid));
    if (!head) return { ok: false, error: ProtocolError.of('CONVERSATION_NOT_FOUND', `no conversation ${record.cid}`) };
    const first = earlier.get(index);
    if (first) return { ok: true, result: { message: first, duplicate: true } };
    head.seq += 1;
    record.seq = head.seq;
    record.timestamp = head.timestamp;
    return { ok: true, result: { message: record, duplicate: false } };
  });
  return recordOf.map((index) => {
    if (index >= 0) return outcomes[index]!;
    const first = outcomes[-1 - index]!;
    return first.ok ? { ok: true, result: { message: first.result.message, duplicate: true } } : first;
  });
}

/** One call of lc_append_messages, run again if it lost a deadlock (it rolled back whole). */
async function callAppend(pool: pg.Pool, records: MessageRecord[], now: number): Promise<AppendRow[]> {
  const mentions = records.flatMap((record, index) => mentionedMembers(record).map((pid) => ({ ord: index + 1, pid })));
  const values = [
    records.map((m) => m.appId),
    records.map((m) => m.cid),
    records.map((m) => m.id),
    records.map((m) => m.from),
    records.map((m) => m.data),
    records.map((m) => m.dt),
    records.map((m) => (m.receipt ? 1 : 0)),
    records.map((m) => JSON.stringify(m.mentionPids)),
    records.map((m) => (m.mentionAll ? 1 : 0)),
    records.map((m) => (m.binary ? null : lctypeOf(m.data))),
    records.map((m) => (m.binary ? 1 : 0)),
    mentions.map((m) => m.ord),
    mentions.map((m) => m.pid),
    now,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      // Named: parsed once per connection.
      return (await pool.query<AppendRow>({ name: 'lc_append_messages', text: APPEND_SQL, values })).rows;
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(error) ?? '')) continue;
      throw error;
    }
  }
}
