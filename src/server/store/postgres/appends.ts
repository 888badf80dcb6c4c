/**
 * Message appends, group committed: the appends that arrive while a batch
 * is being written (or within one tick) become the next batch, written in
 * one transaction of a fixed number of round trips however many messages
 * it holds (lock the heads, find retries, then one statement: a multi-row
 * insert with the head and member updates), and acknowledged after its
 * COMMIT.
 *
 * Several server processes may append to one conversation: its row is
 * locked (`FOR UPDATE`, in a fixed order, so two batches cannot deadlock)
 * from reading `last_seq` until COMMIT, so seqs are gapless and a retry's
 * `dt` lookup sees every committed message of that conversation.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import { advanceHead, type AppendOutcome, batchHead, type BatchHead, mentionedMembers, newMessageRecord, type PendingAppend, settleBatch } from '../message-records.js';
import { lctypeOf, MESSAGE_SELECT, type MessageRow, toMessage } from '../rows.js';
import type { AppendResult, MessageRecord, NewMessage } from '../types.js';
import { type Sql, transaction } from './connection.js';

/** Messages one transaction writes at most; the rest wait for the next. */
const MAX_BATCH = 2000;



export class GroupCommit {
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;

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

  /**
   * Several appends at once (Store.appendMessages): each joins the pending
   * batch as `append` would, in order; one outcome each, never a rejection.
   */
  appendAll(inputs: readonly NewMessage[]): Promise<AppendOutcome[]> {
    return Promise.all(inputs.map((input) => this.append(input).then(appended, failed)));
  }

  /** Resolves once every append accepted so far has been written (or failed). */
  async drain(): Promise<void> {
    while (this.flushing || this.pending.length > 0) {
      if (!this.flushing) this.startFlush();
      await this.flushing;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.flushing) this.startFlush();
    });
  }

  private startFlush(): void {
    const batch = this.pending.splice(0, MAX_BATCH);
    if (batch.length === 0) return;
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
      // What arrived meanwhile is the next batch.
      if (this.pending.length > 0) this.schedule();
    });
  }

  private async write(batch: PendingAppend[]): Promise<void> {
    let outcomes: AppendOutcome[];
    try {
      outcomes = await transaction(this.pool, (sql) => writeBatch(sql, batch.map((item) => item.input)));
    } catch (error) {
      // Rolled back (or its COMMIT's fate unknown): nothing may be acked.
      // A client's retry with the same dt finds the message if it did commit.
      settleBatch(batch, { error });
      return;
    }
    settleBatch(batch, outcomes);
  }
}

const appended = (result: AppendResult): AppendOutcome => ({ ok: true, result });
const failed = (error: Error): AppendOutcome => ({ ok: false, error });

/** The message's text fields. */
const NUL_FIELDS = (input: NewMessage): string[] => [input.appId, input.cid, input.from, input.data, input.id ?? '', input.dt ?? '', ...input.mentionPids];

const headKey = (appId: string, cid: string): string => `${appId}\u0000${cid}`;

async function writeBatch(sql: Sql, inputs: NewMessage[]): Promise<AppendOutcome[]> {
  const now = Date.now();
  const heads = await lockHeads(sql, inputs);
  const earlier = await earlierByDt(sql, inputs);
  const inserted: MessageRecord[] = [];
  const outcomes = inputs.map((input): AppendOutcome => {
    const head = heads.get(headKey(input.appId, input.cid));
    if (!head) return { ok: false, error: ProtocolError.of('CONVERSATION_NOT_FOUND', `no conversation ${input.cid}`) };
    if (input.dt !== null) {
      const key = dtKey(input.appId, input.cid, input.from, input.dt);
      const first = earlier.get(key);
      if (first) return { ok: true, result: { message: first, duplicate: true } };
    }
    const message = newMessageRecord(input, head.lastSeq + 1, now, head.lastTimestamp);
    // A later retry in this same batch finds this one.
    if (input.dt !== null) earlier.set(dtKey(input.appId, input.cid, input.from, input.dt), message);
    inserted.push(message);
    advanceHead(head, message);
    return { ok: true, result: { message, duplicate: false } };
  });
  if (inserted.length > 0) await writeMessages(sql, inserted, [...heads.values()].filter((head) => head.last !== null));
  return outcomes;
}

/** Locks the batch's conversations in key order and reads their heads. */
async function lockHeads(sql: Sql, inputs: NewMessage[]): Promise<Map<string, BatchHead>> {
  const keys = new Map<string, { appId: string; cid: string }>();
  for (const { appId, cid } of inputs) keys.set(headKey(appId, cid), { appId, cid });
  const wanted = [...keys.values()];
  const rows = await sql.rows<{ app_id: string; id: string; last_seq: number; lm: number | null }>(
    `SELECT c.app_id, c.id, c.last_seq, c.lm FROM conversations c
     JOIN unnest($1::text[], $2::text[]) AS k(app_id, id) ON c.app_id = k.app_id AND c.id = k.id
     ORDER BY c.app_id, c.id FOR UPDATE OF c`,
    [wanted.map((key) => key.appId), wanted.map((key) => key.cid)],
  );
  const heads = new Map<string, BatchHead>();
  for (const row of rows) {
    heads.set(headKey(row.app_id, row.id), batchHead(row.app_id, row.id, row.last_seq, row.lm ?? 0));
  }
  return heads;
}

