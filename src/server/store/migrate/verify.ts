/**
 * Verification of a copy: every table's row count, and per conversation
 * the count of its messages and one checksum over the conversation's row,
 * its members (with their read state) and its messages, computed from
 * both databases the same way.
 */
import { createHash, type Hash } from 'node:crypto';
import type { PostgresTarget, TablePlan } from './postgres-target.js';
import type { SqliteSource, SqliteRow } from './sqlite-source.js';
import { canonical } from './values.js';

export interface ConversationCheck {
  appId: string;
  cid: string;
  messages: number;
  members: number;
  checksum: string;
  /** Null when the target matches; else what the target has. */
  target: { messages: number; members: number; checksum: string } | null;
}

export interface Verification {
  tables: { name: string; source: number; target: number }[];
  conversations: ConversationCheck[];
  ok: boolean;
}

const MESSAGE_PAGE = 5000;

export async function verifyCopy(source: SqliteSource, target: PostgresTarget, plans: TablePlan[], onConversation: (check: ConversationCheck) => void): Promise<Verification> {
  const tables = [];
  for (const plan of plans) tables.push({ name: plan.source.name, source: source.count(plan.source.name), target: await target.count(plan.source.name) });
  const plan = (name: string) => plans.find((candidate) => candidate.source.name === name);
  const conversationsPlan = plan('conversations');
  const membersPlan = plan('conversation_members');
  const messagesPlan = plan('messages');
  const conversations: ConversationCheck[] = [];
  if (conversationsPlan && membersPlan && messagesPlan) {
    let after: SqliteRow | null = null;
    for (;;) {
      const page = source.page(conversationsPlan.source, after && conversationsPlan.source.key.map((name) => after![name]!), 500);
      if (page.length === 0) break;
      for (const row of page) {
        const key = { app_id: row.app_id, id: row.id };
        const members = { app_id: row.app_id, cid: row.id };
        const fromSource = await checksum(conversationsPlan, membersPlan, messagesPlan, {
          conversation: async () => source.rowsWhere(conversationsPlan.source, key),
          members: async () => source.rowsWhere(membersPlan.source, members),
          messages: async (afterSeq) => source.rowsWhere(messagesPlan.source, members, { name: 'seq', value: afterSeq, limit: MESSAGE_PAGE }),
        });
        const fromTarget = await checksum(conversationsPlan, membersPlan, messagesPlan, {
          conversation: () => target.rowsWhere(conversationsPlan, key),
          members: () => target.rowsWhere(membersPlan, members),
          messages: (afterSeq) => target.rowsWhere(messagesPlan, members, { name: 'seq', value: afterSeq, limit: MESSAGE_PAGE }),
        });
        const same = fromSource.checksum === fromTarget.checksum && fromSource.messages === fromTarget.messages && fromSource.members === fromTarget.members;
        const check: ConversationCheck = { appId: String(row.app_id), cid: String(row.id), ...fromSource, target: same ? null : fromTarget };
        conversations.push(check);
        onConversation(check);
      }
      after = page[page.length - 1]!;
    }
  }
  const ok = tables.every((table) => table.source === table.target) && conversations.every((check) => check.target === null);
  return { tables, conversations, ok };
}

interface Reader {
  conversation(): Promise<Record<string, unknown>[]>;
  members(): Promise<Record<string, unknown>[]>;
  messages(afterSeq: number): Promise<Record<string, unknown>[]>;
}

async function checksum(conversationsPlan: TablePlan, membersPlan: TablePlan, messagesPlan: TablePlan, read: Reader) {
  const hash = createHash('sha256');
  for (const row of await read.conversation()) addRow(hash, conversationsPlan, row);
  hash.update('\u001d');
  // Sorted here, by code unit: the two databases' collations may order text differently.
  const members = (await read.members()).map((row) => rowText(membersPlan, row)).sort();
  for (const text of members) hash.update(text);
  hash.update('\u001d');
  let messages = 0;
  let afterSeq = 0;
  for (;;) {
    const page = await read.messages(afterSeq);
    for (const row of page) addRow(hash, messagesPlan, row);
    messages += page.length;
    if (page.length < MESSAGE_PAGE) break;
    afterSeq = Number(page[page.length - 1]!.seq);
  }
  return { messages, members: members.length, checksum: hash.digest('hex') };
}

function addRow(hash: Hash, plan: TablePlan, row: Record<string, unknown>): void {
  hash.update(rowText(plan, row));
}

function rowText(plan: TablePlan, row: Record<string, unknown>): string {
  return plan.columns.map((column) => canonical(row[column.name], column)).join('\u001f') + '\u001e';
}
