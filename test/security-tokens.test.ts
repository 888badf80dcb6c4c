/**
 * Issue 16, items 11 and 12: session tokens that a logout revokes, and
 * signatures that cannot be replayed as another action's. The attacker
 * drives the raw protocol (or an official SDK); a bystander pair keeps
 * chatting meanwhile and must get every message.
 */
import assert from 'node:assert/strict';
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
