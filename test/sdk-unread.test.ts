/**
 * 未读消息 with our SDK against a real server: unread counts pushed after
 * login (`unreadmessages` once per conversation, `unreadmessagescountupdate`),
 * counts kept while online, markAsRead/markAllAsRead across two devices
 * (throttled `read` commands), and offline-push mode.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandType, has } from '../src/protocol/index.js';
import { TextMessage, type Conversation, type Message } from '../src/sdk/index.js';
import { decoded, delay, nextEvent, record, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('未读消息数量通知 (unread counts)', () => {
  test('after login: unreadmessages once per conversation, then one unreadmessagescountupdate', async () => {
    const [tomId, jerryId, harryId] = env.names('Tom', 'Jerry', 'Harry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const fromTom = await tom.createConversation({ members: [harryId] });
    const fromJerry = await jerry.createConversation({ members: [harryId] });
    await fromTom.send(new TextMessage('one'));
    await fromTom.send(new TextMessage('two'));
    const last = await fromTom.send(new TextMessage('three'));
    const jerryLast = await fromJerry.send(new TextMessage('hi'));

    const harryRealtime = env.device();
    const harryClient = harryRealtime.createIMClient(harryId);
    // Listeners must be there before the push that follows the login reply.
    const harry = await harryClient;
    const unread = record(harry, 'unreadmessages');
    const batch = await nextEvent(harry, 'unreadmessagescountupdate');
    await delay(200);
    const byId = new Map(unread.map(([payload, conversation]) => [conversation.id, payload]));
    assert.equal(unread.length, 2, 'once per conversation');
    assert.deepEqual(byId.get(fromTom.id), { count: 3, lastMessageId: last.id, lastMessageTimestamp: last.timestamp });
    assert.deepEqual(byId.get(fromJerry.id), { count: 1, lastMessageId: jerryLast.id, lastMessageTimestamp: jerryLast.timestamp });
    const [conversations] = batch;
    assert.deepEqual(conversations.map((c) => c.id).sort(), [fromTom.id, fromJerry.id].sort());
    const harryConversation = (await harry.getConversation(fromTom.id))!;
    assert.equal(harryConversation.unreadMessagesCount, 3);
    assert.equal(harryConversation.lastMessage?.id, last.id);
    assert.equal((harryConversation.lastMessage as TextMessage).text, 'three');
    assert.equal(harryConversation.lastMessageAt?.getTime(), last.timestamp.getTime());
  });

  test('new messages while online count too, each emitting unreadmessagescountupdate', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const counts: number[][] = [];
    jerry.on('unreadmessagescountupdate', (conversations) => counts.push(conversations.map((c) => c.unreadMessagesCount)));
    await conversation.send(new TextMessage('one'));
    await conversation.send(new TextMessage('two'));
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    await until(() => jerryConversation.unreadMessagesCount === 2);
    assert.deepEqual(counts, [[1], [2]]);
    assert.equal(conversation.unreadMessagesCount, 0, 'one’s own messages are not unread');
  });

  test('markAsRead resets the count here and on the same user’s other device', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    await conversation.send(new TextMessage('one'));
    const last = await conversation.send(new TextMessage('two'));

    const phone = await env.login(jerryId);
    await nextEvent(phone, 'unreadmessagescountupdate');
    const recorder = recordingWebSocket();
    const laptop = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(jerryId);
    const laptopConversation = (await laptop.getConversation(conversation.id))!;
    await until(() => laptopConversation.unreadMessagesCount === 2);
    const phoneConversation = (await phone.getConversation(conversation.id))!;
    assert.equal(phoneConversation.unreadMessagesCount, 2);

    const phoneSees = nextEvent(phone, 'unreadmessages');
    assert.equal(await laptopConversation.markAsRead(), laptopConversation);
    assert.equal(laptopConversation.unreadMessagesCount, 0);
    await until(() => recorder.sent.some((c) => c.cmd === CommandType.read));
    const read = recorder.sent.find((c) => c.cmd === CommandType.read)!;
    assert.deepEqual(read.readMessage?.convs?.map((tuple) => ({ ...tuple })), [{ cid: conversation.id, timestamp: last.timestamp.getTime(), mid: last.id }]);
    assert.equal(read.peerId, jerryId);

    const [payload, target] = await phoneSees;
    assert.equal(target, phoneConversation);
    assert.equal(payload.count, 0);
    assert.equal(phoneConversation.unreadMessagesCount, 0);

    // Read on the server too: a new login has nothing unread there.
    const later = await env.login(jerryId);
    const laterUpdates = record(later, 'unreadmessages');
    await delay(300);
    assert.deepEqual(laterUpdates.filter(([p, c]) => c.id === conversation.id && p.count > 0), []);
  });

  test('markAllAsRead sends one read command for all the conversations', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const recorder = recordingWebSocket();
    const jerry = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(jerryId);
    const a = await tom.createConversation({ members: [jerryId] });
    const b = await tom.createConversation({ members: [jerryId] });
    await a.send(new TextMessage('a'));
    await b.send(new TextMessage('b'));
    const jerryA = (await jerry.getConversation(a.id))!;
    const jerryB = (await jerry.getConversation(b.id))!;
    await until(() => jerryA.unreadMessagesCount === 1 && jerryB.unreadMessagesCount === 1);
    const result = await jerry.markAllAsRead([jerryA, jerryB]);
    assert.deepEqual(result, [jerryA, jerryB]);
    assert.equal(jerryA.unreadMessagesCount + jerryB.unreadMessagesCount, 0);
    await until(() => recorder.sent.some((c) => c.cmd === CommandType.read));
    const reads = recorder.sent.filter((c) => c.cmd === CommandType.read);
    assert.equal(reads.length, 1);
    assert.deepEqual(reads[0]!.readMessage?.convs?.map((tuple) => tuple.cid), [a.id, b.id]);
    await assert.rejects(jerry.markAllAsRead('nope' as unknown as Conversation[]), TypeError);
  });

  test('read commands are throttled: at most one a second, later reads batched', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const a = await tom.createConversation({ members: [jerryId] });
    const b = await tom.createConversation({ members: [jerryId] });
    const reads = () => recorder.sent.filter((c) => c.cmd === CommandType.read);
    await a.read();
    await until(() => reads().length === 1);
    assert.equal(reads()[0]!.readMessage?.convs?.[0]?.cid, a.id);
    assert.equal(has(reads()[0]!.readMessage!.convs![0]!, 'mid'), false, 'no mid without a message from someone else');
    await a.read();
    await b.read();
    await a.read();
    await delay(300);
    assert.equal(reads().length, 1, 'nothing more within the second');
    await until(() => reads().length === 2, 2000);
    assert.deepEqual(reads()[1]!.readMessage?.convs?.map((tuple) => tuple.cid), [a.id, b.id]);
  });

  test('unread pushes: counts applied, unreadmessages only for changed counts', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const a = await tom.createConversation({ members: [jerryId] });
    const b = await tom.createConversation({ members: [jerryId] });
    const unread = record(tom, 'unreadmessages');
    const batches = record(tom, 'unreadmessagescountupdate');
    const push = (counts: [Conversation, number][]) =>
      tom._handlePush(
        decoded({
          cmd: CommandType.unread,
          unreadMessage: {
            notifTime: Date.now(),
            convs: counts.map(([conversation, unread]) => ({
              cid: conversation.id,
              unread,
              mid: 'm-' + unread,
              timestamp: 1_700_000_000_000 + unread,
              from: jerryId,
              data: JSON.stringify({ _lctype: -1, _lctext: `n${unread}` }),
            })),
          },
        }),
      );
    push([[a, 2], [b, 5]]);
    await until(() => batches.length === 1);
    assert.deepEqual(
      unread.map(([payload, conversation]) => [conversation, payload]),
      [
        [a, { count: 2, lastMessageId: 'm-2', lastMessageTimestamp: new Date(1_700_000_000_002) }],
        [b, { count: 5, lastMessageId: 'm-5', lastMessageTimestamp: new Date(1_700_000_000_005) }],
      ],
    );
    assert.deepEqual(batches[0]![0], [a, b]);
    assert.equal(b.unreadMessagesCount, 5);
    assert.equal((b.lastMessage as TextMessage).text, 'n5');
    assert.equal(b.lastMessage?.from, jerryId);

    push([[a, 2], [b, 0]]);
    await until(() => batches.length === 2);
    assert.equal(unread.length, 3, 'a’s count did not change');
    assert.deepEqual(batches[1]![0], [b]);
    assert.equal(b.unreadMessagesCount, 0);
  });
});

describe('离线消息通知 (offline-push mode)', () => {
  test('pushOfflineMessages: offline messages arrive as ordinary message events, at most 20 per conversation', async () => {
    const [tomId, harryId] = env.names('Tom', 'Harry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [harryId] });
    const sent: Message[] = [];
    for (let n = 1; n <= 22; n += 1) sent.push(await conversation.send(new TextMessage(`offline ${n}`)));

    const recorder = recordingWebSocket();
    const realtime = env.device({ pushOfflineMessages: true, WebSocket: recorder.WebSocket });
    const got: [Message, Conversation][] = [];
    const unread = [] as unknown[];
    // Messages pushed right after the login reply must find the listener.
    const harry = await realtime.createIMClient(harryId);
    harry.on('message', (message, where) => got.push([message, where]));
    harry.on('unreadmessages', (payload) => unread.push(payload));
    await until(() => got.length >= 20);
    await delay(300);
    assert.deepEqual(
      got.map(([message]) => message.id),
      sent.slice(2).map((message) => message.id),
      'the 20 newest, oldest first',
    );
    assert.equal(got[0]![1].id, conversation.id);
    assert.equal((got[19]![0] as TextMessage).text, 'offline 22');
    assert.deepEqual(unread, [], 'no unread counts in this mode');
    // Acknowledged like live messages.
    await until(() => recorder.sent.some((c) => c.cmd === CommandType.ack), 2000);
  });
});
