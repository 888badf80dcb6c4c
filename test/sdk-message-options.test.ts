/**
 * 消息发送选项 with our SDK against a real server: transient messages,
 * delivery receipts (`receipt` and the guide's `reciept`), `pushData` and
 * `will` messages.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { CommandType, has } from '../src/protocol/index.js';
import { MessageStatus, TextMessage, type Message, type WebSocketConstructor } from '../src/sdk/index.js';
import { delay, nextEvent, record, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('暂态消息 (transient messages)', () => {
  test('delivered to online members, acked with an id, never stored', async () => {
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const bob = await env.login(bobId);
    const conversation = await tom.createConversation({ members: [bobId] });
    const got = nextEvent(bob, 'message');
    const typing = new TextMessage('Tom is typing…').setTransient(true);
    assert.equal(await conversation.send(typing), typing);
    assert.equal(typing.status, MessageStatus.SENT);
    assert.equal(typing.transient, true);
    assert.equal(conversation.lastMessage, undefined, 'a transient message is not the last message');
    const byOption = await conversation.send(new TextMessage('also transient'), { transient: true });
    assert.equal(byOption.transient, true);

    const directs = recorder.sent.filter((c) => c.cmd === CommandType.direct);
    assert.deepEqual(directs.map((c) => c.directMessage?.transient), [true, true]);
    assert.ok(directs.every((c) => has(c, 'i')), 'sent with i: the SDK waits for the ack (configBitmap bit 3)');

    const [received, bobConversation] = await got;
    assert.equal((received as TextMessage).text, 'Tom is typing…');
    assert.equal(received.transient, true);
    assert.equal(bobConversation.unreadMessagesCount, 0, 'a transient message is not unread');
    assert.deepEqual(await conversation.queryMessages(), [], 'not in the history');
  });

  test('offline members never get a transient message', async () => {
    const [tomId, bobId] = env.names('Tom', 'Bob');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [bobId] });
    await conversation.send(new TextMessage('typing'), { transient: true });
    const stored = await conversation.send(new TextMessage('stored'));
    const bob = await env.login(bobId, { pushOfflineMessages: true });
    const got: Message[] = [];
    bob.on('message', (message) => got.push(message));
    await until(() => got.length >= 1);
    await delay(200);
    assert.deepEqual(got.map((message) => message.id), [stored.id]);
  });
});

describe('消息送达回执 (delivery receipts)', () => {
  for (const option of ['receipt', 'reciept'] as const) {
    test(`{${option}: true}: receipt event with the same instance, DELIVERED, deliveredAt`, async () => {
      const [tomId, jerryId] = env.names('Tom', 'Jerry');
      const recorder = recordingWebSocket();
      const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
      await env.login(jerryId);
      const conversation = await tom.createConversation({ members: [jerryId] });
      const receipt = nextEvent(conversation, 'receipt');
      const delivered = nextEvent(conversation, 'lastdeliveredatupdate');
      const before = Date.now();
      const message = await conversation.send(new TextMessage('very important message'), { [option]: true });
      assert.equal(recorder.sent.find((c) => c.cmd === CommandType.direct)?.directMessage?.r, true);
      assert.equal(message.status, MessageStatus.SENT);
      const [payload] = await receipt;
      assert.equal(payload.message, message, 'the same instance');
      assert.equal(message.status, MessageStatus.DELIVERED);
      assert.ok(message.deliveredAt instanceof Date);
      assert.ok(message.deliveredAt.getTime() >= before - 1000 && message.deliveredAt.getTime() <= Date.now() + 1000);
      await delivered;
      assert.equal(conversation.lastDeliveredAt?.getTime(), message.deliveredAt.getTime());
    });
  }

  test('no receipt unless asked for, and none for transient messages', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const receipts = record(conversation, 'receipt');
    const got = record(jerry, 'message');
    await conversation.send(new TextMessage('plain'));
    await conversation.send(new TextMessage('transient'), { transient: true, receipt: true });
    const directs = recorder.sent.filter((c) => c.cmd === CommandType.direct);
    assert.deepEqual(directs.map((c) => has(c.directMessage, 'r')), [false, false]);
    await until(() => got.length === 2);
    await delay(1_500); // past the receiver's 1 s ack batching
    assert.deepEqual(receipts, []);
  });
});

describe('pushData and will', () => {
  test('pushData travels as JSON and will as a flag', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const conversation = await tom.createConversation({ members: [jerryId], name: 'Tom & Jerry', unique: true });
    const pushData = { data: { alert: '您有一条未读的消息', category: '消息', badge: 1, 'custom-key': 'x' } };
    await conversation.send(new TextMessage('耗子,今晚有比赛'), { pushData });
    await conversation.send(new TextMessage('Tom dropped out'), { will: true });
    const [withPush, will] = recorder.sent.filter((c) => c.cmd === CommandType.direct);
    assert.deepEqual(JSON.parse(withPush!.directMessage!.pushData!), pushData);
    assert.equal(has(withPush!.directMessage, 'will'), false);
    assert.equal(will!.directMessage?.will, true);
    assert.equal(has(will!.directMessage, 'pushData'), false);
  });

  test('a will message is delivered only when the sender drops without logging out', async () => {
    const [tomId, jerryId, harryId] = env.names('Tom', 'Jerry', 'Harry');
    const jerry = await env.login(jerryId);
    const got: Message[] = [];
    jerry.on('message', (message) => got.push(message));

    // Harry logs out properly: his will message is discarded.
    const harry = await env.login(harryId);
    const withHarry = await harry.createConversation({ members: [jerryId] });
    await withHarry.send(new TextMessage('Harry went offline'), { will: true });
    await harry.close();

    // Tom's connection is cut: his will message is delivered.
    const sockets: WebSocket[] = [];
    class Tracked extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    }
    const tom = await env.device({ WebSocket: Tracked as unknown as WebSocketConstructor, timings: { backoffInitial: 60_000 } }).createIMClient(tomId);
    const withTom = await tom.createConversation({ members: [jerryId] });
    const will = await withTom.send(new TextMessage('Tom went offline'), { will: true });
    await delay(200);
    assert.equal(got.length, 0, 'not delivered while the sender is online');
    sockets[0]!.terminate();
    await until(() => got.length >= 1);
    await delay(200);
    assert.deepEqual(got.map((message) => (message as TextMessage).text), ['Tom went offline']);
    assert.equal(got[0]!.from, tomId);
    assert.equal(got[0]!.id, will.id);
  });
});
