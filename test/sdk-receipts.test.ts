/**
 * Read receipts with our SDK against a real server: after the other member
 * reads, the sender gets `rcp` with `read: true` (`lastreadatupdate`), and
 * `fetchReceiptTimestamps()` returns when the other member last received
 * and read. Delivery receipts are in sdk-message-options.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/index.js';
import { TextMessage } from '../src/sdk/index.js';
import { decoded, delay, nextEvent, record, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('read receipts', () => {
  test('markAsRead by the receiver: lastreadatupdate for the sender', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const message = await conversation.send(new TextMessage('read me'));
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    await until(() => jerryConversation.lastMessage?.id === message.id);
    const read = nextEvent(conversation, 'lastreadatupdate');
    await jerryConversation.markAsRead();
    await read;
    assert.ok(conversation.lastReadAt instanceof Date);
    assert.ok(conversation.lastReadAt.getTime() >= message.timestamp.getTime());
  });

  test('fetchReceiptTimestamps: lastDeliveredAt and lastReadAt from the server', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const message = await conversation.send(new TextMessage('hi'));
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    await until(() => jerryConversation.lastMessage?.id === message.id);
    await delay(1_300); // Jerry's SDK acks within a second
    await jerryConversation.read();

    const recorder = recordingWebSocket();
    const elsewhere = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const fresh = (await elsewhere.getConversation(conversation.id))!;
    assert.ok(fresh.lastDeliveredAt === undefined, 'unknown before fetching');
    const events = [record(fresh, 'lastdeliveredatupdate'), record(fresh, 'lastreadatupdate')];
    assert.equal(await fresh.fetchReceiptTimestamps(), fresh);
    const request = recorder.sent.find((c) => c.cmd === CommandType.conv && c.op === OpType.max_read)!;
    assert.equal(request.convMessage?.cid, conversation.id);
    // Read afresh: fetchReceiptTimestamps() changed them.
    const { lastDeliveredAt, lastReadAt } = fresh as { lastDeliveredAt: Date | undefined; lastReadAt: Date | undefined };
    assert.ok(lastDeliveredAt instanceof Date && lastDeliveredAt.getTime() >= message.timestamp.getTime());
    assert.ok(lastReadAt instanceof Date && lastReadAt.getTime() >= message.timestamp.getTime());
    assert.deepEqual(events.map((list) => list.length), [1, 1]);
  });

  test('rcp pushes: delivery and read times only move forward; group conversations have none', async () => {
    const [tomId, jerryId, bobId] = env.names('Tom', 'Jerry', 'Bob');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const read = record(conversation, 'lastreadatupdate');
    const delivered = record(conversation, 'lastdeliveredatupdate');
    const rcp = (t: number, isRead: boolean) =>
      tom._handlePush(decoded({ cmd: CommandType.rcp, rcpMessage: { cid: conversation.id, id: 'unknown', t, read: isRead } }));
    rcp(2_000, true);
    rcp(1_000, true);
    rcp(3_000, false);
    await until(() => delivered.length === 1);
    assert.equal(read.length, 1, 'an older read time is ignored');
    assert.equal(conversation.lastReadAt?.getTime(), 2_000);
    assert.equal(conversation.lastDeliveredAt?.getTime(), 3_000);

    const group = await tom.createConversation({ members: [jerryId, bobId] });
    tom._handlePush(decoded({ cmd: CommandType.rcp, rcpMessage: { cid: group.id, t: 5_000, read: true } }));
    await delay(50);
    assert.equal(group.lastReadAt, undefined, 'one time cannot speak for several members');
  });
});
