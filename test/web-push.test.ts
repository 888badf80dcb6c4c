/**
 * Issue 15, Web Push: a push service stood up on loopback by the test
 * receives what the server sends to a subscribed browser that is offline.
 * The test plays the browser (test/helpers/push-service.ts): it makes the
 * subscription's keys itself (Node's ECDH), checks the VAPID signature
 * with the server's public key and decrypts the payload by RFC 8291
 * (aes128gcm) on its own, so the encryption is proven, not assumed.
 * Issue 17: the key pair and the subscriptions live in the store; a data
 * directory of an earlier version has its files imported once.
 * (cluster-web-push.test.ts: two nodes, one key pair.)
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import webPush from 'web-push';
import { CommandType, OpType } from '../src/protocol/codec.js';
import { parseSubscription, PushSubscriptions, SubscriptionError, SubscriptionsFull } from '../src/server/push/subscriptions.js';
import { PUSH_SERVICE_HOSTS } from '../src/server/push/settings.js';
import { payloadOf } from '../src/server/push/web-push.js';
import { openStore } from '../src/server/store/open-store.js';
import { openSqliteStore } from '../src/server/store/sqlite/sqlite-store.js';
import type { Store } from '../src/server/store/types.js';
import { Browser, checkVapid as checkVapidOf, FakePushService, type Received } from './helpers/push-service.js';
import { RawClient } from './helpers/raw-client.js';
import { startTestServer, TEST_APP, type TestServer } from './helpers/server.js';
import { dropTestStore, testStoreFor } from './helpers/test-store.js';

const service = new FakePushService();
let server: TestServer;
let publicKey: string;
const clients: RawClient[] = [];

before(async () => {
  await service.start();
  server = await startTestServer({ webPush: { allowLoopback: true, minIntervalMs: 0, retryBaseMs: 20, timeoutMs: 1000, subject: 'mailto:ops@example.com' } });
  publicKey = ((await (await fetch(`${server.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey;
});

after(async () => {
  for (const client of clients) client.close();
  await server.stop();
  await service.close();
});

async function login(id: string): Promise<{ client: RawClient; token: string }> {
  const client = await RawClient.connect(server.wsUrl);
  clients.push(client);
  const opened = await client.login(TEST_APP.appId, id);
  return { client, token: opened.sessionMessage!.st! };
}

async function subscribe(token: string, subscription: unknown, extra: Record<string, unknown> = {}, appId = TEST_APP.appId): Promise<{ status: number; body: { code?: number; error?: string; subscriptions?: number } }> {
  const response = await fetch(`${server.httpUrl}/push/subscriptions`, {
    method: 'POST',
    headers: { 'X-LC-Id': appId, 'X-LC-IM-Session-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ subscription, ...extra }),
  });
  return { status: response.status, body: (await response.json()) as { code?: number } };
}

async function unsubscribe(token: string, endpoint: string): Promise<number> {
  const response = await fetch(`${server.httpUrl}/push/subscriptions`, {
    method: 'DELETE',
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ endpoint }),
  });
  return response.status;
}

async function rest(method: string, path: string, body?: unknown): Promise<{ objectId?: string; results?: string[] }> {
  const response = await fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-Key': `${TEST_APP.masterKey},master`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as { objectId?: string };
}

/** Logs `id` in for a token, then out, and waits until the server counts it offline. */
async function tokenOfOffline(id: string): Promise<string> {
  const { client, token } = await login(id);
  client.close();
  for (;;) {
    if ((await rest('POST', '/1.2/rtm/clients/check-online', { client_ids: [id] })).results?.length === 0) return token;
    await sleep(20);
  }
}

const text = (value: string) => JSON.stringify({ _lctype: -1, _lctext: value });

async function send(client: RawClient, from: string, cid: string, msg: string, pushData?: unknown): Promise<void> {
  const reply = await client.request({ cmd: CommandType.direct, peerId: from, directMessage: { cid, msg, ...(pushData === undefined ? {} : { pushData: JSON.stringify(pushData) }) } });
  assert.equal(reply.cmd, CommandType.ack, JSON.stringify(reply.errorMessage));
}

/** The VAPID header, signed with this server's key (helpers/push-service.ts). */
const checkVapid = (request: Received, key = publicKey): Record<string, unknown> => checkVapidOf(request, key, service.url, 'mailto:ops@example.com');

