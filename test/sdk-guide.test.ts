/**
 * The v3 guide's examples, run with our SDK against a real server on
 * loopback: 单聊, 群聊, 聊天记录, custom message types (自定义消息),
 * conversation queries, count, ping and 退出登录.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CommandType, OpType, has } from '../src/protocol/index.js';
import {
  Conversation,
  ConversationQuery,
  IMClient,
  Message,
  MessageStatus,
  ProtocolError,
  Realtime,
  TextMessage,
  TypedMessage,
  VERSION,
  messageField,
  messageType,
  type WebSocketConstructor,
} from '../src/sdk/index.js';
import { delay, nextEvent, recordingWebSocket, until } from './helpers/sdk-env.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { within } from './helpers/wait.js';

let server: TestServer;
const realtimes: Realtime[] = [];
let run = 0;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await Promise.allSettled(realtimes.map((realtime) => realtime.close()));
  await server.stop();
});

/** A Realtime on the test server: one per simulated device. */
function device(options: { WebSocket?: WebSocketConstructor; noBinary?: boolean } = {}): Realtime {
  const realtime = new Realtime({ appId: server.appId, appKey: server.appKey, server: server.wsUrl, ...options });
  realtimes.push(realtime);
  return realtime;
}

/** Client ids unique to one test, so tests sharing the server cannot see each other's conversations. */
function names<const T extends string[]>(...base: T): { [K in keyof T]: string } {
  run += 1;
  return base.map((name) => `${name}-${run}`) as { [K in keyof T]: string };
}




class OperationMessage extends TypedMessage {
  op?: string;
}
// The guide's plain-call form (自定义消息 · 创建新的消息类型).
messageType(1)(OperationMessage);
messageField('op')(OperationMessage);

// The same with TS 5 standard decorators (消息发送选项 · 暂态消息).
@messageType(2)
@messageField(['op', 'target'])
class DecoratedOperationMessage extends TypedMessage {
  op?: string;
  target?: string;
}

