/**
 * The store on PostgreSQL, which several server processes can share. Every
 * guarantee of the SQLite store holds across processes: each write is one
 * transaction that first locks the row it changes (a conversation, a
 * member), so seqs stay gapless, retries find the first message, unique
 * conversations exist once and member changes never lose each other.
 * Appends are group committed (appends.ts) and acknowledged after COMMIT.
 *
 * When the database goes away, calls reject (the handlers answer
 * INTERNAL_ERROR) and the pool connects again once it is back.
 */
import pg from 'pg';
import { newConversationId } from '../ids.js';
import { uniqueIdOf } from '../message-records.js';
import { ComposedStore } from '../composed-store.js';
import type {
  AppendOutcome,
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
import { arrayLiteral, GroupCommit } from './appends.js';
import { Blocklist } from './blocklist.js';
import { ConversationQueries } from './conversation-queries.js';
import { createPool, describeConnectError, refusingUnstorableText, type Sql, sqlOf, transaction, TYPES } from './connection.js';
import { ConversationWrites, lockUniqueKey } from './conversation-writes.js';
import { Notifications } from './notifications.js';
import { Patches } from './patches.js';
import { ReadState } from './read-state.js';
import { RevokedLogins } from './revoked-logins.js';
import { BrokerBacklogs } from './broker-backlog.js';
import { MemberRoles } from './roles.js';
import { WebPushTables } from './web-push.js';
import { APP_SELECT, type AppRow, CONVERSATION_SELECT, type ConversationRow, MESSAGE_SELECT, type MessageRow, memberSet, messagesOf, NOW_MS, toApp, toConversation, toMessage } from './rows.js';
import { migrate } from './schema.js';

export { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  /** Connections this process holds at most. Default 10. */
  maxConnections?: number;
  /** How long the start-up connection may take. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** How long a call may wait for a pooled connection before it fails. Default 30,000 ms. */
  waitTimeoutMs?: number;
}

/**
 * Connects, brings the schema up to date and returns the store. Fails with
 * one `Error` whose message says what is wrong (bad URL, login refused,
 * database unreachable or missing, schema newer than this server).
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new Error(`invalid PostgreSQL URL: expected postgres://user[:password]@host[:port]/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`invalid PostgreSQL URL: the scheme must be postgres:// (got ${url.protocol}//)`);
  }
  // One connection of its own first: a start-up failure (unreachable, login
  // refused, schema too new) is told within connectTimeoutMs, in one line.
  const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs ?? 5000, types: TYPES });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(describeConnectError(options.url, error));
  }
  try {
    await migrate(client);
  } catch (error) {
    throw new Error(error instanceof Error && /newer than this server/.test(error.message) ? error.message : describeConnectError(options.url, error));
  } finally {
    await client.end().catch(() => undefined);
  }
  const pool = createPool({ url: options.url, max: options.maxConnections, waitTimeoutMs: options.waitTimeoutMs });
  return new PostgresStore(pool);
}

const MAX_HISTORY_LIMIT = 1000;
const GET_CONVERSATIONS_SQL = `SELECT ${CONVERSATION_SELECT}, k.n::integer AS n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(app_id, id, n)
  JOIN conversations c ON c.app_id = k.app_id AND c.id = k.id WHERE c.expires_at IS NULL OR c.expires_at > ${NOW_MS}`;
const GET_CONVERSATION_SQL = `SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = $1 AND c.id = $2 AND (c.expires_at IS NULL OR c.expires_at > ${NOW_MS})`;
/** Above any seq: an open upper bound. */
const NO_UPPER = Number.MAX_SAFE_INTEGER;


export class PostgresStore extends ComposedStore {
  /** Several server processes may share one database. */
  readonly sharedWithOtherProcesses = true;
  private readonly sql: Sql;
  private readonly appends: GroupCommit;
  protected readonly notifications: Notifications;
  protected readonly conversationWrites: ConversationWrites;
  protected readonly blocklist: Blocklist;
  protected readonly memberRoleStore: MemberRoles;
  protected readonly readState: ReadState;
  protected readonly patches: Patches;
  protected readonly revokedLogins: RevokedLogins;
  protected readonly brokerBacklog: BrokerBacklogs;
  protected readonly webPush: WebPushTables;
  private readonly queries: ConversationQueries;

  /** Use `openPostgresStore`, which migrates the schema first. */
  constructor(private readonly pool: pg.Pool) {
    super();
    this.sql = sqlOf(pool);
    this.appends = new GroupCommit(pool);
    this.notifications = new Notifications(pool);
    this.conversationWrites = new ConversationWrites(pool, this.notifications);
    this.blocklist = new Blocklist(pool, this.conversationWrites, this.notifications);
    this.memberRoleStore = new MemberRoles(pool, this.notifications);
    this.readState = new ReadState(pool);
    this.patches = new Patches(pool);
    this.revokedLogins = new RevokedLogins(pool);
    this.brokerBacklog = new BrokerBacklogs(pool);
    this.webPush = new WebPushTables(pool);
    this.queries = new ConversationQueries(pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.appends.drain();
    await this.pool.end();
  }

  async getApp(appId: string): Promise<AppRecord | undefined> {
    this.assertOpen();
    const row = await this.sql.row<AppRow>(`SELECT ${APP_SELECT} FROM apps WHERE app_id = $1`, [appId]);
    return row && toApp(row);
  }

  async putApp(app: AppRecord): Promise<void> {
    this.assertOpen();
    await this.sql.run(
      `INSERT INTO apps (app_id, app_key, master_key, require_signature, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (app_id) DO UPDATE SET app_key = excluded.app_key, master_key = excluded.master_key,
         require_signature = excluded.require_signature, created_at = excluded.created_at`,
      [app.appId, app.appKey, app.masterKey, app.requireSignature ? 1 : 0, app.createdAt],
    );
  }

  async createConversation(input: NewConversation, events?: MemberEvents): Promise<CreatedConversation> {
    this.assertOpen();
    const create = transaction(this.pool, async (sql) => {
      const { conversation, created } = await this.insertConversation(sql, input);
      // Recorded with the insert: a crash keeps the conversation and its invitations, or neither.
      const planned = created && events ? events({ conversation, changed: conversation.members }) : [];
      return { conversation, created, notifications: await this.notifications.recordPlanned(sql, input.appId, planned) };
    });
    return refusingUnstorableText(create, 'CONVERSATION_API_FAILED');
  }

  private async insertConversation(sql: Sql, input: NewConversation): Promise<{ conversation: ConversationRecord; created: boolean }> {
    const memberIds = memberSet(input.members);
    const members = JSON.stringify(memberIds);
    const temporary = input.expiresAt !== undefined;
    const unique = input.unique && !temporary;
    if (unique) {
      // Held to COMMIT: a create racing this one (any process) waits, then finds ours.
      await lockUniqueKey(sql, input.appId, members);
      const existing = await sql.row<ConversationRow>(`SELECT ${CONVERSATION_SELECT} FROM conversations c WHERE c.app_id = $1 AND c.unique_key = $2`, [input.appId, members]);
      if (existing) return { conversation: toConversation(existing), created: false };
    }
    const now = Date.now();
    // LeanCloud's temporary conversation ids start with _tmp: (4.x tells them apart by it).
    const id = temporary ? `_tmp:${newConversationId(now)}` : newConversationId(now);
    const row = await sql.row<ConversationRow>(
      `WITH c AS (
         INSERT INTO conversations (app_id, id, name, creator, members, muted, tr, sys, is_unique, unique_key, unique_id, attrs, created_at, updated_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, '[]', $6, $7, $8, $9, $10, $11::jsonb, $12, $12, $13)
         RETURNING *
       ), m AS (
         INSERT INTO conversation_members (app_id, cid, client_id, joined_at) SELECT $1, $2, client_id, $12 FROM unnest($14::text[]) AS client_id
       )
       SELECT ${CONVERSATION_SELECT} FROM c`,
      [
        input.appId,
        id,
        input.name,
        input.creator,
        members,
        input.transient ? 1 : 0,
        input.system ? 1 : 0,
        unique ? 1 : 0,
        unique ? members : null,
        unique ? uniqueIdOf(input.appId, members) : null,
        JSON.stringify(input.attributes),
        now,
        temporary ? input.expiresAt : null,
        memberIds,
      ],
    );
    return { conversation: toConversation(row!), created: true };
  }

  async getConversation(appId: string, cid: string): Promise<ConversationRecord | undefined> {
    this.assertOpen();
    // An expired temporary conversation is gone, whether or not pruned yet.
    // Named, so parsed and planned once per connection: the direct path reads
    // the conversation for each burst of messages (nothing is cached on a
    // store shared with other processes behind the in-process broker).
    const { rows } = await this.pool.query<ConversationRow>({ name: 'lc_get_conversation', text: GET_CONVERSATION_SQL, values: [appId, cid] });
    return rows[0] && toConversation(rows[0]);
  }

  /** Several conversations in one query, each as getConversation answers it (coalesced-reads.ts). */
  async getConversations(keys: readonly { appId: string; cid: string }[]): Promise<(ConversationRecord | undefined)[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<ConversationRow & { n: number }>({
      name: 'lc_get_conversations',
      text: GET_CONVERSATIONS_SQL,
      values: [arrayLiteral(keys.map((key) => key.appId)), arrayLiteral(keys.map((key) => key.cid))],
    });
    const found: (ConversationRecord | undefined)[] = new Array(keys.length).fill(undefined);
    for (const row of rows) found[row.n - 1] = toConversation(row);
    return found;
  }

  /** Whether each member is muted (shutup) in its conversation, in one query (coalesced-reads.ts). */
  async shutupOf(keys: readonly { appId: string; cid: string; clientId: string }[]): Promise<boolean[]> {
    this.assertOpen();
    return this.memberRoleStore.shutupOf(keys);
  }

  async findConversations(query: ConversationQuery): Promise<ConversationRecord[]> {
    this.assertOpen();
    return this.queries.find(query);
  }

  async isMember(appId: string, cid: string, clientId: string): Promise<boolean> {
    this.assertOpen();
    return (await this.sql.row('SELECT 1 FROM conversation_members WHERE app_id = $1 AND cid = $2 AND client_id = $3', [appId, cid, clientId])) !== undefined;
  }

  appendMessage(input: NewMessage): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return this.appends.append(input);
  }

  appendMessages(inputs: readonly NewMessage[]): Promise<AppendOutcome[]> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return this.appends.appendAll(inputs);
  }

  async queryMessages(query: HistoryQuery): Promise<MessageRecord[]> {
    this.assertOpen();
    const { appId, cid, limit, direction } = query;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_HISTORY_LIMIT) {
      throw new RangeError(`limit must be 0..${MAX_HISTORY_LIMIT}, got ${limit}`);
    }
    if (limit === 0) return [];
    // Both bounds become an open seq interval (after, before); the page is
    // then one range scan of the primary key.
    const [upper, lower] = direction === 'old' ? [query.start, query.end] : [query.end, query.start];
    const after = lower ? await this.lowerSeq(appId, cid, lower) : 0;
    const before = upper ? await this.upperSeq(appId, cid, upper) : NO_UPPER;
    const rows = await this.sql.rows<MessageRow>(
      `SELECT ${MESSAGE_SELECT} FROM messages
       WHERE ${messagesOf('$1', '$2')} AND seq > $3 AND seq < $4 AND ($5::integer IS NULL OR lctype = $5)
       ORDER BY seq ${direction === 'new' ? 'ASC' : 'DESC'} LIMIT $6`,
      [appId, cid, after, before, query.type ?? null, limit],
    );
    const messages = rows.map(toMessage);
    return direction === 'new' ? messages : messages.reverse();
  }

  private async seqOfMessage(appId: string, cid: string, bound: HistoryBound): Promise<number | undefined> {
    if (bound.messageId === undefined) return undefined;
    return (await this.sql.row<{ seq: number }>('SELECT seq FROM messages WHERE id = $1 AND app_id = $2 AND cid = $3', [bound.messageId, appId, cid]))?.seq;
  }

  /** The exclusive seq above which messages satisfy `bound` as a lower bound. */
  private async lowerSeq(appId: string, cid: string, bound: HistoryBound): Promise<number> {
    const seq = await this.seqOfMessage(appId, cid, bound);
    if (seq !== undefined) return bound.inclusive ? seq - 1 : seq;
    // Timestamps never decrease with seq: the first message after a time is found on the time index.
    const first = await this.sql.row<{ seq: number }>(
      `SELECT seq FROM messages WHERE ${messagesOf('$1', '$2')} AND timestamp ${bound.inclusive ? '>=' : '>'} $3 ORDER BY timestamp, seq LIMIT 1`,
      [appId, cid, bound.timestamp],
    );
    return first ? first.seq - 1 : NO_UPPER;
  }

  /** The exclusive seq below which messages satisfy `bound` as an upper bound. */
  private async upperSeq(appId: string, cid: string, bound: HistoryBound): Promise<number> {
    const seq = await this.seqOfMessage(appId, cid, bound);
    if (seq !== undefined) return bound.inclusive ? seq + 1 : seq;
    const last = await this.sql.row<{ seq: number }>(
      `SELECT seq FROM messages WHERE ${messagesOf('$1', '$2')} AND timestamp ${bound.inclusive ? '<=' : '<'} $3 ORDER BY timestamp DESC, seq DESC LIMIT 1`,
      [appId, cid, bound.timestamp],
    );
    return last ? last.seq + 1 : 1;
  }

  async recordDelivered(appId: string, cid: string, clientId: string, timestamp: number): Promise<void> {
    this.assertOpen();
    await this.sql.run('UPDATE conversation_members SET delivered_ts = greatest(delivered_ts, $1) WHERE app_id = $2 AND cid = $3 AND client_id = $4', [
      timestamp,
      appId,
      cid,
      clientId,
    ]);
  }

  async pruneExpiredConversations(now: number, limit: number): Promise<number> {
    this.assertOpen();
    // Members and lists go by cascade, messages by the delete trigger (schema migration 3). SKIP LOCKED: processes pruning at once split the work.
    return this.sql.run(
      `DELETE FROM conversations WHERE (app_id, id) IN (
         SELECT app_id, id FROM conversations WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [now, limit],
    );
  }

  async deleteConversation(appId: string, cid: string): Promise<boolean> {
    this.assertOpen();
    // Members, blocklist and mutes go by cascade, messages by the delete trigger (schema migration 3), in the statement's own transaction.
    return (await this.sql.run('DELETE FROM conversations WHERE app_id = $1 AND id = $2', [appId, cid])) > 0;
  }

}