/** The store of a test server's data directory, opened beside the server as another node would. */
async function storeOf(dataDir: string): Promise<Store> {
  return openStore({ storeLocation: (await testStoreFor(dataDir)) ?? { kind: 'sqlite', file: join(dataDir, 'lc-chat.db') }, durability: 'process' });
}

test('an offline member\'s browser gets the sender\'s pushData, encrypted to its keys and signed with the VAPID key; online members get nothing', async () => {
  const bobBrowser = new Browser(`${service.url}/bob-1`);
  const carolBrowser = new Browser(`${service.url}/carol-1`);
  const bobToken = await tokenOfOffline('wp-bob');
  assert.deepEqual((await subscribe(bobToken, bobBrowser.toJSON())).body, { subscriptions: 1 });
  const carol = await login('wp-carol');
  assert.equal((await subscribe(carol.token, carolBrowser.toJSON())).status, 200);
  const alice = await login('wp-alice');
  const cid = (await rest('POST', '/1.2/rtm/conversations', { m: ['wp-alice', 'wp-bob', 'wp-carol'] })).objectId!;

  await send(alice.client, 'wp-alice', cid, text('the secret plan'), { data: { alert: 'Alice wrote to you', title: 'Alice' } });
  const [push] = await service.at('/bob-1');
  checkVapid(push!);
  assert.deepEqual(JSON.parse(bobBrowser.decrypt(push!.body)), { title: 'Alice', body: 'Alice wrote to you', cid });
  assert.ok(!push!.body.includes(Buffer.from('secret')), 'the ciphertext is not the text');

  // Without pushData: a generic text, nothing of the message, in the language the page gave.
  const bobZh = new Browser(`${service.url}/bob-zh`);
  assert.equal((await subscribe(bobToken, bobZh.toJSON(), { lang: 'zh-CN' })).status, 200);
  await send(alice.client, 'wp-alice', cid, text('the secret plan, again'));
  const [, generic] = await service.at('/bob-1', 2);
  const plain = bobBrowser.decrypt(generic!.body);
  assert.deepEqual(JSON.parse(plain), { title: 'New message', body: 'Open the chat to read it.', cid });
  assert.deepEqual(JSON.parse(bobZh.decrypt((await service.at('/bob-zh'))[0]!.body)), { title: '新消息', body: '打开聊天查看。', cid });
  // Carol was online for both, and her push would have started before Bob's second.
  assert.equal(service.received.filter((request) => request.path === '/carol-1').length, 0);
  // The sender is never pushed for its own message.
  assert.equal(service.received.filter((request) => request.path.startsWith('/alice')).length, 0);
});

test('a conversation the member muted is not pushed; a chat room never is', async () => {
  const token = await tokenOfOffline('wp-mute');
  const browser = new Browser(`${service.url}/mute-1`);
  await subscribe(token, browser.toJSON());
  const sender = await login('wp-mute-sender');
  const muted = (await rest('POST', '/1.2/rtm/conversations', { m: ['wp-mute', 'wp-mute-sender'] })).objectId!;
  const open = (await rest('POST', '/1.2/rtm/conversations', { m: ['wp-mute', 'wp-mute-sender'] })).objectId!;
  // Muting is the member's own command: log in again, mute, leave.
  const again = await login('wp-mute');
  assert.equal((await again.client.request({ cmd: CommandType.conv, op: OpType.mute, peerId: 'wp-mute', convMessage: { cid: muted } })).cmd, CommandType.conv);
  again.client.close();
  await tokenOfOffline('wp-mute');
  await send(sender.client, 'wp-mute-sender', muted, text('muted'), { alert: 'muted' });
  await send(sender.client, 'wp-mute-sender', open, text('open'), { alert: 'open' });
  // The muted conversation's push, had there been one, would have started before this one.
  const pushes = await service.at('/mute-1');
  assert.deepEqual(pushes.map((push) => JSON.parse(browser.decrypt(push.body)).body), ['open']);
});

