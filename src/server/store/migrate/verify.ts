/**
 * Verification of a copy: every table's row count, per conversation the
 * count of its messages and one checksum over the conversation's row, its
 * members (with their read state) and its messages, and for the tables
 * nothing else checks row by row (Web Push's key pair and subscriptions)
 * a checksum over every row, computed from both databases the same way.
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

/** A whole table's checksum on each side. */
export interface TableChecksum {
  name: string;
  source: string;
  target: string;
}

export interface Verification {
  tables: { name: string; source: number; target: number }[];
  conversations: ConversationCheck[];
  /** The tables of CHECKSUMMED_TABLES the copy has. */
  checksums: TableChecksum[];
  ok: boolean;
}

const MESSAGE_PAGE = 5000;
/** Tables checked row by row as a whole: no per-conversation check covers them. */
export const CHECKSUMMED_TABLES: readonly string[] = ['vapid_keys', 'push_subscriptions'];
const TABLE_PAGE = 5000;
/** Row digests are summed modulo 2^256: the sum does not depend on the order either database reads them in. */
const DIGEST_MODULUS = 1n << 256n;

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
  const checksums: TableChecksum[] = [];
  for (const name of CHECKSUMMED_TABLES) {
    const whole = plan(name);
    if (!whole) continue;
    checksums.push({
      name,
      source: await tableChecksum(whole, async (after) => source.page(whole.source, after as SqliteRow[string][] | null, TABLE_PAGE)),
      target: await tableChecksum(whole, (after) => target.page(whole, after, TABLE_PAGE)),
    });
  }
  const ok = tables.every((table) => table.source === table.target) && conversations.every((check) => check.target === null) && checksums.every((check) => check.source === check.target);
  return { tables, conversations, checksums, ok };
}

/** Every row of the table, read in pages by key, as one order-independent digest (hex). */
async function tableChecksum(plan: TablePlan, page: (after: unknown[] | null) => Promise<Record<string, unknown>[]>): Promise<string> {
  let sum = 0n;
  let after: unknown[] | null = null;
  for (;;) {
    const rows = await page(after);
    for (const row of rows) sum = (sum + BigInt(`0x${createHash('sha256').update(rowText(plan, row)).digest('hex')}`)) % DIGEST_MODULUS;
    if (rows.length < TABLE_PAGE) break;
    const last = rows[rows.length - 1]!;
    after = plan.source.key.map((name) => last[name]);
  }
  return sum.toString(16).padStart(64, '0');
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
