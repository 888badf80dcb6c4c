/**
 * 聊天记录 with our SDK against a real server: queryMessages with every v3
 * option and the 1..1000 limit (default 20), and createMessagesIterator
 * ending with `done: true` exactly on the page with the oldest message.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { CommandType } from '../src/protocol/index.js';
import { TextMessage, type Conversation, type Message } from '../src/sdk/index.js';
import { recordingWebSocket, sdkEnvironment } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('queryMessages', () => {
  let conversation: Conversation;
  let ids: string[];
  let sent: Message[];
  const recorder = recordingWebSocket();

  before(async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    conversation = await tom.createConversation({ members: [jerryId] });
    sent = [];
    for (let n = 1; n <= 25; n += 1) sent.push(await conversation.send(new TextMessage(`message ${n}`)));
    ids = sent.map((message) => message.id);
  });

  test('by default the 20 newest, ascending', async () => {
    const messages = await conversation.queryMessages();
    assert.deepEqual(messages.map((m) => m.id), ids.slice(5));
    const logs = recorder.sent.filter((c) => c.cmd === CommandType.logs).at(-1)!;
    assert.equal(logs.logsMessage?.l, 20, 'the default is sent explicitly');
    assert.equal(logs.logsMessage?.cid, conversation.id);
  });

  test('limit must be an integer from 1 to 1000', async () => {
    for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
      await assert.rejects(conversation.queryMessages({ limit }), RangeError, `limit ${limit}`);
    }
    assert.deepEqual((await conversation.queryMessages({ limit: 1 })).map((m) => m.id), ids.slice(24));
    assert.equal((await conversation.queryMessages({ limit: 1000 })).length, 25);
  });

  test('beforeTime/beforeMessageId and afterTime/afterMessageId bound the page', async () => {
    const tenth = sent[9]!;
    const fifteenth = sent[14]!;
    assert.deepEqual(
      (await conversation.queryMessages({ limit: 3, beforeTime: tenth.timestamp, beforeMessageId: tenth.id })).map((m) => m.id),
      ids.slice(6, 9),
    );
    assert.deepEqual(
      (await conversation.queryMessages({ beforeTime: fifteenth.timestamp, beforeMessageId: fifteenth.id, afterTime: tenth.timestamp, afterMessageId: tenth.id })).map(
        (m) => m.id,
      ),
      ids.slice(10, 14),
      'strictly between the two',
    );
    assert.deepEqual(
      (await conversation.queryMessages({ afterTime: sent[22]!.timestamp, afterMessageId: sent[22]!.id })).map((m) => m.id),
      ids.slice(23),
    );
    assert.deepEqual(await conversation.queryMessages({ beforeTime: sent[0]!.timestamp.getTime(), beforeMessageId: sent[0]!.id }), []);
    await assert.rejects(conversation.queryMessages({ beforeMessageId: tenth.id }), TypeError);
    await assert.rejects(conversation.queryMessages({ afterMessageId: tenth.id }), TypeError);
  });

  test('messages come back typed, with sender, time and status', async () => {
    const [message] = await conversation.queryMessages({ limit: 1 });
    assert.ok(message instanceof TextMessage);
    assert.equal(message.text, 'message 25');
    assert.equal(message.from, sent[24]!.from);
    assert.equal(message.cid, conversation.id);
    assert.equal(message.timestamp.getTime(), sent[24]!.timestamp.getTime());
  });
});

describe('createMessagesIterator', () => {
  /** A conversation with `count` messages, and their ids oldest first. */
  async function history(count: number): Promise<{ conversation: Conversation; ids: string[] }> {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const ids: string[] = [];
    for (let n = 0; n < count; n += 1) ids.push((await conversation.send(new TextMessage(`m${n}`))).id);
    return { conversation, ids };
  }

  /** Every page as [ids, done]. */
  async function pages(conversation: Conversation, limit?: number): Promise<[string[], boolean][]> {
    const iterator = conversation.createMessagesIterator(limit === undefined ? {} : { limit });
    const result: [string[], boolean][] = [];
    for (;;) {
      const { value, done } = await iterator.next();
      result.push([value.map((m) => m.id), done]);
      if (done) return result;
      assert.ok(result.length < 100, 'the iterator ends');
    }
  }

  test('an exact multiple of the page size: done on the page with the oldest message, no empty page', async () => {
    const { conversation, ids } = await history(20);
    assert.deepEqual(await pages(conversation, 10), [
      [ids.slice(10), false],
      [ids.slice(0, 10), true],
    ]);
  });

  test('a short last page, the default page size, one page, none', async () => {
    const { conversation, ids } = await history(23);
    assert.deepEqual(await pages(conversation, 10), [
      [ids.slice(13), false],
      [ids.slice(3, 13), false],
      [ids.slice(0, 3), true],
    ]);
    assert.deepEqual(await pages(conversation), [
      [ids.slice(3), false],
      [ids.slice(0, 3), true],
    ]);
    assert.deepEqual(await pages(conversation, 23), [[ids, true]]);
    const empty = await history(0);
    assert.deepEqual(await pages(empty.conversation, 10), [[[], true]]);
    const iterator = conversation.createMessagesIterator({ limit: 23 });
    await iterator.next();
    assert.deepEqual(await iterator.next(), { value: [], done: true }, 'after the end');
  });

  test('a start point; the largest page size; bad limits', async () => {
    const { conversation, ids } = await history(12);
    const [tenth] = await conversation.queryMessages({ limit: 3 });
    assert.equal(tenth!.id, ids[9]);
    const iterator = conversation.createMessagesIterator({ limit: 5, beforeTime: tenth!.timestamp, beforeMessageId: tenth!.id });
    assert.deepEqual((await iterator.next()).value.map((m) => m.id), ids.slice(4, 9));
    assert.deepEqual(await iterator.next().then(({ value, done }) => [value.map((m) => m.id), done]), [ids.slice(0, 4), true]);
    assert.deepEqual(await pages(conversation, 1000), [[ids, true]]);
    assert.throws(() => conversation.createMessagesIterator({ limit: 0 }), RangeError);
    assert.throws(() => conversation.createMessagesIterator({ limit: 1001 }), RangeError);
  });

  test('1000 messages with pages of 1000: one page, done', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    for (let batch = 0; batch < 10; batch += 1) {
      await Promise.all(Array.from({ length: 100 }, (_, n) => conversation.send(new TextMessage(`m${batch * 100 + n}`))));
    }
    const [[first, done], ...rest] = await pages(conversation, 1000);
    assert.equal(first.length, 1000);
    assert.equal(done, true, 'a probe finds nothing older');
    assert.deepEqual(rest, []);
    const [[, notDone], [last, lastDone]] = await pages(conversation, 999);
    assert.equal(notDone, false);
    assert.deepEqual([last.length, lastDone], [1, true]);
  });
});
