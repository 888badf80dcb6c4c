/**
 * Issue 16, items 11 and 12: session tokens that a logout revokes, and
 * signatures that cannot be replayed as another action's. The attacker
 * drives the raw protocol (or an official SDK); a bystander pair keeps
 * chatting meanwhile and must get every message.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { signFor } from '../src/server/auth/signature-handler.js';
import { Realtime } from '../src/sdk/index.js';
import { describeBystander, startBystander } from './helpers/bystander.js';
import { v3, v4, type OfficialClient, type OfficialConversation } from './helpers/official-sdk.js';
import { RawClient } from './helpers/raw-client.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

/** Signatures required here; the bystander chats in TEST_APP on the same server. */
const SIGNED_APP = { appId: 'signed-app-id', appKey: 'signed-app-key', masterKey: 'signed-master-key', requireSignature: true };

let server: TestServer;
const clients: OfficialClient[] = [];
const realtimes: { _close(): void }[] = [];
const raws: RawClient[] = [];

before(async () => {
  server = await startTestServer({ apps: [TEST_APP, SIGNED_APP] });
});
after(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => {})));
  for (const realtime of realtimes) realtime._close();
  for (const raw of raws) raw.close();
  await server.stop();
});

async function raw(server: TestServer): Promise<RawClient> {
  const client = await RawClient.connect(server.wsUrl);
  raws.push(client);
  return client;
}

const loginSignature = (clientId: string) => signFor(SIGNED_APP, { kind: 'login', clientId });

function signatureFields(signature: { signature: string; timestamp: number; nonce: string }) {
  return { s: signature.signature, t: signature.timestamp, n: signature.nonce };
}

test('item 12: a spare login signature replayed as a create (m empty or absent, chat room or not) gets 4302', async (t) => {
  const by = await startBystander(server.wsUrl, 'replay-create');
  const mallory = await raw(server);
  await mallory.login(SIGNED_APP.appId, 'mallory', signatureFields(loginSignature('mallory')));
  const attempts = [
    { m: [] },
    {},
    { transient: true },
    { transient: true, m: [] },
    { m: [''] },
  ];
  for (const shape of attempts) {
    // A login signature the app server issued to mallory and mallory never used to log in.
    const spare = loginSignature('mallory');
    const reply = await mallory.request({
      cmd: CommandType.conv,
      op: OpType.start,
      peerId: 'mallory',
      convMessage: { ...shape, ...signatureFields(spare) },
    });
    assert.equal(reply.cmd, CommandType.error, `create ${JSON.stringify(shape)} signed with a login signature must be refused`);
    assert.equal(reply.errorMessage?.code, 4302);
    assert.equal(reply.errorMessage?.reason, 'CONVERSATION_SIGNATURE_FAILED');
  }
  // The server keeps serving mallory too: a properly signed create works.
  const members = ['mallory', 'victim'];
  const reply = await mallory.request({
    cmd: CommandType.conv,
    op: OpType.start,
    peerId: 'mallory',
    convMessage: { m: members, ...signatureFields(signFor(SIGNED_APP, { kind: 'conversation', clientId: 'mallory', conversationId: null, members, action: 'create' })) },
  });
  assert.equal(reply.op, OpType.started);
  t.diagnostic(describeBystander('replay-create', await by.stop()));
});

type ConversationFactory = (conversationId: string | null, clientId: string, members: string[], action: 'create' | 'add' | 'remove') => unknown;
const conversationSignature: ConversationFactory = (conversationId, clientId, members, action) =>
  signFor(SIGNED_APP, { kind: 'conversation', clientId, conversationId, members, action });

