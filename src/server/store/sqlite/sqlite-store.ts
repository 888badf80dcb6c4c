/**
 * The default store: one SQLite file in WAL mode, accessed synchronously
 * through better-sqlite3 from the event-loop thread. Appends are group
 * committed: everything appended during one tick is written in a single
 * transaction and acknowledged after its COMMIT.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ProtocolError } from '../../../protocol/errors.js';
import { newConversationId } from '../ids.js';
import { advanceHead, type AppendOutcome, batchHead, type BatchHead, mentionedMembers, newMessageRecord, type PendingAppend, settleBatch, uniqueIdOf } from '../message-records.js';
import { ComposedStore } from '../composed-store.js';
import type {
  AppendResult,
  AppRecord,
  ConversationQuery,
  ConversationRecord,
  CreatedConversation,
  HistoryBound,
  HistoryQuery,
  MemberEvents,
  MessageRecord,
  NewConversation,
  NewMessage,
} from '../types.js';
import { Blocklist } from './blocklist.js';
import { MemberRoles } from './roles.js';
import { compileConversationQuery } from './conditions-sql.js';
import { ConversationWrites } from './conversation-writes.js';
import { Notifications } from './notifications.js';
import { Patches } from './patches.js';
import { ReadState } from './read-state.js';
import { OverBudgetMemo, QueryBudgetExceeded, QueryMeter, registerTick } from './query-budget.js';
import { RevokedLogins } from './revoked-logins.js';
import { BrokerBacklogs } from './broker-backlog.js';
import { WebPushTables } from './web-push.js';
import { registerRegexp } from './regexp.js';
import {
  APP_SELECT,
  type AppRow,
  CONVERSATION_SELECT,
  type ConversationRow,
  lctypeOf,
  memberSet,
  toApp,
  toConversation,
} from './rows.js';
import { type ConversationKey, type KeyedMessageRow, MAX_SEQ, MESSAGE_ROW_SELECT, MessageTimes, SEQ_SPAN, toStoredMessage } from './message-keys.js';
import { migrate } from './schema.js';

export interface SqliteStoreOptions {
  /** Path of the database file; its directory is created if missing. `:memory:` works for tools. */
  file: string;
  /** `process` (default): a commit survives a crash of this process. `power`: also a power loss. */
  durability?: 'process' | 'power';
  /** How long to wait for another connection's write lock. Default 5000 ms. */
  busyTimeoutMs?: number;
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}

const MAX_HISTORY_LIMIT = 1000;
const STATEMENT_CACHE_SIZE = 100;
/**
 * WAL pages written before a commit checkpoints them into the database
 * (SQLite's default: 1,000). A commit of the direct batch writes ~100 pages
 * (50 conversations' table and dedupe-index leaves, their heads), mostly
 * the same hot pages commit after commit: at 1,000 a checkpoint ran every
 * ~10 commits and copied those pages again each time (reads of the WAL,
 * writes and an fsync of the database file). At 8,000 (a WAL of ~32 MB at
 * most, reused after each checkpoint) it runs ~8 times less often for
 * about as many distinct pages. Durability is unchanged: a commit is in the
 * WAL before its ack, and `synchronous` (NORMAL, or FULL for `power`) is
 * what decides when the WAL reaches the disk.
 */
const WAL_CHECKPOINT_PAGES = 8000;




export class SqliteStore extends ComposedStore {
  /** One process holds the file. */
  readonly sharedWithOtherProcesses = false;
  private readonly db: Database.Database;
  private pending: PendingAppend[] = [];
  private readonly queryCache = new Map<string, Database.Statement>();
  private readonly queryMeter = new QueryMeter();
  private readonly overBudget = new OverBudgetMemo();
  private readonly sql;
  private readonly times: MessageTimes;
  private readonly writeBatch: (inputs: readonly NewMessage[]) => AppendOutcome[];
  private readonly insertConversation: (input: NewConversation, events: MemberEvents | undefined) => CreatedConversation;
  protected readonly conversationWrites: ConversationWrites;
  protected readonly blocklist: Blocklist;
  protected readonly memberRoleStore: MemberRoles;
  protected readonly readState: ReadState;
  protected readonly patches: Patches;
  protected readonly notifications: Notifications;
  protected readonly revokedLogins: RevokedLogins;
  protected readonly brokerBacklog: BrokerBacklogs;
  protected readonly webPush: WebPushTables;

