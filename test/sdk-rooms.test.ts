/**
 * 聊天室 with our SDK against a real server: transient conversations have
 * no member list and no member events, count() is the online count,
 * messages carry a priority, one room per login, no offline messages,
 * and a reconnecting viewer is back in its room without rejoining.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandType, OpType, has } from '../src/protocol/index.js';
import { MessagePriority, TextMessage, type Message } from '../src/sdk/index.js';
import { collectMessages, delay, nextEvent, record, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('聊天室 (chat rooms)', () => {
  test('createConversation({transient: true}) and send({priority}) on the wire', async () => {
    const [hostId] = env.names('Host');
    const recorder = recordingWebSocket();
    const host = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(hostId);
    const room = await host.createConversation({ name: 'Hello Kitty PK 加菲猫', transient: true });
    assert.equal(room.transient, true);
    assert.deepEqual(room.members, [], 'a chat room has no member list');
    const start = recorder.sent.find((c) => c.cmd === CommandType.conv && c.op === OpType.start)!;
    assert.equal(start.convMessage?.transient, true);
    assert.deepEqual(start.convMessage?.m, [hostId]);

    const high = await room.send(new TextMessage('现在比分是 0:0,下半场中国队肯定要做出人员调整'), { priority: MessagePriority.HIGH, receipt: true });
    assert.match(high.id, /\S/);
    await room.send(new TextMessage('弹幕'), { priority: MessagePriority.LOW });
    await room.send(new TextMessage('plain'));
    const directs = recorder.sent.filter((c) => c.cmd === CommandType.direct);
    assert.deepEqual(
      directs.map((c) => (has(c, 'priority') ? c.priority : undefined)),
      [MessagePriority.HIGH, MessagePriority.LOW, undefined],
      'priority travels in GenericCommand.priority',
    );
    assert.equal(has(directs[0]!.directMessage, 'r'), false, 'chat rooms have no receipts');
    assert.equal((room.lastMessage as TextMessage).text, 'plain');
  });

  test('viewers join; count() is the online count; no member events; no unread counts', async () => {
    const [hostId, aliceId, bobId] = env.names('Host', 'Alice', 'Bob');
    const host = await env.login(hostId);
    const room = await host.createConversation({ name: 'live', transient: true });
    assert.equal(await room.count(), 1, 'the creator is in the room');

    const alice = await env.login(aliceId);
    const bob = await env.login(bobId);
    const hostJoined = record(host, 'membersjoined');
    const aliceRoom = (await alice.getConversation(room.id))!;
    assert.equal(aliceRoom.transient, true);
    await aliceRoom.join();
    assert.deepEqual(aliceRoom.members, [], 'joining keeps no member list');
    await (await bob.getConversation(room.id))!.join();
    assert.equal(await room.count(), 3);

    const aliceGot = collectMessages(alice, 2);
    const bobGot = collectMessages(bob, 2);
    const high = await room.send(new TextMessage('现在比分是 0:0'), { priority: MessagePriority.HIGH });
    await room.send(new TextMessage('弹幕'), { priority: MessagePriority.LOW });
    for (const got of [await aliceGot, await bobGot]) {
      assert.deepEqual(got.map(([message]) => (message as TextMessage).text), ['现在比分是 0:0', '弹幕']);
      assert.equal(got[0]![0].id, high.id);
    }
    assert.equal(aliceRoom.unreadMessagesCount, 0, 'chat-room messages are not unread messages');
    await delay(100);
    assert.deepEqual(hostJoined, [], 'no membersjoined in chat rooms');

    await bob.close();
    assert.equal(await room.count(), 2, 'a viewer who logged out is not counted');
  });

  test('one chat room per login: joining a second leaves the first', async () => {
    const [hostId, viewerId] = env.names('Host', 'Viewer');
    const host = await env.login(hostId);
    const first = await host.createConversation({ name: 'first', transient: true });
    const second = await host.createConversation({ name: 'second', transient: true });
    const viewer = await env.login(viewerId);
    await (await viewer.getConversation(first.id))!.join();
    assert.equal(await first.count(), 2);
    await (await viewer.getConversation(second.id))!.join();
    assert.equal(await second.count(), 2);
    assert.equal(await first.count(), 1, 'the viewer left the first room');
    const got: Message[] = [];
    viewer.on('message', (message) => got.push(message));
    await first.send(new TextMessage('not for the viewer any more'));
    await second.send(new TextMessage('for the viewer'));
    await until(() => got.length >= 1);
    await delay(100);
    assert.deepEqual(got.map((message) => (message as TextMessage).text), ['for the viewer']);
  });

  test('no offline messages; a viewer who reconnects is back in the room without rejoining', async () => {
    const [hostId, viewerId] = env.names('Host', 'Viewer');
    const host = await env.login(hostId);
    const room = await host.createConversation({ name: 'live', transient: true });
    const viewerRealtime = env.device({ timings: { backoffInitial: 50 } });
    const viewer = await viewerRealtime.createIMClient(viewerId);
    await (await viewer.getConversation(room.id))!.join();
    const got: Message[] = [];
    viewer.on('message', (message) => got.push(message));

    viewerRealtime.pause();
    // Let the server notice the disconnect, so it is really offline.
    await delay(100);
    await room.send(new TextMessage('while the viewer was offline'));
    const reconnected = nextEvent(viewer, 'reconnect');
    viewerRealtime.resume();
    await reconnected;
    await room.send(new TextMessage('after the reconnect'));
    await until(() => got.length >= 1);
    await delay(100);
    assert.deepEqual(got.map((message) => (message as TextMessage).text), ['after the reconnect']);
    assert.equal(await room.count(), 2);
  });
});
