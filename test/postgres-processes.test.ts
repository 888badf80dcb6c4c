/**
 * Issue 10, acceptance 2: four `lc-chat serve` processes on one PostgreSQL
 * database, 20 clients spread over them appending to the same 5
 * conversations. Every acked message is in history exactly once, each
 * conversation's seqs are 1..n without a gap, retries with the same dt are
 * not stored twice; member changes and unique conversations racing across
 * the processes lose nothing. (Pushes between processes come with the
 * Redis broker, issue 17: this tests what goes through the store.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { CommandType, OpType, messages, type DecodedCommand } from '../src/protocol/codec.js';
import { createTestDatabase } from './helpers/postgres.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP } from './helpers/server.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

const PROCESSES = 4;
const CLIENTS = 20;
const CONVERSATIONS = 5;
const MESSAGES_PER_CLIENT = 60;
const IN_FLIGHT = 8;

const text = (dt: string) => JSON.stringify({ _lctype: -1, _lctext: dt });

async function connect(server: ServerProcess, clientId: string): Promise<RawClient> {
  const client = await RawClient.connect(server.wsUrl);
  await client.login(TEST_APP.appId, clientId);
  return client;
}

function ok(reply: DecodedCommand, what: string): DecodedCommand {
  assert.notEqual(reply.cmd, CommandType.error, `${what}: ${reply.errorMessage?.code} ${reply.errorMessage?.reason} ${reply.errorMessage?.detail ?? ''}`);
  return reply;
}

/** The whole history, oldest first. */
async function history(client: RawClient, cid: string): Promise<{ id: string; dt: string }[]> {
  const all: { id: string; dt: string }[] = [];
  let start: { t: number; mid: string } | undefined;
  for (;;) {
    const reply = ok(await client.request({ cmd: CommandType.logs, logsMessage: { cid, l: 1000, direction: messages.LogsCommand.QueryDirection.NEW, ...start } }), 'logs');
    const logs = reply.logsMessage?.logs ?? [];
    for (const log of logs) all.push({ id: log.msgId!, dt: (JSON.parse(log.data!) as { _lctext: string })._lctext });
    if (logs.length < 1000) return all;
    start = { t: Number(logs[logs.length - 1]!.timestamp), mid: logs[logs.length - 1]!.msgId! };
  }
}

