/**
 * Issue 10, acceptance 4: `lc-chat migrate --from sqlite:<file> --to
 * postgres://…` copies a deployment (made through the protocol: messages,
 * reads, edits and recalls, mentions, membership changes, roles, mutes,
 * blocks, Web Push subscriptions and the VAPID key pair) into an empty
 * PostgreSQL database. Interrupted, it continues
 * without duplicating; it verifies the copy; it refuses a non-empty target;
 * and a server on the copy serves the same history, unread counts and
 * queries as the server on SQLite did. (`npm run bench:migrate` runs the
 * issue's full size, 100,000 messages in 1,000 conversations.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CommandType, OpType, messages, type Command, type DecodedCommand } from '../src/protocol/codec.js';
import { migrateToPostgres } from '../src/server/store/migrate/migrate-to-postgres.js';
import { openStore } from '../src/server/store/open-store.js';
import type { StoreLocation } from '../src/server/store/store-location.js';
import { createTestDatabase } from './helpers/postgres.js';
import { RawClient } from './helpers/raw-client.js';
import { startTestServer } from './helpers/server.js';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const USERS = Array.from({ length: 8 }, (_, k) => `user-${k}`);
const CONVERSATIONS = 40;
const MESSAGES_PER_CONVERSATION = 25;

function ok(reply: DecodedCommand, what: string): DecodedCommand {
  assert.notEqual(reply.cmd, CommandType.error, `${what}: ${reply.errorMessage?.code} ${reply.errorMessage?.reason} ${reply.errorMessage?.detail ?? ''}`);
  return reply;
}
const conv = (op: OpType, convMessage: Record<string, unknown>): Command => ({ cmd: CommandType.conv, op, convMessage });

async function loginAll(wsUrl: string): Promise<Map<string, RawClient>> {
  const clients = new Map<string, RawClient>();
  for (const id of USERS) {
    const client = await RawClient.connect(wsUrl);
    await client.login('test-app-id', id);
    clients.set(id, client);
  }
  return clients;
}

/** A deployment's worth of everything the store keeps, made through the protocol. */
async function seed(wsUrl: string): Promise<string[]> {
  const clients = await loginAll(wsUrl);
  const as = (id: string) => clients.get(id)!;
  const cids: string[] = [];
  for (let c = 0; c < CONVERSATIONS; c++) {
    const creator = USERS[c % USERS.length]!;
    const members = [USERS[(c + 1) % USERS.length]!, USERS[(c + 3) % USERS.length]!];
    const attr = { data: JSON.stringify({ name: `room ${c}`, level: c % 10, tags: ['x', { deep: c }] }) };
    cids.push(ok(await as(creator).request(conv(OpType.start, { m: members, attr, unique: c % 7 === 0 })), 'start').convMessage!.cid!);
  }
  for (let c = 0; c < CONVERSATIONS; c++) {
    const cid = cids[c]!;
    const members = [USERS[c % USERS.length]!, USERS[(c + 1) % USERS.length]!, USERS[(c + 3) % USERS.length]!];
    const sent: { uid: string; t: number; from: string }[] = [];
    await Promise.all(
      members.map(async (from, k) => {
        for (let n = k; n < MESSAGES_PER_CONVERSATION; n += members.length) {
          const mention = n % 9 === 4 ? { mentionPids: [members[(k + 1) % members.length]!] } : {};
          const reply = ok(await as(from).request({ cmd: CommandType.direct, directMessage: { cid, msg: JSON.stringify({ _lctype: -1, _lctext: `${cid} #${n} 你好` }), dt: `d${n}`, ...mention } }), 'send');
          sent.push({ uid: reply.ackMessage!.uid!, t: Number(reply.ackMessage!.t), from });
        }
      }),
    );
    sent.sort((a, b) => a.t - b.t);
    // Read state: the second member has read about half.
    const half = sent[Math.floor(sent.length / 2)]!;
    as(members[1]!).send({ cmd: CommandType.read, readMessage: { convs: [{ cid, mid: half.uid, timestamp: half.t }] } });
    if (c % 5 === 0) {
      const last = sent[sent.length - 1]!;
      const patch = (recall: boolean, item: { uid: string; t: number; from: string }) =>
        as(item.from).request({ cmd: CommandType.patch, op: OpType.modify, patchMessage: { patches: [{ cid, mid: item.uid, timestamp: item.t, recall, data: recall ? undefined : JSON.stringify({ _lctype: -1, _lctext: 'edited' }) }] } });
      ok(await patch(false, last), 'edit');
      ok(await patch(true, sent[1]!), 'recall');
    }
    if (c % 4 === 1) {
      const owner = as(members[0]!);
      ok(await owner.request(conv(OpType.remove, { cid, m: [members[2]!] })), 'remove');
      ok(await owner.request(conv(OpType.add, { cid, m: [USERS[(c + 5) % USERS.length]!] })), 'add');
      ok(await owner.request(conv(OpType.member_info_update, { cid, targetClientId: members[1]!, info: { pid: members[1]!, role: 'Manager' } })), 'promote');
      ok(await owner.request(conv(OpType.add_shutup, { cid, m: [members[1]!] })), 'mute');
      ok(await owner.request({ cmd: CommandType.blacklist, op: OpType.block, blacklistMessage: { srcCid: cid, toPids: [`stranger-${c}`] } }), 'block');
    }
  }
  // Reads are one-way: a round trip on each socket makes sure they were handled.
  for (const client of clients.values()) await client.request(conv(OpType.query, { limit: 1 }));
  for (const client of clients.values()) client.close();
  return cids;
}

