/**
 * Message appends, group committed: the appends that arrive within one
 * tick become a batch, written by one call of the `lc_append_messages`
 * function (schema migration 3): one statement, so one round trip and its
 * own transaction, however many messages it holds. Each append is
 * acknowledged after its batch's COMMIT (the driver answers a statement
 * sent alone once PostgreSQL says it is ready for the next, which is after
 * the commit's WAL flush).
 *
 * Two batches may be in flight at once, each on its own connection, when
 * they write to different conversations: the next is written while the
 * previous one's COMMIT waits on its WAL flush. A conversation's appends
 * within a process are numbered, and resolve, in the order they came.
 * Several server processes may append to one conversation: the function
 * locks the batch's conversation rows (`FOR UPDATE`, in key order, so two
 * batches cannot deadlock) before it reads `last_seq`, and holds them until
 * COMMIT: seqs are gapless, and a retry's `dt` is found in every committed
 * message of that conversation.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import { type AppendOutcome, mentionedMembers, newMessageRecord } from '../message-records.js';
import { lctypeOf, type MessageRow, toMessage } from '../rows.js';
import type { AppendResult, MessageRecord, NewMessage } from '../types.js';
import { sqlState } from './connection.js';

/** Messages one call writes at most; the rest wait for the next. */
const MAX_BATCH = 2000;
/** Batches written at once, each on its own pooled connection. */
const MAX_IN_FLIGHT = 2;

/** Appends that resolve together: one `append`, or one `appendAll` call's inputs. */
interface Waiter {
  readonly outcomes: AppendOutcome[];
  left: number;
  readonly done: (outcomes: AppendOutcome[]) => void;
}

/** One input waiting for its batch, and where its outcome goes. */
interface Pending {
  readonly input: NewMessage;
  readonly waiter: Waiter;
  readonly index: number;
}