test('a push service that fails is retried with backoff; 404/410 forget the subscription; a slow one never holds up a message', async () => {
  const token = await tokenOfOffline('wp-flaky');
  const flaky = new Browser(`${service.url}/flaky-1`);
  const gone = new Browser(`${service.url}/gone-1`);
  const slow = new Browser(`${service.url}/slow-1`);
  await subscribe(token, flaky.toJSON());
  await subscribe(token, gone.toJSON());
  await subscribe(token, slow.toJSON());
  let flakyCalls = 0;
  service.answer = (request) => {
    if (request.path === '/flaky-1') return ++flakyCalls === 1 ? 500 : flakyCalls === 2 ? 429 : 201;
    if (request.path === '/gone-1') return 410;
    if (request.path === '/slow-1') return 'hold';
    return 201;
  };
  const sender = await login('wp-flaky-sender');
  const cid = (await rest('POST', '/1.2/rtm/conversations', { m: ['wp-flaky', 'wp-flaky-sender'] })).objectId!;
  await send(sender.client, 'wp-flaky-sender', cid, text('one'), { alert: 'one' });
  // 500, then 429, then accepted: the same push three times.
  const tries = await service.at('/flaky-1', 3);
  assert.deepEqual(tries.map((push) => JSON.parse(flaky.decrypt(push.body)).body), ['one', 'one', 'one']);
  // 410: forgotten, in the store, for every node.
  await service.at('/gone-1');
  const store = await storeOf(server.dataDir);
  try {
    for (let i = 0; (await store.pushSubscriptions(TEST_APP.appId, ['wp-flaky'])).some((item) => item.endpoint.endsWith('/gone-1')); i++) {
      assert.ok(i < 500, 'the gone subscription is removed from the store');
      await sleep(20);
    }
    assert.equal((await store.pushSubscriptions(TEST_APP.appId, ['wp-flaky'])).length, 2);
  } finally {
    await store.close();
  }
  // The slow service holds its request; a later message is acked all the same.
  await service.at('/slow-1');
  await send(sender.client, 'wp-flaky-sender', cid, text('two'), { alert: 'two' });
  await service.at('/flaky-1', 4);
  await service.at('/slow-1', 2);
  assert.equal(service.received.filter((request) => request.path === '/gone-1').length, 1, 'nothing more was sent to a gone subscription');
  service.answer = () => 201;
  for (const held of service.received) held.respond(201);
});