for (const sdk of [v3, v4]) {
  test(`item 12, ${sdk.version}: signed creates of a chat room and of a conversation still work with the SDK's factories`, async () => {
    const realtime = sdk.realtime({ appId: SIGNED_APP.appId, appKey: SIGNED_APP.appKey, wsUrl: server.wsUrl });
    realtimes.push(realtime as unknown as { _close(): void });
    const client = await (realtime as unknown as { createIMClient(id: string, options: object): Promise<OfficialClient> }).createIMClient(`creator-${sdk.version}`, {
      signatureFactory: loginSignature,
      conversationSignatureFactory: conversationSignature,
    });
    clients.push(client);
    const room = await client.createConversation({ name: 'signed room', transient: true });
    assert.equal((await server.server.store.getConversation(SIGNED_APP.appId, room.id))?.transient, true);
    const group = (await client.createConversation({ members: ['someone'], name: 'signed group' })) as OfficialConversation;
    assert.deepEqual((await server.server.store.getConversation(SIGNED_APP.appId, group.id))?.members, [`creator-${sdk.version}`, 'someone'].sort());
    const alone = await client.createConversation({ members: [], name: 'just me' });
    assert.deepEqual((await server.server.store.getConversation(SIGNED_APP.appId, alone.id))?.members, [`creator-${sdk.version}`]);
  });
}

test('item 12, our SDK: signed creates of a chat room and of a conversation still work through createSignatureHandler', async () => {
  const realtime = new Realtime({ appId: SIGNED_APP.appId, appKey: SIGNED_APP.appKey, server: server.wsUrl });
  try {
    const client = await realtime.createIMClient('creator-ours', {
      signatureFactory: loginSignature,
      conversationSignatureFactory: conversationSignature as never,
    });
    const room = await client.createConversation({ name: 'signed room', transient: true });
    assert.equal((await server.server.store.getConversation(SIGNED_APP.appId, room.id))?.transient, true);
    const alone = await client.createConversation({ members: [], name: 'just me' });
    assert.deepEqual((await server.server.store.getConversation(SIGNED_APP.appId, alone.id))?.members, ['creator-ours']);
  } finally {
    await realtime.close();
  }
});

test('item 12: our signer refuses to sign a create over no members (it would be a login signature)', () => {
  assert.throws(() => signFor(SIGNED_APP, { kind: 'conversation', clientId: 'x', conversationId: null, members: [], action: 'create' }), TypeError);
});

/** What the HTTP services make of a token: an upload's status, and the notification fetch's status and code. */
async function httpVerdicts(clientId: string, token: string): Promise<{ upload: number; notifications: number; code: number }> {
  const upload = await fetch(`${server.httpUrl}/files?name=a.txt`, {
    method: 'POST',
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': token, 'Content-Type': 'text/plain' },
    body: 'hello',
  });
  await upload.arrayBuffer();
  const notifications = await fetch(`${server.httpUrl}/1.1/rtm/notifications?client_id=${clientId}&start_ts=0`, {
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': TEST_APP.appKey, 'X-LC-IM-Session-Token': token },
  });
  const body = (await notifications.json()) as { code?: number };
  return { upload: upload.status, notifications: notifications.status, code: body.code ?? 0 };
}

async function reconnectWith(clientId: string, token: string, client?: RawClient) {
  client ??= await raw(server);
  return client.request({ cmd: CommandType.session, op: OpType.open, appId: TEST_APP.appId, peerId: clientId, sessionMessage: { ua: 'raw-client', r: true, st: token } });
}