export class GroupCommit {
  private pending: Pending[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Conversations a batch in flight writes to: their next appends wait for it. */
  private readonly busy = new Set<string>();
  private scheduled = false;
  private readonly startScheduled = (): void => {
    this.scheduled = false;
    this.startBatches();
  };

  constructor(private readonly pool: pg.Pool) {}

  append(input: NewMessage): Promise<AppendResult> {
    const refused = unstorable(input);
    if (refused) return Promise.reject(refused);
    return new Promise((resolve, reject) => {
      this.enqueue([input], (outcomes) => {
        const outcome = outcomes[0]!;
        if (outcome.ok) resolve(outcome.result);
        else reject(outcome.error);
      });
    });
  }

  /**
   * Several appends at once (Store.appendMessages): each joins the pending
   * batch as `append` would, in order; one outcome each, never a rejection.
   * One promise for them all: the direct batch sends a burst's messages
   * here, and a promise and two closures per message were a visible share
   * of the persisted path's allocations.
   */
  appendAll(inputs: readonly NewMessage[]): Promise<AppendOutcome[]> {
    return new Promise((resolve) => {
      const storable: NewMessage[] = [];
      const refusals: (AppendOutcome | undefined)[] = [];
      for (const input of inputs) {
        const refused = unstorable(input);
        refusals.push(refused ? { ok: false, error: refused } : undefined);
        if (!refused) storable.push(input);
      }
      if (storable.length === inputs.length) return this.enqueue(inputs, resolve);
      this.enqueue(storable, (outcomes) => {
        let k = 0;
        resolve(refusals.map((refusal) => refusal ?? outcomes[k++]!));
      });
    });
  }

  /** Resolves once every append accepted so far has been written (or failed). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.pending.length > 0) {
      this.startBatches();
      await Promise.race(this.inFlight);
    }
  }

  private enqueue(inputs: readonly NewMessage[], done: (outcomes: AppendOutcome[]) => void): void {
    if (inputs.length === 0) return done([]);
    const waiter: Waiter = { outcomes: new Array<AppendOutcome>(inputs.length), left: inputs.length, done };
    for (let index = 0; index < inputs.length; index++) this.pending.push({ input: inputs[index]!, waiter, index });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.startScheduled);
  }

  /**
   * Starts batches while fewer than MAX_IN_FLIGHT are. A batch takes no
   * conversation that one in flight writes to: two batches on two
   * connections may take their locks in either order, and a conversation's
   * messages must be numbered in the order they were appended.
   */
  private startBatches(): void {
    while (this.inFlight.size < MAX_IN_FLIGHT && this.pending.length > 0) {
      const batch: Pending[] = [];
      const waiting: Pending[] = [];
      for (const item of this.pending) {
        if (batch.length < MAX_BATCH && !this.busy.has(headKey(item.input.appId, item.input.cid))) batch.push(item);
        else waiting.push(item);
      }
      if (batch.length === 0) return;
      this.pending = waiting;
      const conversations = new Set(batch.map((item) => headKey(item.input.appId, item.input.cid)));
      for (const key of conversations) this.busy.add(key);
      const written = writeBatch(this.pool, batch.map((item) => item.input)).then(
        (outcomes) => settle(batch, outcomes),
        // Rolled back (or its COMMIT's fate unknown): nothing may be acked.
        // A client's retry with the same dt finds the message if it did commit.
        (error: unknown) => settle(batch, { error }),
      );
      this.inFlight.add(written);
      void written.then(() => {
        this.inFlight.delete(written);
        for (const key of conversations) this.busy.delete(key);
        // What arrived meanwhile is the next batch.
        if (this.pending.length > 0) this.schedule();
      });
    }
  }
}

/** Each append of a written batch gets its outcome, or all of them the error that rolled the batch back. */
function settle(batch: readonly Pending[], outcomes: AppendOutcome[] | { error: unknown }): void {
  const failure: AppendOutcome | undefined = Array.isArray(outcomes) ? undefined : { ok: false, error: outcomes.error as Error };
  batch.forEach((item, k) => {
    const { waiter } = item;
    waiter.outcomes[item.index] = failure ?? (outcomes as AppendOutcome[])[k]!;
    if (--waiter.left === 0) waiter.done(waiter.outcomes);
  });
}

/** PostgreSQL text cannot hold U+0000: refused alone here, such a message would fail its whole batch. */
function unstorable(input: NewMessage): ProtocolError | undefined {
  if (!hasNul(input)) return undefined;
  return ProtocolError.of('UNPARSEABLE_RAW_MESSAGE', 'a message with a U+0000 character cannot be stored');
}

/** Whether a text field of the message holds U+0000 (a field that is not text is the batch's to fail on, as it was). */
function hasNul(input: NewMessage): boolean {
  return (
    holdsNul(input.data) || holdsNul(input.from) || holdsNul(input.cid) || holdsNul(input.appId) || holdsNul(input.id) || holdsNul(input.dt) ||
    (input.mentionPids.length > 0 && input.mentionPids.some(holdsNul))
  );
}

const holdsNul = (text: unknown): boolean => typeof text === 'string' && text.includes('\u0000');

const headKey = (appId: string, cid: string): string => `${appId}\u0000${cid}`;
const dtKey = (appId: string, cid: string, from: string, dt: string): string => [appId, cid, from, dt].join('\u0000');

/** SQLSTATEs after which the call may simply run again: it rolled back whole. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

const APPEND_SQL = `SELECT * FROM lc_append_batch(${Array.from({ length: 21 }, (_, k) => `$${k + 1}`).join(', ')})`;

type AppendRow = MessageRow & { kind: 'head' | 'earlier'; ord: number | null };

/**
 * Writes one batch and says what each input came to. A repeated `dt`
 * within the batch is sent once; the repeats answer as its first did. A
 * retry of a stored message makes the call write nothing and name the
 * stored messages; those are answered and the rest sent again.
 */
async function writeBatch(pool: pg.Pool, inputs: NewMessage[]): Promise<AppendOutcome[]> {
  const now = Date.now();
  const firstByDt = new Map<string, number>();
  /** The records to store (seq and timestamp set from the answer). */
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

  const outcomes: AppendOutcome[] = new Array(records.length);
  let sending = records.map((_, index) => index);
  // Each round that finds stored retries drops at least one record.
  while (sending.length > 0) {
    const batch = numbered(sending.map((index) => records[index]!));
    const rows = await callAppend(pool, batch, now);
    if (rows.some((row) => row.kind === 'earlier')) {
      const repeated = new Set<number>();
      for (const row of rows) {
        const index = sending[row.ord! - 1]!;
        outcomes[index] = { ok: true, result: { message: toMessage(row), duplicate: true } };
        repeated.add(index);
      }
      sending = sending.filter((index) => !repeated.has(index));
      continue;
    }
    const heads = new Map<number, { seq: number; timestamp: number }>();
    for (const row of rows) heads.set(batch.convIndex.get(headKey(row.app_id, row.cid))!, { seq: row.seq, timestamp: row.timestamp });
    sending.forEach((index, k) => {
      const record = records[index]!;
      const head = heads.get(batch.conv[k]!);
      if (!head) {
        outcomes[index] = { ok: false, error: ProtocolError.of('CONVERSATION_NOT_FOUND', `no conversation ${record.cid}`) };
        return;
      }
      record.seq = head.seq + batch.rank[k]!;
      record.timestamp = head.timestamp;
      outcomes[index] = { ok: true, result: { message: record, duplicate: false } };
    });
    break;
  }
  return recordOf.map((index) => {
    if (index >= 0) return outcomes[index]!;
    const first = outcomes[-1 - index]!;
    return first.ok ? { ok: true, result: { message: first.result.message, duplicate: true } } : first;
  });
}

/** A batch numbered per conversation, as lc_append_messages takes it (indexes from 1, as SQL arrays). */
interface NumberedBatch {
  records: MessageRecord[];
  /** Per record: its conversation's index and its rank there (1, 2, … in batch order). */
  conv: number[];
  rank: number[];
  convIndex: Map<string, number>;
  convs: { appId: string; cid: string; count: number; newest: number; mentionAll: number }[];
  /** Per member row touched: the rank of the sender's newest message and of the newest mentioning it (0: none). */
  marks: Map<string, { conv: number; clientId: string; read: number; mention: number }>;
}

function numbered(records: MessageRecord[]): NumberedBatch {
  const batch: NumberedBatch = { records, conv: [], rank: [], convIndex: new Map(), convs: [], marks: new Map() };
  const mark = (conv: number, clientId: string) => {
    const key = `${conv}\u0000${clientId}`;
    let found = batch.marks.get(key);
    if (!found) batch.marks.set(key, (found = { conv, clientId, read: 0, mention: 0 }));
    return found;
  };
  records.forEach((record, index) => {
    const key = headKey(record.appId, record.cid);
    let conv = batch.convIndex.get(key);
    if (conv === undefined) {
      batch.convIndex.set(key, (conv = batch.convs.length + 1));
      batch.convs.push({ appId: record.appId, cid: record.cid, count: 0, newest: 0, mentionAll: 0 });
    }
    const head = batch.convs[conv - 1]!;
    const rank = ++head.count;
    head.newest = index + 1;
    if (record.mentionAll) head.mentionAll = rank;
    batch.conv.push(conv);
    batch.rank.push(rank);
    mark(conv, record.from).read = rank;
    if (record.mentionPids.length > 0) for (const pid of mentionedMembers(record)) mark(conv, pid).mention = rank;
  });
  return batch;
}

/**
 * One call of lc_append_batch (schema migration 4), run again if it lost a
 * deadlock (it rolled back whole). The arrays go as array literals made
 * here (arrayLiteral), not by pg's serializer, and a message's app and
 * conversation as its conversation's index, not as text of their own.
 */
async function callAppend(pool: pg.Pool, batch: NumberedBatch, now: number): Promise<AppendRow[]> {
  const { records, convs } = batch;
  const marks = [...batch.marks.values()];
  const values = [
    arrayLiteral(batch.conv),
    arrayLiteral(batch.rank),
    arrayLiteral(records.map((m) => m.id)),
    arrayLiteral(records.map((m) => m.from)),
    arrayLiteral(records.map((m) => m.data)),
    arrayLiteral(records.map((m) => m.dt)),
    arrayLiteral(records.map((m) => (m.receipt ? 1 : 0))),
    // Most messages mention no one: NULL stands for '[]'.
    arrayLiteral(records.map((m) => (m.mentionPids.length === 0 ? null : JSON.stringify(m.mentionPids)))),
    arrayLiteral(records.map((m) => (m.mentionAll ? 1 : 0))),
    arrayLiteral(records.map((m) => (m.binary ? null : lctypeOf(m.data)))),
    arrayLiteral(records.map((m) => (m.binary ? 1 : 0))),
    arrayLiteral(convs.map((c) => c.appId)),
    arrayLiteral(convs.map((c) => c.cid)),
    arrayLiteral(convs.map((c) => c.count)),
    arrayLiteral(convs.map((c) => c.newest)),
    arrayLiteral(convs.map((c) => c.mentionAll)),
    arrayLiteral(marks.map((m) => m.conv)),
    arrayLiteral(marks.map((m) => m.clientId)),
    arrayLiteral(marks.map((m) => m.read)),
    arrayLiteral(marks.map((m) => m.mention)),
    now,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      // Named: parsed once per connection.
      return (await pool.query<AppendRow>({ name: 'lc_append_batch', text: APPEND_SQL, values })).rows;
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && RETRYABLE.has(sqlState(error) ?? '')) continue;
      throw error;
    }
  }
}

/**
 * A PostgreSQL array literal of `values`: JSON's text of the array, its
 * brackets made braces. Inside a quoted element an array literal escapes
 * `"` and `\` with a backslash as JSON does, `null` unquoted is NULL and
 * numbers are bare, so JSON.stringify (native) writes it. JSON escapes
 * other characters too (a control character as \n or \u0001, a lone
 * surrogate as \udxxx), which an array literal would read as other text:
 * then each element is escaped as pg's own serializer does. In the
 * persisted path's profile pg's serializer (two regular expression
 * replaces per element) was about 4 % of the server's CPU.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const json = JSON.stringify(values);
  if (!OTHER_ESCAPE.test(json)) return `{${json.slice(1, -1)}}`;
  return `{${values.map((value) => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

/** A backslash before anything but `"` or `\`: some other JSON escape (or an escaped backslash before a letter, which only takes the slow way). */
const OTHER_ESCAPE = /\\[^"\\]/;
