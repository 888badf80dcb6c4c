/**
 * Our SDK with two IMClients on one Realtime (one socket): the server
 * answers the acting client before it pushes the effect to the other one
 * on that socket (issue 12, "Ordering").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandType, OpType, has, type DecodedCommand } from '../src/protocol/index.js';
import { TextMessage } from '../src/sdk/index.js';
import { nextEvent, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

test('save, add, remove, send and recall: the reply reaches the socket before the push to the other client on it', async () => {
  const recorder = recordingWebSocket();
  const shared = env.device({ WebSocket: recorder.WebSocket });
  const alice = await shared.createIMClient('sdk-order-alice');
  const bob = await shared.createIMClient('sdk-order-bob');
  await env.login('sdk-order-carol');
  const conversation = await alice.createConversation({ members: ['sdk-order-bob'], name: 'before' });
  await until(() => recorder.received.some((c) => c.peerId === 'sdk-order-bob' && c.op === OpType.joined));

  const replyFirst = async (what: string, action: () => Promise<unknown>, isPush: (c: DecodedCommand) => boolean) => {
    recorder.received.length = 0;
    await action();
    const push = (c: DecodedCommand) => !has(c, 'i') && c.peerId === 'sdk-order-bob' && isPush(c);
    await until(() => recorder.received.some(push), 3000, `${what}: the push to Bob`);
    const replyAt = recorder.received.findIndex((c) => has(c, 'i') && c.peerId === 'sdk-order-alice');
    const pushAt = recorder.received.findIndex(push);
    assert.ok(replyAt >= 0 && replyAt < pushAt, `${what}: reply (frame ${replyAt}) before the push to Bob (frame ${pushAt})`);
  };
  await replyFirst('save', () => {
    conversation.name = 'after';
    return conversation.save();
  }, (c) => c.cmd === CommandType.conv && c.op === OpType.updated);
  await replyFirst('add', () => conversation.add('sdk-order-carol'), (c) => c.cmd === CommandType.conv && c.op === OpType.members_joined);
  await replyFirst('remove', () => conversation.remove('sdk-order-carol'), (c) => c.cmd === CommandType.conv && c.op === OpType.members_left);
  const bobGets = nextEvent(bob, 'message');
  let sent: TextMessage | undefined;
  await replyFirst('send', async () => (sent = await conversation.send(new TextMessage('in order'))), (c) => c.cmd === CommandType.direct);
  assert.equal(((await bobGets)[0] as TextMessage).text, 'in order');
  await replyFirst('recall', () => conversation.recall(sent!), (c) => c.cmd === CommandType.patch);
});