test('four server processes on one PostgreSQL database: appends, retries, member changes and unique conversations racing', { timeout: 240_000 }, async () => {
  const database = await createTestDatabase();
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  const clients: RawClient[] = [];
  const sql = new pg.Client({ connectionString: database.url });
  try {
    for (let p = 0; p < PROCESSES; p++) {
      const dir = mkdtempSync(join(tmpdir(), 'lc-chat-processes-'));
      dirs.push(dir);
      // One at a time: the first runs the migrations, the others find them applied.
      servers.push(await startServerProcess(dir, 0, ['--store', database.url]));
    }
    const writerIds = Array.from({ length: CLIENTS }, (_, k) => `writer-${k}`);
    for (let k = 0; k < CLIENTS; k++) clients.push(await connect(servers[k % PROCESSES]!, writerIds[k]!));

    const cids: string[] = [];
    for (let c = 0; c < CONVERSATIONS; c++) {
      const reply = ok(await clients[c]!.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: [...writerIds, 'reader'] } }), 'conv start');
      cids.push(reply.convMessage!.cid!);
    }

    // Every client appends to all five conversations at once, through its own process.
    const acked = new Map<string, { cid: string; id: string }>(); // dt -> where and what
    await Promise.all(
      clients.map(async (client, k) => {
        const window = new Set<Promise<void>>();
        for (let n = 0; n < MESSAGES_PER_CLIENT; n++) {
          const dt = `w${k}-${n}`;
          const cid = cids[(k + n) % CONVERSATIONS]!;
          const request = client.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(dt), dt } }, 60_000).then((reply) => {
            ok(reply, `send ${dt}`);
            assert.equal(reply.cmd, CommandType.ack);
            acked.set(dt, { cid, id: reply.ackMessage!.uid! });
          });
          window.add(request);
          void request.finally(() => window.delete(request));
          if (window.size >= IN_FLIGHT) await Promise.race(window);
        }
        await Promise.all(window);
      }),
    );
    assert.equal(acked.size, CLIENTS * MESSAGES_PER_CLIENT);

    // Retries of every third message, through another process than the first send, racing each other.
    await Promise.all(
      clients.map(async (_, k) => {
        const other = clients[(k + PROCESSES + 1) % CLIENTS]!; // a different process, same app
        const self = clients[k]!;
        for (let n = 0; n < MESSAGES_PER_CLIENT; n += 3) {
          const dt = `w${k}-${n}`;
          const { cid, id } = acked.get(dt)!;
          // Only the sender's own retry dedupes: (cid, from, dt) is the key.
          const [again] = await Promise.all([
            self.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(dt), dt } }, 60_000),
            other.request({ cmd: CommandType.logs, logsMessage: { cid, l: 1 } }, 60_000),
          ]);
          assert.equal(ok(again, `retry ${dt}`).ackMessage?.uid, id, `retry of ${dt} acks the first message`);
        }
      }),
    );

    await sql.connect();
    for (const cid of cids) {
      const stored = await history(clients[cids.indexOf(cid) % CLIENTS]!, cid);
      const expected = [...acked].filter(([, where]) => where.cid === cid);
      assert.equal(stored.length, expected.length, `${cid}: every acked message once`);
      assert.equal(new Set(stored.map((m) => m.dt)).size, stored.length, `${cid}: no dt stored twice`);
      const byDt = new Map(stored.map((m) => [m.dt, m.id]));
      for (const [dt, where] of expected) assert.equal(byDt.get(dt), where.id, `${dt} is in history with the id it was acked with`);
      const { rows } = await sql.query<{ seq: string }>('SELECT seq FROM messages WHERE cid = $1 ORDER BY seq', [cid]);
      assert.deepEqual(
        rows.map((row) => Number(row.seq)),
        Array.from({ length: expected.length }, (_, k) => k + 1),
        `${cid}: seqs 1..${expected.length} without a gap`,
      );
    }

    // A member who never read: unread = last seq, from whichever process it logs in to.
    const reader = await connect(servers[PROCESSES - 1]!, 'reader');
    clients.push(reader);
    const unread = await reader.take((command) => command.cmd === CommandType.unread, 10_000);
    const counts = new Map((unread.unreadMessage?.convs ?? []).map((tuple) => [tuple.cid!, tuple.unread!]));
    for (const cid of cids) assert.equal(counts.get(cid), [...acked.values()].filter((where) => where.cid === cid).length, `${cid}: unread count`);

    // Member changes racing across the processes: every client joins and adds three, the odd ones
    // then quit, while the owner (on the first process) removes the first of each client's three.
    const group = ok(await clients[0]!.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['writer-0'] } }), 'group').convMessage!.cid!;
    await Promise.all(
      clients.slice(0, CLIENTS).map(async (client, k) => {
        const extras = [0, 1, 2].map((j) => `extra-${k}-${j}`);
        ok(await client.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid: group, m: [`writer-${k}`] } }, 60_000), 'join');
        for (const extra of extras) ok(await client.request({ cmd: CommandType.conv, op: OpType.add, convMessage: { cid: group, m: [extra] } }, 60_000), 'add');
        const [removed, quit] = await Promise.all([
          clients[0]!.request({ cmd: CommandType.conv, op: OpType.remove, convMessage: { cid: group, m: [extras[0]!] } }, 60_000),
          k % 2 === 1 ? client.request({ cmd: CommandType.conv, op: OpType.remove, convMessage: { cid: group, m: [`writer-${k}`] } }, 60_000) : undefined,
        ]);
        ok(removed, 'remove');
        if (quit) ok(quit, 'quit');
      }),
    );
    const expectedMembers = [...writerIds.filter((_, k) => k % 2 === 0), ...writerIds.flatMap((_, k) => [`extra-${k}-1`, `extra-${k}-2`])].sort();
    const [conversation] = (await sql.query<{ members: string }>('SELECT members FROM conversations WHERE id = $1', [group])).rows;
    assert.deepEqual((JSON.parse(conversation!.members) as string[]).sort(), expectedMembers, 'no member change lost');
    const memberRows = await sql.query<{ client_id: string }>('SELECT client_id FROM conversation_members WHERE cid = $1', [group]);
    assert.deepEqual(memberRows.rows.map((row) => row.client_id).sort(), expectedMembers, 'member rows agree with the member list');
    for (const [p, server] of servers.entries()) {
      const viewer = await connect(server, `writer-${2 * p}`); // a member: only members see the member list
      clients.push(viewer);
      const found = ok(await viewer.request({ cmd: CommandType.conv, op: OpType.query, convMessage: { where: { data: JSON.stringify({ objectId: group }) } } }), 'query');
      const results = JSON.parse(found.convMessage!.results!.data!) as { m: string[] }[];
      assert.deepEqual(results[0]!.m.slice().sort(), expectedMembers, 'every process reads the same members');
    }

    // A member removed through one process can no longer send through another that has just
    // accepted their messages (no process keeps a stale member list: index.ts, membershipCacheSize).
    const removedOne = clients[1]!; // writer-1, on the second process; the owner is on the first
    const watched = ok(await clients[0]!.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['writer-0', 'writer-1'] } }), 'watched').convMessage!.cid!;
    ok(await removedOne.request({ cmd: CommandType.direct, directMessage: { cid: watched, msg: text('before'), dt: 'removed-before' } }), 'send before removal');
    ok(await clients[0]!.request({ cmd: CommandType.conv, op: OpType.remove, convMessage: { cid: watched, m: ['writer-1'] } }), 'remove writer-1');
    const afterRemoval = await removedOne.request({ cmd: CommandType.direct, directMessage: { cid: watched, msg: text('after'), dt: 'removed-after' } });
    assert.equal(afterRemoval.cmd, CommandType.error, 'a removed member cannot send through another process');

    // Unique conversations started at once from every process are one conversation.
    const uniqueIds = await Promise.all(
      clients.slice(0, CLIENTS).map(async (client) => ok(await client.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: writerIds, unique: true } }, 60_000), 'unique').convMessage!.cid!),
    );
    assert.equal(new Set(uniqueIds).size, 1, 'one unique conversation, whichever process created it');
  } finally {
    for (const client of clients) client.close();
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    await sql.end().catch(() => {});
    await database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});