test('item 11: a logout revokes every token of that login (its reconnects’ too): reconnect gets 4112, uploads and notifications 401', async (t) => {
  const by = await startBystander(server.wsUrl, 'revoke');
  const first = await raw(server);
  const opened = await first.login(TEST_APP.appId, 'victim');
  const token1 = opened.sessionMessage!.st!;
  first.close();
  await first.closed;
  // The same login carries on after a reconnect, with a new token.
  const socket = await raw(server);
  const reopened = await reconnectWith('victim', token1, socket);
  assert.equal(reopened.op, OpType.opened);
  const token2 = reopened.sessionMessage!.st!;
  assert.notEqual(token2, token1);
  assert.deepEqual(await httpVerdicts('victim', token2), { upload: 201, notifications: 200, code: 0 });

  // An untouched login elsewhere is not affected by the victim's logout.
  const other = await (await raw(server)).login(TEST_APP.appId, 'victim');
  const otherToken = other.sessionMessage!.st!;

  const closed = await socket.request({ cmd: CommandType.session, op: OpType.close, peerId: 'victim' });
  assert.equal(closed.op, OpType.closed);

  for (const token of [token1, token2]) {
    const refused = await reconnectWith('victim', token);
    assert.equal(refused.cmd, CommandType.error);
    assert.equal(refused.errorMessage?.code, 4112);
    assert.equal(refused.errorMessage?.reason, 'SESSION_TOKEN_EXPIRED');
    assert.deepEqual(await httpVerdicts('victim', token), { upload: 401, notifications: 401, code: 4112 });
  }
  assert.equal((await reconnectWith('victim', otherToken)).op, OpType.opened, 'another login of the same client keeps its tokens');
  // A fresh login (what the SDKs do after 4112) is a new login with a working token.
  const fresh = await (await raw(server)).login(TEST_APP.appId, 'victim');
  assert.deepEqual(await httpVerdicts('victim', fresh.sessionMessage!.st!), { upload: 201, notifications: 200, code: 0 });
  t.diagnostic(describeBystander('revoke', await by.stop()));
});

test('item 11, 4.3.1: the token of an official client that logged out is refused on reconnect (4112) and over HTTP', async () => {
  const realtime = v4.realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, wsUrl: server.wsUrl });
  realtimes.push(realtime as unknown as { _close(): void });
  const client = (await realtime.createIMClient('v4-logout')) as OfficialClient & { _sessionManager: { _sessionToken: { originalValue: string } } };
  const token = client._sessionManager._sessionToken.originalValue;
  assert.deepEqual(await httpVerdicts('v4-logout', token), { upload: 201, notifications: 200, code: 0 });
  await client.close();
  const refused = await reconnectWith('v4-logout', token);
  assert.equal(refused.errorMessage?.code, 4112);
  assert.deepEqual(await httpVerdicts('v4-logout', token), { upload: 401, notifications: 401, code: 4112 });
  // Logging in again works as before.
  const again = await realtime.createIMClient('v4-logout');
  clients.push(again);
  assert.deepEqual(await again.ping(['v4-logout']), ['v4-logout']);
});

test('item 11, 3.5.7 and our SDK: after a logout the old token is refused, and logging in again works', async () => {
  const realtime = v3.realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, wsUrl: server.wsUrl });
  realtimes.push(realtime as unknown as { _close(): void });
  const client = await realtime.createIMClient('v3-logout');
  await client.close();
  const again = await realtime.createIMClient('v3-logout');
  clients.push(again);
  assert.deepEqual(await again.ping(['v3-logout']), ['v3-logout']);

  const ours = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: server.wsUrl });
  try {
    const tom = await ours.createIMClient('ours-logout');
    const token = await tom.getSessionToken();
    await tom.close();
    assert.equal((await reconnectWith('ours-logout', token)).errorMessage?.code, 4112);
    const back = await ours.createIMClient('ours-logout');
    assert.notEqual(await back.getSessionToken(), token);
  } finally {
    await ours.close();
  }
});

test('item 11: a revocation is in the store: it outlives a restart (and is what other nodes sharing the store see)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-revoke-'));
  try {
    let node = await startTestServer({ dataDir });
    const client = await RawClient.connect(node.wsUrl);
    const token = (await client.login(TEST_APP.appId, 'restart-victim')).sessionMessage!.st!;
    assert.equal((await client.request({ cmd: CommandType.session, op: OpType.close, peerId: 'restart-victim' })).op, OpType.closed);
    client.close();
    await node.stop();
    node = await startTestServer({ dataDir });
    const again = await RawClient.connect(node.wsUrl);
    const refused = await again.request({
      cmd: CommandType.session,
      op: OpType.open,
      appId: TEST_APP.appId,
      peerId: 'restart-victim',
      sessionMessage: { ua: 'raw-client', r: true, st: token },
    });
    assert.equal(refused.errorMessage?.code, 4112);
    again.close();
    await node.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
