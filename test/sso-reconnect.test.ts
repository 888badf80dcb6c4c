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
import { verifySessionToken } from '../src/server/auth/session-token.js';
import { Realtime } from '../src/sdk/index.js';
import { nextEvent, v3, v4, type OfficialClient, type OfficialMessage } from './helpers/official-sdk.js';
import { TEST_APP, startTestServer, type TestServer } from './helpers/server.js';
import { nextEvent as nextSdkEvent } from './helpers/sdk-env.js';
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

/**
 * A server restarted on the same port and data with a new master key: every
 * session token it issued before is now invalid, though the clients still
 * hold them as unexpired. Their reconnects present those tokens.
 */
async function withRotatingServer(
  requireSignature: boolean,
  run: (server: TestServer, rotate: () => Promise<TestServer>) => Promise<void>,
): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-rotate-'));
  const options = { dataDir, devSigningAppId: TEST_APP.appId };
  let server = await startTestServer({ ...options, apps: [{ ...TEST_APP, requireSignature }] });
  try {
    await run(server, async () => {
      const port = Number(new URL(server.wsUrl).port);
      await server.stop();
      server = await startTestServer({ ...options, port, apps: [{ ...TEST_APP, masterKey: ROTATED_KEY, requireSignature }] });
      return server;
    });
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
const ROTATED_KEY = 'rotated-master-key';

/** Signs a login through the server's development signing endpoint (the current master key). */
async function signLogin(httpUrl: string, clientId: string): Promise<{ signature: string; timestamp: number; nonce: string }> {
  const response = await fetch(`${httpUrl}/sign`, { method: 'POST', body: JSON.stringify({ clientId }) });
  assert.equal(response.status, 200);
  return (await response.json()) as { signature: string; timestamp: number; nonce: string };
}

test('our SDK: a reconnect whose token the server no longer accepts gets 4112 and logs in afresh, signed', { timeout: 30_000 }, async () => {
  await withRotatingServer(true, async (first, rotate) => {
    const realtime = new Realtime({ appId: TEST_APP.appId, appKey: TEST_APP.appKey, server: first.wsUrl });
    try {
      let server = first;
      const tom = await realtime.createIMClient('rotate-tom', { signatureFactory: (clientId) => signLogin(server.httpUrl, clientId) });
      const before = await tom.getSessionToken();
      const failures: unknown[] = [];
      tom.on('reconnecterror', (error) => failures.push(error));
      const disconnected = nextSdkEvent(tom, 'disconnect');
      server = await rotate();
      await disconnected;
      await nextSdkEvent(tom, 'reconnect', 15_000);
      assert.deepEqual(failures, []);
      const after = await tom.getSessionToken();
      assert.notEqual(after, before);
      assert.equal(verifySessionToken({ appId: TEST_APP.appId, masterKey: ROTATED_KEY }, after), 'rotate-tom', 'a token of the new key');
      assert.deepEqual(await tom.ping(['rotate-tom']), ['rotate-tom']);
    } finally {
      await realtime.close();
    }
  });
});

test('3.5.7: a reconnect whose token the server no longer accepts gets 4112 and logs in afresh, signed', { timeout: 30_000 }, async () => {
  await withRotatingServer(true, async (first, rotate) => {
    let server = first;
    const realtime = official(v3, first.wsUrl);
    const tom = await realtime.createIMClient('rotate-v3', { signatureFactory: (clientId: string) => signLogin(server.httpUrl, clientId) });
    const failures: unknown[] = [];
    tom.on('reconnecterror', ((error: unknown) => failures.push(error)) as (...args: never[]) => void);
    const disconnected = nextEvent(tom, 'disconnect', 10_000);
    server = await rotate();
    await disconnected;
    await nextEvent(tom, 'reconnect', 15_000);
    assert.deepEqual(failures, []);
    assert.deepEqual(await tom.ping(['rotate-v3']), ['rotate-v3']);
  });
});

// v4 never re-signs on reconnect (protocol.md §2.3): after the 4112 it
// re-opens with neither token nor signature, which only an app without
// required signatures accepts. This checks that it copes with our 4112.
test('4.3.1: a reconnect whose token the server no longer accepts gets 4112 and re-opens without it', { timeout: 30_000 }, async () => {
  await withRotatingServer(false, async (first, rotate) => {
    const realtime = official(v4, first.wsUrl);
    const tom = await realtime.createIMClient('rotate-v4');
    const failures: unknown[] = [];
    tom.on('reconnecterror', ((error: unknown) => failures.push(error)) as (...args: never[]) => void);
    const disconnected = nextEvent(tom, 'disconnect', 10_000);
    await rotate();
    await disconnected;
    await nextEvent(tom, 'reconnect', 15_000);
    assert.deepEqual(failures, []);
    assert.deepEqual(await tom.ping(['rotate-v4']), ['rotate-v4']);
  });
});