/** What users see: their unread lists, their conversation queries, every history. */
async function view(wsUrl: string, cids: string[]) {
  const clients = await loginAll(wsUrl);
  const seen: Record<string, unknown> = {};
  for (const [id, client] of clients) {
    const unread = await client.take((command) => command.cmd === CommandType.unread, 10_000);
    seen[`unread ${id}`] = (unread.unreadMessage?.convs ?? []).map((tuple) => ({ ...tuple })).sort((a, b) => (a.cid! < b.cid! ? -1 : 1));
    for (const [name, query] of Object.entries({
      mine: { where: { data: JSON.stringify({ m: { $all: [id] } }) }, sort: '-lm', limit: 100 },
      levels: { where: { data: JSON.stringify({ level: { $gte: 5 }, name: { $regex: '^room 1' } }) }, sort: 'createdAt', limit: 100 },
      paged: { where: { data: JSON.stringify({ m: id }) }, sort: '-updatedAt', skip: 2, limit: 20 },
    })) {
      const reply = ok(await client.request(conv(OpType.query, query)), `query ${name}`);
      seen[`query ${name} ${id}`] = JSON.parse(reply.convMessage?.results?.data ?? '[]');
    }
  }
  for (const [c, cid] of cids.entries()) {
    // Read by the creator, who stays a member.
    const logs = ok(await clients.get(USERS[c % USERS.length]!)!.request({ cmd: CommandType.logs, logsMessage: { cid, l: 1000, direction: messages.LogsCommand.QueryDirection.NEW } }), 'logs');
    seen[`history ${cid}`] = (logs.logsMessage?.logs ?? []).map((log) => ({ ...log }));
  }
  for (const client of clients.values()) client.close();
  return seen;
}

