/**
 * Issue 4's end-to-end checks: our SDK's signature factories calling a real
 * signing endpoint over HTTP; single sign-on conflicts with both official
 * SDKs; and both official SDKs reconnecting after the server process is
 * killed and restarted, receiving what was sent while they were away.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Realtime } from '../src/sdk/index.js';
import { nextEvent, v3, v4, type OfficialClient, type OfficialMessage } from './helpers/official-sdk.js';
import { TEST_APP, startTestServer } from './helpers/server.js';
import { startServerProcess } from './helpers/server-process.js';

const realtimes: { _close(): void }[] = [];
after(() => {
  for (const realtime of realtimes) realtime._close();
});

function official(sdk: typeof v3, wsUrl: string, options: { pushOfflineMessages?: boolean } = {}) {
  const realtime = sdk.realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, wsUrl, ...options });
  realtimes.push(realtime as unknown as { _close(): void });
  return realtime as unknown as { createIMClient(id: string, options?: object, tag?: string): Promise<OfficialClient> };
}

test('our SDK signs login and conversation changes through a signing endpoint over HTTP', async () => {
  const server = await startTestServer({ apps: [{ ...TEST_APP, requireSignature: true }], devSigningAppId: TEST_APP.appId });
  const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: server.wsUrl });
  try {
    const sign = async (body: object) => {
      const response = await fetch(`${server.httpUrl}/sign`, { method: 'POST', body: JSON.stringify(body) });
      assert.equal(response.status, 200);
      return (await response.json()) as { signature: string; timestamp: number; nonce: string };
    };
    const asked: string[] = [];
    const tom = await realtime.createIMClient('sso-tom', {
      signatureFactory: (clientId) => sign({ clientId }),
      conversationSignatureFactory: (conversationId, clientId, members, action) => {
        asked.push(action);
        return sign({ clientId, conversationId, members, action });
      },
    });
    const conversation = await tom.createConversation({ members: ['sso-jerry'], name: 'signed' });
    await conversation.add(['sso-bob']);
    await conversation.remove(['sso-jerry']);
    assert.deepEqual(asked, ['create', 'add', 'remove']);
    assert.deepEqual((await server.server.store.getConversation(TEST_APP.appId, conversation.id))?.members, ['sso-bob', 'sso-tom']);

    const unsigned = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: server.wsUrl });
    await assert.rejects(unsigned.createIMClient('sso-mallory'), (error: Error & { code?: number }) => error.code === 4102);
    await unsigned.close();
  } finally {
    await realtime.close();
    await server.stop();
  }
});

for (const sdk of [v3, v4]) {
  test(`${sdk.version}: a newer login with the same tag takes over, and the older client gets conflict`, async () => {
    const server = await startTestServer();
    try {
      const id = `tagged-${sdk.version}`;
      // v3 takes the tag as the third argument, v4 in the options.
      const login = (realtime: ReturnType<typeof official>) =>
        sdk === v3 ? realtime.createIMClient(id, {}, 'Web') : realtime.createIMClient(id, { tag: 'Web' });
      const first = await login(official(sdk, server.wsUrl));
      const conflict = nextEvent<[{ reason?: string }?]>(first, 'conflict');
      const second = await login(official(sdk, server.wsUrl));
      await conflict;
      assert.equal(second.id, id);
      // Untagged logins of the same client coexist with the tagged one.
      const untagged = await official(sdk, server.wsUrl).createIMClient(id);
      assert.equal(untagged.id, id);
    } finally {
      await server.stop();
    }
  });

  test(`${sdk.version}: after the server is killed and restarted, the client reconnects and gets what was sent meanwhile`, { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-reconnect-'));
    let server = await startServerProcess(dataDir);
    try {
      const receiver = await official(sdk, server.wsUrl, { pushOfflineMessages: true }).createIMClient(`away-${sdk.version}`);
      const creator = await official(sdk, server.wsUrl).createIMClient(`sender-${sdk.version}`);
      const { id: cid } = await creator.createConversation({ members: [`away-${sdk.version}`] });

      const disconnected = nextEvent(receiver, 'disconnect', 10_000);
      server.child.kill('SIGKILL');
      await server.exited;
      await disconnected;
      server = await startServerProcess(dataDir, server.port);

      // A fresh login sends at once, most likely while the receiver still
      // waits out its backoff: it then gets the message as an offline push.
      const delivered = nextEvent<[OfficialMessage]>(receiver, 'message', 30_000);
      const sender = await official(sdk, server.wsUrl).createIMClient(`late-sender-${sdk.version}`);
      const conversation = await sender.getConversation(cid);
      await (conversation as unknown as { join(): Promise<unknown> }).join();
      await conversation.send(new sdk.TextMessage('sent while you were away'));
      const [message] = await delivered;
      assert.equal(message.text, 'sent while you were away');
      assert.equal(message.cid, cid);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
