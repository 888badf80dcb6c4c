/**
 * Recalling and editing messages with our SDK against a real server
 * (protocol.md §4.3 `patch`): conversation.recall / update, the
 * `messagerecall` / `messageupdate` events on the other members' clients
 * and conversations, history after a patch, and refusals for messages of
 * others (4403).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandType, OpType, has } from '../src/protocol/index.js';
import { MessageStatus, ProtocolError, RecalledMessage, TextMessage } from '../src/sdk/index.js';
import { decoded, nextEvent, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('recall and edit', () => {
  test('recall: a RecalledMessage for the sender, messagerecall for the others, and in history', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const message = await conversation.send(new TextMessage('oops'));
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    await until(() => jerryConversation.lastMessage?.id === message.id);
    const onClient = nextEvent(jerry, 'messagerecall');
    const onConversation = nextEvent(jerryConversation, 'messagerecall');

    const recalled = await conversation.recall(message);
    assert.ok(recalled instanceof RecalledMessage);
    assert.equal(recalled.id, message.id);
    assert.equal(recalled.from, tomId);
    assert.equal(recalled.cid, conversation.id);
    assert.equal(recalled.timestamp.getTime(), message.timestamp.getTime());
    assert.equal(recalled.status, MessageStatus.SENT);
    assert.equal(conversation.lastMessage, recalled, 'the last message is replaced');

    const patch = recorder.sent.find((c) => c.cmd === CommandType.patch)!;
    assert.equal(patch.op, OpType.modify);
    assert.ok(has(patch, 'i'));
    const [item] = patch.patchMessage!.patches!;
    assert.equal(item!.cid, conversation.id);
    assert.equal(item!.mid, message.id);
    assert.equal(item!.timestamp, message.timestamp.getTime());
    assert.equal(item!.recall, true);
    assert.ok(has(patch.patchMessage, 'lastPatchTime'));

    const [pushed, where] = await onClient;
    assert.ok(pushed instanceof RecalledMessage);
    assert.equal(pushed.id, message.id);
    assert.equal(pushed.from, tomId);
    assert.equal(where, jerryConversation);
    assert.ok(pushed.updatedAt.getTime() >= message.timestamp.getTime());
    assert.equal((await onConversation)[0].id, message.id);
    assert.equal(jerryConversation.lastMessage?.id, message.id);
    assert.ok(jerryConversation.lastMessage instanceof RecalledMessage);

    const [inHistory] = await conversation.queryMessages({ limit: 1 });
    assert.ok(inHistory instanceof RecalledMessage, 'history shows the recall');
    assert.equal(inHistory.id, message.id);
  });

  test('update: the new content keeps the identity; messageupdate for the others; history edited', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const message = await conversation.send(new TextMessage('helo'));
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    const onConversation = nextEvent(jerryConversation, 'messageupdate');
    const onClient = nextEvent(jerry, 'messageupdate');

    const edited = new TextMessage('hello');
    assert.equal(await conversation.update(message, edited), edited);
    assert.equal(edited.id, message.id);
    assert.equal(edited.timestamp.getTime(), message.timestamp.getTime());
    assert.equal(edited.from, tomId);
    assert.ok(edited.updatedAt >= message.timestamp);

    const [pushed] = await onConversation;
    assert.ok(pushed instanceof TextMessage);
    assert.equal(pushed.text, 'hello');
    assert.equal(pushed.id, message.id);
    assert.equal((await onClient)[1], jerryConversation);
    const [inHistory] = await jerryConversation.queryMessages({ limit: 1 });
    assert.equal((inHistory as TextMessage).text, 'hello');
    assert.ok(inHistory!.updatedAt.getTime() > inHistory!.timestamp.getTime() - 1);
  });

  test('someone else’s message is refused locally with 4403, before sending', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.login(tomId);
    const jerry = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const received = nextEvent(jerry, 'message');
    const message = await conversation.send(new TextMessage('mine'));
    const [theirs, jerryConversation] = await received;
    const isOwnership = (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 4403);
      assert.equal(error.name, 'MESSAGE_OWNERSHIP_REQUIRED');
      return true;
    };
    await assert.rejects(jerryConversation.recall(theirs), isOwnership);
    await assert.rejects(jerryConversation.update(theirs, new TextMessage('forged')), isOwnership);
    assert.equal(recorder.sent.filter((c) => c.cmd === CommandType.patch).length, 0, 'refused before sending');
    assert.equal(message.id, theirs.id);
  });

  test('the server refuses to patch someone else’s message with 4403', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const message = await conversation.send(new TextMessage('mine'));
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    // A bare reference carries no sender, so only the server can refuse it.
    await assert.rejects(jerryConversation.recall({ id: message.id, timestamp: message.timestamp }), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, 4403);
      return true;
    });
    const [stillThere] = await conversation.queryMessages({ limit: 1 });
    assert.equal((stillThere as TextMessage).text, 'mine');
  });

  test('unsent messages and non-messages are rejected', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    await assert.rejects(conversation.recall(new TextMessage('never sent')), TypeError);
    await assert.rejects(conversation.recall({ id: 'x' } as never), TypeError);
    const sent = await conversation.send(new TextMessage('sent'));
    await assert.rejects(conversation.update(sent, 'text' as never), TypeError);
  });

  test('the session announces patch support (configBitmap bit 0) and its lastPatchTime', async () => {
    const [tomId] = env.names('Tom');
    const recorder = recordingWebSocket();
    const before = Date.now();
    await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const open = recorder.sent.find((c) => c.cmd === CommandType.session && c.op === OpType.open)!;
    assert.equal(open.sessionMessage!.configBitmap! & 1, 1);
    assert.ok(open.sessionMessage!.lastPatchTime! >= before);
  });

  test('patches made while a client was disconnected arrive after it reconnects', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerryRealtime = env.device({ timings: { backoffInitial: 50 } });
    const jerry = await jerryRealtime.createIMClient(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const message = await conversation.send(new TextMessage('to be recalled'));
    await jerry.getConversation(conversation.id);
    jerryRealtime.pause();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await conversation.recall(message);
    const recalled = nextEvent(jerry, 'messagerecall', 5000);
    jerryRealtime.resume();
    const [pushed] = await recalled;
    assert.equal(pushed.id, message.id);
  });

  test('patch pushes: recall without data is a RecalledMessage; edits replace the last message', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    const message = await conversation.send(new TextMessage('v1'));
    const recalls = nextEvent(conversation, 'messagerecall');
    const updates = nextEvent(tom, 'messageupdate');
    const item = { cid: conversation.id, mid: message.id, timestamp: message.timestamp.getTime(), from: tomId };
    tom._handlePush(
      decoded({
        cmd: CommandType.patch,
        op: OpType.modify,
        patchMessage: { patches: [{ ...item, data: '{"_lctype":-1,"_lctext":"v2"}', patchTimestamp: message.timestamp.getTime() + 5 }] },
      }),
    );
    const [edited, where] = await updates;
    assert.equal(where, conversation);
    assert.equal((edited as TextMessage).text, 'v2');
    assert.equal(edited.updatedAt.getTime(), message.timestamp.getTime() + 5);
    assert.equal(conversation.lastMessage, edited);
    tom._handlePush(decoded({ cmd: CommandType.patch, op: OpType.modify, patchMessage: { patches: [{ ...item, recall: true, patchTimestamp: 1 }] } }));
    const [recalled] = await recalls;
    assert.ok(recalled instanceof RecalledMessage);
    assert.equal(recalled.id, message.id);
  });
});