test('subscribing takes a valid session token and acts for its client only; bad subscriptions are refused', async () => {
  const victimToken = await tokenOfOffline('wp-victim');
  const victim = new Browser(`${service.url}/victim-1`);
  await subscribe(victimToken, victim.toJSON());
  const mallory = await login('wp-mallory');

  // No token, a forged one, another app: 401.
  assert.equal((await subscribe('', new Browser(`${service.url}/x`).toJSON())).status, 401);
  assert.equal((await subscribe(`${mallory.token}x`, new Browser(`${service.url}/x`).toJSON())).status, 401);
  assert.equal((await subscribe(mallory.token, new Browser(`${service.url}/x`).toJSON(), {}, 'no-such-app')).status, 401);
  // Mallory cannot remove the victim's subscription: DELETE acts on Mallory's own only.
  assert.equal(await unsubscribe(mallory.token, victim.endpoint), 200);

  const good = new Browser(`${service.url}/ok`).toJSON();
  const bad: [string, unknown, Record<string, unknown>?][] = [
    ['no subscription', undefined],
    ['a string', 'https://fcm.googleapis.com/fcm/send/x'],
    ['http to a non-loopback host', { ...good, endpoint: 'http://example.com/push' }],
    ['a non-push host', { ...good, endpoint: 'https://evil.example.com/push' }],
    ['a file URL', { ...good, endpoint: 'file:///etc/passwd' }],
    ['credentials in the URL', { ...good, endpoint: 'https://user:pw@fcm.googleapis.com/fcm/send/x' }],
    ['a 2 KB endpoint', { ...good, endpoint: `https://fcm.googleapis.com/fcm/send/${'x'.repeat(2000)}` }],
    ['a short p256dh', { ...good, keys: { ...good.keys, p256dh: randomBytes(33).toString('base64url') } }],
    ['a p256dh off the curve', { ...good, keys: { ...good.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url') } }],
    ['a long auth', { ...good, keys: { ...good.keys, auth: randomBytes(32).toString('base64url') } }],
    ['no keys', { endpoint: good.endpoint }],
    ['a bad lang', good, { lang: '<script>' }],
  ];
  for (const [why, subscription, extra] of bad) {
    const answer = await subscribe(mallory.token, subscription, extra);
    assert.equal(answer.status, 400, why);
    assert.equal(typeof answer.body.error, 'string', why);
  }
  const huge = await fetch(`${server.httpUrl}/push/subscriptions`, {
    method: 'POST',
    headers: { 'X-LC-Id': TEST_APP.appId, 'X-LC-IM-Session-Token': mallory.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ subscription: good, padding: 'x'.repeat(10_000) }),
  });
  assert.equal(huge.status, 413);

  // At most five browsers per client: a sixth replaces the oldest.
  const many = await login('wp-many');
  const counts = [];
  for (let i = 0; i < 6; i++) counts.push((await subscribe(many.token, new Browser(`${service.url}/m-${i}`).toJSON())).body.subscriptions);
  assert.deepEqual(counts, [1, 2, 3, 4, 5, 5]);
  // At most 20 changes a minute per client.
  const statuses = [];
  for (let i = 0; i < 16; i++) statuses.push((await subscribe(many.token, new Browser(`${service.url}/m-${i}`).toJSON())).status);
  assert.deepEqual(statuses.slice(0, 14), Array(14).fill(200));
  assert.deepEqual(statuses.slice(14), [429, 429]);

  // An endpoint is one browser: registered by another client, it moves, and the first client's pushes stop there.
  const shared = new Browser(`${service.url}/shared`);
  const first = await tokenOfOffline('wp-first');
  await subscribe(first, shared.toJSON());
  const second = await tokenOfOffline('wp-second');
  await subscribe(second, shared.toJSON());
  const sender = await login('wp-auth-sender');
  const firstCid = (await rest('POST', '/1.2/rtm/conversations', { m: ['wp-first', 'wp-auth-sender'] })).objectId!;
  const secondCid = (await rest('POST', '/1.2/rtm/conversations', { m: ['wp-second', 'wp-auth-sender'] })).objectId!;
  const victimCid = (await rest('POST', '/1.2/rtm/conversations', { m: ['wp-victim', 'wp-auth-sender'] })).objectId!;
  await send(sender.client, 'wp-auth-sender', firstCid, text('for first'), { alert: 'for first' });
  await send(sender.client, 'wp-auth-sender', secondCid, text('for second'), { alert: 'for second' });
  await send(sender.client, 'wp-auth-sender', victimCid, text('for victim'), { alert: 'for victim' });
  await service.at('/victim-1');
  const onShared = await service.at('/shared');
  assert.deepEqual(onShared.map((push) => JSON.parse(shared.decrypt(push.body)).body), ['for second']);

  // The owner can unsubscribe; then nothing more arrives there.
  assert.equal(await unsubscribe(victimToken, victim.endpoint), 200);
  await send(sender.client, 'wp-auth-sender', victimCid, text('after'), { alert: 'after' });
  await send(sender.client, 'wp-auth-sender', secondCid, text('barrier'), { alert: 'barrier' });
  await service.at('/shared', 2);
  assert.equal(service.received.filter((request) => request.path === '/victim-1').length, 1);
});

test('the VAPID key pair is the store\'s: made once, the same after a restart, no key file on disk', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-vapid-'));
  try {
    const first = await startTestServer({ dataDir });
    const key = ((await (await fetch(`${first.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey;
    await first.stop();
    assert.match(key, /^[\w-]{87}$/);
    assert.equal(existsSync(join(dataDir, 'vapid.json')), false);
    const second = await startTestServer({ dataDir });
    assert.equal(((await (await fetch(`${second.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey, key);
    await second.stop();
    // Off: no key, no routes.
    const off = await startTestServer({ dataDir, webPush: false });
    assert.equal((await fetch(`${off.httpUrl}/push/key`)).status, 404);
    await off.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await dropTestStore(dataDir);
  }
});

test('an earlier version\'s vapid.json and push-subscriptions.json are imported once: its browsers keep getting pushes signed with its key', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lc-chat-vapid-import-'));
  const settings = { allowLoopback: true, minIntervalMs: 0, retryBaseMs: 20, timeoutMs: 1000, subject: 'mailto:ops@example.com' };
  try {
    // What issue 15's server left in its data directory.
    const old = webPush.generateVAPIDKeys();
    const kept = new Browser(`${service.url}/imported-1`);
    const keptZh = new Browser(`${service.url}/imported-zh`);
    const entry = (browser: Browser, extra: Record<string, unknown> = {}) => ({ ...browser.toJSON().keys, endpoint: browser.endpoint, createdAt: 1_700_000_000_000, ...extra });
    writeFileSync(join(dataDir, 'vapid.json'), JSON.stringify({ publicKey: old.publicKey, privateKey: old.privateKey }), { mode: 0o600 });
    writeFileSync(join(dataDir, 'push-subscriptions.json'), JSON.stringify({
      clients: [
        [TEST_APP.appId, 'wp-imported', [entry(kept), entry(keptZh, { lang: 'zh-CN' }), { endpoint: 'https://evil.example/x', p256dh: 'x', auth: 'y', createdAt: 0 }]],
        ['', 'nobody', []],
      ],
    }), { mode: 0o644 });
    const upgraded = await startTestServer({ dataDir, webPush: settings });
    try {
      assert.equal(((await (await fetch(`${upgraded.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey, old.publicKey, 'the old pair is kept');
      assert.deepEqual(readdirSync(dataDir).filter((name) => name.includes('.json')).sort(), ['push-subscriptions.json.imported', 'vapid.json.imported']);
      for (const name of ['push-subscriptions.json.imported', 'vapid.json.imported']) assert.equal(statSync(join(dataDir, name)).mode & 0o777, 0o600, name);
      const store = await storeOf(dataDir);
      try {
        assert.deepEqual((await store.pushSubscriptions(TEST_APP.appId, ['wp-imported'])).map((item) => [item.endpoint, item.lang ?? null, item.createdAt]), [
          [kept.endpoint, null, 1_700_000_000_000],
          [keptZh.endpoint, 'zh-CN', 1_700_000_000_000],
        ], 'the valid entries, and not the one the endpoint policy refuses');
      } finally {
        await store.close();
      }
      // The imported browser is pushed, signed with the old key it subscribed with.
      const sender = await RawClient.connect(upgraded.wsUrl);
      clients.push(sender);
      await sender.login(TEST_APP.appId, 'wp-import-sender');
      const created = await sender.request({ cmd: CommandType.conv, op: OpType.start, convMessage: { m: ['wp-imported'] } });
      const cid = created.convMessage!.cid!;
      await send(sender, 'wp-import-sender', cid, text('hello again'), { alert: 'after the upgrade' });
      const [push] = await service.at('/imported-1');
      checkVapid(push!, old.publicKey);
      assert.equal(JSON.parse(kept.decrypt(push!.body)).body, 'after the upgrade');
      await service.at('/imported-zh');
    } finally {
      await upgraded.server.close();
    }
    // Once: a restart finds no files to import and the same pair.
    const again = await startTestServer({ dataDir, webPush: settings });
    assert.equal(((await (await fetch(`${again.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey, old.publicKey);
    await again.server.close();

    // A key file beside a store that has a pair already: the store's pair stays, the file's subscriptions are left out (made with a key nobody signs with).
    const stray = webPush.generateVAPIDKeys();
    writeFileSync(join(dataDir, 'vapid.json'), JSON.stringify({ publicKey: stray.publicKey, privateKey: stray.privateKey }));
    writeFileSync(join(dataDir, 'push-subscriptions.json'), JSON.stringify({ clients: [[TEST_APP.appId, 'wp-stray', [entry(new Browser(`${service.url}/stray`))]]] }));
    const third = await startTestServer({ dataDir, webPush: settings });
    assert.equal(((await (await fetch(`${third.httpUrl}/push/key`)).json()) as { publicKey: string }).publicKey, old.publicKey);
    await third.server.close();
    const store = await storeOf(dataDir);
    try {
      assert.deepEqual(await store.pushSubscriptions(TEST_APP.appId, ['wp-stray']), []);
    } finally {
      await store.close();
    }
    // A damaged key file stops the start, naming it.
    writeFileSync(join(dataDir, 'vapid.json'), JSON.stringify({ publicKey: 'short', privateKey: 'x' }));
    await assert.rejects(startTestServer({ dataDir }), /vapid\.json does not hold a VAPID key pair/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await dropTestStore(dataDir);
  }
});

test('endpoint policy: known push services only by default; with any host allowed, still no private addresses', () => {
  const keys = new Browser('x').toJSON().keys;
  const policy = { hosts: PUSH_SERVICE_HOSTS, allowLoopback: false };
  for (const endpoint of ['https://fcm.googleapis.com/fcm/send/abc', 'https://updates.push.services.mozilla.com/wpush/v2/abc', 'https://web.push.apple.com/abc', 'https://wns2-by3p.notify.windows.com/w/?token=abc']) {
    assert.equal(parseSubscription({ endpoint, keys }, policy).endpoint, endpoint);
  }
  for (const endpoint of ['https://127.0.0.1/x', 'http://127.0.0.1:9/x', 'https://fcm.googleapis.com.evil.com/x', 'https://push.apple.com.evil/x']) {
    assert.throws(() => parseSubscription({ endpoint, keys }, policy), SubscriptionError, endpoint);
  }
  const open = { hosts: null, allowLoopback: false };
  assert.ok(parseSubscription({ endpoint: 'https://push.example.net/x', keys }, open));
  for (const endpoint of ['https://10.1.2.3/x', 'https://192.168.0.1/x', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://localhost/x', 'https://172.20.0.1/x']) {
    assert.throws(() => parseSubscription({ endpoint, keys }, open), SubscriptionError, endpoint);
  }
});

test('the notification text: pushData in LeanCloud\'s shapes, bounded and without control characters; otherwise generic', () => {
  assert.deepEqual(payloadOf('c', JSON.stringify({ alert: 'hi', title: 'T' }), 'en'), { title: 'T', body: 'hi', cid: 'c' });
  assert.deepEqual(payloadOf('c', JSON.stringify({ data: { alert: { title: 'A', body: 'B' } } }), undefined), { title: 'A', body: 'B', cid: 'c' });
  assert.deepEqual(payloadOf('c', JSON.stringify({ title: 'Only a title' }), 'en'), { title: 'Only a title', body: '', cid: 'c' });
  assert.deepEqual(payloadOf('c', 'not json', 'zh-TW'), { title: '新消息', body: '打开聊天查看。', cid: 'c' });
  assert.deepEqual(payloadOf('c', JSON.stringify({ alert: 42 }), 'fr'), { title: 'New message', body: 'Open the chat to read it.', cid: 'c' });
  const long = payloadOf('c', JSON.stringify({ alert: `a\u0000b\u001b${'x'.repeat(2000)}`, title: 'y'.repeat(500) }), 'en');
  assert.equal(long.title.length, 100);
  assert.equal(long.body.length, 500);
  assert.ok(long.body.startsWith('a b '));
});

test('the subscription registry: through the store, bounded, and each node sees what another registered', async () => {
  const store = openSqliteStore({ file: ':memory:' });
  const errors: unknown[] = [];
  const nodeA = new PushSubscriptions(store, { perClient: 2, total: 3 }, (error) => errors.push(error));
  const entry = (endpoint: string) => ({ endpoint, p256dh: 'k', auth: 'a', createdAt: 0 });
  try {
    assert.equal(await nodeA.hasApp('A'), false);
    assert.equal(await nodeA.add('A', 'alice', entry('https://p/1')), 1);
    assert.equal(await nodeA.add('A', 'alice', entry('https://p/2')), 2);
    assert.equal(await nodeA.hasApp('A'), true, 'known at once on the node that registered it');
    // A third browser replaces alice's oldest; another node (same store) sees it.
    assert.equal(await nodeA.add('A', 'alice', entry('https://p/3')), 2);
    const nodeB = new PushSubscriptions(store, { perClient: 2, total: 3 }, (error) => errors.push(error));
    assert.deepEqual([await nodeB.hasApp('A'), await nodeB.hasApp('B')], [true, false]);
    assert.deepEqual([...(await nodeB.of('A', ['alice', 'bob']))].map(([clientId, list]) => [clientId, list.map((item) => item.endpoint)]), [['alice', ['https://p/2', 'https://p/3']]]);
    // Registered by bob through node B, the endpoint leaves alice.
    await nodeB.add('A', 'bob', entry('https://p/3'));
    assert.deepEqual([...(await nodeA.of('A', ['alice', 'bob']))].map(([clientId, list]) => [clientId, list.length]), [['alice', 1], ['bob', 1]]);
    await nodeB.add('B', 'carol', entry('https://p/4'));
    await assert.rejects(nodeA.add('B', 'carol', entry('https://p/5')), SubscriptionsFull);
    // Someone else's endpoint cannot be removed; the owner's can; a gone one is dropped (by whichever node sent) whoever holds it.
    assert.equal(await nodeA.remove('A', 'alice', 'https://p/3'), false);
    assert.equal(await nodeA.remove('A', 'bob', 'https://p/3'), true);
    nodeB.drop('https://p/2');
    await nodeB.flush();
    assert.equal((await nodeA.of('A', ['alice'])).size, 0);
    assert.deepEqual(errors, []);
    // A store that fails: the error is told, and the app read as it was last known.
    await store.close();
    nodeB.drop('https://p/4');
    await nodeB.flush();
    assert.equal(errors.length, 1);
  } finally {
    await store.close();
  }
});