const dtKey = (appId: string, cid: string, from: string, dt: string): string => [appId, cid, from, dt].join('\u0000');

/** Stored messages that the batch's dedup tokens name. */
async function earlierByDt(sql: Sql, inputs: NewMessage[]): Promise<Map<string, MessageRecord>> {
  const withDt = inputs.filter((input): input is NewMessage & { dt: string } => input.dt !== null);
  const found = new Map<string, MessageRecord>();
  if (withDt.length === 0) return found;
  const rows = await sql.rows<MessageRow>(
    `SELECT ${MESSAGE_SELECT} FROM messages
     WHERE (app_id, cid, from_peer, dt) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]))`,
    [withDt.map((i) => i.appId), withDt.map((i) => i.cid), withDt.map((i) => i.from), withDt.map((i) => i.dt)],
  );
  for (const row of rows) found.set(dtKey(row.app_id, row.cid, row.from_peer, row.dt!), toMessage(row));
  return found;
}

/**
 * One statement: the messages (one multi-row insert), each conversation's
 * head, each sender's read position (own messages are never unread) and
 * each mentioned member's mention mark.
 */
async function writeMessages(sql: Sql, messages: MessageRecord[], heads: BatchHead[]): Promise<void> {
  const senders = heads.flatMap((head) => [...head.senders].map(([from, seq]) => ({ head, from, seq })));
  const mentions = messages.flatMap((message) => mentionedMembers(message).map((pid) => ({ message, pid })));
  await sql.run(
    `WITH inserted AS (
       INSERT INTO messages (app_id, cid, seq, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, lctype, bin)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
         $9::smallint[], $10::text[], $11::smallint[], $12::integer[], $13::smallint[])
     ),
     heads AS (
       UPDATE conversations c SET last_seq = h.seq, lm = h.ts, last_msg_id = h.id, last_msg_from = h.from_peer,
         last_msg_data = h.data, last_msg_patch_timestamp = NULL, last_msg_bin = h.bin,
         mention_all_seq = greatest(c.mention_all_seq, h.mention_all_seq)
       FROM unnest($14::text[], $15::text[], $16::bigint[], $17::bigint[], $18::text[], $19::text[], $20::text[], $21::smallint[], $22::bigint[])
         AS h(app_id, cid, seq, ts, id, from_peer, data, bin, mention_all_seq)
       WHERE c.app_id = h.app_id AND c.id = h.cid
     ),
     -- One update per member row (a statement may not update a row twice):
     -- senders' read positions and mentioned members' marks together.
     marks AS (
       SELECT app_id, cid, client_id, max(read_seq) AS read_seq, max(mention_seq) AS mention_seq FROM (
         SELECT *, 0::bigint AS mention_seq FROM unnest($23::text[], $24::text[], $25::text[], $26::bigint[]) AS s(app_id, cid, client_id, read_seq)
         UNION ALL
         SELECT app_id, cid, client_id, 0, mention_seq FROM unnest($27::text[], $28::text[], $29::text[], $30::bigint[]) AS t(app_id, cid, client_id, mention_seq)
       ) AS both_marks GROUP BY app_id, cid, client_id
     )
     UPDATE conversation_members m SET read_seq = greatest(m.read_seq, n.read_seq), mention_seq = greatest(m.mention_seq, n.mention_seq)
     FROM marks AS n
     WHERE m.app_id = n.app_id AND m.cid = n.cid AND m.client_id = n.client_id`,
    [
      messages.map((m) => m.appId),
      messages.map((m) => m.cid),
      messages.map((m) => m.seq),
      messages.map((m) => m.id),
      messages.map((m) => m.from),
      messages.map((m) => m.data),
      messages.map((m) => m.timestamp),
      messages.map((m) => m.dt),
      messages.map((m) => (m.receipt ? 1 : 0)),
      messages.map((m) => JSON.stringify(m.mentionPids)),
      messages.map((m) => (m.mentionAll ? 1 : 0)),
      messages.map((m) => (m.binary ? null : lctypeOf(m.data))),
      messages.map((m) => (m.binary ? 1 : 0)),
      heads.map((h) => h.appId),
      heads.map((h) => h.cid),
      heads.map((h) => h.last!.seq),
      heads.map((h) => h.last!.timestamp),
      heads.map((h) => h.last!.id),
      heads.map((h) => h.last!.from),
      heads.map((h) => h.last!.data),
      heads.map((h) => (h.last!.binary ? 1 : 0)),
      heads.map((h) => h.mentionAllSeq),
      senders.map((s) => s.head.appId),
      senders.map((s) => s.head.cid),
      senders.map((s) => s.from),
      senders.map((s) => s.seq),
      mentions.map((m) => m.message.appId),
      mentions.map((m) => m.message.cid),
      mentions.map((m) => m.pid),
      mentions.map((m) => m.message.seq),
    ],
  );
}
