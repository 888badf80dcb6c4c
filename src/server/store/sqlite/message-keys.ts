/**
 * Where a conversation's messages are in `message_rows` (schema.ts): the
 * rowid is `conv_key * 2^32 + seq`, so one conversation's messages are one
 * rowid range, in seq order. Rowids pass 2^53, so they are computed by
 * SQLite from the two numbers and never read into JavaScript.
 */
import type Database from 'better-sqlite3';
import type { MessageRecord } from '../types.js';
import { type MessageRow, toMessage } from './rows.js';

/** Seqs per conversation: the rowid's low 32 bits. */
export const SEQ_SPAN = 4294967296;
export const MAX_SEQ = SEQ_SPAN - 1;

/** The columns of a message row (`alias`: of the table so aliased), with its seq; app_id and cid are the caller's (see toStoredMessage). */
export function messageRowSelect(alias?: string): string {
  const m = alias ? `${alias}.` : '';
  return `${m}id, ${m}rid & 4294967295 AS seq, ${m}from_peer, ${m}data, ${m}timestamp, ${m}dt, ${m}receipt, ${m}mention_pids, ${m}mention_all, ${m}patch_timestamp, ${m}bin`;
}
export const MESSAGE_ROW_SELECT = messageRowSelect();

/** A row of MESSAGE_ROW_SELECT: a message row without its conversation's names. */
export type KeyedMessageRow = Omit<MessageRow, 'app_id' | 'cid'>;

/** A message of `cid` read from message_rows. */
export function toStoredMessage(appId: string, cid: string, row: KeyedMessageRow): MessageRecord {
  return toMessage({ ...row, app_id: appId, cid });
}

/** A conversation's key and newest seq, or undefined when it does not exist. */
export interface ConversationKey {
  conv: number;
  last: number;
}

/**
 * Time bounds to seqs, by bisection of the conversation's rowid range:
 * a message's timestamp never decreases with its seq (newMessageRecord)
 * and seqs run from 1 without gaps, so "the messages at or before t" are
 * always seqs 1..n. About log2(last) rowid lookups: 20 for a million
 * messages, where a time index cost every append a B-tree write.
 */
export class MessageTimes {
  private readonly keyOf: Database.Statement<[string, string], { conv: number | null; last: number }>;
  private readonly timestampAt: Database.Statement<[number, number], number>;

  constructor(db: Database.Database) {
    this.keyOf = db.prepare('SELECT conv_key AS conv, last_seq AS last FROM conversations WHERE app_id = ? AND id = ?');
    this.timestampAt = db.prepare<[number, number], number>('SELECT timestamp FROM message_rows WHERE rid = ? * 4294967296 + ?').pluck();
  }

  key(appId: string, cid: string): ConversationKey | undefined {
    const row = this.keyOf.get(appId, cid);
    return row && row.conv !== null ? { conv: row.conv, last: row.last } : undefined;
  }

  /** How many of the conversation's messages are at or before `t` (before `t`, when `strict`): they are seqs 1..n. */
  countUpTo({ conv, last }: ConversationKey, t: number, strict: boolean): number {
    // Seqs 1..lo are in, seqs past hi are out.
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      const timestamp = this.timestampAt.get(conv, mid);
      if (timestamp !== undefined && (strict ? timestamp < t : timestamp <= t)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