  constructor(options: SqliteStoreOptions) {
    super();
    if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file);
    this.db = db;
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'power' ? 'FULL' : 'NORMAL'}`);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('foreign_keys = ON');
      db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      migrate(db);
      registerRegexp(db, this.queryMeter);
      registerTick(db, this.queryMeter);
    } catch (error) {
      db.close();
      throw error;
    }

    this.sql = {
      getApp: db.prepare<[string], AppRow>(
        `SELECT ${APP_SELECT} FROM apps WHERE app_id = ?`,
      ),
      putApp: db.prepare(
        `INSERT INTO apps (app_id, app_key, master_key, require_signature, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (app_id) DO UPDATE SET app_key = excluded.app_key, master_key = excluded.master_key,
           require_signature = excluded.require_signature, created_at = excluded.created_at`,
      ),
      getConversation: db.prepare<[string, string], ConversationRow>(
        // An expired temporary conversation is gone, whether or not pruned yet.
        `SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = ? AND c.id = ?
           AND (c.expires_at IS NULL OR c.expires_at > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))`,
      ),
      expiredConversations: db.prepare<[number, number], { app_id: string; id: string }>(
        'SELECT app_id, id FROM conversations WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?',
      ),
      deleteConversation: db.prepare('DELETE FROM conversations WHERE app_id = ? AND id = ?'),
      getUniqueConversation: db.prepare<[string, string], ConversationRow>(
        `SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = ? AND c.unique_key = ?`,
      ),
      insertConversation: db.prepare(
        `INSERT INTO conversations (app_id, id, name, creator, members, muted, tr, sys, is_unique, unique_key, unique_id,
           attrs, created_at, updated_at, expires_at)
         VALUES (@appId, @id, @name, @creator, @members, '[]', @tr, @sys, @isUnique, @uniqueKey, @uniqueId,
           @attrs, @now, @now, @expiresAt)`,
      ),
      insertMember: db.prepare(
        'INSERT OR IGNORE INTO conversation_members (app_id, cid, client_id, joined_at) VALUES (?, ?, ?, ?)',
      ),
      isMember: db.prepare<[string, string, string], { one: number }>(
        'SELECT 1 AS one FROM conversation_members WHERE app_id = ? AND cid = ? AND client_id = ?',
      ),
      recordDelivered: db.prepare(
        `UPDATE conversation_members SET delivered_ts = max(delivered_ts, ?)
         WHERE app_id = ? AND cid = ? AND client_id = ?`,
      ),
      head: db.prepare<[string, string], { conv_key: number | null; last_seq: number; lm: number | null }>(
        'SELECT conv_key, last_seq, lm FROM conversations WHERE app_id = ? AND id = ?',
      ),
      messageByDt: db.prepare<[number, string, string], KeyedMessageRow>(
        `SELECT ${MESSAGE_ROW_SELECT} FROM message_rows WHERE conv = ? AND from_peer = ? AND dt = ?`,
      ),
      // A retry (same dt) inserts nothing: the unique index finds it, and
      // only then is the first message read (messageByDt), instead of a
      // lookup before every insert.
      insertMessage: db.prepare(
        `INSERT INTO message_rows (rid, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, lctype, bin)
         VALUES (? * 4294967296 + ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conv, from_peer, dt) WHERE dt IS NOT NULL DO NOTHING`,
      ),
      // The same for most messages (text, no receipt, no mentions): the
      // constant columns written by SQLite, four fewer values bound per row.
      insertPlainMessage: db.prepare(
        `INSERT INTO message_rows (rid, id, from_peer, data, timestamp, dt, receipt, mention_pids, mention_all, lctype, bin)
         VALUES (? * 4294967296 + ?, ?, ?, ?, ?, ?, 0, '[]', 0, ?, 0)
         ON CONFLICT (conv, from_peer, dt) WHERE dt IS NOT NULL DO NOTHING`,
      ),
      // Mentions, for unread entries' `mentioned` (never lowered: seqs only grow).
      mentionMember: db.prepare(
        `UPDATE conversation_members SET mention_seq = max(mention_seq, ?)
         WHERE app_id = ? AND cid = ? AND client_id = ?`,
      ),
      mentionAll: db.prepare('UPDATE conversations SET mention_all_seq = max(mention_all_seq, ?) WHERE app_id = ? AND id = ?'),
      senderRead: db.prepare(
        `UPDATE conversation_members SET read_seq = max(read_seq, ?)
         WHERE app_id = ? AND cid = ? AND client_id = ?`,
      ),
      updateHead: db.prepare(
        `UPDATE conversations SET last_seq = ?, lm = ?, last_msg_id = ?, last_msg_from = ?, last_msg_data = ?,
           last_msg_patch_timestamp = NULL, last_msg_bin = ?
         WHERE app_id = ? AND id = ?`,
      ),
      seqOfMessage: db.prepare<[string, number], { seq: number }>(
        'SELECT rid & 4294967295 AS seq FROM message_rows WHERE id = ? AND conv = ?',
      ),
      // One rowid range: the conversation's messages between two seqs.
      historyNewest: db.prepare<HistoryParams, KeyedMessageRow>(
        `SELECT ${MESSAGE_ROW_SELECT} FROM message_rows
         WHERE rid > @conv * 4294967296 + @after AND rid < @conv * 4294967296 + @before AND (@type IS NULL OR lctype = @type)
         ORDER BY rid DESC LIMIT @limit`,
      ),
      historyOldest: db.prepare<HistoryParams, KeyedMessageRow>(
        `SELECT ${MESSAGE_ROW_SELECT} FROM message_rows
         WHERE rid > @conv * 4294967296 + @after AND rid < @conv * 4294967296 + @before AND (@type IS NULL OR lctype = @type)
         ORDER BY rid ASC LIMIT @limit`,
      ),
    };

    // IMMEDIATE transactions take the write lock up front, so a second
    // process on the same file waits (busy_timeout) instead of failing a
    // read-to-write upgrade halfway through.
    const writeBatch = db.transaction((inputs: readonly NewMessage[]) => this.writeBatchInTransaction(inputs));
    this.writeBatch = (inputs) => writeBatch.immediate(inputs);
    const insertConversation = db.transaction((input: NewConversation, events: MemberEvents | undefined): CreatedConversation => {
      const { conversation, created } = this.createConversationInTransaction(input);
      // Recorded with the insert: a crash keeps the conversation and its invitations, or neither.
      const planned = created && events ? events({ conversation, changed: conversation.members }) : [];
      return { conversation, created, notifications: this.notifications.recordPlanned(input.appId, planned) };
    });
    this.insertConversation = (input, events) => insertConversation.immediate(input, events);
    this.times = new MessageTimes(db);
    this.notifications = new Notifications(db);
    this.conversationWrites = new ConversationWrites(db, this.notifications);
    this.blocklist = new Blocklist(db, this.conversationWrites, this.notifications);
    this.memberRoleStore = new MemberRoles(db, this.notifications);
    this.readState = new ReadState(db, this.times);
    this.patches = new Patches(db);
    this.revokedLogins = new RevokedLogins(db);
    this.brokerBacklog = new BrokerBacklogs(db);
    this.webPush = new WebPushTables(db);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }

  async getApp(appId: string): Promise<AppRecord | undefined> {
    this.assertOpen();
    const row = this.sql.getApp.get(appId);
    return row && toApp(row);
  }

  async putApp(app: AppRecord): Promise<void> {
    this.assertOpen();
    this.sql.putApp.run(app.appId, app.appKey, app.masterKey, app.requireSignature ? 1 : 0, app.createdAt);
  }

  async createConversation(input: NewConversation, events?: MemberEvents): Promise<CreatedConversation> {
    this.assertOpen();
    return this.insertConversation(input, events);
  }

  private createConversationInTransaction(input: NewConversation): { conversation: ConversationRecord; created: boolean } {
    const memberIds = memberSet(input.members);
    const members = JSON.stringify(memberIds);
    // Atomic with the insert below (IMMEDIATE transaction); the unique index
    // on (app_id, unique_key) also stops any writer that skipped the check.
    const temporary = input.expiresAt !== undefined;
    if (input.unique && !temporary) {
      const existing = this.sql.getUniqueConversation.get(input.appId, members);
      if (existing) return { conversation: toConversation(existing), created: false };
    }
    const now = Date.now();
    // LeanCloud's temporary conversation ids start with _tmp: (4.x tells them apart by it).
    const id = temporary ? `_tmp:${newConversationId(now)}` : newConversationId(now);
    this.sql.insertConversation.run({
      appId: input.appId,
      id,
      name: input.name,
      creator: input.creator,
      members,
      tr: input.transient ? 1 : 0,
      sys: input.system ? 1 : 0,
      isUnique: input.unique && !temporary ? 1 : 0,
      uniqueKey: input.unique && !temporary ? members : null,
      uniqueId: input.unique && !temporary ? uniqueIdOf(input.appId, members) : null,
      attrs: JSON.stringify(input.attributes),
      now,
      expiresAt: temporary ? input.expiresAt : null,
    });
    for (const clientId of memberIds) this.sql.insertMember.run(input.appId, id, clientId, now);
    return { conversation: toConversation(this.sql.getConversation.get(input.appId, id)!), created: true };
  }

  async getConversation(appId: string, cid: string): Promise<ConversationRecord | undefined> {
    this.assertOpen();
    const row = this.sql.getConversation.get(appId, cid);
    return row && toConversation(row);
  }

  async findConversations(query: ConversationQuery): Promise<ConversationRecord[]> {
    this.assertOpen();
    const { sql, params } = compileConversationQuery(query);
    const key = query.budget ? `${sql}\n${JSON.stringify(params)}` : undefined;
    const refused = key === undefined ? undefined : this.overBudget.recall(key);
    if (refused !== undefined) throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `${refused} (refused moments ago): narrow it`);
    const statement = this.statement(sql);
    const started = performance.now();
    try {
      return this.queryMeter.run(query.budget, () => statement.all(params) as ConversationRow[]).map(toConversation);
    } catch (error) {
      if (!(error instanceof QueryBudgetExceeded)) throw error;
      if (key !== undefined) this.overBudget.remember(key, error.message);
      throw ProtocolError.of('CONVERSATION_QUERY_FAILED', `${error.message}: narrow it`);
    } finally {
      query.budget?.spent?.(performance.now() - started);
    }
  }

  async isMember(appId: string, cid: string, clientId: string): Promise<boolean> {
    this.assertOpen();
    return this.sql.isMember.get(appId, cid, clientId) !== undefined;
  }

  appendMessage(input: NewMessage): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /**
   * The direct path's batch (one tick's messages): written at once, with
   * the appends pending from this tick, in one transaction, and resolved
   * after its COMMIT. The caller already gathered the tick.
   */
  appendMessages(inputs: readonly NewMessage[]): Promise<AppendOutcome[]> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const batch = this.pending;
    this.pending = [];
    const all = batch.length === 0 ? inputs : [...batch.map((item) => item.input), ...inputs];
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.writeBatch(all);
    } catch (error) {
      // Rolled back: nothing of this batch exists, so nothing may be acked.
      settleBatch(batch, { error });
      return Promise.reject(error);
    }
    if (batch.length === 0) return Promise.resolve(outcomes);
    settleBatch(batch, outcomes);
    return Promise.resolve(outcomes.slice(batch.length));
  }

  /** Writes the pending batch in one transaction, then settles its promises. */
  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0 || this.closed) return;
    this.pending = [];
    let outcomes: AppendOutcome[];
    try {
      outcomes = this.writeBatch(batch.map((item) => item.input));
    } catch (error) {
      // Rolled back: nothing of this batch exists, so nothing may be acked.
      settleBatch(batch, { error });
      return;
    }
    settleBatch(batch, outcomes);
  }

  private writeBatchInTransaction(inputs: readonly NewMessage[]): AppendOutcome[] {
    const now = Date.now();
    const heads = new Map<string, (BatchHead & { conv: number }) | null>();
    const outcomes = inputs.map((input): AppendOutcome => {
      const key = `${input.appId}\u0000${input.cid}`;
      let head = heads.get(key);
      if (head === undefined) {
        const row = this.sql.head.get(input.appId, input.cid);
        head = row && row.conv_key !== null ? { ...batchHead(input.appId, input.cid, row.last_seq, row.lm ?? 0), conv: row.conv_key } : null;
        heads.set(key, head);
      }
      if (!head) return { ok: false, error: ProtocolError.of('CONVERSATION_NOT_FOUND', `no conversation ${input.cid}`) };
      // The rowid holds the seq in 32 bits (message-keys.ts): 4 billion messages, then no more.
      if (head.lastSeq >= MAX_SEQ) return { ok: false, error: new RangeError(`conversation ${input.cid} holds ${MAX_SEQ} messages, the most it can`) };
      const { conv } = head;
      const message = newMessageRecord(input, head.lastSeq + 1, now, head.lastTimestamp);
      const plain = !message.receipt && !message.binary && !message.mentionAll && message.mentionPids.length === 0;
      const { changes } = plain
        ? this.sql.insertPlainMessage.run(conv, message.seq, message.id, message.from, message.data, message.timestamp, message.dt, lctypeOf(message.data))
        : this.sql.insertMessage.run(
            conv,
            message.seq,
            message.id,
            message.from,
            message.data,
            message.timestamp,
            message.dt,
            message.receipt ? 1 : 0,
            message.mentionPids.length === 0 ? '[]' : JSON.stringify(message.mentionPids),
            message.mentionAll ? 1 : 0,
            message.binary ? null : lctypeOf(message.data),
            message.binary ? 1 : 0,
          );
      if (changes === 0) {
        // A retry: the first message, stored earlier or earlier in this batch (the transaction sees its own writes).
        const earlier = this.sql.messageByDt.get(conv, input.from, input.dt!)!;
        return { ok: true, result: { message: toStoredMessage(input.appId, input.cid, earlier), duplicate: true } };
      }
      if (message.mentionAll) this.sql.mentionAll.run(message.seq, message.appId, message.cid);
      if (message.mentionPids.length > 0) {
        for (const pid of mentionedMembers(message)) this.sql.mentionMember.run(message.seq, message.appId, message.cid, pid);
      }
      advanceHead(head, message);
      return { ok: true, result: { message, duplicate: false } };
    });
    // One head update per conversation per batch, however many messages it got.
    for (const head of heads.values()) {
      if (!head?.last) continue;
      const { last } = head;
      this.sql.updateHead.run(last.seq, last.timestamp, last.id, last.from, last.data, last.binary ? 1 : 0, head.appId, head.cid);
      // Own messages are never unread: one write per sender per batch, not per member.
      for (const [from, seq] of head.senders) this.sql.senderRead.run(seq, head.appId, head.cid, from);
    }
    return outcomes;
  }

  async queryMessages(query: HistoryQuery): Promise<MessageRecord[]> {
    this.assertOpen();
    const { appId, cid, limit, direction } = query;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_HISTORY_LIMIT) {
      throw new RangeError(`limit must be 0..${MAX_HISTORY_LIMIT}, got ${limit}`);
    }
    if (limit === 0) return [];
    const key = this.times.key(appId, cid);
    if (!key) return [];
    // Both bounds become an open seq interval (after, before); the page is
    // then one range scan of the conversation's rowids.
    const [upper, lower] = direction === 'old' ? [query.start, query.end] : [query.end, query.start];
    const params: HistoryParams = {
      conv: key.conv,
      after: lower ? this.lowerSeq(key, lower) : 0,
      before: upper ? this.upperSeq(key, upper) : SEQ_SPAN,
      type: query.type ?? null,
      limit,
    };
    const toRecord = (row: KeyedMessageRow) => toStoredMessage(appId, cid, row);
    if (direction === 'new') return this.sql.historyOldest.all(params).map(toRecord);
    return this.sql.historyNewest.all(params).map(toRecord).reverse();
  }

  /** The exclusive seq above which messages satisfy `bound` as a lower bound. */
  private lowerSeq(key: ConversationKey, bound: HistoryBound): number {
    const seq = bound.messageId === undefined ? undefined : this.sql.seqOfMessage.get(bound.messageId, key.conv)?.seq;
    if (seq !== undefined) return bound.inclusive ? seq - 1 : seq;
    // The messages before the bound are seqs 1..n; the first after it, if any, is n + 1.
    const before = this.times.countUpTo(key, bound.timestamp, bound.inclusive === true);
    return before < key.last ? before : SEQ_SPAN;
  }

  /** The exclusive seq below which messages satisfy `bound` as an upper bound. */
  private upperSeq(key: ConversationKey, bound: HistoryBound): number {
    const seq = bound.messageId === undefined ? undefined : this.sql.seqOfMessage.get(bound.messageId, key.conv)?.seq;
    if (seq !== undefined) return bound.inclusive ? seq + 1 : seq;
    return this.times.countUpTo(key, bound.timestamp, bound.inclusive !== true) + 1;
  }

  async recordDelivered(appId: string, cid: string, clientId: string, timestamp: number): Promise<void> {
    this.assertOpen();
    this.sql.recordDelivered.run(timestamp, appId, cid, clientId);
  }

  async pruneExpiredConversations(now: number, limit: number): Promise<number> {
    this.assertOpen();
    // One transaction per batch: members, messages and blocklist go by cascade.
    return this.db.transaction(() => {
      const expired = this.sql.expiredConversations.all(now, limit);
      for (const { app_id, id } of expired) this.sql.deleteConversation.run(app_id, id);
      return expired.length;
    }).immediate();
  }

  async deleteConversation(appId: string, cid: string): Promise<boolean> {
    this.assertOpen();
    // Members, messages, blocklist and mutes go by cascade, in the statement's own transaction.
    return this.sql.deleteConversation.run(appId, cid).changes > 0;
  }

  /** Prepared statements for query shapes seen recently; the values are parameters, so shapes repeat. */
  private statement(sql: string): Database.Statement {
    let statement = this.queryCache.get(sql);
    if (statement) {
      // Refresh its place in the eviction order.
      this.queryCache.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.queryCache.size >= STATEMENT_CACHE_SIZE) this.queryCache.delete(this.queryCache.keys().next().value!);
    }
    this.queryCache.set(sql, statement);
    return statement;
  }

}

interface HistoryParams {
  conv: number;
  after: number;
  before: number;
  type: number | null;
  limit: number;
}

