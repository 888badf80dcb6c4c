/** Signed logins against an app that requires signatures, with both official SDKs. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signFor } from '../src/server/auth/signature-handler.js';
import { loginSigningString, sign } from '../src/server/auth/signature.js';
import { v3, v4, type OfficialClient, type OfficialConversation } from './helpers/official-sdk.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
const clients: OfficialClient[] = [];
const realtimes: { _close(): void }[] = [];
before(async () => {
  server = await startTestServer({ apps: [{ ...TEST_APP, requireSignature: true }], devSigningAppId: TEST_APP.appId });
});
after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  // Refused logins leave their Realtime (and socket) behind.
  for (const realtime of realtimes) realtime._close();
  await server.stop();
});

type Factory = (clientId: string) => unknown;

for (const sdk of [v3, v4]) {
  const login = async (id: string, signatureFactory: Factory) => {
    const realtime = sdk.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
    realtimes.push(realtime as unknown as { _close(): void });
    const client = await (realtime as unknown as { createIMClient(id: string, options: object): Promise<OfficialClient> }).createIMClient(id, { signatureFactory });
    clients.push(client);
    return client;
  };
  const rejection = (error: Error & { code?: number }) => {
    assert.equal(error.code, 4102);
    assert.match(error.message, /SIGNATURE_FAILED/);
    return true;
  };

  test(`${sdk.version}: a correctly signed login is accepted; wrong, reused and expired ones get 4102`, async () => {
    const signed = await login(`signed-${sdk.version}`, (clientId) => signFor(TEST_APP, { kind: 'login', clientId }));
    assert.equal(signed.id, `signed-${sdk.version}`);

    await assert.rejects(login(`unsigned-${sdk.version}`, () => ({ signature: '0'.repeat(40), timestamp: Math.floor(Date.now() / 1000), nonce: 'x' })), rejection);
    const once = signFor(TEST_APP, { kind: 'login', clientId: `replay-${sdk.version}` });
    await login(`replay-${sdk.version}`, () => once);
    await assert.rejects(login(`replay-${sdk.version}`, () => once), rejection);
    const stale = sign(TEST_APP.masterKey, (t, n) => loginSigningString(TEST_APP.appId, `stale-${sdk.version}`, t, n), Date.now() - 7 * 3600 * 1000);
    await assert.rejects(login(`stale-${sdk.version}`, () => stale), rejection);
    const forSomeoneElse = signFor(TEST_APP, { kind: 'login', clientId: 'someone-else' });
    await assert.rejects(login(`impostor-${sdk.version}`, () => forSomeoneElse), rejection);
  });
}

test('the development app signs at POST /sign, and those signatures log in', async () => {
  const response = await fetch(`${server.httpUrl}/sign`, { method: 'POST', body: JSON.stringify({ clientId: 'dev-user' }) });
  assert.equal(response.status, 200);
  const signature = (await response.json()) as { signature: string; timestamp: number; nonce: string };
  const realtime = v4.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
  realtimes.push(realtime as unknown as { _close(): void });
  const client = await (realtime as unknown as { createIMClient(id: string, options: object): Promise<OfficialClient> }).createIMClient('dev-user', {
    signatureFactory: () => signature,
  });
  clients.push(client);
  assert.equal(client.id, 'dev-user');
});

for (const sdk of [v3, v4]) {
  test(`${sdk.version}: signed create, add and remove are accepted; a bad conversation signature gets 4302`, async () => {
    const realtime = sdk.realtime({ appId: server.appId, appKey: server.appKey, wsUrl: server.wsUrl });
    realtimes.push(realtime as unknown as { _close(): void });
    let forge = false;
    const client = await (realtime as unknown as { createIMClient(id: string, options: object): Promise<OfficialClient> }).createIMClient(
      `signer-${sdk.version}`,
      {
        signatureFactory: (clientId: string) => signFor(TEST_APP, { kind: 'login', clientId }),
        conversationSignatureFactory: (conversationId: string | null, clientId: string, members: string[], action: 'create' | 'add' | 'remove') =>
          forge
            ? signFor({ ...TEST_APP, masterKey: 'not-the-master-key' }, { kind: 'conversation', clientId, conversationId, members, action })
            : signFor(TEST_APP, { kind: 'conversation', clientId, conversationId, members, action }),
      },
    );
    clients.push(client);
    const conversation = (await client.createConversation({ members: ['bob', 'carol'] })) as OfficialConversation & {
      add(ids: string[]): Promise<unknown>;
      remove(ids: string[]): Promise<unknown>;
    };
    await conversation.add(['dave']);
    await conversation.remove(['carol']);
    const stored = await server.server.store.getConversation(server.appId, conversation.id);
    assert.deepEqual(stored?.members, ['bob', 'dave', `signer-${sdk.version}`]);
    forge = true;
    await assert.rejects(conversation.add(['erin']), (error: Error & { code?: number }) => error.code === 4302);
    await assert.rejects(client.createConversation({ members: ['frank'] }), (error: Error & { code?: number }) => error.code === 4302);
  });
}
