/**
 * Changes to an existing conversation row: members, name and attributes,
 * muted members. Each runs in one IMMEDIATE transaction (read, modify,
 * write), so two server processes on one file cannot lose each other's
 * changes.
 *
 * `m` (the JSON column) and `conversation_members` (one row per member,
 * holding the read state) always change together.
 *
 * `unique_key` follows the member set: a unique conversation is "the
 * conversation of exactly these members", so after a change it answers
 * for its new member set, and a `unique: true` create with the old set
 * makes a new conversation. If another unique conversation already holds
 * the new set, that older one keeps answering and this one's key becomes
 * NULL. `unique` and `uniqueId`, which clients have seen, never change.
 */
import type Database from 'better-sqlite3';
import { ProtocolError } from '../../../protocol/errors.js';
import { updatedAttributes } from '../attributes.js';
import type { ConversationRecord, ConversationUpdate, MemberChange, MemberEvents } from '../types.js';
import type { Notifications } from './notifications.js';
import { conversationLoader, memberSet } from './rows.js';

export class ConversationWrites {
  readonly addMembers: (appId: string, cid: string, clientIds: readonly string[], maxMembers: number, events?: MemberEvents) => MemberChange;
  readonly removeMembers: (appId: string, cid: string, clientIds: readonly string[], events?: MemberEvents) => MemberChange;
  readonly update: (appId: string, cid: string, update: ConversationUpdate) => ConversationRecord;
  readonly setMuted: (appId: string, cid: string, clientId: string, muted: boolean) => ConversationRecord;

  constructor(db: Database.Database, notifications: Notifications) {
    const sql = {
      uniqueHolder: db.prepare<[string, string], { id: string }>('SELECT id FROM conversations WHERE app_id = ? AND unique_key = ?'),
      setMembers: db.prepare('UPDATE conversations SET members = ?, unique_key = ?, updated_at = ? WHERE app_id = ? AND id = ?'),
      // A new member has read and received everything up to now.
      insertMember: db.prepare(
        `INSERT OR IGNORE INTO conversation_members (app_id, cid, client_id, joined_at, delivered_ts, read_seq, read_ts)
         VALUES (?, ?, ?, ?, ?, ?, 0)`,
      ),
      blockedAmong: db.prepare<[string, string, string], { client_id: string }>(
        `SELECT client_id FROM conversation_blocklist
         WHERE app_id = ? AND cid = ? AND client_id IN (SELECT value FROM json_each(?)) ORDER BY client_id`,
      ),
      deleteMember: db.prepare('DELETE FROM conversation_members WHERE app_id = ? AND cid = ? AND client_id = ?'),
      setAttributes: db.prepare('UPDATE conversations SET name = ?, attrs = ?, updated_at = ? WHERE app_id = ? AND id = ?'),
      setMuted: db.prepare('UPDATE conversations SET muted = ?, updated_at = ? WHERE app_id = ? AND id = ?'),
    };

    const load = conversationLoader(db);
    // updatedAt never goes backwards, even if the clock does.
    const nextUpdate = (conversation: ConversationRecord): number => Math.max(Date.now(), conversation.updatedAt);

    const writeMembers = (conversation: ConversationRecord, members: string[], now: number): void => {
      const json = JSON.stringify(members);
      let uniqueKey: string | null = null;
      if (conversation.unique && members.length > 0) {
        const holder = sql.uniqueHolder.get(conversation.appId, json);
        uniqueKey = holder && holder.id !== conversation.id ? null : json;
      }
      sql.setMembers.run(json, uniqueKey, now, conversation.appId, conversation.id);
    };

    // The change's events go into its own transaction: a crash keeps both or neither.
    const withEvents = (appId: string, change: Omit<MemberChange, 'notifications'>, events: MemberEvents | undefined): MemberChange => ({
      ...change,
      notifications: events && change.changed.length > 0 ? notifications.recordPlanned(appId, events(change)) : [],
    });

    const add = (appId: string, cid: string, clientIds: readonly string[], maxMembers: number, events?: MemberEvents): MemberChange =>
      withEvents(appId, addWithoutEvents(appId, cid, clientIds, maxMembers), events);
    const remove = (appId: string, cid: string, clientIds: readonly string[], events?: MemberEvents): MemberChange =>
      withEvents(appId, removeWithoutEvents(appId, cid, clientIds), events);

    const addWithoutEvents = (appId: string, cid: string, clientIds: readonly string[], maxMembers: number): Omit<MemberChange, 'notifications'> => {
      const conversation = load(appId, cid);
      const current = new Set(conversation.members);
      const changed = memberSet(clientIds).filter((id) => !current.has(id));
      if (changed.length === 0) return { conversation, changed };
      // The handlers check first; this catches a block that landed in between.
      const blocked = sql.blockedAmong.all(appId, cid, JSON.stringify(changed)).map((row) => row.client_id);
      if (blocked.length > 0) throw ProtocolError.of('CONVERSATION_BLACKLISTED', `blocked in ${cid}: ${blocked.join(', ')}`);
      if (current.size + changed.length > maxMembers) {
        throw ProtocolError.of('CONVERSATION_FULL', `at most ${maxMembers} members; ${current.size} + ${changed.length} would exceed it`);
      }
      const now = nextUpdate(conversation);
      for (const clientId of changed) {
        sql.insertMember.run(appId, cid, clientId, now, conversation.lastMessageAt ?? 0, conversation.lastSeq);
      }
      writeMembers(conversation, memberSet([...current, ...changed]), now);
      return { conversation: load(appId, cid), changed };
    };

    const removeWithoutEvents = (appId: string, cid: string, clientIds: readonly string[]): Omit<MemberChange, 'notifications'> => {
      const conversation = load(appId, cid);
      const leaving = new Set(clientIds);
      const changed = conversation.members.filter((id) => leaving.has(id));
      if (changed.length === 0) return { conversation, changed };
      const now = nextUpdate(conversation);
      for (const clientId of changed) sql.deleteMember.run(appId, cid, clientId);
      writeMembers(conversation, conversation.members.filter((id) => !leaving.has(id)), now);
      return { conversation: load(appId, cid), changed };
    };

    const update = (appId: string, cid: string, change: ConversationUpdate): ConversationRecord => {
      const conversation = load(appId, cid);
      const { name, attributes } = updatedAttributes(conversation, change);
      sql.setAttributes.run(name, JSON.stringify(attributes), nextUpdate(conversation), appId, cid);
      return load(appId, cid);
    };

    const mute = (appId: string, cid: string, clientId: string, muted: boolean): ConversationRecord => {
      const conversation = load(appId, cid);
      const others = conversation.mutedMembers.filter((id) => id !== clientId);
      const next = memberSet(muted ? [...others, clientId] : others);
      if (next.length === conversation.mutedMembers.length && muted === conversation.mutedMembers.includes(clientId)) return conversation;
      sql.setMuted.run(JSON.stringify(next), nextUpdate(conversation), appId, cid);
      return load(appId, cid);
    };

    const immediate = <A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) => {
      const transaction = db.transaction(fn);
      return (...args: A) => transaction.immediate(...args);
    };
    this.addMembers = immediate(add);
    this.removeMembers = immediate(remove);
    this.update = immediate(update);
    this.setMuted = immediate(mute);
  }
}