/** Web Push state (issue 17): three users' browsers subscribed through the HTTP API, and the server's VAPID public key. */
async function subscribeBrowsers(server: { httpUrl: string; wsUrl: string }): Promise<string> {
  for (const id of USERS.slice(0, 3)) {
    const client = await RawClient.connect(server.wsUrl);
    const token = (await client.login('test-app-id', id)).sessionMessage!.st!;
    client.close();
    for (const k of [1, 2]) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const subscription = { endpoint: `https://fcm.googleapis.com/fcm/send/${id}-${k}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
      const response = await fetch(`${server.httpUrl}/push/subscriptions`, {
        method: 'POST',
        headers: { 'X-LC-Id': 'test-app-id', 'X-LC-IM-Session-Token': token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ subscription, lang: 'zh-CN' }),
      });
      assert.equal(response.status, 200, await response.text());
    }
  }
  return ((await (await fetch(`${server.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey;
}

function migrateCli(from: string, to: string, extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'migrate', '--from', `sqlite:${from}`, '--to', to, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

test('lc-chat migrate: resumable, verified, refuses a non-empty target; the copy serves what SQLite served', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lc-chat-migrate-'));
  const file = join(dir, 'lc-chat.db');
  const sqlite: StoreLocation = { kind: 'sqlite', file };
  const target = await createTestDatabase();
  const other = await createTestDatabase();
  try {
    const source = await startTestServer({ dataDir: dir, storeLocation: sqlite });
    const cids = await seed(source.wsUrl);
    const before = await view(source.wsUrl, cids);
    const pushKey = await subscribeBrowsers(source);
    await source.stop();
    // What is compared is not empty: full histories, unread counts, query results.
    for (const cid of cids) assert.equal((before[`history ${cid}`] as unknown[]).length, MESSAGES_PER_CONVERSATION);
    const unreadCounts = USERS.flatMap((id) => (before[`unread ${id}`] as { unread: number }[]).map((tuple) => tuple.unread));
    assert.ok(unreadCounts.length >= CONVERSATIONS && unreadCounts.some((n) => n > 0) && unreadCounts.some((n) => n < MESSAGES_PER_CONVERSATION));
    assert.ok(USERS.every((id) => (before[`query mine ${id}`] as unknown[]).length > 0));
    assert.ok((before[`query levels ${USERS[0]}`] as unknown[]).length > 0);

    // Interrupted part-way through the messages...
    let batches = 0;
    await assert.rejects(
      migrateToPostgres({
        from: file,
        to: target.url,
        batchRows: 50,
        prepareTarget: async (url) => (await openStore({ storeLocation: { kind: 'postgres', url }, durability: 'process' })).close(),
        log: () => {},
        afterBatch: (table) => {
          if (table === 'messages' && ++batches === 4) throw new Error('interrupted');
        },
      }),
      /interrupted/,
    );
    // ...and run again from the command line: it continues, copies the rest once, and verifies.
    const resumed = await migrateCli(file, target.url, ['--batch', '50']);
    assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
    assert.match(resumed.stdout, /^messages: resuming after 200 rows$/m);
    assert.match(resumed.stdout, new RegExp(`^verified: ${CONVERSATIONS} conversations, ${CONVERSATIONS * MESSAGES_PER_CONVERSATION} messages, identical`, 'm'));
    const perConversation = resumed.stdout.split('\n').filter((line) => / sha256 [0-9a-f]{16} {2}ok$/.test(line));
    assert.equal(perConversation.length, CONVERSATIONS, 'a count and checksum line per conversation');
    assert.match(resumed.stdout, new RegExp(`/${cids[3]}  messages ${MESSAGES_PER_CONVERSATION}  members \\d  sha256 `));
    // Web Push's key pair and subscriptions came along, every row checked.
    assert.match(resumed.stdout, /^vapid_keys +1 rows$/m);
    assert.match(resumed.stdout, /^push_subscriptions +6 rows$/m);
    assert.match(resumed.stdout, /^vapid_keys +rows identical, sha256 [0-9a-f]{16}$/m);
    assert.match(resumed.stdout, /^push_subscriptions +rows identical, sha256 [0-9a-f]{16}$/m);

    // A finished copy run again copies nothing and verifies again.
    const again = await migrateCli(file, target.url, ['--quiet']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /verified: 40 conversations/);

    // A copy that no longer matches its source fails verification, naming the conversation.
    const sql = new pg.Client({ connectionString: target.url });
    await sql.connect();
    try {
      await sql.query(`UPDATE messages SET data = data || ' ' WHERE cid = $1 AND seq = 7`, [cids[2]]);
      const tampered = await migrateCli(file, target.url);
      assert.equal(tampered.code, 1);
      assert.match(tampered.stderr, /^lc-chat migrate: the copy differs from the source: 1 conversations differ/);
      assert.match(tampered.stdout, new RegExp(`/${cids[2]}  messages ${MESSAGES_PER_CONVERSATION} .* DIFFERS: target has messages ${MESSAGES_PER_CONVERSATION}`));
      await sql.query(`UPDATE messages SET data = left(data, -1) WHERE cid = $1 AND seq = 7`, [cids[2]]);
      // So does a subscription whose keys changed on the way.
      await sql.query(`UPDATE push_subscriptions SET auth = 'x' || auth WHERE endpoint LIKE '%/user-1-2'`);
      const keys = await migrateCli(file, target.url);
      assert.equal(keys.code, 1);
      assert.match(keys.stderr, /^lc-chat migrate: the copy differs from the source: push_subscriptions's rows differ$/m);
      assert.match(keys.stdout, /^push_subscriptions +sha256 source [0-9a-f]{16} target [0-9a-f]{16} {3}DIFFERS$/m);
      await sql.query(`UPDATE push_subscriptions SET auth = substr(auth, 2) WHERE endpoint LIKE '%/user-1-2'`);
    } finally {
      await sql.end();
    }

    // The PostgreSQL store's own count of them (the deployment's total is checked against it) counts the copied rows.
    const counted = new pg.Client({ connectionString: target.url });
    await counted.connect();
    try {
      assert.equal(Number((await counted.query('SELECT n FROM push_subscription_count')).rows[0].n), 6);
    } finally {
      await counted.end();
    }

    // A database that holds data of its own is refused, and left as it was.
    const used = await startTestServer({ storeLocation: { kind: 'postgres', url: other.url } });
    await used.stop();
    const refused = await migrateCli(file, other.url);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^lc-chat migrate: the target is not empty \(apps has rows\)/);

    const copy = await startTestServer({ storeLocation: { kind: 'postgres', url: target.url } });
    try {
      const after = await view(copy.wsUrl, cids);
      assert.deepEqual(after, before, 'the same history, unread counts and query results');
      // The copy signs with the same VAPID key, so the browsers subscribed before keep getting pushes.
      assert.equal(((await (await fetch(`${copy.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey, pushKey);
    } finally {
      await copy.stop();
    }
  } finally {
    await target.drop();
    await other.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
