/**
 * What the widgets need from the SDK: the session token for uploads without
 * an app key, and a message's dedup token (`dt`) kept across a page reload
 * so a resent outbox message is stored once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MessageStatus, Realtime, TextMessage } from '../src/sdk/index.js';
import { ImageMessage, LcFile, TypedMessagesPlugin } from '../src/sdk/typed-messages/index.js';
import { collectMessages, delay, sdkEnvironment } from './helpers/sdk-env.js';
import { startTestServer } from './helpers/server.js';

const env = sdkEnvironment();

describe('IMClient#getSessionToken', () => {
  test('resolves the token issued at login, which the file service accepts', async () => {
    const [tomId] = env.names('Tom');
    const tom = await env.login(tomId);
    const token = await tom.getSessionToken();
    assert.equal(typeof token, 'string');
    assert.ok(token.length > 10);
    assert.equal(await tom.getSessionToken(), token, 'the same token while it is valid');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const upload = (headers: Record<string, string>) =>
      fetch(`${env.server.httpUrl}/files?name=a.png`, { method: 'POST', body: png, headers: { 'X-LC-Id': env.server.appId, 'Content-Type': 'image/png', ...headers } });
    assert.equal((await upload({ 'X-LC-IM-Session-Token': token })).status, 201);
    assert.equal((await upload({ 'X-LC-IM-Session-Token': token.slice(0, -2) + 'xx' })).status, 401, 'a forged token is refused: the test can fail');
  });

  test('an expired token is renewed by re-opening the session', async () => {
    const server = await startTestServer({ sessionTokenTtlMs: 1000 });
    const realtime = new Realtime({ appId: server.appId, server: server.wsUrl });
    try {
      const tom = await realtime.createIMClient('Tom');
      const first = await tom.getSessionToken();
      await delay(1100);
      const second = await tom.getSessionToken();
      assert.notEqual(second, first);
      const response = await fetch(`${server.httpUrl}/files?name=a.txt`, {
        method: 'POST',
        body: 'hello',
        headers: { 'X-LC-Id': server.appId, 'X-LC-IM-Session-Token': second, 'Content-Type': 'text/plain' },
      });
      assert.equal(response.status, 201);
      assert.equal(tom.closed, false);
    } finally {
      await realtime.close();
      await server.stop();
    }
  });

  test('a closed client has no token', async () => {
    const [tomId] = env.names('Tom');
    const tom = await env.login(tomId);
    await tom.close();
    await assert.rejects(tom.getSessionToken(), /closed/);
  });
});

describe('Message#dt (outbox resend after a reload)', () => {
  test('a resend with the restored dt is stored and delivered once', async () => {
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const bob = await env.login(bobId);
    const firstPage = await env.login(tomId);
    const conversation = await firstPage.createConversation({ members: [bobId] });
    const original = new TextMessage('sent before the reload');
    const saved = { dt: original.dt, text: original.text! };
    assert.equal(original.id, original.dt, 'an unsent message is identified by its dt');
    const bobGets = collectMessages(bob, 1);
    await conversation.send(original);
    await bobGets;

    // The page reloads before it learnt of the ack: a new device, a new instance, the same dt.
    await firstPage.close();
    const reloaded = await env.login(tomId);
    const again = await reloaded.getConversation(conversation.id);
    const restored = new TextMessage(saved.text);
    restored.dt = saved.dt;
    assert.equal(restored.id, saved.dt);
    const extra: unknown[] = [];
    bob.on('message', (message) => extra.push(message));
    await again!.send(restored);
    assert.equal(restored.status, MessageStatus.SENT);
    assert.equal(restored.id, original.id, 'acked with the first message id');
    await delay(200);
    assert.deepEqual(extra, [], 'not pushed again');
    const history = await again!.queryMessages();
    assert.deepEqual(history.map((message) => message.id), [original.id], 'stored once');

    // A different dt is a different message: the dedup above is real.
    await again!.send(new TextMessage(saved.text));
    assert.equal((await again!.queryMessages()).length, 2);
  });

  test('dt is validated and frozen once sent', async () => {
    const message = new TextMessage('x');
    assert.throws(() => {
      message.dt = '';
    }, TypeError);
    assert.throws(() => {
      message.dt = 'x'.repeat(65);
    }, TypeError);
    const [tomId] = env.names('Tom');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: ['someone'] });
    await conversation.send(message);
    assert.throws(() => {
      message.dt = 'other';
    }, /sent/);
  });

  test('realtime.restoreMessage rebuilds a saved payload as its class with its dt; the resend is deduplicated', async () => {
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const plugins = [TypedMessagesPlugin];
    const tom = await env.login(tomId, { plugins });
    const conversation = await tom.createConversation({ members: [bobId] });
    const file = LcFile.withURL('cat.gif', 'https://files.example.com/cat.gif', { width: 10, height: 10 });
    const original = new ImageMessage(file).setText('cat');
    await conversation.send(original);
    // What an outbox persists: the payload (as JSON text) and the dt.
    const saved = { payload: JSON.stringify(original.toJSON()), dt: original.dt };

    const reloadedRealtime = env.device({ plugins });
    const restored = reloadedRealtime.restoreMessage(saved.payload, { dt: saved.dt });
    assert.ok(restored instanceof ImageMessage, `restored as ${restored.constructor.name}`);
    assert.equal(restored.getFile().metaData('width'), 10);
    assert.equal(restored.dt, saved.dt);
    assert.equal(restored.status, MessageStatus.NONE);
    const reloaded = await reloadedRealtime.createIMClient(tomId);
    await (await reloaded.getConversation(conversation.id))!.send(restored);
    assert.equal(restored.id, original.id);
    assert.equal((await conversation.queryMessages()).length, 1);
    assert.ok(!(env.device().restoreMessage(saved.payload) instanceof ImageMessage), 'without the plugin: a plain message');
  });
});