describe('单聊 (one-to-one)', () => {
  test('Tom sends 耗子,起床! and Jerry receives it on the client and on the conversation', async () => {
    const [tomId, jerryId] = names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tomRealtime = device({ WebSocket: recorder.WebSocket });
    const tom = await tomRealtime.createIMClient(tomId);
    const jerry = await device().createIMClient(jerryId);
    assert.equal(tom.id, tomId);
    assert.equal(await tomRealtime.createIMClient(tomId), tom, 'same clientId, same IMClient');

    const open = recorder.sent.find((c) => c.cmd === CommandType.session && c.op === OpType.open)!;
    assert.equal(open.appId, server.appId);
    assert.equal(open.peerId, tomId);
    assert.equal(open.i, 1, 'the first request of a connection has i = 1');
    assert.equal(open.sessionMessage?.ua, `lc-chat/${VERSION}`);
    assert.equal(open.sessionMessage?.r, false);
    assert.equal(open.sessionMessage?.deviceId, tomRealtime.deviceId);
    assert.ok(has(open.sessionMessage, 'configBitmap'), 'the session open carries configBitmap');

    const received = nextEvent(jerry, 'message');
    const conversation = await tom.createConversation({ members: [jerryId], name: 'Tom & Jerry' });
    assert.ok(conversation instanceof Conversation, 'conversation is a Conversation');
    assert.match(conversation.id, /\S/);
    assert.equal(conversation.name, 'Tom & Jerry');
    assert.deepEqual(conversation.members, [jerryId, tomId].sort());
    assert.equal(conversation.creator, tomId);
    assert.ok(conversation.createdAt instanceof Date, 'conversation.createdAt is a Date');

    const start = recorder.sent.find((c) => c.cmd === CommandType.conv && c.op === OpType.start)!;
    assert.deepEqual(start.convMessage?.m, [jerryId, tomId].sort(), 'members sent sorted, self included');
    assert.deepEqual(JSON.parse(start.convMessage!.attr!.data!), { name: 'Tom & Jerry' });

    const message = new TextMessage('耗子,起床!');
    const localId = message.id;
    const sent = await conversation.send(message);
    assert.equal(sent, message, 'send resolves with the same instance');
    assert.equal(sent.status, MessageStatus.SENT);
    assert.notEqual(sent.id, localId, 'the id is now the server id');
    assert.equal(sent.from, tomId);
    assert.equal(sent.cid, conversation.id);
    assert.ok(sent.timestamp instanceof Date && Math.abs(sent.timestamp.getTime() - Date.now()) < 60_000, `the server's timestamp, within a minute of now: ${String(sent.timestamp)}`);
    assert.equal(conversation.lastMessage, sent);
    const direct = recorder.sent.find((c) => c.cmd === CommandType.direct)!;
    assert.equal(direct.directMessage?.dt, localId, 'the dedup token is the message’s local uuid');
    assert.deepEqual(JSON.parse(direct.directMessage!.msg!), { _lctype: -1, _lctext: '耗子,起床!' });

    const [incoming, jerryConversation] = await received;
    assert.ok(incoming instanceof TextMessage, 'incoming is a TextMessage');
    assert.equal(incoming.text, '耗子,起床!');
    assert.equal(incoming.getText(), '耗子,起床!');
    assert.equal(incoming.type, TextMessage.TYPE);
    assert.equal(incoming.from, tomId);
    assert.equal(incoming.cid, conversation.id);
    assert.equal(incoming.id, sent.id);
    assert.equal(incoming.timestamp.getTime(), sent.timestamp.getTime());
    assert.equal(incoming.status, MessageStatus.SENT);
    assert.equal(jerryConversation.id, conversation.id);
    assert.equal(jerryConversation.name, 'Tom & Jerry', 'the unknown conversation was fetched before the event');
    assert.deepEqual(jerryConversation.members, [jerryId, tomId].sort());
    assert.equal(await jerry.getConversation(conversation.id), jerryConversation, 'cached: the same instance');

    // The conversation emits `message` too (guide: 接收富媒体消息).
    const onConversation = nextEvent(jerryConversation, 'message');
    const second = await conversation.send(new TextMessage('快起床'));
    const [again] = await onConversation;
    assert.equal(again.id, second.id);
    assert.equal((again as TextMessage).text, '快起床');
    assert.equal(jerryConversation.lastMessage?.id, second.id);
  });

  test('the receiver acknowledges delivery: one batched ack per conversation, without i', async () => {
    const [tomId, jerryId] = names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await device().createIMClient(tomId);
    const jerry = await device({ WebSocket: recorder.WebSocket }).createIMClient(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const arrived: Message[] = [];
    jerry.on('message', (message) => arrived.push(message));
    const sent = [];
    for (const text of ['one', 'two', 'three']) sent.push(await conversation.send(new TextMessage(text)));
    await conversation.send(new TextMessage('not stored'), { transient: true });
    await until(() => arrived.length >= 4, 20_000, "jerry's four messages");
    await delay(1_300);
    const acks = recorder.sent.filter((c) => c.cmd === CommandType.ack);
    assert.equal(acks.length, 1, 'three messages, one ack frame');
    const [ack] = acks;
    assert.equal(has(ack, 'i'), false);
    assert.equal(ack!.peerId, jerryId);
    assert.equal(ack!.ackMessage?.cid, conversation.id);
    assert.equal(ack!.ackMessage?.fromts, sent[0]!.timestamp.getTime());
    assert.equal(ack!.ackMessage?.tots, sent[2]!.timestamp.getTime(), 'the transient message is not acknowledged');
  });
});

describe('群聊 (group chat)', () => {
  test('every online member receives; Bob replies from his handler and Tom and William receive the reply', async () => {
    const [tomId, jerryId, bobId, harryId, williamId] = names('Tom', 'Jerry', 'Bob', 'Harry', 'William');
    const tom = await device().createIMClient(tomId);
    const jerry = await device().createIMClient(jerryId);
    const bob = await device().createIMClient(bobId);
    const william = await device().createIMClient(williamId);
    // Harry stays offline.

    const reply = 'Tom,我在 Jerry 家,你跟 Harry 什么时候过来?还有 William 和你在一起么?';
    const bobReplied = within(
      new Promise<Message>((resolve, reject) => {
        bob.once('message', (_message, conversation) => {
          // The guide replies from inside the handler.
          conversation.send(new TextMessage(reply)).then(resolve, reject);
        });
      }),
      "bob's message and his reply's ack",
    );
    const jerryGot = collect(jerry, 2);
    const williamGot = collect(william, 2);
    const tomGot = collect(tom, 1);
    // 创建对话: the initial members are notified as if invited.
    const jerryInvited = nextEvent(jerry, 'invited');

    const conversation = await tom.createConversation({
      members: [jerryId, bobId, harryId, williamId],
      name: 'Tom & Jerry & friends',
    });
    assert.deepEqual(conversation.members, [tomId, jerryId, bobId, harryId, williamId].sort());
    const [invitation, invitedTo] = await jerryInvited;
    assert.deepEqual(invitation, { invitedBy: tomId });
    assert.equal(invitedTo.id, conversation.id);
    assert.equal(invitedTo.name, 'Tom & Jerry & friends');
    const question = await conversation.send(new TextMessage('你们在哪儿?'));
    const bobMessage = await bobReplied;
    assert.equal(bobMessage.from, bobId);

    for (const got of [await jerryGot, await williamGot]) {
      assert.deepEqual(
        got.map(([message]) => [message.id, message.from, (message as TextMessage).text]),
        [
          [question.id, tomId, '你们在哪儿?'],
          [bobMessage.id, bobId, reply],
        ],
      );
      for (const [, received] of got) assert.equal(received.id, conversation.id);
    }
    const [[toTom, tomConversation]] = await tomGot;
    assert.equal(toTom.id, bobMessage.id);
    assert.equal((toTom as TextMessage).text, reply);
    assert.equal(tomConversation, conversation, 'Tom’s cached conversation instance');
    assert.equal(await conversation.count(), 5);
  });
});

describe('聊天记录 (history)', () => {
  test('queryMessages returns the newest page ascending; the iterator pages back 10, 10, 1', async () => {
    const [tomId, jerryId] = names('Tom', 'Jerry');
    const tom = await device().createIMClient(tomId);
    const conversation = await tom.createConversation({ members: [jerryId], name: 'history' });
    const sent: Message[] = [];
    for (let n = 1; n <= 21; n += 1) sent.push(await conversation.send(new TextMessage(`message ${n}`)));
    const ids = sent.map((message) => message.id);

    const newest = await conversation.queryMessages({ limit: 10 });
    assert.deepEqual(
      newest.map((message) => message.id),
      ids.slice(11),
    );
    for (const message of newest) {
      assert.ok(message instanceof TextMessage, 'message is a TextMessage');
      assert.equal(message.cid, conversation.id);
      assert.equal(message.from, tomId);
      assert.equal(message.status, MessageStatus.SENT);
    }
    assert.equal((newest[9] as TextMessage).text, 'message 21');
    const times = newest.map((message) => message.timestamp.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'ascending time order');
    assert.deepEqual(
      newest.map((message) => message.timestamp.getTime()),
      sent.slice(11).map((message) => message.timestamp.getTime()),
    );

    const iterator = conversation.createMessagesIterator({ limit: 10 });
    const first = await iterator.next();
    assert.equal(first.done, false);
    assert.deepEqual(first.value.map((m) => m.id), ids.slice(11));
    const second = await iterator.next();
    assert.equal(second.done, false);
    assert.deepEqual(second.value.map((m) => m.id), ids.slice(1, 11));
    const third = await iterator.next();
    assert.equal(third.done, true, 'the last page says done');
    assert.deepEqual(third.value.map((m) => m.id), ids.slice(0, 1));
    assert.deepEqual(await iterator.next(), { value: [], done: true });

    // Explicit start points: before the 11th message, by time and id.
    const eleventh = sent[10]!;
    const before = await conversation.queryMessages({ limit: 3, beforeTime: eleventh.timestamp, beforeMessageId: eleventh.id });
    assert.deepEqual(before.map((m) => m.id), ids.slice(7, 10));

    // for await yields every page, the last one included.
    const pages: string[][] = [];
    for await (const page of conversation.createMessagesIterator({ limit: 8 })) pages.push(page.map((m) => m.id));
    assert.deepEqual(pages, [ids.slice(13), ids.slice(5, 13), ids.slice(0, 5)]);

    // Concurrent next() calls page in order.
    const concurrent = conversation.createMessagesIterator({ limit: 10 });
    const results = await Promise.all([concurrent.next(), concurrent.next(), concurrent.next()]);
    assert.deepEqual(results.map((r) => r.value.length), [10, 10, 1]);
    assert.deepEqual(results.map((r) => r.done), [false, false, true]);
  });
});

describe('自定义消息 (custom message types)', () => {
  test('OperationMessage via messageType(1)/messageField("op") and realtime.register', async () => {
    const [tomId, bobId, carolId] = names('Tom', 'Bob', 'Carol');
    const tom = await device().createIMClient(tomId);
    const bobRealtime = device();
    bobRealtime.register(OperationMessage);
    bobRealtime.register([DecoratedOperationMessage]);
    const bob = await bobRealtime.createIMClient(bobId);
    const carol = await device().createIMClient(carolId); // registers nothing

    const conversation = await tom.createConversation({ members: [bobId, carolId] });
    const bobGot = collect(bob, 2);
    const carolGot = collect(carol, 1);

    const typing = new OperationMessage();
    typing.op = 'typing';
    typing.setTransient(true);
    assert.equal(typing.type, 1);
    assert.equal(OperationMessage.TYPE, 1);
    assert.deepEqual(typing.toJSON(), { _lctype: 1, op: 'typing' });
    await conversation.send(typing);
    assert.equal(typing.status, MessageStatus.SENT);

    const decorated = new DecoratedOperationMessage();
    decorated.op = 'invite';
    decorated.target = carolId;
    decorated.setText('join us').setAttributes({ room: 7 });
    assert.deepEqual(decorated.getPayload(), { _lctype: 2, _lctext: 'join us', _lcattrs: { room: 7 }, op: 'invite', target: carolId });
    await conversation.send(decorated);

    const [[first], [second]] = await bobGot;
    assert.ok(first instanceof OperationMessage, 'a registered type becomes its class');
    assert.equal(first.type, OperationMessage.TYPE);
    assert.equal(first.op, 'typing');
    assert.equal(first.from, tomId);
    assert.equal(first.transient, true);
    assert.ok(second instanceof DecoratedOperationMessage, 'second is a DecoratedOperationMessage');
    assert.equal(second.op, 'invite');
    assert.equal(second.target, carolId);
    assert.equal(second.text, 'join us');
    assert.deepEqual(second.getAttributes(), { room: 7 });

    const [[unknown]] = await carolGot;
    assert.equal(unknown.constructor, Message, 'an unregistered type stays a plain Message');
    assert.deepEqual(unknown.content, { _lctype: 1, op: 'typing' });

    const history = await conversation.queryMessages({ limit: 10 });
    assert.deepEqual(history.map((m) => m.id), [decorated.id], 'the transient message is not stored');
  });

  test('plain Message content travels as-is; non-JSON stays a string', async () => {
    const [tomId, jerryId] = names('Tom', 'Jerry');
    const tom = await device().createIMClient(tomId);
    const jerry = await device().createIMClient(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const got = collect(jerry, 3);
    await conversation.send(new Message('just text'));
    await conversation.send(new Message({ kind: 'json', n: 1 }));
    await conversation.send(new Message('{not json'));
    const contents = (await got).map(([message]) => message.content);
    assert.deepEqual(contents, ['just text', { kind: 'json', n: 1 }, '{not json']);
  });

  test('messageType rejects 0 and non-integers; register rejects undecorated classes', () => {
    assert.throws(() => messageType(0), TypeError);
    assert.throws(() => messageType(1.5), TypeError);
    class Untyped extends TypedMessage {}
    assert.throws(() => device().register(Untyped), TypeError);
  });
});

describe('对话 (conversations)', () => {
  test('custom attributes, getConversation and the query builders', async () => {
    const [tomId, jerryId, bobId] = names('Tom', 'Jerry', 'Bob');
    const tom = await device().createIMClient(tomId);
    const skiing = await tom.createConversation({
      members: [bobId, jerryId],
      name: '周末滑雪',
      location: '42.86335,140.6843287',
      level: 3,
      transient: false,
      unique: false,
    });
    assert.equal(skiing.get('location'), '42.86335,140.6843287');
    assert.equal(skiing.get('name'), '周末滑雪');
    assert.equal(skiing.transient, false);
    const cats = await tom.createConversation({ members: [jerryId], name: '猫和老鼠', type: 'private', pinned: true, level: 1 });
    await cats.send(new TextMessage('last words'));

    // Another device of Tom's has nothing cached: it queries.
    const tomElsewhere = await device().createIMClient(tomId);
    const fetched = (await tomElsewhere.getConversation(cats.id))!;
    assert.notEqual(fetched, cats);
    assert.equal(fetched.id, cats.id);
    assert.equal(fetched.name, '猫和老鼠');
    assert.equal(fetched.creator, tomId);
    assert.deepEqual(fetched.members, [jerryId, tomId].sort());
    assert.equal(fetched.get('type'), 'private');
    assert.equal(fetched.get('pinned'), true);
    assert.deepEqual(fetched.attributes, { type: 'private', pinned: true, level: 1 });
    assert.ok(fetched.createdAt instanceof Date, 'fetched.createdAt is a Date');
    assert.ok(fetched.updatedAt instanceof Date, 'fetched.updatedAt is a Date');
    assert.ok(fetched.lastMessageAt instanceof Date, 'lm is parsed');
    assert.equal(fetched.transient, false);
    assert.equal(fetched.muted, false);
    assert.equal(await tomElsewhere.getConversation(cats.id), fetched, 'cached after the first query');
    assert.equal(await tom.getConversation('000000000000000000000000'), null);

    const mine = await tom.getQuery().containsMembers([tomId]).find();
    assert.deepEqual(new Set(mine.map((c) => c.id)), new Set([skiing.id, cats.id]));
    assert.equal(mine.find((c) => c.id === cats.id), cats, 'query results are the cached instances');

    assert.deepEqual((await tom.getQuery().equalTo('name', '周末滑雪').find()).map((c) => c.id), [skiing.id]);
    assert.deepEqual((await tom.getQuery().withMembers([jerryId], true).find()).map((c) => c.id), [cats.id]);
    assert.deepEqual((await tom.getQuery().containsMembers([tomId]).greaterThan('level', 2).find()).map((c) => c.id), [skiing.id]);
    assert.deepEqual((await tom.getQuery().containsMembers([tomId]).contains('name', '滑雪').find()).map((c) => c.id), [skiing.id]);
    assert.deepEqual((await tom.getQuery().containsMembers([tomId]).notEqualTo('type', 'private').find()).map((c) => c.id), [skiing.id]);
    assert.deepEqual(
      (await tom.getQuery().containsMembers([tomId]).ascending('level').find()).map((c) => c.id),
      [cats.id, skiing.id],
    );
    assert.deepEqual(
      (await tom.getQuery().containsMembers([tomId]).descending('level').limit(1).find()).map((c) => c.id),
      [skiing.id],
    );
    assert.deepEqual(
      (await tom.getQuery().containsMembers([tomId]).ascending('level').skip(1).find()).map((c) => c.id),
      [skiing.id],
    );
    assert.deepEqual(
      (await tom.getQuery().containsMembers([tomId]).descending('lm').addAscending('name').find()).map((c) => c.id),
      [cats.id, skiing.id],
      'the conversation with a message first',
    );
    assert.deepEqual(await tom.getQuery().containsMembers([tomId]).limit(0).find(), []);

    const third = await device().createIMClient(tomId);
    const [compact] = await third.getQuery().equalTo('objectId', cats.id).compact(true).find();
    assert.deepEqual(compact!.members, [], 'compact mode omits members');
    const fourth = await device().createIMClient(tomId);
    const [withLast] = await fourth.getQuery().equalTo('objectId', cats.id).withLastMessagesRefreshed(true).find();
    assert.ok(withLast!.lastMessage instanceof TextMessage, 'withLast.lastMessage is a TextMessage');
    assert.equal((withLast!.lastMessage as TextMessage).text, 'last words');
    assert.equal(withLast!.lastMessage!.id, cats.lastMessage!.id);
    assert.equal(withLast!.lastMessage!.from, tomId);
  });

  test('the query JSON follows protocol.md §5', () => {
    // Built directly: toJSON() needs no connection.
    const query = new ConversationQuery(async () => [], 'probe');
    query
      .equalTo('tr', true)
      .greaterThan('lm', new Date('1970-01-01T00:00:00.000Z'))
      .lessThanOrEqualTo('age', 18)
      .containedIn('topic', ['a', 'b'])
      .exists('pinned')
      .matches('language', /[\u4e00-\u9fa5]/i)
      .startsWith('name', 'Le')
      .addAscending('name')
      .addDescending('createdAt')
      .compact()
      .withLastMessagesRefreshed();
    assert.deepEqual(query.toJSON(), {
      where: {
        tr: true,
        lm: { $gt: { __type: 'Date', iso: '1970-01-01T00:00:00.000Z' } },
        age: { $lte: 18 },
        topic: { $in: ['a', 'b'] },
        pinned: { $exists: true },
        language: { $regex: '[\\u4e00-\\u9fa5]', $options: 'i' },
        name: { $regex: '^\\QLe\\E' },
      },
      sort: 'name,-createdAt',
      limit: 10,
      flag: 3,
    });
  });
});

describe('成员管理, receipts, unread, save', () => {
  test('add/remove: membersjoined, invited, membersleft, kicked', async () => {
    const [jerryId, bobId, maryId] = names('Jerry', 'Bob', 'Mary');
    const jerry = await device().createIMClient(jerryId);
    const bob = await device().createIMClient(bobId);
    const mary = await device().createIMClient(maryId);
    const conversation = await jerry.createConversation({ members: [bobId] });
    const bobSees = nextEvent(bob, 'membersjoined', 2_000);
    const maryInvited = nextEvent(mary, 'invited', 2_000);
    assert.equal(await conversation.add([maryId]), conversation);
    assert.deepEqual([...conversation.members].sort(), [bobId, jerryId, maryId].sort());
    assert.deepEqual((await bobSees)[0], { members: [maryId], invitedBy: jerryId });
    assert.deepEqual((await maryInvited)[0], { invitedBy: jerryId });
    const maryKicked = nextEvent(mary, 'kicked', 2_000);
    const bobSeesLeft = nextEvent(bob, 'membersleft', 2_000);
    await conversation.remove([maryId]);
    assert.deepEqual([...conversation.members].sort(), [bobId, jerryId].sort());
    assert.deepEqual((await maryKicked)[0], { kickedBy: jerryId });
    assert.deepEqual((await bobSeesLeft)[0], { members: [maryId], kickedBy: jerryId });
  });

  test('a receipt marks the message DELIVERED', async () => {
    const [tomId, jerryId] = names('Tom', 'Jerry');
    const tom = await device().createIMClient(tomId);
    await device().createIMClient(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const receipt = nextEvent(conversation, 'receipt', 3_000);
    const message = await conversation.send(new TextMessage('very important message'), { reciept: true });
    const [{ message: delivered }] = await receipt;
    assert.equal(delivered, message);
    assert.equal(message.status, MessageStatus.DELIVERED);
    assert.ok(message.deliveredAt instanceof Date, 'message.deliveredAt is a Date');
  });

  test('unread counts arrive after login', async () => {
    const [tomId, harryId] = names('Tom', 'Harry');
    const tom = await device().createIMClient(tomId);
    const conversation = await tom.createConversation({ members: [harryId] });
    await conversation.send(new TextMessage('one'));
    const last = await conversation.send(new TextMessage('two'));
    const harryRealtime = device();
    const harry = await harryRealtime.createIMClient(harryId);
    const [conversations] = await nextEvent(harry, 'unreadmessagescountupdate', 2_000);
    const unread = conversations.find((c) => c.id === conversation.id)!;
    assert.equal(unread.unreadMessagesCount, 2);
    assert.equal(unread.lastMessage?.id, last.id);
  });

  test('save() sends name and attribute changes', async () => {
    const [blackId] = names('Black');
    const black = await device().createIMClient(blackId);
    const conversation = await black.createConversation({ members: [], name: '喵星人' });
    conversation.name = '聪明的喵星人';
    conversation.set('topic', 'cats');
    assert.equal(await conversation.save(), conversation);
    const fetched = (await (await device().createIMClient(blackId)).getConversation(conversation.id))!;
    assert.equal(fetched.name, '聪明的喵星人');
    assert.equal(fetched.get('topic'), 'cats');
  });
});

describe('ping, count and 退出登录 (close)', () => {
  test('ping reports online clients; close() logs out and releases the connection', async () => {
    const [tomId, jerryId, nobodyId] = names('Tom', 'Jerry', 'Nobody');
    const tomRealtime = device();
    const tom = await tomRealtime.createIMClient(tomId);
    const jerry = await device().createIMClient(jerryId);
    assert.deepEqual(await tom.ping([jerryId, nobodyId]), [jerryId]);
    await assert.rejects(tom.ping(Array.from({ length: 21 }, (_, n) => `c${n}`)), RangeError);

    const conversation = await tom.createConversation({ members: [jerryId] });
    assert.equal(await conversation.count(), 2);

    assert.equal(tomRealtime.state, 'connected');
    await tom.close();
    assert.equal(tom.closed, true);
    assert.equal(tomRealtime.state, 'idle', 'the last client closed the connection');
    await assert.rejects(conversation.send(new TextMessage('too late')), (error: unknown) => {
      assert.ok(error instanceof ProtocolError, 'error is a ProtocolError');
      assert.equal(error.name, 'CLIENT_CLOSED');
      return true;
    });
    assert.deepEqual(await jerry.ping([tomId]), [], 'Tom is offline');

    const tomAgain = await tomRealtime.createIMClient(tomId);
    assert.ok(tomAgain instanceof IMClient, 'tomAgain is an IMClient');
    assert.notEqual(tomAgain, tom, 'a closed client is not reused');
    assert.deepEqual(await jerry.ping([tomId]), [tomId]);
  });

  test('several clients share one connection; pushes reach the right one', async () => {
    const [aliceId, bobId, carolId] = names('Alice', 'Bob', 'Carol');
    const recorder = recordingWebSocket();
    const shared = device({ WebSocket: recorder.WebSocket });
    const alice = await shared.createIMClient(aliceId);
    const bob = await shared.createIMClient(bobId);
    const carol = await device().createIMClient(carolId);
    const opens = recorder.sent.filter((c) => c.cmd === CommandType.session && c.op === OpType.open);
    assert.deepEqual(opens.map((c) => [c.peerId, c.i]), [[aliceId, 1], [bobId, 2]], 'one connection, serial i');

    const toBob = await carol.createConversation({ members: [bobId] });
    const aliceMessages: Message[] = [];
    alice.on('message', (message) => aliceMessages.push(message));
    const bobGot = nextEvent(bob, 'message');
    const sent = await toBob.send(new TextMessage('for Bob only'));
    const [received] = await bobGot;
    assert.equal(received.id, sent.id);
    await delay(100);
    assert.deepEqual(aliceMessages, []);

    await alice.close();
    assert.equal(shared.state, 'connected', 'Bob still uses the connection');
    const again = nextEvent(bob, 'message');
    await toBob.send(new TextMessage('still here'));
    assert.equal(((await again)[0] as TextMessage).text, 'still here');
  });

  test('an anonymous client gets its id from the server', async () => {
    const client = await device().createIMClient();
    assert.match(client.id, /\S/);
  });

  test('noBinary speaks base64 text frames', async () => {
    const [tomId, jerryId] = names('Tom', 'Jerry');
    const tom = await device({ noBinary: true }).createIMClient(tomId);
    const jerry = await device().createIMClient(jerryId);
    const got = nextEvent(jerry, 'message');
    const conversation = await tom.createConversation({ members: [jerryId] });
    await conversation.send(new TextMessage('base64'));
    assert.equal(((await got)[0] as TextMessage).text, 'base64');
  });

  test('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
  });
});

/** Collects the next `count` client `message` events. */
function collect(client: IMClient, count: number, ms = 5000): Promise<[Message, Conversation][]> {
  const got: [Message, Conversation][] = [];
  const promise = new Promise<[Message, Conversation][]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${got.length}/${count} messages within ${ms} ms`)), ms);
    const listener = (message: Message, conversation: Conversation) => {
      got.push([message, conversation]);
      if (got.length === count) {
        clearTimeout(timer);
        client.off('message', listener);
        resolve(got);
      }
    };
    client.on('message', listener);
  });
  promise.catch(() => {});
  return promise;
}
