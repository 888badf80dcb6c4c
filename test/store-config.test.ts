/**
 * Issue 10, acceptance 5: choosing the store through the real CLI, and bad
 * configuration. A bad --store, an unreachable database or one that refuses
 * the login stops `lc-chat serve` with one clear line on stderr and a
 * non-zero exit; a database that goes away for ten seconds while clients
 * chat gets them the protocol's internal error, and the server carries on
 * without a restart once it is back, with no acked message lost.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CommandType, OpType, messages } from '../src/protocol/codec.js';
import { ERRORS } from '../src/protocol/errors.js';
import { startPasswordPostgres } from './helpers/password-postgres.js';
import { createTestDatabase } from './helpers/postgres.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP } from './helpers/server.js';
import { startServerProcess } from './helpers/server-process.js';
import { freeLoopbackPort, startTcpProxy } from './helpers/tcp-proxy.js';
import { assertOneLine, serveFails } from './helpers/serve-fails.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lc-chat-store-config-'));
  dirs.push(dir);
  return dir;
}

test('a --store that is neither sqlite: nor postgres:// is a usage error (exit 2)', { timeout: 60_000 }, async () => {
  const result = await serveFails(['--store', 'mysql://root@127.0.0.1/db']);
  assert.equal(result.code, 2);
  assertOneLine(result, /^lc-chat: --store must be sqlite:<path> or postgres:\/\/user@host:5432\/db/);
  assertOneLine(await serveFails(['--store', 'postgres://127.0.0.1:5432']), /names no database/);
  assertOneLine(await serveFails(['--store', 'postgres://%zz@[bad/db']), /not a valid PostgreSQL URL/);
});

test('an unreachable database fails at start with one line, and the password is never printed', { timeout: 60_000 }, async () => {
  const port = await freeLoopbackPort();
  const result = await serveFails(['--store', `postgres://root:s3cret-pw@127.0.0.1:${port}/lcchat`]);
  assert.equal(result.code, 1);
  assertOneLine(result, new RegExp(`^lc-chat: cannot open the store postgres://root:\\*\\*\\*@127\\.0\\.0\\.1:${port}/lcchat: `));
  assert.doesNotMatch(result.stderr, /s3cret-pw/);
});

test('LC_STORE chooses the store when --store is not given, and the flag wins over it', { timeout: 60_000 }, async () => {
  const port = await freeLoopbackPort();
  const fromEnv = await serveFails([], { LC_STORE: `postgres://root@127.0.0.1:${port}/from-env` });
  assertOneLine(fromEnv, /cannot open the store postgres:\/\/root@127\.0\.0\.1:\d+\/from-env/);
  const flagWins = await serveFails(['--store', `postgres://root@127.0.0.1:${port}/from-flag`], { LC_STORE: 'mysql://ignored' });
  assertOneLine(flagWins, /cannot open the store postgres:\/\/root@127\.0\.0\.1:\d+\/from-flag/);

  const dir = dataDir();
  const file = join(dir, 'elsewhere', 'chat.db');
  const server = await startServerProcess(dir, 0, ['--store', `sqlite:${file}`]);
  try {
    assert.match(server.output(), new RegExp(`store\\s+sqlite:${file.replaceAll('/', '\\/')}`));
    assert.ok(existsSync(file), 'the SQLite file is where --store said');
    assert.ok(!existsSync(join(dir, 'lc-chat.db')), 'not in the data directory');
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

test('a wrong password fails at start with one line that does not repeat it; the right one starts', { timeout: 90_000 }, async () => {
  const cluster = await startPasswordPostgres();
  try {
    const wrong = await serveFails(['--store', `postgres://${cluster.user}:not-the-password@127.0.0.1:${cluster.port}/postgres`]);
    assert.equal(wrong.code, 1);
    assertOneLine(wrong, new RegExp(`^lc-chat: cannot open the store postgres://${cluster.user}:\\*\\*\\*@127\\.0\\.0\\.1:${cluster.port}/postgres: .*password authentication failed`));
    assert.doesNotMatch(wrong.stderr, /not-the-password/);
    const right = await startServerProcess(dataDir(), 0, ['--store', cluster.url]);
    assert.match(right.output(), new RegExp(`store\\s+postgres://${cluster.user}:\\*\\*\\*@127\\.0\\.0\\.1:${cluster.port}/postgres`));
    assert.doesNotMatch(right.output(), new RegExp(cluster.password));
    right.child.kill('SIGTERM');
    await right.exited;
  } finally {
    await cluster.stop();
  }
});

test('a role the database does not know, or a database that does not exist, fails at start with one line', { timeout: 60_000 }, async () => {
  assertOneLine(await serveFails(['--store', 'postgres://no_such_role_lc_chat@127.0.0.1:5432/test']), /cannot open the store .*no_such_role_lc_chat/);
  assertOneLine(await serveFails(['--store', 'postgres://root@127.0.0.1:5432/no_such_database_lc_chat']), /cannot open the store .*no_such_database_lc_chat/);
});

const text = (dt: string) => JSON.stringify({ _lctype: -1, _lctext: dt });

test('a database gone for 10 s while clients chat: internal errors meanwhile, recovery without a restart, no acked message lost', { timeout: 120_000 }, async () => {
  const database = await createTestDatabase();
  const target = new URL(database.url);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.host = `127.0.0.1:${proxy.port}`;
  const server = await startServerProcess(dataDir(), 0, ['--store', target.href]);
  const clients: RawClient[] = [];
  try {
    for (const id of ['alice', 'bob']) {
      const client = await RawClient.connect(server.wsUrl);
      await client.login(TEST_APP.appId, id);
      clients.push(client);
    }
    const [alice, bob] = clients as [RawClient, RawClient];
    const started = await alice.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['alice', 'bob'] } });
    const cid = started.convMessage!.cid!;

    const acked = new Map<string, string>(); // dt -> message id
    const refused = new Set<string>();
    const senders = new Map<string, RawClient>(); // dedupe is per (conversation, sender, dt): retries come from the sender
    let n = 0;
    const sendOne = async (client: RawClient) => {
      const dt = `m${n++}`;
      senders.set(dt, client);
      const reply = await client.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(dt), dt } }, 30_000);
      if (reply.cmd === CommandType.ack) acked.set(dt, reply.ackMessage!.uid!);
      else {
        assert.equal(reply.cmd, CommandType.error, 'an error reply, not silence');
        assert.equal(reply.errorMessage?.code, ERRORS.INTERNAL_ERROR[0], `internal error, got ${reply.errorMessage?.code} ${reply.errorMessage?.reason}`);
        refused.add(dt);
      }
      return dt;
    };
    const chat = async (until: () => boolean) => {
      while (!until()) {
        await Promise.all([sendOne(alice), sendOne(bob)]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    await chat(() => acked.size >= 20);
    proxy.cut();
    const cutAt = Date.now();
    await chat(() => Date.now() - cutAt > 10_000);
    assert.ok(refused.size > 0, 'sends while the database was away got internal errors');
    // The clients stayed connected through it: only the database went away.
    assert.equal(alice.ws.readyState, alice.ws.OPEN);

    proxy.restore();
    const ackedBefore = acked.size;
    const restoredAt = Date.now();
    await chat(() => acked.size >= ackedBefore + 20 || Date.now() - restoredAt > 30_000);
    assert.ok(acked.size >= ackedBefore + 20, `sends are acked again once the database is back (${acked.size - ackedBefore} since)`);
    assert.equal(server.child.exitCode, null, 'the same server process, not a restart');

    // A refused send retried with its dt is stored once; an acked one is not stored again.
    for (const dt of [...refused].slice(0, 5)) {
      const reply = await senders.get(dt)!.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(dt), dt } });
      assert.equal(reply.cmd, CommandType.ack);
      acked.set(dt, reply.ackMessage!.uid!);
    }
    const [someDt, someId] = [...acked][0]!;
    const again = await senders.get(someDt)!.request({ cmd: CommandType.direct, directMessage: { cid, msg: text(someDt), dt: someDt } });
    assert.equal(again.ackMessage?.uid, someId, 'a retry of an acked message gets the first one');

    const logs = await alice.request({ cmd: CommandType.logs, logsMessage: { cid, l: 1000, direction: messages.LogsCommand.QueryDirection.NEW } });
    const history = (logs.logsMessage?.logs ?? []).map((log) => ({ id: log.msgId!, dt: (JSON.parse(log.data!) as { _lctext: string })._lctext }));
    assert.equal(new Set(history.map((m) => m.dt)).size, history.length, 'nothing stored twice');
    const stored = new Map(history.map((m) => [m.dt, m.id]));
    for (const [dt, id] of acked) assert.equal(stored.get(dt), id, `acked ${dt} is in history with its id`);
  } finally {
    for (const client of clients) client.close();
    server.child.kill('SIGTERM');
    await server.exited;
    await proxy.close();
    await database.drop();
  }
});
