/**
 * 对话的属性管理 with our SDK against a real server: name and custom
 * attributes at creation, `name = …; save()`, dotted-key updates that
 * change one field, the `updated` push applied by the other members
 * (`infoupdated`), mute/unmute, fetch(), and the time fields.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandType, OpType } from '../src/protocol/index.js';
import { ProtocolError, TextMessage } from '../src/sdk/index.js';
import { ConversationAttributes } from '../src/sdk/conversation-attributes.js';
import { decoded, nextEvent, recordingWebSocket, sdkEnvironment, until } from './helpers/sdk-env.js';

const env = sdkEnvironment();

describe('对话的属性管理 (attributes)', () => {
  test('name and custom attributes at creation travel in attr and come back from queries', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const conversation = await tom.createConversation({ members: [jerryId], name: '猫和老鼠', type: 'private', pinned: true, color: { text: '#000' } });
    const start = recorder.sent.find((c) => c.cmd === CommandType.conv && c.op === OpType.start)!;
    assert.deepEqual(JSON.parse(start.convMessage!.attr!.data!), { type: 'private', pinned: true, color: { text: '#000' }, name: '猫和老鼠' });
    assert.equal(conversation.name, '猫和老鼠');
    assert.equal(conversation.get('color.text'), '#000', 'dotted reads');
    assert.ok(conversation.createdAt instanceof Date);
    assert.equal(conversation.updatedAt?.getTime(), conversation.createdAt.getTime());
    assert.equal(conversation.lastMessageAt, undefined);
    assert.equal(conversation.unreadMessagesCount, 0);

    const seen = (await (await env.login(jerryId)).getConversation(conversation.id))!;
    assert.equal(seen.name, '猫和老鼠');
    assert.deepEqual(seen.attributes, { type: 'private', pinned: true, color: { text: '#000' } });
    assert.equal(seen.creator, tomId);
  });

  test('name = …; save(): the other members get infoupdated and see the new name', async () => {
    const [tomId, blackId] = env.names('Tom', 'Black');
    const tom = await env.login(tomId);
    const black = await env.login(blackId);
    const conversation = await tom.createConversation({ members: [blackId], name: '喵星人' });
    const blackConversation = (await black.getConversation(conversation.id))!;
    const onClient = nextEvent(tom, 'conversationinfoupdated');
    const onConversation = nextEvent(conversation, 'infoupdated');
    const before = blackConversation.updatedAt!;

    blackConversation.name = '聪明的喵星人';
    assert.equal(blackConversation.name, '聪明的喵星人', 'the local value shows before saving');
    assert.equal(await blackConversation.save(), blackConversation);
    assert.ok(blackConversation.updatedAt! >= before);

    const [payload, updated] = await onClient;
    assert.deepEqual(payload, { attributes: { name: '聪明的喵星人' }, updatedBy: blackId });
    assert.equal(updated, conversation);
    assert.deepEqual((await onConversation)[0], { attributes: { name: '聪明的喵星人' }, updatedBy: blackId });
    assert.equal(conversation.name, '聪明的喵星人', 'applied before the event');

    const fresh = (await (await env.login(tomId)).getConversation(conversation.id))!;
    assert.equal(fresh.name, '聪明的喵星人');
    assert.equal(await blackConversation.save(), blackConversation, 'nothing to save: no command');
  });

  test('set("color.text") changes one field: dotted keys are paths on the server too', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const recorder = recordingWebSocket();
    const tom = await env.device({ WebSocket: recorder.WebSocket }).createIMClient(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId], color: { text: '#000', background: '#DDD' }, topic: 'x' });
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    const jerrySees = nextEvent(jerryConversation, 'infoupdated');

    await conversation.set('color.text', '#333').set('topic', 'y').save();
    const update = recorder.sent.find((c) => c.cmd === CommandType.conv && c.op === OpType.update)!;
    assert.deepEqual(JSON.parse(update.convMessage!.attr!.data!), { 'color.text': '#333', topic: 'y' });
    assert.equal(update.convMessage?.cid, conversation.id);
    assert.deepEqual(conversation.get('color'), { text: '#333', background: '#DDD' });

    assert.deepEqual((await jerrySees)[0].attributes, { 'color.text': '#333', topic: 'y' });
    assert.deepEqual(jerryConversation.get('color'), { text: '#333', background: '#DDD' }, 'the push is applied as a path');
    assert.equal(jerryConversation.get('topic'), 'y');

    const fresh = (await (await env.login(jerryId)).getConversation(conversation.id))!;
    assert.deepEqual(fresh.get('color'), { text: '#333', background: '#DDD' });
    assert.equal(fresh.get('color.text'), '#333');
    assert.equal('color.text' in fresh.attributes, false, 'no key named "color.text"');
  });

  test('mute() and unmute() maintain muted and mutedMembers, here and on the server', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    assert.equal(conversation.muted, false);
    assert.equal(await conversation.mute(), conversation);
    assert.equal(conversation.muted, true);
    assert.deepEqual(conversation.mutedMembers, [tomId]);
    const elsewhere = (await (await env.login(tomId)).getConversation(conversation.id))!;
    assert.equal(elsewhere.muted, true, 'mu is stored');
    assert.deepEqual(elsewhere.mutedMembers, [tomId]);
    await conversation.unmute();
    assert.equal(conversation.muted, false);
    assert.deepEqual(conversation.mutedMembers, []);
    await elsewhere.fetch();
    assert.equal(elsewhere.muted, false);
  });

  test('fetch() refreshes lastMessageAt, name and members from the server', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const jerry = await env.login(jerryId);
    const conversation = await tom.createConversation({ members: [jerryId], name: 'fetch me' });
    const jerryConversation = (await jerry.getConversation(conversation.id))!;
    const sent = await conversation.send(new TextMessage('hello'));
    await until(() => jerryConversation.lastMessage?.id === sent.id);
    const stale = (await (await env.login(tomId)).getConversation(conversation.id))!;
    assert.equal(await stale.fetch(), stale);
    assert.equal(stale.lastMessageAt?.getTime(), sent.timestamp.getTime());
    assert.equal(stale.name, 'fetch me');
    assert.deepEqual([...stale.members].sort(), [tomId, jerryId].sort());
    assert.equal(jerryConversation.unreadMessagesCount, 1, 'a message received while online counts as unread');
  });

  test('an updated push is applied as paths and emitted; a malformed one is ignored', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId], color: { text: '#000', background: '#DDD' } });
    const updated = nextEvent(tom, 'conversationinfoupdated');
    tom._handlePush(decoded({ cmd: CommandType.conv, op: OpType.updated, convMessage: { cid: conversation.id, attr: { data: '{oops' }, initBy: jerryId } }));
    tom._handlePush(
      decoded({
        cmd: CommandType.conv,
        op: OpType.updated,
        convMessage: { cid: conversation.id, attr: { data: '{"color.text":"#fff","name":"new"}' }, initBy: jerryId, udate: '2030-01-01T00:00:00.000Z' },
      }),
    );
    const [payload, target] = await updated;
    assert.equal(target, conversation);
    assert.deepEqual(payload, { attributes: { 'color.text': '#fff', name: 'new' }, updatedBy: jerryId });
    assert.deepEqual(conversation.get('color'), { text: '#fff', background: '#DDD' });
    assert.equal(conversation.name, 'new');
    assert.equal(conversation.updatedAt?.toISOString(), '2030-01-01T00:00:00.000Z');
  });

  test('save() that fails keeps the changes pending', async () => {
    const [tomId, jerryId] = env.names('Tom', 'Jerry');
    const tom = await env.login(tomId);
    const conversation = await tom.createConversation({ members: [jerryId] });
    await tom.close();
    conversation.set('topic', 'kept');
    await assert.rejects(conversation.save(), ProtocolError);
    assert.equal(conversation.get('topic'), 'kept');
  });
});

describe('ConversationAttributes (pending changes)', () => {
  test('reads see pending changes on top of the server state', () => {
    const attributes = new ConversationAttributes();
    attributes.replace({ name: 'n', color: { text: '#000', background: '#DDD' } });
    attributes.set('color.text', '#333');
    assert.deepEqual(attributes.get('color'), { text: '#333', background: '#DDD' });
    assert.deepEqual(attributes.changes(), { 'color.text': '#333' });
    assert.equal(attributes.dirty, true);
  });

  test('setting a path drops pending changes inside it; setting inside a pending path edits it', () => {
    const attributes = new ConversationAttributes();
    attributes.set('a.b', 1);
    attributes.set('a.c', 2);
    attributes.set('a', { x: 0 });
    assert.deepEqual(attributes.changes(), { a: { x: 0 } });
    attributes.set('a.y.z', 3);
    assert.deepEqual(attributes.changes(), { a: { x: 0, y: { z: 3 } } });
    // 'ab' is not inside 'a'.
    attributes.set('ab', 4);
    assert.deepEqual(attributes.changes(), { a: { x: 0, y: { z: 3 } }, ab: 4 });
  });

  test('commit makes sent changes server state and keeps changes made since', () => {
    const attributes = new ConversationAttributes();
    attributes.set('topic', 'a');
    attributes.set('n', 1);
    const sent = attributes.changes();
    attributes.set('n', 2);
    attributes.commit(sent);
    assert.deepEqual(attributes.changes(), { n: 2 });
    assert.equal(attributes.get('topic'), 'a');
    attributes.replace({ topic: 'server' });
    assert.equal(attributes.get('n'), 2, 'a refresh keeps unsaved changes');
    assert.equal(attributes.get('topic'), 'server');
  });

  test('values are copied: mutating what was set or read changes nothing', () => {
    const attributes = new ConversationAttributes();
    const value = { list: [1] };
    attributes.set('v', value);
    value.list.push(2);
    (attributes.snapshot().v as { list: number[] }).list.push(3);
    (attributes.get('v') as { list: number[] }).list.push(4);
    assert.deepEqual(attributes.get('v'), { list: [1] });
  });

  test('empty keys and segments are rejected', () => {
    const attributes = new ConversationAttributes();
    assert.throws(() => attributes.set('', 1), TypeError);
    assert.throws(() => attributes.set('a..b', 1), TypeError);
    assert.throws(() => attributes.set('a.', 1), TypeError);
  });
});
