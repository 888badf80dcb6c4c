/**
 * Changes to an existing conversation row on PostgreSQL: members, name and
 * attributes, muted members; the rules are sqlite/conversation-writes.ts's.
 * Each runs in one transaction that starts by locking the conversation's
 * row, so changes from any number of processes take turns instead of
 * losing each other's work.
 */
import type pg from 'pg';
import { ProtocolError } from '../../../protocol/errors.js';
import { updatedAttributes } from '../attributes.js';
import type { ConversationRecord, ConversationUpdate, MemberChange, MemberEvents } from '../types.js';
import { refusingUnstorableText, type Sql, transaction } from './connection.js';
import type { Notifications } from './notifications.js';
import { loadForUpdate, memberSet } from './rows.js';

/** updatedAt never goes backwards, even if the clock does. */
const nextUpdate = (conversation: ConversationRecord): number => Math.max(Date.now(), conversation.updatedAt);

/**
 * Serializes everyone claiming one unique member set (creating a unique
 * conversation, or moving one's members onto the set) until COMMIT: the
 * holder check and the write cannot interleave across processes.
 */
export async function lockUniqueKey(sql: Sql, appId: string, key: string): Promise<void> {
  await sql.run('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify([appId, key])]);
}

export class ConversationWrites {
  constructor(
    private readonly pool: pg.Pool,
    private readonly notifications: Notifications,
  ) {}

  addMembers(appId: string, cid: string, clientIds: readonly string[], maxMembers: number, events?: MemberEvents): Promise<MemberChange> {
    return transaction(this.pool, (sql) => this.addIn(sql, appId, cid, clientIds, maxMembers, events));
  }

  removeMembers(appId: string, cid: string, clientIds: readonly string[], events?: MemberEvents): Promise<MemberChange> {
    return transaction(this.pool, (sql) => this.removeIn(sql, appId, cid, clientIds, events));
  }

  /** Inside the caller's transaction (a block kicks the blocked members with it). */
  async removeIn(sql: Sql, appId: string, cid: string, clientIds: readonly string[], events?: MemberEvents): Promise<MemberChange> {
    const conversation = await loadForUpdate(sql, appId, cid);
    const leaving = new Set(clientIds);
    const changed = conversation.members.filter((id) => leaving.has(id));
    if (changed.length === 0) return { conversation, changed, notifications: [] };
    const now = nextUpdate(conversation);
    await sql.run('DELETE FROM conversation_members WHERE app_id = $1 AND cid = $2 AND client_id = ANY($3::text[])', [appId, cid, changed]);
    await writeMembers(sql, conversation, conversation.members.filter((id) => !leaving.has(id)), now);
    return this.withEvents(sql, appId, { conversation: await loadForUpdate(sql, appId, cid), changed }, events);
  }

  private async addIn(sql: Sql, appId: string, cid: string, clientIds: readonly string[], maxMembers: number, events?: MemberEvents): Promise<MemberChange> {
    const conversation = await loadForUpdate(sql, appId, cid);
    const current = new Set(conversation.members);
    const changed = memberSet(clientIds).filter((id) => !current.has(id));
    if (changed.length === 0) return { conversation, changed, notifications: [] };
    // The handlers check first; this catches a block that landed in between.
    const blocked = await sql.rows<{ client_id: string }>(
      'SELECT client_id FROM conversation_blocklist WHERE app_id = $1 AND cid = $2 AND client_id = ANY($3::text[]) ORDER BY client_id',
      [appId, cid, changed],
    );
    if (blocked.length > 0) throw ProtocolError.of('CONVERSATION_BLACKLISTED', `blocked in ${cid}: ${blocked.map((row) => row.client_id).join(', ')}`);
    if (current.size + changed.length > maxMembers) {
      throw ProtocolError.of('CONVERSATION_FULL', `at most ${maxMembers} members; ${current.size} + ${changed.length} would exceed it`);
    }
    const now = nextUpdate(conversation);
    // A new member has read and received everything up to now.
    await sql.run(
      `INSERT INTO conversation_members (app_id, cid, client_id, joined_at, delivered_ts, read_seq, read_ts)
       SELECT $1, $2, id, $4, $5, $6, 0 FROM unnest($3::text[]) AS id ON CONFLICT DO NOTHING`,
      [appId, cid, changed, now, conversation.lastMessageAt ?? 0, conversation.lastSeq],
    );
    await writeMembers(sql, conversation, memberSet([...current, ...changed]), now);
    return this.withEvents(sql, appId, { conversation: await loadForUpdate(sql, appId, cid), changed }, events);
  }

  /** The change's events go into its own transaction: a crash keeps both or neither. */
  private async withEvents(sql: Sql, appId: string, change: Omit<MemberChange, 'notifications'>, events: MemberEvents | undefined): Promise<MemberChange> {
    const notifications = events && change.changed.length > 0 ? await this.notifications.recordPlanned(sql, appId, events(change)) : [];
    return { ...change, notifications };
  }

  update(appId: string, cid: string, change: ConversationUpdate): Promise<ConversationRecord> {
    return refusingUnstorableText(this.updateIn(appId, cid, change), 'CONVERSATION_UPDATE_FAILED');
  }

  private updateIn(appId: string, cid: string, change: ConversationUpdate): Promise<ConversationRecord> {
    return transaction(this.pool, async (sql) => {
      const conversation = await loadForUpdate(sql, appId, cid);
      const { name, attributes } = updatedAttributes(conversation, change);
      await sql.run('UPDATE conversations SET name = $1, attrs = $2::jsonb, updated_at = $3 WHERE app_id = $4 AND id = $5', [
        name,
        JSON.stringify(attributes),
        nextUpdate(conversation),
        appId,
        cid,
      ]);
      return loadForUpdate(sql, appId, cid);
    });
  }

  setMuted(appId: string, cid: string, clientId: string, muted: boolean): Promise<ConversationRecord> {
    return transaction(this.pool, async (sql) => {
      const conversation = await loadForUpdate(sql, appId, cid);
      const others = conversation.mutedMembers.filter((id) => id !== clientId);
      const next = memberSet(muted ? [...others, clientId] : others);
      if (next.length === conversation.mutedMembers.length && muted === conversation.mutedMembers.includes(clientId)) return conversation;
      await sql.run('UPDATE conversations SET muted = $1, updated_at = $2 WHERE app_id = $3 AND id = $4', [JSON.stringify(next), nextUpdate(conversation), appId, cid]);
      return loadForUpdate(sql, appId, cid);
    });
  }
}

/** `m` and the unique key follow the member set (see sqlite/conversation-writes.ts). */
async function writeMembers(sql: Sql, conversation: ConversationRecord, members: string[], now: number): Promise<void> {
  const json = JSON.stringify(members);
  let uniqueKey: string | null = null;
  if (conversation.unique && members.length > 0) {
    await lockUniqueKey(sql, conversation.appId, json);
    const holder = await sql.row<{ id: string }>('SELECT id FROM conversations WHERE app_id = $1 AND unique_key = $2', [conversation.appId, json]);
    uniqueKey = holder && holder.id !== conversation.id ? null : json;
  }
  await sql.run('UPDATE conversations SET members = $1, unique_key = $2, updated_at = $3 WHERE app_id = $4 AND id = $5', [
    json,
    uniqueKey,
    now,
    conversation.appId,
    conversation.id,
  ]);
}
