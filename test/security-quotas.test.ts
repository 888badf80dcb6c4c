/**
 * Issue 16, item 6: per-client quotas. One client floods conversation
 * creation, logs thousands of clients in on one socket, and uploads
 * without end; each is refused with the protocol's code beyond its limit,
 * while a bystander pair keeps chatting and must get every message.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CommandType, OpType, type DecodedCommand } from '../src/protocol/codec.js';
import { DEFAULTS } from '../src/server/config.js';
import { describeBystander, startBystander } from './helpers/bystander.js';
import { v4, type OfficialClient } from './helpers/official-sdk.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
const raws: RawClient[] = [];
const realtimes: { _close(): void }[] = [];

before(async () => {
  server = await startTestServer();
});
after(async () => {
  for (const client of raws) client.close();
  for (const realtime of realtimes) realtime._close();
  await server.stop();
});

async function login(target: TestServer, id: string): Promise<{ client: RawClient; token: string }> {
  const client = await RawClient.connect(target.wsUrl);
  raws.push(client);
  const opened = await client.login(TEST_APP.appId, id);
  return { client, token: opened.sessionMessage!.st! };
}

function tally(replies: DecodedCommand[], ok: (reply: DecodedCommand) => boolean): { ok: number; refused: Map<string, number> } {
  const refused = new Map<string, number>();
  let accepted = 0;
  for (const reply of replies) {
    if (ok(reply)) accepted += 1;
    else {
      const key = `${reply.errorMessage?.code} ${reply.errorMessage?.reason}`;
      refused.set(key, (refused.get(key) ?? 0) + 1);
    }
  }
  return { ok: accepted, refused };
}

test('a client creating conversations in a flood gets 4318 beyond its per-minute quota; others still create', async (t) => {
  const by = await startBystander(server.wsUrl, 'creates');
  const { client: mallory } = await login(server, 'create-flooder');
  const attempts = 3000;
  const replies = await Promise.all(
    Array.from({ length: attempts }, (_, n) =>
      mallory.request({ cmd: CommandType.conv, op: OpType.start, convMessage: n % 2 ? { m: [`victim-${n}`] } : { transient: true } }, 30_000),
    ),
  );
  const { ok, refused } = tally(replies, (reply) => reply.op === OpType.started);
  const limit = DEFAULTS.conversationsPerMinute;
  // The bucket holds a minute's worth and refills while the flood runs.
  assert.ok(ok >= limit && ok <= limit + 10, `created ${ok} of ${attempts}`);
  assert.deepEqual([...refused], [['4318 CONVERSATION_API_QUOTA_EXCEEDED', attempts - ok]]);
  const detail = replies.find((reply) => reply.errorMessage)?.errorMessage?.detail ?? '';
  assert.match(detail, /at most 60 conversations per minute per client; retry in \d+ s/);

  // The quota is per client: another one (and the server) carries on.
  const { client: alice } = await login(server, 'create-alice');
  const started = await alice.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['bob'] } });
  assert.equal(started.op, OpType.started);
  t.diagnostic(`create flood: ${ok} of ${attempts} created, the rest refused with 4318`);
  t.diagnostic(describeBystander('creates', await by.stop()));
});

test('one socket logging in client after client gets 4113 beyond maxSessionsPerSocket; re-opens and freed places still work', async (t) => {
  const by = await startBystander(server.wsUrl, 'sessions');
  const socket = await RawClient.connect(server.wsUrl);
  raws.push(socket);
  const attempts = 2000;
  const open = (id: string) =>
    socket.request({ cmd: CommandType.session, op: OpType.open, appId: TEST_APP.appId, peerId: id, sessionMessage: { ua: 'raw-client' } }, 30_000);
  const replies = await Promise.all(Array.from({ length: attempts }, (_, n) => open(`socket-client-${n}`)));
  const { ok, refused } = tally(replies, (reply) => reply.op === OpType.opened);
  const limit = DEFAULTS.maxSessionsPerSocket;
  assert.equal(ok, limit);
  assert.deepEqual([...refused], [['4113 APP_QUOTA_EXCEEDED', attempts - limit]]);
  assert.equal(server.server.stats().sessions >= limit, true);

  const first = replies.findIndex((reply) => reply.op === OpType.opened);
  const openedId = `socket-client-${first}`;
  // Re-opening a client already on the socket replaces it: no new place needed.
  assert.equal((await open(openedId)).op, OpType.opened);
  // A will message per session is capped by the send path; with the sessions capped, so is the socket's total.
  const closed = await socket.request({ cmd: CommandType.session, op: OpType.close, peerId: openedId });
  assert.equal(closed.op, OpType.closed);
  assert.equal((await open('socket-client-late')).op, OpType.opened, 'a freed place can be taken');
  assert.equal((await open('socket-client-later')).errorMessage?.code, 4113);
  t.diagnostic(`session flood on one socket: ${ok} of ${attempts} opened, the rest refused with 4113`);
  t.diagnostic(describeBystander('sessions', await by.stop()));
});

test('a client logging in and out in a loop gets 4113 beyond its logins per minute; others log in', async (t) => {
  const by = await startBystander(server.wsUrl, 'logins');
  const socket = await RawClient.connect(server.wsUrl);
  raws.push(socket);
  const attempts = 300;
  let opened = 0;
  const refusals = new Set<string>();
  for (let n = 0; n < attempts; n++) {
    const reply = await socket.request({ cmd: CommandType.session, op: OpType.open, appId: TEST_APP.appId, peerId: 'login-looper', sessionMessage: { ua: 'raw-client' } });
    if (reply.op === OpType.opened) {
      opened += 1;
      // Each logout is a revocation written to the store: the login quota bounds those too.
      await socket.request({ cmd: CommandType.session, op: OpType.close, peerId: 'login-looper' });
    } else refusals.add(`${reply.errorMessage?.code} ${reply.errorMessage?.reason}`);
  }
  const limit = DEFAULTS.loginsPerMinute;
  assert.ok(opened >= limit && opened <= limit + 10, `logged in ${opened} times of ${attempts}`);
  assert.deepEqual([...refusals], ['4113 APP_QUOTA_EXCEEDED']);
  await login(server, 'login-bystander');
  t.diagnostic(`login loop: ${opened} of ${attempts} logins accepted, the rest refused with 4113`);
  t.diagnostic(describeBystander('logins', await by.stop()));
});

test('session/query of more than 20 ids is the client\'s mistake (4113 with a reason), not INTERNAL_ERROR', async () => {
  const { client } = await login(server, 'pinger');
  const ids = Array.from({ length: 21 }, (_, n) => `id-${n}`);
  const reply = await client.request({ cmd: CommandType.session, op: OpType.query, sessionMessage: { sessionPeerIds: ids } });
  assert.equal(reply.errorMessage?.code, 4113);
  assert.match(reply.errorMessage?.detail ?? '', /at most 20 client ids/);
});

test('4.3.1: several clients on one Realtime (one socket), as the guide does, still log in', async () => {
  const realtime = v4.realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, wsUrl: server.wsUrl });
  realtimes.push(realtime as unknown as { _close(): void });
  const clients: OfficialClient[] = [];
  for (const id of ['guide-tom', 'guide-jerry', 'guide-bob', 'guide-alice']) clients.push(await realtime.createIMClient(id));
  assert.deepEqual((await clients[0]!.ping(clients.map((client) => client.id))).sort(), clients.map((client) => client.id).sort());
});

async function upload(target: TestServer, headers: Record<string, string>, bytes: number) {
  const body = new Uint8Array(bytes).fill(7);
  const response = await fetch(`${target.httpUrl}/files?name=x.bin`, { method: 'POST', headers: { 'X-LC-Id': TEST_APP.appId, ...headers }, body });
  const json = (await response.json()) as { code?: number; error?: string; objectId?: string };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
}

test('uploads beyond the per-minute limit get 429 with Retry-After, per client with a token and per address with the app key', async (t) => {
  const uploads = await startTestServer({ uploadsPerMinute: 5 });
  try {
    const by = await startBystander(uploads.wsUrl, 'uploads');
    const { token: mallory } = await login(uploads, 'upload-flooder');
    const results = await Promise.all(Array.from({ length: 30 }, () => upload(uploads, { 'X-LC-IM-Session-Token': mallory }, 1000)));
    const accepted = results.filter((result) => result.status === 201).length;
    assert.ok(accepted >= 5 && accepted <= 6, `accepted ${accepted}`);
    for (const result of results.filter((result) => result.status !== 201)) {
      assert.equal(result.status, 429);
      assert.equal(result.json.code, 429);
      assert.match(result.json.error ?? '', /at most 5 uploads per minute per client/);
      assert.ok(Number(result.retryAfter) >= 1, `Retry-After ${result.retryAfter}`);
    }
    // Another client has its own allowance.
    const { token: alice } = await login(uploads, 'upload-alice');
    assert.equal((await upload(uploads, { 'X-LC-IM-Session-Token': alice }, 1000)).status, 201);

    // With only the public app key, the remote address is what is counted.
    const anonymous = await Promise.all(Array.from({ length: 30 }, () => upload(uploads, { 'X-LC-Key': TEST_APP.appKey }, 1000)));
    const anonymousAccepted = anonymous.filter((result) => result.status === 201).length;
    assert.ok(anonymousAccepted >= 5 && anonymousAccepted <= 6, `accepted ${anonymousAccepted}`);
    assert.match(anonymous.find((result) => result.status === 429)?.json.error ?? '', /per address with the app key/);
    t.diagnostic(`upload flood: ${accepted} of 30 with a token, ${anonymousAccepted} of 30 with the app key; the rest 429`);
    t.diagnostic(describeBystander('uploads', await by.stop()));
  } finally {
    await uploads.stop();
  }
});

test('an app’s stored files are capped by its storage quota (413), concurrent uploads cannot overshoot it, and it is recounted after a restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-quota-'));
  const options = { dataDir, appStorageBytes: 100_000, uploadsPerMinute: 1000 };
  let quota = await startTestServer(options);
  try {
    const by = await startBystander(quota.wsUrl, 'storage');
    const { token } = await login(quota, 'storage-flooder');
    const results = await Promise.all(Array.from({ length: 12 }, () => upload(quota, { 'X-LC-IM-Session-Token': token }, 30_000)));
    const accepted = results.filter((result) => result.status === 201).length;
    assert.equal(accepted, 3, 'three files of 30 kB fit in 100 kB, a fourth does not');
    for (const result of results.filter((result) => result.status !== 201)) {
      assert.equal(result.status, 413);
      assert.match(result.json.error ?? '', /storage quota of 100000 bytes is used up/);
    }
    // What is left (10 kB) still takes a small file, and a chunked upload (no Content-Length) is held to it.
    assert.equal((await upload(quota, { 'X-LC-IM-Session-Token': token }, 9_000)).status, 201);
    const chunked = await fetch(`${quota.httpUrl}/files?name=stream.bin`, {
      method: 'POST',
      headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': token },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(5_000));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.match(((await chunked.json()) as { error: string }).error, /storage quota/);
    t.diagnostic(describeBystander('storage', await by.stop()));

    await quota.stop();
    quota = await startTestServer(options);
    const { token: again } = await login(quota, 'storage-flooder');
    assert.equal((await upload(quota, { 'X-LC-IM-Session-Token': again }, 2_000)).status, 413, 'usage is recounted from the files at start');
  } finally {
    await quota.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('with appKeyUploads off, the app key alone cannot upload; a session token can', async () => {
  const strict = await startTestServer({ appKeyUploads: false });
  try {
    const refused = await upload(strict, { 'X-LC-Key': TEST_APP.appKey }, 100);
    assert.equal(refused.status, 401);
    assert.match(refused.json.error ?? '', /session token only/);
    const { token } = await login(strict, 'strict-alice');
    assert.equal((await upload(strict, { 'X-LC-IM-Session-Token': token }, 100)).status, 201);
  } finally {
    await strict.stop();
  }
});
